package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2EListsYouCanMeasure: 1,234 cases imported; the Cases list says
// "1 of 1,234", G reaches the real end (the case the command line lists
// last), resizing mid-list keeps the place, the inbox's views count and
// an empty view says so, and the footer keeps q quit and ? help at 60x20.
func TestE2EListsYouCanMeasure(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	var b strings.Builder
	b.WriteString("reference,received,decision_date,appellant,subject,amount\n")
	const n = 1234
	day0 := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		// One a day from Sun 1 Jan 2023, each decided five days before (in
		// time): TC/2026/08000 is the last row of the newest-first list.
		rec := day0.AddDate(0, 0, i)
		fmt.Fprintf(&b, "TC/2026/%05d,%s,%s,Harbour Haulage %d Ltd,vat,100\n", 8000+i, rec.Format("2006-01-02"),
			rec.AddDate(0, 0, -5).Format("2006-01-02"), i)
	}
	csv := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(csv, []byte(b.String()), 0o600)
	if out, err := exec.Command(bin, "--db", db, "--user", "e2e", "--today", "2026-11-16", "import", csv).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	env := []string{"NO_COLOR=1", "XDG_CONFIG_HOME=" + t.TempDir(), "TERM=xterm-256color"}
	tm := startTmux(t, 120, 40, env, bin+" --db "+db+" --today 2026-11-16 --user e2e")
	tm.waitFor("[all]")
	tm.keys("4")
	tm.waitFor("1 of 1,234")
	tm.keys("G")
	s := tm.waitFor("1,234 of 1,234")
	if !strings.Contains(s, "TC/2026/08000") {
		t.Errorf("G did not reach the oldest case:\n%s", s)
	}
	tm.keys("k", "k")
	tm.waitFor("1,232 of 1,234")
	exec.Command("tmux", "resize-window", "-t", tm.session, "-x", "60", "-y", "20").Run()
	s = tm.waitFor("1,232 of 1,234")
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if foot := lines[len(lines)-1]; !strings.HasSuffix(strings.TrimSpace(foot), "q quit · ? help") {
		t.Errorf("footer at 60x20: %q", foot)
	}
	if !strings.Contains(s, "Harbour Haulage 2") {
		t.Errorf("at 60 columns the names are cut for the reference:\n%s", s)
	}
	tm.keys("g")
	tm.waitFor("1 of 1,234")
	tm.keys("1", "f")
	tm.waitFor("[overdue 0]")
	tm.waitFor("Nothing in overdue today")
	tm.keys("G", "j", "f", "f", "f", "f")
	tm.waitFor("[queue 1]")
	tm.keys("q")
	tm.waitExit()
}
