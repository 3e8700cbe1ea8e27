package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Court closure days come from config.toml and move CPR deadlines (CPR
// 2.8(5)); --jurisdiction limits the lists; a bad jurisdiction is a usage
// error; mail that is not mail changes nothing.
func TestJurisdictionsClosuresAndMailFromTheCommandLine(t *testing.T) {
	c := newCLI(t)
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "caseload")
	os.MkdirAll(cfg, 0o700)
	os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("[closures]\nadmin-court-jr = [\"24/12/2026\"]\n"), 0o600)
	if _, errOut, code := c.run("import", "../../testdata/jr.csv", "../../testdata/notices.csv"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if _, errOut, code := c.run("categorise", "AC-2026-LON-000123", "claim-issued"); code != 0 {
		t.Fatalf("categorise: %s", errOut)
	}
	// Claim served Thu 3 Dec 2026 + 21 = Thu 24 Dec, a closure day; then Christmas Day, the weekend and the
	// Boxing Day substitute (Mon 28 Dec): Tue 29 Dec 2026.
	if _, errOut, code := c.run("event", "AC-2026-LON-000123", "claim-served", "--today", "2026-12-03"); code != 0 {
		t.Fatalf("event: %s", errOut)
	}
	var cs struct {
		Deadlines []struct {
			Kind  string
			Due   string
			Moved string
		}
	}
	c.json(&cs, "show", "AC-2026-LON-000123", "--json")
	found := false
	for _, d := range cs.Deadlines {
		if d.Kind == "acknowledgment_of_service" {
			found = true
			if d.Due != "2026-12-29" || !strings.Contains(d.Moved, "court closure day") {
				t.Errorf("AoS %+v", d)
			}
		}
	}
	if !found {
		t.Fatalf("no acknowledgment deadline: %+v", cs.Deadlines)
	}
	rules, _, _ := c.run("rules", "--pack", "admin-court-jr")
	if !strings.Contains(rules, "closure days 24/12/2026") {
		t.Errorf("rules do not show the closure day:\n%s", rules)
	}

	var q []struct{ Reference string }
	c.json(&q, "queue", "--json", "--jurisdiction", "ut-iac-jr")
	if len(q) != 2 || !strings.HasPrefix(q[0].Reference, "JR/") {
		t.Errorf("UT queue %+v", q)
	}
	var hits []struct{ Reference string }
	c.json(&hits, "find", "patel", "--json", "--jurisdiction", "ftt-tax")
	if len(hits) != 0 {
		t.Errorf("find patel among tax appeals: %+v", hits)
	}
	c.json(&hits, "find", "patel", "--json", "--jurisdiction", "admin-court-jr")
	if len(hits) != 1 {
		t.Errorf("find patel in the admin court: %+v", hits)
	}
	var due []struct{ Reference string }
	c.json(&due, "due", "--within", "60", "--json", "--jurisdiction", "ut-iac-jr")
	for _, d := range due {
		if !strings.HasPrefix(d.Reference, "JR/") {
			t.Errorf("UT due list holds %s", d.Reference)
		}
	}
	if len(due) == 0 {
		t.Error("nothing due in the UT within 60 days")
	}
	if _, errOut, code := c.run("queue", "--jurisdiction", "nowhere"); code != 2 || !strings.Contains(errOut, "admin-court-jr") {
		t.Errorf("bad jurisdiction: exit %d %s", code, errOut)
	}

	bad := filepath.Join(t.TempDir(), "notmail.eml")
	os.WriteFile(bad, []byte("\x00\x01\x02 binary"), 0o600)
	if _, errOut, code := c.run("mail", "import", "../../store/mailfile/testdata/morning", bad); code != 1 || !strings.Contains(errOut, "notmail.eml") {
		t.Errorf("bad mail: exit %d %s", code, errOut)
	}
	var ms []any
	c.json(&ms, "mail", "list", "--json", "--all")
	if len(ms) != 0 {
		t.Errorf("a failed mail import kept %d messages", len(ms))
	}
}

// A backup carries the mail attachments kept beside the database, and a
// restore puts them back beside it.
func TestBackupKeepsAttachments(t *testing.T) {
	c := newCLI(t)
	c.run("import", "../../testdata/jr.csv")
	if _, errOut, code := c.run("mail", "import", "../../store/mailfile/testdata/morning"); code != 0 {
		t.Fatalf("mail import: %s", errOut)
	}
	var before []struct {
		Attachments []struct{ Name, Path string }
	}
	c.json(&before, "mail", "list", "--json", "--case", "JR/00042/2026")
	if len(before) != 1 || len(before[0].Attachments) != 2 {
		t.Fatalf("attachments %+v", before)
	}
	dest := filepath.Join(t.TempDir(), "b.db")
	if _, errOut, code := c.run("backup", dest); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	os.RemoveAll(c.db + ".files") // the attachments lost
	if out, errOut, code := c.run("restore", dest); code != 0 {
		t.Fatalf("restore: %s %s", out, errOut)
	}
	var after []struct {
		Attachments []struct{ Name, Path string }
	}
	c.json(&after, "mail", "list", "--json", "--case", "JR/00042/2026")
	for _, a := range after[0].Attachments {
		fi, err := os.Stat(a.Path)
		if err != nil || fi.Mode().Perm() != 0o600 || !strings.HasPrefix(a.Path, c.db+".files") {
			t.Errorf("after restore %s: %v %v", a.Path, fi, err)
		}
	}
}
