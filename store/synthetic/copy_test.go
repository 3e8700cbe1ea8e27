package synthetic_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/pgtest"
	"github.com/caseload/caseload/store/synthetic"
)

// TestCopyToPostgreSQLAndBack: the demo caseload (every kind of record)
// copied SQLite → PostgreSQL → a new SQLite file passes check on all three,
// exports the same and finds the same; a second copy into the same
// database resumes (every table skipped) and changes nothing.
func TestCopyToPostgreSQLAndBack(t *testing.T) {
	url := pgtest.Fresh(t)
	ctx := context.Background()
	src := open(t)
	if _, err := synthetic.Demo(ctx, src, today, "demo"); err != nil {
		t.Fatal(err)
	}
	// Without a files folder the PostgreSQL database cannot take the
	// demo's attachments: the copy is refused before anything is written.
	bare, err := store.Open(url, store.Options{Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Copy(ctx, bare, nil); err == nil || !strings.Contains(err.Error(), "files folder") {
		t.Fatalf("copy of attachments to a database with no files folder: %v", err)
	}
	bare.Close()
	pg, err := store.Open(url, store.Options{Now: fixedClock, FilesDir: filepath.Join(t.TempDir(), "files")})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	copied, err := src.Copy(ctx, pg, nil)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, c := range copied {
		counts[c.Table] = c.Rows
	}
	for _, table := range []string{"cases", "events", "deadlines", "mail", "mail_attachments", "queries", "contacts"} {
		if counts[table] == 0 {
			t.Errorf("no %s copied: the demo has some", table)
		}
	}
	for name, s := range map[string]*store.Store{"sqlite": src, "postgres": pg} {
		probs, n, err := s.Check(ctx)
		if err != nil || len(probs) > 0 || n != int(counts["cases"]) {
			t.Fatalf("check on %s: %d cases, %v %v", name, n, err, probs[:min(len(probs), 5)])
		}
	}
	if a, b := exported(t, src), exported(t, pg); !bytes.Equal(a, b) {
		t.Errorf("PostgreSQL copy exports differently (%d and %d bytes)", len(a), len(b))
	}
	for _, q := range []string{"smith", "TC/2026", "ltd", "vat"} {
		search, _ := store.ParseSearch(q)
		a, err1 := src.Find(ctx, search, 20)
		b, err2 := pg.Find(ctx, search, 20)
		if err1 != nil || err2 != nil || len(a) != len(b) {
			t.Fatalf("find %q: %d on SQLite (%v), %d on PostgreSQL (%v)", q, len(a), err1, len(b), err2)
		}
		for i := range a {
			if a[i].Reference != b[i].Reference {
				t.Errorf("find %q: #%d is %s on SQLite, %s on PostgreSQL", q, i, a[i].Reference, b[i].Reference)
			}
		}
	}

	// Again into the same database: an interrupted copy resumes.
	again, err := src.Copy(ctx, pg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again {
		if !c.Skipped && c.Table != "counters" && c.Table != "rules_audit" && c.Table != "files" && c.Rows > 0 {
			t.Errorf("second copy wrote %s again", c.Table)
		}
	}

	// The copy switched the tally triggers off for its COPYs only: a note
	// written on the copy afterwards is in its tallies (check compares).
	if _, err := pg.AddNote(ctx, copiedRef(t, pg), "written after the copy", store.ActOptions{User: "demo", On: today}); err != nil {
		t.Fatal(err)
	}
	if probs, _, err := pg.Check(ctx); err != nil || len(probs) > 0 {
		t.Fatalf("check on PostgreSQL after a write: %v %v", err, probs[:min(len(probs), 5)])
	}
	if _, err := src.AddNote(ctx, copiedRef(t, pg), "written after the copy", store.ActOptions{User: "demo", On: today}); err != nil {
		t.Fatal(err)
	}

	// And back, for an offline copy.
	back, err := store.Open(filepath.Join(t.TempDir(), "back.db"), store.Options{Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if _, err := pg.Copy(ctx, back, nil); err != nil {
		t.Fatal(err)
	}
	if probs, _, err := back.Check(ctx); err != nil || len(probs) > 0 {
		t.Fatalf("check on the copy back: %v %v", err, probs[:min(len(probs), 5)])
	}
	if a, b := exported(t, src), exported(t, back); !bytes.Equal(a, b) {
		t.Errorf("the copy back exports differently")
	}
}

// copiedRef is the reference of a case the copy holds.
func copiedRef(t *testing.T, s *store.Store) string {
	t.Helper()
	q, _ := store.ParseSearch("smith")
	rows, err := s.Find(context.Background(), q, 1)
	if err != nil || len(rows) == 0 {
		t.Fatalf("find smith on the copy: %d %v", len(rows), err)
	}
	return rows[0].Reference
}

// TestCopyInterruptedResumes: a copy to PostgreSQL stopped after the
// events (the context cancelled, as an interrupt does) has committed the
// tables before, tallies and all; run again it skips those, copies the
// rest, and both sides pass check and export the same.
func TestCopyInterruptedResumes(t *testing.T) {
	url := pgtest.Fresh(t)
	src := open(t)
	if _, err := synthetic.Demo(context.Background(), src, today, "demo"); err != nil {
		t.Fatal(err)
	}
	pg, err := store.Open(url, store.Options{Now: fixedClock, FilesDir: filepath.Join(t.TempDir(), "files")})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	ctx, cancel := context.WithCancel(context.Background())
	_, err = src.Copy(ctx, pg, func(c store.CopiedTable) {
		if c.Table == "events" {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("a copy cancelled after the events finished")
	}
	again, err := src.Copy(context.Background(), pg, nil)
	if err != nil {
		t.Fatal(err)
	}
	skipped := map[string]bool{}
	for _, c := range again {
		skipped[c.Table] = c.Skipped
	}
	if !skipped["cases"] || !skipped["events"] || skipped["deadlines"] {
		t.Errorf("the resumed copy skipped %v: want cases and events, not deadlines", skipped)
	}
	for name, s := range map[string]*store.Store{"sqlite": src, "postgres": pg} {
		if probs, _, err := s.Check(context.Background()); err != nil || len(probs) > 0 {
			t.Fatalf("check on %s after the resumed copy: %v %v", name, err, probs[:min(len(probs), 5)])
		}
	}
	if a, b := exported(t, src), exported(t, pg); !bytes.Equal(a, b) {
		t.Errorf("the resumed copy exports differently (%d and %d bytes)", len(a), len(b))
	}
}
