package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

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
func (s *Store) Load(ctx context.Context, seeds []Seed, opt ActOptions) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		tx.ExecContext(ctx, bulkCache)
		defer tx.ExecContext(ctx, normalCache)
		l, err := s.newLoader(ctx, tx, opt.On)
		if err != nil {
			return err
		}
		defer l.close()
		delta := map[string]int{}
		for _, sd := range seeds {
			n := sd.Notice
			if n.Respondent == "" {
				n.Respondent = s.pack.DefaultRespondent
			}
			id, err := l.add(ctx, n, contentHash(n), opt.User, sd.Source)
			if err != nil {
				return fmt.Errorf("%s: %w", n.Reference, err)
			}
			delta["cases"]++
			hasNotes := false
			for _, e := range sd.Events {
				hasNotes = hasNotes || e.Kind == domain.EventNote
			}
			if hasNotes {
				// Out of the index as added (no notes yet); back in below with them.
				if err := ftsDelete(ctx, tx, id); err != nil {
					return err
				}
			}
			events := make([]domain.Event, 0, len(sd.Events)+1)
			events = append(events, domain.Event{ID: 0, Kind: domain.EventReceived, On: n.Received})
			ids := make([]int64, len(sd.Events))
			for i, e := range sd.Events {
				if e.Kind == domain.EventAllocationUndone && e.Data.Undoes > 0 {
					e.Data.Undoes = ids[e.Data.Undoes-1]
				}
				var data any
				if !e.Data.IsZero() {
					b, _ := json.Marshal(e.Data)
					data = string(b)
				}
				at := e.At
				if at.IsZero() {
					at = time.Date(e.On.Year(), e.On.Month(), e.On.Day(), 10, 0, 0, 0, time.UTC)
				}
				res, err := l.insEvent2.ExecContext(ctx, id, at.Format(time.RFC3339Nano), e.On.String(), e.Kind, e.User, e.Detail, data)
				if err != nil {
					return err
				}
				e.ID, _ = res.LastInsertId()
				ids[i] = e.ID
				events = append(events, e)
			}
			st := domain.Replay(events)
			if hasNotes {
				if err := ftsInsert(ctx, tx, id); err != nil {
					return err
				}
			}
			if st.Status != domain.StatusNew || len(sd.Events) > 0 {
				if err := writeState(ctx, tx, id, st); err != nil {
					return err
				}
				if err := insertDeadlines(ctx, tx, id, s.pack.Deadlines(s.cal, st)); err != nil {
					return err
				}
			}
			if st.Status == domain.StatusNew {
				delta["queue"]++
			}
			if st.Status.Open() {
				delta["open"]++
			}
		}
		for name, d := range delta {
			if _, err := tx.ExecContext(ctx, "UPDATE counters SET value = value + ? WHERE name = ?", d, name); err != nil {
				return err
			}
		}
		return nil
	})
}
