package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The litigator's commands end to end: a damages claim from the
// defendant's side, its Part 36 register, authority from config.toml
// [authority], a settlement refused above it, and a JR that cannot close
// with ministerial interest until a briefing is recorded.
func TestLitigationFromTheCommandLine(t *testing.T) {
	c := newCLI(t)
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "caseload")
	os.MkdirAll(cfg, 0o700)
	os.WriteFile(filepath.Join(cfg, "config.toml"), []byte(`[authority.caseworker]
limit = "£10,000"
holders = ["tester"]
[authority.team-leader]
limit = "£50,000"
holders = ["tomas"]
`), 0o600)
	csv := filepath.Join(t.TempDir(), "lit.csv")
	os.WriteFile(csv, []byte("jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,grounds\n"+
		"damages-claim,claim-issued,2026-10-20,2022-05-01,Mr A Claimant,DPG,,damages-claim,False imprisonment.\n"+
		"admin-court-jr,pre-action,2026-11-02,2026-10-20,R (Okafor),Bindmans LLP,SSHD,judicial-review,Refusal.\n"), 0o600)
	ok := func(args ...string) string {
		t.Helper()
		out, errOut, code := c.run(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	fails := func(want string, args ...string) {
		t.Helper()
		_, errOut, code := c.run(args...)
		if code == 0 || !strings.Contains(errOut, want) {
			t.Errorf("%v: exit %d %q, want a refusal saying %q", args, code, errOut, want)
		}
	}
	ok("import", csv)
	const claim, jr = "KB-2026-000001", "AC-2026-LON-000001"
	ok("event", claim, "particulars-served", "--date", "2026-11-02")
	// Offer received, emailed Tue 3 Nov 2026 at 17:10: deemed served Wed 4 Nov (CPR 6.26); 21 days: Wed 25 Nov 2026.
	out := ok("part36", "offer", claim, "received", "--amount", "£40,000", "--date", "2026-11-03", "--method", "email", "--time", "17:10")
	if !strings.Contains(out, "KB-2026-000001") || !strings.Contains(out, "ends Wed 25 Nov 2026") {
		t.Errorf("offer: %q", out)
	}
	fails("not less than 21", "part36", "offer", claim, "made", "--amount", "1000", "--days", "14")
	var offers []struct {
		ID         int64  `json:"id"`
		PeriodEnds string `json:"relevant_period_ends"`
		State      string `json:"state"`
	}
	c.json(&offers, "part36", "list", claim, "--json")
	if len(offers) != 1 || offers[0].PeriodEnds != "2026-11-25" || offers[0].State != "open" {
		t.Fatalf("register: %+v", offers)
	}
	fails("no Part 36 offer 999", "part36", "accept", claim, "999")
	ok("part36", "accept", claim, itoa64(offers[0].ID))

	ok("authority", "request", claim, "--amount", "30000", "--for", "damages")
	fails("does not hold authority", "authority", "approve", claim)
	ok("--user", "tomas", "authority", "approve", claim)
	fails("above the authority approved", "settle", claim, "--damages", "35000")
	ok("settle", claim, "--damages", "25000")

	ok("decision", "propose", jr, "defend", "--reasons", "lawful under the rules")
	fails("someone else", "decision", "approve", jr)
	ok("--user", "tomas", "decision", "approve", jr)
	ok("instruction", "send", jr, "--asked", "draft the response", "--due", "2026-11-12", "--date", "2026-11-05")
	var inbox []struct {
		Key    string `json:"key"`
		Reason string `json:"reason"`
		Watch  bool   `json:"watch"`
	}
	c.json(&inbox, "inbox", "--json")
	found := false
	for _, it := range inbox {
		if strings.Contains(it.Key, "instruction:") && strings.Contains(it.Reason, "overdue") {
			found = true
		}
	}
	if !found {
		t.Errorf("an unanswered instruction past its date is not in the inbox: %+v", inbox)
	}
	ok("instruction", "answered", jr, "--text", "draft sent")
	ok("time-request", jr, "--deadline", "pap_response", "--days", "7", "--date", "2026-11-05")
	fails("Jasbir Singh", "time-request", jr, "--deadline", "pap_response", "--days", "7")
	ok("time-request", jr, "--deadline", "pap_response", "--days", "7", "--explanation", "the decision-maker returns from leave on 20 November 2026", "--firm-date", "2026-11-23")
	ok("flag", jr, "ministerial")
	fails("briefing", "outcome", jr, "conceded")
	ok("brief", jr, "--interest", "ministerial", "--told", "Minister's private office")
	ok("outcome", jr, "conceded")
	out = ok("litigation", jr)
	if !strings.Contains(out, "held from the court's side") || !strings.Contains(out, "Briefed (ministerial interest)") || !strings.Contains(out, "repeated, firm date 23/11/2026") {
		t.Errorf("litigation view: %s", out)
	}
	out = ok("report", "litigation", "--from", "2026-11-01", "--to", "2026-11-30")
	for _, w := range []string{"Outcomes by stage", "Settlements by authority level", "team-leader"} {
		if !strings.Contains(out, w) {
			t.Errorf("report lacks %q:\n%s", w, out)
		}
	}
	var levels []struct {
		Level string `json:"level"`
	}
	c.json(&levels, "authority", "levels", "--json")
	if len(levels) != 2 || levels[0].Level != "caseworker" {
		t.Errorf("levels %+v", levels)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// caseload rules prints the conditions of the rules that have them: the
// damages claim's defence is 14 days after the particulars unless an
// acknowledgment was filed, 28 days if one was (CPR 15.4(1)(a), (b)).
func TestRulesPrintIfAndUnlessConditions(t *testing.T) {
	c := newCLI(t)
	out, errOut, code := c.run("rules", "--pack", "damages-claim")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var unless, ifLine string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(l, "CPR 15.4(1)(a)") && strings.Contains(l, "Defence"):
			unless = l
		case strings.Contains(l, "CPR 15.4(1)(b)") && strings.Contains(l, "Defence"):
			ifLine = l
		}
	}
	if !strings.Contains(unless, "(unless aos filed is recorded)") || strings.Contains(unless, "(if ") {
		t.Errorf("CPR 15.4(1)(a) line: %q", unless)
	}
	if !strings.Contains(ifLine, "(if aos filed is recorded)") || strings.Contains(ifLine, "(unless ") {
		t.Errorf("CPR 15.4(1)(b) line: %q", ifLine)
	}
	// A rule without a condition says none.
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "CPR 10.3") && (strings.Contains(l, "(if ") || strings.Contains(l, "(unless ")) {
			t.Errorf("unconditional rule shows a condition: %q", l)
		}
	}
}
