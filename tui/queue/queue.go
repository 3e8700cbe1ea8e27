// Package queue is the categorisation queue: one appeal at a time, a single
// key to decide, and the next appeal on screen at once (act, then advance).
package queue

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/theme"
)

// Store is what the queue needs of the database.
type Store interface {
	Queue(ctx context.Context, limit int) ([]store.CaseRow, error)
	Categorise(ctx context.Context, ref string, track domain.Track, opt store.CategoriseOptions) (domain.Event, error)
	UndoAllocation(ctx context.Context, ref string, opt store.ActOptions) (domain.Event, error)
	AddNote(ctx context.Context, ref, text string, opt store.ActOptions) (domain.Event, error)
	Case(ctx context.Context, ref string) (*store.Case, error)
	DoneToday(ctx context.Context, opt store.ActOptions) (int, error)
	Record(ctx context.Context, ref string, e domain.Event) (domain.Event, error)
}

// Prefetch is how many appeals are held ready, so advancing never waits
// on the database; Refill is when more are fetched.
const (
	Prefetch = 60
	Refill   = 15
)

// Model is the queue screen.
type Model struct {
	st      Store
	act     store.ActOptions
	packs   []*domain.RulePack // the default first
	keys    *keys.KeyMap
	styles  *theme.Styles
	buf     []store.CaseRow // waiting; buf[0] is on screen
	skipped []string        // skipped this session: they go to the back
	pending map[string]bool // decided, not yet confirmed by the database
	history []string        // decided this session, newest last: what u undoes
	done    int             // allocations by this user today
	left    int             // waiting in the whole queue (from the header counts)
	loading bool
	loaded  bool
	gen     int // bumps when the store changes: pages from the old one are dropped
	noting  bool
	// recommending: the note line asks for a settle-or-defend recommendation.
	recommending bool
	note         *textinput.Model // by pointer: the model is copied on every message
	width        int
	height       int
	// Status is a line for the root's status bar, set after each message.
	Status string
	// Changed tells the root to refresh counts.
	Changed bool
	// reserver keeps the card's appeal this session's alone (team server);
	// reserved is the appeal it holds (live.go).
	reserver Reserver
	reserved string
}

// Messages: results of the queue's commands.
type (
	loadedMsg struct {
		gen  int
		rows []store.CaseRow
		err  error
	}
	decidedMsg struct {
		row   store.CaseRow
		track domain.Track
		err   error
	}
	undoneMsg struct {
		ref string
		row *store.Case
		err error
	}
	doneMsg  struct{ n int }
	notedMsg struct {
		ref string
		err error
	}
	recordedMsg struct {
		ref    string
		detail string
		err    error
	}
)

// New makes the queue screen.
func New(st Store, act store.ActOptions, packs []*domain.RulePack, km *keys.KeyMap, styles *theme.Styles) Model {
	ti := textinput.New()
	ti.Prompt = "Note: "
	tst := ti.Styles()
	tst.Cursor.Blink = false // steady: no timer running while a note is typed
	ti.SetStyles(tst)
	ti.CharLimit = 2000
	return Model{st: st, act: act, packs: packs, keys: km, styles: styles, pending: map[string]bool{}, note: &ti}
}

// SetStore changes the store the queue reads (the root limits it to a
// jurisdiction) and starts again from the head of that queue.
func (m *Model) SetStore(st Store) tea.Cmd {
	m.st = st
	m.buf, m.skipped, m.loaded = nil, nil, false
	m.gen++
	return m.load()
}

// packOf is the rule pack of a case's jurisdiction.
func (m Model) packOf(jurisdiction string) *domain.RulePack {
	for _, p := range m.packs {
		if p.ID == jurisdiction {
			return p
		}
	}
	if len(m.packs) > 0 {
		return m.packs[0]
	}
	return nil
}

// judicialReview reports whether the case is triaged by stage.
func (m Model) judicialReview(c store.CaseRow) bool {
	p := m.packOf(c.Jurisdiction)
	return p != nil && !p.Offers(domain.Standard)
}

// Init loads the first appeals and today's tally.
func (m Model) Init() tea.Cmd { return tea.Batch(m.load(), m.countDone()) }

func (m *Model) load() tea.Cmd {
	m.loading = true
	st, gen := m.st, m.gen
	return func() tea.Msg {
		rows, err := st.Queue(context.Background(), Prefetch)
		return loadedMsg{gen, rows, err}
	}
}

func (m Model) countDone() tea.Cmd {
	st, act := m.st, m.act
	return func() tea.Msg {
		n, _ := st.DoneToday(context.Background(), act)
		return doneMsg{n}
	}
}

// SetSize tells the screen its size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h; m.note.SetWidth(max(w-8, 10)) }

// SetLeft tells the screen how many appeals wait in the whole queue.
func (m *Model) SetLeft(n int) { m.left = n }

// Current is the appeal on screen, if any.
func (m Model) Current() (store.CaseRow, bool) {
	if len(m.buf) == 0 {
		return store.CaseRow{}, false
	}
	return m.buf[0], true
}

// Typing reports whether the note line has the keyboard.
func (m Model) Typing() bool { return m.noting }

// Update handles keys and the results of the queue's commands.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m, cmd := m.update(msg)
	m.reserveCard()
	return m, cmd
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	m.Status, m.Changed = "", false
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading, m.loaded = false, true
		if msg.err != nil {
			m.Status = "Could not read the queue: " + msg.err.Error()
			return m, nil
		}
		m.merge(msg.rows)
		return m, nil
	case doneMsg:
		m.done = msg.n
		return m, nil
	case cardGoneMsg:
		return m.cardGone(msg), nil
	case decidedMsg:
		delete(m.pending, msg.row.Reference)
		if msg.err == nil {
			m.Changed = true
			return m, nil
		}
		m.done--
		m.history = remove(m.history, msg.row.Reference)
		if errors.Is(msg.err, store.ErrAlreadyDecided) {
			m.Status = sanitize.Line(strings.TrimSuffix(msg.err.Error(), ": "+store.ErrAlreadyDecided.Error())) + "; moved on"
			m.Changed = true
			return m, nil
		}
		m.buf = append([]store.CaseRow{msg.row}, m.buf...)
		m.Status = "Not saved: " + sanitize.Line(msg.err.Error())
		return m, nil
	case undoneMsg:
		if msg.err != nil {
			m.history = append(m.history, msg.ref)
			m.Status = "Could not undo: " + sanitize.Line(msg.err.Error())
			return m, nil
		}
		m.done--
		m.buf = append([]store.CaseRow{msg.row.CaseRow}, m.buf...)
		m.Status = msg.ref + ": allocation undone, back in the queue"
		m.Changed = true
		return m, nil
	case recordedMsg:
		if msg.err != nil {
			m.Status = "Not saved: " + sanitize.Line(msg.err.Error())
		} else {
			m.Status = msg.ref + ": " + sanitize.Line(msg.detail)
			m.Changed = true
			st, ref := m.st, msg.ref
			return m, func() tea.Msg {
				c, err := st.Case(context.Background(), ref)
				if err != nil {
					return refreshedMsg{err: err}
				}
				return refreshedMsg{row: c.CaseRow}
			}
		}
		return m, nil
	case refreshedMsg:
		if msg.err == nil && len(m.buf) > 0 && m.buf[0].Reference == msg.row.Reference {
			m.buf[0] = msg.row
		}
		return m, nil
	case notedMsg:
		if msg.err != nil {
			m.Status = "Note not saved: " + sanitize.Line(msg.err.Error())
		} else {
			m.Status = msg.ref + ": note added"
		}
		return m, nil
	case tea.KeyPressMsg:
		if m.noting {
			return m.updateNote(msg)
		}
		return m.updateKey(msg)
	}
	return m, nil
}

func (m Model) updateNote(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.noting, m.recommending = false, false
		m.note.Blur()
		return m, nil
	case "enter":
		m.noting = false
		m.note.Blur()
		text := strings.TrimSpace(m.note.Value())
		cur, ok := m.Current()
		if text == "" || !ok {
			return m, nil
		}
		st, act, ref := m.st, m.act, cur.Reference
		if m.recommending {
			m.recommending = false
			how, why, _ := strings.Cut(text, " ")
			e := domain.Event{Kind: domain.EventRecommended, On: act.On, User: act.User,
				Data: domain.EventData{Reason: strings.ToLower(how), Text: strings.TrimSpace(why)}}
			return m, record(st, ref, e)
		}
		return m, func() tea.Msg {
			_, err := st.AddNote(context.Background(), ref, text, act)
			return notedMsg{ref, err}
		}
	}
	var cmd tea.Cmd
	var in textinput.Model
	in, cmd = m.note.Update(msg)
	*m.note = in
	return m, cmd
}

func (m Model) updateKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	cur, ok := m.Current()
	switch {
	case key.Matches(msg, k.Undo):
		return m.undo()
	case !ok:
		return m, nil
	case key.Matches(msg, k.Accept):
		return m.decide(cur, cur.SuggestedTrack)
	case key.Matches(msg, k.Skip):
		if len(m.buf) > 1 {
			m.buf = append(m.buf[1:], cur)
			m.skipped = append(remove(m.skipped, cur.Reference), cur.Reference)
			m.Status = cur.Reference + " skipped for now"
		}
		return m, nil
	case key.Matches(msg, k.Note):
		m.noting = true
		m.note.Reset()
		m.note.Prompt = "Note: "
		return m, m.note.Focus()
	case m.judicialReview(cur):
		return m.updateJR(msg, cur)
	case key.Matches(msg, k.Paper):
		return m.decide(cur, domain.Paper)
	case key.Matches(msg, k.Basic):
		return m.decide(cur, domain.Basic)
	case key.Matches(msg, k.Standard):
		return m.decide(cur, domain.Standard)
	case key.Matches(msg, k.Complex):
		return m.decide(cur, domain.Complex)
	}
	return m, nil
}

// updateJR handles the keys of a judicial review: the stage decides and
// advances; urgent, ministerial and media interest flags and the
// settle-or-defend recommendation are recorded and the case stays on screen
// for its stage.
func (m Model) updateJR(msg tea.KeyPressMsg, cur store.CaseRow) (Model, tea.Cmd) {
	k := m.keys
	flag := func(f string) (Model, tea.Cmd) {
		e := domain.Event{Kind: domain.EventFlagSet, On: m.act.On, User: m.act.User, Data: domain.EventData{Flag: f}}
		if contains(cur.Flags, f) {
			e.Kind = domain.EventFlagCleared
		}
		return m, record(m.st, cur.Reference, e)
	}
	switch {
	case key.Matches(msg, k.PreAction):
		return m.decide(cur, domain.PreAction)
	case key.Matches(msg, k.ClaimIssued):
		return m.decide(cur, domain.ClaimIssued)
	case key.Matches(msg, k.Urgent):
		return flag("urgent")
	case key.Matches(msg, k.Ministerial):
		return flag("ministerial")
	case key.Matches(msg, k.Media):
		return flag("media")
	case key.Matches(msg, k.Recommend):
		m.noting, m.recommending = true, true
		m.note.Reset()
		m.note.Prompt = "settle or defend, and why: "
		return m, m.note.Focus()
	case key.Matches(msg, k.Paper), key.Matches(msg, k.Basic), key.Matches(msg, k.Standard), key.Matches(msg, k.Complex):
		m.Status = cur.Reference + " is a judicial review: choose its stage (p pre-action, i claim issued)"
	}
	return m, nil
}

type refreshedMsg struct {
	row store.CaseRow
	err error
}

// record saves a casework event on the case in a command.
func record(st Store, ref string, e domain.Event) tea.Cmd {
	return func() tea.Msg {
		rec, err := st.Record(context.Background(), ref, e)
		return recordedMsg{ref, rec.Detail, err}
	}
}

// decide takes the appeal off the screen at once and records the
// allocation in a command; a failure puts it back with a message.
func (m Model) decide(cur store.CaseRow, track domain.Track) (Model, tea.Cmd) {
	m.buf = m.buf[1:]
	m.pending[cur.Reference] = true
	m.history = append(m.history, cur.Reference)
	m.done++
	m.left = max(m.left-1, 0)
	how := "accepted"
	if track != cur.SuggestedTrack {
		how = "chosen over " + cur.SuggestedTrack.Label()
	}
	m.Status = fmt.Sprintf("%s: %s (%s) · u undoes", cur.Reference, track.Label(), how)
	st, opt := m.st, store.CategoriseOptions{ActOptions: m.act, ExpectNew: true}
	cmds := []tea.Cmd{func() tea.Msg {
		_, err := st.Categorise(context.Background(), cur.Reference, track, opt)
		return decidedMsg{cur, track, err}
	}}
	if len(m.buf) < Refill && !m.loading {
		cmds = append(cmds, m.load())
	}
	return m, tea.Batch(cmds...)
}

func (m Model) undo() (Model, tea.Cmd) {
	if len(m.history) == 0 {
		m.Status = "Nothing to undo in this session"
		return m, nil
	}
	ref := m.history[len(m.history)-1]
	if m.pending[ref] {
		m.Status = "Still saving " + ref + "; try again"
		return m, nil
	}
	m.history = m.history[:len(m.history)-1]
	st, act := m.st, m.act
	return m, func() tea.Msg {
		if _, err := st.UndoAllocation(context.Background(), ref, act); err != nil {
			return undoneMsg{ref: ref, err: err}
		}
		c, err := st.Case(context.Background(), ref)
		return undoneMsg{ref, c, err}
	}
}

// merge adds fetched appeals not already held, decided or pending, in
// queue order, with this session's skipped ones at the back.
func (m *Model) merge(rows []store.CaseRow) {
	held := map[string]bool{}
	for _, r := range m.buf {
		held[r.Reference] = true
	}
	var front, back []store.CaseRow
	for _, r := range rows {
		// Decided this session (and not undone), or still being saved: a
		// page read before the allocation committed must not bring it back.
		if held[r.Reference] || m.pending[r.Reference] || contains(m.history, r.Reference) {
			continue
		}
		if contains(m.skipped, r.Reference) {
			back = append(back, r)
		} else {
			front = append(front, r)
		}
	}
	// Keep skipped ones already held at the back too.
	var keep, keepBack []store.CaseRow
	for _, r := range m.buf {
		if contains(m.skipped, r.Reference) {
			keepBack = append(keepBack, r)
		} else {
			keep = append(keep, r)
		}
	}
	m.buf = append(append(append(keep, front...), keepBack...), back...)
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func remove(xs []string, s string) []string {
	out := xs[:0:0]
	for _, x := range xs {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// View draws the appeal in focus, fitted to the screen.
func (m Model) View() string {
	w := max(m.width, 20)
	st := m.styles
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	cur, ok := m.Current()
	switch {
	case !ok && (m.loading || !m.loaded):
		add(st.Muted.Render("Loading the queue…"))
	case !ok && m.reserver != nil && m.left > 0:
		// On a team server the rest may be on other caseworkers' cards.
		add(st.Title.Render(sanitize.Fit(fmt.Sprintf("No appeal for you just now: the %d waiting are on other caseworkers' cards or theirs.", m.left), w)))
	case !ok:
		add(st.Title.Render("The queue is empty: every appeal is categorised."))
		add("")
		add(st.Muted.Render(fmt.Sprintf("Done today: %d.  u undoes your last decision.", m.done)))
	default:
		labelW := 15
		if w < 70 {
			labelW = 11
		}
		row := func(label, value string) {
			add(st.Label.Render(sanitize.Pad(label, labelW)) + " " + sanitize.Fit(value, w-labelW-1))
		}
		wrapped := func(label, value string, maxLines int, style func(string) string) {
			text := sanitize.Line(value)
			parts := strings.Split(ansi.Wordwrap(text, w-labelW-1, " "), "\n")
			if len(parts) > maxLines {
				parts = parts[:maxLines]
				parts[maxLines-1] = sanitize.Fit(parts[maxLines-1]+" …", w-labelW-1)
			}
			for i, p := range parts {
				l := ""
				if i == 0 {
					l = label
				}
				add(st.Label.Render(sanitize.Pad(l, labelW)) + " " + style(sanitize.Fit(p, w-labelW-1)))
			}
		}
		plain := func(s string) string { return s }
		add(st.Title.Render(sanitize.Fit(cur.Reference+"  "+cur.Appellant, w)))
		jr := m.judicialReview(cur)
		if jr {
			row("Jurisdiction", m.packOf(cur.Jurisdiction).Name)
			row("Defendant", orNone(cur.Respondent))
			if len(cur.Flags) > 0 {
				row("Flags", strings.Join(cur.Flags, ", "))
			}
		}
		if cur.Representative != "" {
			row("Representative", cur.Representative)
		}
		row("Subject", cur.Subject.Label())
		amount := "not given"
		if cur.AmountPence != nil {
			amount = domain.FormatPence(*cur.AmountPence)
		}
		if !jr {
			row("Amount", amount)
		}
		decision := "Decision"
		if jr {
			decision = "Grounds arose"
		}
		row(decision, orNone(cur.DecisionDate.Long()))
		row("Received", cur.Received.Long())
		if cur.Late {
			rule := "r20(4)"
			if p := m.packOf(cur.Jurisdiction); p != nil {
				rule = p.AppealLimit.PermissionRule
			}
			add(st.Label.Render(sanitize.Pad("Lateness", labelW)) + " " + st.Late.Render(sanitize.Fit(
				fmt.Sprintf("! LATE by %d days: needs permission (%s)", cur.DaysLate, rule), w-labelW-1)))
			if cur.LateReason != "" {
				wrapped("Reason given", cur.LateReason, 2, plain)
			}
		} else {
			row("Lateness", "in time")
		}
		grounds := cur.Grounds
		if grounds == "" {
			grounds = "(none given: the notice may be incomplete, r20)"
		}
		room := max(m.height-len(lines)-5, 1)
		wrapped("Grounds", grounds, min(room, 6), plain)
		sug := "► " + cur.SuggestedTrack.Label() + ": " + cur.SuggestionReason
		wrapped("Suggested", sug, 3, func(s string) string { return st.Suggest.Render(s) })
	}
	add("")
	help := "enter/a accept · p paper · b basic · s standard · c complex · u undo · n note · space skip"
	if w < 92 {
		help = "a accept · p/b/s/c track · u undo · n note · space skip"
	}
	if cur, ok := m.Current(); ok && m.judicialReview(cur) {
		help = "a accept · p pre-action · i claim issued · ! urgent · m ministerial · M media · D settle/defend · u undo"
		if w < 100 {
			help = "a accept · p/i stage · ! urgent · m/M interest · D settle/defend · u undo"
		}
	}
	if m.noting {
		add(sanitize.Cut(m.note.View(), w))
	} else {
		add(st.Help.Render(sanitize.Fit(help, w)))
	}
	left := max(m.left, len(m.buf))
	add(st.Muted.Render(sanitize.Fit(fmt.Sprintf("Done today %d · %d left", m.done, left), w)))
	return strings.Join(lines, "\n")
}

func orNone(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}
