package pgprocess

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/caseload/caseload/store/pgtest"
)

// TestDemoIntoPostgreSQL: `caseload demo` with CASELOAD_DB naming a
// PostgreSQL database loads the demo there, mail attachments included:
// with no files folder configured it makes one and names it. Run without
// a terminal (a session of its own, so no /dev/tty), the UI cannot open
// and says so, after the load; check then passes on the database, the
// attachments are in the folder named, and a second demo is refused.
func TestDemoIntoPostgreSQL(t *testing.T) {
	url := pgtest.Fresh(t)
	bin := binary(t)
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_DATA_HOME="+filepath.Join(home, "data"), "CASELOAD_FILES=", "CASELOAD_DB="+url, "TMPDIR="+home)
	demo := func() string {
		cmd := exec.Command(bin, "--today", "2026-11-16", "demo")
		cmd.Env = env
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	out := demo()
	m := regexp.MustCompile(`attachments and letters are kept in (\S+) \(CASELOAD_FILES=`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the demo named no files folder:\n%s", out)
	}
	files := m[1]
	if fi, err := os.Stat(files); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("files folder %s: %v %v", files, fi, err)
	}
	if !strings.Contains(out, "TTY") {
		t.Errorf("without a terminal the UI should say it cannot open one:\n%s", out)
	}
	attached, _ := filepath.Glob(filepath.Join(files, "mail", "*", "*"))
	if len(attached) == 0 {
		t.Errorf("no attachments in %s", files)
	}
	check := exec.Command(bin, "--today", "2026-11-16", "check")
	check.Env = append(env, "CASELOAD_FILES="+files)
	if got, err := check.CombinedOutput(); err != nil || !strings.Contains(string(got), " 0 problem(s)") {
		t.Errorf("check: %v %s", err, got)
	}
	if again := demo(); !strings.Contains(again, "already holds cases") || strings.Contains(again, "kept in") {
		t.Errorf("a second demo on the same database was not refused, or named a folder for nothing:\n%s", again)
	}
	if made, _ := filepath.Glob(filepath.Join(home, "caseload-demo-files-*")); len(made) != 1 {
		t.Errorf("files folders made: %v, want the first demo's alone", made)
	}
}
