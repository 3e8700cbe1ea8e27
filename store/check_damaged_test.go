package store

import (
	"database/sql"
	"os"
	"strings"
	"testing"
)

// check on a damaged file lists what SQLite found (every problem, not just
// the first) and says the history could not be replayed, instead of
// stopping at "database disk image is malformed".
func TestCheckListsTheProblemsOfADamagedFile(t *testing.T) {
	s := imported(t)
	path := s.path
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var pageSize int64
	var roots []int64
	db.QueryRow("PRAGMA page_size").Scan(&pageSize)
	for _, name := range []string{"events", "deadlines"} {
		var root int64
		if err := db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE name = ?", name).Scan(&root); err != nil {
			t.Fatal(err)
		}
		roots = append(roots, root)
	}
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := []byte(strings.Repeat("\x0d\xff\xff\x00", int(pageSize)/4))
	for _, root := range roots {
		if _, err := f.WriteAt(garbage, (root-1)*pageSize); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	d, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open the damaged file for check: %v", err)
	}
	defer d.Close()
	probs, _, err := d.Check(ctx)
	if err != nil {
		t.Fatalf("check stopped at %v instead of listing the problems", err)
	}
	var integrity, replay int
	for _, p := range probs {
		switch {
		case strings.HasPrefix(p.Problem, "SQLite integrity check: "):
			integrity++
		case strings.HasPrefix(p.Problem, "the history could not be replayed: "):
			replay++
		}
	}
	if integrity < 2 || replay != 1 {
		t.Fatalf("want every integrity problem (two tables damaged) and the replay failure, got %+v", probs)
	}
}
