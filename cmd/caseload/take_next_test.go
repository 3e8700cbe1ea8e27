package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// caseload take --next claims the oldest appeal waiting that no one owns,
// then the next; with nothing left it says so and fails; with a reference
// as well it is a usage error.
func TestTakeNextClaimsTheOldestAvailable(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "c.db")
	csv := filepath.Join(t.TempDir(), "in.csv")
	os.WriteFile(csv, []byte("reference,received,decision_date,appellant,subject,amount,late_reason\n"+
		"TC/2026/07100,2026-09-21,2026-09-10,Alpha Person,vat,100,\n"+
		"TC/2026/07101,2026-09-22,2026-09-10,Beta Person,vat,100,\n"), 0o600)
	cli := func(args ...string) (string, error) {
		out, err := exec.Command(bin, append([]string{"--db", db, "--user", "asha", "--today", "2026-11-16"}, args...)...).CombinedOutput()
		return string(out), err
	}
	if out, err := cli("import", csv); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	for _, want := range []string{"TC/2026/07100: taken by asha", "TC/2026/07101: taken by asha"} {
		if out, err := cli("take", "--next"); err != nil || strings.TrimSpace(out) != want {
			t.Fatalf("take --next = %q %v, want %q", out, err, want)
		}
	}
	if out, err := cli("take", "--next"); err == nil || !strings.Contains(out, "no appeal waiting") {
		t.Errorf("take --next of an empty queue = %q %v", out, err)
	}
	if out, err := cli("take", "--next", "TC/2026/07100"); err == nil || !strings.Contains(out, "name no reference") {
		t.Errorf("take --next REF = %q %v", out, err)
	}
}
