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

// The median of a histogram is the median of the values it counts, as the
// flow report computed it from one row per disposal: odd and even counts,
// negative weeks (a disposal dated before receipt), one value, none.
func TestMedianOfCountsIsTheMedianOfTheValues(t *testing.T) {
	for _, values := range [][]int{{}, {4}, {1, 2}, {0, 0, 3}, {-1, 2, 2, 7}, {1, 1, 1, 5, 9, 9}, {3, 3, 4, 4, 4, 10, 52}} {
		var h []weekCount
		var xs []float64
		for _, v := range values {
			xs = append(xs, float64(v))
			if len(h) > 0 && h[len(h)-1].weeks == v {
				h[len(h)-1].n++
			} else {
				h = append(h, weekCount{v, 1})
			}
		}
		if got, want := medianOfCounts(h), median(xs); got != want {
			t.Errorf("%v: %s, want %s", values, got, want)
		}
	}
}
