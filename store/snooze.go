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

// Snoozed is an inbox item hidden until a date: the snoozed view lists
// them so each can be seen and brought back.
type Snoozed struct {
	Key       string      `json:"key"`
	Reference string      `json:"reference"` // "" for the queue or an unlinked message
	Until     domain.Date `json:"until"`
	User      string      `json:"user"`
	Why       string      `json:"why"`
	At        time.Time   `json:"at"`
}

// SnoozeOverdueMaxDays is the store's cap on snoozing a missed deadline
// (setting snooze_overdue_max_days).
func (s *Store) SnoozeOverdueMaxDays() int {
	if s.snoozeOverdueMax > 0 {
		return s.snoozeOverdueMax
	}
	return domain.DefaultSnoozeOverdueMaxDays
}

// deadlineDueOfKey is the due date a deadline item's key ends with
// (deadline:REF:KIND:YYYY-MM-DD), zero for other items.
func deadlineDueOfKey(key string) domain.Date {
	if !strings.HasPrefix(key, "deadline:") {
		return domain.Date{}
	}
	d, err := domain.ParseDate(key[strings.LastIndexByte(key, ':')+1:])
	if err != nil {
		return domain.Date{}
	}
	return d
}

// Snooze hides the inbox item it until a date; it returns on that date. An
// item of a case is recorded on its timeline (who, until when, why) in the
// same transaction, so nothing leaves the inbox without a trace. A missed
// deadline may be snoozed at most snooze_overdue_max_days.
func (s *Store) Snooze(ctx context.Context, it InboxItem, until domain.Date, why string, opt ActOptions) error {
	if !until.After(opt.On) {
		return errors.New("snooze until a date after today")
	}
	if err := domain.CheckSnoozeOfOverdue(deadlineDueOfKey(it.Key), until, opt.On, s.SnoozeOverdueMaxDays()); err != nil {
		return fmt.Errorf("%s: %w", it.Reference, err)
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return s.snoozeIn(ctx, tx, it, until, why, opt) })
}

// snoozeIn records a snooze in the caller's transaction; the dates are
// checked by the caller (Snooze, bulk work).
func (s *Store) snoozeIn(ctx context.Context, tx *sql.Tx, it InboxItem, until domain.Date, why string, opt ActOptions) error {
	why = strings.TrimSpace(why)
	if it.Reference == "" {
		// No case, so no case event to ask the role rules: ask here.
		if err := permit(ctx, tx, opt.User, it.Key, domain.Request{Act: domain.ActInbox}); err != nil {
			return err
		}
	} else {
		detail := fmt.Sprintf("snoozed in the inbox until %s: %s", until.Long(), it.Reason)
		if why != "" {
			detail += "; why: " + why
		}
		e := domain.Event{Kind: domain.EventSnoozed, On: opt.On, User: opt.User, Detail: detail,
			Data: domain.EventData{Due: until, Item: it.Key, Reason: why}}
		if err := s.appendTrace(ctx, tx, it.Reference, &e); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO inbox_actions(item_key, action, until, user, at, reference, why) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(item_key) DO UPDATE SET action = excluded.action, until = excluded.until,
		user = excluded.user, at = excluded.at, reference = excluded.reference, why = excluded.why`,
		it.Key, "snoozed", until.String(), opt.User, s.stamp(opt.On).Format(time.RFC3339), it.Reference, why)
	return err
}

// appendTrace adds an event that changes no casework state (a snooze, its
// undoing) to the case ref, in the caller's transaction.
func (s *Store) appendTrace(ctx context.Context, tx *sql.Tx, ref string, e *domain.Event) error {
	id, err := caseID(ctx, tx, ref)
	if err != nil {
		return err
	}
	if err := s.insertEvent(ctx, tx, id, e); err != nil {
		return err
	}
	return s.refresh(ctx, tx, id)
}

// SnoozedItems lists the items snoozed until after today, soonest back
// first.
func (s *Store) SnoozedItems(ctx context.Context, today domain.Date, limit int) ([]Snoozed, error) {
	j := scope(ctx)
	rows, err := s.db.QueryContext(ctx, `SELECT a.item_key, a.reference, a.until, a.user, a.why, a.at
		FROM inbox_actions a LEFT JOIN cases c ON c.reference = a.reference AND a.reference != ''
		WHERE a.action = 'snoozed' AND a.until > ? AND (? = '' OR c.jurisdiction = ?)
		ORDER BY a.until, a.item_key LIMIT ?`, today.String(), j, j, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Snoozed
	for rows.Next() {
		var sn Snoozed
		var until, at string
		if err := rows.Scan(&sn.Key, &sn.Reference, &until, &sn.User, &sn.Why, &at); err != nil {
			return nil, err
		}
		sn.Until = mustDate(until)
		sn.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, sn)
	}
	return out, rows.Err()
}

// ErrNotSnoozed: the item is not snoozed (it came back, or was undone).
var ErrNotSnoozed = errors.New("not snoozed")

// Unsnooze brings a snoozed item back today, recording on its case a
// compensating event that names the snooze it undoes.
func (s *Store) Unsnooze(ctx context.Context, key string, opt ActOptions) (Snoozed, error) {
	var sn Snoozed
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		sn, err = s.unsnoozeIn(ctx, tx, key, opt)
		return err
	})
	return sn, err
}

// unsnoozeIn is Unsnooze in the caller's transaction (bulk undo).
func (s *Store) unsnoozeIn(ctx context.Context, tx *sql.Tx, key string, opt ActOptions) (Snoozed, error) {
	var sn Snoozed
	err := func() error {
		var until string
		err := tx.QueryRowContext(ctx, `SELECT item_key, reference, until FROM inbox_actions
			WHERE item_key = ? AND action = 'snoozed' AND until > ?`, key, opt.On.String()).Scan(&sn.Key, &sn.Reference, &until)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: %w", key, ErrNotSnoozed)
		}
		if err != nil {
			return err
		}
		sn.Until = mustDate(until)
		if sn.Reference == "" {
			if err := permit(ctx, tx, opt.User, key, domain.Request{Act: domain.ActInbox}); err != nil {
				return err
			}
		} else {
			var snoozeID int64
			id, err := caseID(ctx, tx, sn.Reference)
			if err != nil {
				return err
			}
			// The latest snooze of this item on the case is the one undone.
			if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM events WHERE case_id = ? AND kind = ?
				AND json_extract(data, '$.item') = ?`, id, domain.EventSnoozed, key).Scan(&snoozeID); err != nil {
				return err
			}
			e := domain.Event{Kind: domain.EventSnoozeUndone, On: opt.On, User: opt.User,
				Detail: fmt.Sprintf("snooze until %s undone: back in the inbox", sn.Until.Long()),
				Data:   domain.EventData{Undoes: snoozeID, Item: key}}
			if err := s.appendTrace(ctx, tx, sn.Reference, &e); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE inbox_actions SET action = 'unsnoozed', until = NULL, user = ?, at = ?
			WHERE item_key = ?`, opt.User, s.stamp(opt.On).Format(time.RFC3339), key)
		return err
	}()
	return sn, err
}
