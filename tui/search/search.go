// Package search is the Search screen: results as you type (prefix words
// and field filters), and the picker that chooses the case a message is
// linked to.
package search

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/cases"
	"github.com/caseload/caseload/tui/marks"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/prompt"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what the screen needs of the database.
type Store interface {
	Find(ctx context.Context, q store.Search, limit int) ([]store.CaseRow, error)
	LinkMail(ctx context.Context, id int64, ref string, opt store.ActOptions) error
}

// Limit is the most results shown; Debounce is how long typing must pause
// before a query is sent, so a fast typist sends one.
const (
	Limit    = 100
	Debounce = 40 * time.Millisecond
)

// KeyMap is the screen's keys: arrows only, since letters are typed.
type KeyMap struct {
	d       screen.Deps
	linking bool
}

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.d.Keys
	return []key.Binding{pagedlist.Move(arrows(k.Down), arrows(k.Up), "choose"), m.submit(), m.cancel()}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

func (m KeyMap) submit() key.Binding {
	b := m.d.Keys.Submit
	if m.linking {
		b.SetHelp(b.Help().Key, "link")
	} else {
		b.SetHelp(b.Help().Key, "open")
	}
	return b
}

func (m KeyMap) cancel() key.Binding {
	b := m.d.Keys.Cancel
	if !m.linking {
		b.SetHelp(b.Help().Key, "back")
	}
	return b
}

// arrows is a movement binding without its letter keys, which the query
// takes as text.
func arrows(b key.Binding) key.Binding {
	var ks []string
	for _, k := range b.Keys() {
		if len([]rune(k)) > 1 {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return key.NewBinding(key.WithDisabled())
	}
	return key.NewBinding(key.WithKeys(ks...), key.WithHelp(ks[0], b.Help().Desc))
}

// untyped is a binding without the keys that type text in the query.
func untyped(b key.Binding) key.Binding {
	var ks []string
	for _, k := range b.Keys() {
		if len([]rune(k)) > 1 && k != "space" {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return key.NewBinding(key.WithDisabled())
	}
	return key.NewBinding(key.WithKeys(ks...), key.WithHelp(ks[0], b.Help().Desc))
}

// Model is the screen.
type Model struct {
	d       screen.Deps
	st      Store
	input   *textinput.Model // by pointer: the model is copied on every message
	results pagedlist.Model[store.CaseRow]
	up      key.Binding
	down    key.Binding
	seq     int
	err     string
	linking int64 // the message being linked: the search picks its case
	w, h    int
	// marks are the results marked for bulk work, by reference: they stay
	// marked while the query changes, so cases found by different
	// searches can be acted on together.
	marks marks.Set
	// markTyping marks while the query has the keyboard: the mark keys
	// that type no text (ctrl+space; space is a space in the query).
	markTyping key.Binding
}

type (
	tickMsg    struct{ seq int }
	resultsMsg struct {
		seq  int
		rows []store.CaseRow
		err  error
	}
)

// New is the screen with an empty query.
func New(d screen.Deps, st Store) Model {
	in := prompt.NewInput("/ ")
	in.Placeholder = "reference, name, representative, any word; track:basic late:yes rep:… received:<2020-01-01"
	in.CharLimit = 200
	return Model{d: d, st: st, input: &in, results: pagedlist.New[store.CaseRow](d.Keys, 0),
		up: arrows(d.Keys.Up), down: arrows(d.Keys.Down), markTyping: untyped(d.Keys.Mark)}
}

// Keys is the screen's key map.
func (m Model) Keys() KeyMap { return KeyMap{m.d, m.linking != 0} }

// Focus gives the query the keyboard (the screen is shown).
func (m *Model) Focus() tea.Cmd { return m.input.Focus() }

// Blur takes the keyboard from the query.
func (m *Model) Blur() { m.input.Blur() }

// Linking is the message being linked, 0 for a plain search.
func (m Model) Linking() int64 { return m.linking }

// Link starts the picker for a message.
func (m *Model) Link(id int64) tea.Cmd {
	m.linking = id
	m.input.Prompt = fmt.Sprintf("Link message %d to: ", id)
	m.input.SetValue("")
	m.results.Reset()
	m.err = ""
	return m.input.Focus()
}

// SetStore changes the store and asks the query again.
func (m *Model) SetStore(st Store) tea.Cmd {
	m.st = st
	m.results.Reset()
	return m.run()
}

// SetSize fits the screen.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.input.SetWidth(max(w-4, 10))
	m.results.SetHeight(h - 4) // the query, a line for an error, the title and the column headers
}

// Selected is the selected result.
func (m Model) Selected() (string, int64) {
	r, _ := m.results.Current()
	return r.Reference, 0
}

func (m *Model) endLink() {
	m.linking = 0
	m.input.Prompt = "/ "
	m.input.SetValue("")
	m.results.Reset()
}

// Update takes the query's keys and pastes, and the results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k := m.d.Keys
	switch msg := msg.(type) {
	case tickMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		return m, m.run()
	case resultsMsg:
		if msg.seq != m.seq {
			return m, nil // a newer query is on its way
		}
		if msg.err != nil {
			m.results.Failed(m.results.Gen())
			m.err = sanitize.Line(msg.err.Error())
			return m, nil
		}
		m.err = ""
		m.results.Reset()
		m.results.Page(m.results.Gen(), 0, msg.rows)
		return m, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Cancel):
			m.input.Blur()
			if m.linking != 0 {
				id := m.linking
				m.endLink()
				return m, tea.Batch(screen.Send(screen.Leave{}), screen.StatusCmd(fmt.Sprintf("Message %d not linked", id)))
			}
			return m, screen.Send(screen.Leave{})
		case key.Matches(msg, k.Submit):
			r, ok := m.results.Current()
			if !ok {
				return m, screen.StatusCmd("No case chosen: type part of a reference or a name")
			}
			m.input.Blur()
			if id := m.linking; id != 0 {
				m.endLink()
				st, opt, ref := m.st, m.d.Act, r.Reference
				return m, tea.Batch(screen.Send(screen.Leave{}), m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
					return screen.Acted{What: fmt.Sprintf("Message %d linked to %s", id, ref), Err: st.LinkMail(ctx, id, ref, opt)}
				}))
			}
			return m, screen.Send(screen.OpenCase{Ref: r.Reference})
		case key.Matches(msg, m.markTyping) && m.linking == 0:
			return m, m.ToggleMark()
		case key.Matches(msg, m.up):
			m.results.Move(-1)
			return m, nil
		case key.Matches(msg, m.down):
			m.results.Move(1)
			return m, nil
		}
	case tea.PasteMsg:
	default:
		return m, nil
	}
	before := m.input.Value()
	in, cmd := m.input.Update(msg)
	*m.input = in
	if m.input.Value() == before {
		return m, cmd
	}
	m.seq++
	seq := m.seq
	return m, tea.Batch(cmd, tea.Tick(Debounce, func(time.Time) tea.Msg { return tickMsg{seq} }))
}

// Query is the text typed.
func (m Model) Query() string { return m.input.Value() }

func (m *Model) run() tea.Cmd {
	text := m.input.Value()
	q, err := store.ParseSearch(text)
	if err != nil {
		m.err = sanitize.Line(err.Error())
		return nil
	}
	if strings.TrimSpace(text) == "" {
		m.results.Reset()
		return nil
	}
	m.results.Next()
	seq, st := m.seq, m.st
	return m.d.Requests.Go(screen.Search, func(ctx context.Context) tea.Msg {
		rows, err := st.Find(ctx, q, Limit)
		return resultsMsg{seq, rows, err}
	})
}

// View is exactly h lines.
func (m Model) View() string {
	st, w := m.d.Styles, m.w
	out := []string{sanitize.Cut(m.input.View(), w)}
	if m.err != "" {
		out = append(out, st.Error.Render(sanitize.Fit(m.err, w)))
	}
	if strings.TrimSpace(m.input.Value()) == "" {
		hint := "type to search: part of a reference, a name, a representative or any word"
		if m.linking != 0 {
			hint = "type to find the case the message is about"
		}
		out = append(out, st.Muted.Render(sanitize.Fit(hint, w)))
		return screen.Lines(out, m.h)
	}
	title := fmt.Sprintf("%d found", m.results.Len())
	if m.results.Len() == Limit {
		title = fmt.Sprintf("the first %d found: add words to narrow", Limit)
	}
	if n := m.marks.Count(); n != "" {
		title += " · " + n
	}
	return screen.Lines(append(out, cases.Table(st, &m.results, m.d.RefWidth, title, cases.Sorted{}, "No cases match.", w, m.marks.Has)...), m.h)
}

// ToggleMark marks the selected result for bulk work (or unmarks it) and
// moves to the next.
func (m *Model) ToggleMark() tea.Cmd {
	r, ok := m.results.Current()
	if !ok {
		return screen.StatusCmd("Nothing to mark: no case found")
	}
	status := cases.Toggle(m.d, &m.marks, r.Reference)
	m.results.Move(1)
	return screen.StatusCmd(status)
}

// Marks are the results marked for bulk work.
func (m Model) Marks() marks.Set { return m.marks }

// ClearMarks unmarks every result.
func (m *Model) ClearMarks() { m.marks.Clear() }

// Move moves through the results with any movement key (j/k too), for
// when the query does not have the keyboard.
func (m *Model) Move(msg tea.KeyPressMsg) { m.results.Update(msg) }
