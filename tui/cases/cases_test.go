package cases

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
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

// jrOnly is the store seen through the Administrative Court pack, as the
// root's jurisdiction switch gives it.
type jrOnly struct{ *store.Store }

func (jrOnly) Jurisdiction() string { return "admin-court-jr" }

// The track filter offers the pack's own tracks or stages (issue 13 item
// 5): judicial review stages when the Administrative Court is shown, the
// tax chamber's four and every pack's stages when all are.
func TestTrackFilterCyclesThePacksOwnTracks(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, jrOnly{st})
	m.SetSize(80, 10)
	m, _ = m.Update(uitest.Key("f"))
	if got := m.Filter().Track; got != "pre-action" {
		t.Errorf("first stage offered in the Administrative Court: %q, want pre-action", got)
	}
	all := New(d, st).trackOrder()
	for _, want := range []domain.Track{"", domain.Paper, domain.Basic, domain.Standard, domain.Complex, "pre-action", "claim-issued"} {
		if !slices.Contains(all, want) {
			t.Errorf("all jurisdictions: %q not offered in %v", want, all)
		}
	}
	for _, tr := range New(d, jrOnly{st}).trackOrder() {
		if tr == domain.Standard {
			t.Errorf("a tax track offered in the Administrative Court: %v", New(d, jrOnly{st}).trackOrder())
		}
	}
}
