package cases

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

func feed(d screen.Deps, m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	var up []tea.Msg
	for _, msg := range uitest.Run(d, cmd) {
		var next tea.Cmd
		m, next = m.Update(msg)
		up = append(up, msg)
		var more []tea.Msg
		m, more = feed(d, m, next)
		up = append(up, more...)
	}
	return m, up
}

func TestFilterReadsAgainAndOpenNamesTheCase(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(80, 10)
	m, _ = feed(d, m, m.Shown())
	if !strings.Contains(m.View(), "1 of 3") {
		t.Fatalf("no position:\n%s", m.View())
	}
	m, cmd := m.Update(uitest.Key("l")) // late only
	m, _ = feed(d, m, cmd)
	if v := m.View(); !strings.Contains(v, "late only") || !strings.Contains(v, "TC/2026/05002") || strings.Contains(v, "TC/2026/05001") {
		t.Errorf("late filter:\n%s", v)
	}
	_, cmd = m.Update(uitest.Key("enter"))
	if o, ok := uitest.Find[screen.OpenCase](uitest.Run(d, cmd)); !ok || o.Ref != "TC/2026/05002" {
		t.Errorf("enter opened %+v", o)
	}
}
