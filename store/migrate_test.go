package store

import (
	"io"
	"os"
	"path/filepath"
	"strings"
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
	// v4.db: the same steps with the schema 4 binary (the lookup index with prefixes of two to six letters).
	{"v4.db", 20, 44, 1, 16},
	// v5.db: the same steps with the schema 5 binary (the rules audit, letters, the team, the service
	// centre, the litigator's records, snoozes); the morning's mail also became queries.
	{"v5.db", 20, 44, 1, 16},
	// v6.db: the same steps with the schema 6 binary (deadlines carry their case's reference, appellant,
	// track, status and jurisdiction for the due list; cases the stage of a decision to revisit).
	{"v6.db", 20, 44, 1, 16},
	// v7.db: the same steps with the schema 7 binary (queue-card reservations in the database, the report
	// tallies kept by triggers, the lookup index with the qualifier terms).
	{"v7.db", 20, 44, 1, 16},
	// v8.db: the same steps with the schema 8 binary (partial indexes of the late cases, the permission
	// decisions, the returns and the fees by due date; the return tally: the extensions, rejections and fees reports).
	{"v8.db", 20, 44, 1, 16},
	// v9.db: the same steps with the schema 9 binary (partial indexes of the late appeals waiting and of
	// the day's allocations by user, for start-up).
	{"v9.db", 20, 44, 1, 16},
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
			// Schema 6 copies each case's list columns onto its deadlines:
			// every deadline carries them (check, below, compares them too).
			var deadlines, carried int
			s.db.QueryRow("SELECT count(*) FROM deadlines").Scan(&deadlines)
			s.db.QueryRow(`SELECT count(*) FROM deadlines d JOIN cases c ON c.id = d.case_id
				WHERE d.case_reference = c.reference AND d.case_appellant = c.appellant AND d.case_status = c.status`).Scan(&carried)
			if f.file != "v1.db" && (deadlines == 0 || carried != deadlines) {
				t.Errorf("%d of %d deadlines carry their case after the upgrade", carried, deadlines)
			}
			// The fixtures are the database file alone, without the
			// attachments folder beside it: check rightly reports those
			// files missing, and nothing else may be wrong.
			probs, _, err := s.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range probs {
				if !strings.HasSuffix(p.Problem, " is missing") || !strings.Contains(p.Problem, "attachment mail/") {
					t.Errorf("check: %+v", p)
				}
			}
			// The lookup index is rebuilt by schema 4: every prefix length,
			// and the notes, are found again.
			for q, want := range map[string]string{"okaf": "TC/2026/04101", "okafo": "TC/2026/04101",
				"margaret okafor": "TC/2026/04101", "refurb premis": "TC/2026/04102", "hollis": "TC/2026/04102"} {
				sq, _ := ParseSearch(q)
				got, err := s.Find(ctx, sq, 5)
				if err != nil || len(got) == 0 || got[0].Reference != want {
					t.Errorf("lookup %q after upgrade: %v %v, want %s first", q, err, got, want)
				}
			}
			if f.file != "v1.db" {
				sq, _ := ParseSearch("expedit")
				if got, _ := s.Find(ctx, sq, 5); len(got) != 1 || got[0].Reference != "TC/2026/04104" {
					t.Errorf("the note is not found after upgrade: %v", got)
				}
			}
			if _, err := s.db.Exec("INSERT INTO case_fts(case_fts, rank) VALUES ('integrity-check', 0)"); err != nil {
				t.Errorf("lookup index after upgrade: %v", err)
			}
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
