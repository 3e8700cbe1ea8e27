package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/tui/queue"
)

// Change is one committed change to the caseload made elsewhere: in
// another session on the team server, or by another process on the file.
type Change struct {
	By        string // who made it ("" when another process did, unknown)
	Kind      string // the event kind (domain.EventAllocated, taken, …), "" if unknown
	Reference string // the case, if one
	MailID    int64  // the message, if one
}

// LiveMsg tells the UI that the caseload changed under it; a team server
// sends one to each session's program (coalesced, a few a second at
// most). The UI refreshes what it shows without a key press: header
// counts, the inbox, the lists already loaded, the open case, and the
// queue (an appeal someone else decided leaves it).
type LiveMsg struct{ Changes []Change }

// liveDetailMsg refreshes the open case without moving its scroll.
type liveDetailMsg struct {
	ref string
	det detailMsg
}

// Only what is on screen is read again (the inbox costs tens of
// milliseconds on a large caseload, and a busy team changes it several
// times a second); a list not shown is read afresh when it is next shown.
func (m Model) onLive(msg LiveMsg) (tea.Model, tea.Cmd) {
	cmds := []tea.Cmd{m.loadCounts()}
	if m.tab == tabInbox && !m.workOpen {
		cmds = append(cmds, m.loadInbox())
	}
	var decided []queue.Decided
	unknown := len(msg.Changes) == 0
	for _, c := range msg.Changes {
		if c.Kind == domain.EventAllocated && c.Reference != "" {
			decided = append(decided, queue.Decided{Reference: c.Reference, By: c.By})
		}
	}
	if m.work != nil && m.workOpen {
		cmds = append(cmds, m.work.Refresh())
	}
	var qcmd tea.Cmd
	m.queue, qcmd = m.queue.Live(decided, unknown)
	if m.queue.Status != "" {
		m.setStatus(m.queue.Status)
	}
	cmds = append(cmds, qcmd)
	switch {
	case m.due.loaded && !m.due.loading && m.tab == tabDue && len(m.due.rows) <= pageSize:
		cmds = append(cmds, m.loadDue(0))
	case m.due.loaded && m.tab != tabDue:
		m.due.loaded = false // switchTab reads it again
	}
	switch {
	case m.cases.loaded && !m.cases.loading && m.tab == tabCases && len(m.cases.rows) <= pageSize:
		cmds = append(cmds, m.loadCases(0))
	case m.cases.loaded && m.tab != tabCases:
		m.cases.loaded = false
	}
	switch {
	case m.detailOpen && m.mail != nil:
		st, id := m.st, m.mail.ID
		cmds = append(cmds, func() tea.Msg {
			ml, err := st.MailItem(context.Background(), id)
			return liveMailMsg{ml, err}
		})
	case m.detailOpen && m.detail != nil:
		st, ref := m.st, m.detail.Reference
		cmds = append(cmds, func() tea.Msg {
			c, err := st.Case(context.Background(), ref)
			if err != nil {
				return liveDetailMsg{ref, detailMsg{err: err}}
			}
			return liveDetailMsg{ref, detailMsg{c, c.Mail, nil}}
		})
	}
	return m, tea.Batch(cmds...)
}

type liveMailMsg mailMsg

// onLiveDetail puts the refreshed case in the pane if it is still open.
func (m Model) onLiveDetail(msg liveDetailMsg) (tea.Model, tea.Cmd) {
	if msg.det.err == nil && m.detailOpen && m.mail == nil && m.detail != nil && m.detail.Reference == msg.ref {
		m.detail, m.detailMail = msg.det.c, msg.det.mail
	}
	return m, nil
}

func (m Model) onLiveMail(msg liveMailMsg) (tea.Model, tea.Cmd) {
	if msg.err == nil && m.detailOpen && m.mail != nil && msg.m != nil && m.mail.ID == msg.m.ID {
		m.mail = msg.m
	}
	return m, nil
}
