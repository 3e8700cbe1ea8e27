package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/synthetic"
)

// A word longer than the longest prefix index is looked up as the exact
// terms it starts (read from the index's vocabulary); it must find what the
// plain prefix query finds, in the same order, alone and beside another
// word, in any case of letters.
func TestFindLongWordSameAsPrefix(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := synthetic.Generate(ctx, s, synthetic.Options{Cases: 3000, Seed: 7, Today: benchToday}); err != nil {
		t.Fatal(err)
	}
	// Every prefix of seven letters or more of the index's long words, as
	// a caseworker would type them.
	conn, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, case_fts, row)"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT term FROM temp.words WHERE length(term) >= 7
		AND term NOT GLOB '*[^a-z0-9]*' ORDER BY doc DESC, term LIMIT 60`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var prefixes []string
	for rows.Next() {
		var term string
		if err := rows.Scan(&term); err != nil {
			t.Fatal(err)
		}
		for i := 7; i <= len(term); i++ {
			if p := term[:i]; !seen[p] {
				seen[p] = true
				prefixes = append(prefixes, p)
			}
		}
	}
	rows.Close()
	conn.Close()
	if len(prefixes) < 20 {
		t.Fatalf("only %d long prefixes in the generated caseload: the test checks too little", len(prefixes))
	}
	const limit = 200
	checked := 0
	for i, p := range prefixes {
		for _, text := range []string{p, strings.ToUpper(p[:1]) + p[1:], "tax " + p, p + " " + prefixes[(i+1)%len(prefixes)]} {
			q, _ := store.ParseSearch(text)
			got, err := s.Find(ctx, q, limit)
			if err != nil {
				t.Fatal(err)
			}
			var match []string
			for _, w := range strings.Fields(text) {
				match = append(match, `"`+w+`"*`)
			}
			rows, err := s.DB().QueryContext(ctx, `SELECT c.reference FROM case_fts f JOIN cases c ON c.search_key = f.rowid
				WHERE case_fts MATCH ? ORDER BY f.rowid DESC LIMIT ?`, strings.Join(match, " AND "), limit)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for rows.Next() {
				var r string
				if err := rows.Scan(&r); err != nil {
					t.Fatal(err)
				}
				want = append(want, r)
			}
			rows.Close()
			if len(got) != len(want) {
				t.Fatalf("%q: %d found, the prefix query finds %d", text, len(got), len(want))
			}
			for j := range got {
				if got[j].Reference != want[j] {
					t.Fatalf("%q: result %d is %s, the prefix query's is %s", text, j, got[j].Reference, want[j])
				}
			}
			if len(want) > 0 {
				checked++
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d lookups found anything: the test checks too little", checked)
	}
}
