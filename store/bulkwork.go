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

// Bulk work: one action done to several marked cases at once. Each case
// gets its own event, every event carries the batch's id, and the whole
// batch is one transaction: one refusal refuses the lot, naming the case
// and the reason. UndoBatch compensates every event of a batch, again in
// one transaction.

// The bulk actions.
const (
	BulkSnooze   = "snooze"
	BulkFlag     = "flag"
	BulkRefer    = "refer"
	BulkAssign   = "assign"
	BulkAllocate = "allocate"
)

// BulkActions are the actions that can be done to marked rows.
var BulkActions = []string{BulkSnooze, BulkFlag, BulkRefer, BulkAssign, BulkAllocate}

// BulkAction is what is done to every marked case.
type BulkAction struct {
	Kind  string
	Until domain.Date  // snooze: back in the inbox on
	Why   string       // snooze: why (on the timeline); allocate: the reason to re-categorise
	Flag  string       // flag
	To    string       // refer: judge or registrar; assign: the user
	Note  string       // refer: the note for the judge or registrar
	Track domain.Track // allocate
}

// BulkTarget is one marked row: its case, and for a snooze the inbox item
// hidden (a deadline's item on the Due screen).
type BulkTarget struct {
	Reference string
	Item      InboxItem
}

// Batch is what a bulk action (or its undo) did.
type Batch struct {
	ID         int64    `json:"batch"`
	Action     string   `json:"action"`
	References []string `json:"references"` // the cases acted on, in the order marked
	Events     int      `json:"events"`
}

// ErrNothingMarked: a bulk action with no case to act on.
var ErrNothingMarked = errors.New("nothing is marked")

type (
	batchKey     struct{}
	undoBatchKey struct{}
)

// batchOf is the batch the events written under ctx belong to (0: none).
func batchOf(ctx context.Context) int64 {
	b, _ := ctx.Value(batchKey{}).(int64)
	return b
}

func undoBatchOf(ctx context.Context) int64 {
	b, _ := ctx.Value(undoBatchKey{}).(int64)
	return b
}

// nextEventID is the id the next event will take: the transaction holds
// the write lock, and events are never deleted, so no later batch can
// start at or below it.
func nextEventID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM events").Scan(&id)
	return id, err
}

// named makes sure an error names the case it is about.
func named(ref string, err error) error {
	if err == nil || strings.Contains(err.Error(), ref) {
		return err
	}
	return fmt.Errorf("%s: %w", ref, err)
}

// Bulk does a to every target in one transaction.
func (s *Store) Bulk(ctx context.Context, targets []BulkTarget, a BulkAction, opt ActOptions) (Batch, error) {
	b := Batch{Action: a.Kind}
	if len(targets) == 0 {
		return b, fmt.Errorf("%s: %w: mark the cases first", a.Kind, ErrNothingMarked)
	}
	var seen []string
	var todo []BulkTarget
	for _, t := range targets {
		t.Reference = normRef(t.Reference)
		if t.Reference == "" {
			return b, fmt.Errorf("%s: a marked row has no case", a.Kind)
		}
		key := t.Reference
		if a.Kind == BulkSnooze {
			key = t.Item.Key
		}
		if slices.Contains(seen, key) {
			continue
		}
		seen = append(seen, key)
		todo = append(todo, t)
	}
	switch a.Kind {
	case BulkSnooze:
		if !a.Until.After(opt.On) {
			return b, errors.New("snooze until a date after today")
		}
		for _, t := range todo {
			if t.Item.Key == "" {
				return b, fmt.Errorf("%s is not an inbox item: snooze marks on the Inbox or Due screen", t.Reference)
			}
			if err := domain.CheckSnoozeOfOverdue(deadlineDueOfKey(t.Item.Key), a.Until, opt.On, s.SnoozeOverdueMaxDays()); err != nil {
				return b, fmt.Errorf("%s: %w", t.Reference, err)
			}
		}
	case BulkAllocate:
		if _, err := domain.ParseTrack(string(a.Track)); err != nil {
			return b, err
		}
	case BulkAssign:
		if strings.TrimSpace(a.To) == "" {
			return b, errors.New("assign to whom? name a user")
		}
	case BulkFlag, BulkRefer:
	default:
		return b, fmt.Errorf("%q is not a bulk action (use %s)", a.Kind, strings.Join(BulkActions, ", "))
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		id, err := nextEventID(ctx, tx)
		if err != nil {
			return err
		}
		b.ID, b.References, b.Events = id, nil, 0
		bctx := context.WithValue(ctx, batchKey{}, id)
		for _, t := range todo {
			if err := named(t.Reference, s.bulkOne(bctx, tx, t, a, opt)); err != nil {
				return err
			}
			if !slices.Contains(b.References, t.Reference) {
				b.References = append(b.References, t.Reference)
			}
			b.Events++
		}
		return nil
	})
	if err != nil {
		return Batch{Action: a.Kind}, err
	}
	return b, nil
}

func (s *Store) bulkOne(ctx context.Context, tx *sql.Tx, t BulkTarget, a BulkAction, opt ActOptions) error {
	switch a.Kind {
	case BulkSnooze:
		it := t.Item
		it.Reference = t.Reference
		return s.snoozeIn(ctx, tx, it, a.Until, a.Why, opt)
	case BulkFlag:
		e := domain.Event{Kind: domain.EventFlagSet, On: opt.On, User: opt.User, Data: domain.EventData{Flag: a.Flag}}
		_, err := s.recordIn(ctx, tx, t.Reference, &e, s.caseworkCheck(ctx, &e))
		return err
	case BulkRefer:
		e := domain.Event{Kind: domain.EventReferred, On: opt.On, User: opt.User, Data: domain.EventData{To: a.To, Text: a.Note}}
		_, err := s.recordIn(ctx, tx, t.Reference, &e, s.caseworkCheck(ctx, &e))
		return err
	case BulkAssign:
		return s.changeOwnerIn(ctx, tx, Item{Reference: t.Reference}, opt, domain.ActAssign, strings.TrimSpace(a.To))
	case BulkAllocate:
		e := domain.Event{Kind: domain.EventAllocated, On: opt.On, User: opt.User}
		_, err := s.recordIn(ctx, tx, t.Reference, &e, s.allocationCheck(a.Track, CategoriseOptions{ActOptions: opt, Reason: a.Why}, &e))
		return err
	}
	return fmt.Errorf("%q is not a bulk action", a.Kind)
}

// withRef scans an event row followed by its case's reference.
type withRef struct {
	rows *sql.Rows
	ref  *string
}

func (w withRef) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.ref)...) }

// batchEvent is one event of a batch, with its case.
type batchEvent struct {
	caseID int64
	ref    string
	e      domain.Event
}

// UndoBatch compensates every event of batch id in one transaction: a
// snooze is brought back, a flag cleared, a referral withdrawn, an
// assignment given back, an allocation undone, each by an event on its
// case. An event already put right on its own is left as it is; a case
// that has moved on since (re-allocated, taken by someone else, the
// referral answered) refuses the lot, naming the case.
func (s *Store) UndoBatch(ctx context.Context, id int64, opt ActOptions) (Batch, error) {
	var b Batch
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// The role rules before whether the batch can be undone: a
		// read-only user hears that they change nothing.
		if err := permit(ctx, tx, opt.User, fmt.Sprintf("bulk action %d", id), domain.Request{Act: domain.ActCasework, Event: domain.EventUndone}); err != nil {
			return err
		}
		var undoneOn sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT min(on_date) FROM events WHERE id > ? AND CAST(json_extract(data, '$.undoes_batch') AS BIGINT) = ?`,
			id, id).Scan(&undoneOn); err != nil {
			return err
		}
		if undoneOn.Valid {
			return fmt.Errorf("bulk action %d was undone already, on %s: %w", id, mustDate(undoneOn.String).UK(), ErrNothingToUndo)
		}
		rows, err := tx.QueryContext(ctx, `SELECT e.case_id, e.id, e.at, e.on_date, e.kind, e.user, e.detail, e.data, c.reference
			FROM events e JOIN cases c ON c.id = e.case_id
			WHERE e.id >= ? AND CAST(json_extract(e.data, '$.batch') AS BIGINT) = ? ORDER BY e.id`, id, id)
		if err != nil {
			return err
		}
		var evs []batchEvent
		for rows.Next() {
			var be batchEvent
			if be.caseID, be.e, err = scanEvent(withRef{rows, &be.ref}); err != nil {
				rows.Close()
				return err
			}
			evs = append(evs, be)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(evs) == 0 {
			return fmt.Errorf("no bulk action %d: %w", id, ErrNothingToUndo)
		}
		b = Batch{ID: id, Action: bulkActionOf(evs[0].e.Kind)}
		uctx := context.WithValue(ctx, undoBatchKey{}, id)
		for _, be := range evs {
			did, err := s.compensate(uctx, tx, be, opt)
			if err != nil {
				return named(be.ref, err)
			}
			if !slices.Contains(b.References, be.ref) {
				b.References = append(b.References, be.ref)
			}
			if did {
				b.Events++
			}
		}
		return nil
	})
	return b, err
}

func bulkActionOf(kind string) string {
	switch kind {
	case domain.EventSnoozed:
		return BulkSnooze
	case domain.EventFlagSet:
		return BulkFlag
	case domain.EventReferred:
		return BulkRefer
	case domain.EventAssigned, domain.EventReassigned:
		return BulkAssign
	case domain.EventAllocated:
		return BulkAllocate
	}
	return kind
}

// compensate writes the event that puts one event of a batch right; false
// if it had been put right already.
func (s *Store) compensate(ctx context.Context, tx *sql.Tx, be batchEvent, opt ActOptions) (bool, error) {
	e := be.e
	var later bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM events WHERE case_id = ? AND id > ? AND CAST(json_extract(data, '$.undoes') AS BIGINT) = ?)`,
		be.caseID, e.ID, e.ID).Scan(&later); err != nil {
		return false, err
	}
	if later {
		return false, nil // undone on its own since
	}
	events, err := loadEvents(ctx, tx, be.caseID)
	if err != nil {
		return false, err
	}
	st := domain.Replay(events)
	trace := func(ev domain.Event) (bool, error) {
		ev.On, ev.User = opt.On, opt.User
		if err := s.insertEvent(ctx, tx, be.caseID, &ev); err != nil {
			return false, err
		}
		return true, s.refresh(ctx, tx, be.caseID)
	}
	switch e.Kind {
	case domain.EventSnoozed:
		var until, action string
		var latest int64
		err := tx.QueryRowContext(ctx, `SELECT action, coalesce(until, '') FROM inbox_actions WHERE item_key = ?`, e.Data.Item).Scan(&action, &until)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (action != "snoozed" || until <= opt.On.String()) {
			return false, nil // back in the inbox already
		}
		if err != nil {
			return false, err
		}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM events WHERE case_id = ? AND kind = ? AND json_extract(data, '$.item') = ?`,
			be.caseID, domain.EventSnoozed, e.Data.Item).Scan(&latest); err != nil {
			return false, err
		}
		if latest != e.ID {
			return false, fmt.Errorf("snoozed again since (until %s): undo that snooze from the snoozed view (Z)", mustDate(until).UK())
		}
		_, err = s.unsnoozeIn(ctx, tx, e.Data.Item, opt)
		return err == nil, err
	case domain.EventFlagSet:
		if !slices.Contains(st.Flags, e.Data.Flag) {
			return false, nil
		}
		ce := domain.Event{Kind: domain.EventFlagCleared, On: opt.On, User: opt.User, Data: domain.EventData{Flag: e.Data.Flag, Undoes: e.ID}}
		_, err := s.recordIn(ctx, tx, be.ref, &ce, s.caseworkCheck(ctx, &ce))
		return err == nil, err
	case domain.EventReferred:
		for _, r := range st.Referrals {
			if r.ID != e.ID {
				continue
			}
			if !r.Answered.IsZero() {
				return false, fmt.Errorf("the referral to the %s was answered on %s: it cannot be withdrawn", r.To, r.Answered.UK())
			}
			return trace(domain.Event{Kind: domain.EventReferralWithdrawn, Data: domain.EventData{Undoes: e.ID, To: r.To},
				Detail: "referral to the " + r.To + " withdrawn: the bulk referral was undone"})
		}
		return false, nil
	case domain.EventAssigned, domain.EventReassigned:
		var owner string
		if err := tx.QueryRowContext(ctx, "SELECT owner FROM cases WHERE id = ?", be.caseID).Scan(&owner); err != nil {
			return false, err
		}
		if !strings.EqualFold(owner, e.Data.To) {
			if strings.EqualFold(owner, e.Data.Party) {
				return false, nil
			}
			return false, fmt.Errorf("now %s's, not %s's: it was reassigned since", orNobody(owner), e.Data.To)
		}
		if e.Data.Party == "" {
			return true, s.changeOwnerIn(ctx, tx, Item{Reference: be.ref}, opt, domain.ActRelease, "")
		}
		return true, s.changeOwnerIn(ctx, tx, Item{Reference: be.ref}, opt, domain.ActAssign, e.Data.Party)
	case domain.EventAllocated:
		if st.AllocatedBy != e.ID {
			return false, fmt.Errorf("allocated again since (now %s): undo that allocation first", st.Track.Label())
		}
		for _, x := range events {
			if x.ID > e.ID && closesCase(x.Kind) {
				return false, fmt.Errorf("%q on %s came after the allocation: undo refuses to remove an allocation under it", x.Kind, x.On.UK())
			}
		}
		return trace(domain.Event{Kind: domain.EventAllocationUndone, Data: domain.EventData{Undoes: e.ID},
			Detail: fmt.Sprintf("undid allocation to %s", st.Track.Label())})
	}
	return false, fmt.Errorf("event %d (%s) is not one bulk work writes", e.ID, e.Kind)
}

func orNobody(s string) string {
	if s == "" {
		return "nobody"
	}
	return s
}

// closesCase: the event kinds that end a case's progress; an allocation
// before one is no longer the latest action.
func closesCase(kind string) bool {
	return kind == domain.EventDisposed || kind == domain.EventReturned || kind == domain.EventPermissionRefused
}
