package pane

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Undoer takes back the caseworker's latest action on a case (the rule is
// domain.UndoTarget, the same for the CLI's undo).
type Undoer interface {
	Undo(ctx context.Context, ref string, opt store.ActOptions) ([]domain.Event, error)
}

// Grouper makes a lead case and stays related cases behind it (r18).
type Grouper interface {
	CreateGroup(ctx context.Context, name, lead string, related []string, opt store.ActOptions) error
}

// UndoCmd undoes the caseworker's latest action on ref. A refusal (nothing
// to undo, someone else's action, one kept beside the timeline) says why
// and changes nothing.
func UndoCmd(d screen.Deps, st Undoer, ref string) tea.Cmd {
	act := d.Act
	return d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
		es, err := st.Undo(ctx, ref, act)
		if err != nil {
			return screen.Status{Text: "Nothing undone: " + sanitize.Line(err.Error())}
		}
		var what []string
		for _, e := range es {
			what = append(what, e.Detail)
		}
		return screen.Acted{What: ref + ": " + strings.Join(what, "; ")}
	})
}

// askGroup asks once, naming every case, before lead becomes the lead of
// a group with the related cases stayed behind it: a stay takes them out
// of the caseworkers' deadlines.
func (m Model) askGroup(lead string, related []string, name string) tea.Cmd {
	st, act := m.st, m.d.Act
	what := "make it the lead case and stay " + strings.Join(related, ", ") + " behind it"
	if name != "" {
		what += " (group " + name + ")"
	}
	return screen.Send(confirm(lead, what, m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
		err := st.CreateGroup(ctx, name, lead, related, act)
		return screen.Acted{What: lead + ": lead case; stayed behind it: " + strings.Join(related, ", "), Err: err}
	})))
}

// Progress choices: what was done on an old case, one key each, or typed.
var progressChoices = []struct{ key, label, text string }{
	{"r", "reviewed", "nothing needed yet"},
	{"c", "chased", "chased the parties"},
	{"w", "waiting", "waiting on a party"},
}

// askProgress asks what was done on an old case before recording that it
// moved on; esc records nothing.
func (m Model) askProgress(ref string) screen.Ask {
	record := func(text string) tea.Cmd {
		return m.record(ref, domain.Event{Kind: domain.EventProgressed, On: m.d.Act.On, User: m.d.Act.User, Data: domain.EventData{Text: text}})
	}
	var opts []string
	for _, c := range progressChoices {
		opts = append(opts, c.key+" "+c.label)
	}
	return screen.Ask{Label: ref + ": what was done? " + strings.Join(opts, " · ") + " · t type it: ",
		Choose: func(kp tea.KeyPressMsg) (tea.Cmd, bool) {
			for _, c := range progressChoices {
				if kp.String() == c.key {
					return record(c.text), true
				}
			}
			if kp.String() == "t" {
				return screen.Send(screen.Ask{Label: ref + ": what was done? ", Placeholder: "on the timeline, e.g. asked HMRC for the review letter",
					Submit: func(v string) tea.Cmd {
						if strings.TrimSpace(v) == "" {
							return screen.StatusCmd("Nothing recorded on " + ref + ": say what was done (it goes on the timeline)")
						}
						return record(strings.TrimSpace(v))
					}}), true
			}
			return nil, false
		}}
}
