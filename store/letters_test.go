package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

const contactsCSV = "reference,received,decision_date,appellant,representative,respondent,subject,amount,appellant_address,appellant_email,representative_address,representative_email,respondent_email\n" +
	"TC/2026/06001,2026-11-09,2026-10-30,Siobhán Ó Súilleabháin,Zoë Clarke,HMRC,vat,25000,\"12 Harbour Row, Cobh, Cork\",siobhan@example.ie,\"3 Bank Street\nLeeds LS1 5AB\",zoe@clarke.example,appeals@hmrc.example\n" +
	"TC/2026/06002,2026-11-10,2026-10-30,No Address Ltd,,HMRC,vat,25000,,,,,\n"

func TestImportContactsCSVAndJSON(t *testing.T) {
	s := open(t)
	if _, err := s.Import(ctx, []string{write(t, "c.csv", contactsCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Case(ctx, "TC/2026/06001")
	if err != nil {
		t.Fatal(err)
	}
	want := Contacts{AppellantAddress: "12 Harbour Row, Cobh, Cork", AppellantEmail: "siobhan@example.ie",
		RepresentativeAddress: "3 Bank Street\nLeeds LS1 5AB", RepresentativeEmail: "zoe@clarke.example", RespondentEmail: "appeals@hmrc.example"}
	if c.Contacts == nil || *c.Contacts != want {
		t.Errorf("contacts: %+v", c.Contacts)
	}
	if c, _ := s.Case(ctx, "TC/2026/06002"); c.Contacts != nil {
		t.Errorf("a notice without addresses: %+v", c.Contacts)
	}
	js := `[{"reference":"TC/2026/06003","received":"2026-11-11","appellant":"Zoë Ng","subject":"vat","respondent_email":"r@hmrc.example","appellant_address":"1 Road, Town"}]`
	if _, err := s.Import(ctx, []string{write(t, "c.json", js)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Case(ctx, "TC/2026/06003"); c.Contacts == nil || c.Contacts.RespondentEmail != "r@hmrc.example" || c.Contacts.AppellantAddress != "1 Road, Town" {
		t.Errorf("JSON contacts: %+v", c.Contacts)
	}
	// Re-importing the same file changes nothing; a bad email is refused
	// with its line and field.
	if res, err := s.Import(ctx, []string{write(t, "c.csv", contactsCSV)}, ImportOptions{ActOptions: act()}); err != nil || res.Unchanged != 2 {
		t.Errorf("re-import: %+v %v", res, err)
	}
	bad := "reference,received,appellant,subject,appellant_email\nTC/2026/06009,2026-11-11,X,vat,not-an-address\n"
	res, err := s.Import(ctx, []string{write(t, "bad.csv", bad)}, ImportOptions{ActOptions: act()})
	if err == nil || len(res.Problems) != 1 || res.Problems[0].Line != 2 || res.Problems[0].Field != "appellant_email" {
		t.Errorf("bad email: %v %+v", err, res.Problems)
	}
}

func TestSaveLetterIsARecord(t *testing.T) {
	s := open(t)
	if _, err := s.Import(ctx, []string{write(t, "c.csv", contactsCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	l, err := s.SaveLetter(ctx, "tc/2026/06001", NewLetter{Template: "ftt-tax/acknowledgement", Title: "Acknowledgement",
		Recipient: "appellant", RecipientName: "Siobhán Ó Súilleabháin", Channel: "letter",
		Markdown: []byte("Dear Siobhán,\n"), PDF: []byte("%PDF-1.3 test")}, act())
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != 1 || l.Reference != "TC/2026/06001" || l.Event == 0 {
		t.Errorf("saved: %+v", l)
	}
	for _, p := range []string{l.Path, l.PDFPath} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want 0600", p, fi, err)
		}
	}
	for d := filepath.Dir(l.Path); d != filepath.Dir(s.FilesDir()); d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, want 0700", d, fi.Mode().Perm())
		}
	}
	c, _ := s.Case(ctx, "TC/2026/06001")
	last := c.Events[len(c.Events)-1]
	if len(c.Letters) != 1 || c.Letters[0].ID != l.ID || c.Letters[0].Path != l.Path || c.Letters[0].PDFPath != l.PDFPath ||
		last.Kind != domain.EventCorrespondence || last.Data.Way != "out" || last.Data.Letter != l.ID ||
		!strings.HasPrefix(last.Detail, "letter out: Acknowledgement to Siobhán Ó Súilleabháin (appellant)") {
		t.Errorf("case: letters %+v, last event %+v", c.Letters, last)
	}
	if b, err := s.LetterText(&c.Letters[0]); err != nil || string(b) != "Dear Siobhán,\n" {
		t.Errorf("reopened: %q %v", b, err)
	}
	// Never rewritten: the row refuses changes, and so does the store.
	if _, err := s.db.Exec("UPDATE letters SET title = 'x'"); err == nil {
		t.Error("a saved letter was rewritten")
	}
	if _, err := s.db.Exec("DELETE FROM letters"); err == nil {
		t.Error("a saved letter was deleted")
	}
	// A file changed behind caseload's back is noticed, not shown as the record.
	os.WriteFile(l.Path, []byte("changed"), 0o600)
	if _, err := s.LetterText(&c.Letters[0]); err == nil || !strings.Contains(err.Error(), "changed since it was saved") {
		t.Errorf("a changed file: %v", err)
	}
	// A correction is a new letter that says what it replaces.
	fix, err := s.SaveLetter(ctx, "TC/2026/06001", NewLetter{Template: "ftt-tax/acknowledgement", Title: "Acknowledgement",
		Recipient: "appellant", Channel: "letter", Replaces: l.ID, Markdown: []byte("Dear Siobhán (corrected),\n")}, act())
	if err != nil {
		t.Fatal(err)
	}
	c, _ = s.Case(ctx, "TC/2026/06001")
	if len(c.Letters) != 2 || c.Letters[0].ReplacedBy != fix.ID || c.Letters[1].Replaces != l.ID ||
		!strings.Contains(c.Events[len(c.Events)-1].Detail, "replacing letter 1 of 16/11/2026") {
		t.Errorf("correction: %+v %s", c.Letters, c.Events[len(c.Events)-1].Detail)
	}
	if _, err := s.SaveLetter(ctx, "TC/2026/06001", NewLetter{Template: "t/x", Title: "T", Recipient: "appellant", Channel: "letter",
		Replaces: l.ID, Markdown: []byte("x")}, act()); err == nil || !strings.Contains(err.Error(), "already replaced by letter 2") {
		t.Errorf("second correction of one letter: %v", err)
	}
	if _, err := s.SaveLetter(ctx, "TC/2026/06002", NewLetter{Template: "t/x", Title: "T", Recipient: "appellant", Channel: "letter",
		Replaces: l.ID, Markdown: []byte("x")}, act()); err == nil || !strings.Contains(err.Error(), "has no letter 1") {
		t.Errorf("replacing another case's letter: %v", err)
	}
	// A refused save leaves no file behind.
	entries, _ := os.ReadDir(filepath.Join(s.FilesDir(), "letters"))
	n := 0
	for _, e := range entries {
		sub, _ := os.ReadDir(filepath.Join(s.FilesDir(), "letters", e.Name()))
		n += len(sub)
	}
	if n != 3 { // letter 1 .md and .pdf, letter 2 .md
		t.Errorf("%d files under letters/, want 3", n)
	}
	mustCheck(t, s)
}

func TestAllocatedOnAndLetterFacts(t *testing.T) {
	s := open(t)
	if _, err := s.Import(ctx, []string{write(t, "c.csv", contactsCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"TC/2026/06002", "TC/2026/06001"} {
		if _, err := s.Categorise(ctx, ref, domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
			t.Fatal(err)
		}
	}
	refs, err := s.AllocatedOn(ctx, today)
	if err != nil || strings.Join(refs, " ") != "TC/2026/06001 TC/2026/06002" {
		t.Errorf("allocated on %s: %v %v", today, refs, err)
	}
	if refs, _ := s.AllocatedOn(ctx, today.AddDays(1)); len(refs) != 0 {
		t.Errorf("the next day: %v", refs)
	}
	f, p, err := s.LetterFacts(ctx, "TC/2026/06001")
	if err != nil || p.ID != "ftt-tax" || f.Track != domain.Standard || f.Notice.RepresentativeEmail != "zoe@clarke.example" ||
		len(f.Deadlines) == 0 || len(f.Events) != 2 {
		t.Errorf("facts: %+v %v", f, err)
	}
}

func TestLettersOfACase(t *testing.T) {
	s := open(t)
	if _, err := s.Import(ctx, []string{write(t, "c.csv", contactsCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	if ls, err := s.Letters(ctx, "TC/2026/06001"); err != nil || len(ls) != 0 {
		t.Errorf("before: %v %v", ls, err)
	}
	if _, err := s.SaveLetter(ctx, "TC/2026/06001", NewLetter{Template: "t/x", Title: "T", Recipient: "appellant", Channel: "letter",
		Markdown: []byte("x")}, act()); err != nil {
		t.Fatal(err)
	}
	if ls, err := s.Letters(ctx, "tc/2026/06001"); err != nil || len(ls) != 1 || ls[0].Reference != "TC/2026/06001" {
		t.Errorf("after: %+v %v", ls, err)
	}
	if _, err := s.Letters(ctx, "TC/2026/09999"); err == nil {
		t.Error("letters of a case not held")
	}
}
