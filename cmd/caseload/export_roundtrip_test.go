package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/noticefile"
	"github.com/caseload/caseload/store/synthetic"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// withoutDerived drops the columns an export works out from each case's
// events: a fresh import has only the received event.
func withoutDerived(recs [][]string) [][]string {
	var keep []int
	for i, h := range recs[0] {
		if !slices.Contains(noticefile.Derived, h) {
			keep = append(keep, i)
		}
	}
	out := make([][]string, len(recs))
	for r, rec := range recs {
		for _, i := range keep {
			out[r] = append(out[r], rec[i])
		}
	}
	return out
}

// The demo (tax appeals and judicial reviews, with casework of every
// kind) exported, imported into an empty database and exported again gives
// the same cases: the files are identical but for the derived columns,
// and a second round trip is identical to the byte.
func TestExportImportRoundTrip(t *testing.T) {
	c := newCLI(t)
	s, err := store.Open(c.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synthetic.Demo(context.Background(), s, domain.MustDate("2026-11-16"), "tester"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	dir := t.TempDir()
	one, two, three := filepath.Join(dir, "one.csv"), filepath.Join(dir, "two.csv"), filepath.Join(dir, "three.csv")
	if _, errOut, code := c.run("export", "-o", one); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	first := readCSV(t, one)
	for _, col := range []string{"jurisdiction", "stage", "division"} {
		if !slices.Contains(first[0], col) {
			t.Fatalf("export header lacks %s: %v", col, first[0])
		}
	}
	// The columns documented before keep their places.
	if got := strings.Join(first[0][:18], ","); got != "reference,received,decision_date,appellant,representative,respondent,subject,amount,grounds,"+
		"hmrc_reference,late_reason,track,status,allocated_on,suggested_track,late,days_late,last_event" {
		t.Fatalf("export's first columns moved: %s", got)
	}
	jur, stage := slices.Index(first[0], "jurisdiction"), slices.Index(first[0], "stage")
	jurisdictions, stages := map[string]bool{}, map[string]bool{}
	for _, rec := range first[1:] {
		jurisdictions[rec[jur]], stages[rec[stage]] = true, true
	}
	if len(jurisdictions) < 2 || !stages["pre-action"] && !stages["claim-issued"] {
		t.Fatalf("the demo's export names jurisdictions %v and stages %v", jurisdictions, stages)
	}

	fresh := &cli{t: t, db: filepath.Join(t.TempDir(), "fresh.db")}
	out, errOut, code := fresh.run("import", one)
	if code != 0 || !strings.HasPrefix(out, fmtInt(len(first)-1)+" imported, 0 unchanged, 0 rejected") {
		t.Fatalf("import of an export: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "Not imported: track, status, allocated_on, suggested_track, late, days_late, last_event") {
		t.Errorf("stderr does not name the derived columns:\n%s", errOut)
	}
	if _, errOut, code := fresh.run("export", "-o", two); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	a, b := withoutDerived(first), withoutDerived(readCSV(t, two))
	if len(a) != len(b) {
		t.Fatalf("%d rows exported, %d after the round trip", len(a), len(b))
	}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Fatalf("row %d differs after the round trip:\n%v\n%v", i, a[i], b[i])
		}
	}

	again := &cli{t: t, db: filepath.Join(t.TempDir(), "again.db")}
	if _, errOut, code := again.run("import", two); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if _, errOut, code := again.run("export", "-o", three); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	if x, y, _ := readBoth(t, two, three); !bytes.Equal(x, y) {
		t.Fatal("an export of an imported export is not identical to the byte")
	}

	// Read back into the database it came from, every case is a
	// duplicate: nothing is imported twice.
	out, errOut, code = fresh.run("import", one)
	if code != 0 || !strings.HasPrefix(out, "0 imported, "+fmtInt(len(first)-1)+" unchanged") {
		t.Fatalf("re-import: %d\n%s\n%s", code, out, errOut)
	}
}

func readBoth(t *testing.T, a, b string) ([]byte, []byte, error) {
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	return x, y, err
}

func fmtInt(n int) string { return strconv.Itoa(n) }

// The Reports screen's export goes beside a --db or demo database, in a
// folder named after it, never into the default caseload's folder.
func TestExportDirIsBesideTheDatabase(t *testing.T) {
	def := filepath.Join(xdg.DataHome, "caseload", "caseload.db")
	if got, want := exportDirFor(def), filepath.Join(xdg.DataHome, "caseload", "exports"); got != want {
		t.Errorf("default database: %s, want %s", got, want)
	}
	if got := exportDirFor("/srv/team/north.db"); got != "/srv/team/north-exports" {
		t.Errorf("--db: %s", got)
	}
	// A PostgreSQL URL is no folder: its name (and password) would become
	// one in the working directory.
	if got, want := exportDirFor("postgres://app:secret@db.example.org/caseload?sslmode=require"), filepath.Join(xdg.DataHome, "caseload", "exports"); got != want {
		t.Errorf("PostgreSQL: %s, want %s", got, want)
	}
	dir := t.TempDir()
	demo := filepath.Join(dir, "demo.db")
	exports := exportDirFor(demo)
	os.WriteFile(demo, []byte("x"), 0o600)
	os.Mkdir(exports, 0o700)
	os.WriteFile(filepath.Join(exports, "flow.csv"), []byte("week\n"), 0o600)
	var said bytes.Buffer
	removeDemo(&said, dir, exports)
	if _, err := os.Stat(demo); !os.IsNotExist(err) {
		t.Error("the demo database was kept")
	}
	if _, err := os.Stat(filepath.Join(exports, "flow.csv")); err != nil || !strings.Contains(said.String(), exports) {
		t.Errorf("the demo's export was not kept and named: %v %q", err, said.String())
	}
}

// caseload bulk: one transaction for several cases, one refusal refuses
// the lot naming the case, and bulk undo compensates the batch.
func TestBulkCommandAndUndo(t *testing.T) {
	c := newCLI(t)
	if _, errOut, code := c.run("import", "../../testdata/notices.csv"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	var queue []struct{ Reference string }
	c.json(&queue, "queue", "--json")
	a, b := queue[0].Reference, queue[1].Reference
	if _, errOut, code := c.run("flag", a, "urgent"); code != 0 {
		t.Fatalf("flag: %s", errOut)
	}
	if _, errOut, code := c.run("bulk", "flag", "urgent", b, a); code != 1 || !strings.Contains(errOut, "nothing done: "+a) {
		t.Fatalf("a refused lot: %d %s", code, errOut)
	}
	var shown struct{ Flags []string }
	c.json(&shown, "show", b, "--json")
	if len(shown.Flags) != 0 {
		t.Fatalf("%s flagged by a refused lot: %v", b, shown.Flags)
	}
	if _, _, code := c.run("bulk", "flag", "urgnt", b); code != 2 {
		t.Fatalf("a mistyped flag: exit %d, want 2", code)
	}
	var batch store.Batch
	c.json(&batch, "bulk", "refer", "judge", a, b, "--note", "common issue: consider a lead case", "--json")
	if batch.ID == 0 || len(batch.References) != 2 {
		t.Fatalf("batch %+v", batch)
	}
	out, errOut, code := c.run("bulk", "undo", strconv.FormatInt(batch.ID, 10))
	if code != 0 || !strings.Contains(out, "Undid the bulk refer (batch "+strconv.FormatInt(batch.ID, 10)+"): 2 cases") {
		t.Fatalf("undo: %d %s %s", code, out, errOut)
	}
	out, _, _ = c.run("show", b)
	if !strings.Contains(out, "referral-withdrawn") {
		t.Fatalf("no withdrawal on the timeline:\n%s", out)
	}
	if _, errOut, code := c.run("bulk", "undo", strconv.FormatInt(batch.ID, 10)); code == 0 || !strings.Contains(errOut, "undone already") {
		t.Fatalf("second undo: %d %s", code, errOut)
	}
}
