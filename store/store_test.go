package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

const sampleCSV = "reference,received,decision_date,appellant,representative,respondent,subject,amount,grounds,hmrc_reference,late_reason\n" +
	"TC/2026/05001,2026-11-09,2026-10-30,Example Person,,HMRC,late-filing-penalty,100.00,Return was filed on time.,SA-9,\n" +
	"TC/2026/05002,2026-11-10,2026-09-15,Sample Trading Ltd,Sample & Co,HMRC,vat,25000,Input tax disallowed.,VAT-9,Illness.\n" +
	"TC/2026/05003,2026-11-11,2026-10-20,Test Holdings plc,,HMRC,corporation-tax,3000000,Important principle.,CT-9,\n"

var ctx = context.Background()

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(testDB(t), Options{FilesDir: testFiles(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var today = domain.MustDate("2026-11-16")

func act() ActOptions { return ActOptions{User: "tester", On: today} }

func imported(t *testing.T) *Store {
	t.Helper()
	s := open(t)
	res, err := s.Import(ctx, []string{write(t, "sample.csv", sampleCSV)}, ImportOptions{ActOptions: act()})
	if err != nil || res.Imported != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}
	return s
}

func mustCheck(t *testing.T, s *Store) {
	t.Helper()
	probs, _, err := s.Check(ctx)
	if err != nil || len(probs) > 0 {
		t.Fatalf("check: %v %+v", err, probs)
	}
}

func TestOpenCreatesPrivateFileAndMigrates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	path := filepath.Join(dir, "c.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var v int
	s.db.QueryRow("PRAGMA user_version").Scan(&v)
	s.Close()
	if v != SchemaVersion() {
		t.Errorf("user_version = %d, want %d", v, SchemaVersion())
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %o, want 600", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %o, want 700", fi.Mode().Perm())
	}
	// Opening again is a no-op.
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestNewerSchemaRefusedUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, _ := Open(path, Options{})
	s.db.Exec("PRAGMA user_version = 99")
	s.Close()
	before := fileHash(t, path)
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "not changed") {
		t.Fatalf("err = %v", err)
	}
	if fileHash(t, path) != before {
		t.Error("a newer database was modified")
	}
}

func TestForeignDatabaseRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	s, _ := Open(path, Options{})
	s.Close()
	os.Remove(path)
	// A plain SQLite file with someone else's table.
	prepareFile(path)
	db, _ := Open(filepath.Join(t.TempDir(), "x.db"), Options{})
	db.db.Exec("ATTACH ? AS o", path)
	db.db.Exec("CREATE TABLE o.stuff(x)")
	db.Close()
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "not a caseload") {
		t.Fatalf("err = %v", err)
	}
}

func fileHash(t *testing.T, p string) [32]byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestImportIdempotentAndAtomic(t *testing.T) {
	s := imported(t)
	q, _ := s.Queue(ctx, 10)
	if len(q) != 3 || q[0].Reference != "TC/2026/05001" {
		t.Fatalf("queue = %+v", q)
	}
	if got := []domain.Track{q[0].SuggestedTrack, q[1].SuggestedTrack, q[2].SuggestedTrack}; got[0] != domain.Paper || got[1] != domain.Standard || got[2] != domain.Complex {
		t.Errorf("suggested = %v", got)
	}
	// TC/2026/05002: decision Tue 15 Sep 2026; 30 days beginning with it end
	// Wed 14 Oct (15 Sep + 29); received Tue 10 Nov: 17 + 10 = 27 days late.
	// TC/2026/05001: 30 Oct + 29 = 28 Nov; received 9 Nov, in time.
	if !q[1].Late || q[1].DaysLate != 27 || q[0].Late {
		t.Errorf("lateness: %+v", q[1])
	}
	// Re-import: unchanged.
	res, err := s.Import(ctx, []string{write(t, "again.csv", sampleCSV)}, ImportOptions{ActOptions: act()})
	if err != nil || res.Imported != 0 || res.Unchanged != 3 {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	// Same reference, different content: an error for that row, and the good row is not imported.
	changed := "reference,received,decision_date,appellant,subject\n" +
		"TC/2026/05009,2026-11-11,2026-10-20,Good Row,vat\n" +
		"TC/2026/05001,2026-11-09,2026-10-30,Someone Else,vat\n"
	res, err = s.Import(ctx, []string{write(t, "changed.csv", changed)}, ImportOptions{ActOptions: act()})
	if !errors.Is(err, ErrInvalidImport) || len(res.Problems) != 1 || res.Problems[0].Line != 3 || res.Problems[0].Field != "reference" {
		t.Fatalf("changed: %+v %v", res, err)
	}
	if _, err := s.Case(ctx, "TC/2026/05009"); !errors.Is(err, ErrNotFound) {
		t.Error("a good row from a rejected file was imported")
	}
	// --skip-invalid imports the good row and still reports the bad one.
	res, err = s.Import(ctx, []string{write(t, "changed.csv", changed)}, ImportOptions{ActOptions: act(), SkipInvalid: true})
	if err != nil || res.Imported != 1 || res.Rejected != 1 {
		t.Fatalf("skip-invalid: %+v %v", res, err)
	}
	mustCheck(t, s)
}

func TestImportParseErrorChangesNothing(t *testing.T) {
	s := open(t)
	bad := "reference,received,decision_date,appellant,subject\nTC/2026/05009,2026-11-11,2026-10-20,Good Row,vat\nTC/2026/05010,not-a-date,2026-10-20,Bad Row,vat\n"
	res, err := s.Import(ctx, []string{write(t, "bad.csv", bad)}, ImportOptions{ActOptions: act()})
	if err == nil || len(res.Problems) == 0 || !strings.Contains(res.Problems[0].Error(), "bad.csv:3:") {
		t.Fatalf("%+v %v", res, err)
	}
	c, _ := s.Counts(ctx, today)
	if c.Queue != 0 {
		t.Errorf("queue = %d after a rejected file", c.Queue)
	}
}

func TestImportFormatsAndAssignedReferences(t *testing.T) {
	s := open(t)
	// BOM, CRLF, UK dates, £ amounts with commas, a label subject, a blank reference.
	content := "\ufeffReference,Received,Decision_Date,Appellant,Subject,Amount\r\n" +
		",09/11/2026,30/10/2026,Zoë Brontë,Late filing penalty,\"£1,234.56\"\r\n" +
		",10/11/2026,30/10/2026,Ann Other,vat,£12\r\n"
	res, err := s.Import(ctx, []string{write(t, "uk.csv", content)}, ImportOptions{ActOptions: act()})
	if err != nil || res.Imported != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	if res.References[0] != "TC/2026/00001" || res.References[1] != "TC/2026/00002" {
		t.Errorf("references = %v", res.References)
	}
	c, err := s.Case(ctx, "tc/2026/00001")
	if err != nil || *c.AmountPence != 123456 || c.Received.String() != "2026-11-09" || c.Subject != "late-filing-penalty" {
		t.Fatalf("%+v %v", c, err)
	}
	// Blank-reference rows are recognised by content on re-import.
	res, err = s.Import(ctx, []string{write(t, "uk.csv", content)}, ImportOptions{ActOptions: act()})
	if err != nil || res.Unchanged != 2 || res.Imported != 0 {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	// Accents are ignored by lookup.
	found, _ := s.Find(ctx, Search{Words: []string{"zoe", "bronte"}}, 10)
	if len(found) != 1 {
		t.Errorf("find zoe bronte = %d", len(found))
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	s := imported(t)
	if _, err := s.db.Exec("UPDATE events SET detail = 'x'"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("update: %v", err)
	}
	if _, err := s.db.Exec("DELETE FROM events"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("delete: %v", err)
	}
}

func TestCategoriseDeadlinesUndo(t *testing.T) {
	s := imported(t)
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Case(ctx, "TC/2026/05002")
	// Allocated Mon 16 Nov 2026 + 60 = Fri 15 Jan 2027 (r25(1)(b)).
	if c.TrackOrNone() != domain.Standard || len(c.Deadlines) != 1 || c.Deadlines[0].Due.String() != "2027-01-15" || c.Deadlines[0].Rule != "r25(1)(b)" {
		t.Fatalf("%+v", c)
	}
	if len(c.Events) != 2 || c.Events[1].User != "tester" || c.Events[1].Kind != domain.EventAllocated {
		t.Errorf("events: %+v", c.Events)
	}
	// Someone else's queue screen still shows it: refused, with who did it.
	_, err := s.Categorise(ctx, "TC/2026/05002", domain.Basic, CategoriseOptions{ActOptions: ActOptions{User: "other", On: today}, ExpectNew: true})
	if !errors.Is(err, ErrAlreadyDecided) || !strings.Contains(err.Error(), "tester") {
		t.Errorf("expect-new: %v", err)
	}
	// Re-categorising needs a reason.
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Basic, CategoriseOptions{ActOptions: act()}); err == nil {
		t.Error("re-categorised without a reason")
	}
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Basic, CategoriseOptions{ActOptions: act(), Reason: "small penalty only"}); err != nil {
		t.Fatal(err)
	}
	c, _ = s.Case(ctx, "TC/2026/05002")
	if c.TrackOrNone() != domain.Basic || len(c.Deadlines) != 0 {
		t.Errorf("after re-categorisation: %s %+v", c.TrackOrNone(), c.Deadlines)
	}
	// Undo twice: back to standard, then back to the queue.
	s.UndoAllocation(ctx, "TC/2026/05002", act())
	c, _ = s.Case(ctx, "TC/2026/05002")
	if c.TrackOrNone() != domain.Standard {
		t.Errorf("after one undo: %s", c.TrackOrNone())
	}
	s.UndoAllocation(ctx, "TC/2026/05002", act())
	c, _ = s.Case(ctx, "TC/2026/05002")
	if c.Track != nil || c.Status != domain.StatusNew || len(c.Deadlines) != 0 {
		t.Errorf("after two undos: %+v", c.CaseRow)
	}
	if _, err := s.UndoAllocation(ctx, "TC/2026/05002", act()); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("third undo: %v", err)
	}
	if n := len(c.Events); n != 5 { // received, 2 allocations, 2 undos
		t.Errorf("%d events; history must keep every step", n)
	}
	if cnt, _ := s.Counts(ctx, today); cnt.Queue != 3 {
		t.Errorf("queue count %d", cnt.Queue)
	}
	mustCheck(t, s)
}

func TestStatementOfCaseAndDue(t *testing.T) {
	s := imported(t)
	s.Categorise(ctx, "TC/2026/05001", domain.Paper, CategoriseOptions{ActOptions: act()})
	s.Categorise(ctx, "TC/2026/05003", domain.Complex, CategoriseOptions{ActOptions: act()})
	// Paper 16 Nov + 42 = Mon 28 Dec (substitute Boxing Day) -> Tue 29 Dec 2026.
	// Complex: costs opt-out 16 Nov + 28 = 14 Dec (optional, never in due); SoC 15 Jan 2027.
	later := domain.MustDate("2027-01-05")
	items, err := s.Due(ctx, later, 14, 0, 10)
	if err != nil || len(items) != 2 {
		t.Fatalf("%+v %v", items, err)
	}
	if items[0].Reference != "TC/2026/05001" || items[0].Due.String() != "2026-12-29" || items[0].DaysLeft != -7 {
		t.Errorf("first due: %+v", items[0])
	}
	if items[1].Reference != "TC/2026/05003" || items[1].DaysLeft != 10 {
		t.Errorf("second due: %+v", items[1])
	}
	cnt, _ := s.Counts(ctx, later)
	if cnt.Overdue != 1 || cnt.Due != 0 {
		t.Errorf("counts: %+v", cnt)
	}
	// The statement arrives on 4 Dec: the r25 deadline is met and the r26 reply is due 4 Dec + 30 =
	// Sun 3 Jan 2027 -> Mon 4 Jan 2027 (optional: it lapses, never overdue).
	if _, err := s.RecordEvent(ctx, "TC/2026/05001", domain.EventStatementOfCase, ActOptions{User: "tester", On: domain.MustDate("2026-12-04")}, ""); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Case(ctx, "TC/2026/05001")
	if len(c.Deadlines) != 2 || c.Deadlines[0].Status != domain.DeadlineMet || c.Deadlines[1].Due.String() != "2027-01-04" {
		t.Errorf("%+v", c.Deadlines)
	}
	if _, err := s.RecordEvent(ctx, "TC/2026/05002", domain.EventStatementOfCase, act(), ""); err == nil {
		t.Error("statement of case on an uncategorised case accepted")
	}
	if _, err := s.RecordEvent(ctx, "TC/2026/05001", "lunch", act(), ""); err == nil {
		t.Error("unknown event accepted")
	}
	mustCheck(t, s)
}

func TestFind(t *testing.T) {
	s := imported(t)
	s.AddNote(ctx, "TC/2026/05003", "Judge asked about the zebra crossing", act())
	tests := []struct {
		q    string
		want []string
	}{
		{"sample", []string{"TC/2026/05002"}},
		{"SAMP trad", []string{"TC/2026/05002"}},
		{"TC/2026/05001", []string{"TC/2026/05001"}},
		{"2026", []string{"TC/2026/05003", "TC/2026/05002", "TC/2026/05001"}}, // newest received first
		{"zebra", []string{"TC/2026/05003"}},
		{"VAT-9", []string{"TC/2026/05002"}},
		{`"(unbalanced`, []string{}},
		{`NEAR( AND OR *`, []string{}},
		{`"`, []string{}},
		{"track:complex", []string{}},
		{"subject:vat", []string{"TC/2026/05002"}},
		{"late:yes", []string{"TC/2026/05002"}},
		{"2026 received:<2026-11-11", []string{"TC/2026/05002", "TC/2026/05001"}},
		{"rep:sample", []string{"TC/2026/05002"}},
	}
	for _, tt := range tests {
		q, err := ParseSearch(tt.q)
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		got, err := s.Find(ctx, q, 10)
		if err != nil {
			t.Errorf("%q: %v", tt.q, err)
			continue
		}
		var refs []string
		for _, r := range got {
			refs = append(refs, r.Reference)
		}
		if strings.Join(refs, ",") != strings.Join(tt.want, ",") {
			t.Errorf("find %q = %v, want %v", tt.q, refs, tt.want)
		}
	}
	if _, err := ParseSearch("track:fast"); err == nil {
		t.Error("bad qualifier accepted")
	}
}

func TestInboxSnoozeDismiss(t *testing.T) {
	s := imported(t)
	items, err := s.Inbox(ctx, today, 20)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, it := range items {
		reasons = append(reasons, it.Reason)
	}
	joined := strings.Join(reasons, "|")
	if !strings.Contains(joined, "3 new appeals to categorise") || !strings.Contains(joined, "late appeal needs permission (r20(4)): 27 days late") {
		t.Fatalf("inbox: %v", reasons)
	}
	var late InboxItem
	for _, it := range items {
		if it.Kind == "late-appeal" {
			late = it
		}
	}
	if err := s.Snooze(ctx, late, today.AddDays(2), "", act()); err != nil {
		t.Fatal(err)
	}
	items, _ = s.Inbox(ctx, today, 20)
	for _, it := range items {
		if it.Key == late.Key {
			t.Error("snoozed item still shown")
		}
	}
	items, _ = s.Inbox(ctx, today.AddDays(2), 20)
	found := false
	for _, it := range items {
		found = found || it.Key == late.Key
	}
	if !found {
		t.Error("snoozed item did not return on its date")
	}
	s.Dismiss(ctx, late.Key, act())
	items, _ = s.Inbox(ctx, today.AddDays(5), 20)
	for _, it := range items {
		if it.Key == late.Key {
			t.Error("dismissed item still shown")
		}
	}
}

func TestBackupAndExport(t *testing.T) {
	s := imported(t)
	dest := filepath.Join(t.TempDir(), "b", "backup.db")
	if err := s.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(dest); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %o", fi.Mode().Perm())
	}
	if err := s.Backup(ctx, dest); err == nil {
		t.Error("backup overwrote an existing file")
	}
	b, err := Open(dest, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	mustCheck(t, b)
	var out strings.Builder
	if err := s.Export(ctx, &out, "csv"); err != nil || strings.Count(out.String(), "\n") != 4 || !strings.Contains(out.String(), "TC/2026/05003") {
		t.Errorf("export: %v\n%s", err, out.String())
	}
}
