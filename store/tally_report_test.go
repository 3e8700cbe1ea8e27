package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
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
	on := domain.MustDate("2026-11-23")
	s := generatedOnEither(t, synthetic.Options{Cases: 1500, Seed: 3, Today: on, Years: 2})
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

// Schema 8: extensions and rejections read the late cases, the permission
// decisions and the returns of their range from partial indexes, and
// their per-period counts from the tallies. On a generated caseload with
// extension requests (granted, refused, pending, undone), undone returns
// and every jurisdiction's scope, each says exactly what the same report
// said when it counted the cases and events themselves (ReportByScan).
func TestExtensionsAndRejectionsMatchTheScan(t *testing.T) {
	on := domain.MustDate("2026-11-23")
	s := generatedOnEither(t, synthetic.Options{Cases: 3000, Seed: 7, Today: on, Years: 1})
	// Extension requests on allocated cases, dated over the last year: a
	// third granted, a third refused (some after the range of the shorter
	// reports ends), the rest pending, every fifth undone.
	allocated, err := s.Cases(ctx, store.CaseFilter{Status: "allocated", ReceivedAfter: on.AddDays(-340)}, 0, 90)
	if err != nil {
		t.Fatal(err)
	}
	requests := 0
	for i, c := range allocated {
		asked := on.AddDays(-(i * 4 % 330))
		if asked.Before(c.Received) {
			asked = c.Received
		}
		req, err := s.Record(ctx, c.Reference, domain.Event{Kind: domain.EventExtensionRequested, On: asked, User: "clerk",
			Data: domain.EventData{Deadline: "statement_of_case", Party: "respondent", Days: 7 + i%30}})
		if err != nil {
			t.Logf("extension request on %s: %v", c.Reference, err)
			continue
		}
		requests++
		switch i % 5 {
		case 0, 1:
			kind := domain.EventExtensionGranted
			if i%5 == 1 {
				kind = domain.EventExtensionRefused
			}
			if _, err := s.Record(ctx, c.Reference, domain.Event{Kind: kind, On: asked.AddDays(i % 9), User: "judge",
				Data: domain.EventData{Due: on.AddDays(40), Refers: req.ID}}); err != nil {
				t.Fatalf("%s on %s: %v", kind, c.Reference, err)
			}
		case 4:
			if _, err := s.Undo(ctx, c.Reference, store.ActOptions{User: "clerk", On: asked}); err != nil {
				t.Fatalf("undo the extension request on %s: %v", c.Reference, err)
			}
		}
	}
	if requests < 30 {
		t.Fatalf("only %d extension requests recorded", requests)
	}
	returned, err := s.Cases(ctx, store.CaseFilter{Status: "returned", ReceivedAfter: on.AddDays(-300)}, 0, 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range returned[:len(returned)/2] {
		full, err := s.Case(ctx, c.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if e := full.Events[len(full.Events)-1]; e.Kind == "returned" {
			if _, err := s.Undo(ctx, c.Reference, store.ActOptions{User: e.User, On: on}); err != nil {
				t.Fatalf("undo the return of %s: %v", c.Reference, err)
			}
		}
	}
	mustCheck(t, s)
	scopes := []string{""}
	for _, p := range s.Packs() {
		scopes = append(scopes, p.ID)
	}
	late, asked, reasons := 0, 0, 0
	for _, j := range scopes {
		sctx := ctx
		if j != "" {
			sctx = store.InJurisdiction(ctx, j)
		}
		for _, name := range []string{"extensions", "rejections"} {
			for _, span := range []struct {
				days int
				by   string
			}{{364, "month"}, {83, "week"}, {20, "week"}} {
				from := on.AddDays(-span.days)
				got, err := s.Report(sctx, name, from, on, span.by)
				if err != nil {
					t.Fatalf("%s %q: %v", name, j, err)
				}
				want, err := s.ReportByScan(sctx, name, from, on, span.by)
				if err != nil {
					t.Fatalf("%s %q by scan: %v", name, j, err)
				}
				var g, w bytes.Buffer
				got.Write(&g, "json")
				want.Write(&w, "json")
				if g.String() != w.String() {
					t.Errorf("%s over %d days in %q differs from the scan:\ngot:  %.3000s\nwant: %.3000s", name, span.days, j, g.String(), w.String())
				}
				if name == "extensions" && j == "" && span.days == 364 {
					all := func(tab report.Table) int { n, _ := strconv.Atoi(tab.Rows[len(tab.Rows)-1][1]); return n }
					late, asked = all(got.Tables[0]), all(got.Tables[1])
				}
				if name == "rejections" && j == "" && span.days == 364 {
					reasons = len(got.Tables[1].Rows)
				}
			}
		}
	}
	if late == 0 || asked == 0 {
		t.Errorf("the year's extensions report counts %d late appeals and %d extension requests: the comparison proves nothing", late, asked)
	}
	if reasons == 0 {
		t.Error("the year's rejections report gives no reasons for returns: the comparison proves nothing")
	}
}

// generatedOnEither is a store holding a generated caseload: a SQLite file
// in the test's folder, or a fresh PostgreSQL database when the test
// server is given (each dialect keeps its tallies and indexes its own way).
func generatedOnEither(t *testing.T, opt synthetic.Options) *store.Store {
	t.Helper()
	path, opts := filepath.Join(t.TempDir(), "t.db"), store.Options{}
	if os.Getenv(pgtest.Env) != "" {
		path, opts.FilesDir = pgtest.Fresh(t), t.TempDir()
	}
	s, err := store.Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := synthetic.Generate(context.Background(), s, opt); err != nil {
		t.Fatal(err)
	}
	return s
}
