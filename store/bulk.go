package store

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"

	"github.com/caseload/caseload/domain"
)

// Seed is a case with the history that followed its receipt, for loading a
// generated caseload (demo, benchmarks) or one migrated from another system.
type Seed struct {
	Notice domain.Notice
	// Events after the notice was received, oldest first. IDs are assigned
	// on loading; an allocation-undone event's Data.Undoes is the 1-based
	// position of the event it compensates within this list.
	Events []domain.Event
	// Source names where the notice came from, for its received event.
	Source string
}

// Load adds seeded cases in one transaction, through the same insert path
// as Import, and derives each case's state and deadlines from its events
// with the same domain code as every other write. References must be given
// and new.
//
// Each case is written once, already in its final state: event ids are
// assigned here (the transaction holds the write lock, so max + 1 onwards
// is free), the events are replayed before the case row is inserted, and
// the lookup entries are written in key order at the end (see loader).
func (s *Store) Load(ctx context.Context, seeds []Seed, opt ActOptions) error {
	return s.longTx(ctx, func(tx *sql.Tx) error {
		s.sqlitePragma(ctx, tx, bulkCache)
		defer s.sqlitePragma(ctx, tx, normalCache)
		events := 0
		for _, sd := range seeds {
			events += 1 + len(sd.Events)
		}
		return s.loadRows(ctx, tx, len(seeds), events, slices.Values(seeds), opt)
	})
}

// loadRows is Load's row path, a statement per row; want is how many seeds
// and wantEvents how many events (with their received events) they bring, 0
// when not known (PostgreSQL then takes ids in blocks).
func (s *Store) loadRows(ctx context.Context, tx *sql.Tx, want, wantEvents int, seeds iter.Seq[Seed], opt ActOptions) error {
	{
		l, err := s.newLoader(ctx, tx, opt.On, want)
		if err != nil {
			return err
		}
		defer l.close()
		nextEvent, err := s.dialect.nextIDs(ctx, tx, "events", wantEvents)
		if err != nil {
			return err
		}
		var ids []int64 // of this seed's events, received first
		delta := map[string]int{}
		var events []domain.Event
		for sd := range seeds {
			n := sd.Notice
			p := s.PackOf(n.Jurisdiction)
			n.Jurisdiction = p.ID
			if n.Respondent == "" {
				n.Respondent = p.DefaultRespondent
			}
			receivedID, err := nextEvent()
			if err != nil {
				return err
			}
			ids = append(ids[:0], receivedID)
			events = append(events[:0], domain.Event{ID: receivedID, Kind: domain.EventReceived, On: n.Received})
			hasNotes := false
			for _, e := range sd.Events {
				if e.ID, err = nextEvent(); err != nil {
					return err
				}
				ids = append(ids, e.ID)
				if e.Kind == domain.EventAllocationUndone && e.Data.Undoes > 0 && int(e.Data.Undoes) < len(ids) {
					e.Data.Undoes = ids[e.Data.Undoes]
				}
				hasNotes = hasNotes || e.Kind == domain.EventNote
				events = append(events, e)
			}
			cal := s.calFor(p, s.divisionFor(p, n.Division))
			st := s.replayIn(p, cal, events, string(n.Subject))
			id, err := l.insert(ctx, n, contentHash(n), opt.User, sd.Source, receivedID, st, hasNotes)
			if err != nil {
				return fmt.Errorf("%s: %w", n.Reference, err)
			}
			if t := domain.RevisitFrom(st); t != "" {
				// A settle-or-defend decision the seeded history has moved on from (litigation.go).
				if _, err := tx.ExecContext(ctx, "UPDATE cases SET revisit_stage = ? WHERE id = ?", string(t), id); err != nil {
					return err
				}
			}
			delta["cases@"+p.ID]++
			delta["cases"]++
			for _, e := range events[1:] {
				if _, err := l.insEvent2.ExecContext(ctx, append([]any{e.ID, id}, seededEventArgs(e)...)...); err != nil {
					return err
				}
			}
			if len(sd.Events) > 0 {
				for _, d := range p.Deadlines(cal, st) {
					if _, err := l.insDeadline.ExecContext(ctx, deadlineArgs(id, d)...); err != nil {
						return err
					}
				}
			}
			if st.Status == domain.StatusNew {
				delta["queue"]++
				delta["queue@"+p.ID]++
			}
			if st.Status.Open() {
				delta["open"]++
				delta["open@"+p.ID]++
			}
			if len(l.pending) >= pendingLimit {
				if err := l.flush(ctx); err != nil {
					return err
				}
			}
		}
		if err := l.flush(ctx); err != nil {
			return err
		}
		for name, d := range delta {
			if _, err := tx.ExecContext(ctx, `INSERT INTO counters(name, value) VALUES (?, ?)
				ON CONFLICT(name) DO UPDATE SET value = counters.value + excluded.value`, name, d); err != nil {
				return err
			}
		}
		return nil
	}
}
