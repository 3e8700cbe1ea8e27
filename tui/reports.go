package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/store/report"
	"github.com/caseload/caseload/tui/sanitize"
)

// reportState is the Reports screen: one report at a time, the last 12
// weeks by week, with a bar beside the charted column.
type reportState struct {
	index   int
	current *report.Report
	loading bool
	top     int
}

type reportMsg struct {
	r   *report.Report
	err error
}

type exportedMsg struct {
	path string
	err  error
}

func (m *Model) loadReport() tea.Cmd {
	m.reports.loading = true
	m.busy++
	st, name := m.st, report.Names[m.reports.index]
	to := m.cfg.Today
	from := to.AddDays(-83) // 12 weeks, both ends included
	return func() tea.Msg {
		r, err := st.Report(context.Background(), name, from, to, "week")
		return reportMsg{r, err}
	}
}

// exportReport writes the report as CSV beside the database's data, 0600.
func (m *Model) exportReport() tea.Cmd {
	r := m.reports.current
	if r == nil {
		return nil
	}
	dir := m.cfg.ExportDir
	return func() tea.Msg {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return exportedMsg{err: err}
		}
		path := filepath.Join(dir, fmt.Sprintf("%s-%s-to-%s.csv", r.Name, r.From, r.To))
		f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return exportedMsg{err: err}
		}
		defer f.Close()
		if err := r.WriteCSV(f); err != nil {
			return exportedMsg{err: err}
		}
		return exportedMsg{path: path}
	}
}

func (m Model) reportLines(w int) []string {
	names := make([]string, len(report.Names))
	for i, n := range report.Names {
		if i == m.reports.index {
			names[i] = "[" + n + "]"
		} else {
			names[i] = n
		}
	}
	out := []string{sanitize.Fit(strings.Join(names, " "), w)}
	r := m.reports.current
	if r == nil || r.Name != report.Names[m.reports.index] {
		return append(out, m.styles.Muted.Render("Counting…"))
	}
	out = append(out, m.styles.Title.Render(sanitize.Fit(r.Title+", "+r.From.UK()+" to "+r.To.UK(), w)))
	for _, t := range r.Tables {
		out = append(out, "", m.styles.Title.Render(sanitize.Fit(t.Title, w)))
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
		out = append(out, m.styles.Muted.Render(sanitize.Fit(line(t.Columns), w)))
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
	top := min(m.reports.top, max(len(out)-m.bodyHeight(), 0))
	return append(out[:1], out[1+top:]...)
}
