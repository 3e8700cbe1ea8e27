package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestCopyChecksBothSides: caseload copy checks the source (while it
// copies) and the copy, and says so; a source whose stored state its
// events contradict is named and the command fails, though the copy ran.
func TestCopyChecksBothSides(t *testing.T) {
	c := newCLI(t)
	importFixture(t, c)
	ref := firstQueued(t, c)
	to := filepath.Join(t.TempDir(), "copy.db")
	out, errOut, code := c.run("copy", "--from", c.db, "--to", to)
	if code != 0 {
		t.Fatalf("copy: %d %s %s", code, out, errOut)
	}
	for _, want := range []string{"cases ", "events ", "checked the source: ", "checked the copy: "} {
		if !strings.Contains(out, want) {
			t.Errorf("copy output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "checked the source: 0 cases") || !strings.Contains(out, "0 problem(s)") {
		t.Errorf("copy output:\n%s", out)
	}

	db, err := sql.Open("sqlite", c.db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE cases SET status = 'stayed' WHERE reference = ?", ref); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, _, code = c.run("copy", "--from", c.db, "--to", filepath.Join(t.TempDir(), "again.db"))
	if code != 1 || !strings.Contains(out, "source: "+ref+": stored state stayed") {
		t.Fatalf("copy of a damaged source: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "checked the copy") {
		t.Errorf("the copy was reported checked after the source failed:\n%s", out)
	}
}
