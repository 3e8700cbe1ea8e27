// Package due is the Due screen: open deadlines by date, overdue first,
// each with the rule that sets it, paged from the database.
package due

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/pane"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what the screen needs of the database.
type Store interface {
	Due(ctx context.Context, today domain.Date, within, offset, limit int) ([]store.DueItem, error)
	MeetDeadline(ctx context.Context, ref, deadlineKind string, on domain.Date, opt store.ActOptions) (domain.Event, error)
}

// Within is how many days ahead the screen looks; PageSize rows are read
// at a time.
const (
	Within   = 14
	PageSize = 200
)

// KeyMap is the screen's keys.
type KeyMap struct{ d screen.Deps }

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{pagedlist.Move(m.d.Keys.Down, m.d.Keys.Up, "move"), m.d.Keys.Open, m.d.Keys.Met}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{{m.d.Keys.Open, m.d.Keys.Met}} }

// Model is the screen.
type Model struct {
	d    screen.Deps
	st   Store
	list pagedlist.Model[store.DueItem]
	w, h int
}

// New is the screen, empty until Load.
func New(d screen.Deps, st Store) Model {
	return Model{d: d, st: st, list: pagedlist.New[store.DueItem](d.Keys, PageSize)}
}

// Keys is the screen's key map.
func (m Model) Keys() KeyMap { return KeyMap{m.d} }

// SetStore changes the store; the list is read again when next shown.
func (m *Model) SetStore(st Store) { m.st = st; m.list.Reset() }

// Shown is called when the screen comes into view: the first page is read
// if it has not been.
func (m *Model) Shown() tea.Cmd {
	if !m.list.Unread() {
		return nil
	}
	return m.next()
}

// Reload reads the list again from the top (something changed).
func (m *Model) Reload() tea.Cmd {
	if !m.list.Loaded() {
		return nil
	}
	m.list.Reset()
	return m.next()
}

func (m *Model) next() tea.Cmd {
	st, today := m.st, m.d.Today
	return m.list.Fetch(m.d.Requests, screen.Due, func(ctx context.Context, offset, limit int) ([]store.DueItem, error) {
		return st.Due(ctx, today, Within, offset, limit)
	})
}

// SetSize fits the screen.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h; m.list.SetHeight(h - 1) }

// Selected is the selected deadline's case.
func (m Model) Selected() (string, int64) {
	d, _ := m.list.Current()
	return d.Reference, 0
}

// Current is the selected deadline.
func (m Model) Current() (store.DueItem, bool) { return m.list.Current() }

// Update takes the screen's pages and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case pagedlist.PageMsg[store.DueItem]:
		return m, m.list.Take(msg, "deadlines")
	case tea.KeyPressMsg:
		if moved, next := m.list.Update(msg); moved {
			if next {
				return m, m.next()
			}
			return m, nil
		}
		if key.Matches(msg, m.d.Keys.Open) {
			if d, ok := m.list.Current(); ok {
				return m, screen.Send(screen.OpenCase{Ref: d.Reference})
			}
			return m, screen.StatusCmd("Nothing due to open")
		}
		if key.Matches(msg, m.d.Keys.Met) {
			if d, ok := m.list.Current(); ok {
				return m, screen.Send(pane.AskStep(m.d, m.st, d.Reference, d.Kind))
			}
			return m, screen.StatusCmd("Nothing due: no deadline to meet")
		}
	}
	return m, nil
}

// View is exactly h lines.
func (m Model) View() string {
	st, w := m.d.Styles, m.w
	if m.list.Len() == 0 {
		return screen.Lines([]string{pagedlist.Empty(st, m.list.Loaded(), fmt.Sprintf("Nothing due in the next %d days.", Within), w)}, m.h)
	}
	dateW, date := 16, domain.Date.Long
	if w < 90 {
		dateW, date = 10, domain.Date.UK
	}
	out := []string{st.Muted.Render(sanitize.Fit("   "+sanitize.Pad("due", dateW)+" "+sanitize.Pad("when", 16)+" "+
		sanitize.Pad("reference", m.d.RefWidth)+" deadline (rule) · "+m.list.Position(), w))}
	from, to := m.list.Visible()
	rows := m.list.Rows()
	for i := from; i < to; i++ {
		d := rows[i]
		// A symbol as well as a colour: never colour alone.
		mark, style := "· ", st.Soon
		switch {
		case d.DaysLeft < 0:
			mark, style = "!!", st.Overdue
		case d.DaysLeft == 0:
			mark, style = "! ", st.Today
		}
		prov := ""
		if d.Provisional {
			prov = " provisional"
		}
		line := fmt.Sprintf("%s %s %s %s %s (%s)%s", mark, sanitize.Pad(date(d.Due), dateW), sanitize.Pad(domain.DaysWords(d.DaysLeft), 16),
			sanitize.Pad(d.Reference, m.d.RefWidth), sanitize.Line(d.Label), sanitize.Line(d.Rule), prov)
		sel := i == m.list.Cursor()
		l := pagedlist.Row(st, sel, line, w)
		if !sel {
			l = style.Render(l)
		}
		out = append(out, l)
	}
	return screen.Lines(out, m.h)
}
