package tui

import (
	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/tui/helpview"
	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/letter"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Letters are the letter component (tui/letter), drawn over the body; this
// file is all the root does with it: the Letter key opens it on the case
// the caseworker sees, it has the keyboard while open, its results come
// back to it, and a saved letter reloads the lists and the case pane.

// writing is the letter component and whether it is shown.
type writing struct {
	letter.Model
	open    bool
	pending string // the case whose jurisdiction is being read before the component opens
}

// letterCaseMsg is the case W was pressed on, read to know its
// jurisdiction (which templates apply).
type letterCaseMsg struct {
	ref, jurisdiction string
	err               error
}

// letterKeys are the component's keys from the root's key map, so
// rebinding a key in config.toml rebinds it here too.
func letterKeys(k *keys.KeyMap) letter.KeyMap {
	choose := k.Open
	choose.SetHelp(k.Open.Help().Key, "draft")
	return letter.KeyMap{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Top: k.Top, Bottom: k.Bottom,
		Choose: choose, Save: k.LetterSave, Edit: k.LetterEdit, To: k.LetterTo, Back: k.Back}
}

func (m *Model) newLetters() {
	if m.cfg.Letters == nil {
		return
	}
	lm := letter.New(m.cfg.Letters, letterKeys(m.d.Keys), m.cfg.Editor)
	if m.cfg.Editor == "" {
		why := m.cfg.NoEditor
		if why == "" {
			why = "no editor: set $EDITOR; enter saves the draft as it is"
		}
		lm.SetNoEdit(why)
	}
	m.letters.Model = lm
}

// letterCase is the case the caseworker sees: the one in the open pane
// (or the case of the message in it), else the row selected; why says
// why there is none.
func (m Model) letterCase() (ref, jurisdiction, why string) {
	k := m.d.Keys
	if m.pane.IsOpen() {
		switch c, ml := m.pane.Case(), m.pane.Mail(); {
		case c != nil:
			return c.Reference, c.Jurisdiction, ""
		case ml != nil && ml.Reference != "":
			return ml.Reference, "", ""
		case ml != nil:
			return "", "", "This message is on no case: " + k.Link.Help().Key + " links it to one, then " + k.Letter.Help().Key + " writes a letter"
		}
		return "", "", "Wait: the case is still opening"
	}
	if ref, _ := m.selected(); ref != "" {
		return ref, "", ""
	}
	return "", "", "No case selected: " + k.Letter.Help().Key + " writes a letter on the case selected"
}

// openLetters starts the component on the case seen, reading the case
// first when only its reference is known.
func (m *Model) openLetters() tea.Cmd {
	if m.cfg.Letters == nil {
		m.status = "Letters are not available here"
		return nil
	}
	ref, jur, why := m.letterCase()
	if ref == "" {
		m.status = why
		return nil
	}
	if jur != "" {
		return m.showLetters(ref, jur)
	}
	m.letters.pending = ref
	m.status = "Opening the letter templates for " + sanitize.Line(ref) + "…"
	st := m.st
	return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
		c, err := st.Case(ctx, ref)
		if err != nil {
			return letterCaseMsg{ref: ref, err: err}
		}
		return letterCaseMsg{ref: c.Reference, jurisdiction: c.Jurisdiction}
	})
}

func (m *Model) showLetters(ref, jur string) tea.Cmd {
	m.letters.open, m.letters.pending = true, ""
	m.status = ""
	m.layout()
	cmd := m.letters.Open(ref, jur)
	if id, ok := m.overdueDirection(ref); ok {
		m.letters.About(id)
		m.letters.ChooseNeeding("overdue-direction")
	}
	return cmd
}

// overdueDirection reports whether the caseworker is looking at an
// overdue direction of ref: the Due screen's row (id is that direction),
// or one among the deadlines of the case open in the pane (id 0: the
// earliest). The chaser is then offered first, about that direction.
func (m Model) overdueDirection(ref string) (id int64, ok bool) {
	overdue := func(kind string, due domain.Date) bool {
		return strings.HasPrefix(kind, "direction:") && due.Before(m.cfg.Today)
	}
	if c := m.pane.Case(); m.pane.IsOpen() && c != nil && c.Reference == ref {
		for _, d := range c.Deadlines {
			if d.Status == "open" && overdue(d.Kind, d.Due) {
				return 0, true
			}
		}
		return 0, false
	}
	d, found := m.due.Current()
	if m.tab != screen.Due || !found || d.Reference != ref || !overdue(d.Kind, d.Due) {
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(d.Kind, "direction:"), 10, 64)
	return id, err == nil
}

func (m *Model) closeLetters() {
	m.letters.open, m.letters.pending = false, ""
	m.layout()
}

// letterMsg takes the component's results, and the case read for it.
func (m *Model) letterMsg(msg tea.Msg) (tea.Cmd, bool) {
	if c, ok := msg.(letterCaseMsg); ok {
		if c.ref != m.letters.pending && m.letters.pending != "" {
			return nil, true
		}
		if m.letters.pending == "" {
			return nil, true // given up on (a screen switch, esc)
		}
		if c.err != nil {
			m.letters.pending = ""
			m.status = "No letter: " + sanitize.Line(c.err.Error())
			return nil, true
		}
		return m.showLetters(c.ref, c.jurisdiction), true
	}
	if !letter.Owns(msg) || m.cfg.Letters == nil {
		return nil, false
	}
	return m.updateLetters(msg), true
}

func (m *Model) updateLetters(msg tea.Msg) tea.Cmd {
	lm, cmd := m.letters.Update(msg)
	m.letters.Model = lm
	if lm.Status != "" {
		m.status = sanitize.Line(lm.Status)
	}
	if lm.Closed {
		m.closeLetters()
	}
	if lm.Saved != nil {
		// The timeline gains correspondence out: the pane and the inbox
		// read it again. A letter meets no deadline, so the Due list is
		// not reloaded: its selection stays on the case for the next
		// chaser.
		cmd = tea.Batch(cmd, m.loadCounts(), m.inbox.Load(), m.pane.Refresh())
	}
	return cmd
}

// letterKey opens the component on the Letter key and gives it the
// keyboard while it is open. On the template list a screen key or quit
// closes it (and quit only closes it, as with the pane); while a draft is
// shown or the component waits, those keys are refused with what to do,
// so a draft is never left by accident.
func (m *Model) letterKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.d.Keys
	if !m.letters.open {
		if m.letters.pending != "" && key.Matches(msg, k.Back) {
			m.letters.pending = ""
			m.status = "No letter written"
			return nil, true
		}
		// The Reports screen shows no case and has keys of its own (W by
		// week), so the letter key is the screen's there unless a case is
		// open; on the work screens' owner or assignee line it is a letter
		// of the name.
		if key.Matches(msg, k.Letter) && (m.tab != screen.Reports || m.pane.IsOpen()) && !m.typingWork() {
			return m.openLetters(), true
		}
		return nil, false
	}
	global := key.Matches(msg, k.Quit, k.Inbox, k.Queue, k.Due, k.Cases, k.Search, k.Reports, k.Queries,
		k.NewQuery, k.NextTab, k.PrevTab, k.Jurisdiction, k.Work, k.Letter)
	switch {
	case key.Matches(msg, k.Help):
		m.openHelp()
		return nil, true
	case !global:
		return m.updateLetters(msg), true
	case m.letters.Choosing():
		m.closeLetters()
		if key.Matches(msg, k.Quit, k.Letter) {
			return nil, true
		}
		return nil, false
	case m.letters.Busy():
		m.status = sanitize.Line(m.letters.Ref()) + ": wait: the letter is being drafted or saved"
	default:
		m.status = sanitize.Line(m.letters.Ref()) + ": a letter is open: " + k.Back.Help().Key + " goes back to the templates first"
	}
	return nil, true
}

// letterHelp is the help section of the component, first while it is open.
func (m Model) letterHelp() helpview.Section {
	return helpview.Section{Title: "Letter", Keys: m.letters.KeyMap()}
}
