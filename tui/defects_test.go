package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/mailfile"
	"github.com/caseload/caseload/tui/uitest"
)

func (h *harness) flags(ref string) []string {
	h.t.Helper()
	c, err := h.st.Case(context.Background(), ref)
	if err != nil {
		h.t.Fatal(err)
	}
	return c.Flags
}

// With the pane beside the list, j moves the selection and the pane
// follows it: the action typed next lands on the case now shown.
func TestPaneFollowsSelectionAndActionsLandOnIt(t *testing.T) {
	h := start(t, fixture(t, sample), 120, 40)
	h.press("4", "enter") // Cases, newest first: 05003
	h.mustShow("TC/2026/05003  Test Holdings plc", "Deadlines")
	h.press("j")
	h.mustShow("TC/2026/05002  Sample Trading Ltd")
	if ref, _ := h.model().pane.Shows(); ref != "TC/2026/05002" {
		t.Fatalf("pane shows %q after j", ref)
	}
	h.press(":")
	h.mustShow(": TC/2026/05002") // the question names the case it acts on
	h.typeText("flag bespoke")
	h.press("enter")
	h.mustShow("TC/2026/05002: flagged: bespoke")
	if got := h.flags("TC/2026/05002"); !slices.Equal(got, []string{"bespoke"}) {
		t.Errorf("05002 flags %v", got)
	}
	if got := h.flags("TC/2026/05003"); len(got) != 0 {
		t.Errorf("the case shown before was flagged: %v", got)
	}
}

// Until the case the selection moved to has arrived, the pane says so and
// an action on it is refused, never applied to the case shown before.
func TestActionWhileTheNextCaseIsOpeningIsRefused(t *testing.T) {
	h := start(t, fixture(t, sample), 120, 40)
	h.press("4", "enter")
	h.send(keyMsg("j")) // the command reading 05002 is not run yet
	if !strings.Contains(h.screen(), "Opening TC/2026/05002") {
		t.Fatalf("pane does not say it is opening the selected case:\n%s", h.screen())
	}
	h.press("P")
	h.mustShow("Still opening TC/2026/05002: nothing done")
	c, _ := h.st.Case(context.Background(), "TC/2026/05003")
	if last := c.Events[len(c.Events)-1]; last.Kind == domain.EventProgressed {
		t.Error("an action landed on the case shown before")
	}
}

// On a narrow terminal the pane covers the list: j scrolls it, and the
// action acts on the case it shows.
func TestNarrowPaneKeepsItsCase(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("4", "enter", "j", "j")
	h.press(":")
	h.typeText("flag urgent")
	h.press("enter")
	h.mustShow("TC/2026/05003: flagged: urgent")
	if got := h.flags("TC/2026/05002"); len(got) != 0 {
		t.Errorf("05002 flagged: %v", got)
	}
}

// ":" with no case open asks nothing of any case: the words typed after it
// are text, never keys (no filter changes, nothing opens, nothing flagged).
func TestColonWithNoCaseOpen(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("4")
	h.press(":")
	h.mustShow("No case is open")
	h.typeText("flag bespoke")
	h.press("enter")
	h.mustShow("Nothing done: no case is open")
	m := h.model()
	if f := m.cases.Filter(); f.Track != "" || f.Status != "" || f.Late != nil || f.Sort != "" {
		t.Errorf("typed words changed the filter: %+v", f)
	}
	if m.pane.IsOpen() {
		t.Error("a case opened")
	}
	for _, ref := range []string{"TC/2026/05001", "TC/2026/05002", "TC/2026/05003"} {
		if got := h.flags(ref); len(got) != 0 {
			t.Errorf("%s flagged: %v", ref, got)
		}
	}
	// The same on the queue: "a" in the words must not accept the appeal.
	h.press("2", ":")
	h.typeText("flag a")
	h.press("esc")
	if got := h.track("TC/2026/05001"); got != "" {
		t.Errorf("a word typed after : decided the appeal: %q", got)
	}
}

func paste(s string) tea.PasteMsg { return tea.PasteMsg{Content: s} }

// A paste goes to whatever has the keyboard: the search, or the question.
func TestPasteGoesToTheFocusedComponent(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("/")
	h.run(h.send(paste("TC/2026/05002")))
	h.mustShow("1 found", "Sample Trading Ltd")
	h.press("enter", "n")
	h.run(h.send(paste("Pasted from the bundle index")))
	h.press("enter")
	h.mustShow("TC/2026/05002: note added")
	c, _ := h.st.Case(context.Background(), "TC/2026/05002")
	if last := c.Events[len(c.Events)-1]; last.Kind != domain.EventNote || last.Data.Text != "Pasted from the bundle index" {
		t.Errorf("note: %+v", last)
	}
	h.press(":")
	h.run(h.send(paste("flag vulnerable")))
	h.press("enter")
	if got := h.flags("TC/2026/05002"); !slices.Contains(got, "vulnerable") {
		t.Errorf("pasted action not applied: %v", got)
	}
	h.press("esc", "esc", "1", "z")
	h.send(keyMsg("ctrl+u"))
	h.run(h.send(tea.KeyPressMsg{Code: tea.KeyBackspace}))
	h.run(h.send(tea.KeyPressMsg{Code: tea.KeyBackspace}))
	h.run(h.send(paste("+3")))
	h.press("enter")
	h.mustShow("Why snooze")
	h.run(h.send(paste("pasted reason")))
	h.press("enter")
	h.mustShow("snoozed until Thu 19 Nov 2026")
	// In the queue, a note's question takes the paste; with nothing
	// focused, a paste is refused with a message and changes nothing.
	h.press("2", "n")
	h.run(h.send(paste("Queue note pasted")))
	h.press("enter")
	h.mustShow("note added")
	h.run(h.send(paste("p")))
	h.mustShow("Nothing here takes a paste")
	if got := h.track("TC/2026/05001"); got != "" {
		t.Errorf("a paste decided the appeal: %q", got)
	}
}

// Rebinding accept = ["y"] changes the footer, the help and what the keys do.
func TestRebindingAcceptChangesFooterHelpAndBehaviour(t *testing.T) {
	st := fixture(t, sample)
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "tester", NoColor: true,
		Keys: map[string][]string{"accept": {"y"}}}, 80, 24)
	h.press("2")
	h.mustShow("y accept suggestion")
	if strings.Contains(h.screen(), "enter accept") {
		t.Error("footer still shows enter for accept")
	}
	h.press("?")
	if !regexp.MustCompile(`y\s+accept suggestion`).MatchString(h.screen()) {
		t.Errorf("help does not show the rebound key:\n%s", h.screen())
	}
	h.press("esc", "a", "enter")
	if got := h.track("TC/2026/05001"); got != "" {
		t.Fatalf("an old key still accepts: %q", got)
	}
	h.press("y")
	if got := h.track("TC/2026/05001"); got != "paper" {
		t.Errorf("y did not accept: %q", got)
	}
}

func collect(cmd tea.Cmd) []tea.Msg { return uitest.Messages(cmd) }

// sendAll sends messages and returns the commands they make.
func (h *harness) sendAll(msgs []tea.Msg) []tea.Cmd {
	var cmds []tea.Cmd
	for _, m := range msgs {
		cmds = append(cmds, h.send(m))
	}
	return cmds
}

// A superseded search answer that comes back last still clears its
// request: the indicator never stays on.
func TestStaleResultNeverLeavesTheIndicatorOn(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("/")
	var requests []tea.Cmd
	for _, r := range "sa" {
		ticks := collect(h.send(keyMsg(string(r)))) // the debounce tick
		requests = append(requests, h.sendAll(ticks)...)
	}
	if !h.model().Busy() || !strings.Contains(h.screen(), "working…") {
		t.Fatalf("no indicator with two searches in flight:\n%s", h.screen())
	}
	// The newer answer first, then the older one it superseded.
	for i := len(requests) - 1; i >= 0; i-- {
		for _, msg := range collect(requests[i]) {
			h.run(h.send(msg))
		}
	}
	if h.model().Busy() || strings.Contains(h.screen(), "working…") {
		t.Errorf("indicator left on after a stale answer:\n%s", h.screen())
	}
	h.mustShow("1 found", "Sample Trading Ltd") // "sa": the newer query's answer stands
}

// words returns n numbered words and the text of them.
func words(n int) (string, []string) {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = fmt.Sprintf("w%04d", i)
	}
	return strings.Join(ws, " "), ws
}

// readAll scrolls the pane from top to bottom and returns every line seen.
func (h *harness) readAll() string {
	h.press("g")
	var seen []string
	prev := ""
	for i := 0; i < 400; i++ {
		s := h.screen()
		seen = append(seen, strings.Split(s, "\n")...)
		if s == prev {
			break
		}
		prev = s
		h.press("j")
	}
	return strings.Join(seen, "\n")
}

func mustReadEveryWord(t *testing.T, seen string, ws []string) {
	t.Helper()
	for _, w := range ws {
		if !strings.Contains(seen, w) {
			t.Fatalf("%s cannot be read anywhere:\n%s", w, seen)
		}
	}
}

// A 2,000-character note reads to its last word at 60x20.
func TestLongNoteReadableAt60x20(t *testing.T) {
	st := fixture(t, sample)
	note, ws := words(333) // 333 × 6 - 1 = 1,997 characters
	if _, err := st.AddNote(context.Background(), "TC/2026/05001", note+" end", store.ActOptions{User: "tester", On: today}); err != nil {
		t.Fatal(err)
	}
	h := start(t, st, 60, 20)
	h.press("4", "G", "enter") // oldest last: 05001
	h.mustShow("TC/2026/05001")
	seen := h.readAll()
	mustReadEveryWord(t, seen, ws)
	for _, l := range strings.Split(seen, "\n") {
		if ansi.StringWidth(l) > 60 {
			t.Fatalf("line wider than 60: %q", l)
		}
	}
}

// A long message body reads to its last word at 60x20.
func TestLongMailBodyReadableAt60x20(t *testing.T) {
	st := fixture(t, sample)
	body, ws := words(600)
	msg := mailfile.Message{Source: "test", MessageID: "long@example.com", From: "Long Writer <long@example.com>", FromAddr: "long@example.com",
		Subject: "About TC/2026/05002", Date: time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC), Text: "Dear Sir,\n\n" + body + "\n\nYours"}
	if _, err := st.ImportMail(context.Background(), []mailfile.Message{msg}, store.ActOptions{User: "import", On: today}); err != nil {
		t.Fatal(err)
	}
	h := start(t, st, 60, 20)
	i := h.inboxIndex(func(it store.InboxItem) bool { return it.Kind == "mail" })
	h.down(i)
	h.press("enter")
	h.mustShow("Message")
	mustReadEveryWord(t, h.readAll(), append(ws, "Yours"))
}

// Help at 60x20 and 80x24 scrolls to its last line, is grouped by screen,
// and is generated from the key map.
func TestHelpScrollsGroupedByScreen(t *testing.T) {
	st := fixture(t, sample)
	for _, size := range [][2]int{{60, 20}, {80, 24}} {
		h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "tester", NoColor: true,
			Keys: map[string][]string{"export": {"X"}}}, size[0], size[1])
		h.press("?")
		seen := h.readAll()
		last := domain.Actions[len(domain.Actions)-1]
		for _, want := range []string{"Inbox", "Queue", "Due", "Cases", "Search", "Reports", "Everywhere", "q", "quit",
			"X", "export report as CSV", "next report", last.Verb} {
			if !strings.Contains(seen, want) {
				t.Errorf("%v: help lacks %q", size, want)
			}
		}
		if h.model().help.IsOpen() != true {
			t.Errorf("%v: scrolling closed the help", size)
		}
		h.press("esc")
		if h.model().help.IsOpen() {
			t.Errorf("%v: esc did not close the help", size)
		}
	}
}

// Keys on an empty list say so and change nothing.
func TestKeysOnEmptyLists(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "empty.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := start(t, st, 80, 24)
	h.press("x")
	h.mustShow("the inbox is empty")
	h.press("3", "j", "enter")
	h.mustShow("Nothing due")
	h.press("2", "a")
	h.mustShow("The queue is empty")
	if h.model().pane.IsOpen() {
		t.Error("a pane opened on an empty list")
	}
}

// --plain is a style set and one column: the pane covers the list even on
// a wide terminal, the selection is "> " and the tab in brackets, no
// reverse video, no borders.
func TestPlainIsOneColumnWithoutReverseVideo(t *testing.T) {
	st := fixture(t, sample)
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "tester", NoColor: true, Plain: true}, 120, 40)
	h.press("4")
	h.mustShow("[4 Cases]", "> TC/2026/05003")
	h.press("enter")
	s := h.screen()
	if strings.Contains(s, "│") || strings.Contains(s, "TC/2026/05001") {
		t.Errorf("plain shows two columns:\n%s", s)
	}
	if raw := h.m.View().Content; strings.Contains(raw, "\x1b[7m") {
		t.Error("reverse video in plain mode")
	}
}

// Deadlines recomputed at start under changed rules are said on the status
// line before the caseworker works (issue 13 item 6), and the line clears
// once they act.
func TestNoticeShownAtStart(t *testing.T) {
	st := fixture(t, sample)
	notice := "Rules changed since the deadlines were stored: 3 case(s) recomputed, 4 change(s); caseload recalc --last lists them"
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "tester", NoColor: true, Notice: notice}, 200, 30)
	h.mustShow("3 case(s) recomputed")
}
