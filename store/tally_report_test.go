package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/pgtest"
	"github.com/caseload/caseload/store/report"
	"github.com/caseload/caseload/store/synthetic"
)

var ctx = context.Background()

// everyReport writes every report (and the workload report) over the last
// year by month and the last twelve weeks by week, as JSON, one after the
// other: what a caseworker would read.
func everyReport(t *testing.T, s *store.Store, on domain.Date) string {
	t.Helper()
	var b bytes.Buffer
	for _, name := range report.AllNames() {
		for _, span := range []struct {
			days int
			by   string
		}{{364, "month"}, {83, "week"}} {
			r, err := s.Report(ctx, name, on.AddDays(-span.days), on, span.by)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := r.Write(&b, "json"); err != nil {
				t.Fatal(err)
			}
		}
	}
	w, err := s.WorkloadReport(ctx, on)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(&b, "json")
	return b.String()
}

func flowDisposals(t *testing.T, s *store.Store, on domain.Date) string {
	t.Helper()
	r, err := s.Report(ctx, "flow", on.AddDays(-364), on, "month")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, row := range r.Tables[0].Rows {
		out = append(out, row[2]+"/"+row[3])
	}
	return strings.Join(out, " ")
}

// The reports read the tallies the triggers keep; on a generated caseload
// with undone disposals, returns and allocations they say exactly what
// the same reports say over tallies rebuilt from a scan of the cases and
// events, and check finds the kept tallies equal to the scan. An undone
// disposal leaves the flow report.
func TestReportTalliesKeptByEveryChangeMatchTheScan(t *testing.T) {
	// On PostgreSQL too when the test server is given (the triggers are
	// each dialect's own).
	path, opts := filepath.Join(t.TempDir(), "t.db"), store.Options{}
	if os.Getenv(pgtest.Env) != "" {
		path, opts.FilesDir = pgtest.Fresh(t), t.TempDir()
	}
	s, err := store.Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	on := domain.MustDate("2026-11-23")
	if _, err := synthetic.Generate(context.Background(), s, synthetic.Options{Cases: 1500, Seed: 3, Today: on, Years: 2}); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	before := flowDisposals(t, s, on)
	// Undo the latest action of recent cases of each kind: disposals (the
	// case reopens), returns and allocations.
	undone := map[string]int{}
	type target struct{ ref, kind, user string }
	var targets []target
	for _, status := range []domain.Status{"closed", "returned", "allocated"} {
		rows, err := s.Cases(ctx, store.CaseFilter{Status: status, ReceivedAfter: on.AddDays(-300)}, 0, 80)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range rows {
			full, err := s.Case(ctx, c.Reference)
			if err != nil {
				t.Fatal(err)
			}
			e := full.Events[len(full.Events)-1]
			if (e.Kind == "disposed" || e.Kind == "returned" || e.Kind == "allocated") && undone[e.Kind] < 15 {
				undone[e.Kind]++
				targets = append(targets, target{c.Reference, e.Kind, e.User})
			}
		}
	}
	if undone["disposed"] == 0 || undone["allocated"] == 0 {
		t.Fatalf("the generated caseload gave too few actions to undo: %v", undone)
	}
	for _, x := range targets {
		if _, err := s.Undo(ctx, x.ref, store.ActOptions{User: x.user, On: on}); err != nil {
			t.Fatalf("undo %s of %s: %v", x.kind, x.ref, err)
		}
	}
	if after := flowDisposals(t, s, on); after == before {
		t.Fatalf("flow after %d undone disposals is unchanged: %s", undone["disposed"], after)
	}
	mustCheck(t, s)
	kept := everyReport(t, s, on)
	if err := s.RebuildReportTallies(ctx); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	if scanned := everyReport(t, s, on); scanned != kept {
		t.Errorf("the reports over the kept tallies differ from those over a scan:\nkept:    %.2000s\nscanned: %.2000s", kept, scanned)
	}
}

func mustCheck(t *testing.T, s *store.Store) {
	t.Helper()
	probs, _, err := s.Check(ctx)
	if err != nil || len(probs) > 0 {
		t.Fatalf("check: %v %+v", err, probs)
	}
}
