// Package reports is the Reports screen: one report at a time, the last 12
// weeks by week, with a bar beside the charted column, and export to CSV.
package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/report"
	"github.com/caseload/caseload/tui/pagedlist"
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
	return []key.Binding{k.NextReport, k.PrevReport, pagedlist.Move(k.Down, k.Up, "scroll"), k.Export}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.d.Keys
	return [][]key.Binding{{k.NextReport, k.PrevReport, k.Down, k.Up, k.Export}}
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
)

// New is the screen; exports go to exportDir (created 0700).
func New(d screen.Deps, st Store, exportDir string) Model {
	return Model{d: d, st: st, exportDir: exportDir, names: names}
}

// workloadName is the workload report's place among the names.
const workloadName = "workload"

// ShowWorkload adds the team's workload report after the others.
func (m *Model) ShowWorkload(st WorkloadStore) {
	m.workload = st
	m.names = append(append([]string{}, names...), workloadName)
}

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
	to := m.d.Today
	from := to.AddDays(-83) // 12 weeks, both ends included
	return m.d.Requests.Go(screen.Reports, func(ctx context.Context) tea.Msg {
		if name == workloadName && workload != nil {
			// Today's, not by week: who holds what now.
			r, err := workload.WorkloadReport(ctx, to)
			return reportMsg{gen, r, err}
		}
		r, err := st.Report(ctx, name, from, to, "week")
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
		return m, screen.StatusCmd("Exported to " + msg.path)
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
	when := r.From.UK() + " to " + r.To.UK()
	if r.From.Equal(r.To) {
		when = r.To.Long()
	}
	out = append(out, st.Title.Render(sanitize.Fit(r.Title+", "+when, w)))
	for _, t := range r.Tables {
		out = append(out, "", st.Title.Render(sanitize.Fit(t.Title, w)))
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
		chart, maxV := -1, 0.0
		for i, c := range t.Columns {
			if c == t.Chart {
				chart = i
			}
		}
		if chart >= 0 {
			for _, row := range t.Rows {
				if v, err := strconv.ParseFloat(row[chart], 64); err == nil && v > maxV {
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
				if v, err := strconv.ParseFloat(row[chart], 64); err == nil && room > 0 {
					l += strings.Repeat("█", int(float64(min(room, 30))*v/maxV+0.5))
				}
			}
			out = append(out, sanitize.Fit(l, w))
		}
	}
	top := min(m.top, max(len(out)-m.h, 0))
	return screen.Lines(append(out[:1], out[1+top:]...), m.h)
}
