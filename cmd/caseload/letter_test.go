package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jhillyerd/enmime/v2"
)

const lettersCSV = "reference,received,decision_date,appellant,representative,respondent,subject,amount,appellant_address,appellant_email,representative_address,representative_email,respondent_email\n" +
	"TC/2026/06001,2026-11-09,2026-10-30,Siobhán Ó Súilleabháin,Zoë Clarke,HMRC,vat,2500000,\"12 Harbour Row, Cobh, Cork\",siobhan@example.ie,\"3 Bank Street, Leeds LS1 5AB\",zoe@clarke.example,appeals@hmrc.example\n" +
	"TC/2026/06002,2026-11-10,2026-10-30,No Address Ltd,,HMRC,vat,25000,,,,,\n" +
	"TC/2026/06003,2026-11-10,2026-10-30,Third Party plc,,HMRC,vat,25000,\"1 Road, Town\",,,,\n"

func letterCLI(t *testing.T) *cli {
	c := newCLI(t)
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "caseload")
	os.MkdirAll(cfg, 0o700)
	os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("[office]\nname = \"First-tier Tribunal (Tax Chamber)\"\n"+
		"address = [\"PO Box 16972\", \"Birmingham B16 6TZ\"]\nemail = \"taxappeals@justice.example\"\n"), 0o600)
	csv := filepath.Join(t.TempDir(), "n.csv")
	os.WriteFile(csv, []byte(lettersCSV), 0o600)
	if _, errOut, code := c.run("import", csv); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	// Allocated Mon 16 Nov 2026 to Complex: statement of case 60 days
	// after = Fri 15 Jan 2027 (r25(1)(b)); costs opt-out 28 days after =
	// Mon 14 Dec 2026 (r10(1)(c)).
	for _, a := range [][]string{{"TC/2026/06001", "complex"}, {"TC/2026/06002", "standard"}, {"TC/2026/06003", "standard"}} {
		if _, errOut, code := c.run("categorise", a[0], a[1]); code != 0 {
			t.Fatalf("categorise: %s", errOut)
		}
	}
	return c
}

// Drafting prints the letter and records nothing; --save records it, and
// show --json then lists it on the case and its timeline.
func TestLetterDraftAndSave(t *testing.T) {
	c := letterCLI(t)
	out, errOut, code := c.run("letter", "TC/2026/06001", "allocation")
	if code != 0 || !strings.Contains(out, "Friday 15 January 2027") || !strings.Contains(out, "Monday 14 December 2026") ||
		!strings.Contains(out, "Dear Siobhán Ó Súilleabháin") {
		t.Fatalf("draft: %d %s\n%s", code, errOut, out)
	}
	var shown struct {
		Letters []struct {
			ID                           int64
			Template, Recipient, Channel string
			Path                         string
			PDFPath                      string `json:"pdf_path"`
			Replaces                     int64
		}
		Events []struct{ Kind, Detail string }
	}
	c.json(&shown, "show", "TC/2026/06001", "--json")
	if len(shown.Letters) != 0 {
		t.Fatalf("a draft was recorded: %+v", shown.Letters)
	}
	_, errOut, code = c.run("letter", "TC/2026/06001", "allocation", "--to", "representative", "--save", "-o", filepath.Join(t.TempDir(), "a.md"))
	if code != 0 || !strings.Contains(errOut, "TC/2026/06001: saved letter 1") {
		t.Fatalf("save: %d %s", code, errOut)
	}
	c.json(&shown, "show", "TC/2026/06001", "--json")
	last := shown.Events[len(shown.Events)-1]
	if len(shown.Letters) != 1 || shown.Letters[0].Template != "ftt-tax/allocation" || shown.Letters[0].Recipient != "representative" ||
		last.Kind != "correspondence" || !strings.Contains(last.Detail, "letter out: Notice of allocation to Zoë Clarke") {
		t.Fatalf("after save: %+v %+v", shown.Letters, last)
	}
	for _, p := range []string{shown.Letters[0].Path, shown.Letters[0].PDFPath} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v", p, err)
		}
	}
	// Reopened as saved; a correction says what it replaces.
	out, _, code = c.run("letter", "show", "TC/2026/06001", "1")
	if code != 0 || !strings.Contains(out, "Dear Zoë Clarke") {
		t.Errorf("letter show: %d %s", code, out)
	}
	_, errOut, code = c.run("letter", "TC/2026/06001", "allocation", "--to", "representative", "--save", "--replaces", "1", "-o", filepath.Join(t.TempDir(), "b.md"))
	if code != 0 {
		t.Fatalf("correction: %s", errOut)
	}
	out, _, _ = c.run("letter", "show", "TC/2026/06001", "2")
	if !strings.Contains(out, "This letter replaces our letter of Monday 16 November 2026 (Notice of allocation)") {
		t.Errorf("the correction does not say what it replaces:\n%s", out)
	}
	c.json(&shown, "show", "TC/2026/06001", "--json")
	if len(shown.Letters) != 2 || shown.Letters[1].Replaces != 1 {
		t.Errorf("letters: %+v", shown.Letters)
	}
	pdf := filepath.Join(t.TempDir(), "1.pdf")
	if _, errOut, code := c.run("letter", "show", "TC/2026/06001", "1", "--format", "pdf", "-o", pdf); code != 0 {
		t.Errorf("letter show --format pdf: %s", errOut)
	} else if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("reopened PDF: %.20q", b)
	}
	if _, errOut, code := c.run("letter", "show", "TC/2026/06001", "9"); code != 1 || !strings.Contains(errOut, "TC/2026/06001 has no letter 9") {
		t.Errorf("no such letter: %d %s", code, errOut)
	}
	// --edit: the caseworker's edit is what is saved.
	t.Setenv("EDITOR", "sed -i s/Dear/Hello/")
	if _, errOut, code := c.run("letter", "TC/2026/06001", "acknowledgement", "--edit", "--save", "-o", filepath.Join(t.TempDir(), "e.md")); code != 0 {
		t.Fatalf("--edit: %s", errOut)
	}
	if out, _, _ := c.run("letter", "show", "TC/2026/06001", "3"); !strings.Contains(out, "Hello Siobhán Ó Súilleabháin,") {
		t.Errorf("the edit was not saved:\n%s", out)
	}
}

func TestLetterFormats(t *testing.T) {
	c := letterCLI(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "a.pdf")
	if _, errOut, code := c.run("letter", "TC/2026/06001", "allocation", "--format", "pdf", "-o", pdf); code != 0 {
		t.Fatalf("pdf: %s", errOut)
	}
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("not a PDF: %.40q", b)
	}
	eml := filepath.Join(dir, "a.eml")
	if _, errOut, code := c.run("letter", "TC/2026/06001", "allocation", "--to", "representative", "--format", "eml", "-o", eml); code != 0 {
		t.Fatalf("eml: %s", errOut)
	}
	b, _ := os.ReadFile(eml)
	env, err := enmime.ReadEnvelope(bytes.NewReader(b))
	if err != nil || env.GetHeader("To") != "Zoë Clarke <zoe@clarke.example>" || env.GetHeader("Subject") != "TC/2026/06001: Notice of allocation" ||
		len(env.Attachments) != 1 || env.Attachments[0].ContentType != "application/pdf" {
		t.Errorf("eml: %v %v", err, env)
	}
	out, _, code := c.run("letter", "TC/2026/06001", "allocation", "--format", "txt")
	if code != 0 || strings.Contains(out, "**") || !strings.Contains(out, "TC/2026/06001: Notice of allocation\n====") {
		t.Errorf("txt: %s", out)
	}
	if _, errOut, code := c.run("letter", "TC/2026/06001", "allocation", "--format", "docx"); code != 2 || !strings.Contains(errOut, "--format") {
		t.Errorf("bad format: %d %s", code, errOut)
	}
}

// A letter to a party with no address says so before anything is drafted
// as a PDF, an email or a record; a preview still shows, with the warning.
func TestLetterWithoutAddress(t *testing.T) {
	c := letterCLI(t)
	_, errOut, code := c.run("letter", "TC/2026/06002", "allocation", "--format", "pdf", "-o", filepath.Join(t.TempDir(), "x.pdf"))
	if code != 1 || !strings.Contains(errOut, "TC/2026/06002: no address on file: the appellant (No Address Ltd) has no postal address") {
		t.Errorf("pdf without address: %d %s", code, errOut)
	}
	_, errOut, code = c.run("letter", "TC/2026/06002", "allocation", "--save")
	if code != 1 || !strings.Contains(errOut, "no postal address") {
		t.Errorf("save without address: %d %s", code, errOut)
	}
	out, errOut, code := c.run("letter", "TC/2026/06002", "allocation")
	if code != 0 || !strings.Contains(errOut, "warning") || !strings.Contains(out, "Dear No Address Ltd") {
		t.Errorf("preview: %d %s %s", code, errOut, out)
	}
	_, errOut, code = c.run("letter", "TC/2026/06001", "allocation", "--to", "respondent", "--format", "pdf", "-o", filepath.Join(t.TempDir(), "x.pdf"))
	if code != 1 || !strings.Contains(errOut, "HMRC") {
		t.Errorf("HMRC has only an email: %d %s", code, errOut)
	}
	if _, errOut, code := c.run("letter", "TC/2026/06003", "allocation", "--to", "representative"); code != 1 || !strings.Contains(errOut, "no representative") {
		t.Errorf("no representative: %d %s", code, errOut)
	}
	if _, errOut, code := c.run("letter", "TC/2026/06001", "chaser"); code != 1 ||
		!strings.Contains(errOut, `TC/2026/06001: "Direction not complied with" does not fit this case yet: no direction on the case is overdue`) {
		t.Errorf("a chaser with nothing to chase: %d %s", code, errOut)
	}
}

// A morning's allocations in one command: a PDF each and one to print;
// the case without an address is named and the exit status says so.
func TestLetterBatch(t *testing.T) {
	c := letterCLI(t)
	dir := filepath.Join(t.TempDir(), "print")
	out, errOut, code := c.run("letter", "batch", "allocation", "--allocated-on", "16/11/2026", "--dir", dir, "--save")
	if code != 1 || !strings.Contains(errOut, "not drafted: TC/2026/06002") {
		t.Errorf("batch: %d %s", code, errOut)
	}
	for _, f := range []string{"TC-2026-06001-allocation.pdf", "TC-2026-06003-allocation.pdf", "allocation-all.pdf"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(out, "2 letters for the 3 cases allocated on Mon 16 Nov 2026") || !strings.Contains(out, "(saved as letter 2)") {
		t.Errorf("batch output: %s", out)
	}
	if _, errOut, code := c.run("letter", "batch", "allocation", "--allocated-on", "17/11/2026", "--dir", dir); code != 1 || !strings.Contains(errOut, "no case was allocated on Tue 17 Nov 2026") {
		t.Errorf("empty day: %d %s", code, errOut)
	}
}

// A user's template wins; one with an unknown field is refused with its
// file and line, by letter list and letter check alike.
func TestLetterUserTemplates(t *testing.T) {
	c := letterCLI(t)
	dir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "caseload", "templates", "ftt-tax")
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "acknowledgement.md"), []byte("---\ntitle: Our acknowledgement\nto: appellant\nchannel: letter\nevent: correspondence\n---\nHello {{.Appellant.Name}}, we have {{.Reference}}.\n"), 0o600)
	out, _, code := c.run("letter", "TC/2026/06001", "acknowledgement")
	if code != 0 || !strings.Contains(out, "Hello Siobhán Ó Súilleabháin, we have TC/2026/06001.") {
		t.Errorf("override: %d %s", code, out)
	}
	out, _, _ = c.run("letter", "list", "--pack", "ftt-tax")
	if !strings.Contains(out, filepath.Join(dir, "acknowledgement.md")) || !strings.Contains(out, "ftt-tax/allocation") || strings.Contains(out, "government/") {
		t.Errorf("list: %s", out)
	}
	bad := filepath.Join(dir, "bad.md")
	os.WriteFile(bad, []byte("---\ntitle: Bad\nto: appellant\nchannel: letter\nevent: correspondence\n---\nDear {{.To.Name}},\n\n{{.Hearing.Venu}}\n"), 0o600)
	for _, args := range [][]string{{"letter", "list"}, {"letter", "check"}} {
		_, errOut, code := c.run(args...)
		if code != 1 || !strings.Contains(errOut, bad+":9:") || !strings.Contains(errOut, "Venu") {
			t.Errorf("%v: %d %s", args, code, errOut)
		}
	}
}

// letter check makes its own demo caseload, so it runs where no database
// exists yet (only import, demo, generate and this create one).
func TestLetterCheckRunsWithNoDatabase(t *testing.T) {
	c := newCLI(t)
	out, errOut, code := c.run("letter", "check")
	if code != 0 || !strings.Contains(out, "no errors") {
		t.Fatalf("letter check: exit %d\n%s\n%s", code, out, errOut)
	}
}
