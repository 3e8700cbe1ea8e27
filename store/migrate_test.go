package store

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// Each file in testdata/schema is a database written by a released schema
// version. Opening it with this build must upgrade it and keep every case
// and event.
var schemaFixtures = []struct {
	file           string
	cases, events  int
	undone, queued int
}{
	// v1.db: testdata/notices.csv and notices.json imported on 20/11/2026, four allocations (one undone)
	// and a statement of case.
	{"v1.db", 15, 21, 1, 12},
	// v2.db: the same steps with the schema 2 binary, then casework: an extension of time granted, a
	// direction, a flag, a referral, a returned notice and a hearing.
	{"v2.db", 15, 29, 1, 11},
	// v3.db: testdata/jr.csv as well (judicial reviews in two packs), a claim triaged, served, flagged and
	// recommended, and the morning's mail imported (one replied).
	{"v3.db", 20, 44, 1, 16},
}

func TestOldSchemasUpgradeAndKeepEverything(t *testing.T) {
	if len(schemaFixtures) != SchemaVersion() {
		t.Errorf("schema %d has no fixture: add testdata/schema/v%d.db written by this version", SchemaVersion(), SchemaVersion())
	}
	for _, f := range schemaFixtures {
		t.Run(f.file, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), f.file)
			copyFixture(t, filepath.Join("testdata", "schema", f.file), path)
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var v, cases, events, undone int
			s.db.QueryRow("PRAGMA user_version").Scan(&v)
			s.db.QueryRow("SELECT count(*) FROM cases").Scan(&cases)
			s.db.QueryRow("SELECT count(*) FROM events").Scan(&events)
			s.db.QueryRow("SELECT count(*) FROM events WHERE kind = 'allocation-undone'").Scan(&undone)
			if v != SchemaVersion() || cases != f.cases || events != f.events || undone != f.undone {
				t.Errorf("after upgrade: schema %d, %d cases, %d events, %d undos; want %d, %d, %d, %d",
					v, cases, events, undone, SchemaVersion(), f.cases, f.events, f.undone)
			}
			c, _ := s.Counts(ctx, today)
			if c.Queue != f.queued {
				t.Errorf("queue %d, want %d", c.Queue, f.queued)
			}
			mustCheck(t, s)
		})
	}
}

func copyFixture(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
}
