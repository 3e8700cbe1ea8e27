package queue

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// PreviewWidth is the narrowest screen that shows the next appeals beside
// the card; narrower ones give the card the whole width.
const PreviewWidth = 100

// previewCols is the width of the column of next appeals.
const previewCols = 32

type skipSavedMsg struct {
	ref string
	err error
}

// saveSkip keeps the skip (a queue-skipped trace on the case), so the
// caseworker's order for the day survives a restart.
func (m Model) saveSkip(ref string) tea.Cmd {
	st, act := m.st, m.d.Act
	return m.d.Requests.Go(screen.Queue, func(ctx context.Context) tea.Msg {
		return skipSavedMsg{ref, st.SkipInQueue(ctx, ref, act)}
	})
}

// View draws the card; on a wide screen the next few appeals are listed
// beside it, in the order they come round.
func (m Model) View() string {
	w := max(m.width, 20)
	if w < PreviewWidth || len(m.buf) < 2 {
		return screen.Lines(m.card(w), m.height)
	}
	cw := w - previewCols - 3
	card := m.card(cw)
	side := m.nextLines(previewCols, max(m.height, 1))
	st := m.d.Styles
	var out []string
	for i := range max(m.height, 1) {
		l, r := "", ""
		if i < len(card) {
			l = card[i]
		}
		if i < len(side) {
			r = side[i]
		}
		// The card's lines are styled already: cut and padded as such
		// (Pad would show their escapes as text).
		l = sanitize.Cut(l, cw)
		out = append(out, l+strings.Repeat(" ", max(cw-sanitize.Width(l), 0))+st.Muted.Render(" │ ")+r)
	}
	return screen.Lines(out, m.height)
}

// nextLines are the appeals after the card, two lines each (reference and
// lateness, then the appellant), as many as fit in h lines.
func (m Model) nextLines(w, h int) []string {
	st := m.d.Styles
	out := []string{st.Title.Render(sanitize.Fit("Next", w))}
	for _, r := range m.buf[1:] {
		if len(out)+2 > h-1 {
			break
		}
		mark := "in time"
		if r.Late {
			mark = fmt.Sprintf("late %dd", r.DaysLate)
		}
		if isSkipped(m.skipped, r) {
			mark += ", skipped"
		}
		out = append(out, sanitize.Fit(r.Reference+"  "+mark, w), st.Muted.Render(sanitize.Fit("  "+r.Appellant, w)))
	}
	if rest := max(m.left, len(m.buf)) - 1 - (len(out)-1)/2; rest > 0 {
		out = append(out, st.Muted.Render(sanitize.Fit(fmt.Sprintf("and %d more", rest), w)))
	}
	return out
}

func isSkipped(skipped []string, r store.CaseRow) bool {
	for _, s := range skipped {
		if strings.EqualFold(s, r.Reference) {
			return true
		}
	}
	return false
}
