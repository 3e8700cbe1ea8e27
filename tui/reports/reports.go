// Package reports is the Reports screen: one report at a time, by week or
// by month over a date range (the last 12 weeks at first), with a bar
// charting the column named beside it, and export to CSV.
package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/report"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what the screen needs of the database.
type Store interface {
	Report(ctx context.Context, name string, from, to domain.Date, by string) (*report.Report, error)
}

// WorkloadStore gives the team's workload report (team leaders on a team
// server see it on this screen).
type WorkloadStore interface {
	WorkloadReport(ctx context.Context, today domain.Date) (*report.Report, error)
}

// KeyMap is the screen's keys.
type KeyMap struct{ d screen.Deps }

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.d.Keys
	weekMonth := key.NewBinding(key.WithKeys(append(k.ByWeek.Keys(), k.ByMonth.Keys()...)...),
		key.WithHelp(k.ByWeek.Help().Key+"/"+k.ByMonth.Help().Key, "week/month"))
	return []key.Binding{k.NextReport, k.PrevReport, weekMonth, k.ReportRange, k.Export}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.d.Keys
	return [][]key.Binding{{k.NextReport, k.PrevReport, k.Down, k.Up, k.Top, k.Bottom, k.Export},
		{k.ByWeek, k.ByMonth, k.ReportRange, k.EarlierRange, k.LaterRange, k.ChartColumn}}
}

// Model is the screen.
type Model struct {
	d         screen.Deps
	st        Store
	exportDir string
	names     []string      // the reports offered, in order
	workload  WorkloadStore // nil: no workload report
	index     int
	current   *report.Report
	gen       int
	loading   bool
	top       int
	w, h      int
	// The range counted, and by week or month.
	from, to domain.Date
	by       string
	// chart moves each table's bar this many numeric columns on from the
	// one the report charts (ChartColumn).
	chart int
}

type (
	reportMsg struct {
		gen int
		r   *report.Report
		err error
	}
	exportedMsg struct {
		path string
		err  error
	}
	// rangeMsg is a date range typed at the range question.
	rangeMsg struct{ from, to domain.Date }
)

// New is the screen; exports go to exportDir (created 0700).
func New(d screen.Deps, st Store, exportDir string) Model {
	m := Model{d: d, st: st, exportDir: exportDir, names: names}
	m.byWeek(d.Today)
	return m
}

// workloadName is the workload report's place among the names.
const workloadName = "workload"

// ShowWorkload adds the team's workload report after the others.
func (m *Model) ShowWorkload(st WorkloadStore) {
	m.workload = st
	m.names = append(append([]string{}, names...), workloadName)
}

// byWeek is the 12 weeks to end, both ends included.
func (m *Model) byWeek(end domain.Date) { m.by, m.from, m.to = "week", end.AddDays(-83), end }

// byMonth is the 12 months to end: from the first of the month 11 months
// before end's.
func (m *Model) byMonth(end domain.Date) {
	m.by, m.from, m.to = "month", domain.NewDate(end.Year(), end.Month()-11, 1), end
}

// shift moves the range by its own length: n ranges later (earlier if
// negative), never past today.
func (m *Model) shift(n int) string {
	if n > 0 && !m.to.Before(m.d.Today) {
		return "The range already ends today"
	}
	if m.by == "month" {
		months := (m.to.Year()-m.from.Year())*12 + int(m.to.Month()-m.from.Month()) + 1
		from := domain.NewDate(m.from.Year(), m.from.Month()+time.Month(n*months), 1)
		m.from, m.to = from, domain.NewDate(from.Year(), from.Month()+time.Month(months), 1).AddDays(-1)
	} else {
		days := m.from.DaysUntil(m.to) + 1
		m.from, m.to = m.from.AddDays(n*days), m.to.AddDays(n*days)
	}
	if m.to.After(m.d.Today) {
		// The latest range ends today: months from the first of the month,
		// weeks as many days long as before.
		if m.by != "month" {
			m.from = m.from.AddDays(-m.d.Today.DaysUntil(m.to))
		}
		m.to = m.d.Today
	}
	return ""
}

// RangeHint says what the range question takes.
const RangeHint = "FROM TO (23/11/2026 or 2026-11-23), or 12w, 6m: ending today"

// ParseRange reads a range: two dates, or a number of weeks or months
// ending today.
func ParseRange(s string, today domain.Date) (from, to domain.Date, err error) {
	words := strings.Fields(strings.ToLower(s))
	switch {
	case len(words) == 1 && len(words[0]) > 1 && strings.ContainsAny(words[0][len(words[0])-1:], "wm"):
		n, err := strconv.Atoi(words[0][:len(words[0])-1])
		if err != nil || n < 1 || n > 120 {
			return from, to, fmt.Errorf("%q: give a number of weeks or months from 1 to 120, like 12w or 6m", s)
		}
		if words[0][len(words[0])-1] == 'w' {
			return today.AddDays(-7*n + 1), today, nil
		}
		return domain.NewDate(today.Year(), today.Month()-time.Month(n-1), 1), today, nil
	case len(words) == 2:
		if from, err = domain.ParseDate(words[0]); err != nil {
			return from, to, fmt.Errorf("from: %w", err)
		}
		if to, err = domain.ParseDate(words[1]); err != nil {
			return from, to, fmt.Errorf("to: %w", err)
		}
		if to.Before(from) {
			return from, to, fmt.Errorf("the range ends (%s) before it starts (%s)", to.UK(), from.UK())
		}
		return from, to, nil
	}
	return from, to, fmt.Errorf("%q: give two dates, FROM TO, or a number of weeks or months like 12w or 6m", s)
}

// Range is the range counted and how it is grouped.
func (m Model) Range() (from, to domain.Date, by string) { return m.from, m.to, m.by }

// Keys is the screen's key map.
func (m Model) Keys() KeyMap { return KeyMap{m.d} }

// SetStore changes the store; the report is counted again when shown.
func (m *Model) SetStore(st Store) { m.st = st; m.current = nil; m.gen++; m.loading = false }

// SetSize fits the screen.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// Selected is no case: reports are about many.
func (m Model) Selected() (string, int64) { return "", 0 }

// Shown counts the report if it has not been.
func (m *Model) Shown() tea.Cmd {
	if m.current != nil || m.loading {
		return nil
	}
	return m.load()
}

func (m *Model) load() tea.Cmd {
	m.loading = true
	m.gen++
	m.top = 0
	st, name, gen, workload := m.st, m.names[m.index], m.gen, m.workload
	from, to, by := m.from, m.to, m.by
	today := m.d.Today
	return m.d.Requests.Go(screen.Reports, func(ctx context.Context) tea.Msg {
		if name == workloadName && workload != nil {
			// Today's, not by week: who holds what now.
			r, err := workload.WorkloadReport(ctx, today)
			return reportMsg{gen, r, err}
		}
		r, err := st.Report(ctx, name, from, to, by)
		return reportMsg{gen, r, err}
	})
}

// Update takes the reports and the screen's keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k := m.d.Keys
	switch msg := msg.(type) {
	case reportMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading = false
		if msg.err != nil {
			return m, screen.StatusCmd("Could not count the report: " + sanitize.Line(msg.err.Error()))
		}
		m.current = msg.r
	case exportedMsg:
		if msg.err != nil {
			return m, screen.StatusCmd("Not exported: " + msg.err.Error())
		}
		return m, screen.StatusCmd("Exported to " + sanitize.Line(msg.path))
	case rangeMsg:
		m.from, m.to = msg.from, msg.to
		return m, tea.Batch(m.load(), screen.StatusCmd(m.rangeWords()))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.NextReport):
			m.index = (m.index + 1) % len(m.names)
			return m, m.load()
		case key.Matches(msg, k.PrevReport):
			m.index = (m.index + len(m.names) - 1) % len(m.names)
			return m, m.load()
		case key.Matches(msg, k.Export):
			return m, m.export()
		case key.Matches(msg, k.ByWeek):
			m.byWeek(m.to)
			return m, tea.Batch(m.load(), screen.StatusCmd(m.rangeWords()))
		case key.Matches(msg, k.ByMonth):
			m.byMonth(m.to)
			return m, tea.Batch(m.load(), screen.StatusCmd(m.rangeWords()))
		case key.Matches(msg, k.EarlierRange, k.LaterRange):
			n := 1
			if key.Matches(msg, k.EarlierRange) {
				n = -1
			}
			if why := m.shift(n); why != "" {
				return m, screen.StatusCmd(why)
			}
			return m, tea.Batch(m.load(), screen.StatusCmd(m.rangeWords()))
		case key.Matches(msg, k.ReportRange):
			today := m.d.Today
			return m, screen.Send(screen.Ask{Label: "Report range: ", Placeholder: RangeHint, Submit: func(v string) tea.Cmd {
				from, to, err := ParseRange(v, today)
				if err != nil {
					return screen.StatusCmd("Range not changed: " + err.Error())
				}
				return func() tea.Msg { return rangeMsg{from, to} }
			}})
		case key.Matches(msg, k.ChartColumn):
			m.chart++
		case key.Matches(msg, k.Bottom):
			m.top = 1 << 30 // the view stops at the last line
		case key.Matches(msg, k.Down):
			m.top++
		case key.Matches(msg, k.Up):
			m.top = max(m.top-1, 0)
		case key.Matches(msg, k.PageDown):
			m.top += m.h - 2
		case key.Matches(msg, k.PageUp):
			m.top = max(m.top-m.h+2, 0)
		case key.Matches(msg, k.Top):
			m.top = 0
		}
	}
	return m, nil
}

func (m Model) rangeWords() string {
	return fmt.Sprintf("Counting %s to %s by %s", m.from.UK(), m.to.UK(), m.by)
}

// number reads a figure as the reports print it: 12, 2.3%, £1,234.56.
func number(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "%")
	s = strings.TrimPrefix(s, "£")
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return v, err == nil
}

// blank is a cell with no figure: empty, or the dash of a rate of nothing.
func blank(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s == "–" || s == "-"
}

// chartColumn is the column a table's bars chart: the report's own, moved
// on by shift among the columns that hold figures (-1: none).
func chartColumn(t report.Table, shift int) int {
	var numeric []int
	for i := 1; i < len(t.Columns); i++ {
		ok := len(t.Rows) > 0
		for _, row := range t.Rows {
			if i >= len(row) {
				ok = false
				break
			}
			if _, isNum := number(row[i]); !isNum && !blank(row[i]) {
				ok = false
				break
			}
		}
		if ok {
			numeric = append(numeric, i)
		}
	}
	if len(numeric) == 0 {
		return -1
	}
	at := 0
	for j, i := range numeric {
		if t.Columns[i] == t.Chart {
			at = j
		}
	}
	if t.Chart == "" && shift == 0 {
		return -1
	}
	return numeric[(at+shift)%len(numeric)]
}

// export writes the report as CSV, 0600, in a command.
func (m Model) export() tea.Cmd {
	r := m.current
	if r == nil {
		return screen.StatusCmd("Nothing to export yet: the report is still being counted")
	}
	dir := m.exportDir
	return m.d.Requests.Go(screen.Reports, func(context.Context) tea.Msg {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return exportedMsg{err: err}
		}
		path := filepath.Join(dir, fmt.Sprintf("%s-%s-to-%s.csv", r.Name, r.From, r.To))
		f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return exportedMsg{err: err}
		}
		if err := r.WriteCSV(f); err != nil {
			f.Close()
			return exportedMsg{err: err}
		}
		return exportedMsg{path: path, err: f.Close()}
	})
}

// names are every report: the casework ones, then the service centre's.
var names = report.AllNames()

// nameLine lists the reports with the one shown in brackets, dropping
// names from the front (…) until it fits, so the one shown is never cut.
func nameLine(names []string, index, w int) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n
		if i == index {
			parts[i] = "[" + n + "]"
		}
	}
	line := strings.Join(parts, " ")
	for from := 1; from <= index && sanitize.Width(line) > w; from++ {
		line = "… " + strings.Join(parts[from:], " ")
	}
	return sanitize.Fit(line, w)
}

// View is exactly h lines: the report names, then the report scrolled.
func (m Model) View() string {
	st, w := m.d.Styles, m.w
	out := []string{nameLine(m.names, m.index, w)}
	r := m.current
	if r == nil || r.Name != m.names[m.index] {
		return screen.Lines(append(out, st.Muted.Render("Counting…")), m.h)
	}
	when := r.From.UK() + " to " + r.To.UK() + " by " + r.By
	if r.From.Equal(r.To) {
		when = r.To.Long()
	}
	out = append(out, st.Title.Render(sanitize.Fit(r.Title+", "+when, w)))
	for _, t := range r.Tables {
		title := t.Title
		if chart := chartColumn(t, m.chart); chart >= 0 {
			title += " · bars: " + t.Columns[chart]
		}
		out = append(out, "", st.Title.Render(sanitize.Fit(title, w)))
		widths := make([]int, len(t.Columns))
		for i, c := range t.Columns {
			widths[i] = sanitize.Width(c)
		}
		for _, row := range t.Rows {
			for i, c := range row {
				if i < len(widths) {
					widths[i] = max(widths[i], sanitize.Width(c))
				}
			}
		}
		// The bar follows the column named beside it, scaled to that
		// column's largest figure.
		chart, maxV := chartColumn(t, m.chart), 0.0
		if chart >= 0 {
			for _, row := range t.Rows {
				if v, ok := number(row[chart]); ok && v > maxV {
					maxV = v
				}
			}
		}
		line := func(cells []string) string {
			var b strings.Builder
			for i, c := range cells {
				if i < len(widths) {
					b.WriteString(sanitize.Pad(c, widths[i]) + "  ")
				}
			}
			return b.String()
		}
		out = append(out, st.Muted.Render(sanitize.Fit(line(t.Columns), w)))
		for _, row := range t.Rows {
			l := line(row)
			if chart >= 0 && maxV > 0 {
				// A bar beside the figure: the length carries the number, not colour.
				room := max(w-sanitize.Width(l)-1, 0)
				if v, ok := number(row[chart]); ok && room > 0 && v > 0 {
					l += strings.Repeat("█", int(float64(min(room, 30))*v/maxV+0.5))
				}
			}
			out = append(out, sanitize.Fit(l, w))
		}
	}
	top := min(m.top, max(len(out)-m.h, 0))
	return screen.Lines(append(out[:1], out[1+top:]...), m.h)
}
