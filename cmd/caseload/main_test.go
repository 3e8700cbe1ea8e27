package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs caseload in-process with a fresh database and returns stdout,
// stderr and the exit status.
type cli struct {
	t  *testing.T
	db string
}

func newCLI(t *testing.T) *cli {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("CASELOAD_TODAY", "")
	t.Setenv("CASELOAD_DB", "")
	return &cli{t: t, db: filepath.Join(t.TempDir(), "c.db")}
}

func (c *cli) run(args ...string) (string, string, int) {
	c.t.Helper()
	full := append([]string{"--db", c.db, "--today", "2026-11-16", "--user", "tester"}, args...)
	oldOut, oldErr := os.Stdout, os.Stderr
	ro, wo, _ := os.Pipe()
	re, we, _ := os.Pipe()
	os.Stdout, os.Stderr = wo, we
	outC, errC := make(chan string), make(chan string)
	go func() { b, _ := io.ReadAll(ro); outC <- string(b) }()
	go func() { b, _ := io.ReadAll(re); errC <- string(b) }()
	code := run(context.Background(), full)
	wo.Close()
	we.Close()
	os.Stdout, os.Stderr = oldOut, oldErr
	return <-outC, <-errC, code
}

func (c *cli) json(v any, args ...string) {
	c.t.Helper()
	out, errOut, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		c.t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

func TestImportCategoriseShow(t *testing.T) {
	c := newCLI(t)
	if _, errOut, code := c.run("import", "../../testdata/notices.csv"); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	var queue []map[string]any
	c.json(&queue, "queue", "--json")
	if len(queue) == 0 {
		t.Fatal("empty queue")
	}
	for _, k := range []string{"reference", "received", "decision_date", "appellant", "subject", "amount_pence", "suggested_track", "suggestion_reason", "late", "days_late"} {
		if _, ok := queue[0][k]; !ok {
			t.Errorf("queue item lacks %s", k)
		}
	}
	ref := queue[0]["reference"].(string)
	if _, errOut, code := c.run("categorise", ref, "standard"); code != 0 {
		t.Fatalf("categorise: %s", errOut)
	}
	var shown struct {
		Track     *string `json:"track"`
		Deadlines []struct {
			Kind, Due, Rule string
			Provisional     bool
		}
		Events []struct{ At, Kind, User, Detail string }
	}
	c.json(&shown, "show", ref, "--json")
	// Allocated Mon 16 Nov 2026 + 60 days = Fri 15 Jan 2027 (r25(1)(b)).
	if shown.Track == nil || *shown.Track != "standard" || len(shown.Deadlines) != 1 || shown.Deadlines[0].Due != "2027-01-15" {
		t.Fatalf("show: %+v", shown)
	}
	if last := shown.Events[len(shown.Events)-1]; last.User != "tester" || last.Kind != "allocated" {
		t.Errorf("last event %+v", last)
	}
	if _, errOut, code := c.run("categorise", ref, "basic"); code == 0 || !strings.Contains(errOut, "--reason") {
		t.Errorf("re-categorise without reason: %d %s", code, errOut)
	}
	if _, _, code := c.run("categorise", ref, "sideways"); code != 2 {
		t.Errorf("bad track exit %d, want 2", code)
	}
	out, _, code := c.run("show", ref)
	if code != 0 || !strings.Contains(out, "Fri 15 Jan 2027") || !strings.Contains(out, "r25(1)(b)") {
		t.Errorf("show text:\n%s", out)
	}
}

func TestInvalidFileChangesNothing(t *testing.T) {
	c := newCLI(t)
	_, errOut, code := c.run("import", "../../testdata/invalid.csv")
	if code == 0 {
		t.Fatal("invalid file accepted")
	}
	if strings.Count(errOut, "invalid.csv:") < 3 {
		t.Errorf("want each bad line named:\n%s", errOut)
	}
	var queue []any
	c.json(&queue, "queue", "--json")
	if len(queue) != 0 {
		t.Errorf("%d cases imported from an invalid file", len(queue))
	}
}

func TestHelpEverywhereAndNoStackTraces(t *testing.T) {
	c := newCLI(t)
	root := newRoot()
	for _, sub := range root.Commands() {
		out, errOut, code := c.run(sub.Name(), "--help")
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%s --help: %d %s", sub.Name(), code, errOut)
		}
	}
	if _, errOut, code := c.run("import", "../../testdata/notices.csv"); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	_, errOut, code := c.run("show", "TC/1999/00001")
	if code != 1 || strings.Contains(errOut, "goroutine") || !strings.Contains(errOut, "no such case") {
		t.Errorf("missing case: %d %q", code, errOut)
	}
	_, errOut, code = c.run("--today", "31/02/2026", "queue")
	if code != 2 || !strings.Contains(errOut, "--today") {
		t.Errorf("bad --today: %d %q", code, errOut)
	}
}

func TestFindLiteralAndDue(t *testing.T) {
	c := newCLI(t)
	c.run("import", "../../testdata/notices.csv")
	for _, q := range []string{`"(unbalanced`, `NEAR(`, `a*`, `"`, `OR AND NOT`} {
		var res []any
		c.json(&res, "find", q, "--json")
	}
	var due []any
	c.json(&due, "due", "--json")
}

func TestBackupRestoreCheck(t *testing.T) {
	c := newCLI(t)
	c.run("import", "../../testdata/notices.csv")
	dest := filepath.Join(t.TempDir(), "backup.db")
	if _, errOut, code := c.run("backup", dest); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	var queue []map[string]any
	c.json(&queue, "queue", "--json")
	c.run("categorise", queue[0]["reference"].(string), "basic")
	if out, errOut, code := c.run("restore", dest); code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %s %s", out, errOut)
	}
	var after []any
	c.json(&after, "queue", "--json")
	if len(after) != len(queue) {
		t.Errorf("restored queue has %d, backup had %d", len(after), len(queue))
	}
	if out, _, code := c.run("check"); code != 0 || !strings.Contains(out, "0 problem") {
		t.Errorf("check: %s", out)
	}
}

// TestReportHelpAndUnknownNameListEveryReport: report --help and the error
// for a name that is not a report list the service centre's four.
func TestReportHelpAndUnknownNameListEveryReport(t *testing.T) {
	c := newCLI(t)
	out, _, code := c.run("report", "--help")
	if code != 0 {
		t.Fatalf("report --help: %d", code)
	}
	if _, errOut, code := c.run("import", "../../testdata/notices.csv"); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	_, errOut, code := c.run("report", "queires")
	if code == 0 {
		t.Fatal("an unknown report ran")
	}
	for _, name := range []string{"rejections", "directions", "queries", "complaints", "support-needs", "fees"} {
		if !strings.Contains(out, name) {
			t.Errorf("report --help does not name %s", name)
		}
		if !strings.Contains(errOut, name) {
			t.Errorf("the unknown-report error does not name %s: %s", name, errOut)
		}
	}
}
