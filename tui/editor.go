package tui

import (
	"context"
	"os"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
)

// editedMsg comes back when $EDITOR closes.
type editedMsg struct {
	ref, path string
	err       error
}

// editReferral hands the terminal to $EDITOR (else vi) for a multi-line
// note to a judge, then records the referral with it.
func (m *Model) editReferral(ref string) tea.Cmd {
	f, err := os.CreateTemp("", "caseload-referral-*.md")
	if err != nil {
		m.setStatus("Could not start the editor: " + err.Error())
		return nil
	}
	f.WriteString("# Note for the judge on " + ref + ". Lines starting with # are left out; an empty note refers nothing.\n")
	f.Close()
	editor := os.Getenv("EDITOR")
	if editor == "" {
		editor = "vi"
	}
	c := exec.Command("sh", "-c", editor+` "$1"`, "editor", f.Name())
	return tea.ExecProcess(c, func(err error) tea.Msg { return editedMsg{ref, f.Name(), err} })
}

func (m *Model) referFromEditor(msg editedMsg) tea.Cmd {
	defer os.Remove(msg.path)
	if msg.err != nil {
		m.setStatus("Editor failed: " + msg.err.Error())
		return nil
	}
	b, err := os.ReadFile(msg.path)
	if err != nil {
		m.setStatus(err.Error())
		return nil
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	note := strings.TrimSpace(strings.Join(lines, "\n"))
	if note == "" {
		m.setStatus("The note was empty: nothing referred")
		return nil
	}
	st, opt, ref := m.st, m.act, msg.ref
	return func() tea.Msg {
		rec, err := st.Record(context.Background(), ref, domain.Event{Kind: domain.EventReferred, On: opt.On, User: opt.User,
			Data: domain.EventData{To: "judge", Text: note}})
		return actedMsg{ref + ": " + rec.Detail, err}
	}
}
