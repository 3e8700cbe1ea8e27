package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Letters over SSH: a caseworker's W saves as that caseworker; a read-only
// user drafts, and the save is refused like any other write (nothing on
// the case); e is not offered, the editor would run on the server.
func TestServeLetterSavedAsTheUserAndRefusedToReadOnly(t *testing.T) {
	ts := startTeam(t)
	csv := filepath.Join(t.TempDir(), "addressed.csv")
	os.WriteFile(csv, []byte("reference,received,decision_date,appellant,subject,amount,appellant_address\n"+
		"TC/2026/05009,2026-11-13,2026-11-02,Zoë Person,vat,100,\"1 Mill Lane, Leeds LS1 1AA\"\n"), 0o600)
	if _, errOut, code := ts.cli.run("--user", "lead", "import", csv); code != 0 {
		t.Fatal(errOut)
	}
	letters := func() []struct{ User, Template string } {
		out, errOut, code := ts.cli.run("show", "TC/2026/05009", "--json")
		if code != 0 {
			t.Fatal(errOut)
		}
		var c struct {
			Letters []struct{ User, Template string } `json:"letters"`
		}
		json.Unmarshal([]byte(out), &c)
		return c.Letters
	}

	ro := ts.open("ro", 100, 30)
	ro.waitFor("queue", 10*time.Second)
	ro.keys("4")
	ro.waitFor("TC/2026/05009", 5*time.Second)
	ro.keys("W")
	ro.waitFor("Write a letter on TC/2026/05009", 5*time.Second)
	ro.keys("\r")
	screen := ro.waitFor("TC/2026/05009: Acknowledgement of your notice of appeal (draft)", 5*time.Second)
	if strings.Contains(screen, "$EDITOR") {
		t.Errorf("the editor is offered over SSH:\n%s", screen)
	}
	ro.keys("e")
	ro.waitFor("TC/2026/05009: no $EDITOR over SSH", 5*time.Second)
	ro.keys("\r")
	ro.waitFor("Not saved: TC/2026/05009: ro is read-only", 5*time.Second)
	if ls := letters(); len(ls) != 0 {
		t.Fatalf("a read-only user saved %+v", ls)
	}

	alice := ts.open("alice", 100, 30)
	alice.waitFor("queue", 10*time.Second)
	alice.keys("4")
	alice.waitFor("TC/2026/05009", 5*time.Second)
	alice.keys("W")
	alice.waitFor("Write a letter on TC/2026/05009", 5*time.Second)
	alice.keys("\r")
	alice.waitFor("(draft)", 5*time.Second)
	alice.keys("\r")
	alice.waitFor("TC/2026/05009: saved letter 1", 5*time.Second)
	if ls := letters(); len(ls) != 1 || ls[0].User != "alice" || ls[0].Template != "ftt-tax/acknowledgement" {
		t.Errorf("letters: %+v", ls)
	}
}
