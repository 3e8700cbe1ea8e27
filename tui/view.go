package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// globalKeys are the keys that work on every screen.
type globalKeys struct {
	k            *keys.KeyMap
	jurisdiction bool
	work         bool // the team's work screens (team server)
}

func (m Model) globalKeys() globalKeys {
	return globalKeys{m.d.Keys, len(m.cfg.Packs) > 1, m.work != nil}
}

func (g globalKeys) ShortHelp() []key.Binding {
	b := []key.Binding{g.k.Search}
	if g.work {
		b = append(b, g.k.Work)
	}
	if g.jurisdiction {
		b = append(b, g.k.Jurisdiction)
	}
	return append(b, g.k.Help, g.k.Quit)
}

func (g globalKeys) FullHelp() [][]key.Binding {
	k := g.k
	screens := []key.Binding{k.Inbox, k.Queue, k.Due, k.Cases, k.Search, k.Reports, k.Queries, k.NextTab, k.PrevTab}
	if g.work {
		screens = append(screens, k.Work)
	}
	return [][]key.Binding{screens, {k.NewQuery, k.Letter}, {k.Jurisdiction, k.Open, k.Back, k.Help, k.Quit, k.ForceQuit}}
}

func pagedlistKeys(k *keys.KeyMap) help.KeyMap { return pagedlist.Keys(k) }

// screenKeys is a screen's key map.
func (m Model) screenKeys(id screen.ID) help.KeyMap {
	switch id {
	case screen.Inbox:
		return m.inbox.Keys()
	case screen.Queue:
		return m.queue.Keys()
	case screen.Due:
		return m.due.Keys()
	case screen.Cases:
		return m.cases.Keys()
	case screen.Search:
		return m.search.Keys()
	case screen.Work:
		return m.work.Keys()
	case screen.Queries:
		return m.queries.Keys()
	}
	return m.reports.Keys()
}

// focusedKeys is the key map of whatever has the keyboard, for the footer.
func (m Model) focusedKeys() []key.Binding {
	switch {
	case m.help.IsOpen():
		return m.help.Keys().ShortHelp()
	case m.letters.open:
		return nil // the letter draws its own keys
	case m.typingQuery():
		return m.queries.Keys().ShortHelp()
	case m.capturing():
		return m.search.Keys().ShortHelp()
	case m.pane.IsOpen() && !m.beside():
		return m.pane.Keys().ShortHelp()
	}
	b := m.screenKeys(m.tab).ShortHelp()
	if m.pane.IsOpen() {
		b = append(m.pane.Keys().ShortHelp(), b...)
	}
	return append(b, m.globalKeys().ShortHelp()...)
}

// footerLine is the focused component's short help, with the quit and
// help keys always last, so the way out and the way to every other key are
// never cut off.
func (m Model) footerLine(w int) string {
	bs := m.focusedKeys()
	key := footerKey(w, m.pane.IsOpen(), m.help.IsOpen() || m.capturing(), m.d.Keys, bs)
	if d := m.footerDrawn; d != nil && d.key == key && key != "" {
		return d.line
	}
	line := m.drawFooter(w, bs)
	if m.footerDrawn != nil {
		*m.footerDrawn = footerMemo{key, line}
	}
	return line
}

// footerMemo is a footer line and the key it was drawn for (footerKey).
type footerMemo struct{ key, line string }

// footerKey is everything a footer line is drawn from: the width, whether
// q closes the case, whether the tail goes, and every key shown as it is
// shown (bindings are values: rebinding or disabling one changes this).
func footerKey(w int, pane, noTail bool, k *keys.KeyMap, bs []key.Binding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %t %t", w, pane, noTail)
	for _, kb := range append([]key.Binding{k.Quit, k.Help}, bs...) {
		b.WriteByte(0)
		if kb.Enabled() {
			b.WriteByte('+')
		}
		h := kb.Help()
		b.WriteString(h.Key)
		b.WriteByte(1)
		b.WriteString(h.Desc)
	}
	return b.String()
}

func (m Model) drawFooter(w int, focused []key.Binding) string {
	k := m.d.Keys
	quit := k.Quit
	if m.pane.IsOpen() {
		quit.SetHelp(quit.Help().Key, "close") // q closes the case first
	}
	tail := m.footer.ShortHelpView([]key.Binding{quit, k.Help})
	if m.help.IsOpen() || m.capturing() {
		tail = "" // help is open, or q and ? are letters typed
	}
	var bs []key.Binding
	for _, b := range focused {
		if b.Help() != k.Help.Help() && (tail == "" || b.Help() != k.Quit.Help()) {
			bs = append(bs, b)
		}
	}
	f, fw := *m.footer, max(w-sanitize.Width(tail)-3, 1)
	f.SetWidth(fw)
	// help adds an item it has no room for when even "…" will not fit.
	line := sanitize.Cut(f.ShortHelpView(bs), fw)
	if tail == "" || line == "" {
		return line + tail
	}
	return line + m.d.Styles.Help.Render(" · ") + tail
}

// bodyHeight is the number of lines between the tabs and the status line.
func (m Model) bodyHeight() int { return max(m.height-4, 1) }

// beside reports whether the pane is drawn beside the list (terminals 100
// columns or wider, not --plain, not expanded) rather than over it.
func (m Model) beside() bool {
	return m.width >= 100 && !m.d.Styles.Plain && !m.pane.Expanded()
}

func (m Model) leftWidth() int {
	if m.pane.IsOpen() && m.beside() {
		return m.width * 55 / 100
	}
	return m.width
}

func (m *Model) layout() {
	w, h := max(m.width, 20), m.bodyHeight()
	lw := m.leftWidth()
	m.inbox.SetSize(lw, h)
	m.queue.SetSize(lw, h)
	m.due.SetSize(lw, h)
	m.cases.SetSize(lw, h)
	m.search.SetSize(lw, h)
	m.reports.SetSize(lw, h)
	m.queries.SetSize(lw, h)
	if m.beside() {
		m.pane.SetSize(w-lw-3, h)
	} else {
		m.pane.SetSize(w, h)
	}
	if m.work != nil {
		m.work.SetSize(lw, h)
	}
	m.help.SetSize(w, h)
	m.letters.SetSize(w, h)
	m.prompt.SetWidth(w)
	m.footer.SetWidth(w)
}

// View draws the screen: header, tabs, the screen's body (with the pane
// beside or over it), the status line and the footer. Every line is cut to
// the width, so nothing ever wraps.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "caseload"
	return v
}

func (m Model) render() string {
	w, h := max(m.width, 20), max(m.height, 5)
	st := m.d.Styles
	lines := make([]string, 0, h)
	lines = append(lines, m.header(w), m.tabs(w))
	lines = append(lines, strings.Split(m.body(), "\n")...)
	status, more := m.refusalLines(w)
	status = sanitize.Fit(status, w)
	if m.d.Requests.Busy() {
		// The indicator goes when the last request in flight answers,
		// whether or not its answer is still wanted.
		busy := "working…"
		if gap := w - sanitize.Width(status) - sanitize.Width(busy); gap >= 1 {
			status += strings.Repeat(" ", gap) + busy
		}
	}
	lines = append(lines, st.Status.Render(status))
	switch {
	case m.prompt.Active():
		lines = append(lines, m.prompt.View())
	case more != "":
		lines = append(lines, st.Status.Render(sanitize.Fit(more, w)))
	default:
		lines = append(lines, m.footerLine(w))
	}
	for i, l := range lines {
		// A line of no more bytes than cells cannot be too wide: only
		// longer ones are measured (measuring is most of a frame's cost).
		if !sanitize.FitsWithin(l, w) && sanitize.Width(l) > w {
			lines[i] = sanitize.Cut(l, w)
		}
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// body is exactly bodyHeight lines.
func (m Model) body() string {
	if m.help.IsOpen() {
		return m.help.View()
	}
	if m.letters.open {
		return m.letters.View()
	}
	if m.pane.IsOpen() && !m.beside() {
		return m.pane.View()
	}
	left := m.screenView()
	if !m.pane.IsOpen() {
		return left
	}
	lw := m.leftWidth()
	ll, rl := strings.Split(left, "\n"), strings.Split(m.pane.View(), "\n")
	sep := m.d.Styles.Border.Render(" │ ")
	out := make([]string, m.bodyHeight())
	for i := range out {
		l, r := "", ""
		if i < len(ll) {
			l = ll[i]
		}
		if i < len(rl) {
			r = rl[i]
		}
		out[i] = padStyled(l, lw) + sep + r
	}
	return strings.Join(out, "\n")
}

func (m Model) screenView() string {
	switch m.tab {
	case screen.Inbox:
		return m.inbox.View()
	case screen.Queue:
		return m.queue.View()
	case screen.Due:
		return m.due.View()
	case screen.Cases:
		return m.cases.View()
	case screen.Search:
		return m.search.View()
	case screen.Work:
		return m.work.View()
	case screen.Queries:
		return m.queries.View()
	}
	return m.reports.View()
}

// screenName is what the help calls a screen.
func (m Model) screenName(id screen.ID) string {
	if id == screen.Work {
		return "Work"
	}
	return screen.Names[id]
}

func (m Model) header(w int) string {
	c := m.counts
	right := fmt.Sprintf("queue %d · due %d · overdue %d", c.Queue, c.Due, c.Overdue)
	// The jurisdiction outlasts the long date as the width shrinks: it
	// says what every count and list is limited to.
	short := m.jur
	if short == "" {
		short = "all"
		if len(m.cfg.Packs) == 1 {
			short = m.cfg.Packs[0].ID
		}
	}
	user, name, today := m.cfg.User, m.jurisdictionName(), m.cfg.Today
	left := "caseload · " + name + " · " + today.Long() + " · " + user
	fits := func() bool { return sanitize.Width(left)+sanitize.Width(right)+1 <= w }
	for i := 0; i < 4 && !fits(); i++ {
		switch i {
		case 0:
			left = "caseload · " + name + " · " + today.UK() + " · " + user
		case 1:
			left = "caseload · " + short + " · " + today.Long() + " · " + user
		case 2:
			left = "caseload · " + short + " · " + today.UK() + " · " + user
		case 3:
			left = short + " · " + today.UK() + " · " + user
		}
	}
	if !fits() {
		right = fmt.Sprintf("Q %d · due %d · over %d", c.Queue, c.Due, c.Overdue)
	}
	gap := w - sanitize.Width(left) - sanitize.Width(right)
	if gap < 1 {
		return m.d.Styles.Header.Render(sanitize.Fit(left+" · "+right, w))
	}
	return m.d.Styles.Header.Render(sanitize.Fit(left, w)) + strings.Repeat(" ", gap) + m.d.Styles.Header.Render(right)
}

func (m Model) tabs(w int) string {
	st := m.d.Styles
	parts := make([]string, 0, len(screen.Names))
	for i, name := range screen.Names {
		label := fmt.Sprintf("%d %s", i+1, name)
		if m.width < 70 {
			label = fmt.Sprintf("%d %s", i+1, screen.Short[i])
		}
		if screen.ID(i) == m.tab {
			parts = append(parts, st.ActiveTab.Render(st.TabMarks[0]+label+st.TabMarks[1]))
		} else {
			parts = append(parts, st.Tab.Render(" "+label+" "))
		}
	}
	if m.work != nil {
		parts = append(parts, m.workTab())
	}
	return sanitize.Cut(strings.Join(parts, " "), w)
}

// padStyled cuts an already styled line to width cells and pads it with
// spaces, for the left of the pane.
func padStyled(styled string, width int) string {
	w := sanitize.Width(styled)
	if w > width {
		styled, w = sanitize.Cut(styled, width), width
	}
	if w < width {
		styled += strings.Repeat(" ", width-w)
	}
	return styled
}

// refusalLines: a refusal ("Not saved: REF: why") is there for its
// reason, which a narrow terminal would cut off, so one too long for the
// status line goes on into the footer's line, broken at a word, until the
// next key brings the footer back.
func (m Model) refusalLines(w int) (status, more string) {
	if m.refusalSeen || !strings.HasPrefix(m.status, "Not saved: ") || sanitize.Width(m.status) <= w || m.prompt.Active() {
		return m.status, ""
	}
	words := strings.Fields(m.status)
	for i := range words {
		if sanitize.Width(strings.Join(words[:i+1], " ")) > w {
			if i == 0 {
				return m.status, ""
			}
			return strings.Join(words[:i], " "), strings.Join(words[i:], " ")
		}
	}
	return m.status, ""
}
