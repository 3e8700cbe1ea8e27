package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/synthetic"
)

// A one-letter lookup is rewritten into two-letter prefixes for speed; it
// must find what the plain prefix query finds.
func TestFindOneLetterSameAsPrefix(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := synthetic.Generate(ctx, s, synthetic.Options{Cases: 2000, Seed: 5, Today: benchToday}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"j", "S", "o", "9", "2"} {
		q, _ := store.ParseSearch(w)
		got, err := s.Find(ctx, q, 200)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.DB().QueryContext(ctx, `SELECT c.reference FROM case_fts f JOIN cases c ON c.search_key = f.rowid
			WHERE case_fts MATCH ? ORDER BY f.rowid DESC LIMIT 200`, `"`+w+`"*`)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for rows.Next() {
			var r string
			rows.Scan(&r)
			want = append(want, r)
		}
		rows.Close()
		if len(got) != len(want) {
			t.Fatalf("%q: %d found, the prefix query finds %d", w, len(got), len(want))
		}
		for i := range got {
			if got[i].Reference != want[i] {
				t.Fatalf("%q: result %d is %s, the prefix query's is %s", w, i, got[i].Reference, want[i])
			}
		}
		if w != "9" && len(got) == 0 {
			t.Errorf("%q found nothing", w)
		}
	}
}
