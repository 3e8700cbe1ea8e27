package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/caseload/caseload/cmd/caseload/proctest"
	"github.com/caseload/caseload/store"
)

func envInt(name string, def int) int { return proctest.EnvInt(name, def) }

// An import of a large file killed with SIGKILL at random moments: the file
// is intact afterwards (integrity_check ok, check passes) and the file's rows
// are all present or all absent. CASELOAD_CRASH_KILLS and
// CASELOAD_CRASH_ROWS change the defaults (up to 50 kills of 50,000 rows,
// as many as fit in about three minutes: the kills land anywhere in the
// import, its commit included, and the package stays inside go test's
// ten minutes on a slow machine; 100,000 rows take twice as long).
func TestCrashImportKilledAtRandom(t *testing.T) {
	bin := sharedBinary(t)
	dir := t.TempDir()
	rows := envInt("CASELOAD_CRASH_ROWS", 50_000)
	kills := envInt("CASELOAD_CRASH_KILLS", 50)
	// The file goes through the bulk import path (staging, indexes dropped
	// and built again, the lookup index in one pass), where a kill can land
	// in any of its steps.
	if rows < store.BulkImportThreshold {
		t.Fatalf("%d rows would take the row path (the bulk path starts at %d)", rows, store.BulkImportThreshold)
	}
	csv := filepath.Join(dir, "big.csv")
	writeNotices(t, csv, 2025, 1, rows)

	// Time whole imports (the faster of two, once the file is cached), so
	// the kills can land anywhere in one, including the commit at its end.
	took := time.Duration(1 << 62)
	for i := 0; i < 2; i++ {
		full := filepath.Join(dir, fmt.Sprintf("full%d.db", i))
		start := time.Now()
		if out, err := exec.Command(bin, "--db", full, "--today", "2026-11-16", "import", csv).CombinedOutput(); err != nil {
			t.Fatalf("import: %v %s", err, out)
		}
		took = min(took, time.Since(start))
		os.Remove(full)
	}
	// The kills must fit in the package's share of go test's ten minutes
	// on whatever machine runs it: without CASELOAD_CRASH_KILLS, as many as
	// fit in about three minutes (each kill waits on average half an import,
	// then seeds and checks a file), never fewer than 10 nor more than 50.
	if os.Getenv("CASELOAD_CRASH_KILLS") == "" {
		perKill := took*6/10 + 300*time.Millisecond
		kills = max(10, min(kills, int(3*time.Minute/perKill)))
	}
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	all, none := 0, 0
	for i := 0; i < kills; i++ {
		db := filepath.Join(dir, fmt.Sprintf("k%d.db", i))
		// A small case already there, so "absent" is distinguishable from "empty file".
		if out, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "import", "../../testdata/notices.json").CombinedOutput(); err != nil {
			t.Fatalf("seed: %v %s", err, out)
		}
		cmd := exec.Command(bin, "--db", db, "--today", "2026-11-16", "import", csv)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := time.Duration(rng.Int64N(int64(took) * 11 / 10))
		time.Sleep(wait)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		conn := sqliteDB(t, db)
		var ic string
		conn.QueryRow("PRAGMA integrity_check").Scan(&ic)
		var n, seeded int
		conn.QueryRow("SELECT count(*) FROM cases WHERE reference LIKE 'TC/2025/%'").Scan(&n)
		conn.QueryRow("SELECT count(*) FROM cases WHERE reference LIKE 'TC/2026/%'").Scan(&seeded)
		conn.Close()
		if ic != "ok" {
			t.Fatalf("kill %d after %v: integrity_check = %q", i, wait, ic)
		}
		switch {
		case n == rows:
			all++
		case n == 0:
			none++
		default:
			t.Fatalf("kill %d after %v: %d of %d rows present", i, wait, n, rows)
		}
		if seeded != 3 {
			t.Fatalf("kill %d: earlier cases lost (%d of 3)", i, seeded)
		}
		if out, err := exec.Command(bin, "--db", db, "check").CombinedOutput(); err != nil {
			t.Fatalf("kill %d after %v: check: %s", i, wait, out)
		}
		for _, f := range []string{db, db + "-wal", db + "-shm", db + ".lock", db + ".writers"} {
			os.Remove(f)
		}
	}
	t.Logf("%d kills of a %d-row import (one import takes %v): %d left every row, %d none, 0 partial",
		kills, rows, took.Round(time.Millisecond), all, none)
}

// A burst of categorisations killed mid-way: every allocation that reported
// success is present, and state and deadlines match the events.
func TestCrashCategorisationBurst(t *testing.T) {
	bin := sharedBinary(t)
	dir := t.TempDir()
	rounds := envInt("CASELOAD_CRASH_BURSTS", 10)
	csv := filepath.Join(dir, "in.csv")
	writeNotices(t, csv, 2026, 1, 200)
	rng := rand.New(rand.NewPCG(2, uint64(time.Now().UnixNano())))
	total := 0
	for r := 0; r < rounds; r++ {
		db := filepath.Join(dir, fmt.Sprintf("b%d.db", r))
		if out, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "import", csv).CombinedOutput(); err != nil {
			t.Fatalf("import: %v %s", err, out)
		}
		// A caseworker's shell loop: it prints "ok REF" only after
		// caseload reported success.
		script := fmt.Sprintf(`for i in $(seq -f %%06g 1 200); do %q --db %q --today 2026-11-16 categorise TC/2026/$i standard >/dev/null 2>&1 && echo ok TC/2026/$i; done`, bin, db)
		cmd := exec.Command("bash", "-c", script)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		out, _ := cmd.StdoutPipe()
		cmd.Start()
		var reported []string
		done := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				reported = append(reported, strings.TrimPrefix(sc.Text(), "ok "))
			}
			close(done)
		}()
		time.Sleep(time.Duration(200+rng.IntN(1500)) * time.Millisecond)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the loop and the caseload it is running
		cmd.Wait()
		<-done
		conn := sqliteDB(t, db)
		for _, ref := range reported {
			var track string
			conn.QueryRow("SELECT coalesce(track, '') FROM cases WHERE reference = ?", ref).Scan(&track)
			if track != "standard" {
				t.Fatalf("round %d: %s reported success but has track %q", r, ref, track)
			}
		}
		conn.Close()
		if out, err := exec.Command(bin, "--db", db, "check").CombinedOutput(); err != nil {
			t.Fatalf("round %d: check: %s", r, out)
		}
		total += len(reported)
	}
	t.Logf("%d bursts killed mid-way; %d reported allocations all present; check clean", rounds, total)
}
