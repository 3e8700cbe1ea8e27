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

func update(t *testing.T, d screen.Deps, m Model, msg tea.Msg) Model {
	t.Helper()
	m, cmd := m.Update(msg)
	for _, r := range uitest.Run(d, cmd) {
		m, _ = m.Update(r)
	}
	return m
}

// bars is the length of the bar on the line holding label.
func bars(t *testing.T, view, label string) int {
	t.Helper()
	for _, l := range strings.Split(ansi.Strip(view), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), label) {
			return strings.Count(l, "█")
		}
	}
	t.Fatalf("no line %q in\n%s", label, view)
	return 0
}

// The bar charts the column named beside it, scaled to that column's
// largest figure: two weeks with one return each but rates of 2.3% and
// 7.1% get equal bars for "returned", and bars of 10 and 30 (of 30) for
// the rate, 30 × 2.3 / 7.1 = 9.7 rounding to 10.
func TestBarsChartTheNamedColumn(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st, t.TempDir())
	m.SetSize(120, 30)
	m = update(t, d, m, nil)
	tab := report.Table{Title: "By week", Columns: []string{"week", "received", "returned", "rejection rate"}, Chart: "returned",
		Rows: [][]string{{"w/c 02/11/2026", "43", "1", "2.3%"}, {"w/c 09/11/2026", "14", "1", "7.1%"}, {"w/c 16/11/2026", "0", "0", "–"}}}
	m.gen++
	m = update(t, d, m, reportMsg{m.gen, &report.Report{Name: names[0], Title: "Rejection rates", From: uitest.Today.AddDays(-14),
		To: uitest.Today, By: "week", Tables: []report.Table{tab}}, nil})
	v := m.View()
	if !strings.Contains(v, "By week · bars: returned") {
		t.Fatalf("the bar does not name its column:\n%s", v)
	}
	if a, b := bars(t, v, "w/c 02/11/2026"), bars(t, v, "w/c 09/11/2026"); a != 30 || b != 30 {
		t.Fatalf("returned 1 and 1: bars %d and %d, want 30 and 30", a, b)
	}
	m = update(t, d, m, uitest.Key("c")) // the next column with figures: the rate
	v = m.View()
	if !strings.Contains(v, "By week · bars: rejection rate") {
		t.Fatalf("c did not chart the rate:\n%s", v)
	}
	if a, b, c := bars(t, v, "w/c 02/11/2026"), bars(t, v, "w/c 09/11/2026"), bars(t, v, "w/c 16/11/2026"); a != 10 || b != 30 || c != 0 {
		t.Fatalf("rates 2.3%%, 7.1%%, none: bars %d, %d, %d, want 10, 30, 0", a, b, c)
	}
	m = update(t, d, m, uitest.Key("c")) // round to received: 43 and 14 of 43
	if a, b := bars(t, m.View(), "w/c 02/11/2026"), bars(t, m.View(), "w/c 09/11/2026"); a != 30 || b != 10 {
		t.Fatalf("received 43 and 14: bars %d and %d, want 30 and 10 (30 × 14 / 43 = 9.8)", a, b)
	}
}

// Today is Mon 16 Nov 2026. By week is the 12 weeks to today, both ends
// included: from Tue 25 Aug 2026 (16 Nov − 83 days: 16 Aug is 92 days
// back, so 9 days after it); by month the 12 months from 1 Dec 2025; <
// moves the range back by its length (12 months: 1 Dec 2024 to 30 Nov
// 2025; 84 days: 2 Jun to 24 Aug 2026), > forward again but never past
// today; d takes two dates or 6m (1 Jun 2026: June to November).
func TestRangeKeys(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st, t.TempDir())
	m.SetSize(80, 24)
	m = update(t, d, m, nil)
	for _, msg := range uitest.Run(d, m.Shown()) {
		m, _ = m.Update(msg)
	}
	check := func(from, to, by, shown string) {
		t.Helper()
		f, tt, b := m.Range()
		if f.String() != from || tt.String() != to || b != by {
			t.Fatalf("range %s to %s by %s, want %s to %s by %s", f, tt, b, from, to, by)
		}
		if !strings.Contains(m.View(), shown) {
			t.Fatalf("view lacks %q:\n%s", shown, m.View())
		}
	}
	check("2026-08-25", "2026-11-16", "week", "25/08/2026 to 16/11/2026 by week")
	m = update(t, d, m, uitest.Key("M"))
	check("2025-12-01", "2026-11-16", "month", "01/12/2025 to 16/11/2026 by month")
	if !strings.Contains(m.View(), "Dec 2025") {
		t.Fatalf("by month, no Dec 2025 row:\n%s", m.View())
	}
	m = update(t, d, m, uitest.Key("<"))
	check("2024-12-01", "2025-11-30", "month", "01/12/2024 to 30/11/2025 by month")
	m = update(t, d, m, uitest.Key(">"))
	check("2025-12-01", "2026-11-16", "month", "by month")
	_, cmd := m.Update(uitest.Key(">"))
	if st, _ := uitest.Find[screen.Status](uitest.Run(d, cmd)); st.Text != "The range already ends today" {
		t.Fatalf("> at today: %+v", st)
	}
	m = update(t, d, m, uitest.Key("W"))
	check("2026-08-25", "2026-11-16", "week", "by week")
	m = update(t, d, m, uitest.Key("<"))
	check("2026-06-02", "2026-08-24", "week", "02/06/2026 to 24/08/2026")

	_, cmd = m.Update(uitest.Key("d"))
	ask, ok := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if !ok {
		t.Fatal("d asks no range")
	}
	if st, _ := uitest.Find[screen.Status](uitest.Run(d, ask.Submit("next quarter"))); !strings.HasPrefix(st.Text, "Range not changed") {
		t.Fatalf("a range it cannot read: %+v", st)
	}
	for _, msg := range uitest.Run(d, ask.Submit("01/10/2026 2026-10-31")) {
		m = update(t, d, m, msg)
	}
	check("2026-10-01", "2026-10-31", "week", "01/10/2026 to 31/10/2026")
	for _, msg := range uitest.Run(d, ask.Submit("6m")) {
		m = update(t, d, m, msg)
	}
	check("2026-06-01", "2026-11-16", "week", "01/06/2026 to 16/11/2026")

	// g and G: the top and the last line of a long report.
	m.SetSize(80, 8)
	m = update(t, d, m, uitest.Key("G"))
	if !strings.Contains(m.View(), "w/c 16/11/2026") && !strings.Contains(m.View(), "Returns by reason") {
		t.Fatalf("G is not at the end:\n%s", m.View())
	}
	m = update(t, d, m, uitest.Key("g"))
	if !strings.Contains(m.View(), "01/06/2026 to 16/11/2026") {
		t.Fatalf("g is not at the top:\n%s", m.View())
	}
}
