// Package screen is the contract between the UI's root and its screens and
// components: what they are given (Deps), the messages they send upwards
// (Status, OpenCase, OpenMail, Acted, Ask, Link) and the envelope every
// database result travels in (Result), routed by screen and cleared from
// the requests in flight whether it is still wanted or not.
package screen

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/theme"
)

// ID names the owner of a result.
type ID int

// The screens, in the order of the number keys, then the components that
// make requests of their own.
const (
	Inbox ID = iota
	Queue
	Due
	Cases
	Search
	Reports
	Queries
	Pane
	Root
	// Work is the team's work screens (My work, Available, All work): a
	// screen with no number key, shown only on a team server (w).
	Work
)

// Names are the tabs' labels, by ID.
var Names = []string{"Inbox", "Queue", "Due", "Cases", "Search", "Reports", "Queries"}

// Short are the tabs' labels on a narrow terminal, by ID.
var Short = []string{"Inb", "Que", "Due", "Cas", "Sea", "Rep", "Qry"}

// Deps is what every screen is built with. Keys and Styles are shared by
// pointer: a rebinding or a background colour reaches every screen.
type Deps struct {
	Keys     *keys.KeyMap
	Styles   *theme.Styles
	Today    domain.Date
	Act      store.ActOptions
	Calendar *domain.Calendar
	Packs    []*domain.RulePack // the default first
	Requests *Requests
	// RefWidth is the reference column: the longest reference of the packs.
	RefWidth int
}

// Pack is the rule pack of a jurisdiction (the default one if unknown).
func (d Deps) Pack(jurisdiction string) *domain.RulePack {
	for _, p := range d.Packs {
		if p.ID == jurisdiction {
			return p
		}
	}
	if len(d.Packs) > 0 {
		return d.Packs[0]
	}
	return nil
}

// Result carries a command's answer back to the screen that asked.
type Result struct {
	Screen ID
	Req    int
	Msg    tea.Msg
}

// Requests is the work in flight. Each request is cleared by its own
// result, stale or not, so the "working…" indicator can never stick; the
// context is the program's, so quitting cancels what is still running.
type Requests struct {
	ctx  context.Context
	next int
	open map[int]bool
}

// NewRequests tracks requests made under ctx.
func NewRequests(ctx context.Context) *Requests {
	return &Requests{ctx: ctx, open: map[int]bool{}}
}

// Go runs fn in a command for screen s; its answer comes back as a Result.
func (r *Requests) Go(s ID, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	r.next++
	id, ctx := r.next, r.ctx
	r.open[id] = true
	return func() tea.Msg { return Result{Screen: s, Req: id, Msg: fn(ctx)} }
}

// Done clears a request.
func (r *Requests) Done(id int) { delete(r.open, id) }

// Busy reports whether anything is in flight.
func (r *Requests) Busy() bool { return len(r.open) > 0 }

// Context is the program's context, for commands built outside Go.
func (r *Requests) Context() context.Context { return r.ctx }

// Messages screens send upwards, each in a command (Send).
type (
	// Status is a line for the status bar.
	Status struct{ Text string }
	// OpenCase asks the root to open a case in the pane.
	OpenCase struct{ Ref string }
	// OpenMail asks the root to open a message in the pane.
	OpenMail struct{ ID int64 }
	// NewCall asks the root for the call form with the caller field
	// holding Ref: a query about that case (":query").
	NewCall struct{ Ref string }
	// Acted reports a write: the root shows What (or the error) and
	// refreshes what the write may have changed.
	Acted struct {
		What string
		Err  error
	}
	// Ask puts a one-line question at the bottom of the screen. Submit
	// turns the answer into a command; Choose, if set, takes single keys
	// instead (true closes the question). Both were made when the question
	// was asked, so the answer acts on the case the question names.
	Ask struct {
		Label       string
		Value       string
		Placeholder string // shown greyed in the empty field: what may be typed
		// History names the answers ↑ and ↓ recall (the ":" line's); ""
		// for none.
		History     string
		Suggestions []string
		Submit      func(value string) tea.Cmd
		Choose      func(msg tea.KeyPressMsg) (tea.Cmd, bool)
	}
	// Link asks for the search picker to choose the case a message is
	// linked to.
	Link struct{ MailID int64 }
	// ShowHelp opens the full help.
	ShowHelp struct{}
	// Goto moves to another screen.
	Goto struct{ Screen ID }
	// Changed says the screen wrote something: the root refreshes the
	// counts and the lists that show it.
	Changed struct{}
	// Leave goes back to the screen shown before this one.
	Leave struct{}
	// OpenQuery shows a query on the Queries screen.
	OpenQuery struct{ ID int64 }
)

// Send wraps an upward message in a command.
func Send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// StatusCmd is Send(Status{text}).
func StatusCmd(text string) tea.Cmd { return Send(Status{text}) }

// Lines joins lines into exactly h of them (padding with empty lines,
// dropping what does not fit), for a View that is exactly its height.
func Lines(lines []string, h int) string {
	h = max(h, 0)
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
