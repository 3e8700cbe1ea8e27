package search

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

// A stale answer (an older query's) is dropped, and a paste searches like
// typing.
func TestStaleAnswerDroppedAndPasteSearches(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(80, 10)
	m.Focus()
	var ticks []tea.Msg
	m, cmd := m.Update(tea.PasteMsg{Content: "example"})
	ticks = append(ticks, uitest.Run(d, cmd)...)
	m, cmd = m.Update(tea.PasteMsg{Content: " person"})
	ticks = append(ticks, uitest.Run(d, cmd)...)
	var answers []tea.Msg
	for _, tk := range ticks {
		var c tea.Cmd
		m, c = m.Update(tk)
		answers = append(answers, uitest.Run(d, c)...)
	}
	if len(answers) != 1 {
		t.Fatalf("%d queries sent for one pause in typing", len(answers))
	}
	m, _ = m.Update(answers[0])
	if v := m.View(); !strings.Contains(v, "1 found") || !strings.Contains(v, "Example Person") {
		t.Errorf("results:\n%s", v)
	}
	old := resultsMsg{seq: m.seq - 1}
	m, _ = m.Update(old)
	if !strings.Contains(m.View(), "Example Person") {
		t.Error("a stale answer replaced the results")
	}
	_, cmd = m.Update(uitest.Key("enter"))
	if o, ok := uitest.Find[screen.OpenCase](uitest.Run(d, cmd)); !ok || o.Ref != "TC/2026/05001" {
		t.Errorf("enter: %+v", o)
	}
}
