package queries

import (
	"fmt"
	"strings"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/sanitize"
)

// View draws the screen in exactly the size given by SetSize: every line
// is width cells, and there are height lines.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var bottom []string
	switch {
	case m.form != nil:
		bottom = m.formLines()
	case m.prompt != nil:
		if len(m.questions) > 0 {
			bottom = append(bottom, m.pad("Ask first:"))
			for _, q := range m.questions {
				bottom = append(bottom, m.pad("  - "+sanitize.Line(q)))
			}
		}
		bottom = append(bottom, m.styled(m.prompt.View()))
	case m.search != nil:
		bottom = append(bottom, m.pad(m.rule()), m.styled(m.search.View()))
		if len(m.hits) == 0 {
			bottom = append(bottom, m.pad("    no article matches"))
		}
		for i, a := range m.hits {
			mark := "    "
			if i == m.hit {
				mark = "  > "
			}
			q := ""
			if len(a.Questions) > 0 {
				q = fmt.Sprintf(" (%d questions)", len(a.Questions))
			}
			bottom = append(bottom, m.pad(mark+sanitize.Line(a.Title)+q))
		}
	}
	top := m.listLines(max(m.height-len(bottom), 0))
	lines := append(top, bottom...)
	if len(lines) > m.height {
		// A form taller than a small terminal keeps its focused part.
		lines = lines[len(lines)-m.height:]
	}
	for len(lines) < m.height {
		lines = append(lines, strings.Repeat(" ", m.width))
	}
	return strings.Join(lines, "\n")
}

// styled fits a line the UI styled itself (an input's view) to the width.
func (m Model) styled(s string) string {
	s = sanitize.Cut(s, m.width)
	if w := sanitize.Width(s); w < m.width {
		s += strings.Repeat(" ", m.width-w)
	}
	return s
}

func (m Model) pad(s string) string { return sanitize.Pad(s, m.width) }

func (m Model) filterText() string {
	st := "open"
	switch {
	case m.filter.Status != "":
		st = string(m.filter.Status)
	case !m.filter.Open:
		st = "all"
	}
	ch, tp := "all channels", "all topics"
	if m.filter.Channel != "" {
		ch = string(m.filter.Channel)
	}
	if m.filter.Topic != "" {
		tp = m.filter.Topic
	}
	return fmt.Sprintf("Queries: %s, %s, %s (%d)", st, ch, tp, len(m.rows))
}

func (m Model) listLines(h int) []string {
	if h <= 0 {
		return nil
	}
	st := m.d.Styles
	out := []string{m.styled(st.Muted.Render(sanitize.Fit(m.filterText(), m.width)))}
	if h == 1 {
		return out
	}
	if len(m.rows) == 0 {
		msg := "No queries here. " + m.d.Keys.NewQuery.Help().Key + " records a call."
		return append(out, m.styled(pagedlist.Empty(st, !m.loading || m.loaded, msg, m.width)))
	}
	// Columns shrink on a narrow screen: the summary takes what is left.
	narrow := m.width < 70
	header := "     ANSWER BY   LEVEL      CHANNEL    WHO                  SUMMARY"
	if narrow {
		header = "     BY     LEVEL     WHO          SUMMARY"
	}
	out = append(out, m.styled(st.Muted.Render(sanitize.Fit(header, m.width))))
	room := h - len(out)
	start := 0
	if m.cursor >= room {
		start = m.cursor - room + 1
	}
	for i := start; i < len(m.rows) && len(out) < h; i++ {
		q := m.rows[i]
		level := domain.ServiceLevelState(q, m.d.Today)
		// A symbol as well as a colour: never colour alone.
		mark := "  "
		switch level {
		case "overdue":
			mark = "!!"
		case "due today":
			mark = "! "
		}
		if q.Complaint != nil {
			level = fmt.Sprintf("complaint%d", q.Complaint.Stage)
		}
		who := q.Contact.Name
		if q.Reference != "" {
			who += " " + q.Reference
		}
		var line string
		if narrow {
			line = mark + " " + sanitize.Pad(q.Due.Time().Format("02/01"), 6) + " " + sanitize.Pad(level, 9) + " " +
				sanitize.Pad(who, 12) + " " + sanitize.Line(q.Summary)
		} else {
			line = mark + " " + sanitize.Pad(q.Due.UK(), 11) + " " + sanitize.Pad(level, 10) + " " + sanitize.Pad(string(q.Channel), 10) + " " +
				sanitize.Pad(who, 20) + " " + sanitize.Line(q.Summary)
		}
		sel := i == m.cursor
		l := pagedlist.Row(st, sel, line, m.width)
		if mark == "!!" && !sel {
			l = st.Overdue.Render(l)
		}
		out = append(out, m.styled(l))
	}
	return out
}

func (m Model) formLines() []string {
	f := m.form
	out := []string{m.pad(m.rule()),
		m.pad(fmt.Sprintf("New query: %s (%s changes)   %s saves, %s saves resolved", f.channel, m.d.Keys.PickChannel.Help().Key,
			m.d.Keys.Submit.Help().Key, m.d.Keys.SaveResolved.Help().Key)),
		m.styled(f.caller.View())}
	if f.focus == fieldCaller && strings.TrimSpace(f.caller.Value()) != "" {
		for i, c := range f.callers {
			mark := "    "
			if i == f.suggestion {
				mark = "  > "
			}
			what := fmt.Sprintf("contact %d: %s (%s) %s %s", c.Contact.ID, c.Contact.Name, c.Contact.Role, c.Contact.Phone, c.Contact.Email)
			if c.By == "case" {
				what = fmt.Sprintf("case %s: %s", c.Reference, c.Contact.Name)
			}
			out = append(out, m.pad(mark+sanitize.Line(what)))
		}
		mark := "    "
		if f.suggestion >= len(f.callers) {
			mark = "  > "
		}
		out = append(out, m.pad(mark+"someone new: "+sanitize.Line(f.caller.Value())))
	} else if f.chosen != nil {
		what := fmt.Sprintf("    contact %d", f.chosen.Contact.ID)
		if f.chosen.By == "case" {
			what = "    about " + f.chosen.Reference
		}
		out = append(out, m.pad(what))
	}
	out = append(out, m.styled(f.topic.View()))
	if f.focus == fieldTopic {
		var names []string
		for i, t := range f.matchingTopics() {
			if i == f.topicPick {
				names = append(names, "["+t.Slug+"]")
			} else {
				names = append(names, t.Slug)
			}
		}
		out = append(out, m.pad("    "+strings.Join(names, " ")))
	}
	out = append(out, m.styled(f.summary.View()))
	if f.resolving {
		out = append(out, m.styled(f.resolution.View()))
	}
	return out
}

// rule separates the list from the form: a line, or nothing in --plain
// (no borders for a screen reader to read out).
func (m Model) rule() string {
	if m.d.Styles.Plain {
		return ""
	}
	return strings.Repeat("─", m.width)
}
