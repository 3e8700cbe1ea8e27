package store

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/mailfile"
)

// Regression tests for issue 22 at the store level.

func messageWith(t *testing.T, subject, date string, atts ...string) mailfile.Message {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "From: Sender <s@example.org>\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n", subject, date)
	for _, name := range atts {
		fmt.Fprintf(&b, "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"%s\"\r\n\r\ncontent of %s\r\n", name, name)
	}
	b.WriteString("--b--\r\n")
	m, err := mailfile.Parse(strings.NewReader(b.String()), subject+".eml")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Item 9: a files folder others can write to (a shared folder where a link
// was planted) is refused, and the link's target is untouched.
func TestAttachmentsRefusePlantedLinkInSharedFolder(t *testing.T) {
	s := open(t)
	victim := filepath.Join(t.TempDir(), "keys.txt")
	os.WriteFile(victim, []byte("secret"), 0o600)
	os.MkdirAll(filepath.Join(s.FilesDir(), "mail", "1"), 0o777)
	os.Chmod(s.FilesDir(), 0o777)
	os.Chmod(filepath.Join(s.FilesDir(), "mail"), 0o777)
	os.Symlink(victim, filepath.Join(s.FilesDir(), "mail", "1", "keys.txt"))
	_, err := s.ImportMail(ctx, []mailfile.Message{messageWith(t, "hello", "Mon, 9 Nov 2026 10:00:00 +0000", "keys.txt")}, act())
	if err == nil || !strings.Contains(err.Error(), "can be written by other users") {
		t.Fatalf("import into a shared files folder: %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "secret" {
		t.Fatalf("victim overwritten: %q", b)
	}
	// The same planted link with the folder made private: the attachment
	// goes to a new folder of its own; the link is never written through.
	os.Chmod(s.FilesDir(), 0o700)
	os.Chmod(filepath.Join(s.FilesDir(), "mail"), 0o700)
	if _, err := s.ImportMail(ctx, []mailfile.Message{messageWith(t, "hello", "Mon, 9 Nov 2026 10:00:00 +0000", "keys.txt")}, act()); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "secret" {
		t.Fatalf("victim overwritten: %q", b)
	}
	// The link is reported by check as a file no message names.
	probs, _, _ := s.Check(ctx)
	if len(probs) != 1 || !strings.Contains(probs[0].Problem, "belong to no message") {
		t.Errorf("check: %+v", probs)
	}
	// And a files folder that is a link is refused.
	s2 := open(t)
	elsewhere := t.TempDir()
	os.Symlink(elsewhere, s2.FilesDir())
	if _, err := s2.ImportMail(ctx, []mailfile.Message{messageWith(t, "x", "Mon, 9 Nov 2026 10:00:00 +0000", "a.txt")}, act()); err == nil {
		t.Fatal("files folder that is a link accepted")
	}
}

// Item 5: files left by an import killed before its commit (orphans under a
// reused id) never appear on the next message, and check lists orphans and
// missing files both ways.
func TestAttachmentOrphansNeverReusedAndChecked(t *testing.T) {
	s := open(t)
	// What a killed import left: message 1's folder in the old layout and a
	// staging folder, with no rows.
	os.MkdirAll(filepath.Join(s.FilesDir(), "mail", "1"), 0o700)
	os.Chmod(s.FilesDir(), 0o700)
	os.WriteFile(filepath.Join(s.FilesDir(), "mail", "1", "doc.pdf"), []byte("another sender's"), 0o600)
	os.MkdirAll(filepath.Join(s.FilesDir(), "mail", ".incoming-1"), 0o700)
	os.WriteFile(filepath.Join(s.FilesDir(), "mail", ".incoming-1", "x"), []byte("x"), 0o600)
	if _, err := s.ImportMail(ctx, []mailfile.Message{messageWith(t, "mine", "Mon, 9 Nov 2026 10:00:00 +0000", "doc.pdf")}, act()); err != nil {
		t.Fatal(err)
	}
	m, err := s.MailItem(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(m.Attachments[0].Path)
	if err != nil || string(b) != "content of doc.pdf" {
		t.Fatalf("message 1's doc.pdf is %q (%v): another message's file", b, err)
	}
	probs, _, _ := s.Check(ctx)
	if len(probs) != 1 || !strings.Contains(probs[0].Problem, "2 attachment file(s) belong to no message") {
		t.Errorf("check orphans: %+v", probs)
	}
	os.Remove(m.Attachments[0].Path)
	probs, _, _ = s.Check(ctx)
	found := false
	for _, p := range probs {
		found = found || strings.Contains(p.Problem, "doc.pdf is missing")
	}
	if !found {
		t.Errorf("check missing file: %+v", probs)
	}
}

// Item 5: a failed batch leaves no files behind.
func TestFailedMailBatchLeavesNoFiles(t *testing.T) {
	s := open(t)
	good := messageWith(t, "one", "Mon, 9 Nov 2026 10:00:00 +0000", "a.txt")
	bad := messageWith(t, "two", "Mon, 9 Nov 2026 10:00:00 +0000", "b.txt")
	bad.Hash = good.Hash + "x"
	// A trigger makes the second insert fail inside the batch.
	if _, err := s.db.Exec(`CREATE TRIGGER fail_two BEFORE INSERT ON mail WHEN NEW.subject = 'two' BEGIN SELECT RAISE(ABORT, 'injected'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportMail(ctx, []mailfile.Message{good, bad}, act()); err == nil {
		t.Fatal("injected failure ignored")
	}
	var files []string
	filepath.Walk(s.FilesDir(), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) > 0 {
		t.Errorf("files left by a rolled-back batch: %v", files)
	}
}

// Item 14: many attachments with one name are named uniquely in linear time
// (30,000 took 118 s when each name was found by counting up from 2).
func TestManyAttachmentsOneName(t *testing.T) {
	s := open(t)
	m := messageWith(t, "many", "Mon, 9 Nov 2026 10:00:00 +0000")
	for i := 0; i < 5000; i++ {
		m.Attachments = append(m.Attachments, mailfile.Attachment{Name: "doc.pdf", Data: []byte{byte(i)}})
	}
	m.Attachments = append(m.Attachments, mailfile.Attachment{Name: "doc (2).pdf", Data: []byte("x")})
	if _, err := s.ImportMail(ctx, []mailfile.Message{m}, act()); err != nil {
		t.Fatal(err)
	}
	got, _ := s.MailItem(ctx, 1)
	seen := map[string]bool{}
	for _, a := range got.Attachments {
		if seen[a.Path] {
			t.Fatalf("two attachments saved as %s", a.Path)
		}
		seen[a.Path] = true
	}
	if len(seen) != 5001 {
		t.Errorf("%d distinct files, want 5001", len(seen))
	}
}

// Item 11: a right-to-left override or other invisible character in a
// sender's file name is not kept in the saved name.
func TestAttachmentNameLosesBidiAndInvisibles(t *testing.T) {
	for _, name := range []string{"invoice\u202efdp.exe", "a\u200bb.pdf", "x\u2028y.txt", "t\U000E0041ag.pdf"} {
		got := safeFileName(name, 1)
		for _, r := range got {
			if domain.UnsafeRune(r) {
				t.Errorf("%q saved as %q", name, got)
			}
		}
	}
}

// Item 7: a message dated before 1970 is taken as undated, with a note.
func TestMailDatedBefore1970TakenAsUndated(t *testing.T) {
	s := open(t)
	res, err := s.ImportMail(ctx, []mailfile.Message{messageWith(t, "old", "Wed, 1 Jan 1800 10:00:00 +0000")}, act())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "before 1970") {
		t.Errorf("notes: %v", res.Notes)
	}
	m, _ := s.MailItem(ctx, 1)
	if !m.Received.Equal(act().On) || !m.Sent.IsZero() {
		t.Errorf("received %s sent %v; want today, undated", m.Received, m.Sent)
	}
}

// Item 16: user_version -1 is refused as not a caseload database, without a
// crash.
func TestNegativeSchemaVersionRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.db.Exec("PRAGMA user_version = -1")
	s.Close()
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "not a caseload database") {
		t.Fatalf("user_version -1: %v", err)
	}
}

// Item 16: a file the user may only read (0400) is opened read-only: reads
// work, writes say why not.
func TestReadOnlyFileCanBeRead(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may write any file: run as an ordinary user to test a 0400 database")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, []string{write(t, "n.csv", mailCasesCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	s.db.Exec("PRAGMA journal_mode=DELETE")
	s.Close()
	os.Chmod(path, 0o400)
	ro, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("0400 file: %v", err)
	}
	defer ro.Close()
	if _, err := ro.Case(ctx, "TC/2026/00012"); err != nil {
		t.Errorf("read: %v", err)
	}
	if _, err := ro.AddNote(ctx, "TC/2026/00012", "x", act()); err == nil || !strings.Contains(err.Error(), "can only be read") {
		t.Errorf("write: %v", err)
	}
}

// Item 4: a full disk is named as such.
func TestDiskFullNamed(t *testing.T) {
	err := diskFull(fmt.Errorf("insert: %w", sql.ErrConnDone), "/x/c.db")
	if err == nil || strings.Contains(err.Error(), "disk full") {
		t.Errorf("unrelated error called disk full: %v", err)
	}
	err = diskFull(fmt.Errorf("commit: database or disk is full (13)"), "/x/c.db")
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("SQLITE_FULL not named: %v", err)
	}
}

// Item 11: export to a terminal shows no control characters; JSON always
// has them escaped; CSV cells are neutralised.
func TestExportSafeForTerminalsAndSpreadsheets(t *testing.T) {
	s := open(t)
	csv := "reference,received,decision_date,appellant,subject,grounds\n" +
		"TC/2026/00012,2026-11-02,2026-10-20,\"=HYPERLINK(\"\"http://x\"\")\x1b[2J\",vat,\"a\u202eb \u0085c\"\n"
	if _, err := s.Import(ctx, []string{write(t, "n.csv", csv)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	var term, file, js bytes.Buffer
	s.ExportTo(ctx, &term, "csv", true)
	s.ExportTo(ctx, &file, "csv", false)
	s.ExportTo(ctx, &js, "json", false)
	if strings.ContainsAny(term.String(), "\x1b\u202e\u0085") {
		t.Errorf("terminal export holds control characters: %q", term.String())
	}
	if !strings.Contains(file.String(), "'=HYPERLINK") || !strings.Contains(file.String(), "\x1b[2J") {
		t.Errorf("file export: formula not neutralised or data changed: %q", file.String())
	}
	if strings.ContainsAny(js.String(), "\x1b\u202e\u0085") || !strings.Contains(js.String(), `\u202e`) {
		t.Errorf("JSON export not escaped: %q", js.String())
	}
	_ = time.Now
}

// Issue 22 (smaller): the re-categorisation refusal names who allocated.
func TestRecategorisationRefusalNamesWhoAllocated(t *testing.T) {
	s := open(t)
	if _, err := s.Import(ctx, []string{write(t, "n.csv", mailCasesCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Categorise(ctx, "TC/2026/00012", domain.Basic, CategoriseOptions{ActOptions: ActOptions{User: "alice", On: today}}); err != nil {
		t.Fatal(err)
	}
	for _, track := range []domain.Track{domain.Basic, domain.Standard} {
		_, err := s.Categorise(ctx, "TC/2026/00012", track, CategoriseOptions{ActOptions: ActOptions{User: "bob", On: today}})
		if err == nil || !strings.Contains(err.Error(), "by alice") {
			t.Errorf("%s: %v", track, err)
		}
	}
}
