// Package letter is the letter pane of a case: choose a template, read the
// draft filled in from the case, edit it in $EDITOR, and save it (only
// saving records anything: correspondence out on the timeline, the
// document kept beside the database).
//
// It is a component in the Bubbles shape: New, Update, View (exactly the
// size set by SetSize), a KeyMap for help, and IO only in tea.Cmds, through
// the narrow Desk interface.
package letter

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/letterdesk"
)

// Desk is what the pane needs: the templates for a case's jurisdiction,
// drafting (which records nothing) and saving.
type Desk interface {
	For(jurisdiction string) []*domain.LetterTemplate
	Draft(ctx context.Context, r letterdesk.Request) (letterdesk.Draft, error)
	Save(ctx context.Context, d letterdesk.Draft) (store.Letter, error)
	// Letters and Reopen list the letters saved on the case and read one
	// back as saved.
	Letters(ctx context.Context, ref string) ([]store.Letter, error)
	Reopen(l store.Letter) (string, error)
}

// KeyMap is the pane's keys; every one can be rebound.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Choose                                  key.Binding // a template, in the list
	Save                                    key.Binding // the draft
	Edit                                    key.Binding
	To                                      key.Binding // address the draft to the next party
	Back                                    key.Binding
}

// DefaultKeyMap: vim keys and arrows, enter, e, esc.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Choose:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "draft")),
		Save:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit in $EDITOR")),
		To:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "to another party")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Choose, k.Save, k.Edit, k.To, k.Back}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Choose, k.Save, k.Edit, k.To, k.Back}}
}

type mode int

const (
	choosing mode = iota
	drafting
	viewing
	editing
	saving
	reading // a saved letter, as saved: nothing to edit or save
)

// Model is the letter pane of one case.
type Model struct {
	desk      Desk
	keys      KeyMap
	editor    string // the command that edits a file: $EDITOR, else vi
	noEdit    string // why there is no editing here ("" there is)
	ref       string
	direction int64 // the direction letters are about (0: the earliest not complied with)
	templates []*domain.LetterTemplate
	saved     []store.Letter // on the case, listed after the templates
	cursor    int            // over the templates, then the saved letters
	mode      mode
	draft     letterdesk.Draft
	edited    bool
	lines     []string // the draft (or saved letter) as text, wrapped to the width
	text      []string // the saved letter being read, unwrapped
	offset    int
	gen       int // bumps on Open and back: late results are dropped
	width     int
	height    int

	// Status is a line for the root's status bar, set by Update.
	Status string
	// Saved is the letter just saved (the root refreshes the case); nil
	// otherwise.
	Saved *store.Letter
	// Closed: esc on the template list, the root closes the pane.
	Closed bool
}

// Messages: results of the pane's commands.
type (
	draftedMsg struct {
		gen   int
		draft letterdesk.Draft
		err   error
	}
	editReadyMsg struct {
		gen  int
		path string
		err  error
	}
	editedMsg struct {
		gen  int
		path string
		err  error
	}
	bodyMsg struct {
		gen  int
		body string
		err  error
	}
	savedMsg struct {
		gen    int
		letter store.Letter
		err    error
	}
	lettersMsg struct {
		gen     int
		letters []store.Letter
		err     error
	}
	reopenedMsg struct {
		gen    int
		letter store.Letter
		text   string
		err    error
	}
)

// New makes the pane. editor is the command that edits a file (the root
// passes $EDITOR; "" is vi).
func New(desk Desk, km KeyMap, editor string) Model {
	if editor == "" {
		editor = "vi"
	}
	return Model{desk: desk, keys: km, editor: editor}
}

// SetNoEdit turns editing off, saying why when the edit key is pressed (a
// team server: the editor would run on the server, not the caseworker's
// machine; no editor installed).
func (m *Model) SetNoEdit(why string) { m.noEdit = why }

// Owns reports whether msg is the result of one of the pane's commands, so
// the root hands it back here.
func Owns(msg tea.Msg) bool {
	switch msg.(type) {
	case draftedMsg, editReadyMsg, editedMsg, bodyMsg, savedMsg, lettersMsg, reopenedMsg:
		return true
	}
	return false
}

// Ref is the case the pane writes on.
func (m Model) Ref() string { return m.ref }

// Choosing reports whether the template list is shown (nothing drafted,
// nothing waited on).
func (m Model) Choosing() bool { return m.mode == choosing }

// Open starts on a case: the templates for its jurisdiction, the first
// chosen, and the letters already saved on it (loaded by the command it
// returns).
func (m *Model) Open(ref, jurisdiction string) tea.Cmd {
	m.gen++
	m.ref, m.templates, m.saved, m.cursor, m.mode, m.offset = ref, m.desk.For(jurisdiction), nil, 0, choosing, 0
	m.direction = 0
	m.draft, m.lines, m.edited, m.Closed, m.Saved, m.Status = letterdesk.Draft{}, nil, false, false, nil, ""
	return m.loadLetters()
}

func (m Model) loadLetters() tea.Cmd {
	desk, gen, ref := m.desk, m.gen, m.ref
	return func() tea.Msg {
		ls, err := desk.Letters(context.Background(), ref)
		return lettersMsg{gen, ls, err}
	}
}

func (m Model) rows() int { return len(m.templates) + len(m.saved) }

// Choose moves the cursor to the template named NAME or PACK/NAME (the
// root can offer one straight away: the notice of allocation after an
// allocation).
func (m *Model) Choose(name string) bool {
	for i, t := range m.templates {
		if t.Name == name || t.ID() == name {
			m.cursor = i
			return true
		}
	}
	return false
}

// About makes the letters drafted about direction id (the root passes the
// one on the row the caseworker chose); 0 is the earliest not complied
// with.
func (m *Model) About(direction int64) { m.direction = direction }

// ChooseNeeding moves the cursor to the first template that needs what
// the case has (an "overdue-direction": the chaser), so the likely letter
// is one enter away.
func (m *Model) ChooseNeeding(need string) bool {
	for i, t := range m.templates {
		if slices.Contains(t.Needs, need) {
			m.cursor = i
			return true
		}
	}
	return false
}

// SetSize tells the pane its size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.wrap()
}

// KeyMap is the pane's key map, for the root's help.
func (m Model) KeyMap() KeyMap { return m.keys }

// Busy reports whether the pane waits on the database or the editor.
func (m Model) Busy() bool { return m.mode == drafting || m.mode == saving || m.mode == editing }

// Viewing reports whether a draft is on screen.
func (m Model) Viewing() bool { return m.mode == viewing }

// Draft is the draft on screen, if any.
func (m Model) Draft() (letterdesk.Draft, bool) { return m.draft, m.mode == viewing }

// bodyHeight is the lines left for the letter: the title, the recipient
// line (or the warning that there is no address, wrapped) and the keys
// take the rest.
func (m Model) bodyHeight() int { return max(m.height-2-max(len(m.warning()), 1), 1) }

// noAddress is why the draft cannot be saved, in the pane's words: the
// desk's are the command line's, and here a key readdresses it.
func (m Model) noAddress() string {
	if m.draft.NoAddress == nil {
		return ""
	}
	return strings.ReplaceAll(m.draft.NoAddress.Error(), "(--to)", "("+m.keys.To.Help().Key+")")
}

// warning is the no-address warning wrapped to the width (at most three
// lines): it says what to do, so it is not cut.
func (m Model) warning() []string {
	if m.mode == reading || m.draft.NoAddress == nil {
		return nil
	}
	lines := strings.Split(ansi.Wrap("! "+clean(m.noAddress()), max(m.width, 10), ""), "\n")
	if len(lines) > 3 {
		lines = lines[:3]
		lines[2] += "…"
	}
	return lines
}

func (m *Model) wrap() {
	if m.mode == reading {
		m.wrapText(m.text)
		return
	}
	m.lines = nil
	if m.draft.Template == nil {
		return
	}
	m.wrapText(strings.Split(strings.TrimRight(m.draft.Letter.Text(), "\n"), "\n"))
}

func (m *Model) wrapText(text []string) {
	m.lines = nil
	w := max(m.width, 10)
	for _, l := range text {
		m.lines = append(m.lines, strings.Split(ansi.Wrap(l, w, ""), "\n")...)
	}
	m.offset = min(m.offset, max(len(m.lines)-m.bodyHeight(), 0))
}

// Update handles keys and the results of the pane's commands.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if _, refresh := msg.(lettersMsg); !refresh {
		// The list of saved letters arriving after a save keeps the
		// save's status and Saved for the root.
		m.Status, m.Saved = "", nil
	}
	switch msg := msg.(type) {
	case draftedMsg:
		if msg.gen != m.gen || m.mode != drafting {
			return m, nil
		}
		if msg.err != nil {
			m.mode, m.Status = choosing, "Could not draft: "+msg.err.Error()
			if m.draft.Template != nil {
				m.mode = viewing // readdressing failed: the draft shown stays
			}
			return m, nil
		}
		m.mode, m.draft, m.offset, m.edited = viewing, msg.draft, 0, false
		m.wrap()
		if msg.draft.NoAddress != nil {
			m.Status = m.noAddress()
		}
		return m, nil
	case editReadyMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			m.mode, m.Status = viewing, "Could not start the editor: "+msg.err.Error()
			return m, nil
		}
		c := exec.Command("sh", "-c", m.editor+` "$1"`, "editor", msg.path)
		gen := m.gen
		return m, tea.ExecProcess(c, func(err error) tea.Msg { return editedMsg{gen, msg.path, err} })
	case editedMsg:
		return m, readBody(msg)
	case bodyMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.mode = viewing
		switch {
		case notFound(msg.err):
			m.Status = m.ref + ": the editor (" + m.editor + ") was not found: set $EDITOR and start caseload again (the draft is unchanged)"
		case msg.err != nil:
			m.Status = "Editor: " + msg.err.Error() + " (the draft is unchanged)"
		case strings.TrimSpace(msg.body) == "":
			m.Status = "The letter was left empty: the draft is unchanged"
		case msg.body == m.draft.Letter.Body:
			m.Status = m.ref + ": the draft is unchanged"
		default:
			m.draft.Letter.Body, m.edited = msg.body, true
			m.wrap()
			m.Status = m.ref + ": draft edited; " + m.keys.Save.Help().Key + " saves it"
		}
		return m, nil
	case savedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			m.mode, m.Status = viewing, "Not saved: "+msg.err.Error()
			return m, nil
		}
		l := msg.letter
		m.Saved, m.mode, m.draft, m.lines = &l, choosing, letterdesk.Draft{}, nil
		m.Status = fmt.Sprintf("%s: saved letter %d (%s to %s): correspondence out on the timeline", l.Reference, l.ID, l.Title, l.RecipientName)
		return m, m.loadLetters()
	case lettersMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			m.Status = "Could not list the saved letters: " + msg.err.Error()
			return m, nil
		}
		m.saved = msg.letters
		return m, nil
	case reopenedMsg:
		if msg.gen != m.gen || m.mode != reading {
			return m, nil
		}
		if msg.err != nil {
			m.mode, m.Status = choosing, msg.err.Error()
			return m, nil
		}
		m.offset, m.text = 0, strings.Split(strings.TrimRight(msg.text, "\n"), "\n")
		m.wrapText(m.text)
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	switch m.mode {
	case choosing:
		switch {
		case key.Matches(msg, k.Up):
			m.cursor = max(m.cursor-1, 0)
		case key.Matches(msg, k.Down):
			m.cursor = min(m.cursor+1, max(m.rows()-1, 0))
		case key.Matches(msg, k.Top):
			m.cursor = 0
		case key.Matches(msg, k.Bottom):
			m.cursor = max(m.rows()-1, 0)
		case key.Matches(msg, k.Choose) && m.cursor >= len(m.templates) && m.cursor < m.rows():
			m.mode, m.lines = reading, nil
			desk, gen, l := m.desk, m.gen, m.saved[m.cursor-len(m.templates)]
			return m, func() tea.Msg {
				text, err := desk.Reopen(l)
				return reopenedMsg{gen, l, text, err}
			}
		case key.Matches(msg, k.Choose):
			if len(m.templates) == 0 {
				m.Status = "No letter templates for this case's jurisdiction"
				return m, nil
			}
			m.mode = drafting
			desk, gen, r := m.desk, m.gen, letterdesk.Request{Ref: m.ref, Template: m.templates[m.cursor].ID(), Direction: m.direction}
			return m, func() tea.Msg {
				d, err := desk.Draft(context.Background(), r)
				return draftedMsg{gen, d, err}
			}
		case key.Matches(msg, k.Back):
			m.Closed = true
		}
	case viewing, reading:
		page := m.bodyHeight()
		last := max(len(m.lines)-page, 0)
		switch {
		case key.Matches(msg, k.Up):
			m.offset = max(m.offset-1, 0)
		case key.Matches(msg, k.Down):
			m.offset = min(m.offset+1, last)
		case key.Matches(msg, k.PageUp):
			m.offset = max(m.offset-page, 0)
		case key.Matches(msg, k.PageDown):
			m.offset = min(m.offset+page, last)
		case key.Matches(msg, k.Top):
			m.offset = 0
		case key.Matches(msg, k.Bottom):
			m.offset = last
		case key.Matches(msg, k.Back) && m.mode == reading:
			m.gen++
			m.mode, m.lines = choosing, nil
			return m, m.loadLetters()
		case m.mode == reading:
			// A saved letter is a record: nothing to edit or save.
		case key.Matches(msg, k.Edit) && m.noEdit != "":
			m.Status = m.ref + ": " + m.noEdit
		case key.Matches(msg, k.Edit):
			m.mode = editing
			gen, body := m.gen, m.draft.Letter.Body
			return m, func() tea.Msg {
				path, err := writeTemp(body)
				return editReadyMsg{gen, path, err}
			}
		case key.Matches(msg, k.To):
			if m.edited {
				m.Status = m.ref + ": the draft was edited: save it, or esc and draft again, to address it to another party"
				return m, nil
			}
			m.mode = drafting
			desk, gen, r := m.desk, m.gen, m.draft.Request
			return m, func() tea.Msg {
				d, err := readdress(desk, r)
				return draftedMsg{gen, d, err}
			}
		case key.Matches(msg, k.Save):
			if m.draft.NoAddress != nil {
				m.Status = "Not saved: " + m.noAddress()
				return m, nil
			}
			m.mode = saving
			desk, gen, d := m.desk, m.gen, m.draft
			return m, func() tea.Msg {
				l, err := desk.Save(context.Background(), d)
				return savedMsg{gen, l, err}
			}
		case key.Matches(msg, k.Back):
			m.gen++ // a result still on its way is for the draft left
			m.mode, m.draft, m.lines = choosing, letterdesk.Draft{}, nil
			if m.edited {
				m.Status = "Edited draft discarded: nothing was saved"
			}
		}
	}
	return m, nil
}

// readdress drafts r again to the next party after r.To that the case
// has (a party missing from the case is skipped; one without an address
// is drafted, with its warning).
func readdress(desk Desk, r letterdesk.Request) (letterdesk.Draft, error) {
	parties := domain.LetterParties
	at := max(slices.Index(parties, r.To), 0)
	var first error
	for i := 1; i < len(parties); i++ {
		r.To = parties[(at+i)%len(parties)]
		d, err := desk.Draft(context.Background(), r)
		if err == nil {
			return d, nil
		}
		if first == nil {
			first = err
		}
	}
	return letterdesk.Draft{}, first
}

// writeTemp puts the body in a private temporary file for the editor.
func writeTemp(body string) (string, error) {
	f, err := os.CreateTemp("", "caseload-letter-*.md")
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// notFound: the shell could not find the editor's command (status 127).
func notFound(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee) && ee.ExitCode() == 127
}

func readBody(msg editedMsg) tea.Cmd {
	return func() tea.Msg {
		defer os.Remove(msg.path)
		if msg.err != nil {
			return bodyMsg{msg.gen, "", msg.err}
		}
		b, err := os.ReadFile(msg.path)
		return bodyMsg{msg.gen, string(b), err}
	}
}

var (
	titleStyle  = lipgloss.NewStyle().Bold(true)
	cursorStyle = lipgloss.NewStyle().Reverse(true)
	warnStyle   = lipgloss.NewStyle().Bold(true)
)

// View draws the pane, exactly width by height.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var out []string
	add := func(s string) { out = append(out, fit(s, m.width)) }
	switch {
	case m.mode == choosing, m.mode == drafting && m.draft.Template == nil:
		add(titleStyle.Render("Write a letter on " + clean(m.ref)))
		if m.mode == drafting {
			add("Drafting…")
		} else {
			add(fmt.Sprintf("%d templates · %d saved %s · a draft is kept only when saved",
				len(m.templates), len(m.saved), plural(len(m.saved), "letter", "letters")))
		}
		rows := m.height - 3
		first := max(min(m.cursor-rows/2, m.rows()-rows), 0)
		for i := first; i < m.rows() && len(out) < m.height-1; i++ {
			var line string
			if i < len(m.templates) {
				t := m.templates[i]
				line = fmt.Sprintf("  %s (%s, to %s)", clean(t.Title), t.Name, t.To)
			} else {
				l := m.saved[i-len(m.templates)]
				line = fmt.Sprintf("  saved letter %d, %s: %s to %s", l.ID, l.Dated.UK(), clean(l.Title), clean(l.RecipientName))
				if l.ReplacedBy != 0 {
					line += fmt.Sprintf(" (replaced by %d)", l.ReplacedBy)
				}
			}
			if i == m.cursor {
				line = cursorStyle.Render(fit("> "+line[2:], m.width))
			}
			add(line)
		}
		if len(m.templates) == 0 {
			add("  No templates for this jurisdiction.")
		}
	case m.mode == reading:
		add(titleStyle.Render(fmt.Sprintf("%s: saved letter, as saved (a record: read only)", clean(m.ref))))
		add("")
		for i := m.offset; i < len(m.lines) && len(out) < m.height-1; i++ {
			add(clean(m.lines[i]))
		}
	default:
		d := m.draft
		state := map[mode]string{viewing: "draft", editing: "in the editor", saving: "saving…", drafting: "addressing it again…"}[m.mode]
		if m.edited && m.mode == viewing {
			state = "draft, edited"
		}
		add(titleStyle.Render(fmt.Sprintf("%s: %s (%s)", clean(m.ref), clean(d.Template.Title), state)))
		if d.NoAddress != nil {
			for _, l := range m.warning() {
				add(warnStyle.Render(l))
			}
		} else {
			add(fmt.Sprintf("To %s (%s) by %s", clean(d.Letter.To.Name), d.To, d.Channel))
		}
		for i := m.offset; i < len(m.lines) && len(out) < m.height-1; i++ {
			add(clean(m.lines[i]))
		}
	}
	for len(out) < m.height-1 {
		add("")
	}
	out = append(out[:m.height-1], fit(m.helpLine(), m.width))
	return strings.Join(out, "\n")
}

func (m Model) helpLine() string {
	k := m.keys
	var bs []key.Binding
	switch m.mode {
	case choosing:
		bs = []key.Binding{k.Up, k.Down, k.Choose, k.Back}
	case viewing:
		bs = []key.Binding{k.Save, k.Edit, k.To, k.Down, k.PageDown, k.Back}
	case reading:
		bs = []key.Binding{k.Down, k.PageDown, k.Back}
	}
	var parts []string
	for _, b := range bs {
		if b.Enabled() && (m.noEdit == "" || b.Help() != k.Edit.Help()) {
			parts = append(parts, b.Help().Key+" "+b.Help().Desc)
		}
	}
	return strings.Join(parts, " · ")
}

// fit makes a line exactly w cells: cut with an ellipsis, or padded.
func fit(s string, w int) string {
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

// clean keeps text from a case or a user's template from steering the
// terminal: control and invisible characters are shown as U+FFFD.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return ' '
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return '\ufffd'
		}
		return r
	}, s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
