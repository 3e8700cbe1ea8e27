package pane

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/screen"
)

// DeadlineMeeter records the step that meets a deadline.
type DeadlineMeeter interface {
	MeetDeadline(ctx context.Context, ref, deadlineKind string, on domain.Date, opt store.ActOptions) (domain.Event, error)
}

// StepName names the step meeting a deadline of kind in the packs' words.
func StepName(packs []*domain.RulePack, kind string) string {
	for _, p := range packs {
		if ev, _, ok := p.MeetingStep(kind); ok {
			return domain.StepName(ev)
		}
	}
	return "the step meeting the deadline"
}

// AskStep asks the date the step meeting a case's deadline was taken
// (today if empty) and records it, dated that day: the inbox's done, the
// Due screen and the case pane all use it.
func AskStep(d screen.Deps, st DeadlineMeeter, ref, kind string) screen.Ask {
	act, today := d.Act, d.Today
	step := StepName(d.Packs, kind)
	return screen.Ask{Label: ref + ": " + step + " taken on: ", Placeholder: "today, or DD/MM/YYYY",
		Submit: func(v string) tea.Cmd {
			on, err := domain.ParseStepDate(v, today, domain.Date{})
			if err != nil {
				return screen.StatusCmd("Not recorded: " + ref + ": " + err.Error())
			}
			return d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
				e, err := st.MeetDeadline(ctx, ref, kind, on, act)
				return screen.Acted{What: ref + ": " + domain.StepName(e.Kind) + " recorded on " + on.Long() + ": deadline met", Err: err}
			})
		}}
}

// askMet asks which open deadline of the case was met (one: straight to
// its date).
func (m Model) askMet(c *store.Case) tea.Cmd {
	var open []domain.Deadline
	for _, d := range c.Deadlines {
		if d.Status == domain.DeadlineOpen {
			open = append(open, d)
		}
	}
	ref := c.Reference
	switch {
	case len(open) == 0:
		return screen.StatusCmd(ref + " has no open deadline to meet")
	case len(open) == 1:
		return screen.Send(AskStep(m.d, m.st, ref, open[0].Kind))
	}
	open = open[:min(len(open), 9)]
	var b strings.Builder
	b.WriteString(ref + ": which deadline was met?")
	for i, d := range open {
		b.WriteString(" " + string(rune('1'+i)) + " " + d.Label + " " + d.Due.UK() + ";")
	}
	return screen.Send(screen.Ask{Label: strings.TrimSuffix(b.String(), ";") + " ", Choose: func(kp tea.KeyPressMsg) (tea.Cmd, bool) {
		s := kp.String()
		if len(s) == 1 && s[0] >= '1' && int(s[0]-'1') < len(open) {
			return screen.Send(AskStep(m.d, m.st, ref, open[s[0]-'1'].Kind)), true
		}
		return nil, false
	}})
}
