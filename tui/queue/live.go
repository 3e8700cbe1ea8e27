package queue

import (
	"context"
	"maps"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Reserver keeps the appeals on a caseworker's card (and the one ready
// after it) theirs alone while they are there, so two caseworkers on one
// queue never see the same appeal, on one team server or several on one
// database. The reservations are in the database, so the queue asks in a
// command and draws only an appeal it holds.
type Reserver interface {
	// Reserve holds for this session the first n of refs that no other
	// session holds (renewing the holds it has) and lets go of the rest,
	// but for keep: the appeals being decided, whose decision ends it.
	Reserve(ctx context.Context, refs []string, n int, keep []string) (store.Reservation, error)
}

// Lookahead is how many appeals a session holds: the one on its card and
// the next, so that deciding shows the next at once rather than after a
// round trip to the database.
const Lookahead = 2

// SetReserver makes the queue reserve the appeal on its card.
func (m *Model) SetReserver(r Reserver) { m.reserver = r }

// reservedMsg is a reservation's outcome.
type reservedMsg struct {
	res store.Reservation
	err error
}

// held reports whether the session holds ref (always, without a Reserver).
func (m Model) held(ref string) bool {
	return m.reserver == nil || slices.Contains(m.holds, ref)
}

// wanted are the appeals the session should hold: the card's, then the
// next ones not skipped.
func (m Model) wanted() []string {
	var out []string
	for i, r := range m.buf {
		if i > 0 && slices.Contains(m.skipped, r.Reference) {
			continue
		}
		out = append(out, r.Reference)
	}
	return out
}

// reserveCard asks for the appeals the card needs when they are not the
// ones held, or, at a key press (renew), when the holds are half way to
// lapsing; one request at a time (the next goes when it is back, if the
// queue moved meanwhile).
func (m *Model) reserveCard(renew bool) tea.Cmd {
	if m.reserver == nil || m.reserving {
		return nil
	}
	want := m.wanted()
	first := want[:min(len(want), Lookahead)]
	renew = renew && !m.renewAt.IsZero() && time.Now().After(m.renewAt)
	if slices.Equal(first, m.holds) && !renew {
		return nil
	}
	m.reserving = true
	r := m.reserver
	keep := slices.Sorted(maps.Keys(m.pending))
	return m.d.Requests.Go(screen.Queue, func(ctx context.Context) tea.Msg {
		res, err := r.Reserve(ctx, want, Lookahead, keep)
		return reservedMsg{res, err}
	})
}

// lapsed lets go of holds whose lease has run out (a caseworker away for
// longer than the lease): another caseworker may have the appeal by now,
// so it is reserved afresh before anything is done with it.
func (m *Model) lapsed() {
	if m.reserver != nil && !m.until.IsZero() && time.Now().After(m.until) {
		m.holds, m.until, m.renewAt = nil, time.Time{}, time.Time{}
	}
}

// reserved takes in what the database holds for the session: appeals on
// other caseworkers' cards or decided already are passed over before
// they are drawn.
func (m Model) reserved(msg reservedMsg) (Model, tea.Cmd) {
	m.reserving = false
	if msg.err != nil {
		m.holds, m.until, m.renewAt = nil, time.Time{}, time.Time{}
		return m, screen.StatusCmd("Could not reserve an appeal for your card: " + sanitize.Line(msg.err.Error()))
	}
	// What the database holds now, even if the queue moved meanwhile:
	// the next request (reserveCard) catches up.
	m.holds, m.until = msg.res.Held, msg.res.Until
	m.renewAt = time.Now().Add(time.Until(msg.res.Until) / 2)
	pass := func(r store.CaseRow) bool {
		_, other := msg.res.Others[r.Reference]
		return other || slices.Contains(msg.res.Gone, r.Reference)
	}
	var cmds []tea.Cmd
	if len(msg.res.Gone) > 0 {
		cmds = append(cmds, screen.Send(screen.Changed{}))
	}
	m.buf = slices.DeleteFunc(m.buf, pass)
	cmds = append(cmds, m.more())
	return m, tea.Batch(cmds...)
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
	if m.reserver != nil && len(m.buf) == 0 && m.end && !m.loading {
		// The appeals passed over as on other cards may be free again
		// (skipped, or their session ended): read the queue from the head.
		m.read, m.end = store.CaseRow{}, false
	}
	if len(m.buf) < Refill && !m.loading {
		cmds = append(cmds, m.load())
	}
	cmds = append(cmds, m.reserveCard(false))
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
