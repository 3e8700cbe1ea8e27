package pgprocess

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/pgtest"
	"github.com/caseload/caseload/store/synthetic"
)

// backend is one database the parity test runs caseload on, with its own
// files folder and its own (empty) configuration and data homes, so that
// nothing from the machine running the test reaches either side.
type backend struct {
	name, db, files, home string
}

func newBackend(t *testing.T, name, db string) *backend {
	t.Helper()
	dir := t.TempDir()
	b := &backend{name: name, db: db, files: filepath.Join(dir, "files"), home: filepath.Join(dir, "home")}
	for _, d := range []string{b.files, b.home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// run runs one caseload command on the backend and returns what it printed,
// stdout then stderr, with its exit status, in one string to compare.
// The names of the database and of the files folder are the only things
// that must differ between the two: they are replaced by DB and FILES.
func (b *backend) run(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"--db", b.db, "--today", "2026-11-16", "--user", "tester", "--no-color"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+b.home, "XDG_CONFIG_HOME="+filepath.Join(b.home, "config"),
		"XDG_DATA_HOME="+filepath.Join(b.home, "data"), "CASELOAD_FILES="+b.files, "NO_COLOR=1", "TZ=UTC",
		"CASELOAD_DB=", "CASELOAD_USER=", "CASELOAD_TODAY=", "EDITOR=", "VISUAL=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", b.name, err)
	}
	out := fmt.Sprintf("%s\n--- stderr\n%s\n--- exit %d\n", stdout.String(), stderr.String(), code)
	out = strings.ReplaceAll(out, b.files, "FILES")
	out = strings.ReplaceAll(out, b.db, "DB")
	// The moment a command's write was recorded is the clock's, read by
	// two processes a moment apart: its date stays, the time goes.
	return recordedAt.ReplaceAllString(out, "${1}T(recorded)")
}

var recordedAt = regexp.MustCompile(`(\d{4}-\d\d-\d\d)T\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)

// loadDemo fills the backend with the demo caseload, the same way on both
// (the store's own demo, as `caseload demo` loads it).
func (b *backend) loadDemo(t *testing.T) {
	t.Helper()
	// One clock for both loads: the time of day recorded on the demo's
	// events is the same on both sides.
	at := time.Date(2026, 11, 16, 9, 30, 0, 0, time.UTC)
	s, err := store.Open(b.db, store.Options{FilesDir: b.files, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := synthetic.Demo(context.Background(), s, domain.MustDate("2026-11-16"), "tester"); err != nil {
		t.Fatalf("%s: demo: %v", b.name, err)
	}
}

// firstDifference is the first line where two outputs part, with a line of
// context, for a failure message that can be read.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  sqlite:   %q\n  postgres: %q", i+1, x, y)
		}
	}
	return "same"
}

// parity runs one command on both backends and requires the same output to
// the byte (but for the database's and files folder's names).
func parity(t *testing.T, lite, pg *backend, args ...string) string {
	t.Helper()
	// The two at once: the test is a few hundred processes a side.
	var a string
	done := make(chan struct{})
	go func() {
		defer close(done)
		a = lite.run(t, args...)
	}()
	b := pg.run(t, args...)
	<-done
	if a != b {
		t.Errorf("caseload %s differs on PostgreSQL: %s", strings.Join(args, " "), firstDifference(a, b))
	}
	return a
}

// refsOf reads the references out of a command's --json output: the
// cases to show are taken from the caseload, not written down here.
func refsOf(t *testing.T, out string, n int) []string {
	t.Helper()
	out, _, _ = strings.Cut(out, "\n--- stderr")
	var rows []struct {
		Reference string `json:"reference"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("not a JSON list: %v: %.200s", err, out)
	}
	var refs []string
	for _, r := range rows {
		if r.Reference != "" && !containsString(refs, r.Reference) {
			refs = append(refs, r.Reference)
		}
		if len(refs) == n {
			break
		}
	}
	return refs
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestCommandsSameOnBothBackends: the demo caseload loaded into SQLite and
// into PostgreSQL, every documented reading command run on both (with
// --json where it has it), then a scripted sequence of writes on both and
// the readings again: the output must be the same to the byte. Only the
// database's name and the files folder's differ (they are two places);
// ids need no normalising, both databases giving them in the same order.
func TestCommandsSameOnBothBackends(t *testing.T) {
	url := pgtest.Fresh(t)
	binary(t)
	lite := newBackend(t, "sqlite", filepath.Join(t.TempDir(), "demo.db"))
	pg := newBackend(t, "postgres", url)
	lite.loadDemo(t)
	pg.loadDemo(t)

	queue := parity(t, lite, pg, "queue", "--json")
	parity(t, lite, pg, "queue", "--limit", "5")
	export := parity(t, lite, pg, "export", "--format", "json")
	parity(t, lite, pg, "export", "--format", "csv")
	inbox := parity(t, lite, pg, "inbox", "--json")
	parity(t, lite, pg, "inbox", "--limit", "20")
	due := parity(t, lite, pg, "due", "--within", "28", "--json")
	parity(t, lite, pg, "due")

	var refs []string
	for _, out := range []string{queue, inbox, due} {
		refs = append(refs, refsOf(t, out, 4)...)
	}
	for _, jur := range []string{"admin-court-jr", "ut-iac-jr", "appeals", "damages-claim"} {
		refs = append(refs, refsOf(t, lite.run(t, "--jurisdiction", jur, "export", "--format", "json"), 2)...)
	}
	refs = append(refs, refsOf(t, export, 3)...)
	if len(refs) < 12 {
		t.Fatalf("only %d cases to show: %v", len(refs), refs)
	}
	// reads runs the reading commands; after the writes (again) only
	// those the writes can change.
	reads := func(again bool) {
		for i, ref := range refs {
			parity(t, lite, pg, "show", ref, "--json")
			parity(t, lite, pg, "show", ref)
			if again && i%3 != 0 || i%2 != 0 {
				continue // the rest on every other case: enough kinds of case, half the processes
			}
			parity(t, lite, pg, "litigation", ref, "--json")
			parity(t, lite, pg, "part36", "list", ref, "--json")
			parity(t, lite, pg, "support", "list", ref, "--json")
			parity(t, lite, pg, "fee", "list", ref, "--json")
			parity(t, lite, pg, "note", ref, "--print")
		}
		if again {
			parity(t, lite, pg, "find", "--json", "zoë", "müller")
			parity(t, lite, pg, "queue", "--json")
			parity(t, lite, pg, "inbox", "--json")
			parity(t, lite, pg, "due", "--within", "400", "--json")
			parity(t, lite, pg, "export", "--format", "csv")
			for _, r := range []string{"rejections", "categorisation", "directions", "queries"} {
				parity(t, lite, pg, "report", r, "--format", "json")
			}
			parity(t, lite, pg, "check", "--json")
			parity(t, lite, pg, "mail", "list", "--all", "--json")
			parity(t, lite, pg, "query", "list", "--all", "--json")
			return
		}
		for _, q := range [][]string{
			{"smith"}, {"smi", "trad"}, {"track:basic"}, {"status:new", "late:yes"}, {"subject:vat"},
			{"received:<2026-01-01"}, {"received:>2026-10-01", "track:paper"}, {"rep:llp"}, {`"o'brien`}, {"a&b|c!"},
			{"zoë"}, {"ZOE"}, {"TC/2026/00451"}, {"AC-2026-LON-000203"}, {"r", "osei"},
		} {
			parity(t, lite, pg, append([]string{"find", "--json"}, q...)...)
		}
		parity(t, lite, pg, "find", "--limit", "7", "smith")
		parity(t, lite, pg, "find", "zoë")
		parity(t, lite, pg, "queue", "--json")
		parity(t, lite, pg, "inbox", "--json")
		parity(t, lite, pg, "--jurisdiction", "admin-court-jr", "inbox", "--json")
		parity(t, lite, pg, "due", "--within", "28", "--json")
		parity(t, lite, pg, "due", "--within", "400")
		parity(t, lite, pg, "--jurisdiction", "ut-iac-jr", "due", "--within", "60", "--json")
		parity(t, lite, pg, "old")
		parity(t, lite, pg, "export", "--format", "json")
		parity(t, lite, pg, "export", "--format", "csv")
		parity(t, lite, pg, "report")
		for _, r := range []string{"rejections", "extensions", "ageing", "flow", "categorisation", "directions",
			"queries", "complaints", "support-needs", "fees", "litigation"} {
			parity(t, lite, pg, "report", r, "--format", "json")
			parity(t, lite, pg, "report", r)
			parity(t, lite, pg, "report", r, "--by", "month", "--from", "2025-11-01", "--format", "csv")
		}
		parity(t, lite, pg, "--jurisdiction", "admin-court-jr", "report", "litigation", "--format", "md")
		parity(t, lite, pg, "--jurisdiction", "ut-iac-jr", "report", "flow", "--format", "md")
		parity(t, lite, pg, "check", "--json")
		parity(t, lite, pg, "check")
		parity(t, lite, pg, "recalc", "--dry-run", "--json")
		parity(t, lite, pg, "recalc", "--last", "--json")
		parity(t, lite, pg, "group", "suggest", "--json")
		parity(t, lite, pg, "mail", "list", "--json")
		parity(t, lite, pg, "mail", "list", "--all", "--json")
		parity(t, lite, pg, "mail", "list", "--unlinked")
		for id := 1; id <= 4; id++ {
			parity(t, lite, pg, "mail", "show", fmt.Sprint(id), "--json")
		}
		parity(t, lite, pg, "query", "list", "--json")
		parity(t, lite, pg, "query", "list", "--all", "--json")
		parity(t, lite, pg, "query", "list", "--complaints")
		parity(t, lite, pg, "query", "list", "--channel", "phone", "--limit", "3", "--offset", "1")
		for id := 1; id <= 4; id++ {
			parity(t, lite, pg, "query", "show", fmt.Sprint(id), "--json")
		}
		parity(t, lite, pg, "complaint", "list")
		parity(t, lite, pg, "contact", "find", "smith")
		parity(t, lite, pg, "contact", "show", "1", "--json")
		parity(t, lite, pg, "kb", "search", "hearing", "--json")
		parity(t, lite, pg, "kb", "topics")
		parity(t, lite, pg, "fee", "list", "--unpaid", "--json")
		parity(t, lite, pg, "fee", "table", "admin-court-jr")
		parity(t, lite, pg, "payment", "list", "--json")
		parity(t, lite, pg, "support", "codes")
		parity(t, lite, pg, "authority", "levels", "--json")
		parity(t, lite, pg, "rules", "--json")
		parity(t, lite, pg, "rules", "--pack", "admin-court-jr")
		parity(t, lite, pg, "letter", "list", "--json")
		parity(t, lite, pg, "user", "list", "--json")
		parity(t, lite, pg, "work", "--all", "--json")
		parity(t, lite, pg, "workload", "--json")
	}
	reads(false)
	if t.Failed() {
		t.Log("the readings of the demo differ; the writes are run anyway")
	}

	// The writes, the same on both, each compared as it is made.
	tax := refsOf(t, queue, 3)
	writes := [][]string{
		{"categorise", tax[0], "basic"},
		{"categorise", tax[0], "complex", "--reason", "Amount under appeal is larger"},
		{"undo", tax[0]},
		{"categorise", tax[1], "standard", "--confirm-late"},
		{"note", tax[1], "Spoke to Zoë Müller's representative"},
		{"flag", tax[2], "urgent"},
		{"bulk", "flag", "vulnerable", tax[1], tax[2], "--json"},
		{"bulk", "undo", "1", "--json"},
		{"bulk", "allocate", "paper", tax[2], "--reason", "small penalty", "--json"},
		{"direction", tax[1], "--text", "Appellant to send the bank statements", "--party", "appellant", "--days", "14", "--json"},
		{"comply", tax[1]},
		{"hearing", tax[1], "--on", "2027-03-01", "--venue", "Taylor House"},
		{"event", tax[1], "statement-of-case", "--date", "2026-11-13"},
		{"refer", tax[2], "judge", "--note", "Is the penalty notice valid?"},
		{"undo", tax[2]},
		{"letter", tax[1], "acknowledgement", "--save"},
		{"letter", tax[1], "allocation", "--save"},
		{"letter", "show", tax[1], "1"},
		{"letter", tax[1], "allocation"},
		{"query", "add", "Asked when the hearing is", "--channel", "phone", "--name", "Parity Caller", "--phone", "07700 900123",
			"--case", tax[1], "--topic", "hearing", "--new-contact", "--json"},
		{"query", "add", "Asked about fees", "--channel", "email", "--name", "Parity Caller", "--email", "parity@example.org",
			"--topic", "fees", "--resolve", "Sent the fees page", "--new-contact", "--json"},
		{"query", "list", "--all", "--json"},
		{"mail", "link", "1", tax[1]},
		{"mail", "replied", "1", "--summary", "Acknowledged"},
		{"return", refsOf(t, queue, 5)[4], "--reason", "grounds", "--json"},
		// Last, as they make the caseload a team's (tester is no user).
		{"user", "add", "lead", "--role", "team-leader"},
		{"--user", "lead", "user", "add", "asha", "--role", "caseworker"},
		{"--user", "asha", "take", tax[1]},
		{"--user", "asha", "take", tax[1]},
		{"--user", "lead", "assign", tax[2], "asha"},
		{"--user", "lead", "assign", refsOf(t, due, 1)[0], "asha"},
		{"--user", "asha", "release", tax[2]},
		{"--user", "asha", "work", "--json"},
		{"--user", "asha", "work", "--available", "--json"},
		{"--user", "lead", "work", "--all", "--json"},
		{"--user", "lead", "work", "--all", "--owner", "asha"},
		{"--user", "lead", "workload", "--json"},
		{"--user", "lead", "distribute", "--mode", "round-robin"},
		{"--user", "lead", "workload"},
		{"user", "list", "--json"},
	}
	for _, w := range writes {
		parity(t, lite, pg, w...)
	}
	refs = append(refs, tax...)
	reads(true)
}
