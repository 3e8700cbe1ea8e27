package pgprocess

import (
	"database/sql"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/caseload/caseload/cmd/caseload/proctest"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/pgtest"
)

// binary builds caseload once for the package's tests.
func binary(t *testing.T) string { return proctest.Binary(t) }

// writeNotices is cmd/caseload's: n tax appeals numbered from.
func writeNotices(t *testing.T, path string, year, from, n int) {
	t.Helper()
	proctest.WriteNotices(t, path, year, from, n)
}

func envInt(name string, def int) int { return proctest.EnvInt(name, def) }

// TestContentionFourProcessesOneQueue on PostgreSQL: four caseworkers
// (processes, as four servers would be) work one queue at once, all going
// for its head: every appeal allocated exactly once, the losers told it was
// already allocated, check clean.
func TestContentionFourProcessesOneQueue(t *testing.T) {
	// Once with the queue imported a row at a time, once by the bulk path
	// (bulkimport_postgres.go): the cases either writes are worked alike.
	for _, path := range []struct{ name, rows string }{{"row", "1000000"}, {"bulk", "1"}} {
		t.Run(path.name, func(t *testing.T) {
			t.Setenv("CASELOAD_BULK_IMPORT_ROWS", path.rows)
			contention(t)
		})
	}
}

func contention(t *testing.T) {
	url := pgtest.Fresh(t)
	bin := binary(t)
	csv := filepath.Join(t.TempDir(), "in.csv")
	const appeals = 40
	writeNotices(t, csv, 2026, 1, appeals)
	if out, err := exec.Command(bin, "--db", url, "--today", "2026-11-16", "import", csv).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	won := proctest.FourWorkersOneQueue(t, bin, url, appeals, "SQLSTATE", "busy")
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var dup int
	db.QueryRow(`SELECT count(*) FROM (SELECT case_id FROM events WHERE kind = 'allocated' GROUP BY case_id HAVING count(*) != 1) d`).Scan(&dup)
	if dup != 0 {
		t.Errorf("%d cases do not have exactly one allocation", dup)
	}
	t.Logf("%d appeals, 4 processes on PostgreSQL: allocations per worker %v", appeals, proctest.PerWorker(won))
	if out, err := exec.Command(bin, "--db", url, "check").CombinedOutput(); err != nil {
		t.Errorf("check: %v %s", err, out)
	}
}

// TestCrashImportKilledAtRandomPostgres: the same on PostgreSQL, where a
// client killed mid-import leaves a transaction the server rolls back when
// the connection drops. Fewer kills of a smaller file than on SQLite
// (CASELOAD_CRASH_PG_KILLS, CASELOAD_CRASH_PG_ROWS, at least the bulk
// path's threshold, since that is the path a large file takes): the package
// shares go test's ten minutes.
func TestCrashImportKilledAtRandomPostgres(t *testing.T) {
	pgtest.Require(t)
	bin := binary(t)
	dir := t.TempDir()
	rows := envInt("CASELOAD_CRASH_PG_ROWS", 5_000)
	kills := envInt("CASELOAD_CRASH_PG_KILLS", 4)
	if rows < store.BulkImportThreshold {
		t.Fatalf("%d rows would take the row path (the bulk path starts at %d)", rows, store.BulkImportThreshold)
	}
	csv := filepath.Join(dir, "big.csv")
	writeNotices(t, csv, 2025, 1, rows)
	start := time.Now()
	if out, err := exec.Command(bin, "--db", pgtest.Fresh(t), "--today", "2026-11-16", "import", csv).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	took := time.Since(start)
	rng := rand.New(rand.NewPCG(2, uint64(time.Now().UnixNano())))
	all, none := 0, 0
	for i := 0; i < kills; i++ {
		url := pgtest.Fresh(t)
		if out, err := exec.Command(bin, "--db", url, "--today", "2026-11-16", "import", "../../../testdata/notices.json").CombinedOutput(); err != nil {
			t.Fatalf("seed: %v %s", err, out)
		}
		cmd := exec.Command(bin, "--db", url, "--today", "2026-11-16", "import", csv)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := time.Duration(rng.Int64N(int64(took) * 11 / 10))
		time.Sleep(wait)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		conn, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		var n, seeded int
		// The killed connection's transaction may take a moment to be
		// rolled back; its rows are invisible either way.
		conn.QueryRow("SELECT count(*) FROM cases WHERE reference LIKE 'TC/2025/%'").Scan(&n)
		conn.QueryRow("SELECT count(*) FROM cases WHERE reference LIKE 'TC/2026/%'").Scan(&seeded)
		conn.Close()
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
		if out, err := exec.Command(bin, "--db", url, "check").CombinedOutput(); err != nil {
			t.Fatalf("kill %d after %v: check: %s", i, wait, out)
		}
	}
	t.Logf("%d kills of a %d-row import on PostgreSQL (one import takes %v): %d left every row, %d none, 0 partial",
		kills, rows, took.Round(time.Millisecond), all, none)
}
