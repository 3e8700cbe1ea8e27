// Package cases is the Cases screen: every case, paged from the database,
// filtered by track, status and lateness, in the order chosen; or the old
// cases only.
package cases

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/marks"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/theme"
)

// Store is what the screen needs of the database.
type Store interface {
	Cases(ctx context.Context, f store.CaseFilter, offset, limit int) ([]store.CaseRow, error)
	OldCases(ctx context.Context, today domain.Date, offset, limit int) ([]store.CaseRow, error)
	// The count and the end of each list, for "12 of 1,966" and G.
	CaseCount(ctx context.Context, f store.CaseFilter) (int, error)
	CasesBack(ctx context.Context, f store.CaseFilter, skip, limit int) ([]store.CaseRow, error)
	OldCaseCount(ctx context.Context, today domain.Date) (int, error)
	OldCasesBack(ctx context.Context, today domain.Date, skip, limit int) ([]store.CaseRow, error)
}

// PageSize rows are read at a time.
const PageSize = 200

// KeyMap is the screen's keys.
type KeyMap struct{ d screen.Deps }

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.d.Keys
	return []key.Binding{pagedlist.Move(k.Down, k.Up, "move"), k.Open, k.FilterTrack, k.FilterStatus, k.FilterLate, k.Sort, k.OldCases}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.d.Keys
	return [][]key.Binding{{k.Open, k.FilterTrack, k.FilterStatus, k.FilterLate, k.Sort, k.OldCases}}
}

// Model is the screen.
type Model struct {
	d       screen.Deps
	st      Store
	list    pagedlist.Model[store.CaseRow]
	filter  store.CaseFilter
	oldOnly bool
	w, h    int
	// marks are the cases marked for bulk work (space), by reference.
	marks marks.Set
}

// New is the screen, empty until shown.
func New(d screen.Deps, st Store) Model {
	return Model{d: d, st: st, list: pagedlist.New[store.CaseRow](d.Keys, PageSize)}
}

// Keys is the screen's key map.
func (m Model) Keys() KeyMap { return KeyMap{m.d} }

// SetStore changes the store; the list is read again when next shown.
func (m *Model) SetStore(st Store) { m.st = st; m.list.Reset() }

// Reload reads the list again from the top (something changed).
func (m *Model) Reload() tea.Cmd {
	if !m.list.Loaded() {
		return nil
	}
	return m.load()
}

// Shown reads the first page if it has not been read.
func (m *Model) Shown() tea.Cmd {
	if !m.list.Unread() {
		return nil
	}
	return m.load()
}

func (m *Model) load() tea.Cmd { return m.list.Load(m.d.Requests, screen.Cases, m.source()) }

// source reads the list the filter (or the old cases) gives: pages from
// the start, from the end, and its count.
func (m *Model) source() pagedlist.Source[store.CaseRow] {
	st, f, today := m.st, m.filter, m.d.Today
	if m.oldOnly {
		return pagedlist.Source[store.CaseRow]{
			Page: func(ctx context.Context, o, l int) ([]store.CaseRow, error) { return st.OldCases(ctx, today, o, l) },
			Back: func(ctx context.Context, skip, l int) ([]store.CaseRow, error) {
				return st.OldCasesBack(ctx, today, skip, l)
			},
			Count: func(ctx context.Context) (int, error) { return st.OldCaseCount(ctx, today) },
		}
	}
	return pagedlist.Source[store.CaseRow]{
		Page:  func(ctx context.Context, o, l int) ([]store.CaseRow, error) { return st.Cases(ctx, f, o, l) },
		Back:  func(ctx context.Context, skip, l int) ([]store.CaseRow, error) { return st.CasesBack(ctx, f, skip, l) },
		Count: func(ctx context.Context) (int, error) { return st.CaseCount(ctx, f) },
	}
}

// SetSize fits the screen: a title line and the column headers above the
// rows.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h; m.list.SetHeight(h - 2) }

// Selected is the selected case.
func (m Model) Selected() (string, int64) {
	c, _ := m.list.Current()
	return c.Reference, 0
}

// Filter is the filter in force.
func (m Model) Filter() store.CaseFilter { return m.filter }

// trackOrder is what the track filter cycles through: none, then the
// tracks or stages of the pack shown (of every pack when all are shown),
// from the packs themselves rather than the tax chamber's four.
func (m Model) trackOrder() []domain.Track {
	order := []domain.Track{""}
	jur := ""
	if s, ok := m.st.(interface{ Jurisdiction() string }); ok {
		jur = s.Jurisdiction()
	}
	for _, p := range m.d.Packs {
		if jur != "" && p.ID != jur {
			continue
		}
		for _, t := range p.Tracks {
			if !slices.Contains(order, t) {
				order = append(order, t)
			}
		}
	}
	return order
}

// next cycles through values: the one after x (the first if x is the last).
func next[T comparable](order []T, x T) T {
	return order[(max(slices.Index(order, x), 0)+1)%len(order)]
}

// Update takes the screen's pages and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	}
	if ok, cmd := m.list.TakeMsg(msg, "cases"); ok {
		return m, cmd
	}
	return m, nil
}

func (m Model) updateKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.d.Keys
	if moved, cmd := m.list.Key(msg, m.d.Requests, screen.Cases, m.source()); moved {
		return m, cmd
	}
	switch {
	case key.Matches(msg, k.Mark):
		c, ok := m.list.Current()
		if !ok {
			return m, screen.StatusCmd("Nothing to mark: no case matches")
		}
		status := Toggle(m.d, &m.marks, c.Reference)
		m.list.Move(1)
		if m.list.WantMore() {
			return m, tea.Batch(m.list.Fetch(m.d.Requests, screen.Cases, m.source().Page), screen.StatusCmd(status))
		}
		return m, screen.StatusCmd(status)
	case key.Matches(msg, k.Open):
		if c, ok := m.list.Current(); ok {
			return m, screen.Send(screen.OpenCase{Ref: c.Reference})
		}
		return m, screen.StatusCmd("No case to open: none matches")
	case key.Matches(msg, k.FilterTrack):
		m.filter.Track = next(m.trackOrder(), m.filter.Track)
	case key.Matches(msg, k.FilterStatus):
		m.filter.Status = next([]domain.Status{"", domain.StatusNew, domain.StatusAllocated, domain.StatusStayed, domain.StatusReturned, domain.StatusClosed}, m.filter.Status)
	case key.Matches(msg, k.FilterLate):
		if m.filter.Late == nil {
			yes := true
			m.filter.Late = &yes
		} else {
			m.filter.Late = nil
		}
	case key.Matches(msg, k.Sort):
		m.filter.Sort = next([]string{"", "oldest", "reference", "appellant"}, m.filter.Sort)
	case key.Matches(msg, k.OldCases):
		m.oldOnly = !m.oldOnly
	default:
		return m, nil
	}
	return m, m.load()
}

func (m Model) filterLine() string {
	f := m.filter
	parts := []string{"track " + orAll(string(f.Track)), "status " + orAll(string(f.Status))}
	if f.Late != nil {
		parts = append(parts, "late only")
	}
	return strings.Join(parts, " · ")
}

// sortMark is the column the list is sorted by, marked ▼ (newest or last
// first) or ▲.
func (m Model) sortMark() (column, mark string) {
	switch {
	case m.oldOnly:
		return "", ""
	case m.filter.Sort == "oldest":
		return "received", "▲"
	case m.filter.Sort == "reference":
		return "reference", "▲"
	case m.filter.Sort == "appellant":
		return "appellant", "▲"
	}
	return "received", "▼"
}

func orAll(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

// View is exactly h lines.
func (m Model) View() string {
	title := m.filterLine()
	if m.oldOnly {
		title = "old cases: no activity for a while, or received long ago · oldest activity first · " + m.d.Keys.OldCases.Help().Key + " all cases"
	}
	if n := m.marks.Count(); n != "" {
		title = n + " · " + title
	}
	col, mark := m.sortMark()
	return screen.Lines(Table(m.d.Styles, &m.list, m.d.RefWidth, title, Sorted{col, mark}, "No cases match.", m.w, m.marks.Has), m.h)
}

// Toggle marks a case for bulk work, or unmarks it, and says so with what
// to do next (the Cases and Search screens).
func Toggle(d screen.Deps, s *marks.Set, ref string) string {
	what := "marked"
	if !s.Toggle(ref, store.BulkTarget{Reference: ref}) {
		what = "unmarked"
	}
	if s.Len() == 0 {
		return ref + " " + what + ": nothing marked"
	}
	k := d.Keys
	return fmt.Sprintf("%s %s · %s: %s acts on them all, %s unmarks all", ref, what, s.Count(), k.Action.Help().Key, k.Back.Help().Key)
}

// Marks are the cases marked for bulk work.
func (m Model) Marks() marks.Set { return m.marks }

// ClearMarks unmarks every case.
func (m *Model) ClearMarks() { m.marks.Clear() }

// Sorted names the column a table is sorted by and its mark (▲ or ▼).
type Sorted struct{ Column, Mark string }

func (s Sorted) head(name string, w int) string {
	if s.Column == name {
		return sanitize.Pad(name+" "+s.Mark, w)
	}
	return sanitize.Pad(name, w)
}

// Table draws a list of cases under a title with its position: column
// headers, then reference, received, late, appellant, state. The
// reference column takes the width of the references shown, so the name
// beside it is cut only when it must be. The Search screen draws its
// results with it too. marked, if not nil, says which references are
// marked for bulk work.
func Table(st *theme.Styles, l *pagedlist.Model[store.CaseRow], refMax int, title string, sorted Sorted, none string, w int, marked func(ref string) bool) []string {
	pos := ""
	if l.Len() > 0 {
		pos = l.Position()
	}
	out := []string{pagedlist.Header(st, title, pos, w)}
	if l.Len() == 0 {
		return append(out, pagedlist.Empty(st, l.Loaded(), none, w))
	}
	from, to := l.Visible()
	rows := l.Rows()
	refW := pagedlist.ColumnWidth(l, func(c store.CaseRow) string { return c.Reference }, len("reference ▲"), refMax)
	// Narrow, the state gives up width before the name does: the name is
	// what identifies the row beside its reference.
	stateW := 14
	if w < 70 {
		stateW = 9
	}
	nameW := min(max(w-refW-11-stateW-6, 8), 40)
	out = append(out, st.Muted.Render(sanitize.Fit("  "+sorted.head("reference", refW)+" "+sorted.head("received", 10)+" L "+
		sorted.head("appellant", nameW)+" state", w)))
	for i := from; i < to; i++ {
		c := rows[i]
		state := string(c.Status)
		if c.Track != nil {
			state = c.Track.Label()
		}
		late := " "
		if c.Late {
			late = "L"
		}
		line := fmt.Sprintf("%s %s %s %s %s", sanitize.Pad(c.Reference, refW), c.Received.UK(), late,
			sanitize.Pad(c.Appellant, nameW), sanitize.Fit(state, stateW))
		out = append(out, pagedlist.MarkedRow(st, i == l.Cursor(), marked != nil && marked(c.Reference), line, w))
	}
	return out
}
