package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/caseload/caseload/domain"
)

// UrgencyWeights are the points an inbox item's urgency is made of, in
// the spirit of taskwarrior's urgency: a transparent sum, each part shown.
// They are settings ([urgency] in config.toml).
type UrgencyWeights struct {
	Overdue        float64 `toml:"overdue"`         // base for a missed deadline
	OverduePerDay  float64 `toml:"overdue_per_day"` // and per day missed
	DueToday       float64 `toml:"due_today"`
	DueSoon        float64 `toml:"due_soon"` // due within three days, less per day left
	Queue          float64 `toml:"queue"`    // appeals waiting, plus one a day the oldest has waited (to 20)
	LateAppeal     float64 `toml:"late_appeal"`
	Referral       float64 `toml:"referral"` // a referral waiting for a response, plus one a day
	Stale          float64 `toml:"stale"`    // an old case
	Urgent         float64 `toml:"urgent"`   // flags
	HighProfile    float64 `toml:"high_profile"`
	Vulnerable     float64 `toml:"vulnerable"`
	Bespoke        float64 `toml:"bespoke"`
	AgePerQuarter  float64 `toml:"age_per_quarter"` // per 13 weeks since the notice was received (to 8 quarters)
	PendingRequest float64 `toml:"pending_request"` // an extension request waiting for a decision
	Ministerial    float64 `toml:"ministerial"`     // judicial review flags
	Media          float64 `toml:"media"`
	Mail           float64 `toml:"mail"`          // a message waiting for a reply
	MailUnlinked   float64 `toml:"mail_unlinked"` // and not yet on a case
	Warning        float64 `toml:"warning"`       // a limit to watch ("promptly") before it is near
	Revisit        float64 `toml:"revisit"`       // a settle-or-defend decision made at an earlier stage (issue 19)
}

// DefaultUrgency weights: missed deadlines first, then today's, then the
// queue; flags lift a case within its band.
func DefaultUrgency() UrgencyWeights {
	return UrgencyWeights{Overdue: 60, OverduePerDay: 2, DueToday: 50, DueSoon: 40, Queue: 30, LateAppeal: 45,
		Referral: 35, Stale: 10, Urgent: 15, HighProfile: 10, Vulnerable: 10, Bespoke: 5, AgePerQuarter: 1,
		PendingRequest: 35, Ministerial: 10, Media: 10, Mail: 25, MailUnlinked: 5, Warning: 20, Revisit: 30}
}

// Inbox gathers what needs action today, most urgent first. Each source is
// read through its own index with a bound, so the cost does not grow with
// the caseload.
func (s *Store) Inbox(ctx context.Context, today domain.Date, limit int) ([]InboxItem, error) {
	return s.InboxOf(ctx, today, "", limit)
}

// InboxOf is the inbox's view of one kind (InboxKinds; "" is the whole
// inbox): only that kind's sources are read, each to the limit, so a view
// is not crowded out by the others.
func (s *Store) InboxOf(ctx context.Context, today domain.Date, kind string, limit int) ([]InboxItem, error) {
	w := s.urgency
	want := func(k string) bool { return kind == "" || kind == k }
	var items []InboxItem
	add := func(it InboxItem) {
		if !want(InboxKindOf(it.Kind)) {
			return
		}
		for _, p := range it.Parts {
			it.Urgency += p.Points
		}
		items = append(items, it)
	}
	var err error
	part := func(name string, pts float64) UrgencyPart { return UrgencyPart{name, pts} }

	// Deadlines (rule deadlines and directions) overdue or due within three days.
	var due []DueItem
	if want("overdue") || want("due") {
		due, err = s.Due(ctx, today, 3, 0, limit*2)
	}
	if err != nil {
		return nil, err
	}
	for _, d := range due {
		it := InboxItem{Key: fmt.Sprintf("deadline:%s:%s:%s", d.Reference, d.Kind, d.Due), Reference: d.Reference,
			Appellant: d.Appellant, Due: d.Due}
		what := lowerFirst(d.Label)
		isDirection := strings.HasPrefix(d.Kind, "direction:")
		switch {
		case d.DaysLeft < 0:
			it.Kind = "overdue"
			// Days overdue count up to 30: after a month every missed deadline is as pressing.
			it.Parts = []UrgencyPart{part("overdue", w.Overdue), part(plural(-d.DaysLeft, "day")+" overdue", w.OverduePerDay*float64(min(-d.DaysLeft, 30)))}
			it.Reason = fmt.Sprintf("%s overdue %s (%s)", what, plural(-d.DaysLeft, "day"), d.Rule)
			if isDirection {
				it.Kind = "direction-overdue"
				it.Reason += ": chase, or refer for non-compliance"
			}
		case d.DaysLeft == 0:
			it.Kind, it.Parts = "due-today", []UrgencyPart{part("due today", w.DueToday)}
			it.Reason = fmt.Sprintf("%s due today (%s)", what, d.Rule)
		default:
			it.Kind, it.Parts = "due-soon", []UrgencyPart{part("due in "+plural(d.DaysLeft, "day"), w.DueSoon-5*float64(d.DaysLeft))}
			it.Reason = fmt.Sprintf("%s due in %s, %s (%s)", what, plural(d.DaysLeft, "day"), d.Due.Long(), d.Rule)
		}
		add(it)
	}

	// Limits to watch: a claim must be made promptly, so the pack shows
	// its limit weeks before it is near.
	var warned []warnedDeadline
	if want("due") {
		warned, err = s.warnings(ctx, today, limit)
	}
	if err != nil {
		return nil, err
	}
	for _, d := range warned {
		add(InboxItem{Key: fmt.Sprintf("warning:%s:%s:%s", d.Reference, d.Kind, d.Due), Kind: "warning",
			Reference: d.Reference, Appellant: d.Appellant, Due: d.Due,
			Parts:  []UrgencyPart{part("limit to watch", w.Warning), part("ends in "+plural(d.DaysLeft, "day"), float64(max(0, 20-d.DaysLeft/7)))},
			Reason: fmt.Sprintf("%s by %s (%s): %s", lowerFirst(d.Label), d.Due.Long(), d.Rule, d.Warning)})
	}

	// Correspondence waiting for a reply, by its service level.
	var mails []Mail
	if want("mail") {
		mails, err = s.MailList(ctx, MailFilter{Status: MailOpen}, 0, limit)
	}
	if err != nil {
		return nil, err
	}
	for _, m := range mails {
		it := InboxItem{Key: fmt.Sprintf("mail:%d", m.ID), Kind: "mail", MailID: m.ID, Reference: m.Reference, Due: m.ReplyDue,
			Parts: []UrgencyPart{part("mail waiting", w.Mail)}}
		left := today.DaysUntil(m.ReplyDue)
		switch {
		case left < 0:
			it.Parts = append(it.Parts, part("reply overdue "+plural(-left, "day"), w.OverduePerDay*float64(min(-left, 30))+w.Overdue/2))
		case left <= 2:
			it.Parts = append(it.Parts, part("reply due in "+plural(left, "day"), float64(3-left)*5))
		}
		subject := m.Subject
		if subject == "" {
			subject = "(no subject)"
		}
		it.Reason = fmt.Sprintf("email from %s: %s (reply by %s)", m.From, subject, m.ReplyDue.Long())
		if m.Reference == "" {
			it.Parts = append(it.Parts, part("not linked to a case", w.MailUnlinked))
			it.Reason = "unlinked " + it.Reason
		}
		add(it)
	}

	// Queries by their service level, and fees owed (query_inbox.go).
	var centre []InboxItem
	if kind == "" {
		centre, err = s.serviceCentreItems(ctx, today, limit)
	}
	if err != nil {
		return nil, err
	}
	for _, it := range centre {
		add(it)
	}

	// The queue, as one item, and each late appeal in it.
	var queued int
	var oldest sql.NullString
	j := scope(ctx)
	q, args := `SELECT (SELECT value FROM counters WHERE name = 'queue'),
		(SELECT min(received) FROM cases INDEXED BY cases_queue WHERE status = 'new')`, []any(nil)
	if j != "" {
		q, args = `SELECT coalesce((SELECT value FROM counters WHERE name = ?), 0),
		(SELECT min(received) FROM cases INDEXED BY cases_jurisdiction_queue WHERE status = 'new' AND jurisdiction = ?)`,
			[]any{"queue@" + j, j}
	}
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&queued, &oldest); err != nil {
		return nil, err
	}
	if queued > 0 {
		waited := 0
		if oldest.Valid {
			waited = mustDate(oldest.String).DaysUntil(today)
		}
		what := plural(queued, "new appeal") + " to categorise"
		if j != "" && len(s.PackOf(j).Intake) > 0 {
			what = fmt.Sprintf("%d new letters before claim and claims to triage", queued)
			if queued == 1 {
				what = "1 new letter before claim or claim to triage"
			}
		}
		add(InboxItem{Key: "queue:" + today.String(), Kind: "queue",
			Parts:  []UrgencyPart{part("appeals waiting", w.Queue), part("oldest waiting "+plural(waited, "day"), float64(min(max(waited, 0), 20)))},
			Reason: fmt.Sprintf("%s (oldest waiting %s)", what, plural(waited, "day"))})
	}
	var late []CaseRow
	if want("queue") {
		// The late appeals' own indexes in queue order (schema 9): through
		// the queue's index every appeal waiting was read to find the late
		// ones, all of them for a rare jurisdiction.
		if j != "" {
			late, err = scanCaseRows(s.db.QueryContext(ctx,
				selectCaseBy("cases_jurisdiction_queue_late")+` WHERE c.status = 'new' AND c.late = 1 AND c.jurisdiction = ?
		ORDER BY c.received, c.reference LIMIT ?`, j, limit))
		} else {
			late, err = scanCaseRows(s.db.QueryContext(ctx,
				selectCaseBy("cases_queue_late")+` WHERE c.status = 'new' AND c.late = 1
		ORDER BY c.received, c.reference LIMIT ?`, limit))
		}
	}
	if err != nil {
		return nil, err
	}
	for _, c := range late {
		p := s.PackOf(c.Jurisdiction)
		reason := fmt.Sprintf("late appeal needs permission (%s): %s late", p.AppealLimit.PermissionRule, plural(c.DaysLate, "day"))
		if len(p.Intake) > 0 {
			reason = fmt.Sprintf("claim made %s after the limit (%s): needs an extension of time (%s)",
				plural(c.DaysLate, "day"), p.AppealLimit.Citation, p.AppealLimit.PermissionRule)
		}
		add(InboxItem{Key: "late:" + c.Reference, Kind: "late-appeal", Reference: c.Reference, Appellant: c.Appellant,
			Parts: []UrgencyPart{part("late appeal", w.LateAppeal)}, Reason: reason})
	}

	// Referrals waiting for a response.
	var referred []CaseRow
	if want("referrals") {
		referred, err = scanCaseRows(s.db.QueryContext(ctx,
			selectCaseBy("cases_referrals_idle")+" WHERE c.open_referrals > 0 AND (? = '' OR c.jurisdiction = ?) ORDER BY c.last_event LIMIT ?", j, j, limit))
	}
	if err != nil {
		return nil, err
	}
	for _, c := range referred {
		waited := c.LastEvent.DaysUntil(today)
		add(InboxItem{Key: "referral:" + c.Reference + ":" + c.LastEvent.String(), Kind: "referral", Reference: c.Reference,
			Appellant: c.Appellant, Parts: []UrgencyPart{part("referral waiting", w.Referral), part(plural(waited, "day")+" waiting", float64(min(waited, 20)))},
			Reason: fmt.Sprintf("%s waiting for a response", plural(c.OpenReferrals, "referral"))})
	}

	// Old cases: no event for stale_days, or older than old_weeks.
	var old []CaseRow
	if want("old") {
		old, err = s.OldCases(ctx, today, 0, limit)
	}
	if err != nil {
		return nil, err
	}
	for _, c := range old {
		idle := c.LastEvent.DaysUntil(today)
		reason := fmt.Sprintf("old case: no activity for %s (since %s)", plural(idle, "day"), c.LastEvent.UK())
		if idle < staleDays(s.PackOf(j)) {
			reason = fmt.Sprintf("old case: received %s, %d weeks ago", c.Received.UK(), c.Received.DaysUntil(today)/7)
		}
		add(InboxItem{Key: "stale:" + c.Reference + ":" + c.LastEvent.String(), Kind: "stale", Reference: c.Reference,
			Appellant: c.Appellant, Parts: []UrgencyPart{part("old case", w.Stale), part("idle "+plural(idle, "day"), float64(min(idle/30, 20)))},
			Reason: reason + ": progress it"})
	}

	// Settle-or-defend decisions to revisit at a new stage (litigation.go).
	revisit, err := s.revisitItems(ctx, today, limit)
	if err != nil {
		return nil, err
	}
	for _, it := range revisit {
		add(it)
	}

	// Items done or snoozed leave, looked up by key: reading every item
	// ever done grew with the history.
	if items, err = s.dropHidden(ctx, today, items); err != nil {
		return nil, err
	}
	refs := map[string]bool{}
	for _, it := range items {
		if it.Reference != "" {
			refs[it.Reference] = true
		}
	}

	// Support needs that matter at a hearing join its readiness check (query_inbox.go).
	if err := s.annotateHearingNeeds(ctx, items); err != nil {
		return nil, err
	}

	// Flags and age lift the items of a case.
	cases, err := s.liftByCase(ctx, today, items, refs)
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i].Urgency = 0
		for _, p := range items[i].Parts {
			items[i].Urgency += p.Points
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Urgency > items[j].Urgency })
	if items, err = s.sideOrder(ctx, items, cases); err != nil {
		return nil, err
	}
	if len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

// warnedDeadline is an open deadline inside its warning period.
type warnedDeadline struct {
	DueItem
	Warning string
}

// warnings lists open deadlines whose warning period has begun but which
// are not yet within the due list's three days, through the warn index.
func (s *Store) warnings(ctx context.Context, today domain.Date, limit int) ([]warnedDeadline, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.reference, c.appellant, d.kind, d.label, d.due, d.rule, d.warning
		FROM deadlines d INDEXED BY deadlines_warn CROSS JOIN cases c ON c.id = d.case_id
		WHERE d.warn IS NOT NULL AND d.status = 'open' AND d.warn <= ? AND d.due > ?
		AND c.status IN ('new', 'allocated') AND (? = '' OR c.jurisdiction = ?)
		ORDER BY d.due LIMIT ?`, today.String(), today.AddDays(3).String(), scope(ctx), scope(ctx), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []warnedDeadline
	for rows.Next() {
		var d warnedDeadline
		var due string
		if err := rows.Scan(&d.Reference, &d.Appellant, &d.Kind, &d.Label, &due, &d.Rule, &d.Warning); err != nil {
			return nil, err
		}
		d.Due = mustDate(due)
		d.DaysLeft = today.DaysUntil(d.Due)
		out = append(out, d)
	}
	return out, rows.Err()
}

// inboxCase is what the inbox reads of an item's case, once for all its
// items: the flags and age that lift them (liftByCase) and the side its
// deadlines are seen from (sideOrder).
type inboxCase struct {
	id                 int64
	flags              []string
	received           domain.Date
	side, jurisdiction string
}

// liftByCase adds the flag and age parts to items, reading the cases'
// flags and received dates in a few batched queries. It returns the cases
// read, by upper-case reference, for sideOrder.
func (s *Store) liftByCase(ctx context.Context, today domain.Date, items []InboxItem, refs map[string]bool) (map[string]inboxCase, error) {
	w := s.urgency
	byRef := map[string]inboxCase{}
	all := make([]any, 0, len(refs))
	for ref := range refs {
		all = append(all, ref)
	}
	for len(all) > 0 {
		n := min(len(all), 500)
		batch := all[:n]
		all = all[n:]
		rows, err := s.db.QueryContext(ctx, "SELECT id, reference, flags, received, side, jurisdiction FROM cases WHERE reference IN (?"+
			strings.Repeat(",?", len(batch)-1)+")", batch...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var ref, flags, received string
			var f inboxCase
			if err := rows.Scan(&f.id, &ref, &flags, &received, &f.side, &f.jurisdiction); err != nil {
				rows.Close()
				return nil, err
			}
			f.received = mustDate(received)
			if flags != "" {
				f.flags = strings.Split(flags, ",")
			}
			byRef[strings.ToUpper(ref)] = f
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	weights := map[string]float64{"urgent": w.Urgent, "high-profile": w.HighProfile, "vulnerable": w.Vulnerable, "bespoke": w.Bespoke,
		"ministerial": w.Ministerial, "media": w.Media}
	for i := range items {
		c, ok := byRef[strings.ToUpper(items[i].Reference)]
		if !ok {
			continue
		}
		for _, f := range c.flags {
			items[i].Parts = append(items[i].Parts, UrgencyPart{"flag " + f, weights[f]})
		}
		if q := min(c.received.DaysUntil(today)/91, 8); q > 0 && w.AgePerQuarter > 0 {
			items[i].Parts = append(items[i].Parts, UrgencyPart{fmt.Sprintf("received %d weeks ago", c.received.DaysUntil(today)/7), w.AgePerQuarter * float64(q)})
		}
	}
	return byRef, nil
}

// dropHidden leaves out the items done, or snoozed past today: one
// primary-key probe of inbox_actions per item.
func (s *Store) dropHidden(ctx context.Context, today domain.Date, items []InboxItem) ([]InboxItem, error) {
	hidden := map[string]bool{}
	const batch = 400
	for at := 0; at < len(items); at += batch {
		part := items[at:min(at+batch, len(items))]
		args := make([]any, 0, len(part)+1)
		for _, it := range part {
			args = append(args, it.Key)
		}
		rows, err := s.db.QueryContext(ctx, "SELECT item_key FROM inbox_actions WHERE item_key IN (?"+strings.Repeat(", ?", len(part)-1)+
			") AND (action = 'done' OR until > ?)", append(args, today.String())...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			hidden[k] = true
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, err
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	if len(hidden) == 0 {
		return items, nil
	}
	kept := items[:0]
	for _, it := range items {
		if !hidden[it.Key] {
			kept = append(kept, it)
		}
	}
	return kept, nil
}

// Dismiss marks an inbox item done.
func (s *Store) Dismiss(ctx context.Context, key string, opt ActOptions) error {
	return s.inboxAction(ctx, key, "done", nil, opt)
}

func (s *Store) inboxAction(ctx context.Context, key, action string, until any, opt ActOptions) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := permit(ctx, tx, opt.User, key, domain.Request{Act: domain.ActInbox}); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO inbox_actions(item_key, action, until, user, at) VALUES (?,?,?,?,?)
			ON CONFLICT(item_key) DO UPDATE SET action = excluded.action, until = excluded.until,
			user = excluded.user, at = excluded.at`, key, action, until, opt.User, s.stamp(opt.On).Format(time.RFC3339))
		return err
	})
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
