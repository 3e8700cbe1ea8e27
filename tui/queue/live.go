package queue

import (
	"context"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Reserver keeps the appeal on a caseworker's card theirs alone while it
// is there, so two caseworkers on one queue never see the same appeal. A
// team server implements it in memory: the calls do no IO and return at
// once, so the queue makes them inside Update.
type Reserver interface {
	// Reserve holds ref for this session (renewing the hold if it has it
	// already); it fails, naming the holder, if another session has it.
	Reserve(ref string) (holder string, ok bool)
	// Unreserve lets ref go.
	Unreserve(ref string)
}

// SetReserver makes the queue reserve the appeal on its card.
func (m *Model) SetReserver(r Reserver) { m.reserver = r }

// reserveCard holds the appeal on the card, renewing the hold on every
// message; an appeal someone else holds is passed over before it is drawn.
func (m *Model) reserveCard() {
	if m.reserver == nil {
		return
	}
	for len(m.buf) > 0 {
		ref := m.buf[0].Reference
		if _, ok := m.reserver.Reserve(ref); ok {
			if m.reserved != "" && m.reserved != ref {
				m.reserver.Unreserve(m.reserved)
			}
			m.reserved = ref
			return
		}
		if ref == m.reserved {
			m.reserved = ""
		}
		m.buf = m.buf[1:]
	}
	if m.reserved != "" {
		m.reserver.Unreserve(m.reserved)
		m.reserved = ""
	}
}

// Decided is an appeal another session (or process) decided.
type Decided struct {
	Reference string
	By        string
}

// Live takes out of the queue the appeals someone else decided (saying so
// if one was on the card) and tops the queue up when it runs low. With
// unknown set (a change made by another process, not said what), the
// card's appeal is read again to see whether it was decided.
func (m Model) Live(decided []Decided, unknown bool) (Model, tea.Cmd) {
	var cmds []tea.Cmd
	for _, d := range decided {
		if m.pending[d.Reference] || slices.Contains(m.history, d.Reference) {
			continue // this session's own decision
		}
		for i, r := range m.buf {
			if r.Reference != d.Reference {
				continue
			}
			if i == 0 {
				by := d.By
				if by == "" {
					by = "someone else"
				}
				cmds = append(cmds, screen.StatusCmd(sanitize.Line(d.Reference+": categorised by "+by+"; moved on")))
			}
			m.buf = append(m.buf[:i:i], m.buf[i+1:]...)
			break
		}
	}
	if len(m.buf) < Refill && !m.loading {
		cmds = append(cmds, m.load())
	}
	m.reserveCard()
	if cur, ok := m.Current(); ok && unknown {
		st, ref := m.st, cur.Reference
		cmds = append(cmds, m.d.Requests.Go(screen.Queue, func(ctx context.Context) tea.Msg {
			c, err := st.Case(ctx, ref)
			if err != nil || c.Status == domain.StatusNew {
				return nil
			}
			by := "someone else"
			for _, e := range c.Events {
				if e.Kind == domain.EventAllocated {
					by = e.User
				}
			}
			return cardGoneMsg{ref, by}
		}))
	}
	return m, tea.Batch(cmds...)
}

// cardGoneMsg: the appeal on the card was decided elsewhere.
type cardGoneMsg struct{ ref, by string }

func (m Model) cardGone(msg cardGoneMsg) (Model, tea.Cmd) {
	cur, ok := m.Current()
	if !ok || cur.Reference != msg.ref || m.pending[msg.ref] {
		return m, nil
	}
	m.buf = m.buf[1:]
	return m, tea.Batch(screen.Send(screen.Changed{}),
		screen.StatusCmd(sanitize.Line(msg.ref+": categorised by "+msg.by+"; moved on")))
}
