package letter

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/letterdesk"
)

const csv = "reference,received,decision_date,appellant,representative,respondent,subject,amount,appellant_address\n" +
	"TC/2026/06001,2026-11-09,2026-10-30,Siobhán Ó Súilleabháin,,HMRC,vat,2500000,\"12 Harbour Row, Cobh, Cork\"\n" +
	"TC/2026/06002,2026-11-10,2026-10-30,No Address Ltd,,HMRC,vat,25000,\n"

var today = domain.MustDate("2026-11-16")

// desk is a real store in a temporary directory with two cases allocated
// to Complex on Mon 16 Nov 2026 (statement of case 60 days after: Fri 15
// Jan 2027, r25(1)(b)).
func desk(t *testing.T) (*letterdesk.Desk, *store.Store) {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(filepath.Join(dir, "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := filepath.Join(dir, "n.csv")
	os.WriteFile(f, []byte(csv), 0o600)
	act := store.ActOptions{User: "Priya Shah", On: today}
	if _, err := s.Import(context.Background(), []string{f}, store.ImportOptions{ActOptions: act}); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"TC/2026/06001", "TC/2026/06002"} {
		if _, err := s.Categorise(context.Background(), ref, domain.Complex, store.CategoriseOptions{ActOptions: act}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := domain.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &letterdesk.Desk{Store: s, Templates: all, Office: domain.LetterOffice{Name: "First-tier Tribunal (Tax Chamber)"},
		User: "Priya Shah", Today: today}, s
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	return tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
}

// press sends a key and runs the command it returns, feeding the result
// back, as the Bubble Tea runtime would (an editor process is not run).
func press(t *testing.T, m Model, k string) Model {
	t.Helper()
	m, cmd := m.Update(keyMsg(k))
	return settle(m, cmd)
}

func settle(m Model, cmd tea.Cmd) Model {
	for cmd != nil {
		msg := cmd()
		if _, ok := msg.(editReadyMsg); ok {
			m, _ = m.Update(msg)
			return m
		}
		m, cmd = m.Update(msg)
	}
	return m
}

func checkSize(t *testing.T, m Model, w, h int) string {
	t.Helper()
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d wide, want %d: %q", i+1, got, w, ansi.Strip(l))
		}
	}
	return ansi.Strip(v)
}

// W on a case: choose the notice of allocation, read the draft, save it;
// the case then lists the letter and the timeline has correspondence out.
func TestChooseDraftSave(t *testing.T) {
	d, s := desk(t)
	m := New(d, DefaultKeyMap(), "")
	m.SetSize(80, 24)
	m = settle(m, m.Open("TC/2026/06001", "ftt-tax"))
	screen := checkSize(t, m, 80, 24)
	if !strings.Contains(screen, "Write a letter on TC/2026/06001") || !strings.Contains(screen, "> Acknowledgement of your notice of appeal") {
		t.Fatalf("list:\n%s", screen)
	}
	m = press(t, m, "j")
	if !strings.Contains(checkSize(t, m, 80, 24), "> Notice of allocation (allocation, to appellant)") {
		t.Fatalf("j did not move to the next template:\n%s", m.View())
	}
	m = press(t, m, "enter")
	screen = checkSize(t, m, 80, 24)
	if !m.Viewing() || !strings.Contains(screen, "TC/2026/06001: Notice of allocation (draft)") ||
		!strings.Contains(screen, "To Siobhán Ó Súilleabháin (appellant) by letter") {
		t.Fatalf("draft:\n%s", screen)
	}
	m = press(t, m, "G")
	if screen = checkSize(t, m, 80, 24); !strings.Contains(screen, "Priya Shah") {
		t.Errorf("G does not reach the end of the letter:\n%s", screen)
	}
	if c, _ := s.Case(context.Background(), "TC/2026/06001"); len(c.Letters) != 0 {
		t.Fatal("drafting recorded a letter")
	}
	m = press(t, m, "enter")
	if m.Saved == nil || !strings.Contains(m.Status, "TC/2026/06001: saved letter 1 (Notice of allocation to Siobhán Ó Súilleabháin)") {
		t.Fatalf("save: %+v %q", m.Saved, m.Status)
	}
	c, _ := s.Case(context.Background(), "TC/2026/06001")
	last := c.Events[len(c.Events)-1]
	if len(c.Letters) != 1 || last.Kind != domain.EventCorrespondence || last.Data.Letter != 1 {
		t.Errorf("after save: %+v %+v", c.Letters, last)
	}
	if b, err := s.LetterText(&c.Letters[0]); err != nil || !strings.Contains(string(b), "Friday 15 January 2027") {
		t.Errorf("saved text: %v\n%s", err, b)
	}
	// Back on the list: saving again needs a new draft, so one enter
	// never saves twice. The saved letter is listed and reopens as saved,
	// read only.
	if m.Viewing() {
		t.Error("still on the saved draft")
	}
	screen = checkSize(t, m, 80, 24)
	if !strings.Contains(screen, "1 saved letter") {
		t.Errorf("the saved letter is not counted:\n%s", screen)
	}
	m = press(t, m, "G")
	if screen = checkSize(t, m, 80, 24); !strings.Contains(screen, "> saved letter 1, 16/11/2026: Notice of allocation to Siobhán Ó Súilleabháin") {
		t.Fatalf("saved letter not listed:\n%s", screen)
	}
	m = press(t, m, "enter")
	if screen = checkSize(t, m, 80, 24); !strings.Contains(screen, "saved letter, as saved") || !strings.Contains(screen, "Dear Siobhán Ó Súilleabháin,") {
		t.Fatalf("reopened:\n%s", screen)
	}
	m = press(t, m, "enter")
	m = press(t, m, "e")
	if c, _ := s.Case(context.Background(), "TC/2026/06001"); len(c.Letters) != 1 || m.Busy() {
		t.Error("a saved letter was saved again or edited")
	}
	m = press(t, m, "esc")
	m = press(t, m, "esc")
	if !m.Closed {
		t.Error("esc on the list does not close the pane")
	}
}

// e hands the body to the editor; what comes back is the draft, and saving
// keeps the edit.
func TestEditThenSave(t *testing.T) {
	d, s := desk(t)
	m := New(d, DefaultKeyMap(), "")
	m.SetSize(60, 20)
	m = settle(m, m.Open("TC/2026/06001", "ftt-tax"))
	m.Choose("allocation")
	m = press(t, m, "enter")
	m, cmd := m.Update(keyMsg("e"))
	if !m.Busy() || cmd == nil {
		t.Fatal("e did not start the editor")
	}
	ready := cmd().(editReadyMsg)
	if ready.err != nil {
		t.Fatal(ready.err)
	}
	body, _ := os.ReadFile(ready.path)
	if fi, _ := os.Stat(ready.path); fi.Mode().Perm() != 0o600 || !strings.Contains(string(body), "Dear Siobhán") {
		t.Fatalf("editor file: %v %s", fi.Mode(), body)
	}
	if _, cmd = m.Update(ready); cmd == nil {
		t.Fatal("no editor process")
	}
	// The caseworker's edit, as the editor would leave it.
	os.WriteFile(ready.path, []byte(strings.Replace(string(body), "Dear Siobhán Ó Súilleabháin,", "Dear Ms Ó Súilleabháin,", 1)), 0o600)
	m = settle(m.Update(editedMsg{m.gen, ready.path, nil}))
	screen := checkSize(t, m, 60, 20)
	if !strings.Contains(screen, "(draft, edited)") || !strings.Contains(screen, "Dear Ms Ó Súilleabháin,") {
		t.Fatalf("after edit:\n%s", screen)
	}
	if _, err := os.Stat(ready.path); !os.IsNotExist(err) {
		t.Error("the editor's temporary file was left behind")
	}
	m = press(t, m, "enter")
	c, _ := s.Case(context.Background(), "TC/2026/06001")
	if len(c.Letters) != 1 {
		t.Fatalf("letters: %+v (%s)", c.Letters, m.Status)
	}
	if b, _ := s.LetterText(&c.Letters[0]); !strings.Contains(string(b), "Dear Ms Ó Súilleabháin,") {
		t.Errorf("the edit was not saved:\n%s", b)
	}
}

// No address: the draft says so at the top, and enter refuses to save.
func TestNoAddressRefusesToSave(t *testing.T) {
	d, s := desk(t)
	m := New(d, DefaultKeyMap(), "")
	m.SetSize(80, 24)
	m = settle(m, m.Open("TC/2026/06002", "ftt-tax"))
	m.Choose("allocation")
	m = press(t, m, "enter")
	screen := checkSize(t, m, 80, 24)
	if !strings.Contains(screen, "! TC/2026/06002: no address on file") {
		t.Fatalf("no warning:\n%s", screen)
	}
	m = press(t, m, "enter")
	if m.Saved != nil || !strings.HasPrefix(m.Status, "Not saved: TC/2026/06002: no address on file") {
		t.Errorf("saved without an address: %q", m.Status)
	}
	if c, _ := s.Case(context.Background(), "TC/2026/06002"); len(c.Letters) != 0 {
		t.Error("a letter was recorded")
	}
	// esc back to the list drops the draft; a late result is ignored.
	m = press(t, m, "esc")
	if m.Viewing() || m.Closed {
		t.Error("esc from the draft should go back to the list")
	}
	m, _ = m.Update(draftedMsg{gen: m.gen - 1})
	if m.Viewing() {
		t.Error("a stale draft result was shown")
	}
}

func TestJudicialReviewTemplatesAndKeyMap(t *testing.T) {
	d, _ := desk(t)
	m := New(d, DefaultKeyMap(), "")
	m.SetSize(60, 20)
	m = settle(m, m.Open("AC-2026-LON-000001", "admin-court-jr"))
	screen := checkSize(t, m, 60, 20)
	if !strings.Contains(screen, "5 templates · 0 saved letters") || strings.Contains(screen, "Notice of allocation") {
		t.Errorf("judicial review templates:\n%s", screen)
	}
	km := m.KeyMap()
	if len(km.ShortHelp()) == 0 || len(km.FullHelp()) != 2 {
		t.Error("help key map")
	}
	// Rebinding works: save on ctrl+s.
	km.Save.SetKeys("ctrl+s")
	m = New(d, km, "")
	m.SetSize(60, 20)
	m = settle(m, m.Open("TC/2026/06001", "ftt-tax"))
	m = press(t, m, "enter")
	if m, _ = m.Update(keyMsg("enter")); m.Busy() {
		t.Error("enter still saves after rebinding to ctrl+s")
	}
}

// The editor's mistakes: quitting without a change leaves the draft as it
// was (not "edited"); an editor that is not installed is named with what
// to do; with editing off, e says why and nothing starts.
func TestEditorMistakes(t *testing.T) {
	d, _ := desk(t)
	m := New(d, DefaultKeyMap(), "")
	m.SetSize(60, 20)
	m = settle(m, m.Open("TC/2026/06001", "ftt-tax"))
	m = press(t, m, "enter")
	m, cmd := m.Update(keyMsg("e"))
	ready := cmd().(editReadyMsg)
	m = settle(m.Update(editedMsg{m.gen, ready.path, nil}))
	if m.edited || !strings.Contains(m.Status, "TC/2026/06001: the draft is unchanged") || !m.Viewing() {
		t.Errorf("unchanged edit: edited %v, %q", m.edited, m.Status)
	}

	m = New(d, DefaultKeyMap(), "no-such-editor-here")
	m.SetSize(60, 20)
	m = settle(m, m.Open("TC/2026/06001", "ftt-tax"))
	m = press(t, m, "enter")
	m, cmd = m.Update(keyMsg("e"))
	ready = cmd().(editReadyMsg)
	// What tea.ExecProcess would report: the shell's 127.
	err := exec.Command("sh", "-c", `no-such-editor-here "$1"`, "editor", ready.path).Run()
	m = settle(m.Update(editedMsg{m.gen, ready.path, err}))
	if !strings.Contains(m.Status, "the editor (no-such-editor-here) was not found: set $EDITOR") || !m.Viewing() {
		t.Errorf("missing editor: %q", m.Status)
	}

	m = New(d, DefaultKeyMap(), "")
	m.SetNoEdit("no editing over SSH")
	m.SetSize(60, 20)
	m = settle(m, m.Open("TC/2026/06001", "ftt-tax"))
	m = press(t, m, "enter")
	if strings.Contains(m.View(), "edit in $EDITOR") {
		t.Error("edit offered with editing off")
	}
	if m, cmd = m.Update(keyMsg("e")); cmd != nil || m.Busy() || m.Status != "TC/2026/06001: no editing over SSH" {
		t.Errorf("e with editing off: %q", m.Status)
	}
}

// The no-address warning is wrapped, not cut, at 60 columns: it says what
// to do.
func TestNoAddressWarningWraps(t *testing.T) {
	d, _ := desk(t)
	m := New(d, DefaultKeyMap(), "")
	m.SetSize(60, 20)
	m = settle(m, m.Open("TC/2026/06002", "ftt-tax"))
	m.Choose("allocation")
	m = press(t, m, "enter")
	screen := checkSize(t, m, 60, 20)
	flat := strings.Join(strings.Fields(screen), " ")
	if !strings.Contains(flat, "has no postal address; import the notice again with appellant_address") {
		t.Errorf("warning cut:\n%s", screen)
	}
}

// t addresses the draft to the next party the case has: from the
// appellant to the respondent (there is no representative), whose missing
// address is said at once; an edited draft is not readdressed.
func TestReaddress(t *testing.T) {
	d, _ := desk(t)
	m := New(d, DefaultKeyMap(), "")
	m.SetSize(80, 24)
	m = settle(m, m.Open("TC/2026/06001", "ftt-tax"))
	m = press(t, m, "enter")
	m = press(t, m, "t")
	screen := checkSize(t, m, 80, 24)
	if dr, ok := m.Draft(); !ok || dr.To == "appellant" {
		t.Fatalf("t did not readdress:\n%s", screen)
	}
	if !strings.Contains(screen, "Dear HMRC") || !strings.Contains(screen, "no address on file") || !strings.Contains(screen, "another party (t)") {
		t.Errorf("readdressed:\n%s", screen)
	}
	var seen []string
	for i := 0; i < 3; i++ {
		if dr, _ := m.Draft(); dr.To == "appellant" {
			break
		}
		m = press(t, m, "t")
		dr, _ := m.Draft()
		seen = append(seen, dr.To)
	}
	t.Logf("t went round %v", seen)
	if dr, _ := m.Draft(); dr.To != "appellant" || !strings.Contains(m.View(), "To Siobhán Ó Súilleabháin (appellant)") {
		t.Errorf("round the parties: %q %s", dr.To, m.Status)
	}
	m.edited = true
	if m = press(t, m, "t"); !strings.Contains(m.Status, "the draft was edited") {
		t.Errorf("edited draft: %q", m.Status)
	}
}
