package helpview

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/uitest"
)

func TestScrollsToTheLastActionAndShowsReboundKeys(t *testing.T) {
	st := uitest.Store(t, "")
	d := uitest.Deps(t, st, map[string][]string{"down": {"n"}, "up": {"e"}})
	m := New(d)
	m.SetSize(60, 8)
	m.Open([]Section{{Title: "Lists", Keys: pagedlist.Keys(d.Keys)}})
	if got := strings.Count(m.View(), "\n") + 1; got != 8 {
		t.Errorf("%d lines, want 8", got)
	}
	if !strings.Contains(ansi.Strip(m.View()), "n/e scroll") {
		t.Errorf("title does not show the rebound keys:\n%s", m.View())
	}
	last := domain.Actions[len(domain.Actions)-1].Verb
	for i := 0; i < 200 && !strings.Contains(m.View(), last+" "); i++ {
		m, _ = m.Update(uitest.Key("n"))
	}
	if !strings.Contains(m.View(), last+" ") {
		t.Errorf("never reached %q", last)
	}
	m, _ = m.Update(uitest.Key("esc"))
	if m.IsOpen() {
		t.Error("esc did not close the help")
	}
}
