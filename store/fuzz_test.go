package store

import (
	"path/filepath"
	"testing"
)

// FuzzFind: whatever a caseworker types, lookup answers or refuses in
// words; FTS5 syntax never leaks through as an error.
func FuzzFind(f *testing.F) {
	for _, s := range []string{"smith", `"(unbalanced`, "NEAR(a b)", "a* OR b", `"`, "track:basic late:yes", "received:<2020-01-01 x",
		"rep:o'brien", "TC/2026/05001", "col:val", "^start", "a AND NOT b", "zoë", "\x00", "-x", "{a b}"} {
		f.Add(s)
	}
	s, err := Open(filepath.Join(f.TempDir(), "f.db"), Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	f.Fuzz(func(t *testing.T, text string) {
		q, err := ParseSearch(text)
		if err != nil {
			return // a qualifier in words the caseworker can read
		}
		if _, err := s.Find(ctx, q, 10); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
	})
}
