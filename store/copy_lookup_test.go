package store

import (
	"context"
	"database/sql"
	"testing"
)

// TestPostgreSQLLookupRebuildAsIndexCase: the lookup index a copy builds
// for every case at once (rebuildIndex, one join) is, entry for entry,
// what each case's own writes left (indexCase, ftsSelect per case):
// several notes in order, one of them undone, a case without notes.
func TestPostgreSQLLookupRebuildAsIndexCase(t *testing.T) {
	s, err := Open(freshPostgres(t), Options{FilesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if r, err := s.Import(ctx, []string{write(t, "sample.csv", sampleCSV)}, ImportOptions{ActOptions: act()}); err != nil || r.Imported != 3 {
		t.Fatalf("import: %+v %v", r, err)
	}
	for _, n := range []struct{ ref, text string }{
		{"TC/2026/05002", "zebra crossing"},
		{"TC/2026/05002", "quartz lamp"},
		{"TC/2026/05003", "undone walrus"},
		{"TC/2026/05002", "final yak"},
	} {
		if _, err := s.AddNote(ctx, n.ref, n.text, act()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Undo(ctx, "TC/2026/05003", act()); err != nil {
		t.Fatal(err)
	}
	entries := func() map[int64]string {
		rows, err := s.db.QueryContext(ctx, "SELECT case_id, k, doc::text FROM case_lookup ORDER BY case_id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[int64]string{}
		for rows.Next() {
			var id, k int64
			var doc string
			if err := rows.Scan(&id, &k, &doc); err != nil {
				t.Fatal(err)
			}
			out[id] = doc
			if k%keySpan != id {
				t.Errorf("case %d has key %d", id, k)
			}
		}
		return out
	}
	before := entries()
	if len(before) != 3 {
		t.Fatalf("%d lookup entries before, want 3", len(before))
	}
	if err := s.longTx(ctx, func(tx *sql.Tx) error { return s.dialect.rebuildIndex(context.Background(), tx) }); err != nil {
		t.Fatal(err)
	}
	after := entries()
	if len(after) != len(before) {
		t.Fatalf("%d entries after the rebuild, %d before", len(after), len(before))
	}
	for id, doc := range before {
		if after[id] != doc {
			t.Errorf("case %d: rebuilt as\n%s\nwritten as\n%s", id, after[id], doc)
		}
	}
	if got := findRefs(t, s, "walrus"); got != "" {
		t.Errorf("the undone note is found after the rebuild: %s", got)
	}
	if got := findRefs(t, s, "zebra yak"); got != "TC/2026/05002" {
		t.Errorf("zebra yak finds %q after the rebuild", got)
	}
	mustCheck(t, s)
}
