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
	"github.com/caseload/caseload/tui/marks"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/pane"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what the screen needs of the database.
type Store interface {
	Due(ctx context.Context, today domain.Date, within, offset, limit int) ([]store.DueItem, error)
	MeetDeadline(ctx context.Context, ref, deadlineKind string, on domain.Date, opt store.ActOptions) (domain.Event, error)
	marks.Store
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
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.d.Keys
	return [][]key.Binding{{k.Open, k.Met, snoozeMarked(k.Snooze)}}
}

func snoozeMarked(b key.Binding) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, "snooze the marked deadlines (or the selected one) in the inbox"))
}

// Model is the screen.
type Model struct {
	d    screen.Deps
	st   Store
	list pagedlist.Model[store.DueItem]
	w, h int
	// marks are the deadlines marked for bulk work (space).
	marks marks.Set
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
		if key.Matches(msg, m.d.Keys.Mark) {
			return m.toggleMark()
		}
		if key.Matches(msg, m.d.Keys.Snooze) {
			ts := m.marks.Targets()
			if d, ok := m.list.Current(); ok && len(ts) == 0 {
				ts = []store.BulkTarget{target(d)}
			}
			if len(ts) == 0 {
				return m, screen.StatusCmd("Nothing due to snooze")
			}
			return m, screen.Send(marks.AskSnooze(m.d, m.st, screen.Due, ts))
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

// itemKey is a deadline's inbox item key: a snooze from this screen hides
// the item the deadline makes in the inbox.
func itemKey(d store.DueItem) string {
	return fmt.Sprintf("deadline:%s:%s:%s", d.Reference, d.Kind, d.Due)
}

func target(d store.DueItem) store.BulkTarget {
	return store.BulkTarget{Reference: d.Reference, Item: store.InboxItem{Key: itemKey(d), Reference: d.Reference,
		Appellant: d.Appellant, Due: d.Due, Reason: fmt.Sprintf("%s due %s (%s)", d.Label, d.Due.Long(), d.Rule)}}
}

func (m Model) toggleMark() (Model, tea.Cmd) {
	d, ok := m.list.Current()
	if !ok {
		return m, screen.StatusCmd("Nothing to mark: nothing is due")
	}
	what := "marked"
	if !m.marks.Toggle(itemKey(d), target(d)) {
		what = "unmarked"
	}
	m.list.Move(1)
	var cmd tea.Cmd
	if m.list.WantMore() {
		cmd = m.next()
	}
	k := m.d.Keys
	status := d.Reference + " " + what + ": nothing marked"
	if m.marks.Len() > 0 {
		status = fmt.Sprintf("%s %s · %s: %s snoozes them, %s acts on them all, %s unmarks all", d.Reference, what, m.marks.Count(),
			k.Snooze.Help().Key, k.Action.Help().Key, k.Back.Help().Key)
	}
	return m, tea.Batch(cmd, screen.StatusCmd(status))
}

// Marks are the deadlines marked for bulk work.
func (m Model) Marks() marks.Set { return m.marks }

// ClearMarks unmarks every deadline.
func (m *Model) ClearMarks() { m.marks.Clear() }

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
		sanitize.Pad("reference", m.d.RefWidth)+" deadline (rule)"+orNone(m.marks.Count())+" · "+m.list.Position(), w))}
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
		l := pagedlist.MarkedRow(st, sel, m.marks.Has(itemKey(d)), line, w)
		if !sel {
			l = style.Render(l)
		}
		out = append(out, l)
	}
	return screen.Lines(out, m.h)
}

func orNone(count string) string {
	if count == "" {
		return ""
	}
	return " · " + count
}
