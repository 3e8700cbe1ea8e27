// Package prompt is the one-line question at the bottom of the screen: a
// text input with Submit and Cancel bindings (or single-key choices), that
// takes pastes and typed text alike.
package prompt

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// KeyMap is the prompt's keys.
type KeyMap struct{ k *keys.KeyMap }

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding { return []key.Binding{m.k.Submit, m.k.Cancel, m.k.Complete} }

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{m.ShortHelp(), {m.k.Older, m.k.Newer}}
}

// Model is the question and its answer so far.
type Model struct {
	KeyMap KeyMap
	input  *textinput.Model // by pointer: the model is copied on every message
	ask    screen.Ask
	active bool
	width  int
	// history holds the answers given to each named question, oldest
	// first (by pointer: shared by the copies); at is the one recalled.
	history *map[string][]string
	at      int
}

// New is a closed prompt.
func New(k *keys.KeyMap) Model {
	in := NewInput("")
	h := map[string][]string{}
	return Model{KeyMap: KeyMap{k}, input: &in, width: 80, history: &h}
}

// NewInput is a one-line text input with a steady cursor: no blinking
// (calmer, and nothing animates in --plain mode), and tab completing a
// suggestion.
func NewInput(label string) textinput.Model {
	in := textinput.New()
	in.Prompt = label
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.CharLimit = 2000
	return in
}

// Open asks the question.
func (m *Model) Open(a screen.Ask) tea.Cmd {
	in := NewInput(sanitize.Line(a.Label))
	in.SetValue(a.Value)
	in.Placeholder = sanitize.Line(a.Placeholder)
	if len(a.Suggestions) > 0 {
		in.ShowSuggestions = true
		in.SetSuggestions(a.Suggestions)
	}
	in.KeyMap.AcceptSuggestion = m.KeyMap.k.Complete
	*m.input = in
	m.ask, m.active = a, true
	m.at = len((*m.history)[a.History])
	m.SetWidth(m.width)
	return m.input.Focus()
}

// Active reports whether a question is open (it then has the keyboard).
func (m Model) Active() bool { return m.active }

// Label is the open question.
func (m Model) Label() string { return m.ask.Label }

// Value is the answer so far.
func (m Model) Value() string { return m.input.Value() }

// SetWidth fits the input to the screen.
func (m *Model) SetWidth(w int) {
	m.width = w
	m.input.SetWidth(max(w-sanitize.Width(m.input.Prompt)-3, 10)) // room for the cursor
}

// Update takes keys and pastes while a question is open.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if !m.active {
		return m, nil
	}
	k := m.KeyMap.k
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, k.Cancel):
			m.active = false
			return m, nil
		case m.ask.Choose != nil:
			cmd, done := m.ask.Choose(kp)
			if done {
				m.active = false
			}
			return m, cmd
		case key.Matches(kp, k.Submit):
			m.active = false
			if m.ask.Submit == nil {
				return m, nil
			}
			m.remember(m.input.Value())
			return m, m.ask.Submit(m.input.Value())
		case m.ask.History != "" && key.Matches(kp, k.Older, k.Newer):
			m.recall(key.Matches(kp, k.Older))
			return m, nil
		}
	}
	in, cmd := m.input.Update(msg)
	*m.input = in
	return m, cmd
}

func (m *Model) remember(v string) {
	if m.ask.History == "" || strings.TrimSpace(v) == "" {
		return
	}
	h := (*m.history)[m.ask.History]
	if n := len(h); n > 0 && h[n-1] == v {
		return
	}
	(*m.history)[m.ask.History] = append(h, v)
}

// recall puts an earlier (back) or later answer in the field; past the
// latest the field is empty again.
func (m *Model) recall(back bool) {
	h := (*m.history)[m.ask.History]
	switch {
	case back && m.at > 0:
		m.at--
	case !back && m.at < len(h):
		m.at++
	default:
		return
	}
	v := ""
	if m.at < len(h) {
		v = h[m.at]
	}
	m.input.SetValue(v)
	m.input.CursorEnd()
}

// View is the one line, within the width.
func (m Model) View() string { return sanitize.Cut(m.input.View(), m.width) }
