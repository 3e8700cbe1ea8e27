package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/caseload/caseload/domain"
)

// Undo takes back the caseworker's latest action on the case ref with a
// compensating event that names what it undid (domain.UndoTarget decides
// what may be taken back, for the CLI's undo and the UI's u alike). An
// allocation is compensated by allocation-undone, a snooze by
// snooze-undone, anything else by undone; an inbox item the action took
// out of the inbox comes back; a note leaves the lookup index. One
// transaction. The first event returned is the target's compensation.
func (s *Store) Undo(ctx context.Context, ref string, opt ActOptions) ([]domain.Event, error) {
	return s.undo(ctx, ref, opt, "")
}

// undo is Undo; with only set, the target must be of that kind (the
// queue's undo of an allocation).
func (s *Store) undo(ctx context.Context, ref string, opt ActOptions, only string) ([]domain.Event, error) {
	var out []domain.Event
	err := s.tx(ctx, func(tx *sql.Tx) error {
		out = nil
		id, err := caseID(ctx, tx, ref)
		if err != nil {
			return err
		}
		var reference string
		if err := tx.QueryRowContext(ctx, "SELECT reference FROM cases WHERE id = ?", id).Scan(&reference); err != nil {
			return err
		}
		// The role rules first: a read-only user (or a caseworker on
		// someone else's case) hears that, not which action is latest.
		ask := domain.Event{Kind: domain.EventUndone, On: opt.On, User: opt.User}
		if only != "" {
			ask.Kind = domain.EventAllocationUndone
		}
		if err := permitEvent(ctx, tx, id, &ask); err != nil {
			return err
		}
		events, err := loadEvents(ctx, tx, id)
		if err != nil {
			return err
		}
		if latest, ok := domain.LatestAction(events); only != "" && ok && latest.Kind != only && latest.Kind != domain.EventReceived {
			return fmt.Errorf("%s: the latest action is not the allocation but %q on %s (%s): undo refuses to remove an allocation under it",
				reference, latest.Kind, latest.On.UK(), latest.Detail)
		}
		u, err := domain.UndoTarget(reference, events, opt.User)
		if err != nil {
			return err
		}
		notes := u.Target.Kind == domain.EventNote
		for _, w := range u.With {
			notes = notes || w.Kind == domain.EventNote
		}
		if notes {
			// The index must be told exactly what it holds before the note
			// leaves it (ftsSelect leaves undone notes out).
			if err := s.dialect.unindexCase(ctx, tx, id); err != nil {
				return err
			}
		}
		for _, target := range append([]domain.Event{u.Target}, u.With...) {
			e := domain.Event{Kind: domain.EventUndone, On: opt.On, User: opt.User, Detail: domain.UndoDetail(target),
				Data: domain.EventData{Undoes: target.ID, Item: target.Data.Item}}
			switch target.Kind {
			case domain.EventAllocated:
				e.Kind, e.Data.Item = domain.EventAllocationUndone, ""
			case domain.EventSnoozed:
				e.Kind = domain.EventSnoozeUndone
				e.Detail = fmt.Sprintf("snooze until %s undone: back in the inbox", target.Data.Due.Long())
			case domain.EventChecklist:
				e.Data.Item = "" // a checklist item, not an inbox item
			}
			if err := s.insertEvent(ctx, tx, id, &e); err != nil {
				return err
			}
			if target.Kind != domain.EventChecklist && target.Data.Item != "" {
				// The item the action took out of the inbox (done, snoozed)
				// is back today.
				if _, err := tx.ExecContext(ctx, `UPDATE inbox_actions SET action = 'undone', until = NULL, user = ?, at = ?
					WHERE item_key = ? AND reference = ?`, opt.User, s.stamp(opt.On).Format(time.RFC3339), target.Data.Item, reference); err != nil {
					return err
				}
			}
			out = append(out, e)
		}
		rctx := ctx
		if notes {
			rctx = reindexing(ctx, id)
		}
		if err := s.refresh(rctx, tx, id); err != nil {
			return err
		}
		if notes {
			return s.dialect.indexCase(ctx, tx, id)
		}
		return nil
	})
	return out, err
}
