package store

import (
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

// check finds each tally damaged: a count off by one, a row missing, an
// undone event forgotten, an owner's count changed.
func TestCheckFindsADamagedReportTally(t *testing.T) {
	for _, damage := range []struct{ table, sql string }{
		{"case_tally", "UPDATE case_tally SET cases = cases + 1 WHERE received = (SELECT min(received) FROM case_tally)"},
		{"event_tally", "DELETE FROM event_tally WHERE kind = 'received'"},
		{"events_undone", "DELETE FROM events_undone"},
		{"owner_tally", "UPDATE owner_tally SET cases = cases + 2"},
	} {
		t.Run(damage.table, func(t *testing.T) {
			s := imported(t)
			ref := "TC/2026/05001"
			if _, err := s.Categorise(ctx, ref, domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Undo(ctx, ref, act()); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Categorise(ctx, ref, domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Record(ctx, ref, domain.Event{Kind: domain.EventDisposed, On: today, User: "tester", Data: domain.EventData{Text: "struck out"}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Undo(ctx, ref, act()); err != nil {
				t.Fatal(err)
			}
			mustCheck(t, s)
			if _, err := s.db.ExecContext(ctx, damage.sql); err != nil {
				t.Fatal(err)
			}
			probs, _, err := s.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range probs {
				found = found || strings.Contains(p.Problem, "report tally "+damage.table+" ")
			}
			if !found {
				t.Errorf("check after %q: %+v", damage.sql, probs)
			}
		})
	}
}
