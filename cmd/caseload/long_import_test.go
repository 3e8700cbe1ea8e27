package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// While one process imports a large notice file (one transaction), another
// process's categorise waits for it and then succeeds: never "database is
// busy". The import is caught holding the write gate (FILE.writers,
// exclusive) before the first categorise starts, so the two overlap.
func TestCategoriseDuringALongNoticeImportWaits(t *testing.T) {
	bin := sharedBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	seed := filepath.Join(dir, "seed.csv")
	writeNotices(t, seed, 2026, 1, 5)
	runBin := func(args ...string) ([]byte, error) {
		return exec.Command(bin, append([]string{"--db", db, "--today", "2026-11-16", "--user", "t"}, args...)...).CombinedOutput()
	}
	if out, err := runBin("import", seed); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	rows := envInt("CASELOAD_LONG_IMPORT_ROWS", 6000)
	big := filepath.Join(dir, "big.csv")
	writeNotices(t, big, 2025, 1, rows)
	imp := exec.Command(bin, "--db", db, "--today", "2026-11-16", "--user", "t", "import", big)
	var impOut bytes.Buffer
	imp.Stdout, imp.Stderr = &impOut, &impOut
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the import holds the gate exclusively.
	held := false
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline) && !held; {
		if f, err := os.OpenFile(db+".writers", os.O_RDWR, 0); err == nil {
			held = syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB) != nil
			f.Close()
		}
		if !held {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if !held {
		imp.Process.Kill()
		imp.Wait()
		t.Fatalf("the import never held the write gate: %s", impOut.String())
	}
	start := time.Now()
	var failures []string
	for i := 1; i <= 5; i++ {
		if out, err := runBin("categorise", fmt.Sprintf("TC/2026/%06d", i), "standard"); err != nil {
			failures = append(failures, string(out))
		}
	}
	waited := time.Since(start)
	if err := imp.Wait(); err != nil {
		t.Fatalf("import: %v %s", err, impOut.String())
	}
	if !strings.Contains(impOut.String(), fmt.Sprintf("%d imported", rows)) {
		t.Fatalf("import: %s", impOut.String())
	}
	if len(failures) > 0 {
		t.Fatalf("categorise failed during the import instead of waiting: %v", failures)
	}
	conn := sqliteDB(t, db)
	var n int
	conn.QueryRow("SELECT count(*) FROM cases WHERE track = 'standard'").Scan(&n)
	if n != 5 {
		t.Fatalf("%d of 5 categorisations kept", n)
	}
	if out, err := runBin("check"); err != nil {
		t.Fatalf("check: %s", out)
	}
	t.Logf("5 categorisations made during a %d-row import all succeeded (the first waited for the import; all took %v)", rows, waited.Round(time.Millisecond))
}
