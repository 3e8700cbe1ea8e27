package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/caseload/caseload/domain"
)

// MeetDeadline records the step that meets a case's deadline of the given
// kind, dated on (the day it was taken): the rule's met_by event, or
// compliance with a direction. The deadline is then met where it is
// counted (due, show, the inbox).
func (s *Store) MeetDeadline(ctx context.Context, ref, deadlineKind string, on domain.Date, opt ActOptions) (domain.Event, error) {
	var jurisdiction string
	if err := s.db.QueryRowContext(ctx, "SELECT jurisdiction FROM cases WHERE reference = ?", normRef(ref)).Scan(&jurisdiction); err != nil {
		if err == sql.ErrNoRows {
			return domain.Event{}, fmt.Errorf("no case %s", normRef(ref))
		}
		return domain.Event{}, err
	}
	p := s.PackOf(jurisdiction)
	kind, refers, ok := p.MeetingStep(deadlineKind)
	switch {
	case !ok:
		return domain.Event{}, fmt.Errorf("%s: the %s has no deadline %q", normRef(ref), p.Name, deadlineKind)
	case kind == domain.EventReadinessConfirmed:
		return domain.Event{}, fmt.Errorf("%s: readiness is confirmed by each party: record it with :ready appellant and :ready respondent", normRef(ref))
	case kind == domain.EventComplied:
		return s.Record(ctx, ref, domain.Event{Kind: kind, On: on, User: opt.User, Data: domain.EventData{Refers: refers}})
	}
	return s.RecordStep(ctx, ref, kind, ActOptions{User: opt.User, On: on}, StepOptions{})
}

// Resolve takes an inbox item out of the inbox with the event that says
// what was done, in one transaction: e (a casework event checked by the
// case's pack, or an inbox-done trace) on the item's case, then the item
// snoozed until until (a chase: it comes back then) or, with until zero,
// done. An item with no case (the queue) cannot be resolved: it leaves the
// inbox when its work is done.
func (s *Store) Resolve(ctx context.Context, it InboxItem, e domain.Event, until domain.Date, why string, opt ActOptions) (domain.Event, error) {
	if it.Reference == "" {
		return e, fmt.Errorf("%s is not an item of a case: it leaves the inbox when its work is done", it.Key)
	}
	if !until.IsZero() {
		if !until.After(opt.On) {
			return e, fmt.Errorf("%s: snooze until a date after today", it.Reference)
		}
		if err := domain.CheckSnoozeOfOverdue(deadlineDueOfKey(it.Key), until, opt.On, s.SnoozeOverdueMaxDays()); err != nil {
			return e, fmt.Errorf("%s: %w", it.Reference, err)
		}
	}
	e.On, e.User = opt.On, opt.User
	err := s.tx(ctx, func(tx *sql.Tx) error {
		id, err := caseID(ctx, tx, it.Reference)
		if err != nil {
			return err
		}
		if domain.IsTrace(e.Kind) {
			e.Data.Item = it.Key
			e.Detail = "done in the inbox: " + it.Reason
			if t := strings.TrimSpace(e.Data.Text); t != "" {
				e.Detail += "; " + t
			}
		} else {
			// The item it takes out of the inbox goes with it, so an undo
			// brings the item back (a checklist event's item is its own).
			if e.Data.Item == "" && e.Kind != domain.EventChecklist {
				e.Data.Item = it.Key
			}
			events, err := loadEvents(ctx, tx, id)
			if err != nil {
				return err
			}
			var late bool
			if err := tx.QueryRowContext(ctx, "SELECT late FROM cases WHERE id = ?", id).Scan(&late); err != nil {
				return err
			}
			if err := s.prepare(ctx, tx, id, events, late, &e); err != nil {
				return fmt.Errorf("%s: %w", normRef(it.Reference), err)
			}
		}
		if err := s.insertEvent(ctx, tx, id, &e); err != nil {
			return err
		}
		if err := s.refresh(ctx, tx, id); err != nil {
			return err
		}
		action, untilArg := "done", any(nil)
		if !until.IsZero() {
			action, untilArg = "snoozed", until.String()
			sn := domain.Event{Kind: domain.EventSnoozed, On: opt.On, User: opt.User,
				Detail: fmt.Sprintf("snoozed in the inbox until %s after %s: %s", until.Long(), domain.StepName(e.Kind), it.Reason),
				Data:   domain.EventData{Due: until, Item: it.Key, Reason: strings.TrimSpace(why), Refers: e.ID}}
			if err := s.appendTrace(ctx, tx, it.Reference, &sn); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO inbox_actions(item_key, action, until, user, at, reference, why) VALUES (?,?,?,?,?,?,?)
			ON CONFLICT(item_key) DO UPDATE SET action = excluded.action, until = excluded.until,
			user = excluded.user, at = excluded.at, reference = excluded.reference, why = excluded.why`,
			it.Key, action, untilArg, opt.User, s.stamp(opt.On).Format(time.RFC3339), it.Reference, strings.TrimSpace(why))
		return err
	})
	return e, err
}
