package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/store/report"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

func TestNextReportAndExport(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	dir := filepath.Join(t.TempDir(), "exports")
	m := New(d, st, dir)
	m.SetSize(80, 20)
	for _, msg := range uitest.Run(d, m.Shown()) {
		m, _ = m.Update(msg)
	}
	if !strings.Contains(m.View(), "[rejections]") {
		t.Fatalf("first report:\n%s", m.View())
	}
	m, cmd := m.Update(uitest.Key("]"))
	for _, msg := range uitest.Run(d, cmd) {
		m, _ = m.Update(msg)
	}
	if !strings.Contains(m.View(), "[extensions]") {
		t.Fatalf("next report:\n%s", m.View())
	}
	_, cmd = m.Update(uitest.Key("e"))
	var status screen.Status
	for _, msg := range uitest.Run(d, cmd) {
		_, c := m.Update(msg)
		status, _ = uitest.Find[screen.Status](uitest.Run(d, c))
	}
	if !strings.HasPrefix(status.Text, "Exported to") {
		t.Fatalf("export: %+v", status)
	}
	fi, err := os.Stat(strings.TrimPrefix(status.Text, "Exported to "))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("export file: %v %v", fi, err)
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("export dir mode %o", di.Mode().Perm())
	}
}

// TestServiceCentreReports: the four service-centre reports follow the
// casework ones (] from the last casework report), each counted and named
// in brackets even at 60 columns; ] after the last wraps to the first.
func TestServiceCentreReports(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st, t.TempDir())
	m.SetSize(60, 20)
	for _, msg := range uitest.Run(d, m.Shown()) {
		m, _ = m.Update(msg)
	}
	next := func() {
		var cmd tea.Cmd
		m, cmd = m.Update(uitest.Key("]"))
		for _, msg := range uitest.Run(d, cmd) {
			m, _ = m.Update(msg)
		}
	}
	for range len(report.Names) - 1 {
		next()
	}
	if last := report.Names[len(report.Names)-1]; !strings.Contains(m.View(), "["+last+"]") {
		t.Fatalf("the last casework report, %s:\n%s", last, m.View())
	}
	for _, want := range []string{"queries", "complaints", "support-needs", "fees"} {
		next()
		v := m.View()
		first := strings.SplitN(v, "\n", 2)[0]
		if !strings.Contains(first, "["+want+"]") {
			t.Errorf("%s not named in the list: %q", want, first)
		}
		if strings.Contains(v, "Counting…") || m.current == nil || m.current.Name != want {
			t.Fatalf("%s not counted:\n%s", want, v)
		}
		for _, l := range strings.Split(v, "\n") {
			if ansi.StringWidth(l) > 60 {
				t.Errorf("%s: line wider than 60: %q", want, l)
			}
		}
	}
	next()
	if !strings.Contains(m.View(), "[rejections]") {
		t.Errorf("] after fees did not wrap to the first report:\n%s", m.View())
	}
}
