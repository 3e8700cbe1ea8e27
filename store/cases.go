package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/caseload/caseload/domain"
)

const caseColumns = `c.id, c.reference, c.jurisdiction, c.received, c.decision_date, c.appellant, c.representative,
	c.respondent, c.subject, c.amount_pence, c.grounds, c.hmrc_reference, c.late_reason, c.track, c.status,
	c.suggested_track, c.suggestion_reason, c.late, c.days_late, c.last_event, c.allocated_on, c.flags, c.open_referrals`

const selectCase = "SELECT " + caseColumns + " FROM cases c"

// selectCaseBy names the index to read. Without ANALYZE statistics SQLite
// may otherwise start from the (status, track) index and sort every open
// case; these lists must read their own index in order and stop at the limit.
func selectCaseBy(index string) string {
	return "SELECT " + caseColumns + " FROM cases c INDEXED BY " + index
}

type scanner interface{ Scan(dest ...any) error }

func scanCaseRow(r scanner) (CaseRow, error) {
	var c CaseRow
	var received, lastEvent string
	var decision, track, allocated sql.NullString
	var amount sql.NullInt64
	var subject, status, suggested, flags string
	err := r.Scan(&c.ID, &c.Reference, &c.Jurisdiction, &received, &decision, &c.Appellant, &c.Representative,
		&c.Respondent, &subject, &amount, &c.Grounds, &c.HMRCReference, &c.LateReason, &track, &status,
		&suggested, &c.SuggestionReason, &c.Late, &c.DaysLate, &lastEvent, &allocated, &flags, &c.OpenReferrals)
	if err != nil {
		return c, err
	}
	c.Flags = []string{}
	if flags != "" {
		c.Flags = strings.Split(flags, ",")
	}
	c.Received, _ = domain.ParseDate(received)
	c.LastEvent, _ = domain.ParseDate(lastEvent)
	if decision.Valid {
		c.DecisionDate, _ = domain.ParseDate(decision.String)
	}
	if allocated.Valid {
		c.AllocatedOn, _ = domain.ParseDate(allocated.String)
	}
	if amount.Valid {
		v := amount.Int64
		c.AmountPence = &v
	}
	if track.Valid {
		t := domain.Track(track.String)
		c.Track = &t
	}
	c.Subject, c.Status, c.SuggestedTrack = domain.Subject(subject), domain.Status(status), domain.Track(suggested)
	return c, nil
}

func scanCaseRows(rows *sql.Rows, err error) ([]CaseRow, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseRow
	for rows.Next() {
		c, err := scanCaseRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Case returns a case with its deadlines and full timeline.
func (s *Store) Case(ctx context.Context, ref string) (*Case, error) {
	row, err := scanCaseRow(s.db.QueryRowContext(ctx, selectCase+" WHERE c.reference = ?", normRef(ref)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	c := &Case{CaseRow: row, Deadlines: []domain.Deadline{}}
	c.Division = s.DivisionOf(row.Jurisdiction, caseDivision(ctx, s.db, row.ID))
	if err := s.db.QueryRowContext(ctx, "SELECT owner FROM cases WHERE id = ?", row.ID).Scan(&c.Owner); err != nil {
		return nil, err
	}
	if c.Events, err = loadEvents(ctx, s.db, row.ID); err != nil {
		return nil, err
	}
	if c.Deadlines, err = loadDeadlines(ctx, s.db, row.ID); err != nil {
		return nil, err
	}
	if c.Mail, err = s.CaseMail(ctx, row.Reference); err != nil {
		return nil, err
	}
	if err := s.caseLetters(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

const deadlineColumns = `case_id, kind, label, party, due, rule, provisional, optional, status, met_on,
	anchor, days, moved, citation, previous_due, warn, warning`

// scanDeadline reads one row of deadlineColumns.
func scanDeadline(r scanner) (int64, domain.Deadline, error) {
	var d domain.Deadline
	var caseID int64
	var due, anchor, previous string
	var met, warn sql.NullString
	if err := r.Scan(&caseID, &d.Kind, &d.Label, &d.Party, &due, &d.Rule, &d.Provisional, &d.Optional, &d.Status,
		&met, &anchor, &d.Days, &d.Moved, &d.Citation, &previous, &warn, &d.Warning); err != nil {
		return 0, d, err
	}
	if warn.Valid {
		d.Warn, _ = domain.ParseDate(warn.String)
	}
	for _, p := range strings.Split(previous, ",") {
		if p != "" {
			d.PreviousDue = append(d.PreviousDue, mustDate(p))
		}
	}
	d.Due, _ = domain.ParseDate(due)
	d.Anchor, _ = domain.ParseDate(anchor)
	if met.Valid {
		d.MetOn, _ = domain.ParseDate(met.String)
	}
	return caseID, d, nil
}

func loadDeadlines(ctx context.Context, q querier, caseID int64) ([]domain.Deadline, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+deadlineColumns+" FROM deadlines WHERE case_id = ? ORDER BY due, id", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Deadline{}
	for rows.Next() {
		_, d, err := scanDeadline(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Queue returns cases waiting to be categorised, oldest received first
// (then by reference), from the partial index.
func (s *Store) Queue(ctx context.Context, limit int) ([]CaseRow, error) {
	if j := scope(ctx); j != "" {
		return scanCaseRows(s.db.QueryContext(ctx, selectCaseBy("cases_jurisdiction_queue")+
			" WHERE c.status = 'new' AND c.jurisdiction = ? ORDER BY c.received, c.reference LIMIT ?", j, limit))
	}
	return scanCaseRows(s.db.QueryContext(ctx,
		selectCaseBy("cases_queue")+" WHERE c.status = 'new' ORDER BY c.received, c.reference LIMIT ?", limit))
}

// QueueAfter is the queue from just after the appeal (received, ref) in
// queue order (received, then reference), through the queue index: the
// UI pages through the whole queue this way, so every appeal comes round.
// A zero received starts at the head.
func (s *Store) QueueAfter(ctx context.Context, received domain.Date, ref string, limit int) ([]CaseRow, error) {
	if received.IsZero() {
		return s.Queue(ctx, limit)
	}
	if j := scope(ctx); j != "" {
		return scanCaseRows(s.db.QueryContext(ctx, selectCaseBy("cases_jurisdiction_queue")+
			" WHERE c.status = 'new' AND c.jurisdiction = ? AND (c.received, c.reference) > (?, ?) ORDER BY c.received, c.reference LIMIT ?",
			j, received.String(), ref, limit))
	}
	return scanCaseRows(s.db.QueryContext(ctx, selectCaseBy("cases_queue")+
		" WHERE c.status = 'new' AND (c.received, c.reference) > (?, ?) ORDER BY c.received, c.reference LIMIT ?",
		received.String(), ref, limit))
}

// Counts returns the header figures: queue and open from kept counters,
// due and overdue from the deadline index.
func (s *Store) Counts(ctx context.Context, today domain.Date) (Counts, error) {
	var c Counts
	if j := scope(ctx); j != "" {
		// One jurisdiction: its own kept counters, and its deadlines counted
		// from the due-date index alone, by the jurisdiction each carries
		// (schema 6). Joined to their cases, a rare jurisdiction read a case
		// row for every open deadline of the range (some 40,000 scattered
		// reads at ten million cases, most of the start-up).
		err := s.db.QueryRowContext(ctx, `SELECT
			coalesce((SELECT value FROM counters WHERE name = ?), 0),
			coalesce((SELECT value FROM counters WHERE name = ?), 0),
			(SELECT count(*) FROM deadlines d INDEXED BY deadlines_open_due
				WHERE d.status = 'open' AND d.optional = 0 AND d.due < ? AND d.case_jurisdiction = ?),
			(SELECT count(*) FROM deadlines d INDEXED BY deadlines_open_due
				WHERE d.status = 'open' AND d.optional = 0 AND d.due >= ? AND d.due <= ? AND d.case_jurisdiction = ?)`,
			"queue@"+j, "open@"+j, today.String(), j, today.String(), today.AddDays(7).String(), j).
			Scan(&c.Queue, &c.Open, &c.Overdue, &c.Due)
		return c, err
	}
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT value FROM counters WHERE name = 'queue'),
		(SELECT value FROM counters WHERE name = 'open'),
		(SELECT count(*) FROM deadlines WHERE status = 'open' AND optional = 0 AND due < ?),
		(SELECT count(*) FROM deadlines WHERE status = 'open' AND optional = 0 AND due >= ? AND due <= ?)`,
		today.String(), today.String(), today.AddDays(7).String()).Scan(&c.Queue, &c.Open, &c.Overdue, &c.Due)
	return c, err
}

// Due lists open deadlines due on or before today+within (every one for a
// negative within), overdue first
// (they sort first by date), paged. CROSS JOIN keeps SQLite reading the
// due-date index in order (and stopping at the limit) rather than starting
// from every open case.
func (s *Store) Due(ctx context.Context, today domain.Date, within, offset, limit int) ([]DueItem, error) {
	// Every column from the open-deadline index: the case's reference,
	// appellant, track, status and jurisdiction are carried on its
	// deadlines (schema 6), so no case row is read.
	rows, err := s.db.QueryContext(ctx, `SELECT d.case_reference, d.case_appellant, d.kind, d.label, d.due, d.rule, d.provisional,
		d.case_track FROM deadlines d INDEXED BY deadlines_open_due
		WHERE d.status = 'open' AND d.optional = 0 AND d.due <= ? AND d.case_status IN ('allocated', 'new')
		AND (? = '' OR d.case_jurisdiction = ?)
		ORDER BY d.due, d.id LIMIT ? OFFSET ?`, dueUntil(today, within), scope(ctx), scope(ctx), limit, offset)
	return scanDue(today, rows, err)
}

// dueUntil is the last due date of the Due list: today+within, or every
// open deadline for a negative within.
func dueUntil(today domain.Date, within int) string {
	if within < 0 {
		return "9999-12-31"
	}
	return today.AddDays(within).String()
}

func scanDue(today domain.Date, rows *sql.Rows, err error) ([]DueItem, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DueItem{}
	for rows.Next() {
		var d DueItem
		var due, track string
		if err := rows.Scan(&d.Reference, &d.Appellant, &d.Kind, &d.Label, &due, &d.Rule, &d.Provisional, &track); err != nil {
			return nil, err
		}
		d.Due, _ = domain.ParseDate(due)
		d.DaysLeft = today.DaysUntil(d.Due)
		d.Track = domain.Track(track)
		out = append(out, d)
	}
	return out, rows.Err()
}

// filterSQL turns a filter into WHERE terms and arguments over cases c.
func filterSQL(f CaseFilter) (string, []any) {
	var terms []string
	var args []any
	if f.Jurisdiction != "" {
		terms, args = append(terms, "c.jurisdiction = ?"), append(args, f.Jurisdiction)
	}
	if f.Track != "" {
		terms, args = append(terms, "c.track = ?"), append(args, string(f.Track))
	}
	if f.Status != "" {
		terms, args = append(terms, "c.status = ?"), append(args, string(f.Status))
	}
	if f.Subject != "" {
		terms, args = append(terms, "c.subject = ?"), append(args, string(f.Subject))
	}
	if f.Late != nil {
		terms, args = append(terms, "c.late = ?"), append(args, *f.Late)
	}
	if !f.ReceivedBefore.IsZero() {
		terms, args = append(terms, "c.received < ?"), append(args, f.ReceivedBefore.String())
	}
	if !f.ReceivedAfter.IsZero() {
		terms, args = append(terms, "c.received > ?"), append(args, f.ReceivedAfter.String())
	}
	if f.Representative != "" {
		// A prefix of any word of the name, case-insensitively.
		terms = append(terms, "(c.representative LIKE ? ESCAPE '\\' OR c.representative LIKE ? ESCAPE '\\')")
		p := likeEscape(f.Representative)
		args = append(args, p+"%", "% "+p+"%")
	}
	if len(terms) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(terms, " AND "), args
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// orderSQL is a list's order. By appellant it is SQLite's NOCASE: ASCII
// letters folded, then byte order. PostgreSQL's nocase collation (ICU)
// would put Ó with O and Zoë before Zoe Adams; lower() under the C
// collation folds only ASCII letters, and C compares bytes, as SQLite does.
func orderSQL(sort string, pg bool) string {
	switch sort {
	case "oldest":
		return " ORDER BY c.received, c.id"
	case "reference":
		return " ORDER BY c.reference"
	case "appellant":
		if pg {
			return ` ORDER BY lower(c.appellant COLLATE "C") COLLATE "C", c.id`
		}
		return " ORDER BY c.appellant COLLATE NOCASE, c.id"
	default:
		return " ORDER BY c.received DESC, c.id DESC"
	}
}

// Cases lists cases matching the filter, a page at a time.
func (s *Store) Cases(ctx context.Context, f CaseFilter, offset, limit int) ([]CaseRow, error) {
	if f.Jurisdiction == "" {
		f.Jurisdiction = scope(ctx)
	}
	where, args := filterSQL(f)
	q := selectCase + " WHERE 1=1" + where + orderSQL(f.Sort, s.pg) + " LIMIT ? OFFSET ?"
	return scanCaseRows(s.db.QueryContext(ctx, q, append(args, limit, offset)...))
}

// DoneToday counts the allocations a user recorded on a date (for the
// queue's progress line).
func (s *Store) DoneToday(ctx context.Context, opt ActOptions) (int, error) {
	var n int
	// The kind a literal, so the partial index of the day's allocations by
	// user (schema 9) serves it: through events_kind_day every allocation
	// of the day was read for its user.
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events INDEXED BY events_allocated_by
		WHERE kind = 'allocated' AND on_date = ? AND user = ?`, opt.On.String(), opt.User).Scan(&n)
	return n, err
}
