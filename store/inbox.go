package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/caseload/caseload/domain"
)

// StaleDays is how long an open case may go without an event before the
// inbox raises it. No published Tax Chamber threshold exists (DOMAIN.md), so
// it is a setting; 90 days is the default the casework issue proposes.
var StaleDays = 90

// Inbox gathers what needs action today, most urgent first. Each source is
// read through its own index with a bound, so the cost does not grow with
// the caseload.
func (s *Store) Inbox(ctx context.Context, today domain.Date, limit int) ([]InboxItem, error) {
	hidden, err := s.hiddenItems(ctx, today)
	if err != nil {
		return nil, err
	}
	var items []InboxItem
	add := func(it InboxItem) {
		if !hidden[it.Key] {
			items = append(items, it)
		}
	}

	// Deadlines overdue or due within three days.
	due, err := s.Due(ctx, today, 3, 0, limit*2)
	if err != nil {
		return nil, err
	}
	for _, d := range due {
		it := InboxItem{Key: fmt.Sprintf("deadline:%s:%s:%s", d.Reference, d.Kind, d.Due), Reference: d.Reference,
			Appellant: d.Appellant, Due: d.Due}
		switch {
		case d.DaysLeft < 0:
			it.Kind, it.Urgency = "overdue", 100+float64(-d.DaysLeft)
			it.Reason = fmt.Sprintf("%s overdue %s (%s)", lower(d.Label), plural(-d.DaysLeft, "day"), d.Rule)
		case d.DaysLeft == 0:
			it.Kind, it.Urgency = "due-today", 90
			it.Reason = fmt.Sprintf("%s due today (%s)", lower(d.Label), d.Rule)
		default:
			it.Kind, it.Urgency = "due-soon", 60-float64(d.DaysLeft)
			it.Reason = fmt.Sprintf("%s due in %s, %s (%s)", lower(d.Label), plural(d.DaysLeft, "day"), d.Due.Long(), d.Rule)
		}
		add(it)
	}

	// The queue, as one item, and each late appeal in it.
	var queued int
	var oldest sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT value FROM counters WHERE name = 'queue'),
		(SELECT min(received) FROM cases WHERE status = 'new')`).Scan(&queued, &oldest); err != nil {
		return nil, err
	}
	if queued > 0 {
		waited := 0
		if oldest.Valid {
			waited = mustDate(oldest.String).DaysUntil(today)
		}
		add(InboxItem{Key: "queue:" + today.String(), Kind: "queue", Urgency: 70 + float64(min(waited, 20)),
			Reason: fmt.Sprintf("%s to categorise (oldest waiting %s)", plural(queued, "new appeal"), plural(waited, "day"))})
	}
	late, err := scanCaseRows(s.db.QueryContext(ctx,
		selectCase+" WHERE c.status = 'new' AND c.late = 1 ORDER BY c.received, c.reference LIMIT ?", limit))
	if err != nil {
		return nil, err
	}
	for _, c := range late {
		add(InboxItem{Key: "late:" + c.Reference, Kind: "late-appeal", Reference: c.Reference, Appellant: c.Appellant,
			Urgency: 75, Reason: fmt.Sprintf("late appeal needs permission (%s): %s late",
				s.pack.AppealLimit.PermissionRule, plural(c.DaysLate, "day"))})
	}

	// Open cases with no event for StaleDays, oldest first.
	stale, err := scanCaseRows(s.db.QueryContext(ctx, selectCase+
		" WHERE c.status IN ('new', 'allocated', 'stayed') AND c.last_event < ? ORDER BY c.last_event LIMIT ?",
		today.AddDays(-StaleDays).String(), limit))
	if err != nil {
		return nil, err
	}
	for _, c := range stale {
		idle := c.LastEvent.DaysUntil(today)
		add(InboxItem{Key: "stale:" + c.Reference + ":" + c.LastEvent.String(), Kind: "stale", Reference: c.Reference,
			Appellant: c.Appellant, Urgency: 20 + float64(min(idle/30, 20)),
			Reason: fmt.Sprintf("no activity for %s (since %s)", plural(idle, "day"), c.LastEvent.UK())})
	}

	sort.SliceStable(items, func(i, j int) bool { return items[i].Urgency > items[j].Urgency })
	if len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

func (s *Store) hiddenItems(ctx context.Context, today domain.Date) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT item_key FROM inbox_actions WHERE action = 'done' OR until > ?", today.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// Snooze hides an inbox item until a date; it returns on that date.
func (s *Store) Snooze(ctx context.Context, key string, until domain.Date, opt ActOptions) error {
	if !until.After(opt.On) {
		return errors.New("snooze until a date after today")
	}
	return s.inboxAction(ctx, key, "snoozed", nullDate(until), opt)
}

// Dismiss marks an inbox item done.
func (s *Store) Dismiss(ctx context.Context, key string, opt ActOptions) error {
	return s.inboxAction(ctx, key, "done", nil, opt)
}

func (s *Store) inboxAction(ctx context.Context, key, action string, until any, opt ActOptions) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
