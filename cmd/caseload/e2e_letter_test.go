package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The "chase an overdue direction from the UI", end to end at
// 80x24: on the Due screen the overdue direction's case, W, the chaser,
// the draft edited in $EDITOR (through tea.ExecProcess), saved; then the
// command line finds the letter on the case, as edited, and on its
// timeline as correspondence out. Then the notice of allocation, saved from
// the same list.
func TestE2ELetterChasesAnOverdueDirection(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "e2e.db")
	csv := filepath.Join(dir, "in.csv")
	os.WriteFile(csv, []byte("reference,received,decision_date,appellant,subject,amount,appellant_address\n"+
		"TC/2026/08001,2026-09-21,2026-09-10,Zoë Person,vat,100,\"1 Mill Lane, Leeds LS1 1AA\"\n"), 0o600)
	cli := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, append([]string{"--db", db, "--user", "e2e"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
		return string(out)
	}
	cli("--today", "2026-09-21", "import", csv)
	cli("--today", "2026-09-22", "categorise", "TC/2026/08001", "standard")
	// Given Thu 1 Oct 2026, 14 days: due Thu 15 Oct 2026, 32 days overdue on Mon 16 Nov 2026.
	cli("--today", "2026-10-01", "direction", "TC/2026/08001", "--party", "appellant", "--text", "Send the bank statements", "--days", "14")

	editor := filepath.Join(dir, "editor.sh")
	os.WriteFile(editor, []byte("#!/bin/sh\nsed -i 's/^Please comply/Kindly comply/' \"$1\"\n"), 0o700)
	env := []string{"NO_COLOR=1", "XDG_CONFIG_HOME=" + t.TempDir(), "TERM=xterm-256color", "EDITOR=" + editor}
	tm := startTmux(t, 80, 24, env, bin+" --db "+db+" --today 2026-11-16 --user e2e")
	tm.waitFor("Inbox")
	tm.keys("3")
	// At 80 columns the Due screen leaves out its "when" column (the
	// date and the !! mark say it): the row is the direction's, due
	// 15/10/2026.
	overdue := "15/10/2026 TC/2026/08001"
	tm.waitFor(overdue)
	for i := 0; i < 5 && !strings.Contains(selectedLine(tm.screen()), overdue); i++ {
		tm.keys("k")
		time.Sleep(100 * time.Millisecond)
	}
	tm.keys("W")
	tm.waitFor("Write a letter on TC/2026/08001")
	for i := 0; i < 10 && !strings.Contains(tm.screen(), "> Direction not complied with (chaser"); i++ {
		tm.keys("j")
		time.Sleep(100 * time.Millisecond)
	}
	tm.waitFor("> Direction not complied with (chaser")
	tm.keys("Enter")
	tm.waitFor("TC/2026/08001: Direction not complied with (draft)")
	tm.waitFor("To Zoë Person (appellant) by letter")
	// q and a screen key do not leave a draft.
	tm.keys("q")
	tm.waitFor("TC/2026/08001: a letter is open")
	tm.keys("e")
	tm.waitFor("(draft, edited)")
	tm.keys("Enter")
	tm.waitFor("TC/2026/08001: saved letter 1 (Direction not complied with to Zoë Person)")
	// The issue's own run: the notice of allocation, from the same list.
	for i := 0; i < 10 && !strings.Contains(tm.screen(), "> Notice of allocation (allocation"); i++ {
		tm.keys("k")
		time.Sleep(100 * time.Millisecond)
	}
	tm.waitFor("> Notice of allocation (allocation")
	tm.keys("Enter")
	tm.waitFor("TC/2026/08001: Notice of allocation (draft)")
	tm.keys("Enter")
	tm.waitFor("TC/2026/08001: saved letter 2 (Notice of allocation to Zoë Person)")
	tm.keys("Escape")
	tm.waitFor(overdue)
	tm.keys("q")
	tm.waitExit()

	var c struct {
		Letters []struct {
			ID       int64  `json:"id"`
			Template string `json:"template"`
			Channel  string `json:"channel"`
		} `json:"letters"`
		Events []struct {
			Kind   string `json:"kind"`
			Detail string `json:"detail"`
			Data   struct {
				Way    string `json:"way"`
				Letter int64  `json:"letter"`
			} `json:"data"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(cli("show", "TC/2026/08001", "--json")), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Letters) != 2 || c.Letters[0].Template != "ftt-tax/chaser" || c.Letters[0].Channel != "letter" ||
		c.Letters[1].Template != "ftt-tax/allocation" {
		t.Fatalf("letters: %+v", c.Letters)
	}
	for i, e := range c.Events[len(c.Events)-2:] {
		if e.Kind != "correspondence" || e.Data.Way != "out" || e.Data.Letter != c.Letters[i].ID {
			t.Errorf("timeline: %+v for letter %d", e, c.Letters[i].ID)
		}
	}
	if out := cli("letter", "show", "TC/2026/08001", "1"); !strings.Contains(out, "Kindly comply with the direction") ||
		!strings.Contains(out, "Thursday 15 October 2026") {
		t.Errorf("the saved letter is not the edited draft:\n%s", out)
	}
}
