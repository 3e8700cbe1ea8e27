package tui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/store"
)

// The footer names the way out and the way to every key on every list,
// at each size.
func TestFooterAlwaysShowsQuitAndHelp(t *testing.T) {
	st := fixture(t, sample)
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 20}} {
		h := start(t, st, size[0], size[1])
		for _, tab := range []string{"1", "2", "3", "4", "6", "7"} {
			h.press(tab)
			lines := strings.Split(h.screen(), "\n")
			if foot := lines[len(lines)-1]; !strings.HasSuffix(foot, "q quit · ? help") {
				t.Errorf("%v tab %s: footer %q", size, tab, foot)
			}
		}
	}
}

// The status line is about the screen it was said on: it goes when the
// screen changes.
func TestStatusClearsWhenTheScreenChanges(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("3", "X") // nothing due: a status line
	h.mustShow("Nothing due: no deadline to meet")
	h.press("4")
	if strings.Contains(h.screen(), "Nothing due") {
		t.Errorf("the Due screen's status stayed on Cases:\n%s", h.screen())
	}
}

// Resized in the middle of a list, the selection and its position stay.
func TestResizeMidListKeepsTheSelection(t *testing.T) {
	h := start(t, fixture(t, sample), 120, 40)
	h.press("4", "j", "j")
	h.mustShow("3 of 3")
	ref, _ := h.model().cases.Selected()
	for _, size := range [][2]int{{60, 20}, {80, 24}, {120, 40}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.mustShow("3 of 3", ref)
		if got, _ := h.model().cases.Selected(); got != ref {
			t.Errorf("%v: selected %s, was %s", size, got, ref)
		}
	}
}

// The case pane shows each field `caseload show` prints, and the
// timeline the date each step happened (show's date, in show's order),
// with when it was recorded after it.
func TestCasePaneShowsWhatShowPrints(t *testing.T) {
	st := fixture(t, "reference,received,decision_date,appellant,representative,subject,amount,grounds,hmrc_reference\n"+
		"TC/2026/05010,2026-11-09,2026-10-30,Harbour House Ltd,Quay Tax LLP,vat,,Input tax.,VAT-REF-7781\n")
	ctx := context.Background()
	if _, err := st.AddNote(ctx, "TC/2026/05010", "Phoned the representative", store.ActOptions{User: "tester", On: today.AddDays(-3)}); err != nil {
		t.Fatal(err)
	}
	h := start(t, st, 80, 40)
	h.press("4", "enter")
	h.mustShow("Jurisdiction", "Representative  Quay Tax LLP", "HMRC reference  VAT-REF-7781", "Amount          not given",
		"england-and-wales bank holidays")
	c, _ := st.Case(ctx, "TC/2026/05010")
	s := h.screen()
	at := -1
	for _, e := range c.Events {
		i := strings.Index(s, e.On.UK()+"  "+e.User)
		if i < at {
			t.Errorf("%s %s is not in show's order", e.On.UK(), e.Kind)
		}
		at = i
	}
	// Noted as of Fri 13 Nov at 09:30 (the test clock); the import, dated
	// the day the notice was received, was recorded on Mon 16 Nov.
	h.mustShow("09/11/2026  import     notice of appeal received (recorded 16/11/2026 09:30)")
	h.mustShow("13/11/2026  tester     Phoned the representative (recorded 09:30)")
}
