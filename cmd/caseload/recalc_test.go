package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A closure day added to config.toml today moves a deadline already
// running: noticed at the next start, recomputed, said on stderr, listed by
// recalc --last; recalc --dry-run then finds nothing more.
func TestClosureAddedTodayMovesRunningDeadlines(t *testing.T) {
	c := newCLI(t)
	if _, errOut, code := c.run("import", "../../testdata/jr.csv"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if _, errOut, code := c.run("categorise", "AC-2026-LON-000123", "claim-issued"); code != 0 {
		t.Fatalf("categorise: %s", errOut)
	}
	// Claim served Thu 3 Dec 2026 + 21 = Thu 24 Dec 2026, open.
	if _, errOut, code := c.run("event", "AC-2026-LON-000123", "claim-served", "--today", "2026-12-03"); code != 0 {
		t.Fatalf("event: %s", errOut)
	}
	due := func() string {
		var cs struct{ Deadlines []struct{ Kind, Due string } }
		c.json(&cs, "show", "AC-2026-LON-000123", "--json")
		for _, d := range cs.Deadlines {
			if d.Kind == "acknowledgment_of_service" {
				return d.Due
			}
		}
		return ""
	}
	if got := due(); got != "2026-12-24" {
		t.Fatalf("before: %s", got)
	}
	// Thu 24 Dec 2026 made a closure day: then Christmas Day, the weekend and Mon 28 Dec: Tue 29 Dec 2026.
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "caseload")
	os.MkdirAll(cfg, 0o700)
	os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("[closures]\nadmin-court-jr = [\"24/12/2026\"]\n"), 0o600)
	_, errOut, code := c.run("check")
	if code != 0 || !strings.Contains(errOut, "the rules changed") {
		t.Errorf("check after the change: %d %q", code, errOut)
	}
	if got := due(); got != "2026-12-29" {
		t.Errorf("after: %s, want 2026-12-29", got)
	}
	out, _, code := c.run("recalc", "--last")
	if code != 0 || !strings.Contains(out, "24/12/2026 -> 29/12/2026") {
		t.Errorf("recalc --last:\n%s", out)
	}
	var r struct {
		DryRun  bool `json:"dry_run"`
		Checked int
		Cases   int
	}
	c.json(&r, "recalc", "--dry-run", "--json")
	if !r.DryRun || r.Checked == 0 || r.Cases != 0 {
		t.Errorf("dry run after the recomputation: %+v", r)
	}
}
