// Package due is the Due screen: open deadlines by date, overdue first,
// each with the rule that sets it, paged from the database.
package due

import (
	"context"
	"fmt"
	"slices"

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
	DueCount(ctx context.Context, today domain.Date, within int) (int, error)
	DueBack(ctx context.Context, today domain.Date, within, skip, limit int) ([]store.DueItem, error)
	MeetDeadline(ctx context.Context, ref, deadlineKind string, on domain.Date, opt store.ActOptions) (domain.Event, error)
	marks.Store
}

// Within is how many days ahead the screen first looks: the header's
// "due" count's seven days, so the two agree; the range key cycles
// Ranges (-1 is every open deadline). PageSize rows are read at a time.
const (
	Within   = 7
	PageSize = 200
)

// Ranges are the days ahead the range key cycles through.
var Ranges = []int{7, 14, 28, -1}

// KeyMap is the screen's keys.
type KeyMap struct{ d screen.Deps }

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	r := m.d.Keys.DueRange
	r.SetHelp(r.Help().Key, "range")
	return []key.Binding{pagedlist.Move(m.d.Keys.Down, m.d.Keys.Up, "move"), m.d.Keys.Open, m.d.Keys.Met, r}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.d.Keys
	return [][]key.Binding{{k.Open, k.Met, k.DueRange, snoozeMarked(k.Snooze)}}
}

func snoozeMarked(b key.Binding) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, "snooze the marked deadlines (or the selected one) in the inbox"))
}

// Model is the screen.
type Model struct {
	d    screen.Deps
	st   Store
	list pagedlist.Model[store.DueItem]
	// within is the days ahead shown (-1 all).
	within int
	w, h   int
	// marks are the deadlines marked for bulk work (space).
	marks marks.Set
}

// New is the screen, empty until Load.
func New(d screen.Deps, st Store) Model {
	return Model{d: d, st: st, list: pagedlist.New[store.DueItem](d.Keys, PageSize), within: Within}
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
	return m.next()
}

func (m *Model) next() tea.Cmd { return m.list.Load(m.d.Requests, screen.Due, m.source()) }

func (m *Model) source() pagedlist.Source[store.DueItem] {
	st, today, within := m.st, m.d.Today, m.within
	return pagedlist.Source[store.DueItem]{
		Page: func(ctx context.Context, o, l int) ([]store.DueItem, error) { return st.Due(ctx, today, within, o, l) },
		Back: func(ctx context.Context, skip, l int) ([]store.DueItem, error) {
			return st.DueBack(ctx, today, within, skip, l)
		},
		Count: func(ctx context.Context) (int, error) { return st.DueCount(ctx, today, within) },
	}
}

// Within is the days ahead shown (-1 every open deadline).
func (m Model) Within() int { return m.within }

// rangeLabel says what the list holds, in w cells if it can: "overdue
// and due by Mon 23 Nov 2026 (7 days) · r range", or "due by 23/11/2026
// (7 days)" on a narrow terminal.
func (m Model) rangeLabel(w int) string {
	r := m.d.Keys.DueRange.Help().Key
	if m.within < 0 {
		return "every open deadline · " + r + " range"
	}
	until := m.d.Today.AddDays(m.within)
	long := fmt.Sprintf("overdue and due by %s (%d days) · %s range", until.Long(), m.within, r)
	if sanitize.Width(long) <= w {
		return long
	}
	return fmt.Sprintf("overdue, due by %s (%d days)", until.UK(), m.within)
}

// SetSize fits the screen: the range and the column headers above the
// rows.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h; m.list.SetHeight(h - 2) }

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
	case tea.KeyPressMsg:
		if moved, cmd := m.list.Key(msg, m.d.Requests, screen.Due, m.source()); moved {
			return m, cmd
		}
		if key.Matches(msg, m.d.Keys.DueRange) {
			i := slices.Index(Ranges, m.within)
			m.within = Ranges[(i+1)%len(Ranges)]
			return m, m.next()
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
		return m, nil
	}
	if ok, cmd := m.list.TakeMsg(msg, "deadlines"); ok {
		return m, cmd
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
	pos := ""
	if m.list.Len() > 0 {
		pos = m.list.Position()
	}
	label := m.rangeLabel(w - sanitize.Width(pos) - 2)
	if n := m.marks.Count(); n != "" {
		label = n + " · " + label
	}
	out := []string{pagedlist.Header(st, label, pos, w)}
	if m.list.Len() == 0 {
		none := fmt.Sprintf("Nothing overdue or due in the next %d days. %s looks further.", m.within, m.d.Keys.DueRange.Help().Key)
		if m.within < 0 {
			none = "No open deadline."
		}
		return screen.Lines(append(out, pagedlist.Empty(st, m.list.Loaded(), none, w)), m.h)
	}
	// Narrow, the short date; "when" and the reference take their real
	// width, so the appellant keeps what it can.
	dateW, date := 16, domain.Date.Long
	if w < 90 {
		dateW, date = 10, domain.Date.UK
	}
	whenW := pagedlist.ColumnWidth(&m.list, func(d store.DueItem) string { return domain.DaysWords(d.DaysLeft) }, len("when"), 16)
	refW := pagedlist.ColumnWidth(&m.list, func(d store.DueItem) string { return d.Reference }, len("reference"), m.d.RefWidth)
	// The deadline and its rule keep 30 cells; the appellant has what is
	// left, up to 28, and no column under 10. When that leaves no room for
	// the appellant, "when" goes first: the date and the mark say it too.
	nameW := min(w-5-dateW-1-whenW-1-refW-1-30, 28)
	if nameW < 10 {
		nameW = min(w-5-dateW-1-refW-1-30, 28)
		if nameW >= 10 {
			whenW = 0
		} else {
			nameW = 0
			// Nor room for "when" beside the deadline's 30 cells: the
			// deadline is what the row is for.
			if w-5-dateW-1-whenW-1-refW-1 < 30 {
				whenW = 0
			}
		}
	}
	col := func(s string, n int) string {
		if n == 0 {
			return ""
		}
		return sanitize.Pad(s, n) + " "
	}
	head := "     " + col("due ▲", dateW) + col("when", whenW) + col("reference", refW) + col("appellant", nameW)
	out = append(out, st.Muted.Render(sanitize.Fit(head+"deadline (rule)", w)))
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
		line := mark + " " + col(date(d.Due), dateW) + col(domain.DaysWords(d.DaysLeft), whenW) + col(d.Reference, refW) + col(d.Appellant, nameW)
		line += fmt.Sprintf("%s (%s)%s", sanitize.Line(d.Label), sanitize.Line(d.Rule), prov)
		sel := i == m.list.Cursor()
		l := pagedlist.MarkedRow(st, sel, m.marks.Len() > 0 && m.marks.Has(itemKey(d)), line, w)
		if !sel {
			l = style.Render(l)
		}
		out = append(out, l)
	}
	return screen.Lines(out, m.h)
}
