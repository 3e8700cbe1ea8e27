// Package work is the team's work screens, after HMCTS Work Allocation:
// My work (what I own, most urgent first), Available (what no one owns,
// that I may take) and All work (team leaders: everyone's, by owner). It
// is a self-contained component: the root gives it a size and its
// messages, and opens a case when it sends OpenMsg.
package work

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/theme"
)

// Store is what the work screens need of the database.
type Store interface {
	Work(ctx context.Context, f store.WorkFilter, limit int) ([]store.WorkItem, error)
	Take(ctx context.Context, it store.Item, opt store.ActOptions) error
	Release(ctx context.Context, it store.Item, opt store.ActOptions) error
	Assign(ctx context.Context, it store.Item, to string, opt store.ActOptions) error
}

// Limit is how many items a list holds: the most urgent.
const Limit = 200

// List is one of the three screens.
type List int

// The screens, in tab order.
const (
	Mine List = iota
	Available
	All
)

var listNames = []string{"My work", "Available", "All work"}

// KeyMap is the work screens' keys; every one can be rebound.
type KeyMap struct {
	Mine, Available, All, Up, Down, Open, Take, Release, Assign, Owner key.Binding
}

// DefaultKeyMap is vim keys and arrows, one letter an action.
func DefaultKeyMap() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return KeyMap{
		Mine:      b("my work", "m"),
		Available: b("available", "v"),
		All:       b("all work", "A"),
		Up:        b("up", "k", "up"),
		Down:      b("down", "j", "down"),
		Open:      b("open", "enter"),
		Take:      b("take", "t"),
		Release:   b("release", "r"),
		Assign:    b("assign to…", "g"),
		Owner:     b("filter all work by owner", "o"),
	}
}

// ShortHelp is the help line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Mine, k.Available, k.All, k.Take, k.Release, k.Assign}
}

// FullHelp is the ? overlay.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Mine, k.Available, k.All, k.Owner}, {k.Up, k.Down, k.Open}, {k.Take, k.Release, k.Assign}}
}

// OpenMsg asks the root to open a case (or message) from a work list.
type OpenMsg struct {
	Reference string
	MailID    int64
}

// Messages of the component's commands.
type (
	loadedMsg struct {
		gen   int
		items []store.WorkItem
		err   error
	}
	actedMsg struct {
		what string
		err  error
	}
)

// Model is the work screens.
type Model struct {
	st     Store
	act    store.ActOptions
	leader bool // may see all work and assign
	keys   KeyMap
	styles *theme.Styles

	list    List
	owner   string // All work narrowed to one owner ("" everyone)
	items   []store.WorkItem
	cursor  int
	top     int
	loading bool
	gen     int

	// asking: the prompt line is open for an assignee ("assign") or an owner filter ("owner").
	asking string
	input  *textinput.Model

	// req, when set, runs the component's reads and writes as the root's
	// requests: the results come back addressed to screen.Work, the
	// "working…" indicator shows them, and quitting cancels them.
	req *screen.Requests

	width, height int
	// Status is the outcome of the last action, for the root's status line.
	Status string
}

// New makes the work screens for the acting user; leader is whether their
// role sees everyone's work and assigns (team leaders, and anyone on a
// caseload with no users).
func New(st Store, act store.ActOptions, leader bool, km KeyMap, styles *theme.Styles) Model {
	in := textinput.New()
	in.CharLimit = 64
	return Model{st: st, act: act, leader: leader, keys: km, styles: styles, input: &in, width: 80, height: 20}
}

// SetRequests runs the component's database work as r's requests.
func (m *Model) SetRequests(r *screen.Requests) { m.req = r }

// io runs fn in a command: as a request when the root gave its requests.
func (m Model) io(fn func(ctx context.Context) tea.Msg) tea.Cmd {
	if m.req != nil {
		return m.req.Go(screen.Work, fn)
	}
	return func() tea.Msg { return fn(context.Background()) }
}

// Keys is the component's key map, for the root's footer and help: a
// caseworker is not shown the team leaders' keys.
func (m Model) Keys() help.KeyMap { return roleKeys{m.keys, m.leader} }

type roleKeys struct {
	k      KeyMap
	leader bool
}

func (r roleKeys) ShortHelp() []key.Binding {
	k := r.k
	if r.leader {
		return []key.Binding{k.Mine, k.Available, k.All, k.Take, k.Release, k.Assign, k.Owner, k.Open}
	}
	return []key.Binding{k.Mine, k.Available, k.Take, k.Release, k.Open}
}

func (r roleKeys) FullHelp() [][]key.Binding {
	if r.leader {
		return r.k.FullHelp()
	}
	k := r.k
	return [][]key.Binding{{k.Mine, k.Available}, {k.Up, k.Down, k.Open}, {k.Take, k.Release}}
}

// Selected is the case (or message) under the cursor.
func (m Model) Selected() (string, int64) {
	cur, _ := m.current()
	return cur.Reference, cur.MailID
}

// Init loads My work.
func (m Model) Init() tea.Cmd { return m.load() }

// SetSize tells the component its size; View fills exactly that.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.input.SetWidth(max(w-20, 10))
	m.scroll()
}

// Typing reports whether the prompt line has the keyboard (the root then
// sends it every key).
func (m Model) Typing() bool { return m.asking != "" }

// Refresh reloads the list shown (the root calls it on a live update).
func (m *Model) Refresh() tea.Cmd { return m.load() }

func (m *Model) load() tea.Cmd {
	m.loading = true
	m.gen++
	st, gen := m.st, m.gen
	f := store.WorkFilter{Scope: store.WorkMine, User: m.act.User}
	switch m.list {
	case Available:
		f = store.WorkFilter{Scope: store.WorkAvailable}
	case All:
		f = store.WorkFilter{Scope: store.WorkAll, User: m.owner}
	}
	return m.io(func(ctx context.Context) tea.Msg {
		items, err := st.Work(ctx, f, Limit)
		return loadedMsg{gen, items, err}
	})
}

func (m Model) current() (store.WorkItem, bool) {
	if m.cursor < 0 || m.cursor >= len(m.items) {
		return store.WorkItem{}, false
	}
	return m.items[m.cursor], true
}

// Update handles keys and the results of the component's commands.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.Status = ""
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil // a newer list is on its way
		}
		m.loading = false
		if msg.err != nil {
			m.Status = "Could not read the work list: " + sanitize.Line(msg.err.Error())
			return m, nil
		}
		// Keep the cursor on the same item when a refresh moves it.
		var at string
		if cur, ok := m.current(); ok {
			at = cur.Item().String()
		}
		m.items = msg.items
		m.cursor = min(m.cursor, max(len(m.items)-1, 0))
		for i, it := range m.items {
			if it.Item().String() == at {
				m.cursor = i
			}
		}
		m.scroll()
		return m, nil
	case actedMsg:
		if msg.err != nil {
			m.Status = "Not saved: " + sanitize.Line(msg.err.Error())
			return m, m.load()
		}
		m.Status = msg.what
		return m, m.load()
	case tea.KeyPressMsg:
		if m.asking != "" {
			return m.updatePrompt(msg)
		}
		return m.updateKey(msg)
	}
	return m, nil
}

func (m Model) switchTo(l List) (Model, tea.Cmd) {
	if l == All && !m.leader {
		m.Status = "All work is for team leaders"
		return m, nil
	}
	m.list, m.cursor, m.top, m.items = l, 0, 0, nil
	return m, m.load()
}

func (m Model) updateKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Mine):
		return m.switchTo(Mine)
	case key.Matches(msg, k.Available):
		return m.switchTo(Available)
	case key.Matches(msg, k.All):
		return m.switchTo(All)
	case key.Matches(msg, k.Down):
		m.cursor = min(m.cursor+1, max(len(m.items)-1, 0))
		m.scroll()
		return m, nil
	case key.Matches(msg, k.Up):
		m.cursor = max(m.cursor-1, 0)
		m.scroll()
		return m, nil
	case key.Matches(msg, k.Owner) && m.list == All:
		return m.ask("owner", "Owner (empty for everyone): ", m.owner)
	}
	cur, ok := m.current()
	if !ok {
		return m, nil
	}
	it := cur.Item()
	switch {
	case key.Matches(msg, k.Open):
		return m, func() tea.Msg { return OpenMsg{Reference: cur.Reference, MailID: cur.MailID} }
	case key.Matches(msg, k.Take):
		st, act := m.st, m.act
		return m, m.io(func(ctx context.Context) tea.Msg {
			err := st.Take(ctx, it, act)
			return actedMsg{it.String() + ": taken; it is in My work", err}
		})
	case key.Matches(msg, k.Release):
		st, act := m.st, m.act
		return m, m.io(func(ctx context.Context) tea.Msg {
			err := st.Release(ctx, it, act)
			return actedMsg{it.String() + ": released to the team", err}
		})
	case key.Matches(msg, k.Assign):
		if !m.leader {
			m.Status = "Assigning work is for team leaders"
			return m, nil
		}
		return m.ask("assign", "Assign "+it.String()+" to: ", "")
	}
	return m, nil
}

func (m Model) ask(kind, prompt, value string) (Model, tea.Cmd) {
	m.asking = kind
	m.input.Prompt = prompt
	m.input.SetValue(value)
	return m, m.input.Focus()
}

func (m Model) updatePrompt(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.asking = ""
		m.input.Blur()
		return m, nil
	case "enter":
		kind, value := m.asking, strings.TrimSpace(m.input.Value())
		m.asking = ""
		m.input.Blur()
		if kind == "owner" {
			m.owner, m.cursor, m.top = value, 0, 0
			return m, m.load()
		}
		cur, ok := m.current()
		if !ok || value == "" {
			return m, nil
		}
		st, act, it := m.st, m.act, cur.Item()
		return m, m.io(func(ctx context.Context) tea.Msg {
			err := st.Assign(ctx, it, value, act)
			return actedMsg{it.String() + ": assigned to " + value, err}
		})
	}
	in, cmd := m.input.Update(msg)
	*m.input = in
	return m, cmd
}

// rows is how many items fit: the tabs line, the column heads and the
// help line take three.
func (m Model) rows() int { return max(m.height-3, 1) }

func (m *Model) scroll() {
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+m.rows() {
		m.top = m.cursor - m.rows() + 1
	}
	m.top = max(m.top, 0)
}

// View draws exactly width × height cells.
func (m Model) View() string {
	w := max(m.width, 20)
	st := m.styles
	lines := make([]string, 0, m.height)
	var tabs []string
	for i, n := range listNames {
		if List(i) == All && !m.leader {
			continue
		}
		label := n
		if List(i) == m.list {
			label = fmt.Sprintf("%s (%d)", n, len(m.items))
			if List(i) == All && m.owner != "" {
				label = fmt.Sprintf("%s: %s (%d)", n, m.owner, len(m.items))
			}
			if st.Plain {
				label = "[" + label + "]"
			}
			tabs = append(tabs, st.ActiveTab.Render(sanitize.Line(label)))
		} else {
			tabs = append(tabs, st.Tab.Render(label))
		}
	}
	lines = append(lines, sanitize.Cut(strings.Join(tabs, "  "), w))
	itemW, dueW := 14, 11
	ownerW := 0
	if m.list != Mine && w >= 60 {
		ownerW = 10
	}
	rest := w - itemW - dueW - ownerW - 3
	titleW := max(rest*45/100, 8)
	whatW := max(rest-titleW-1, 4)
	head := sanitize.Pad("ITEM", itemW) + " " + sanitize.Pad("TITLE", titleW) + " " + sanitize.Pad("NEXT", whatW) + " " + sanitize.Pad("DUE", dueW)
	if ownerW > 0 {
		head += " " + sanitize.Pad("OWNER", ownerW)
	}
	lines = append(lines, st.Label.Render(sanitize.Fit(head, w)))
	switch {
	case len(m.items) == 0 && m.loading:
		lines = append(lines, st.Muted.Render("Loading…"))
	case len(m.items) == 0 && m.list == Mine:
		lines = append(lines, st.Muted.Render(sanitize.Fit("Nothing is yours yet: v shows the available work, t takes an item.", w)))
	case len(m.items) == 0:
		lines = append(lines, st.Muted.Render("Nothing here."))
	}
	for i := m.top; i < len(m.items) && i < m.top+m.rows(); i++ {
		it := m.items[i]
		due := ""
		if !it.Due.IsZero() {
			due = it.Due.UK()
		}
		row := sanitize.Pad(it.Item().String(), itemW) + " " + sanitize.Pad(it.Title, titleW) + " " +
			sanitize.Pad(it.What, whatW) + " " + sanitize.Pad(due, dueW)
		if ownerW > 0 {
			owner := it.Owner
			if owner == "" {
				owner = "—"
			}
			row += " " + sanitize.Pad(owner, ownerW)
		}
		row = sanitize.Fit(row, w)
		if i == m.cursor {
			if st.Plain {
				row = sanitize.Fit("> "+row, w)
			}
			row = st.Selected.Render(row)
		} else if !it.Due.IsZero() && it.Due.Before(m.act.On) {
			row = st.Overdue.Render(row)
		}
		lines = append(lines, row)
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	if m.asking != "" {
		lines = append(lines, sanitize.Cut(m.input.View(), w))
	} else {
		lines = append(lines, "") // the keys are in the root's footer (Keys)
	}
	if len(lines) > m.height {
		lines = lines[:max(m.height, 1)]
	}
	return strings.Join(lines, "\n")
}

// Leader reports whether a role sees everyone's work ("" is a caseload with
// no users: one person, who sees everything).
func Leader(r domain.Role) bool { return r == "" || r == domain.TeamLeader }
