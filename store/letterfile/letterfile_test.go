package letterfile

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"github.com/caseload/caseload/domain"
)

// allocation drafts the real notice of allocation on a Complex case
// allocated Mon 9 Nov 2026: statement of case 60 days after = Fri 8 Jan
// 2027 (r25); costs opt-out 28 days after = Mon 7 Dec 2026 (r10(1)(c)).
func allocation(t *testing.T, ref, appellant string) domain.Letter {
	t.Helper()
	p := domain.MustRulePack("ftt-tax")
	cal := domain.MustCalendar(domain.EnglandAndWales)
	events := []domain.Event{{ID: 1, Kind: domain.EventReceived, On: domain.MustDate("2026-11-02")},
		{ID: 2, Kind: domain.EventAllocated, On: domain.MustDate("2026-11-09"), Data: domain.EventData{Track: domain.Complex}}}
	st := domain.Replay(events)
	f := domain.LetterFacts{Notice: domain.Notice{Reference: ref, Received: domain.MustDate("2026-11-02"), Appellant: appellant,
		Representative: "Zoë Clarke", Respondent: "HMRC", Subject: "vat", AppellantAddress: "12 Harbour Row, Cobh, Cork",
		RepresentativeEmail: "zoe@clarke.example"},
		Track: domain.Complex, AllocatedOn: domain.MustDate("2026-11-09"), Deadlines: p.Deadlines(cal, st), Events: events}
	c, err := domain.NewLetterCase(p, f, "appellant", "Priya Shah", domain.MustDate("2026-11-09"), domain.LetterOffice{
		Name: "First-tier Tribunal (Tax Chamber)", Address: []string{"PO Box 16972", "Birmingham B16 6TZ"}, Email: "taxappeals@justice.example"})
	if err != nil {
		t.Fatal(err)
	}
	all, err := domain.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	tm, _ := domain.FindTemplate(all, "allocation", "ftt-tax")
	l, err := tm.Render(c)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
	}
	path := filepath.Join(t.TempDir(), "l.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// Read back with pdftotext: the reference, the accented names (the
// embedded font has their glyphs and maps them back to text) and the
// deadline dates are in the PDF, on A4 with page numbers.
func TestPDFReadBack(t *testing.T) {
	l := allocation(t, "TC/2026/04242", "Siobhán Ó Súilleabháin")
	b, err := PDF(l)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("/MediaBox [0 0 595.28 841.89]")) {
		t.Errorf("not an A4 PDF: %.200q", b)
	}
	text := strings.Join(strings.Fields(pdfText(t, b)), " ")
	for _, want := range []string{"TC/2026/04242", "Siobhán Ó Súilleabháin", "Friday 8 January 2027",
		"Monday 7 December 2026", "First-tier Tribunal (Tax Chamber)", "PO Box 16972", "Page 1 of", "rule 10(1)(c)"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the PDF's text:\n%s", want, text)
		}
	}
	if strings.Contains(text, "{nb}") {
		t.Error("page count alias left in the PDF")
	}
	again, _ := PDF(l)
	if !bytes.Equal(b, again) {
		t.Error("the same letter gave a different PDF")
	}
}

// A batch prints as one document, each letter numbered on its own.
func TestCombinedPDF(t *testing.T) {
	a, z := allocation(t, "TC/2026/04242", "Siobhán Ó Súilleabháin"), allocation(t, "TC/2026/04243", "Zoë Ng")
	b, err := PDF(a, z)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	pages := strings.Split(text, "\f")
	if len(pages) < 2 {
		t.Fatalf("%d pages", len(pages))
	}
	if !strings.Contains(pages[0], "TC/2026/04242, page 1") || !strings.Contains(text, "TC/2026/04243, page 1") ||
		!strings.Contains(text, "Zoë Ng") || !strings.Contains(text, "Siobhán Ó Súilleabháin") {
		t.Errorf("combined PDF:\n%s", text)
	}
	if _, err := PDF(); err == nil {
		t.Error("an empty batch printed")
	}
}

// Parsed back with enmime: To, From, Subject with the reference, the
// letter as text and the PDF attached.
func TestEMLParsesBack(t *testing.T) {
	l := allocation(t, "TC/2026/04242", "Siobhán Ó Súilleabháin")
	l.To = domain.LetterParty{Role: "representative", Name: "Zoë Clarke", Email: "zoe@clarke.example"}
	pdf, _ := PDF(l)
	at := time.Date(2026, 11, 9, 10, 30, 0, 0, time.UTC)
	b, err := EML(l, pdf, at)
	if err != nil {
		t.Fatal(err)
	}
	env, err := enmime.ReadEnvelope(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := env.GetHeader("To"); got != "Zoë Clarke <zoe@clarke.example>" {
		t.Errorf("To: %q", got)
	}
	if got := env.GetHeader("From"); !strings.Contains(got, "taxappeals@justice.example") {
		t.Errorf("From: %q", got)
	}
	if got := env.GetHeader("Subject"); got != "TC/2026/04242: Notice of allocation" {
		t.Errorf("Subject: %q", got)
	}
	if env.GetHeader("Message-ID") == "" || env.GetHeader("Date") != "Mon, 09 Nov 2026 10:30:00 +0000" || env.GetHeader("X-Unsent") != "1" {
		t.Errorf("headers: %v", env.Root.Header)
	}
	if !strings.Contains(env.Text, "Friday 8 January 2027") || !strings.Contains(env.Text, "Dear Siobhán Ó Súilleabháin") {
		t.Errorf("text: %s", env.Text)
	}
	if len(env.Attachments) != 1 || env.Attachments[0].FileName != "TC-2026-04242-allocation.pdf" ||
		env.Attachments[0].ContentType != "application/pdf" || !bytes.Equal(env.Attachments[0].Content, pdf) {
		t.Errorf("attachments: %+v", env.Attachments)
	}
	if len(env.Errors) > 0 {
		t.Errorf("parse errors: %v", env.Errors)
	}
	l.To.Email = ""
	if _, err := EML(l, pdf, at); err == nil || !strings.Contains(err.Error(), "no email address") {
		t.Errorf("no email: %v", err)
	}
}

// BenchmarkPDF: laying out one notice of allocation (a batch lays out one
// per case and then all of them again in one document).
func BenchmarkPDF(b *testing.B) {
	l := allocation(&testing.T{}, "TC/2026/04242", "Siobhán Ó Súilleabháin")
	for b.Loop() {
		if _, err := PDF(l); err != nil {
			b.Fatal(err)
		}
	}
}
