package tui

import (
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/marks"
	"github.com/caseload/caseload/tui/screen"
)

func bulkKeys(k *keys.KeyMap) help.KeyMap { return marks.Keys(k) }

// marked is the rows marked for bulk work on the screen shown.
func (m Model) marked() marks.Set {
	switch m.tab {
	case screen.Inbox:
		if !m.inbox.InSnoozed() {
			return m.inbox.Marks()
		}
	case screen.Due:
		return m.due.Marks()
	case screen.Cases:
		return m.cases.Marks()
	case screen.Search:
		return m.search.Marks()
	}
	return marks.Set{}
}

// clearMarks unmarks every row of a screen.
func (m *Model) clearMarks(id screen.ID) {
	switch id {
	case screen.Inbox:
		m.inbox.ClearMarks()
	case screen.Due:
		m.due.ClearMarks()
	case screen.Cases:
		m.cases.ClearMarks()
	case screen.Search:
		m.search.ClearMarks()
	}
}

// bulkKey takes the keys of bulk work: the casework action key on marked
// rows asks what to do to them all (even with a case open beside the
// list: the question says how many are marked), back unmarks them, and
// the undo key undoes the last bulk action of this session.
func (m *Model) bulkKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.d.Keys
	set := m.marked()
	switch {
	case key.Matches(msg, k.UndoBatch):
		if m.lastBatch.ID == 0 {
			return screen.StatusCmd("No bulk action to undo: mark rows with " + k.Mark.Help().Key + ", then " + k.Action.Help().Key), true
		}
		return marks.Undo(m.d, m.st, m.lastBatch), true
	case key.Matches(msg, k.Action) && set.Len() > 0 && (!m.pane.IsOpen() || m.beside()):
		return m.prompt.Open(marks.Ask(m.d, m.st, m.tab, set.Targets())), true
	case key.Matches(msg, k.Back) && set.Len() > 0 && !m.pane.IsOpen():
		m.clearMarks(m.tab)
		return screen.StatusCmd(fmt.Sprintf("Unmarked %d: nothing was done to them", set.Len())), true
	case key.Matches(msg, k.Mark) && m.tab == screen.Search && !m.pane.IsOpen():
		// The query does not have the keyboard: space marks.
		return m.search.ToggleMark(), true
	}
	return nil, false
}

// onBulk takes a bulk write's result: the marks acted on are cleared (a
// refusal keeps them, so the case named can be unmarked and the rest
// tried again), the batch is the one the undo key undoes, and the lists
// showing the cases are read again.
func (m *Model) onBulk(msg marks.Acted) tea.Cmd {
	if msg.Err == nil {
		if msg.Undo {
			m.lastBatch = store.Batch{}
		} else {
			m.clearMarks(msg.Screen)
			m.lastBatch = msg.Batch
		}
	}
	mm, cmd := m.updateRoot(msg.Acted)
	*m = mm.(Model)
	if msg.Err != nil {
		return cmd
	}
	return tea.Batch(cmd, m.cases.Reload())
}

// bulkTypingKey: with results marked, back leaves the search query
// (rather than the screen), so the marked results can be acted on.
func (m *Model) bulkTypingKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.d.Keys
	if m.help.IsOpen() || m.prompt.Active() || m.tab != screen.Search || !m.searching || m.pane.IsOpen() ||
		m.search.Linking() != 0 || m.search.Marks().Len() == 0 || !key.Matches(msg, k.Back) {
		return nil, false
	}
	m.blurSearch()
	return screen.StatusCmd(fmt.Sprintf("%s: %s acts on them all, %s unmarks all, %s types a query again",
		m.search.Marks().Count(), k.Action.Help().Key, k.Back.Help().Key, k.Search.Help().Key)), true
}
