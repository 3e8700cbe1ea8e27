package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/tui/work"
)

// The team's work screens (My work, Available, All work) are the work
// component; this file is all the root does with it: open it at start
// when the configuration gives a work store, give it the keyboard while it
// is shown, open the cases it asks for, and refresh it on live updates.

func (m *Model) newWork() {
	if m.cfg.Work == nil {
		return
	}
	wm := work.New(m.cfg.Work, m.act, m.cfg.Leader, work.DefaultKeyMap(), m.styles)
	m.work, m.workOpen = &wm, true
}

func (m Model) initWork() tea.Cmd {
	if m.work == nil {
		return nil
	}
	return m.work.Init()
}

// updateWork hands the component its commands' results.
func (m *Model) updateWork(msg tea.Msg) tea.Cmd {
	wm, cmd := m.work.Update(msg)
	*m.work = wm
	if wm.Status != "" {
		m.setStatus(wm.Status)
	}
	return cmd
}

// workKey gives the component the keyboard while it is shown. The screen
// keys (1–6, tab), search, help, the jurisdiction switch and quit keep
// their meaning; w and esc close it.
func (m *Model) workKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.work == nil {
		return nil, false
	}
	k := m.keys
	if key.Matches(msg, k.Work) && !m.work.Typing() {
		m.workOpen = !m.workOpen
		m.detailOpen, m.mail = false, nil
		m.layout()
		if m.workOpen {
			return m.work.Refresh(), true
		}
		return m.closedWork(), true
	}
	if !m.workOpen || m.detailOpen {
		return nil, false
	}
	if !m.work.Typing() {
		switch {
		case key.Matches(msg, k.Back):
			m.workOpen = false
			return m.closedWork(), true
		case key.Matches(msg, k.Inbox, k.Queue, k.Due, k.Cases, k.Reports, k.NextTab, k.PrevTab):
			m.workOpen = false
			return nil, false
		case key.Matches(msg, k.Help, k.Search, k.Jurisdiction, k.Quit):
			return nil, false
		}
	}
	wm, cmd := m.work.Update(msg)
	*m.work = wm
	if wm.Status != "" {
		m.setStatus(wm.Status)
	}
	return cmd, true
}

// closedWork reads the inbox again if it is what shows now: live updates
// pass it over while the work screens cover it.
func (m *Model) closedWork() tea.Cmd {
	if m.tab == tabInbox {
		return m.loadInbox()
	}
	return nil
}

// openWork opens the case (or message) chosen on a work screen.
func (m Model) openWork(msg work.OpenMsg) (tea.Model, tea.Cmd) {
	if msg.MailID != 0 {
		return m, m.openMail(msg.MailID)
	}
	return m, m.openCase(msg.Reference)
}

func (m Model) workTab() string {
	label := " w Work "
	if m.workOpen {
		if m.styles.Plain {
			return "[w Work]"
		}
		return m.styles.ActiveTab.Render(label)
	}
	return m.styles.Tab.Render(label)
}
