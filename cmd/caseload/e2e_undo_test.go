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

// End to end in tmux: a flag set from the case pane and the allocation
// under it are undone with u, one at a time; a third u says there is
// nothing to undo; P then esc records nothing; the queue card opens the
// whole case with o and esc comes back to it; then caseload show --json
// has the compensating events and the case as it was.
func TestE2EUndoFromThePane(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	csv := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(csv, []byte("reference,received,decision_date,appellant,subject,amount,late_reason\n"+
		"TC/2026/07100,2026-09-21,2026-09-10,Alpha Person,vat,100,\n"+
		"TC/2026/07101,2026-09-22,2026-09-10,Beta Person,vat,100,\n"+
		"TC/2026/07102,2026-09-23,2026-09-10,Gamma Person,vat,100,\n"), 0o600)
	cli := func(args ...string) (string, error) {
		out, err := exec.Command(bin, append([]string{"--db", db, "--user", "e2e", "--today", "2026-11-16"}, args...)...).CombinedOutput()
		return string(out), err
	}
	if out, err := exec.Command(bin, "--db", db, "--user", "e2e", "--today", "2026-09-23", "import", csv).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	if out, err := cli("categorise", "TC/2026/07102", "standard"); err != nil {
		t.Fatalf("categorise: %v %s", err, out)
	}
	env := []string{"NO_COLOR=1", "XDG_CONFIG_HOME=" + t.TempDir(), "TERM=xterm-256color"}
	tm := startTmux(t, 120, 40, env, bin+" --db "+db+" --today 2026-11-16 --user e2e")
	tm.waitFor("Inbox")
	tm.keys("4")
	tm.waitFor("Gamma Person")
	tm.keys("Enter") // newest first: TC/2026/07102
	tm.waitFor("Timeline")
	tm.keys(":")
	tm.waitFor(": TC/2026/07102")
	tm.keys("flag urgent", "Enter")
	tm.waitFor("flagged: urgent")
	tm.keys("u")
	tm.waitFor(`TC/2026/07102: undid "flag set"`)
	tm.keys("u")
	tm.waitFor("TC/2026/07102: undid allocation to Standard")
	tm.keys("u")
	tm.waitFor("Nothing undone: TC/2026/07102: nothing to undo")
	tm.keys("P")
	tm.waitFor("TC/2026/07102: what was done?")
	tm.keys("Escape")
	time.Sleep(300 * time.Millisecond) // an escape and the next key at once read as alt+key
	if strings.Contains(tm.screen(), "what was done?") {
		t.Fatal("esc left the question open")
	}
	// The queue: o opens the whole case behind the card, esc comes back.
	tm.keys("2")
	tm.waitFor("│ Next")
	tm.keys("o")
	tm.waitFor("Timeline")
	tm.keys("Escape")
	time.Sleep(300 * time.Millisecond)
	s := tm.waitFor("Done today")
	if strings.Contains(s, "Timeline") {
		t.Errorf("esc left the case open:\n%s", s)
	}
	if !strings.Contains(s, "TC/2026/07100  Alpha Person") {
		t.Errorf("esc did not come back to the same card:\n%s", s)
	}
	tm.keys("q")
	tm.waitExit()

	out, err := cli("show", "TC/2026/07102", "--json")
	if err != nil {
		t.Fatalf("show: %v %s", err, out)
	}
	var c struct {
		Status string   `json:"status"`
		Track  *string  `json:"track"`
		Flags  []string `json:"flags"`
		Events []struct {
			ID     int64  `json:"id"`
			Kind   string `json:"kind"`
			Detail string `json:"detail"`
			Data   struct {
				Undoes int64 `json:"undoes"`
			} `json:"data"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var kinds []string
	ids := map[string]int64{}
	undoes := map[string]int64{}
	for _, e := range c.Events {
		kinds = append(kinds, e.Kind)
		ids[e.Kind] = e.ID
		if e.Data.Undoes != 0 {
			undoes[e.Kind] = e.Data.Undoes
		}
	}
	if got := strings.Join(kinds, ","); got != "received,allocated,flag-set,undone,allocation-undone" {
		t.Errorf("timeline %s (P then esc must record nothing)", got)
	}
	if undoes["undone"] != ids["flag-set"] || undoes["allocation-undone"] != ids["allocated"] {
		t.Errorf("the compensations do not name what they undid: %v %v", undoes, ids)
	}
	if c.Status != "new" || c.Track != nil || len(c.Flags) != 0 {
		t.Errorf("after the undos: %s %v %v", c.Status, c.Track, c.Flags)
	}
	// The CLI's undo is the same rule: nothing left, exit non-zero, why.
	if out, err := cli("undo", "TC/2026/07102"); err == nil || !strings.Contains(out, "nothing to undo") {
		t.Errorf("caseload undo with nothing left: %v %s", err, out)
	}
}
