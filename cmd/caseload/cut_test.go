package main

import (
	"strings"
	"testing"
)

// Lists that cut say so on stderr, with how many and how to see them;
// --limit 0 shows all.
func TestListsSayWhenTheyCut(t *testing.T) {
	c := newCLI(t)
	if _, errOut, code := c.run("import", "../../testdata/notices.csv"); code != 0 {
		t.Fatal(errOut)
	}
	all, errOut, code := c.run("queue", "--limit", "0")
	if code != 0 || errOut != "" {
		t.Fatalf("queue --limit 0: %d %q", code, errOut)
	}
	n := strings.Count(all, "\n") - 1 // the header line
	if n < 3 {
		t.Fatalf("queue has %d appeals: the test needs three", n)
	}
	out, errOut, _ := c.run("queue", "--limit", "2")
	if got := strings.Count(out, "\n") - 1; got != 2 {
		t.Errorf("queue --limit 2 printed %d", got)
	}
	want := "queue: showing the first 2 appeals; " + itoa(n-2) + " more left out: --limit N shows more, --limit 0 shows all"
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	if _, errOut, _ := c.run("queue", "--limit", itoa(n)); errOut != "" {
		t.Errorf("an exact fit said %q", errOut)
	}
	_, errOut, _ = c.run("inbox", "--limit", "1")
	if !strings.Contains(errOut, "inbox: showing the first 1 items; more left out") {
		t.Errorf("inbox stderr %q", errOut)
	}
	for _, ref := range []string{"TC/2026/04101", "TC/2026/04102"} { // two allocated appeals: a deadline each
		if _, errOut, code := c.run("categorise", ref, "standard"); code != 0 {
			t.Fatalf("categorise %s: %s", ref, errOut)
		}
	}
	due, errOut, code := c.run("due", "--within", "3650", "--limit", "0")
	if code != 0 || errOut != "" || strings.Count(due, "\n") < 3 {
		t.Fatalf("due --limit 0: %d %q %q: the test needs two deadlines", code, errOut, due)
	}
	_, errOut, _ = c.run("due", "--within", "3650", "--limit", "1", "--json")
	if !strings.Contains(errOut, "due: showing the first 1 deadlines; more left out: --limit N shows more, --limit 0 shows all") {
		t.Errorf("due stderr %q", errOut)
	}
	_, errOut, _ = c.run("find", "--limit", "1", "tc")
	if !strings.Contains(errOut, "find: showing the first 1 cases") {
		t.Errorf("find stderr %q", errOut)
	}
}

func TestUsageMistakesExit2AndReportListsTheReports(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{{"frobnicate"}, {"show"}, {"show", "A", "B"}, {"categorise", "A"}, {"report", "a", "b"}} {
		if _, errOut, code := c.run(args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errOut)
		}
	}
	out, errOut, code := c.run("report")
	if code != 0 || !strings.Contains(out, "rejections") || !strings.Contains(out, "directions") {
		t.Errorf("report with no name: %d %q %q", code, out, errOut)
	}
}
