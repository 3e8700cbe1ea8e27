// Package helpview is the full help: every screen's keys, grouped by
// screen and drawn by bubbles/help from the key maps (so a rebound key
// shows as rebound), then the casework actions of the ":" line, on a
// viewport that scrolls.
package helpview

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Section is one screen's keys under its name.
type Section struct {
	Title string
	Keys  help.KeyMap
}

// KeyMap is the help's own keys.
type KeyMap struct{ d screen.Deps }

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.d.Keys
	return []key.Binding{pagedlist.Move(k.Down, k.Up, "scroll"), k.PageDown, k.Back}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// Model is the help overlay.
type Model struct {
	d        screen.Deps
	vp       *viewport.Model // by pointer: the model is copied on every message
	sections []Section
	open     bool
	w, h     int
}

// New is the closed help.
func New(d screen.Deps) Model {
	vp := viewport.New()
	return Model{d: d, vp: &vp}
}

// Keys is the help's key map.
func (m Model) Keys() KeyMap { return KeyMap{m.d} }

// Open shows the help for these sections, from the top.
func (m *Model) Open(sections []Section) {
	m.sections, m.open = sections, true
	m.render()
	m.vp.GotoTop()
}

// Close hides it.
func (m *Model) Close() { m.open = false }

// IsOpen reports whether the help is shown.
func (m Model) IsOpen() bool { return m.open }

// SetSize fits the help.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = max(w, 10), max(h, 1)
	m.vp.SetWidth(m.w)
	m.vp.SetHeight(m.h)
	if m.open {
		m.render()
	}
}

// Update scrolls; Back, Help and Quit close.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	k := m.d.Keys
	if key.Matches(kp, k.Back, k.Help, k.Quit) {
		m.open = false
	} else {
		k.Scroll(m.vp, kp)
	}
	return m, nil
}

// View is exactly the help's height.
func (m Model) View() string { return m.vp.View() }

func (m *Model) render() {
	st, k, w := m.d.Styles, m.d.Keys, m.w
	hm := help.New()
	hm.SetWidth(w)
	hm.Styles = help.Styles{FullKey: st.Title.Style, FullDesc: st.Help.Style, FullSeparator: st.Help.Style, Ellipsis: st.Help.Style,
		ShortKey: st.Title.Style, ShortDesc: st.Help.Style, ShortSeparator: st.Help.Style}
	out := []string{st.Title.Render(sanitize.Fit(fmt.Sprintf("Keys: %s/%s scroll, %s closes", k.Down.Help().Key, k.Up.Help().Key, k.Back.Help().Key), w))}
	for _, s := range m.sections {
		out = append(out, "", st.Title.Render(sanitize.Fit(s.Title, w)))
		for _, group := range s.Keys.FullHelp() {
			// One column per group, stacked, so nothing is cut at 60 columns.
			col := hm.FullHelpView([][]key.Binding{group})
			if col == "" {
				continue
			}
			for _, l := range strings.Split(col, "\n") {
				out = append(out, sanitize.Cut("  "+l, w))
			}
		}
	}
	out = append(out, "", st.Title.Render(sanitize.Fit("Casework on an open case: "+k.Action.Help().Key+" then", w)))
	for _, a := range domain.Actions {
		for i, l := range strings.Split(ansi.Wrap(a.Usage()+": "+a.Help, max(w-4, 10), ""), "\n") {
			indent := "  "
			if i > 0 {
				indent = "    "
			}
			out = append(out, indent+l)
		}
	}
	m.vp.SetContentLines(out)
}
