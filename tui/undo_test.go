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

func events(t *testing.T, st *store.Store, ref string) []domain.Event {
	t.Helper()
	c, err := st.Case(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return c.Events
}

// u in the case pane takes back the caseworker's latest action on the
// case shown, by a compensating event naming it; again, the one before;
// then it says there is nothing to undo and writes nothing.
func TestPaneUndoTakesBackTheLatestAction(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 20}} {
		st := fixture(t, sample)
		st.Categorise(context.Background(), "TC/2026/05002", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "tester", On: today}})
		h := start(t, st, size[0], size[1])
		h.press("4", "j", "enter")
		h.mustShow("Sample Trading Ltd")
		h.press(":")
		h.typeText("flag urgent")
		h.press("enter")
		if c, _ := st.Case(context.Background(), "TC/2026/05002"); len(c.Flags) != 1 {
			t.Fatalf("flag not set: %v", c.Flags)
		}
		h.press("u")
		h.mustShow(`TC/2026/05002: undid "flag set"`)
		c, _ := st.Case(context.Background(), "TC/2026/05002")
		if len(c.Flags) != 0 {
			t.Errorf("after u the flag is still set: %v", c.Flags)
		}
		last := c.Events[len(c.Events)-1]
		if last.Kind != domain.EventUndone || last.User != "tester" || last.Data.Undoes != c.Events[len(c.Events)-2].ID {
			t.Errorf("compensation %+v", last)
		}
		// ":undo" is the same as u: the allocation goes, the case is back in the queue.
		h.press(":")
		h.typeText("undo")
		h.press("enter")
		h.mustShow("undid allocation to Standard")
		if got := h.track("TC/2026/05002"); got != "" {
			t.Errorf("after :undo the track is %q", got)
		}
		n := len(events(t, st, "TC/2026/05002"))
		h.press("u")
		h.mustShow("Nothing undone: TC/2026/05002: nothing to undo")
		if len(events(t, st, "TC/2026/05002")) != n {
			t.Error("a refused undo wrote an event")
		}
		if !h.model().pane.IsOpen() {
			t.Error("the pane closed")
		}
	}
}

// Someone else's latest action is not the caseworker's to take back: the
// refusal names them and the action.
func TestPaneUndoRefusesSomeoneElsesAction(t *testing.T) {
	st := fixture(t, sample)
	ctx := context.Background()
	st.Categorise(ctx, "TC/2026/05002", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "tester", On: today}})
	if _, err := st.Record(ctx, "TC/2026/05002", domain.Event{Kind: domain.EventDisposed, On: today, User: "colleague", Data: domain.EventData{Text: "withdrawn"}}); err != nil {
		t.Fatal(err)
	}
	h := start(t, st, 100, 30)
	h.press("4", "j", "enter")
	h.press("u")
	h.mustShow("Nothing undone", "colleague's")
	if c, _ := st.Case(ctx, "TC/2026/05002"); c.Status != domain.StatusClosed || c.Track == nil {
		t.Errorf("the case changed: %s %v", c.Status, c.TrackOrNone())
	}
}

// P asks what was done on an old case: esc records nothing, a choice key
// records it, t types it (empty refused).
func TestProgressAsksWhatWasDone(t *testing.T) {
	st := fixture(t, sample)
	m, _ := New(Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: domain.MustDate("2027-03-01"), User: "tester", NoColor: true})
	h := &harness{t: t, m: m, st: st}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(m.Init())
	h.press("4", "v", "enter")
	ref := "TC/2026/05001" // the oldest first
	h.mustShow(ref)
	n := len(events(t, st, ref))
	h.press("P")
	h.mustShow(ref + ": what was done? r reviewed · c chased · w waiting · t type it")
	h.press("esc")
	if len(events(t, st, ref)) != n || h.model().prompt.Active() {
		t.Fatal("esc recorded something or left the question open")
	}
	h.press("P", "x") // not a choice: the question stays
	if !h.model().prompt.Active() || len(events(t, st, ref)) != n {
		t.Fatal("a key that is no choice closed the question or recorded")
	}
	h.press("t", "enter")
	h.mustShow("Nothing recorded on " + ref)
	if len(events(t, st, ref)) != n {
		t.Fatal("an empty answer was recorded")
	}
	h.press("P", "t")
	h.typeText("asked HMRC for the review letter")
	h.press("enter")
	h.mustShow("reviewed as an old case — asked HMRC for the review letter")
	es := events(t, st, ref)
	if last := es[len(es)-1]; last.Kind != domain.EventProgressed || last.Data.Text != "asked HMRC for the review letter" {
		t.Errorf("recorded %+v", last)
	}
	h.press("P", "c")
	if es := events(t, st, ref); es[len(es)-1].Data.Text != "chased the parties" {
		t.Errorf("c recorded %+v", es[len(es)-1])
	}
}

// ":group" names every case and asks once; anything but y leaves them
// alone. ":query" opens the call form about the case.
func TestGroupAndQueryFromTheActionLine(t *testing.T) {
	st := fixture(t, sample)
	ctx := context.Background()
	for _, ref := range []string{"TC/2026/05001", "TC/2026/05003"} {
		st.Categorise(ctx, ref, domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "tester", On: today}})
	}
	h := start(t, st, 100, 30)
	h.press("4", "enter") // newest first: TC/2026/05003
	h.mustShow("Test Holdings plc")
	h.press(":")
	h.typeText("group")
	h.press("enter")
	h.mustShow("nothing done: group RELATED")
	h.press(":")
	h.typeText("group tc/2026/05001 film scheme")
	h.press("enter")
	h.mustShow("TC/2026/05003: make it the lead case and stay TC/2026/05001 behind it (group film scheme)?")
	h.press("n")
	h.mustShow("TC/2026/05003: nothing done")
	if c, _ := st.Case(ctx, "TC/2026/05001"); c.Status == domain.StatusStayed {
		t.Fatal("stayed without a yes")
	}
	h.press(":")
	h.typeText("group tc/2026/05001 film scheme")
	h.press("enter", "y")
	h.mustShow("lead case; stayed behind it: TC/2026/05001")
	if c, _ := st.Case(ctx, "TC/2026/05001"); c.Status != domain.StatusStayed {
		t.Errorf("05001 is %s", c.Status)
	}
	// The action line completes the new verbs from the one table.
	for _, v := range []string{"undo", "group", "query"} {
		if !strings.Contains(strings.Join(domain.ActionVerbs(), " "), v) {
			t.Errorf("%s is not in the action table", v)
		}
	}
	h.press(":")
	h.typeText("query")
	h.press("enter")
	m := h.model()
	if m.tab != screen.Queries || !m.queries.Typing() {
		t.Fatalf("not on the call form: tab %d", m.tab)
	}
	h.mustShow("TC/2026/05003")
}
