package prompt

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/screen"
)

func typed(m Model, s string) Model {
	for _, r := range s {
		m, _ = m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

func TestSubmitCancelAndPaste(t *testing.T) {
	km := keys.DefaultKeyMap()
	m := New(&km)
	var got string
	m.Open(screen.Ask{Label: "Note: ", Submit: func(v string) tea.Cmd { got = v; return nil }})
	m = typed(m, "typed ")
	m, _ = m.Update(tea.PasteMsg{Content: "and pasted"})
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if got != "typed and pasted" || m.Active() {
		t.Errorf("submitted %q, active %v", got, m.Active())
	}
	got = ""
	m.Open(screen.Ask{Label: "Note: ", Submit: func(v string) tea.Cmd { got = "submitted"; return nil }})
	m = typed(m, "x")
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if got != "" || m.Active() {
		t.Error("cancel submitted or stayed open")
	}
}

func TestReboundSubmitAndChoices(t *testing.T) {
	km := keys.DefaultKeyMap()
	if err := km.Apply(map[string][]string{"submit": {"ctrl+s"}}); err != nil {
		t.Fatal(err)
	}
	m := New(&km)
	submitted := false
	m.Open(screen.Ask{Submit: func(string) tea.Cmd { submitted = true; return nil }})
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if submitted {
		t.Error("enter still submits after rebinding")
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	if !submitted {
		t.Error("ctrl+s does not submit")
	}
	var chose string
	m.Open(screen.Ask{Choose: func(k tea.KeyPressMsg) (tea.Cmd, bool) { chose = k.String(); return nil, k.String() == "b" }})
	m, _ = m.Update(tea.KeyPressMsg{Code: 'z', Text: "z"})
	if !m.Active() {
		t.Error("a key that is not a choice closed the question")
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: 'b', Text: "b"})
	if chose != "b" || m.Active() {
		t.Errorf("chose %q, active %v", chose, m.Active())
	}
}

func TestCompletionFromSuggestions(t *testing.T) {
	km := keys.DefaultKeyMap()
	m := New(&km)
	var got string
	m.Open(screen.Ask{Suggestions: []string{"flag", "refer"}, Submit: func(v string) tea.Cmd { got = v; return nil }})
	m = typed(m, "fl")
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if got != "flag" {
		t.Errorf("completed to %q", got)
	}
}

func TestHistoryRecallsEarlierAnswersWithArrowsOnly(t *testing.T) {
	km := keys.DefaultKeyMap()
	m := New(&km)
	var got string
	ask := screen.Ask{Label: ": ", History: "action", Submit: func(v string) tea.Cmd { got = v; return nil }}
	for _, line := range []string{"flag urgent", "refer judge see file"} {
		m.Open(ask)
		m = typed(m, line)
		m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
	up, down := tea.KeyPressMsg{Code: tea.KeyUp}, tea.KeyPressMsg{Code: tea.KeyDown}
	m.Open(ask)
	m, _ = m.Update(up)
	if m.Value() != "refer judge see file" {
		t.Fatalf("↑ once: %q", m.Value())
	}
	m, _ = m.Update(up)
	m, _ = m.Update(up) // past the oldest: stays
	if m.Value() != "flag urgent" {
		t.Fatalf("↑ twice: %q", m.Value())
	}
	m, _ = m.Update(down)
	m, _ = m.Update(down)
	if m.Value() != "" {
		t.Fatalf("↓ past the latest: %q", m.Value())
	}
	// j and k are letters here, not history.
	m = typed(m, "jk")
	if m.Value() != "jk" {
		t.Fatalf("typed jk: %q", m.Value())
	}
	m, _ = m.Update(up)
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if got != "refer judge see file" {
		t.Errorf("submitted %q", got)
	}
	// Another question has no history: ↑ does nothing to it.
	m.Open(screen.Ask{Label: "Note: "})
	m, _ = m.Update(up)
	if m.Value() != "" {
		t.Errorf("a question without history recalled %q", m.Value())
	}
}
