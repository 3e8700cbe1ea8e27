package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The litigator's day end to end, in a real terminal: on the demo's
// letter before claim of a damages claim (held from the defendant's side
// by its pack), a wrong date refused, a Part 36 offer received and a
// decision to defend recorded from the ":" line, an approval by the
// proposer refused; then the database checked with caseload show --json.
func TestE2ELitigationOfferAndDecision(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	env := []string{"NO_COLOR=1", "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "TERM=xterm-256color"}
	tm := startTmux(t, 120, 40, env, bin+" --db "+db+" --today 2026-11-16 --user j.okoro demo")
	tm.waitFor("Inbox")
	const ref = "KB-2026-000401"
	tm.keys("/")
	tm.keys(ref)
	tm.waitFor("1 found")
	tm.keys("Enter")
	tm.waitFor("Held from the defendant's side")
	colon := func(line, want string) {
		t.Helper()
		tm.keys(":")
		tm.waitFor(": " + ref)
		tm.keys(line, "Enter")
		tm.waitFor(want)
	}
	colon("part36 offer received £20,000 --served 31/11/2026", ref+": nothing done: --served")
	// Served Mon 16 Nov 2026, 21 days: the relevant period ends Mon 7 Dec 2026 (CPR 36.5(1)(c)).
	colon("part36 offer received £20,000 --by Bhatt Murphy", ref+": Part 36 offer received by Bhatt Murphy, £20,000.00")
	colon("decision propose defend removal was imminent throughout", ref+": proposed to defend at Pre-action")
	colon("decision approve", "Not saved: "+ref+": j.okoro proposed the decision: someone else must approve it")
	tm.keys("Escape")
	time.Sleep(300 * time.Millisecond) // escape then q at once reads as alt+q
	tm.keys("q")
	tm.waitExit()

	out, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "show", ref, "--json").Output()
	if err != nil {
		t.Fatalf("show: %v", err)
	}
	var c struct {
		Events []struct {
			Kind string `json:"kind"`
			User string `json:"user"`
			Data struct {
				Text       string `json:"text"`
				Litigation struct {
					Way         string `json:"way"`
					By          string `json:"by"`
					AmountPence int64  `json:"amount_pence"`
					Days        int    `json:"days"`
					Served      string `json:"served"`
					Decision    string `json:"decision"`
					Stage       string `json:"stage"`
				} `json:"litigation"`
			} `json:"data"`
		} `json:"events"`
		Deadlines []struct {
			Kind string `json:"kind"`
			Due  string `json:"due"`
		} `json:"deadlines"`
	}
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	var offers, decisions, approvals int
	for _, e := range c.Events {
		l := e.Data.Litigation
		switch e.Kind {
		case "part36-offer":
			offers++
			if l.Way != "received" || l.By != "Bhatt Murphy" || l.AmountPence != 2_000_000 || l.Days != 21 || l.Served != "2026-11-16" || e.User != "j.okoro" {
				t.Errorf("the offer recorded: %+v by %s", l, e.User)
			}
		case "decision":
			decisions++
			if l.Decision != "defend" || l.Stage != "pre-action" || e.Data.Text != "removal was imminent throughout" {
				t.Errorf("the decision recorded: %+v %q", l, e.Data.Text)
			}
		case "decision-approved":
			approvals++
		}
	}
	if offers != 1 || decisions != 1 || approvals != 0 {
		t.Errorf("%d offers, %d decisions, %d approvals; want 1, 1, 0 (the wrong date and the refused approval write nothing)", offers, decisions, approvals)
	}
	found := false
	for _, d := range c.Deadlines {
		if strings.HasPrefix(d.Kind, "part36:") {
			found = d.Due == "2026-12-07"
		}
	}
	if !found {
		t.Errorf("no relevant period ending Mon 7 Dec 2026 in %+v", c.Deadlines)
	}
}
