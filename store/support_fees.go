package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/caseload/caseload/domain"
)

// NewSupportNeed is a support need as requested.
type NewSupportNeed struct {
	Reference string
	Party     string
	Code      string // a code or short name (sign-language, interpreter, ...)
	Comment   string
	Hearing   bool
}

// AddSupportNeed records a requested support need on a party of a case,
// with an event on the case, in one transaction.
func (s *Store) AddSupportNeed(ctx context.Context, n NewSupportNeed, opt ActOptions) (domain.SupportNeed, error) {
	code, err := domain.LookupSupportCode(n.Code)
	if err != nil {
		return domain.SupportNeed{}, err
	}
	party := strings.TrimSpace(n.Party)
	if party == "" {
		return domain.SupportNeed{}, errors.New("party: say who needs the support (appellant, representative, a witness's name)")
	}
	need := domain.SupportNeed{Reference: normRef(n.Reference), Party: party, Code: code.Code, Label: code.Label, Kind: code.Kind,
		Comment: strings.TrimSpace(n.Comment), Hearing: n.Hearing, Status: domain.SupportRequested, Requested: opt.On, Updated: opt.On}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		cid, err := caseID(ctx, tx, n.Reference)
		if err != nil {
			return err
		}
		newID, err := insertID(ctx, tx, `INSERT INTO support_needs(case_id, party, code, comment, hearing, status, requested, updated)
			VALUES (?,?,?,?,?,?,?,?)`, cid, need.Party, need.Code, need.Comment, need.Hearing, need.Status, opt.On.String(), opt.On.String())
		if err != nil {
			return err
		}
		need.ID = newID
		e := domain.Event{Kind: domain.EventSupportNeed, On: opt.On, User: opt.User,
			Detail: fmt.Sprintf("support need %d requested: %s", need.ID, need.Describe()), Data: domain.EventData{Refers: need.ID, Text: need.Comment}}
		return s.caseEvent(ctx, tx, cid, &e)
	})
	return need, err
}

const supportColumns = `n.id, c.reference, n.party, n.code, n.comment, n.hearing, n.status, n.requested, n.updated, n.referral`

func scanSupport(r scanner) (domain.SupportNeed, error) {
	var n domain.SupportNeed
	var req, upd string
	if err := r.Scan(&n.ID, &n.Reference, &n.Party, &n.Code, &n.Comment, &n.Hearing, &n.Status, &req, &upd, &n.Referral); err != nil {
		return n, err
	}
	n.Requested, n.Updated = mustDate(req), mustDate(upd)
	if c, err := domain.LookupSupportCode(n.Code); err == nil {
		n.Label, n.Kind = c.Label, c.Kind
	}
	return n, nil
}

// SupportNeeds lists a case's support needs, oldest first.
func (s *Store) SupportNeeds(ctx context.Context, ref string) ([]domain.SupportNeed, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+supportColumns+` FROM support_needs n JOIN cases c ON c.id = n.case_id
		WHERE c.reference = ? ORDER BY n.id`, normRef(ref))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.SupportNeed{}
	for rows.Next() {
		n, err := scanSupport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// HearingNeeds lists the active or requested needs that matter at a
// hearing, for the hearing readiness check.
func (s *Store) HearingNeeds(ctx context.Context, ref string) ([]domain.SupportNeed, error) {
	all, err := s.SupportNeeds(ctx, ref)
	var out []domain.SupportNeed
	for _, n := range all {
		if n.Hearing && (n.Status == domain.SupportActive || n.Status == domain.SupportRequested) {
			out = append(out, n)
		}
	}
	return out, err
}

// SetSupportStatus moves a support need through its lifecycle, with a
// comment, and records the change on the case.
func (s *Store) SetSupportStatus(ctx context.Context, id int64, to domain.SupportStatus, comment string, opt ActOptions) (domain.SupportNeed, error) {
	return s.supportStep(ctx, id, opt, func(n *domain.SupportNeed) (string, error) {
		if err := domain.CheckSupportMove(n.Status, to); err != nil {
			return "", err
		}
		n.Status = to
		if c := strings.TrimSpace(comment); c != "" {
			n.Comment = c
		}
		return fmt.Sprintf("support need %d %s: %s", n.ID, to, n.Describe()), nil
	})
}

// SupportReferral records a referral to an assisted digital support
// provider and its outcome, on an assisted digital need.
func (s *Store) SupportReferral(ctx context.Context, id int64, outcome string, opt ActOptions) (domain.SupportNeed, error) {
	return s.supportStep(ctx, id, opt, func(n *domain.SupportNeed) (string, error) {
		if n.Code != domain.AssistedDigital {
			return "", fmt.Errorf("support need %d is %s, not assisted digital support (%s)", n.ID, n.Code, domain.AssistedDigital)
		}
		if strings.TrimSpace(outcome) == "" {
			return "", errors.New("outcome: say what came of the referral")
		}
		n.Referral = strings.TrimSpace(outcome)
		return fmt.Sprintf("support need %d: referred to assisted digital support: %s", n.ID, n.Referral), nil
	})
}

func (s *Store) supportStep(ctx context.Context, id int64, opt ActOptions, step func(*domain.SupportNeed) (string, error)) (domain.SupportNeed, error) {
	var n domain.SupportNeed
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = scanSupport(tx.QueryRowContext(ctx, "SELECT "+supportColumns+" FROM support_needs n JOIN cases c ON c.id = n.case_id WHERE n.id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("support need %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		detail, err := step(&n)
		if err != nil {
			return err
		}
		n.Updated = opt.On
		if _, err := tx.ExecContext(ctx, "UPDATE support_needs SET status = ?, comment = ?, referral = ?, updated = ? WHERE id = ?",
			n.Status, n.Comment, n.Referral, opt.On.String(), id); err != nil {
			return err
		}
		cid, err := caseID(ctx, tx, n.Reference)
		if err != nil {
			return err
		}
		kind := domain.EventSupportNeed
		if n.Code == domain.AssistedDigital && n.Referral != "" && strings.Contains(detail, "referred") {
			kind = domain.EventAssistedDigital
		}
		e := domain.Event{Kind: kind, On: opt.On, User: opt.User, Detail: detail, Data: domain.EventData{Refers: id}}
		return s.caseEvent(ctx, tx, cid, &e)
	})
	return n, err
}

// CaseFee is a fee due on a case and where it stands.
type CaseFee struct {
	ID          int64             `json:"id"`
	Reference   string            `json:"reference"`
	Code        string            `json:"code"`
	Application string            `json:"application"`
	AmountPence int64             `json:"amount_pence"`
	Order       string            `json:"order"`
	DueOn       domain.Date       `json:"due_on"`
	Remission   *domain.Remission `json:"remission,omitempty"`
	PaidPence   int64             `json:"paid_pence"`
	// BalancePence is what is still owed; negative when over-paid.
	BalancePence int64 `json:"balance_pence"`
}

// AddFee makes a fee of the case's pack due on the case, with an event.
func (s *Store) AddFee(ctx context.Context, ref, code string, opt ActOptions) (CaseFee, error) {
	var f CaseFee
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cid, err := caseID(ctx, tx, ref)
		if err != nil {
			return err
		}
		var jur string
		if err := tx.QueryRowContext(ctx, "SELECT jurisdiction FROM cases WHERE id = ?", cid).Scan(&jur); err != nil {
			return err
		}
		fee, err := s.FeeTable(jur).Lookup(code)
		if err != nil {
			return fmt.Errorf("%s: %w", normRef(ref), err)
		}
		if f, err = s.feeDue(ctx, tx, cid, fee, "", opt); err != nil {
			return err
		}
		f.Reference = normRef(ref)
		return s.refresh(ctx, tx, cid)
	})
	return f, err
}

// feeDue inserts a fee due on a case and its event, without refreshing
// the case (the caller does, once).
func (s *Store) feeDue(ctx context.Context, tx *sql.Tx, cid int64, fee domain.Fee, because string, opt ActOptions) (CaseFee, error) {
	f := CaseFee{Code: fee.Code, Application: fee.Application, AmountPence: fee.AmountPence, Order: fee.Order, DueOn: opt.On,
		BalancePence: fee.AmountPence}
	newID, err := insertID(ctx, tx, `INSERT INTO fees(case_id, code, application, amount_pence, fees_order, due_on) VALUES (?,?,?,?,?,?)`,
		cid, fee.Code, fee.Application, fee.AmountPence, fee.Order, opt.On.String())
	if err != nil {
		return f, err
	}
	f.ID = newID
	e := domain.Event{Kind: domain.EventFeeDue, On: opt.On, User: opt.User, Data: domain.EventData{Refers: f.ID},
		Detail: fmt.Sprintf("fee %d due: %s %s, %s (%s)%s", f.ID, fee.Code, fee.Application, domain.FormatPence(fee.AmountPence), fee.Order, because)}
	return f, s.insertEvent(ctx, tx, cid, &e)
}

// feesForStep makes due, in the caller's transaction, each fee of the
// case's pack table whose step is the event just recorded (the fee table's
// step names the event kind that needs it).
func (s *Store) feesForStep(ctx context.Context, tx *sql.Tx, cid int64, jurisdiction string, e *domain.Event) error {
	for _, fee := range s.FeeTable(s.PackOf(jurisdiction).ID).Fees {
		if fee.Step == "" || fee.Step != e.Kind {
			continue
		}
		if _, err := s.feeDue(ctx, tx, cid, fee, "; needed by "+e.Kind, ActOptions{User: e.User, On: e.On}); err != nil {
			return err
		}
	}
	return nil
}

const feeColumns = `f.id, c.reference, f.code, f.application, f.amount_pence, f.fees_order, f.due_on, f.hwf_ref, f.hwf_full, f.hwf_pence, f.paid_pence`

func scanFee(r scanner) (CaseFee, error) {
	var f CaseFee
	var due, hwf string
	var full bool
	var hwfPence int64
	if err := r.Scan(&f.ID, &f.Reference, &f.Code, &f.Application, &f.AmountPence, &f.Order, &due, &hwf, &full, &hwfPence, &f.PaidPence); err != nil {
		return f, err
	}
	f.DueOn = mustDate(due)
	if hwf != "" {
		f.Remission = &domain.Remission{Reference: hwf, Full: full, Pence: hwfPence}
	}
	f.BalancePence = domain.Balance(f.AmountPence, f.Remission, f.PaidPence)
	return f, nil
}

// Fees lists a case's fees.
func (s *Store) Fees(ctx context.Context, ref string) ([]CaseFee, error) {
	return scanFees(s.db.QueryContext(ctx, "SELECT "+feeColumns+" FROM fees f JOIN cases c ON c.id = f.case_id WHERE c.reference = ? ORDER BY f.id", normRef(ref)))
}

// UnpaidFees lists fees with something still owed, oldest due first,
// through the unpaid index.
func (s *Store) UnpaidFees(ctx context.Context, limit int) ([]CaseFee, error) {
	return scanFees(s.db.QueryContext(ctx, "SELECT "+feeColumns+` FROM fees f INDEXED BY fees_unpaid JOIN cases c ON c.id = f.case_id
		WHERE f.settled = 0 AND (? = '' OR c.jurisdiction = ?) ORDER BY f.due_on, f.id LIMIT ?`, scope(ctx), scope(ctx), limit))
}

func scanFees(rows *sql.Rows, err error) ([]CaseFee, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CaseFee{}
	for rows.Next() {
		f, err := scanFee(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *Store) feeTx(ctx context.Context, tx *sql.Tx, id int64) (CaseFee, int64, error) {
	f, err := scanFee(tx.QueryRowContext(ctx, "SELECT "+feeColumns+" FROM fees f JOIN cases c ON c.id = f.case_id WHERE f.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, 0, fmt.Errorf("fee %d: %w", id, ErrNotFound)
	}
	var cid int64
	if err == nil {
		cid, err = caseID(ctx, tx, f.Reference)
	}
	return f, cid, err
}

// settle keeps a fee's paid total and settled mark current.
func settle(ctx context.Context, tx *sql.Tx, feeID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE fees SET paid_pence = (SELECT coalesce(sum(amount_pence), 0) FROM payments WHERE fee_id = fees.id)
		WHERE id = ?`, feeID)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE fees SET settled = CASE WHEN (CASE WHEN hwf_full = 1 THEN 0 ELSE amount_pence - hwf_pence END) - paid_pence <= 0 THEN 1 ELSE 0 END WHERE id = ?`, feeID)
	return err
}

// Remit records help with fees against a fee: full, or part (pence).
func (s *Store) Remit(ctx context.Context, feeID int64, r domain.Remission, opt ActOptions) (CaseFee, error) {
	var f CaseFee
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var cid int64
		var err error
		if f, cid, err = s.feeTx(ctx, tx, feeID); err != nil {
			return err
		}
		if f.Remission != nil {
			return fmt.Errorf("fee %d already has help with fees (%s)", feeID, f.Remission.Reference)
		}
		r.Reference = strings.ToUpper(strings.TrimSpace(r.Reference))
		if err := domain.ValidateRemission(r, f.AmountPence); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE fees SET hwf_ref = ?, hwf_full = ?, hwf_pence = ? WHERE id = ?", r.Reference, r.Full, r.Pence, feeID); err != nil {
			return err
		}
		if err := settle(ctx, tx, feeID); err != nil {
			return err
		}
		f.Remission = &r
		f.BalancePence = domain.Balance(f.AmountPence, &r, f.PaidPence)
		what := "full remission"
		if !r.Full {
			what = "part remission of " + domain.FormatPence(r.Pence)
		}
		e := domain.Event{Kind: domain.EventFeeRemission, On: opt.On, User: opt.User, Data: domain.EventData{Refers: feeID},
			Detail: fmt.Sprintf("fee %d (%s): help with fees %s, %s; %s still owed", feeID, f.Code, r.Reference, what, domain.FormatPence(max(f.BalancePence, 0)))}
		return s.caseEvent(ctx, tx, cid, &e)
	})
	return f, err
}

// Payment is money received.
type Payment struct {
	ID          int64       `json:"id"`
	AmountPence int64       `json:"amount_pence"`
	Reference   string      `json:"reference"`
	Method      string      `json:"method"`
	PaidOn      domain.Date `json:"paid_on"`
	Case        string      `json:"case,omitempty"`
	FeeID       int64       `json:"fee_id,omitempty"`
	Verified    bool        `json:"verified"`
	VerifiedBy  string      `json:"verified_by,omitempty"`
}

// RecordPayment records a payment; with FeeID (or a case with exactly one
// unsettled fee) it is allocated at once.
func (s *Store) RecordPayment(ctx context.Context, p Payment, opt ActOptions) (Payment, error) {
	method, err := domain.ParsePaymentMethod(p.Method)
	if err != nil {
		return p, err
	}
	p.Method = method
	if p.AmountPence <= 0 {
		return p, errors.New("amount: a payment is more than £0.00")
	}
	if strings.TrimSpace(p.Reference) == "" {
		return p, errors.New("reference: give the payment's reference")
	}
	if p.PaidOn.IsZero() {
		p.PaidOn = opt.On
	}
	if p.PaidOn.After(opt.On) {
		return p, fmt.Errorf("date: %s is in the future", p.PaidOn.UK())
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var cid any
		if p.Case != "" {
			id, err := caseID(ctx, tx, p.Case)
			if err != nil {
				return err
			}
			cid, p.Case = id, normRef(p.Case)
		}
		newID, err := insertID(ctx, tx, `INSERT INTO payments(amount_pence, reference, method, paid_on, case_id, user, at) VALUES (?,?,?,?,?,?,?)`,
			p.AmountPence, strings.TrimSpace(p.Reference), p.Method, p.PaidOn.String(), cid, opt.User, s.stamp(opt.On).Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
		p.ID = newID
		if p.FeeID != 0 {
			return s.allocate(ctx, tx, &p, p.FeeID, opt)
		}
		return nil
	})
	return p, err
}

// AllocatePayment allocates a payment to a fee (and so to its case).
func (s *Store) AllocatePayment(ctx context.Context, paymentID, feeID int64, opt ActOptions) (Payment, error) {
	var p Payment
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = paymentTx(ctx, tx, paymentID); err != nil {
			return err
		}
		if p.FeeID != 0 {
			return fmt.Errorf("payment %d is already allocated to fee %d", paymentID, p.FeeID)
		}
		return s.allocate(ctx, tx, &p, feeID, opt)
	})
	return p, err
}

func (s *Store) allocate(ctx context.Context, tx *sql.Tx, p *Payment, feeID int64, opt ActOptions) error {
	f, cid, err := s.feeTx(ctx, tx, feeID)
	if err != nil {
		return err
	}
	if p.Case != "" && p.Case != f.Reference {
		return fmt.Errorf("payment %d is for %s but fee %d is on %s", p.ID, p.Case, feeID, f.Reference)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE payments SET fee_id = ?, case_id = ? WHERE id = ?", feeID, cid, p.ID); err != nil {
		return err
	}
	if err := settle(ctx, tx, feeID); err != nil {
		return err
	}
	p.FeeID, p.Case = feeID, f.Reference
	bal := domain.Balance(f.AmountPence, f.Remission, f.PaidPence+p.AmountPence)
	state := "paid in full"
	switch {
	case bal > 0:
		state = domain.FormatPence(bal) + " still owed"
	case bal < 0:
		state = "over-paid by " + domain.FormatPence(-bal)
	}
	e := domain.Event{Kind: domain.EventPayment, On: opt.On, User: opt.User, Data: domain.EventData{Refers: p.ID},
		Detail: fmt.Sprintf("payment %d of %s (%s %s, %s) allocated to fee %d (%s): %s", p.ID, domain.FormatPence(p.AmountPence),
			p.Method, p.Reference, p.PaidOn.UK(), feeID, f.Code, state)}
	return s.caseEvent(ctx, tx, cid, &e)
}

// VerifyPayment marks a payment as checked against the bank or card
// record; an allocated payment's verification goes on its case.
func (s *Store) VerifyPayment(ctx context.Context, paymentID int64, opt ActOptions) (Payment, error) {
	var p Payment
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = paymentTx(ctx, tx, paymentID); err != nil {
			return err
		}
		if p.Verified {
			return fmt.Errorf("payment %d was verified by %s", paymentID, p.VerifiedBy)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE payments SET verified = 1, verified_by = ? WHERE id = ?", opt.User, paymentID); err != nil {
			return err
		}
		p.Verified, p.VerifiedBy = true, opt.User
		if p.Case == "" {
			return nil
		}
		cid, err := caseID(ctx, tx, p.Case)
		if err != nil {
			return err
		}
		e := domain.Event{Kind: domain.EventPayment, On: opt.On, User: opt.User, Data: domain.EventData{Refers: p.ID},
			Detail: fmt.Sprintf("payment %d of %s (%s) verified", p.ID, domain.FormatPence(p.AmountPence), p.Reference)}
		return s.caseEvent(ctx, tx, cid, &e)
	})
	return p, err
}

const paymentColumns = `p.id, p.amount_pence, p.reference, p.method, p.paid_on, coalesce(c.reference, ''), coalesce(p.fee_id, 0), p.verified, p.verified_by`

func scanPayment(r scanner) (Payment, error) {
	var p Payment
	var on string
	err := r.Scan(&p.ID, &p.AmountPence, &p.Reference, &p.Method, &on, &p.Case, &p.FeeID, &p.Verified, &p.VerifiedBy)
	p.PaidOn = mustDate(on)
	return p, err
}

func paymentTx(ctx context.Context, q querier, id int64) (Payment, error) {
	p, err := scanPayment(q.QueryRowContext(ctx, "SELECT "+paymentColumns+" FROM payments p LEFT JOIN cases c ON c.id = p.case_id WHERE p.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("payment %d: %w", id, ErrNotFound)
	}
	return p, err
}

// Payments lists payments, newest first: all, or only those not yet
// allocated to a fee.
func (s *Store) Payments(ctx context.Context, unallocated bool, offset, limit int) ([]Payment, error) {
	q := "SELECT " + paymentColumns + " FROM payments p LEFT JOIN cases c ON c.id = p.case_id"
	if unallocated {
		q += " WHERE p.fee_id IS NULL"
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY p.id DESC LIMIT ? OFFSET ?", limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Payment{}
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
