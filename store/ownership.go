package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/caseload/caseload/domain"
)

// permitEvent asks the role rules about an event before it is written: the
// one place every case event passes, so the CLI, the UI and the server obey
// the same rules. Ownership events are checked by the ownership calls.
func permitEvent(ctx context.Context, tx *sql.Tx, caseID int64, e *domain.Event) error {
	switch e.Kind {
	case domain.EventTaken, domain.EventReleased, domain.EventAssigned, domain.EventReassigned:
		return nil
	}
	a, err := lookupActor(ctx, tx, e.User)
	if err != nil || !a.team {
		return err
	}
	var ref, owner string
	if err := tx.QueryRowContext(ctx, "SELECT reference, owner FROM cases WHERE id = ?", caseID).Scan(&ref, &owner); err != nil {
		return err
	}
	req := domain.Request{Act: domain.ActCasework, Event: e.Kind, Owner: owner}
	if e.Kind == domain.EventReceived || e.Kind == domain.EventReopened {
		req = domain.Request{Act: domain.ActImport}
	}
	if err := a.role.Permit(e.User, req); err != nil {
		return refusal{ref + ": " + err.Error()}
	}
	return nil
}

// permitMail asks the role rules about a change to a message.
func permitMail(ctx context.Context, tx *sql.Tx, mailID int64, user string) error {
	var owner string
	if err := tx.QueryRowContext(ctx, "SELECT owner FROM mail WHERE id = ?", mailID).Scan(&owner); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no message %d in the mail inbox", mailID)
		}
		return err
	}
	return permit(ctx, tx, user, fmt.Sprintf("message %d", mailID), domain.Request{Act: domain.ActMail, Owner: owner})
}

// Item names a piece of work: a case by reference, or a message by id.
type Item struct {
	Reference string
	MailID    int64
}

func (it Item) String() string {
	if it.MailID != 0 {
		return fmt.Sprintf("message %d", it.MailID)
	}
	return normRef(it.Reference)
}

// ParseItem reads "TC/2026/04101" or "mail:12".
func ParseItem(s string) (Item, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(strings.ToLower(s), "mail:"); ok {
		var id int64
		if _, err := fmt.Sscanf(rest, "%d", &id); err != nil || id <= 0 {
			return Item{}, fmt.Errorf("%q: a message is mail:ID, such as mail:12", s)
		}
		return Item{MailID: id}, nil
	}
	if s == "" {
		return Item{}, errors.New("name a case reference, or mail:ID for a message")
	}
	return Item{Reference: s}, nil
}

// Take claims an available item for the acting user, in one transaction:
// if someone was first it fails with "already taken by NAME". On
// PostgreSQL the item's row is locked before its owner is read, so of two
// claimers the second waits for the first's commit (a few milliseconds)
// and reads who took it, instead of both reading it free and one being
// made to give way and try again (SERIALIZABLE).
func (s *Store) Take(ctx context.Context, it Item, opt ActOptions) error {
	return s.lockTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockItem(ctx, tx, it); err != nil {
			return err
		}
		return s.changeOwnerIn(ctx, tx, it, opt, domain.ActTake, opt.User)
	})
}

// lockItem locks the row of an item for the rest of tx (PostgreSQL; on
// SQLite the transaction is the only writer already). An item that does
// not exist is left for loadOwnership to report.
func (s *Store) lockItem(ctx context.Context, tx *sql.Tx, it Item) error {
	q, arg := "SELECT c.id FROM cases c WHERE c.reference = ?"+s.dialect.lockRow("c"), any(normRef(it.Reference))
	if it.MailID != 0 {
		q, arg = "SELECT m.id FROM mail m WHERE m.id = ?"+s.dialect.lockRow("m"), it.MailID
	}
	var id int64
	if err := tx.QueryRowContext(ctx, q, arg).Scan(&id); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// ErrNothingToTake: no appeal is waiting in the queue that no one owns.
var ErrNothingToTake = errors.New("no appeal waiting in the queue is available to take")

// TakeNext claims the next appeal waiting in the queue that no one owns
// and no queue card holds (the oldest received, the queue's order; within
// the jurisdiction of the context's scope) for the acting user, in one transaction, and
// names it. On PostgreSQL the appeal is chosen with SELECT … FOR UPDATE
// SKIP LOCKED at READ COMMITTED: claimers on every server at once each
// take a different appeal, passing over the one another's transaction
// has locked instead of waiting for it or failing, and one taken and
// committed meanwhile is read again and passed over. On SQLite the one
// writer at a time does the same.
func (s *Store) TakeNext(ctx context.Context, opt ActOptions) (Item, error) {
	var it Item
	err := s.lockTx(ctx, func(tx *sql.Tx) error {
		// Appeals on another caseworker's queue card (reservations.go) are
		// passed over too: theirs to decide while the hold lasts.
		q := `SELECT c.reference FROM cases c INDEXED BY cases_queue WHERE c.status = 'new' AND c.owner = ''
			AND NOT EXISTS (SELECT 1 FROM queue_reservations r WHERE r.case_id = c.id AND r.until_ms > ?)`
		args := []any{s.now().UnixMilli()}
		if j := scope(ctx); j != "" {
			q += " AND c.jurisdiction = ?"
			args = append(args, j)
		}
		var ref string
		err := tx.QueryRowContext(ctx, q+" ORDER BY c.received, c.reference LIMIT 1"+s.dialect.skipLocked("c"), args...).Scan(&ref)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNothingToTake
		}
		if err != nil {
			return err
		}
		it = Item{Reference: ref}
		return s.changeOwnerIn(ctx, tx, it, opt, domain.ActTake, opt.User)
	})
	if err != nil {
		return Item{}, err
	}
	return it, nil
}

// Release gives an item the acting user owns back to the available work.
func (s *Store) Release(ctx context.Context, it Item, opt ActOptions) error {
	return s.changeOwner(ctx, it, opt, domain.ActRelease, "")
}

// Assign gives an item to a user (a team leader's act); reassigning an
// owned item is recorded as a reassignment.
func (s *Store) Assign(ctx context.Context, it Item, to string, opt ActOptions) error {
	to = strings.TrimSpace(to)
	if to == "" {
		return errors.New("assign to whom? name a user")
	}
	return s.changeOwner(ctx, it, opt, domain.ActAssign, to)
}

// ownership is one item's owner and whether it is still open.
type ownership struct {
	caseID, mailID int64
	name           string
	owner          string
	open           bool
}

func loadOwnership(ctx context.Context, tx *sql.Tx, it Item) (ownership, error) {
	o := ownership{mailID: it.MailID}
	if it.MailID != 0 {
		var status string
		err := tx.QueryRowContext(ctx, "SELECT owner, status FROM mail WHERE id = ?", it.MailID).Scan(&o.owner, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return o, fmt.Errorf("no message %d in the mail inbox", it.MailID)
		}
		o.name, o.open = it.String(), status == MailOpen
		return o, err
	}
	id, err := caseID(ctx, tx, it.Reference)
	if err != nil {
		return o, err
	}
	var status string
	if err := tx.QueryRowContext(ctx, "SELECT reference, owner, status FROM cases WHERE id = ?", id).Scan(&o.name, &o.owner, &status); err != nil {
		return o, err
	}
	o.caseID, o.open = id, domain.Status(status).Open()
	return o, nil
}

func (s *Store) changeOwner(ctx context.Context, it Item, opt ActOptions, act domain.Act, to string) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.changeOwnerIn(ctx, tx, it, opt, act, to) })
}

// changeOwnerIn is changeOwner in the caller's transaction (bulk work).
func (s *Store) changeOwnerIn(ctx context.Context, tx *sql.Tx, it Item, opt ActOptions, act domain.Act, to string) error {
	o, err := loadOwnership(ctx, tx, it)
	if err != nil {
		return err
	}
	if !o.open {
		return fmt.Errorf("%s is closed: there is no work on it to own", o.name)
	}
	if err := permit(ctx, tx, opt.User, o.name, domain.Request{Act: act, Owner: o.owner, To: to}); err != nil {
		return err
	}
	kind, detail := "", ""
	switch act {
	case domain.ActTake:
		if strings.EqualFold(o.owner, opt.User) {
			return fmt.Errorf("%s is already yours", o.name)
		}
		if o.owner != "" {
			return fmt.Errorf("%s: already taken by %s", o.name, o.owner)
		}
		kind, detail = domain.EventTaken, "taken by "+opt.User
	case domain.ActRelease:
		if o.owner == "" {
			return fmt.Errorf("%s is not owned by anyone", o.name)
		}
		kind, detail = domain.EventReleased, "released by "+opt.User+" (was "+o.owner+"'s): available to the team"
	case domain.ActAssign:
		a, err := lookupActor(ctx, tx, to)
		if err != nil {
			return fmt.Errorf("%s: cannot assign to %s: %w", o.name, to, err)
		}
		if a.team {
			to = canonicalName(ctx, tx, to)
		}
		if strings.EqualFold(o.owner, to) {
			return fmt.Errorf("%s is already %s's", o.name, to)
		}
		kind, detail = domain.EventAssigned, "assigned to "+to+" by "+opt.User
		if o.owner != "" {
			kind, detail = domain.EventReassigned, "reassigned from "+o.owner+" to "+to+" by "+opt.User
		}
	}
	return s.writeOwner(ctx, tx, o, kind, detail, to, opt)
}

func canonicalName(ctx context.Context, q querier, name string) string {
	var n string
	if q.QueryRowContext(ctx, "SELECT name FROM users WHERE name = ?", name).Scan(&n) == nil {
		return n
	}
	return name
}

// writeOwner records the ownership event and the new owner together.
// Data.To is the new owner and Data.Party the previous one, so the
// workload report counts reassignments from the events.
func (s *Store) writeOwner(ctx context.Context, tx *sql.Tx, o ownership, kind, detail, to string, opt ActOptions) error {
	if o.mailID != 0 {
		if _, err := tx.ExecContext(ctx, "UPDATE mail SET owner = ? WHERE id = ?", to, o.mailID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO mail_events(mail_id, at, on_date, kind, user, detail) VALUES (?,?,?,?,?,?)",
			o.mailID, s.stamp(opt.On).Format(time.RFC3339Nano), opt.On.String(), kind, opt.User, detail)
		return err
	}
	e := domain.Event{Kind: kind, On: opt.On, User: opt.User, Detail: detail, Data: domain.EventData{To: to, Party: o.owner}}
	if err := s.insertEvent(ctx, tx, o.caseID, &e); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE cases SET owner = ? WHERE id = ?", to, o.caseID); err != nil {
		return err
	}
	return s.refresh(ctx, tx, o.caseID)
}

// Owner is who owns an item ("" for available work).
func (s *Store) Owner(ctx context.Context, it Item) (string, error) {
	var owner string
	var err error
	if it.MailID != 0 {
		err = s.db.QueryRowContext(ctx, "SELECT owner FROM mail WHERE id = ?", it.MailID).Scan(&owner)
	} else {
		err = s.db.QueryRowContext(ctx, "SELECT owner FROM cases WHERE reference = ?", normRef(it.Reference)).Scan(&owner)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%s: %w", it, ErrNotFound)
	}
	return owner, err
}

// QueueFor is the queue a user works: appeals waiting, oldest first,
// that are available or theirs (distribution may have given some to
// others).
func (s *Store) QueueFor(ctx context.Context, user string, limit int) ([]CaseRow, error) {
	if j := scope(ctx); j != "" {
		return scanCaseRows(s.db.QueryContext(ctx, selectCaseBy("cases_jurisdiction_queue")+
			" WHERE c.status = 'new' AND c.jurisdiction = ? AND c.owner IN ('', ?) ORDER BY c.received, c.reference LIMIT ?", j, user, limit))
	}
	return scanCaseRows(s.db.QueryContext(ctx, selectCaseBy("cases_queue")+
		" WHERE c.status = 'new' AND c.owner IN ('', ?) ORDER BY c.received, c.reference LIMIT ?", user, limit))
}

// QueueAfterFor is QueueFor paged like QueueAfter: the appeals after
// (received, ref) in queue order that are available or user's.
func (s *Store) QueueAfterFor(ctx context.Context, user string, received domain.Date, ref string, limit int) ([]CaseRow, error) {
	if received.IsZero() {
		return s.QueueFor(ctx, user, limit)
	}
	if j := scope(ctx); j != "" {
		return scanCaseRows(s.db.QueryContext(ctx, selectCaseBy("cases_jurisdiction_queue")+
			" WHERE c.status = 'new' AND c.jurisdiction = ? AND c.owner IN ('', ?) AND (c.received, c.reference) > (?, ?) ORDER BY c.received, c.reference LIMIT ?",
			j, user, received.String(), ref, limit))
	}
	return scanCaseRows(s.db.QueryContext(ctx, selectCaseBy("cases_queue")+
		" WHERE c.status = 'new' AND c.owner IN ('', ?) AND (c.received, c.reference) > (?, ?) ORDER BY c.received, c.reference LIMIT ?",
		user, received.String(), ref, limit))
}

// WorkItem is a case or message on a work list.
type WorkItem struct {
	Reference string      `json:"reference,omitempty"`
	MailID    int64       `json:"mail_id,omitempty"`
	Title     string      `json:"title"` // the appellant, or the message's sender and subject
	What      string      `json:"what"`  // the next deadline, or "reply due"
	Due       domain.Date `json:"due,omitzero"`
	Received  domain.Date `json:"received"`
	Owner     string      `json:"owner"`
	Status    string      `json:"status"`
}

// Item is the work item's identity for Take, Release and Assign.
func (w WorkItem) Item() Item { return Item{Reference: w.Reference, MailID: w.MailID} }

// WorkScope says which work a list shows.
type WorkScope int

// The work lists.
const (
	WorkMine      WorkScope = iota // owned by the user
	WorkAvailable                  // owned by no one
	WorkAll                        // owned by anyone (Owner narrows to one)
)

// WorkFilter picks a work list.
type WorkFilter struct {
	Scope WorkScope
	User  string // WorkMine: whose work; WorkAll: "" for everyone's, else one owner's
}

// Work lists work items by urgency: the earliest open deadline (or reply
// due) first, then the oldest received. Each source is read through an
// index with a bound, never a scan of the caseload.
func (s *Store) Work(ctx context.Context, f WorkFilter, limit int) ([]WorkItem, error) {
	var items []WorkItem
	var err error
	owner := f.User
	switch {
	case f.Scope == WorkMine || (f.Scope == WorkAll && owner != ""):
		items, err = s.ownedCases(ctx, "c.owner = ?", []any{owner}, limit)
	case f.Scope == WorkAvailable:
		items, err = s.casesByDeadline(ctx, "c.owner = ''", limit)
		if err == nil && len(items) < limit {
			// Appeals waiting to be categorised have no deadline yet.
			var waiting []WorkItem
			waiting, err = s.waitingCases(ctx, limit-len(items))
			items = append(items, waiting...)
		}
	default:
		items, err = s.ownedCases(ctx, "1 = 1", nil, limit) // a condition, not an integer: PostgreSQL wants a boolean
	}
	if err != nil {
		return nil, err
	}
	mail, err := s.workMail(ctx, f, limit)
	if err != nil {
		return nil, err
	}
	items = append(items, mail...)
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Due.IsZero() != b.Due.IsZero() {
			return !a.Due.IsZero()
		}
		if a.Due != b.Due {
			return a.Due.Before(b.Due)
		}
		return a.Received.Before(b.Received)
	})
	if len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

// ownedCases: owned open cases matching cond (one owner's: hundreds, not
// millions; everyone's: the oldest limit*10), each with its next deadline.
func (s *Store) ownedCases(ctx context.Context, cond string, args []any, limit int) ([]WorkItem, error) {
	q := `SELECT c.reference, c.appellant, c.received, c.owner, c.status,
		coalesce((SELECT d.label || char(31) || d.due FROM deadlines d WHERE d.case_id = c.id AND d.status = 'open' AND d.optional = 0
			ORDER BY d.due LIMIT 1), '')
		FROM cases c INDEXED BY cases_owner WHERE ` + cond + ` AND c.owner != '' AND c.status NOT IN ('closed', 'returned')`
	if j := scope(ctx); j != "" {
		q += " AND c.jurisdiction = ?"
		args = append(args, j)
	}
	return scanWork(s.db.QueryContext(ctx, q+" ORDER BY c.received, c.id LIMIT ?", append(args, limit*10)...))
}

// waitingCases: appeals no one owns waiting in the queue, oldest first.
func (s *Store) waitingCases(ctx context.Context, limit int) ([]WorkItem, error) {
	q := `SELECT c.reference, c.appellant, c.received, c.owner, c.status, ''
		FROM cases c INDEXED BY cases_queue WHERE c.status = 'new' AND c.owner = ''`
	var args []any
	if j := scope(ctx); j != "" {
		q += " AND c.jurisdiction = ?"
		args = append(args, j)
	}
	return scanWork(s.db.QueryContext(ctx, q+" ORDER BY c.received, c.reference LIMIT ?", append(args, limit)...))
}

func scanWork(rows *sql.Rows, err error) ([]WorkItem, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WorkItem
	for rows.Next() {
		var w WorkItem
		var received, next string
		if err := rows.Scan(&w.Reference, &w.Title, &received, &w.Owner, &w.Status, &next); err != nil {
			return nil, err
		}
		w.Received = mustDate(received)
		if label, due, ok := strings.Cut(next, "\x1f"); ok {
			w.What, w.Due = label, mustDate(due)
		} else if w.Status == string(domain.StatusNew) {
			w.What = "to categorise"
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// casesByDeadline walks open deadlines in date order (their index) and
// keeps the first of each case whose owner matches cond.
func (s *Store) casesByDeadline(ctx context.Context, cond string, limit int) ([]WorkItem, error) {
	q := `SELECT c.reference, c.appellant, c.received, c.owner, c.status, d.label, d.due
		FROM deadlines d INDEXED BY deadlines_open_due JOIN cases c ON c.id = d.case_id
		WHERE d.status = 'open' AND d.optional = 0 AND ` + cond
	var args []any
	if j := scope(ctx); j != "" {
		q += " AND c.jurisdiction = ?"
		args = append(args, j)
	}
	// d.id breaks ties (the index's second column): equal dates in one
	// order on both databases.
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY d.due, d.id LIMIT ?", append(args, limit*4)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []WorkItem
	for rows.Next() && len(out) < limit {
		var w WorkItem
		var received, due string
		if err := rows.Scan(&w.Reference, &w.Title, &received, &w.Owner, &w.Status, &w.What, &due); err != nil {
			return nil, err
		}
		if seen[w.Reference] {
			continue
		}
		seen[w.Reference] = true
		w.Received, w.Due = mustDate(received), mustDate(due)
		out = append(out, w)
	}
	return out, rows.Err()
}

func (s *Store) workMail(ctx context.Context, f WorkFilter, limit int) ([]WorkItem, error) {
	q := "SELECT id, sender, subject, received, reply_due, owner, status FROM mail INDEXED BY mail_open WHERE status = 'open'"
	var args []any
	switch {
	case f.Scope == WorkMine || (f.Scope == WorkAll && f.User != ""):
		q = "SELECT id, sender, subject, received, reply_due, owner, status FROM mail INDEXED BY mail_owner WHERE status = 'open' AND owner = ? AND owner != ''"
		args = append(args, f.User)
	case f.Scope == WorkAvailable:
		q += " AND owner = ''"
	default:
		q += " AND owner != ''"
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY reply_due, id LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WorkItem
	for rows.Next() {
		var w WorkItem
		var sender, subject, received, due string
		if err := rows.Scan(&w.MailID, &sender, &subject, &received, &due, &w.Owner, &w.Status); err != nil {
			return nil, err
		}
		w.Title = sender + ": " + subject
		w.What, w.Received, w.Due = "reply due", mustDate(received), mustDate(due)
		out = append(out, w)
	}
	return out, rows.Err()
}

// WorkloadLine is one owner's share of the team's work.
type WorkloadLine struct {
	Owner         string      `json:"owner"`
	Role          domain.Role `json:"role"`
	OpenCases     int         `json:"open_cases"`
	OpenMail      int         `json:"open_mail"`
	Oldest        domain.Date `json:"oldest,omitzero"`       // the earliest received item they own
	OldestItem    string      `json:"oldest_item,omitempty"` // its reference
	DecidedToday  int         `json:"decided_today"`         // categorised or disposed of today
	Reassignments int         `json:"reassignments"`         // items reassigned to or from them today
}

// Workload counts each user's open work, oldest item, decisions today and
// reassignments today; a line for work no one owns comes last.
func (s *Store) Workload(ctx context.Context, today domain.Date) ([]WorkloadLine, error) {
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	lines := map[string]*WorkloadLine{}
	var order []string
	get := func(name string) *WorkloadLine {
		if l, ok := lines[name]; ok {
			return l
		}
		lines[name] = &WorkloadLine{Owner: name}
		order = append(order, name)
		return lines[name]
	}
	for _, u := range users {
		get(u.Name).Role = u.Role
	}
	// The counts from the owner tally (schema 7), the oldest case from the
	// front of each owner's index range: counting every owned case grew
	// with the caseload.
	rows, err := s.db.QueryContext(ctx, `SELECT owner, cases FROM owner_tally WHERE owner != '' AND cases > 0 ORDER BY owner`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var owner string
		var n int
		if err := rows.Scan(&owner, &n); err != nil {
			rows.Close()
			return nil, err
		}
		get(owner).OpenCases = n
	}
	rows.Close()
	for _, l := range lines {
		if l.OpenCases > 0 {
			var oldest string
			s.db.QueryRowContext(ctx, `SELECT reference, received FROM cases INDEXED BY cases_owner WHERE owner = ? AND owner != '' AND status NOT IN ('closed', 'returned')
				ORDER BY received, id LIMIT 1`, l.Owner).Scan(&l.OldestItem, &oldest)
			l.Oldest = mustDate(oldest)
		}
	}
	rows, err = s.db.QueryContext(ctx, `SELECT owner, count(*), min(received) FROM mail INDEXED BY mail_owner
		WHERE owner != '' AND status = 'open' GROUP BY owner`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var owner, oldest string
		var n int
		if err := rows.Scan(&owner, &n, &oldest); err != nil {
			rows.Close()
			return nil, err
		}
		l := get(owner)
		l.OpenMail = n
		if d := mustDate(oldest); l.Oldest.IsZero() || d.Before(l.Oldest) {
			l.Oldest, l.OldestItem = d, "oldest message"
		}
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT user, count(*) FROM events INDEXED BY events_kind_day
		WHERE kind IN (?, ?) AND on_date = ? GROUP BY user`, domain.EventAllocated, domain.EventDisposed, today.String())
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var user string
		var n int
		if err := rows.Scan(&user, &n); err != nil {
			rows.Close()
			return nil, err
		}
		get(user).DecidedToday = n
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT coalesce(json_extract(data, '$.to'), ''), coalesce(json_extract(data, '$.party'), '')
		FROM events INDEXED BY events_kind_day WHERE kind = ? AND on_date = ?`, domain.EventReassigned, today.String())
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var to, from string
		if err := rows.Scan(&to, &from); err != nil {
			rows.Close()
			return nil, err
		}
		get(to).Reassignments++
		if from != "" {
			get(from).Reassignments++
		}
	}
	rows.Close()
	var mailMoves int
	s.db.QueryRowContext(ctx, "SELECT count(*) FROM mail_events WHERE kind = ? AND on_date = ?", domain.EventReassigned, today.String()).Scan(&mailMoves)
	sort.Strings(order)
	out := make([]WorkloadLine, 0, len(order)+1)
	for _, n := range order {
		out = append(out, *lines[n])
	}
	var free WorkloadLine
	free.Owner = ""
	s.db.QueryRowContext(ctx, `SELECT coalesce(sum(cases), 0) FROM owner_tally WHERE owner = ''`).Scan(&free.OpenCases)
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM mail INDEXED BY mail_open WHERE owner = '' AND status = 'open'`).Scan(&free.OpenMail)
	free.Reassignments = mailMoves
	out = append(out, free)
	return out, nil
}

// Distribution modes for new appeals.
const (
	DistributionOff         = "off"
	DistributionRoundRobin  = "round-robin"
	DistributionLeastLoaded = "least-loaded"
)

// ParseDistribution reads the distribution setting ("" is off).
func ParseDistribution(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", DistributionOff:
		return DistributionOff, nil
	case DistributionRoundRobin:
		return DistributionRoundRobin, nil
	case DistributionLeastLoaded:
		return DistributionLeastLoaded, nil
	}
	return "", fmt.Errorf("distribution %q: use round-robin, least-loaded or off", s)
}

// Distribute gives waiting appeals no one owns to the caseworkers, at most
// limit of them, each an assigned event by "distribution". It returns how
// many it gave.
func (s *Store) Distribute(ctx context.Context, mode string, limit int, on domain.Date) (int, error) {
	if mode == DistributionOff || mode == "" {
		return 0, nil
	}
	n := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		n = 0
		var workers []string
		rows, err := tx.QueryContext(ctx, "SELECT name FROM users WHERE role = ? AND removed IS NULL ORDER BY name", domain.Caseworker)
		if err != nil {
			return err
		}
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				rows.Close()
				return err
			}
			workers = append(workers, w)
		}
		rows.Close()
		if len(workers) == 0 {
			return nil
		}
		load := map[string]int{}
		for _, w := range workers {
			var c int
			tx.QueryRowContext(ctx, "SELECT count(*) FROM cases INDEXED BY cases_owner WHERE owner = ? AND owner != '' AND status NOT IN ('closed', 'returned')", w).Scan(&c)
			load[w] = c
		}
		var next int
		tx.QueryRowContext(ctx, "SELECT value FROM counters WHERE name = 'distribution:next'").Scan(&next)
		var ids []int64
		rows, err = tx.QueryContext(ctx, "SELECT id FROM cases INDEXED BY cases_queue WHERE status = 'new' AND owner = '' ORDER BY received, reference LIMIT ?", limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			var to string
			if mode == DistributionRoundRobin {
				to = workers[next%len(workers)]
				next++
			} else {
				to = workers[0]
				for _, w := range workers[1:] {
					if load[w] < load[to] {
						to = w
					}
				}
			}
			load[to]++
			o := ownership{caseID: id}
			if err := s.writeOwner(ctx, tx, o, domain.EventAssigned, "assigned to "+to+" by distribution ("+mode+")", to,
				ActOptions{User: "distribution", On: on}); err != nil {
				return err
			}
			n++
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO counters(name, value) VALUES ('distribution:next', ?)
			ON CONFLICT(name) DO UPDATE SET value = excluded.value`, next)
		return err
	})
	return n, err
}

// checkOwners compares each owner kept on a row (cases.owner, mail.owner,
// what My work and Available read) with its ownership history: a case's
// last taken, released, assigned or reassigned event, a message's last
// mail event. Part of Check; it reads one row per case and message.
func checkOwners(ctx context.Context, tx *sql.Tx) ([]CheckProblem, error) {
	var out []CheckProblem
	rows, err := tx.QueryContext(ctx, `SELECT c.reference, c.owner, coalesce((SELECT coalesce(json_extract(e.data, '$.to'), '')
		FROM events e INDEXED BY events_case WHERE e.case_id = c.id AND e.kind IN (?,?,?,?) ORDER BY e.id DESC LIMIT 1), '')
		FROM cases c ORDER BY c.id`, domain.EventTaken, domain.EventReleased, domain.EventAssigned, domain.EventReassigned)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ref, owner, history string
		if err := rows.Scan(&ref, &owner, &history); err != nil {
			return nil, err
		}
		if owner != history {
			out = append(out, CheckProblem{ref, ownerMismatch(owner, history)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mail, err := tx.QueryContext(ctx, `SELECT m.id, m.owner, coalesce(e.kind, ''), coalesce(e.user, ''), coalesce(e.detail, '')
		FROM mail m LEFT JOIN mail_events e ON e.id = (SELECT max(id) FROM mail_events WHERE mail_id = m.id) ORDER BY m.id`)
	if err != nil {
		return nil, err
	}
	defer mail.Close()
	for mail.Next() {
		var id int64
		var owner, kind, user, detail string
		if err := mail.Scan(&id, &owner, &kind, &user, &detail); err != nil {
			return nil, err
		}
		if history := mailOwnerAfter(kind, user, detail); owner != history {
			out = append(out, CheckProblem{Problem: fmt.Sprintf("message %d: %s", id, ownerMismatch(owner, history))})
		}
	}
	return out, mail.Err()
}

func ownerMismatch(owner, history string) string {
	name := func(s string) string {
		if s == "" {
			return "nobody"
		}
		return s
	}
	return fmt.Sprintf("kept owner %s does not match its ownership history (%s)", name(owner), name(history))
}

// mailOwnerAfter is the owner a mail event leaves, from the detail
// writeOwner gave it ("assigned to NAME by …", "reassigned from A to NAME
// by …"): user names have no spaces, so the word is the name.
func mailOwnerAfter(kind, user, detail string) string {
	word := func(after string) string {
		_, rest, ok := strings.Cut(detail, after)
		if !ok {
			return ""
		}
		name, _, _ := strings.Cut(rest, " ")
		return name
	}
	switch kind {
	case domain.EventTaken:
		return user
	case domain.EventAssigned:
		return word("assigned to ")
	case domain.EventReassigned:
		return word(" to ")
	}
	return ""
}
