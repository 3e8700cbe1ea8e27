package tui

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/screen"
)

func (h *harness) caseOf(ref string) *store.Case {
	h.t.Helper()
	c, err := h.st.Case(context.Background(), ref)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func (h *harness) status() string { return h.model().status }

func (h *harness) mustNotShow(s string) {
	h.t.Helper()
	if strings.Contains(h.screen(), s) {
		h.t.Fatalf("screen shows %q:\n%s", s, h.screen())
	}
}

// Cases lists newest first: TC/2026/05003, 05002, 05001.
func TestBulkMarkUnmarkFlagAndUndoOnCases(t *testing.T) {
	h := start(t, fixture(t, sample), 120, 40)
	h.press("4")
	h.mustShow("TC/2026/05003", "TC/2026/05001")
	h.press("space")
	if !strings.Contains(h.status(), "TC/2026/05003 marked · 1 marked") {
		t.Fatalf("status after space: %q", h.status())
	}
	h.press("space", "space")
	h.mustShow("3 marked")
	// Back up to TC/2026/05002 and unmark it: two stay marked.
	h.press("k", "space")
	if !strings.Contains(h.status(), "TC/2026/05002 unmarked · 2 marked") {
		t.Fatalf("status after unmarking: %q", h.status())
	}
	h.mustShow("2 marked")
	marked := 0
	for _, line := range strings.Split(h.screen(), "\n") {
		if strings.Contains(line, "*TC/2026/") {
			marked++
		}
	}
	if marked != 2 {
		t.Fatalf("%d rows drawn marked, want 2:\n%s", marked, h.screen())
	}
	h.press(":")
	h.mustShow("2 marked (TC/2026/05003, TC/2026/05001)")
	h.typeText("flag urgnt")
	h.press("enter")
	if !strings.Contains(h.status(), `Nothing done: flag "urgnt" is not a flag`) {
		t.Fatalf("a mistyped flag: %q", h.status())
	}
	h.mustShow("2 marked") // a mistake keeps the marks
	h.press(":")
	h.typeText("flag urgent")
	h.press("enter")
	if got := h.status(); !strings.Contains(got, "Flagged urgent: 2 cases (TC/2026/05003, TC/2026/05001) · U undoes all 2") {
		t.Fatalf("status: %q", got)
	}
	h.mustNotShow("marked")
	var batch int64
	for _, ref := range []string{"TC/2026/05003", "TC/2026/05001"} {
		c := h.caseOf(ref)
		e := c.Events[len(c.Events)-1]
		if !slices.Contains(c.Flags, "urgent") || e.Data.Batch == 0 || batch != 0 && e.Data.Batch != batch {
			t.Fatalf("%s: flags %v, last event %+v", ref, c.Flags, e)
		}
		batch = e.Data.Batch
	}
	if c := h.caseOf("TC/2026/05002"); len(c.Flags) != 0 {
		t.Fatalf("the unmarked case was flagged: %v", c.Flags)
	}
	h.press("U")
	if got := h.status(); !strings.Contains(got, "Undid the bulk flag: 2 cases (TC/2026/05003, TC/2026/05001)") {
		t.Fatalf("undo status: %q", got)
	}
	for _, ref := range []string{"TC/2026/05003", "TC/2026/05001"} {
		if c := h.caseOf(ref); len(c.Flags) != 0 || c.Events[len(c.Events)-1].Data.UndoesBatch != batch {
			t.Fatalf("%s after undo: %v", ref, c.Flags)
		}
	}
	h.press("U")
	if !strings.Contains(h.status(), "No bulk action to undo") {
		t.Fatalf("second U: %q", h.status())
	}
}

func TestBulkActionsOnARealStore(t *testing.T) {
	for _, tc := range []struct {
		typed string
		want  string
		check func(h *harness, ref string) bool
	}{
		{"allocate basic", "Allocated to Basic: 2 cases", func(h *harness, ref string) bool {
			c := h.caseOf(ref)
			return c.Track != nil && *c.Track == domain.Basic
		}},
		{"refer judge common issue in both", "Referred to the judge: 2 cases", func(h *harness, ref string) bool {
			return h.caseOf(ref).OpenReferrals == 1
		}},
		{"assign alice", "Assigned to alice: 2 cases", func(h *harness, ref string) bool {
			o, _ := h.st.Owner(context.Background(), store.Item{Reference: ref})
			return o == "alice"
		}},
		{"flag vulnerable", "Flagged vulnerable: 2 cases", func(h *harness, ref string) bool {
			return slices.Contains(h.caseOf(ref).Flags, "vulnerable")
		}},
	} {
		t.Run(strings.Fields(tc.typed)[0], func(t *testing.T) {
			h := start(t, fixture(t, sample), 80, 24)
			h.press("4", "space", "j", "space")
			h.press(":")
			h.typeText(tc.typed)
			h.press("enter")
			if !strings.Contains(h.status(), tc.want+" (TC/2026/05003, TC/2026/05001)") {
				t.Fatalf("status %q", h.status())
			}
			for _, ref := range []string{"TC/2026/05003", "TC/2026/05001"} {
				if !tc.check(h, ref) {
					t.Fatalf("%s: not done", ref)
				}
			}
			if tc.check(h, "TC/2026/05002") {
				t.Fatal("the unmarked case was acted on")
			}
			h.press("U")
			if !strings.Contains(h.status(), "Undid the bulk") {
				t.Fatalf("undo: %q", h.status())
			}
			for _, ref := range []string{"TC/2026/05003", "TC/2026/05001"} {
				if tc.check(h, ref) {
					t.Fatalf("%s: not undone", ref)
				}
			}
		})
	}
}

func TestBulkRefusalNamesTheCaseAndKeepsTheMarks(t *testing.T) {
	st := fixture(t, sample)
	if _, err := st.Record(context.Background(), "TC/2026/05001", domain.Event{Kind: domain.EventFlagSet, On: today, User: "t",
		Data: domain.EventData{Flag: "urgent"}}); err != nil {
		t.Fatal(err)
	}
	h := start(t, st, 80, 24)
	h.press("4", "space", "space", "space", ":")
	h.typeText("flag urgent")
	h.press("enter")
	got := h.status()
	if !strings.Contains(got, "Not saved: nothing done to the 3 cases marked: TC/2026/05001") || !strings.Contains(got, "already set") {
		t.Fatalf("refusal: %q", got)
	}
	h.mustShow("3 marked")
	for _, ref := range []string{"TC/2026/05002", "TC/2026/05003"} {
		if c := h.caseOf(ref); len(c.Flags) != 0 {
			t.Fatalf("%s flagged by a refused batch", ref)
		}
	}
	h.press("esc")
	if !strings.Contains(h.status(), "Unmarked 3: nothing was done to them") {
		t.Fatalf("esc: %q", h.status())
	}
	h.mustNotShow("3 marked")
}

func TestBulkMistakes(t *testing.T) {
	h := start(t, fixture(t, sample), 60, 20)
	// Nothing marked: : asks for an open case as before, U has nothing.
	h.press("4", ":")
	h.mustShow("No case is open")
	h.press("esc", "U")
	if !strings.Contains(h.status(), "No bulk action to undo") {
		t.Fatalf("U with nothing done: %q", h.status())
	}
	// Marks stay on their screen: Due has none, Cases keeps its one.
	h.press("space", "3")
	if h.model().marked().Len() != 0 {
		t.Fatal("the Due screen has the Cases screen's marks")
	}
	h.press(":")
	h.mustShow("No case is open")
	h.press("esc", "4")
	h.mustShow("1 marked")
}

func TestBulkSnoozeFromTheInboxWithAWrongDate(t *testing.T) {
	st := fixture(t, sample)
	// A direction due in two days puts TC/2026/05001 in the inbox beside
	// the late appeal TC/2026/05002.
	if _, err := st.Categorise(context.Background(), "TC/2026/05001", domain.Basic, store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: today}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Record(context.Background(), "TC/2026/05001", domain.Event{Kind: domain.EventDirection, On: today, User: "t",
		Data: domain.EventData{Text: "send the penalty notice", Party: "respondent", Due: today.AddDays(2)}}); err != nil {
		t.Fatal(err)
	}
	h := start(t, st, 80, 24)
	var refs []string
	for _, it := range h.model().inbox.Rows() {
		if it.Reference == "" {
			h.press("space") // the queue is not a case: it cannot be marked
			if !strings.Contains(h.status(), "Only an item of a case can be marked") {
				t.Fatalf("marking the queue: %q", h.status())
			}
			h.press("j")
			continue
		}
		refs = append(refs, it.Reference)
		h.press("space")
	}
	if len(refs) != 2 || h.model().inbox.Marks().Len() != 2 {
		t.Fatalf("marked %v (%d)", refs, h.model().inbox.Marks().Len())
	}
	h.mustShow("2 marked")
	h.press("z")
	h.mustShow("Snooze the 2 marked until")
	h.typeText("next week")
	h.press("enter")
	if !strings.Contains(h.status(), "Nothing snoozed (2 marked)") {
		t.Fatalf("a wrong date: %q", h.status())
	}
	h.mustShow("2 marked")
	h.press("z")
	h.typeText("23/11/2026")
	h.press("enter")
	h.mustShow("Why snooze the 2 marked until Mon 23 Nov 2026?")
	h.typeText("waiting for HMRC")
	h.press("enter")
	if !strings.Contains(h.status(), "Snoozed until Mon 23 Nov 2026: 2 cases") {
		t.Fatalf("status %q", h.status())
	}
	if n := len(h.model().inbox.Rows()); n != 1 {
		t.Fatalf("%d items left in the inbox, want the queue only", n)
	}
	for _, ref := range refs {
		c := h.caseOf(ref)
		if e := c.Events[len(c.Events)-1]; e.Kind != domain.EventSnoozed || !strings.Contains(e.Detail, "why: waiting for HMRC") {
			t.Fatalf("%s: %+v", ref, e)
		}
	}
	h.press("U")
	if n := len(h.model().inbox.Rows()); n != 3 {
		t.Fatalf("%d items after the undo, want 3", n)
	}
}

func TestBulkFromSearchResults(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("/")
	h.typeText("samp")
	h.mustShow("1 found")
	h.send(tea.KeyPressMsg{Code: tea.KeySpace, Mod: tea.ModCtrl})
	h.mustShow("1 found · 1 marked")
	h.press("esc") // with results marked, esc leaves the query, not the screen
	if h.model().tab != screen.Search || h.model().searching {
		t.Fatalf("esc with marks: tab %d searching %v", h.model().tab, h.model().searching)
	}
	h.press(":")
	h.mustShow("1 marked (TC/2026/05002)")
	h.typeText("flag media")
	h.press("enter")
	if !strings.Contains(h.status(), "Flagged media: 1 case (TC/2026/05002)") {
		t.Fatalf("status %q", h.status())
	}
}
