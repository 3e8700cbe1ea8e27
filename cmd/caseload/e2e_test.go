package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// End-to-end: the real binary in a real terminal (tmux), driven by keys,
// then the database checked with the command line. CI installs tmux.

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "caseload")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

type tmux struct {
	t       *testing.T
	session string
}

func startTmux(t *testing.T, width, height int, env []string, command string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (CI installs it)")
	}
	// Numbered: a test may drive several terminals at once.
	name := "caseload-e2e-" + strings.ReplaceAll(t.Name(), "/", "-") + "-" + itoa(int(tmuxCount.Add(1)))
	exec.Command("tmux", "kill-session", "-t", name).Run()
	args := []string{"new-session", "-d", "-s", name, "-x", itoa(width), "-y", itoa(height)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	args = append(args, command)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	tm := &tmux{t: t, session: name}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", name).Run() })
	return tm
}

var tmuxCount atomic.Int32

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func (tm *tmux) screen() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", tm.session).Output()
	return string(out)
}

// waitFor polls the screen until it contains want.
func (tm *tmux) waitFor(want string) string {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if s := tm.screen(); strings.Contains(s, want) {
			return s
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("screen never showed %q; it shows:\n%s", want, tm.screen())
	return ""
}

func (tm *tmux) keys(keys ...string) {
	tm.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", tm.session}, keys...)...).CombinedOutput(); err != nil {
		tm.t.Fatalf("send-keys: %v %s", err, out)
	}
}

func (tm *tmux) waitExit() {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if exec.Command("tmux", "has-session", "-t", tm.session).Run() != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("caseload did not quit; screen:\n%s", tm.screen())
}

func showTrack(t *testing.T, bin, db, ref string) string {
	t.Helper()
	out, err := exec.Command(bin, "--db", db, "show", ref, "--json").Output()
	if err != nil {
		t.Fatalf("show %s: %v", ref, err)
	}
	var c struct{ Track *string }
	json.Unmarshal(out, &c)
	if c.Track == nil {
		return ""
	}
	return *c.Track
}

func TestE2EQueueAllocatesWithKeys(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	sample := "reference,received,decision_date,appellant,subject,amount\n" +
		"TC/2026/07001,2026-11-09,2026-10-30,Alpha Person,late-filing-penalty,100\n" +
		"TC/2026/07002,2026-11-10,2026-10-30,Beta Trading Ltd,vat,25000\n" +
		"TC/2026/07003,2026-11-11,2026-10-30,Gamma Holdings plc,corporation-tax,3000000\n"
	csv := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(csv, []byte(sample), 0o600)
	if out, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "import", csv).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	env := []string{"NO_COLOR=1", "XDG_CONFIG_HOME=" + t.TempDir(), "TERM=xterm-256color"}
	tm := startTmux(t, 80, 24, env, bin+" --db "+db+" --today 2026-11-16 --user e2e")
	tm.waitFor("Inbox")
	tm.keys("2") // the queue
	tm.waitFor("Alpha Person")
	tm.keys("Enter") // accept the suggestion (Default Paper)
	tm.waitFor("Beta Trading")
	tm.keys("b") // override: Basic
	tm.waitFor("Gamma Holdings")
	tm.keys("u") // undo Beta's allocation: Beta comes back
	tm.waitFor("Beta Trading")
	tm.keys("s") // Beta: Standard
	tm.waitFor("Gamma Holdings")
	tm.keys("c")
	time.Sleep(300 * time.Millisecond)
	tm.keys("q")
	tm.waitExit()
	for ref, want := range map[string]string{"TC/2026/07001": "paper", "TC/2026/07002": "standard", "TC/2026/07003": "complex"} {
		if got := showTrack(t, bin, db, ref); got != want {
			t.Errorf("%s track = %q, want %q", ref, got, want)
		}
	}
	out, _ := exec.Command(bin, "--db", db, "show", "TC/2026/07002", "--json").Output()
	if !strings.Contains(string(out), `"allocation-undone"`) {
		t.Error("the undo left no compensating event")
	}
}

// Terminal safety: escape sequences, bidi overrides, zero-width and wide
// characters in every text field. The screen is neither cleared nor
// retitled, and columns stay aligned, in every view that shows them.
func TestE2EHostileTextLeavesTheScreenIntact(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "hostile.db")
	rows := "reference,received,decision_date,appellant,representative,subject,amount,grounds,hmrc_reference,late_reason\n" +
		"TC/2026/07101,2026-11-09,2026-09-01,\"Evil\x1b[2J\x1b[H Ltd\",\"Rep\x1b]52;c;cHduZWQ=\x07 LLP\",vat,100,\"Grounds \u202eesrever\u202c zero\u200bwidth \x1b]0;PWNED\x07\",\"HM\x1b[31mRC\",\"Late\u009b2J reason\"\n" +
		"TC/2026/07102,2026-11-10,2026-10-30,株式会社テスト商事株式会社テスト商事,🎉 Party Reps 🎉,vat,100,Wide 株式会社 text,,\n" +
		"TC/2026/07103,2026-11-11,2026-10-30,Plain Person,,vat,100,Plain,,\n"
	csv := filepath.Join(t.TempDir(), "h.csv")
	os.WriteFile(csv, []byte(rows), 0o600)
	if out, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "import", csv).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	env := []string{"NO_COLOR=1", "XDG_CONFIG_HOME=" + t.TempDir(), "TERM=xterm-256color"}
	tm := startTmux(t, 80, 24, env, bin+" --db "+db+" --today 2026-11-16 --user e2e")
	title := func() string {
		out, _ := exec.Command("tmux", "display-message", "-p", "-t", tm.session, "#{pane_title}").Output()
		return strings.TrimSpace(string(out))
	}
	tm.waitFor("Inbox")
	check := func(view string) {
		t.Helper()
		s := tm.screen()
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		if !strings.HasPrefix(lines[0], "caseload") {
			t.Errorf("%s: the header is gone (screen cleared or moved?):\n%s", view, s)
		}
		if strings.Contains(title(), "PWNED") {
			t.Errorf("%s: the window title was changed", view)
		}
		if strings.Contains(s, "esrever") && !strings.Contains(s, "�esrever") {
			t.Errorf("%s: a bidi override was obeyed", view)
		}
	}
	check("inbox")
	tm.keys("2")
	tm.waitFor("TC/2026/07101")
	check("queue")
	tm.waitFor("␛[2J")
	tm.keys("4")
	tm.waitFor("TC/2026/07102")
	check("cases")
	// Columns stay aligned: the received date starts in the same column on every row.
	var cols []int
	for _, l := range strings.Split(tm.screen(), "\n") {
		if i := strings.Index(l, "TC/2026/071"); i >= 0 {
			cols = append(cols, displayCol(l, strings.Index(l, "/11/2026")))
		}
	}
	if len(cols) != 3 || cols[0] != cols[1] || cols[1] != cols[2] {
		t.Errorf("received dates not aligned: columns %v\n%s", cols, tm.screen())
	}
	tm.keys("Enter")
	tm.waitFor("Timeline")
	check("detail")
	tm.keys("Escape")
	time.Sleep(100 * time.Millisecond) // ESC then a key at once would read as alt+key
	tm.keys("/")
	tm.waitFor("type to search")
	tm.keys("-l", "evil")
	tm.waitFor("1 found")
	check("search")
	tm.keys("Escape")
	time.Sleep(100 * time.Millisecond)
	tm.keys("q")
	tm.waitExit()
}

// displayCol is the screen column of byte offset i in a captured line
// (wide characters take two columns).
func displayCol(line string, i int) int {
	col := 0
	for _, r := range line[:i] {
		col++
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0x1f300 && r <= 0x1faff)) {
			col++
		}
	}
	return col
}

// Judicial review and mail, end to end: testdata/jr.csv and the morning's
// mail imported with the command line; in tmux the caseworker switches to
// the Administrative Court, triages a letter before claim with a ministerial
// flag, then links the unlinked message to a case with the picker. The
// database, read back with the command line, holds each step.
func TestE2EJudicialReviewAndMail(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "jr.db")
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, append([]string{"--db", db, "--today", "2026-11-23", "--user", "e2e"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
		return string(out)
	}
	run("import", filepath.Join("..", "..", "testdata", "jr.csv"))
	if out := run("mail", "import", filepath.Join("..", "..", "store", "mailfile", "testdata", "morning")); !strings.Contains(out, "imported 7 messages") {
		t.Fatalf("mail import: %s", out)
	}
	env := []string{"NO_COLOR=1", "XDG_CONFIG_HOME=" + t.TempDir(), "TERM=xterm-256color"}
	tm := startTmux(t, 100, 30, env, bin+" --db "+db+" --today 2026-11-23 --user e2e --jurisdiction admin-court-jr")
	tm.waitFor("Administrative Court")
	tm.keys("2")
	tm.waitFor("R (Patel)") // the oldest claim first
	tm.keys("a")            // confirm: claim issued
	tm.waitFor("Save Our Meadows")
	tm.keys("m") // ministerial interest
	tm.waitFor("ministerial")
	tm.keys("p") // pre-action
	tm.waitFor("Harbour Medical")
	// The unlinked message: the inbox, then L and the picker.
	tm.keys("1")
	tm.waitFor("unlinked email")
	for i := 0; i < 40 && !strings.Contains(lineWith(tm.screen(), "▸"), "Renée"); i++ {
		tm.keys("j")
		time.Sleep(30 * time.Millisecond)
	}
	tm.keys("L")
	tm.waitFor("Link message")
	tm.keys("P", "a", "t", "e", "l")
	tm.waitFor("AC-2026-LON-000123")
	tm.keys("Enter")
	tm.waitFor("linked to AC-2026-LON-000123")
	tm.keys("q")
	tm.waitExit()

	var claim struct {
		Track  string
		Status string
		Flags  []string
	}
	json.Unmarshal([]byte(run("show", "AC-2026-LON-000123", "--json")), &claim)
	if claim.Track != "claim-issued" || claim.Status != "allocated" {
		t.Errorf("AC-2026-LON-000123: %+v", claim)
	}
	json.Unmarshal([]byte(run("show", "AC-2026-LON-000124", "--json")), &claim)
	if claim.Track != "pre-action" || len(claim.Flags) != 1 || claim.Flags[0] != "ministerial" {
		t.Errorf("AC-2026-LON-000124: %+v", claim)
	}
	var mail []struct {
		Subject   string
		Reference string
		LinkedBy  string `json:"linked_by"`
	}
	json.Unmarshal([]byte(run("mail", "list", "--json")), &mail)
	found := false
	for _, m := range mail {
		if strings.Contains(m.Subject, "Café") {
			found = true
			if m.Reference != "AC-2026-LON-000123" || m.LinkedBy != "e2e" {
				t.Errorf("the unlinked message after the picker: %+v", m)
			}
		}
	}
	if !found {
		t.Errorf("no Café message in %+v", mail)
	}
}

func lineWith(screen, mark string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, mark) {
			return l
		}
	}
	return ""
}
