package tui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/screen"
)

// newestQuery is the query recorded last.
func newestQuery(t *testing.T, st *store.Store) (domain.Query, int) {
	t.Helper()
	qs, err := st.Queries(context.Background(), store.QueryFilter{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var newest domain.Query
	for _, q := range qs {
		if q.ID > newest.ID {
			newest = q
		}
	}
	return newest, len(qs)
}

// TestCallFromInboxSavedInOneKeystroke takes a call from the inbox with
// the global N, the caller found as typed on a case, a topic picked, a
// summary, saved with enter: the query is in the store and on the case.
func TestCallFromInboxSavedInOneKeystroke(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 20}} {
		st := fixture(t, sample)
		h := start(t, st, size[0], size[1])
		h.mustShow("urgency") // the inbox
		h.press("N")
		if m := h.model(); m.tab != screen.Queries || !m.queries.Typing() {
			t.Fatalf("%v: N did not open the call form on the Queries tab", size)
		}
		h.mustShow("New query: phone", "Caller")
		h.typeText("Sample T") // the appellant of TC/2026/05002
		h.mustShow("case TC/2026/05002: Sample Trading Ltd")
		// q, 1 and ? are letters while the form has the keyboard.
		h.press("tab")
		h.typeText("prog")
		h.mustShow("[progress]")
		h.press("tab")
		h.typeText("asked about progress? q1")
		if m := h.model(); m.tab != screen.Queries || m.help.IsOpen() {
			t.Fatalf("%v: a letter typed in the summary acted as a global key", size)
		}
		h.press("enter")
		q, n := newestQuery(t, st)
		if n != 1 || q.Reference != "TC/2026/05002" || q.Topic != "progress" || q.Channel != domain.ChannelPhone ||
			q.Summary != "asked about progress? q1" || q.Contact.Name != "Sample Trading Ltd" {
			t.Fatalf("%v: saved %d, %+v", size, n, q)
		}
		c, err := st.Case(context.Background(), "TC/2026/05002")
		if err != nil {
			t.Fatal(err)
		}
		var onCase bool
		for _, e := range c.Events {
			onCase = onCase || e.Kind == domain.EventQuery
		}
		if !onCase {
			t.Errorf("%v: no query event on TC/2026/05002: %+v", size, c.Events)
		}
		if h.model().queries.Typing() {
			t.Errorf("%v: the form stayed open after saving", size)
		}
		h.mustShow("TC/2026/05002: query 1 saved", "Sample Trad")
		h.checkFits(size[0], size[1])
		// The query is in the inbox; enter on it opens it on the Queries screen.
		h.press("1")
		h.mustShow("phone query from Sample Trading Ltd")
		m := h.model()
		for i, it := range m.inbox.Rows() {
			if it.QueryID == q.ID {
				for range i {
					h.press("j")
				}
			}
		}
		h.press("2", "1") // away and back: the cursor is kept
		h.press("enter")
		if m := h.model(); m.tab != screen.Queries || m.queries.Typing() || m.pane.IsOpen() {
			t.Errorf("%v: enter on the query item: tab %v", size, m.tab)
		}
	}
}

func (h *harness) checkFits(w, hgt int) {
	h.t.Helper()
	lines := strings.Split(h.screen(), "\n")
	if len(lines) != hgt {
		h.t.Fatalf("%d lines, want %d:\n%s", len(lines), hgt, h.screen())
	}
	for i, l := range lines {
		if got := len([]rune(l)); got > w {
			h.t.Fatalf("line %d is %d wide, want at most %d: %q", i+1, got, w, l)
		}
	}
}

// TestInboxQueryOpensOnQueriesScreen: enter on an unlinked query selects
// it on the Queries screen (it used to fall through to the queue).
func TestInboxQueryOpensOnQueriesScreen(t *testing.T) {
	st := fixture(t, sample)
	addQueries(t, st)
	h := start(t, st, 80, 24)
	m := h.model()
	var want int64
	for i, it := range m.inbox.Rows() {
		if it.QueryID != 0 && it.Reference == "" {
			want = it.QueryID
			for range i {
				h.press("j")
			}
			break
		}
	}
	if want == 0 {
		t.Fatalf("no unlinked query in the inbox:\n%s", h.screen())
	}
	h.press("enter")
	m = h.model()
	if m.tab != screen.Queries {
		t.Fatalf("tab %v, want Queries", m.tab)
	}
	rows := m.queries.Rows()
	if len(rows) != 2 {
		t.Fatalf("%d queries listed", len(rows))
	}
	line := ""
	for _, l := range strings.Split(h.screen(), "\n") {
		if strings.Contains(l, "▸") {
			line = l
		}
	}
	if !strings.Contains(line, "Pat Public") {
		t.Errorf("query %d not selected: %q\n%s", want, line, h.screen())
	}
	// Every request made on the way has answered: "working…" cannot stick.
	if h.model().Busy() {
		t.Error("a request is still in flight after the query was shown")
	}
}

// TestCallFormMistakes: esc half-way drops the form and saves nothing; a
// paste of several lines into the caller goes in on one line and does not
// save; N while typing in search is a letter; enter with nothing typed is
// refused with a reason; keys on an empty list say so.
func TestCallFormMistakes(t *testing.T) {
	st := fixture(t, sample)
	h := start(t, st, 80, 24)
	h.press("7")
	h.mustShow("No queries here. N records a call.")
	h.press("r")
	h.mustShow("No query selected")
	h.press("a")
	h.mustShow("No query selected")

	h.press("/", "N")
	if m := h.model(); m.tab != screen.Search || m.queries.Typing() {
		t.Fatalf("N typed into search opened the form")
	}
	h.press("esc")

	h.press("N", "enter")
	h.mustShow("Not saved: who is calling?")
	h.run(h.send(tea.PasteMsg{Content: "Line One\nLine Two\x1b[2J\n"}))
	if m := h.model(); !m.queries.Typing() {
		t.Fatal("the paste closed or saved the form")
	}
	h.mustShow("Caller  Line One Line Two")
	if _, n := newestQuery(t, st); n != 0 {
		t.Fatal("the paste saved a query")
	}
	h.press("tab")
	h.typeText("hear")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.checkFits(60, 20)
	h.mustShow("[hearing]")
	h.press("esc")
	h.mustShow("New query dropped: nothing saved")
	if m := h.model(); m.queries.Typing() || m.tab != screen.Queries {
		t.Fatal("esc did not drop the form")
	}
	if _, n := newestQuery(t, st); n != 0 {
		t.Fatal("the dropped form saved a query")
	}
	if h.model().Busy() {
		t.Error("a request is still in flight")
	}
	// With the form closed, q quits again.
	if cmd := h.send(keyMsg("q")); cmd == nil {
		t.Error("q does not quit on the Queries screen")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q does not quit on the Queries screen")
	}
}

// TestNewQueryRebindable: the call key is named new_query in [keys].
func TestNewQueryRebindable(t *testing.T) {
	st := fixture(t, sample)
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "tester", NoColor: true,
		Keys: map[string][]string{"new_query": {"ctrl+n"}, "queries": {"8"}}}, 80, 24)
	h.press("N")
	if h.model().queries.Typing() {
		t.Fatal("N still opens the form after rebinding")
	}
	h.send(tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl})
	if m := h.model(); !m.queries.Typing() || m.tab != screen.Queries {
		t.Fatal("ctrl+n does not open the form")
	}
	h.press("esc", "1", "8")
	if h.model().tab != screen.Queries {
		t.Fatal("8 does not open the Queries tab")
	}
}

// TestHelpGroupsQueryKeys: ? shows the Queries screen's keys under its
// own title, first when it is the screen shown.
func TestHelpGroupsQueryKeys(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("7", "?")
	h.mustShow("Queries", "new query (a call)", "resolve query", "pass to a team", "filter channel")
	s := h.screen()
	if strings.Index(s, "Queries\n") > strings.Index(s, "Inbox\n") && strings.Contains(s, "Inbox\n") {
		t.Errorf("the Queries section is not first:\n%s", s)
	}
}

// TestQueriesPlain: --plain draws the screen and the form in words.
func TestQueriesPlain(t *testing.T) {
	st := fixture(t, sample)
	addQueries(t, st)
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "tester", NoColor: true, Plain: true}, 80, 24)
	h.press("7")
	h.mustShow("Queries: open", "Pat Public")
	h.press("N")
	h.mustShow("New query: phone", "Caller")
	if strings.Contains(h.screen(), "─") {
		t.Errorf("a border in --plain:\n%s", h.screen())
	}
	h.checkFits(80, 24)
}

// TestSupportNeedsOnCaseAndQueueCard: a requested interpreter and a
// hearing loop are on the queue card; the pane lists every need with its
// status, the one made inactive too; the card leaves it out.
func TestSupportNeedsOnCaseAndQueueCard(t *testing.T) {
	st := fixture(t, sample)
	act := store.ActOptions{User: "officer", On: today}
	ctx := context.Background()
	if _, err := st.AddSupportNeed(ctx, store.NewSupportNeed{Reference: "TC/2026/05001", Party: "appellant", Code: "interpreter",
		Comment: "Polish", Hearing: true}, act); err != nil {
		t.Fatal(err)
	}
	loop, err := st.AddSupportNeed(ctx, store.NewSupportNeed{Reference: "TC/2026/05001", Party: "appellant", Code: "hearing-loop"}, act)
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []domain.SupportStatus{domain.SupportActive, domain.SupportInactive} {
		if _, err := st.SetSupportStatus(ctx, loop.ID, to, "no longer needed", act); err != nil {
			t.Fatal(err)
		}
	}
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 20}} {
		h := start(t, st, size[0], size[1])
		h.press("2")
		h.mustShow("TC/2026/05001", "Support", "PF0015 Language")
		if strings.Contains(h.screen(), "RA0043") {
			t.Errorf("%v: the inactive hearing loop is on the queue card:\n%s", size, h.screen())
		}
		h.checkFits(size[0], size[1])
		h.press("4", "G", "enter")
		h.mustShow("Support", "PF0015", "RA0043")
		h.checkFits(size[0], size[1])
	}
}
