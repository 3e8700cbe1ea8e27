package queries

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

var ctx = context.Background()

type harness struct {
	t       *testing.T
	m       Model
	st      *store.Store
	keys    int    // keys pressed, to count the cost of taking a call
	status  string // the last line sent for the status bar
	changed bool   // a write was reported to the root
}

func newHarness(t *testing.T, w, h int) *harness {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	act := store.ActOptions{User: "officer", On: domain.MustDate("2026-11-16")}
	if _, err := st.Import(ctx, []string{filepath.Join("..", "..", "testdata", "notices.csv")}, store.ImportOptions{ActOptions: act}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddQuery(ctx, store.NewQuery{Channel: domain.ChannelEmail, Contact: domain.Contact{Name: "Jane Doe", Role: domain.RoleRepresentative,
		Email: "jane@example.org"}, Topic: "documents", Summary: "sent the bundle", NewContact: true}, act); err != nil {
		t.Fatal(err)
	}
	hs := &harness{t: t, m: New(uitest.Deps(t, st, nil), st, domain.MustKnowledgeBase()), st: st}
	hs.m.SetSize(w, h)
	hs.run(hs.m.Init())
	return hs
}

func (h *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if r, ok := msg.(screen.Result); ok {
			msg = r.Msg
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case screen.Status:
			h.status = msg.Text
		case screen.Acted:
			h.status, h.changed = msg.What, msg.Err == nil
		default:
			var next tea.Cmd
			h.m, next = h.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "ctrl+o":
		return tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl}
	case " ":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// press sends keys, counting each, and runs what they start.
func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.keys++
		h.status, h.changed = "", false
		var cmd tea.Cmd
		h.m, cmd = h.m.Update(keyMsg(k))
		h.run(cmd)
	}
}

// typeText types text one key at a time.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.press(string(r))
	}
}

func (h *harness) view() string { return ansi.Strip(h.m.View()) }

func (h *harness) checkSize(w, hgt int) {
	h.t.Helper()
	lines := strings.Split(h.m.View(), "\n")
	if len(lines) != hgt {
		h.t.Fatalf("%d lines, want %d:\n%s", len(lines), hgt, h.view())
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			h.t.Fatalf("line %d is %d cells, want %d: %q", i+1, got, w, ansi.Strip(l))
		}
	}
}

func TestTakeACallInUnderTenKeys(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.checkSize(80, 24)
	h.keys = 0
	h.press("N")
	h.typeText("oka") // the appellant on TC/2026/04101, found as typed
	if !strings.Contains(h.view(), "case TC/2026/04101: Margaret Okafor") {
		t.Fatalf("caller not offered:\n%s", h.view())
	}
	h.press("tab")
	h.typeText("pr") // progress, from the taxonomy
	h.press("tab")
	keys := h.keys
	h.typeText("asked what happens after categorisation")
	h.press("enter")
	keys++ // the saving key
	if keys >= 10 {
		t.Errorf("%d keys besides the summary, want under ten", keys)
	}
	qs, _ := h.st.Queries(ctx, store.QueryFilter{Reference: "TC/2026/04101"}, 0, 10)
	if len(qs) != 1 || qs[0].Topic != "progress" || qs[0].Channel != domain.ChannelPhone || qs[0].Contact.Name != "Margaret Okafor" ||
		qs[0].Summary != "asked what happens after categorisation" {
		t.Fatalf("saved %+v", qs)
	}
	if h.m.Typing() || !h.changed || !strings.Contains(h.status, "TC/2026/04101: query 2 saved") {
		t.Errorf("after saving: typing %v, status %q", h.m.Typing(), h.status)
	}
	if !strings.Contains(h.view(), "Margaret Okafor TC/") {
		t.Errorf("the new query is not listed:\n%s", h.view())
	}
	h.checkSize(80, 24)

	// Resolved in the same sitting: first-contact resolution.
	for h.m.cursor < len(h.m.rows) && h.m.rows[h.m.cursor].ID != qs[0].ID {
		h.press("j")
	}
	h.press("r")
	h.typeText("explained the next step")
	h.press("enter")
	d, _ := h.st.Query(ctx, qs[0].ID)
	if d.Status != domain.QueryResolved || !d.FirstContact || !strings.Contains(h.status, "at first contact") {
		t.Errorf("resolve: %+v, status %q", d.Query, h.status)
	}
}

func TestEarlierContactOfferedNotMerged(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("N")
	h.typeText("jane")
	if !strings.Contains(h.view(), "contact 1: Jane Doe") || !strings.Contains(h.view(), "someone new: jane") {
		t.Fatalf("matches not offered:\n%s", h.view())
	}
	// Down past the match to "someone new": a new contact, not Jane Doe's record.
	h.press("down", "tab")
	h.typeText("other")
	h.press("tab")
	h.typeText("a different Jane")
	h.press("enter")
	qs, _ := h.st.Queries(ctx, store.QueryFilter{Open: true}, 0, 10)
	var newest domain.Query
	for _, q := range qs {
		if q.ID > newest.ID {
			newest = q
		}
	}
	if newest.Contact.ID == 1 || newest.Contact.Name != "jane" {
		t.Errorf("someone new joined to contact 1: %+v", newest.Contact)
	}
	// The match taken: the query joins contact 1, with Jane's role.
	h.press("N")
	h.typeText("jane d")
	h.press("tab")
	h.typeText("docu")
	h.press("tab")
	h.typeText("rang about the bundle")
	h.press("ctrl+s") // resolved there and then
	h.typeText("confirmed received")
	h.press("enter")
	_, hist, _ := h.st.ContactHistory(ctx, 1, 10)
	if len(hist) != 2 || hist[0].Summary != "rang about the bundle — confirmed received" || hist[0].Status != "resolved" {
		t.Errorf("contact 1 history %+v", hist)
	}
}

func TestFormRefusesWhatIsMissingAndEscBacksOut(t *testing.T) {
	h := newHarness(t, 60, 20)
	h.press("N")
	h.checkSize(60, 20)
	h.press("enter")
	if !strings.Contains(h.status, "who is calling") || !h.m.Typing() {
		t.Errorf("status %q", h.status)
	}
	h.typeText("Caller X")
	h.press("tab")
	h.typeText("zzz")
	h.press("tab", "enter")
	if !strings.Contains(h.status, "pick a topic") {
		t.Errorf("status %q", h.status)
	}
	h.press("ctrl+o") // webchat
	if !strings.Contains(h.view(), "New query: webchat") {
		t.Errorf("channel not changed:\n%s", h.view())
	}
	h.press("esc")
	if h.m.Typing() {
		t.Error("esc did not close the form")
	}
	qs, _ := h.st.Queries(ctx, store.QueryFilter{}, 0, 10)
	if len(qs) != 1 {
		t.Errorf("%d queries: the dropped form saved something", len(qs))
	}
	h.checkSize(60, 20)
}

func TestFiltersAndSanitisedView(t *testing.T) {
	h := newHarness(t, 80, 24)
	act := store.ActOptions{User: "officer", On: domain.MustDate("2026-11-16")}
	if _, err := h.st.AddQuery(ctx, store.NewQuery{Channel: domain.ChannelPhone, Contact: domain.Contact{Name: "Evil\x1b[2J Caller"},
		Topic: "other", Summary: "clear\x1b]0;title\x07 screen", NewContact: true}, act); err != nil {
		t.Fatal(err)
	}
	h.run(h.m.Shown())
	if v := h.m.View(); strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\x1b]0;") {
		t.Errorf("raw control sequences from data reached the screen")
	}
	if len(h.m.Rows()) != 2 {
		t.Fatalf("%d rows", len(h.m.Rows()))
	}
	h.press("c") // phone only
	if rows := h.m.Rows(); len(rows) != 1 || rows[0].Channel != domain.ChannelPhone || !strings.Contains(h.view(), "phone") {
		t.Errorf("channel filter: %+v", rows)
	}
	h.press("c", "c") // webchat, then email
	if rows := h.m.Rows(); len(rows) != 1 || rows[0].Channel != domain.ChannelEmail {
		t.Errorf("email filter: %+v", rows)
	}
	h.press("t") // email and topic progress: none
	if len(h.m.Rows()) != 0 || !strings.Contains(h.view(), "No queries here") {
		t.Errorf("topic filter:\n%s", h.view())
	}
	// Waiting on the user from the list.
	h.m.filter = store.QueryFilter{Open: true}
	h.run(h.m.Shown())
	h.press("h") // on hold: waiting on the user (w is the team's work screens)
	h.typeText("asked for the letter")
	h.press("enter")
	if h.m.Rows()[0].Status != domain.QueryWaiting && h.m.Rows()[1].Status != domain.QueryWaiting {
		t.Errorf("wait: %+v", h.m.Rows())
	}
	if len(h.m.Keys().FullHelp()) == 0 {
		t.Error("no full help")
	}
	if len(h.m.Keys().ShortHelp()) == 0 {
		t.Error("no short help")
	}
	h.press("N")
	if h.m.Keys().ShortHelp()[0].Help().Key != "tab" {
		t.Error("the form's help is not shown while it is open")
	}
}

func TestArticleThenPassAsksTheQualifyingQuestions(t *testing.T) {
	h := newHarness(t, 80, 24)
	act := store.ActOptions{User: "officer", On: domain.MustDate("2026-11-16")}
	q, err := h.st.AddQuery(ctx, store.NewQuery{Channel: domain.ChannelPhone, Contact: domain.Contact{Name: "Late Caller"},
		Reference: "TC/2026/04101", Topic: "late", Summary: "missed the 30 days", NewContact: true}, act)
	if err != nil {
		t.Fatal(err)
	}
	h.run(h.m.Shown())
	for h.m.cursor < len(h.m.rows) && h.m.rows[h.m.cursor].ID != q.ID {
		h.press("j")
	}
	h.press("a")
	h.typeText("late perm")
	if !strings.Contains(h.view(), "> Appealing late to the Tax Tribunal (3 questions)") {
		t.Fatalf("search as typed:\n%s", h.view())
	}
	h.checkSize(80, 24)
	h.press("enter")
	d, _ := h.st.Query(ctx, q.ID)
	if d.Article != "ftt-tax-late-appeal" || !strings.Contains(h.status, "before passing it on, ask") {
		t.Fatalf("article %q, status %q", d.Article, h.status)
	}
	h.press("p")
	if !strings.Contains(h.view(), "Ask first:") || !strings.Contains(h.view(), "What is the date on HMRC's decision letter") {
		t.Fatalf("qualifying questions not shown before passing:\n%s", h.view())
	}
	h.checkSize(80, 24)
	h.typeText("registrar team")
	h.press("enter")
	d, _ = h.st.Query(ctx, q.ID)
	if d.Status != domain.QueryPassed || d.PassedTo != "registrar team" {
		t.Errorf("pass: %+v", d.Query)
	}
}

// TestResizeWhileTyping: the form's lines follow a resize, so none is cut.
func TestResizeWhileTyping(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("N")
	h.typeText("someone")
	h.m.SetSize(60, 20)
	h.checkSize(60, 20)
	for _, l := range strings.Split(h.view(), "\n") {
		if (strings.HasPrefix(l, "Caller") || strings.HasPrefix(l, "Topic") || strings.HasPrefix(l, "Summary")) && strings.Contains(l, "…") {
			t.Errorf("a field was cut after the resize: %q", l)
		}
	}
}

// TestFooterFollowsWhatIsTyped: the short help is the article search's
// or the line's while either is open, the list's again after esc.
func TestFooterFollowsWhatIsTyped(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.press("a")
	if k := h.m.Keys().ShortHelp(); len(k) != 3 || k[0].Help().Desc != "choose" {
		t.Errorf("article search help %v", k)
	}
	h.press("esc", "r")
	if k := h.m.Keys().ShortHelp(); len(k) != 2 || k[0].Help().Desc != "save" {
		t.Errorf("resolve line help %v", k)
	}
	h.press("esc")
	if k := h.m.Keys().ShortHelp(); len(k) < 5 || h.m.Typing() {
		t.Errorf("list help %v", k)
	}
}
