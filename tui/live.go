package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/tui/queue"
	"github.com/caseload/caseload/tui/screen"
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
// counts, the inbox, the lists already loaded, the open case, the work
// screens, and the queue (an appeal someone else decided leaves it).
type LiveMsg struct{ Changes []Change }

// onLive reads again only what is on screen (the inbox costs tens of
// milliseconds on a large caseload, and a busy team changes it several
// times a second); a list not shown is read afresh when it is next shown.
func (m Model) onLive(msg LiveMsg) (tea.Model, tea.Cmd) {
	cmds := []tea.Cmd{m.loadCounts(), m.pane.Refresh(), m.due.Reload()}
	switch m.tab {
	case screen.Inbox:
		cmds = append(cmds, m.inbox.Load())
	case screen.Cases:
		cmds = append(cmds, m.cases.Reload())
	case screen.Work:
		cmds = append(cmds, m.work.Refresh())
	case screen.Queries:
		cmds = append(cmds, m.queries.Reload())
	}
	var decided []queue.Decided
	for _, c := range msg.Changes {
		if c.Kind == domain.EventAllocated && c.Reference != "" {
			decided = append(decided, queue.Decided{Reference: c.Reference, By: c.By})
		}
	}
	var qcmd tea.Cmd
	// No changes named: another process wrote the file, what is unknown.
	m.queue, qcmd = m.queue.Live(decided, len(msg.Changes) == 0)
	return m, tea.Batch(append(cmds, qcmd)...)
}
