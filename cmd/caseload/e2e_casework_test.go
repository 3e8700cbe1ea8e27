package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A day's casework end to end: snooze with a date, mark a deadline met
// from the Due screen, skip round the whole queue (more than a page), then
// the database checked with the command line.
func TestE2ECaseworkDay(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	var b strings.Builder
	b.WriteString("reference,received,decision_date,appellant,subject,amount,late_reason\n")
	const n = 63 // one allocated below, 62 in the queue: more than a page (60)
	for i := range n {
		decided, late := "2026-09-10", ""
		if i == 1 {
			decided, late = "2026-06-01", "Illness." // late: an inbox item of its own
		}
		fmt.Fprintf(&b, "TC/2026/%05d,2026-09-21,%s,Person %d,vat,100,%s\n", 7000+i, decided, i, late)
	}
	csv := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(csv, []byte(b.String()), 0o600)
	cli := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, append([]string{"--db", db, "--user", "e2e"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
		return string(out)
	}
	cli("--today", "2026-09-21", "import", csv)
	// Allocated Tue 22 Sep 2026 to standard: statement of case due Mon 23 Nov 2026 (r25(1)(b)).
	cli("--today", "2026-09-22", "categorise", "TC/2026/07000", "standard")

	env := []string{"NO_COLOR=1", "XDG_CONFIG_HOME=" + t.TempDir(), "TERM=xterm-256color"}
	tm := startTmux(t, 100, 30, env, bin+" --db "+db+" --today 2026-11-16 --user e2e")
	tm.waitFor("late appeal needs permission")
	// Select the late appeal's item and snooze it to a date.
	for i := 0; i < 10 && !strings.Contains(selectedLine(tm.screen()), "late appeal"); i++ {
		tm.keys("j")
		time.Sleep(100 * time.Millisecond)
	}
	tm.keys("z")
	tm.waitFor("Snooze TC/2026/07001 until")
	tm.keys("next week", "Enter")
	tm.waitFor("Not snoozed: TC/2026/07001")
	tm.keys("z")
	tm.waitFor("Snooze TC/2026/07001 until")
	tm.keys("20/11/2026", "Enter")
	tm.waitFor("Why snooze TC/2026/07001 until Fri 20 Nov 2026?")
	tm.keys("waiting for the reason", "Enter")
	tm.waitFor("TC/2026/07001: snoozed until Fri 20 Nov 2026")

	// Due: the statement of case, met on Fri 13 Nov.
	tm.keys("3")
	tm.waitFor("r25(1)(b)")
	tm.keys("X")
	tm.waitFor("TC/2026/07000: statement of case taken on")
	tm.keys("13/11/2026", "Enter")
	tm.waitFor("deadline met")

	// The queue: skip round all 62, each seen once, then the first again.
	tm.keys("2")
	tm.waitFor("Person")
	ref := regexp.MustCompile(`TC/2026/\d{5}`)
	seen := map[string]bool{}
	var first, prev string
	for i := 0; i < n-1; i++ {
		var cur string
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			lines := strings.Split(tm.screen(), "\n")
			if len(lines) > 2 {
				cur = ref.FindString(lines[2])
			}
			if cur != "" && cur != prev {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if cur == "" || cur == prev {
			t.Fatalf("skip %d: the card did not change from %s:\n%s", i, prev, tm.screen())
		}
		if i == 0 {
			first = cur
		}
		if seen[cur] {
			t.Fatalf("skip %d: %s came round twice before the rest", i, cur)
		}
		seen[cur] = true
		prev = cur
		tm.keys("Space")
	}
	tm.waitFor(first)
	if len(seen) != n-1 {
		t.Errorf("saw %d of %d appeals", len(seen), n-1)
	}
	tm.keys("q")
	tm.waitExit()

	if out := cli("show", "TC/2026/07000"); !strings.Contains(out, "met 13/11/2026") {
		t.Errorf("statement of case not met:\n%s", out)
	}
	if out := cli("show", "TC/2026/07001"); !strings.Contains(out, "snoozed in the inbox until Fri 20 Nov 2026") ||
		!strings.Contains(out, "why: waiting for the reason") {
		t.Errorf("snooze not on the timeline:\n%s", out)
	}
}

// selectedLine is the row marked ▸.
func selectedLine(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, "▸") {
			return l
		}
	}
	return ""
}
