package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/caseload/caseload/domain"
)

// The lists' ends and counts: a list on screen says "12 of 1,966" and its
// G reads the last page. Each end page reads the list's own index
// backwards (ORDER BY … DESC LIMIT), so the end costs what the start does;
// the page before it skips only what lies between it and the end.

// DueCount counts the Due list (Due's terms, through the due-date index).
func (s *Store) DueCount(ctx context.Context, today domain.Date, within int) (int, error) {
	var n int
	// The deadlines carry their case's status and jurisdiction (schema 6):
	// counted from the index alone, no case row read for each.
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM deadlines d INDEXED BY deadlines_open_due
		WHERE d.status = 'open' AND d.optional = 0 AND d.due <= ? AND d.case_status IN ('allocated', 'new')
		AND (? = '' OR d.case_jurisdiction = ?)`, dueUntil(today, within), scope(ctx), scope(ctx)).Scan(&n)
	return n, err
}

// DueBack is the limit deadlines of the Due list before its last skip, in
// the list's order.
func (s *Store) DueBack(ctx context.Context, today domain.Date, within, skip, limit int) ([]DueItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.reference, c.appellant, d.kind, d.label, d.due, d.rule, d.provisional,
		coalesce(c.track, '') FROM deadlines d CROSS JOIN cases c ON c.id = d.case_id
		WHERE d.status = 'open' AND d.optional = 0 AND d.due <= ? AND c.status IN ('allocated', 'new')
		AND (? = '' OR c.jurisdiction = ?)
		ORDER BY d.due DESC, d.id DESC LIMIT ? OFFSET ?`, dueUntil(today, within), scope(ctx), scope(ctx), limit, skip)
	out, err := scanDue(today, rows, err)
	slices.Reverse(out)
	return out, err
}

// CaseCount counts the cases the filter lists.
func (s *Store) CaseCount(ctx context.Context, f CaseFilter) (int, error) {
	if f.Jurisdiction == "" {
		f.Jurisdiction = scope(ctx)
	}
	var n int
	if (f == CaseFilter{Jurisdiction: f.Jurisdiction, Sort: f.Sort}) {
		// Every case (of a jurisdiction): the kept count, which imports add
		// to, rather than a count of the whole table (a second at ten
		// million cases).
		name := "cases"
		if f.Jurisdiction != "" {
			name += "@" + f.Jurisdiction
		}
		err := s.db.QueryRowContext(ctx, "SELECT value FROM counters WHERE name = ?", name).Scan(&n)
		if !errors.Is(err, sql.ErrNoRows) {
			return n, err
		}
	}
	where, args := filterSQL(f)
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM cases c WHERE 1=1"+where, args...).Scan(&n)
	return n, err
}

// CasesBack is the limit cases before the last skip of the list the
// filter gives, in the list's order.
func (s *Store) CasesBack(ctx context.Context, f CaseFilter, skip, limit int) ([]CaseRow, error) {
	if f.Jurisdiction == "" {
		f.Jurisdiction = scope(ctx)
	}
	where, args := filterSQL(f)
	q := selectCase + " WHERE 1=1" + where + reverseOrder(orderSQL(f.Sort, s.pg)) + " LIMIT ? OFFSET ?"
	out, err := scanCaseRows(s.db.QueryContext(ctx, q, append(args, limit, skip)...))
	slices.Reverse(out)
	return out, err
}

// reverseOrder turns " ORDER BY a, b DESC" into " ORDER BY a DESC, b".
func reverseOrder(order string) string {
	terms := strings.Split(strings.TrimPrefix(order, " ORDER BY "), ", ")
	for i, t := range terms {
		if r, ok := strings.CutSuffix(t, " DESC"); ok {
			terms[i] = r
		} else {
			terms[i] = t + " DESC"
		}
	}
	return " ORDER BY " + strings.Join(terms, ", ")
}

// oldTerms are OldCases' terms and arguments: the pack's thresholds.
func (s *Store) oldTerms(ctx context.Context, today domain.Date) (index, where string, args []any) {
	j := scope(ctx)
	p := s.PackOf(j)
	stale := today.AddDays(-staleDays(p)).String()
	old := today.AddDays(-7 * oldWeeks(p)).String()
	if j != "" {
		return "cases_jurisdiction_stale", ` WHERE c.status IN ('new', 'allocated', 'stayed') AND c.jurisdiction = ? AND (c.last_event < ? OR c.received < ?)`,
			[]any{j, stale, old}
	}
	return "cases_stale", ` WHERE c.status IN ('new', 'allocated', 'stayed') AND (c.last_event < ? OR c.received < ?)`, []any{stale, old}
}

// OldCaseCount counts the old cases (OldCases' terms).
func (s *Store) OldCaseCount(ctx context.Context, today domain.Date) (int, error) {
	index, where, args := s.oldTerms(ctx, today)
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM cases c INDEXED BY "+index+where, args...).Scan(&n)
	return n, err
}

// OldCasesBack is the limit old cases before the last skip, in the
// list's order (oldest activity first).
func (s *Store) OldCasesBack(ctx context.Context, today domain.Date, skip, limit int) ([]CaseRow, error) {
	index, where, args := s.oldTerms(ctx, today)
	out, err := scanCaseRows(s.db.QueryContext(ctx, selectCaseBy(index)+where+" ORDER BY c.last_event DESC, c.id DESC LIMIT ? OFFSET ?",
		append(args, limit, skip)...))
	slices.Reverse(out)
	return out, err
}

// InboxKinds are the inbox's views by kind, in the order a key cycles
// them ("" is everything).
var InboxKinds = []string{"", "overdue", "due", "mail", "referrals", "queue", "old"}

// InboxKindOf is the view an item of kind belongs to ("" for items only
// the whole inbox shows: queries and fees, which have the Queries tab).
func InboxKindOf(kind string) string {
	switch kind {
	case "overdue", "direction-overdue":
		return "overdue"
	case "due-today", "due-soon", "warning":
		return "due"
	case "mail":
		return "mail"
	case "referral":
		return "referrals"
	case "queue", "late-appeal":
		return "queue"
	case "stale":
		return "old"
	}
	return ""
}

// InboxCounts are how many items each of the inbox's views holds, counted
// from the indexes its sources read (snoozed and done items left out, as
// the inbox leaves them out), never by gathering the items.
//
// Each count stops at InboxCountMost+1: counting every overdue deadline or
// old case of a national caseload would read the whole index at start-up
// (the old cases alone are 7% of the cases), and past a thousand the
// number only says "many". Capped reports whether a count stopped there.
type InboxCounts struct {
	Overdue   int `json:"overdue"`
	Due       int `json:"due"` // due today, within three days, or a limit to watch
	Mail      int `json:"mail"`
	Referrals int `json:"referrals"`
	Queue     int `json:"queue"` // the queue's own item and each late appeal in it
	Old       int `json:"old"`
	// More names the views whose count stopped at InboxCountMost: they
	// hold at least that many.
	More []string `json:"more,omitempty"`
}

// InboxCountMost is the most an inbox count counts to: a count above it
// reads as "1,000+", so start-up reads no more of an index than that.
const InboxCountMost = 1000

// Capped reports whether a view's count (InboxCounts.Of; "" the whole
// inbox) stopped at InboxCountMost: the view holds at least that many.
func (c InboxCounts) Capped(kind string) bool {
	if kind == "" {
		return len(c.More) > 0
	}
	return slices.Contains(c.More, kind)
}

// countUpTo turns "SELECT count(*) FROM … WHERE …" into a count that stops
// after a number of rows, the statement's last argument (LIMIT).
func countUpTo(q string) string {
	const head = "SELECT count(*) FROM "
	if !strings.HasPrefix(q, head) {
		panic("countUpTo: not a count: " + q)
	}
	return "SELECT count(*) FROM (SELECT 1 FROM " + q[len(head):] + " LIMIT ?) AS counted"
}

// Of is the count of a view (InboxKinds).
func (c InboxCounts) Of(kind string) int {
	switch kind {
	case "overdue":
		return c.Overdue
	case "due":
		return c.Due
	case "mail":
		return c.Mail
	case "referrals":
		return c.Referrals
	case "queue":
		return c.Queue
	case "old":
		return c.Old
	}
	return c.Overdue + c.Due + c.Mail + c.Referrals + c.Queue + c.Old
}

// hiddenSQL is true for an item key snoozed or done (hiddenItems' terms).
const hiddenSQL = `EXISTS (SELECT 1 FROM inbox_actions a WHERE a.item_key = %s AND (a.action = 'done' OR a.until > ?))`

// InboxCounts counts the inbox's views.
func (s *Store) InboxCounts(ctx context.Context, today domain.Date) (InboxCounts, error) {
	var c InboxCounts
	j, t := scope(ctx), today.String()
	deadlineKey := "'deadline:' || d.case_reference || ':' || d.kind || ':' || d.due"
	most := InboxCountMost
	if s.inboxCountMost > 0 {
		most = s.inboxCountMost
	}
	count := func(dst *int, kind, q string, args ...any) error {
		var n int
		if err := s.db.QueryRowContext(ctx, countUpTo(q), append(args, most+1)...).Scan(&n); err != nil {
			return err
		}
		if n > most {
			n = most
			if !c.Capped(kind) {
				c.More = append(c.More, kind)
			}
		}
		*dst += n
		return nil
	}
	// The deadlines carry their case's reference, status and jurisdiction
	// (schema 6): counted from the open-deadline index, no case row read.
	// Joined to the cases, PostgreSQL at 1M hashed the 186,000 open cases
	// for 935 overdue deadlines (0.6–0.9 s, the start-up's slowest read).
	dl := `SELECT count(*) FROM deadlines d INDEXED BY deadlines_open_due
		WHERE d.status = 'open' AND d.optional = 0 AND %s AND d.case_status IN ('allocated', 'new')
		AND (? = '' OR d.case_jurisdiction = ?) AND NOT ` + fmt.Sprintf(hiddenSQL, deadlineKey)
	if err := count(&c.Overdue, "overdue", fmt.Sprintf(dl, "d.due < ?"), t, j, j, t); err != nil {
		return c, err
	}
	if err := count(&c.Due, "due", fmt.Sprintf(dl, "d.due >= ? AND d.due <= ?"), t, today.AddDays(3).String(), j, j, t); err != nil {
		return c, err
	}
	var warned int
	if err := count(&warned, "due", `SELECT count(*) FROM deadlines d INDEXED BY deadlines_warn CROSS JOIN cases c ON c.id = d.case_id
		WHERE d.warn IS NOT NULL AND d.status = 'open' AND d.warn <= ? AND d.due > ?
		AND c.status IN ('new', 'allocated') AND (? = '' OR c.jurisdiction = ?) AND NOT `+
		fmt.Sprintf(hiddenSQL, "'warning:' || c.reference || ':' || d.kind || ':' || d.due"),
		t, today.AddDays(3).String(), j, j, t); err != nil {
		return c, err
	}
	c.Due += warned
	if err := count(&c.Mail, "mail", `SELECT count(*) FROM mail m LEFT JOIN cases c ON c.id = m.case_id
		WHERE m.status = 'open' AND (? = '' OR m.case_id IS NULL OR c.jurisdiction = ?) AND NOT `+
		fmt.Sprintf(hiddenSQL, "'mail:' || m.id"), j, j, t); err != nil {
		return c, err
	}
	if err := count(&c.Referrals, "referrals", `SELECT count(*) FROM cases c WHERE c.open_referrals > 0 AND (? = '' OR c.jurisdiction = ?) AND NOT `+
		fmt.Sprintf(hiddenSQL, "'referral:' || c.reference || ':' || c.last_event"), j, j, t); err != nil {
		return c, err
	}
	if err := count(&c.Queue, "queue", `SELECT count(*) FROM cases c INDEXED BY cases_queue WHERE c.status = 'new' AND c.late = 1
		AND (? = '' OR c.jurisdiction = ?) AND NOT `+fmt.Sprintf(hiddenSQL, "'late:' || c.reference"), j, j, t); err != nil {
		return c, err
	}
	var queued int
	q, args := `SELECT coalesce((SELECT value FROM counters WHERE name = 'queue'), 0)`, []any(nil)
	if j != "" {
		q, args = `SELECT coalesce((SELECT value FROM counters WHERE name = ?), 0)`, []any{"queue@" + j}
	}
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&queued); err != nil {
		return c, err
	}
	if queued > 0 {
		// A bool: EXISTS is one on PostgreSQL (an integer on SQLite).
		var hidden bool
		if err := s.db.QueryRowContext(ctx, "SELECT "+fmt.Sprintf(hiddenSQL, "?"), "queue:"+t, t).Scan(&hidden); err != nil {
			return c, err
		}
		if !hidden {
			c.Queue++
		}
	}
	index, where, oargs := s.oldTerms(ctx, today)
	err := count(&c.Old, "old", "SELECT count(*) FROM cases c INDEXED BY "+index+where+" AND NOT "+
		fmt.Sprintf(hiddenSQL, "'stale:' || c.reference || ':' || c.last_event"), append(oargs, t)...)
	return c, err
}
