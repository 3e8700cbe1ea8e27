package main

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caseload/caseload/cmd/caseload/proctest"
	_ "modernc.org/sqlite"
)

// The tests here run the real binary as several processes: SQLite's
// locking is between processes, so that is what they exercise.

// sharedBinary builds caseload once for the package's process tests.
func sharedBinary(t *testing.T) string { return proctest.Binary(t) }

func writeNotices(t *testing.T, path string, year, from, n int) {
	t.Helper()
	proctest.WriteNotices(t, path, year, from, n)
}

func sqliteDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Several caseworkers (processes) work the same queue at once: every appeal
// ends up allocated exactly once, losers get a plain message, and nobody
// ever sees "database is locked". The queue is imported by the row path
// and, in the second run, by the bulk path (CASELOAD_BULK_IMPORT_ROWS=1).
func TestContentionFourProcessesOneQueue(t *testing.T) {
	for _, path := range []struct{ name, env string }{{"row-import", ""}, {"bulk-import", "CASELOAD_BULK_IMPORT_ROWS=1"}} {
		t.Run(path.name, func(t *testing.T) { contentionFourProcesses(t, path.env) })
	}
}

func contentionFourProcesses(t *testing.T, importEnv string) {
	bin := sharedBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "shared.db")
	csv := filepath.Join(dir, "in.csv")
	const appeals = 60
	writeNotices(t, csv, 2026, 1, appeals)
	imp := exec.Command(bin, "--db", db, "--today", "2026-11-16", "import", csv)
	imp.Env = append(os.Environ(), importEnv)
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	won := proctest.FourWorkersOneQueue(t, bin, db, appeals, "locked", "SQLITE_BUSY")
	conn := sqliteDB(t, db)
	var dup int
	conn.QueryRow(`SELECT count(*) FROM (SELECT case_id FROM events WHERE kind = 'allocated' GROUP BY case_id HAVING count(*) != 1)`).Scan(&dup)
	if dup != 0 {
		t.Errorf("%d cases do not have exactly one allocation", dup)
	}
	t.Logf("%d appeals, 4 processes: allocations per worker %v", appeals, proctest.PerWorker(won))
	if out, err := exec.Command(bin, "--db", db, "check").CombinedOutput(); err != nil {
		t.Errorf("check: %v %s", err, out)
	}
}

// A backup taken while another process writes is a consistent database
// that passes check, and restore brings it back.
func TestBackupWhileWritingThenRestore(t *testing.T) {
	bin := sharedBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	csv := filepath.Join(dir, "in.csv")
	writeNotices(t, csv, 2026, 1, 80)
	if out, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "import", csv).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; i <= 80; i++ {
			exec.Command(bin, "--db", db, "--today", "2026-11-16", "categorise", fmt.Sprintf("TC/2026/%06d", i), "standard").Run()
		}
	}()
	var backups []string
	for i := 0; i < 5; i++ {
		b := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		if out, err := exec.Command(bin, "--db", db, "backup", b).CombinedOutput(); err != nil {
			t.Fatalf("backup during writes: %v %s", err, out)
		}
		backups = append(backups, b)
		time.Sleep(30 * time.Millisecond)
	}
	<-done
	for _, b := range backups {
		if out, err := exec.Command(bin, "--db", b, "check").CombinedOutput(); err != nil {
			t.Errorf("%s fails check: %s", b, out)
		}
		if fi, _ := os.Stat(b); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %o", b, fi.Mode().Perm())
		}
	}
	var before int
	sqliteDB(t, backups[0]).QueryRow("SELECT count(*) FROM events").Scan(&before)
	if out, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "restore", backups[0]).CombinedOutput(); err != nil {
		t.Fatalf("restore: %v %s", err, out)
	}
	var after int
	sqliteDB(t, db).QueryRow("SELECT count(*) FROM events").Scan(&after)
	if after != before {
		t.Errorf("restored database has %d events, backup had %d", after, before)
	}
	if out, err := exec.Command(bin, "--db", db, "check").CombinedOutput(); err != nil {
		t.Errorf("restored file fails check: %s", out)
	}
}

// Broken and hostile files: a clear error naming the file (and line where
// there is one), a non-zero exit, and nothing imported.
func TestHostileImportFiles(t *testing.T) {
	bin := sharedBinary(t)
	dir := t.TempDir()
	header := "reference,received,decision_date,appellant,subject\n"
	good := "TC/2026/00001,2026-11-10,2026-10-20,Good Row,vat\n"
	big := strings.Repeat("x", 10<<20)
	cols := strings.Repeat("a,", 1_000_000) + "a\n"
	files := map[string]struct {
		content string
		want    string
	}{
		"invalid-utf8.csv": {header + good + "TC/2026/00002,2026-11-10,2026-10-20,Bad \xff\xfe Name,vat\n", ":3: "},
		"nul.csv":          {header + good + "TC/2026/00002,2026-11-10,2026-10-20,Nul\x00Name,vat\n", ":3: "},
		"bigfield.csv":     {header + good + "TC/2026/00002,2026-11-10,2026-10-20," + big + ",vat\n", ":3: appellant: "},
		"million.csv":      {cols + good, ":1: "},
		"header-only.csv":  {header, ":1: "},
		"empty.csv":        {"", ":1: "},
		"binary.csv":       {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00\x01", 100), ":"},
		"truncated.json":   {`[{"reference":"TC/2026/00001","received":"2026-11-10","appellant":"A","subject":"vat"},{"refer`, ":1: "},
		"not-array.json":   {`{"reference":"TC/2026/00001"}`, ":1: "},
	}
	db := filepath.Join(dir, "h.db")
	for name, f := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(f.content), 0o600)
		out, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "import", p).CombinedOutput()
		msg := string(out)
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		if !strings.Contains(msg, p+f.want) || strings.Contains(msg, "goroutine") {
			t.Errorf("%s: want an error naming %s%s, got %.300q", name, p, f.want, msg)
		}
	}
	for name, want := range map[string]string{filepath.Join(dir, "missing.csv"): "no such file", dir: "directory"} {
		out, err := exec.Command(bin, "--db", db, "import", name).CombinedOutput()
		if err == nil || !strings.Contains(string(out), name) || !strings.Contains(string(out), want) {
			t.Errorf("%s: %v %s", name, err, out)
		}
	}
	var n int
	sqliteDB(t, db).QueryRow("SELECT count(*) FROM cases").Scan(&n)
	if n != 0 {
		t.Errorf("%d cases imported from hostile files", n)
	}
}

// A file that changes while it is read is either read whole before the
// change or after it: the importer reads the file once, so rows from two
// versions never mix. Writing the file in place during the import must
// leave either all of version A or an error.
func TestImportOfFileChangingDuringRead(t *testing.T) {
	bin := sharedBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	p := filepath.Join(dir, "moving.csv")
	writeNotices(t, p, 2025, 1, 20000)
	cmd := exec.Command(bin, "--db", db, "--today", "2026-11-16", "import", p)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Duration(rand.IntN(50)) * time.Millisecond)
	// Truncate and rewrite with different content while the import runs.
	writeNotices(t, p, 2024, 1, 5)
	cmd.Wait()
	var n25, n24 int
	conn := sqliteDB(t, db)
	conn.QueryRow("SELECT count(*) FROM cases WHERE reference LIKE 'TC/2025/%'").Scan(&n25)
	conn.QueryRow("SELECT count(*) FROM cases WHERE reference LIKE 'TC/2024/%'").Scan(&n24)
	if !((n25 == 20000 && n24 == 0) || (n25 == 0 && n24 == 5) || (n25 == 0 && n24 == 0)) {
		t.Errorf("mixed or partial import: %d rows of the first version, %d of the second", n25, n24)
	}
}
