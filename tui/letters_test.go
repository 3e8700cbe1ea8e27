package tui

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/crypto/ssh"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/letterdesk"
	"github.com/caseload/caseload/tui/screen"
)

// addressed is two appeals with the appellant's postal address, so a
// letter to the appellant can be saved; TC/2026/05202 is allocated to
// Standard on Mon 16 Nov 2026 in letterFixture.
const addressed = "reference,received,decision_date,appellant,representative,subject,amount,grounds,appellant_address\n" +
	"TC/2026/05201,2026-11-09,2026-10-30,Siobhán Ó Súilleabháin,,vat,100.00,Return was filed on time.,\"12 Harbour Row, Cobh\"\n" +
	"TC/2026/05202,2026-11-10,2026-10-30,Zoë Trading Ltd,,vat,25000,Input tax disallowed.,\"1 Mill Lane, Leeds LS1 1AA\"\n"

func letterFixture(t *testing.T) *store.Store {
	t.Helper()
	st := fixture(t, addressed)
	if _, err := st.Categorise(context.Background(), "TC/2026/05202", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "tester", On: today}}); err != nil {
		t.Fatal(err)
	}
	return st
}

func letterConfig(t *testing.T, st *store.Store, user string) Config {
	t.Helper()
	all, err := domain.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	return Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: user, NoColor: true,
		Letters: &letterdesk.Desk{Store: st, Templates: all, Office: domain.LetterOffice{Name: "First-tier Tribunal (Tax Chamber)"}, User: user, Today: today},
		Editor:  "true"}
}

// selectCase moves the Cases screen's selection to ref.
func (h *harness) selectCase(ref string) {
	h.t.Helper()
	h.press("4")
	for i := 0; i < 10 && !strings.Contains(selectedLine(h.screen()), ref); i++ {
		h.press("j")
	}
	if !strings.Contains(selectedLine(h.screen()), ref) {
		h.t.Fatalf("%s not selected:\n%s", ref, h.screen())
	}
}

func selectedLine(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, "▸") {
			return l
		}
	}
	return ""
}

// W on the row selected: choose the notice of allocation, read the draft,
// save it; the case lists the letter, its timeline has correspondence out,
// the status names the case and the letter, and the open pane shows it.
func TestLetterWrittenFromTheRoot(t *testing.T) {
	st := letterFixture(t)
	h := startWith(t, letterConfig(t, st, "tester"), 80, 24)
	h.selectCase("TC/2026/05202")
	h.press("W")
	h.mustShow("Write a letter on TC/2026/05202", "> Acknowledgement of your notice of appeal")
	if !h.model().letters.open {
		t.Fatal("W did not open the letter")
	}
	h.press("j")
	h.mustShow("> Notice of allocation")
	// Global keys are refused while a draft is open.
	h.press("enter")
	h.mustShow("TC/2026/05202: Notice of allocation (draft)", "To Zoë Trading Ltd (appellant) by letter")
	for _, k := range []string{"q", "2", "tab", "/"} {
		h.press(k)
		if m := h.model(); !m.letters.open || !m.letters.Viewing() {
			t.Fatalf("%s left the draft:\n%s", k, h.screen())
		}
	}
	h.mustShow("TC/2026/05202: a letter is open: esc goes back to the templates first")
	if c, _ := st.Case(context.Background(), "TC/2026/05202"); len(c.Letters) != 0 {
		t.Fatal("drafting saved a letter")
	}
	h.press("enter")
	h.mustShow("TC/2026/05202: saved letter 1 (Notice of allocation to Zoë Trading Ltd)", "1 saved letter")
	c, err := st.Case(context.Background(), "TC/2026/05202")
	if err != nil {
		t.Fatal(err)
	}
	last := c.Events[len(c.Events)-1]
	if len(c.Letters) != 1 || c.Letters[0].Template != "ftt-tax/allocation" || last.Kind != domain.EventCorrespondence ||
		last.Data.Way != "out" || last.Data.Letter != 1 || last.User != "tester" {
		t.Fatalf("letters %+v, last event %+v", c.Letters, last)
	}
	// esc closes it; the case opened shows the letter on its timeline.
	h.press("esc")
	if h.model().letters.open {
		t.Fatal("esc on the template list did not close the letter")
	}
	h.press("enter")
	h.mustShow("letter out: Notice of allocation to Zoë Trading", "(letter 1)")
}

// With the case open in the pane (beside the list at 120 columns), W
// writes on that case, and a save refreshes the pane under it.
func TestLetterOnTheOpenPaneRefreshesIt(t *testing.T) {
	st := letterFixture(t)
	h := startWith(t, letterConfig(t, st, "tester"), 120, 40)
	h.selectCase("TC/2026/05201")
	h.press("enter")
	h.mustShow("Siobhán Ó Súilleabháin")
	h.press("W", "enter")
	h.mustShow("TC/2026/05201: Acknowledgement of your notice of appeal (draft)", "Dear Siobhán Ó Súilleabháin,")
	h.press("enter")
	h.mustShow("TC/2026/05201: saved letter 1")
	h.press("esc")
	if m := h.model(); m.letters.open || !m.pane.IsOpen() {
		t.Fatal("esc should close the letter and leave the pane open")
	}
	h.mustShow("letter out:", "Acknowledgement of your notice of appeal to")
}

// The mistakes: W on an empty list, esc half-way (from the draft, then
// from the list), q on the list only closes the letter, W while the case
// is still being read and esc before it arrives.
func TestLetterMistakes(t *testing.T) {
	empty := fixture(t, "")
	h := startWith(t, letterConfig(t, empty, "tester"), 60, 20)
	h.press("4", "W")
	h.mustShow("No case selected: W writes a letter on")
	if h.model().letters.open {
		t.Fatal("a letter opened on no case")
	}

	st := letterFixture(t)
	h = startWith(t, letterConfig(t, st, "tester"), 60, 20)
	h.selectCase("TC/2026/05201")
	h.press("W", "enter")
	h.mustShow("by letter")
	h.press("esc")
	if m := h.model(); !m.letters.open || !m.letters.Choosing() {
		t.Fatal("esc from the draft should go back to the templates")
	}
	h.press("q")
	if m := h.model(); m.letters.open {
		t.Fatal("q on the template list should close the letter")
	}
	h.mustShow("4 Cas", "▸ TC/2026/05201")
	// A screen key on the template list closes it and switches.
	h.press("W", "3")
	if m := h.model(); m.letters.open || m.tab != screen.Due {
		t.Fatalf("3 on the template list: open %v tab %v", m.letters.open, m.tab)
	}
	// W, then esc before the case has been read: nothing opens.
	h.press("4")
	cmd := h.send(keyMsg("W"))
	h.mustShow("Opening the letter templates for TC/2026/05201")
	h.press("esc")
	h.run(cmd)
	if h.model().letters.open {
		t.Fatal("the letter opened after esc")
	}
	if c, _ := st.Case(context.Background(), "TC/2026/05201"); len(c.Letters) != 0 {
		t.Fatal("a letter was saved")
	}
	// Resize while a draft is shown: it rewraps, nothing is cut wider
	// than the screen.
	h.press("W", "enter")
	for _, size := range [][2]int{{120, 40}, {60, 20}, {80, 24}} {
		h.send(resize(size[0], size[1]))
		checkFits(t, h, size[0], size[1])
		h.mustShow("TC/2026/05201: Acknowledgement")
	}
}

// A read-only user drafts but cannot save: refused as every other write,
// naming the case; nothing is recorded.
func TestLetterSaveRefusedToReadOnlyUser(t *testing.T) {
	st := letterFixture(t)
	ctx := context.Background()
	if err := st.AddUser(ctx, "lead", domain.TeamLeader, testKey(t), store.ActOptions{User: "lead", On: today}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddUser(ctx, "reader", domain.ReadOnly, testKey(t), store.ActOptions{User: "lead", On: today}); err != nil {
		t.Fatal(err)
	}
	h := startWith(t, letterConfig(t, st, "reader"), 80, 24)
	h.selectCase("TC/2026/05201")
	h.press("W", "enter", "enter")
	h.mustShow("Not saved: TC/2026/05201:")
	if c, _ := st.Case(ctx, "TC/2026/05201"); len(c.Letters) != 0 {
		t.Fatal("a read-only user saved a letter")
	}
	files, _ := filepath.Glob(filepath.Join(st.FilesDir(), "letters", "*", "*"))
	if len(files) != 0 {
		t.Errorf("files left behind: %v", files)
	}
}

// The letter key is rebindable, shown in ? help with the letter's own keys,
// and the edit key says why there is no editor when there is none.
func TestLetterKeyRebindAndHelp(t *testing.T) {
	st := letterFixture(t)
	cfg := letterConfig(t, st, "tester")
	cfg.Keys = map[string][]string{"letter": {"ctrl+l"}, "letter_edit": {"E"}}
	cfg.Editor, cfg.NoEditor = "", "no editor here"
	h := startWith(t, cfg, 80, 24)
	h.selectCase("TC/2026/05201")
	h.press("W")
	if h.model().letters.open {
		t.Fatal("W still opens the letter after rebinding")
	}
	h.send(keyMsg("?"))
	for i := 0; i < 200 && !strings.Contains(h.screen(), "write a letter from a template"); i++ {
		h.press("j")
	}
	h.mustShow("ctrl+l", "write a letter from a template")
	h.press("esc")
	h.run(h.send(ctrlL()))
	h.mustShow("Write a letter on TC/2026/05201")
	h.press("enter")
	h.mustShow("by letter")
	if strings.Contains(h.screen(), "edit in") || strings.Contains(h.screen(), "$EDITOR") {
		t.Errorf("edit offered with no editor:\n%s", h.screen())
	}
	h.press("E")
	h.mustShow("TC/2026/05201: no editor here")
	h.press("?")
	h.mustShow("Letter", "enter save")
}

// TestLetterGoldenScreens keeps the template list and a draft at 80x24,
// 60x20 and 120x40, colour off (go test ./tui -update rewrites them).
func TestLetterGoldenScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 20}, {120, 40}} {
		for _, sc := range []struct {
			name string
			keys []string
		}{{"letter-list", []string{"W"}}, {"letter-draft", []string{"W", "j", "enter"}}} {
			name := fmt.Sprintf("%s-%dx%d", sc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				h := startWith(t, letterConfig(t, letterFixture(t), "tester"), size[0], size[1])
				h.selectCase("TC/2026/05202")
				h.press(sc.keys...)
				checkFits(t, h, size[0], size[1])
				got := h.screen()
				path := filepath.Join("testdata", name+".golden")
				if *update {
					os.WriteFile(path, []byte(got), 0o644)
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./tui -update)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from %s:\n%s", name, path, got)
				}
			})
		}
	}
}

func resize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func ctrlL() tea.KeyPressMsg { return tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl} }

// checkFits: no more lines than the height, none wider than the width.
func checkFits(t *testing.T, h *harness, w, ht int) {
	t.Helper()
	lines := strings.Split(h.m.View().Content, "\n")
	if len(lines) > ht {
		t.Errorf("%dx%d: %d lines", w, ht, len(lines))
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("%dx%d: line %d is %d wide: %q", w, ht, i+1, n, ansi.Strip(l))
		}
	}
}

// testKey is a new SSH public key, for a user of the caseload.
func testKey(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " test@host"
}

// Chasing from the Due screen: the chaser is offered first and is about
// the direction on the row; after a save the selection stays on the row
// chased (a letter meets no deadline), so the next one is a j away.
func TestLetterSaveKeepsTheDueSelection(t *testing.T) {
	st := letterFixture(t)
	// Given Mon 2 Nov 2026, due Mon 9 Nov 2026: a week overdue on Mon 16 Nov.
	// The second, given the same day, due Fri 13 Nov 2026.
	for due, text := range map[int]string{-7: "Send the bank statements", -3: "Send the contract"} {
		if _, err := st.Record(context.Background(), "TC/2026/05202", domain.Event{Kind: domain.EventDirection, On: today.AddDays(-14), User: "tester",
			Data: domain.EventData{Text: text, Party: "appellant", Due: today.AddDays(due)}}); err != nil {
			t.Fatal(err)
		}
	}
	h := startWith(t, letterConfig(t, st, "tester"), 80, 24)
	h.press("3")
	h.mustShow("Send the bank sta", "Send the contract")
	h.press("j")
	before := selectedLine(h.screen())
	if !strings.Contains(before, "Send the contract") {
		t.Fatalf("second row not selected:\n%s", h.screen())
	}
	// On an overdue direction the chaser is offered first.
	h.press("W")
	h.mustShow("> Direction not complied with (chaser, to appellant)")
	h.press("enter")
	// About the direction on the row, not the earliest one.
	h.mustShow("Direction not complied with (draft)", "Send the contract")
	h.press("enter")
	h.mustShow("TC/2026/05202: saved letter 1 (Direction not complied with to Zoë Trading Ltd)")
	c, _ := st.Case(context.Background(), "TC/2026/05202")
	if b, err := st.LetterText(&c.Letters[0]); err != nil || !strings.Contains(string(b), "Send the contract") || strings.Contains(string(b), "bank statements") {
		t.Errorf("the chaser is not about the direction chosen: %v\n%s", err, b)
	}
	h.press("esc")
	if after := selectedLine(h.screen()); after != before {
		t.Errorf("selection moved from %q to %q", before, after)
	}
}
