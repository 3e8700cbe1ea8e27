package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/work"
)

// The team's work screens (My work, Available, All work) are the work
// component, shown as screen.Work; this file is all the root does with
// it: show it at start when the configuration gives a work store, give it
// the keyboard while it is shown, open the cases it asks for, and refresh
// it on live updates.

// workScreen is the component and the screen the work key goes back to.
type workScreen struct {
	work.Model
	back screen.ID
}

func (m *Model) newWork() {
	if m.cfg.Work == nil {
		return
	}
	wm := work.New(m.cfg.Work, m.d.Act, m.cfg.Leader, workKeys(m.d.Keys), m.d.Styles)
	wm.SetRequests(m.d.Requests)
	m.work = &workScreen{Model: wm, back: screen.Inbox}
	m.tab = screen.Work // in serve mode My work is the first screen
}

// workKeys are the work screens' keys from the UI's key map, so each is
// rebound by config.toml's [keys] (take = ["T"]) like every other.
func workKeys(k *keys.KeyMap) work.KeyMap {
	return work.KeyMap{Mine: k.MyWork, Available: k.Available, All: k.AllWork, Up: k.Up, Down: k.Down, Open: k.Open,
		Take: k.Take, Release: k.Release, Assign: k.Assign, Owner: k.FilterOwner}
}

func (m Model) initWork() tea.Cmd {
	if m.work == nil {
		return nil
	}
	return m.work.Init()
}

// updateWork hands the component its messages; its status line and the
// cases it opens go up as the other screens' do.
func (m *Model) updateWork(msg tea.Msg) tea.Cmd {
	if m.work == nil {
		return nil
	}
	if o, ok := msg.(work.OpenMsg); ok {
		if o.MailID != 0 {
			return screen.Send(screen.OpenMail{ID: o.MailID})
		}
		return screen.Send(screen.OpenCase{Ref: o.Reference})
	}
	wm, cmd := m.work.Update(msg)
	m.work.Model = wm
	if wm.Status != "" {
		m.status = sanitize.Line(wm.Status)
	}
	return cmd
}

// workKey gives the component the keyboard while it is shown. The screen
// keys (1–6, tab), search, help, the jurisdiction switch and quit keep
// their meaning; the work key and esc go back to the screen shown before.
func (m *Model) workKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.work == nil {
		return nil, false
	}
	k := m.d.Keys
	shown := m.tab == screen.Work
	typing := shown && m.work.Typing()
	if key.Matches(msg, k.Work) && !typing {
		if shown && !m.pane.IsOpen() {
			return m.switchTab(m.work.back), true
		}
		if !shown {
			m.work.back = m.tab
		}
		return m.switchTab(screen.Work), true
	}
	if !shown || m.pane.IsOpen() {
		return nil, false
	}
	if !typing {
		switch {
		case key.Matches(msg, k.Back):
			return m.switchTab(m.work.back), true
		case key.Matches(msg, k.Inbox, k.Queue, k.Due, k.Cases, k.Reports, k.NextTab, k.PrevTab):
			// The next and previous screens are those of the screen
			// the work screens cover.
			m.tab = m.work.back
			return nil, false
		case key.Matches(msg, k.Help, k.Search, k.Jurisdiction, k.Quit):
			return nil, false
		}
	}
	return m.updateWork(msg), true
}

// typingWork reports whether a work screen's prompt line (an owner, an
// assignee) has the keyboard.
func (m Model) typingWork() bool {
	return m.work != nil && m.tab == screen.Work && !m.pane.IsOpen() && m.work.Typing()
}

func (m Model) workTab() string {
	st := m.d.Styles
	label := m.d.Keys.Work.Help().Key + " Work"
	if m.tab == screen.Work {
		return st.ActiveTab.Render(st.TabMarks[0] + label + st.TabMarks[1])
	}
	return st.Tab.Render(" " + label + " ")
}
