package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
