// Package queue is the categorisation queue: one appeal at a time, a single
// key to decide, and the next appeal on screen at once (act, then advance).
package queue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what the queue needs of the database.
type Store interface {
	QueueAfter(ctx context.Context, received domain.Date, ref string, limit int) ([]store.CaseRow, error)
	Categorise(ctx context.Context, ref string, track domain.Track, opt store.CategoriseOptions) (domain.Event, error)
	UndoAllocation(ctx context.Context, ref string, opt store.ActOptions) (domain.Event, error)
	AddNote(ctx context.Context, ref, text string, opt store.ActOptions) (domain.Event, error)
	Case(ctx context.Context, ref string) (*store.Case, error)
	DoneToday(ctx context.Context, opt store.ActOptions) (int, error)
	Record(ctx context.Context, ref string, e domain.Event) (domain.Event, error)
	SupportNeeds(ctx context.Context, ref string) ([]domain.SupportNeed, error)
	// A skip is kept per caseworker per day (preview.go).
	SkipInQueue(ctx context.Context, ref string, opt store.ActOptions) error
	QueueSkipped(ctx context.Context, user string, day domain.Date) ([]string, error)
}

// Prefetch is how many appeals are held ready, so advancing never waits
// on the database; Refill is when more are fetched.
const (
	Prefetch = 60
	Refill   = 15
)

// KeyMap is the queue's keys: a track each, or for a judicial review its
// stage and priority flags.
type KeyMap struct {
	d  screen.Deps
	jr bool
}

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.d.Keys
	if m.jr {
		return []key.Binding{k.Accept, k.PreAction, k.ClaimIssued, k.Urgent, k.Ministerial, k.Media, k.Recommend, k.Undo, k.Note, k.Skip, k.CaseInFull}
	}
	return []key.Binding{k.Accept, k.Paper, k.Basic, k.Standard, k.Complex, k.Undo, k.Note, k.Skip, k.CaseInFull}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.d.Keys
	return [][]key.Binding{
		{k.Accept, k.Paper, k.Basic, k.Standard, k.Complex, k.Undo, k.Note, k.Skip, k.CaseInFull},
		{k.PreAction, k.ClaimIssued, k.Urgent, k.Ministerial, k.Media, k.Recommend},
	}
}

// Model is the queue screen.
type Model struct {
	d       screen.Deps
	st      Store
	buf     []store.CaseRow // waiting; buf[0] is on screen
	skipped []string        // skipped this session: they go to the back
	pending map[string]bool // decided, not yet confirmed by the database
	history []string        // decided this session, newest last: what u undoes
	done    int             // allocations by this user today
	left    int             // waiting in the whole queue (from the header counts)
	loading bool
	loaded  bool
	// read is the last appeal read in queue order: the next page starts
	// after it, so every appeal in the queue comes round, not only the
	// first page's. end: the last page has been read.
	read store.CaseRow
	end  bool
	gen  int // bumps when the store changes: pages from the old one are dropped
	// undoWhenSaved is a decision the caseworker undid before the database
	// confirmed it: the undo follows the confirmation.
	undoWhenSaved string
	// needs are the support needs of the appeals fetched, by reference,
	// read with them so the card never waits on the database.
	needs  map[string][]domain.SupportNeed
	width  int
	height int
	// reserver keeps the card's appeal this session's alone (team server);
	// holds are the appeals the database holds for the session until
	// until, card first, renewed at a key press after renewAt; reserving:
	// a request is out (live.go).
	reserver  Reserver
	holds     []string
	until     time.Time
	renewAt   time.Time
	reserving bool
}

// Messages: results of the queue's commands.
type (
	loadedMsg struct {
		gen   int
		rows  []store.CaseRow
		needs map[string][]domain.SupportNeed
		err   error
		// skipped: read with the first page, the appeals this user skipped
		// today (their order survives a restart); nil on later pages.
		skipped []string
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
	doneMsg     struct{ n int }
	recordedMsg struct {
		ref    string
		detail string
		err    error
	}
)

// New makes the queue screen.
func New(d screen.Deps, st Store) Model {
	return Model{d: d, st: st, pending: map[string]bool{}}
}

// Keys is the key map for the appeal on screen.
func (m Model) Keys() KeyMap {
	cur, ok := m.Current()
	return KeyMap{m.d, ok && m.judicialReview(cur)}
}

// Selected is the appeal on screen.
func (m Model) Selected() (string, int64) {
	cur, _ := m.Current()
	return cur.Reference, 0
}

// SetStore changes the store the queue reads (the root limits it to a
// jurisdiction) and starts again from the head of that queue.
func (m *Model) SetStore(st Store) tea.Cmd {
	m.st = st
	m.buf, m.skipped, m.loaded = nil, nil, false
	m.read, m.end = store.CaseRow{}, false
	m.gen++
	return m.load()
}

// judicialReview reports whether the case is triaged by stage.
func (m Model) judicialReview(c store.CaseRow) bool {
	return m.d.Pack(c.Jurisdiction).JudicialReview()
}

// Init loads the first appeals and today's tally.
func (m Model) Init() tea.Cmd { return tea.Batch(m.load(), m.countDone()) }

func (m *Model) load() tea.Cmd {
	m.loading = true
	st, gen, after, act := m.st, m.gen, m.read, m.d.Act
	return m.d.Requests.Go(screen.Queue, func(ctx context.Context) tea.Msg {
		var skipped []string
		if after.Reference == "" {
			var err error
			if skipped, err = st.QueueSkipped(ctx, act.User, act.On); err != nil {
				return loadedMsg{gen: gen, err: err}
			}
			skipped = append([]string{}, skipped...) // not nil: the list was read
		}
		rows, err := st.QueueAfter(ctx, after.Received, after.Reference, Prefetch)
		needs := map[string][]domain.SupportNeed{}
		for _, r := range rows {
			if err != nil {
				break
			}
			var ns []domain.SupportNeed
			if ns, err = st.SupportNeeds(ctx, r.Reference); len(ns) > 0 {
				needs[r.Reference] = ns
			}
		}
		return loadedMsg{gen, rows, needs, err, skipped}
	})
}

// unskipped counts the appeals held that have not been skipped: when few
// are left the next page is read, before the skipped ones come round.
func (m Model) unskipped() int {
	n := 0
	for _, r := range m.buf {
		if !slices.Contains(m.skipped, r.Reference) {
			n++
		}
	}
	return n
}

// more reads the next page if the appeals not yet skipped run low.
func (m *Model) more() tea.Cmd {
	if m.end || m.loading || m.unskipped() >= Refill {
		return nil
	}
	return m.load()
}

func (m Model) countDone() tea.Cmd {
	st, act := m.st, m.d.Act
	return m.d.Requests.Go(screen.Queue, func(ctx context.Context) tea.Msg {
		n, _ := st.DoneToday(ctx, act)
		return doneMsg{n}
	})
}

// SetSize tells the screen its size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// SetLeft tells the screen how many appeals wait in the whole queue.
func (m *Model) SetLeft(n int) { m.left = n }

// Current is the appeal on screen, if any.
func (m Model) Current() (store.CaseRow, bool) {
	if len(m.buf) == 0 || !m.held(m.buf[0].Reference) {
		return store.CaseRow{}, false
	}
	return m.buf[0], true
}

// Update handles keys and the results of the queue's commands.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	_, pressed := msg.(tea.KeyPressMsg)
	if pressed {
		m.lapsed()
	}
	m, cmd := m.update(msg)
	return m, tea.Batch(cmd, m.reserveCard(pressed))
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading, m.loaded = false, true
		if msg.err != nil {
			return m, screen.StatusCmd("Could not read the queue: " + sanitize.Line(msg.err.Error()))
		}
		if n := len(msg.rows); n > 0 {
			m.read = msg.rows[n-1]
		}
		m.end = len(msg.rows) < Prefetch
		if msg.skipped != nil {
			// Skipped earlier today (this session's skips since come after).
			for _, ref := range slices.Backward(msg.skipped) {
				if !slices.Contains(m.skipped, ref) {
					m.skipped = append([]string{ref}, m.skipped...)
				}
			}
		}
		m.merge(msg.rows)
		m.needs = msg.needs
		return m, m.more()
	case doneMsg:
		m.done = msg.n
		return m, nil
	case cardGoneMsg:
		return m.cardGone(msg)
	case reservedMsg:
		return m.reserved(msg)
	case decidedMsg:
		delete(m.pending, msg.row.Reference)
		undo := m.undoWhenSaved == msg.row.Reference
		if undo {
			m.undoWhenSaved = ""
		}
		if msg.err == nil {
			if undo {
				var cmd tea.Cmd
				m, cmd = m.undo()
				return m, tea.Batch(screen.Send(screen.Changed{}), cmd)
			}
			return m, screen.Send(screen.Changed{})
		}
		m.done--
		m.history = remove(m.history, msg.row.Reference)
		if errors.Is(msg.err, store.ErrAlreadyDecided) {
			return m, tea.Batch(screen.Send(screen.Changed{}),
				screen.StatusCmd(sanitize.Line(strings.TrimSuffix(msg.err.Error(), ": "+store.ErrAlreadyDecided.Error()))+"; moved on"))
		}
		m.buf = append([]store.CaseRow{msg.row}, m.buf...)
		// A refusal names the case already: say it once.
		why := strings.TrimPrefix(msg.err.Error(), msg.row.Reference+": ")
		return m, screen.StatusCmd(msg.row.Reference + ": not saved: " + sanitize.Line(why))
	case undoneMsg:
		if msg.err != nil {
			m.history = append(m.history, msg.ref)
			return m, screen.StatusCmd(msg.ref + ": could not undo: " + sanitize.Line(msg.err.Error()))
		}
		m.done--
		m.buf = append([]store.CaseRow{msg.row.CaseRow}, m.buf...)
		return m, tea.Batch(screen.Send(screen.Changed{}), screen.StatusCmd(msg.ref+": allocation undone, back in the queue"))
	case skipSavedMsg:
		if msg.err != nil {
			return m, screen.StatusCmd(msg.ref + ": the skip was not kept: " + sanitize.Line(msg.err.Error()))
		}
		return m, nil
	case recordedMsg:
		if msg.err != nil {
			return m, screen.StatusCmd(msg.ref + ": not saved: " + sanitize.Line(msg.err.Error()))
		}
		st, ref := m.st, msg.ref
		return m, tea.Batch(screen.Send(screen.Changed{}), screen.StatusCmd(msg.ref+": "+sanitize.Line(msg.detail)),
			m.d.Requests.Go(screen.Queue, func(ctx context.Context) tea.Msg {
				c, err := st.Case(ctx, ref)
				if err != nil {
					return refreshedMsg{err: err}
				}
				return refreshedMsg{row: c.CaseRow}
			}))
	case refreshedMsg:
		if msg.err == nil && len(m.buf) > 0 && m.buf[0].Reference == msg.row.Reference {
			m.buf[0] = msg.row
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	}
	return m, nil
}

func (m Model) updateKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.d.Keys
	cur, ok := m.Current()
	switch {
	case key.Matches(msg, k.Undo):
		return m.undo()
	case !ok:
		if key.Matches(msg, k.Accept, k.Paper, k.Basic, k.Standard, k.Complex, k.Skip, k.Note, k.CaseInFull) {
			if m.reserving || len(m.buf) > 0 {
				return m, screen.StatusCmd("Reserving an appeal for your card: a moment")
			}
			return m, screen.StatusCmd("The queue is empty: nothing to decide")
		}
		return m, nil
	case key.Matches(msg, k.Accept):
		return m.decide(cur, cur.SuggestedTrack)
	case key.Matches(msg, k.Skip):
		if len(m.buf) > 1 || !m.end {
			// To the end of the order: after every appeal not yet skipped,
			// those still unread included, and after the earlier skipped.
			m.buf = append(m.buf[1:], cur)
			m.skipped = append(remove(m.skipped, cur.Reference), cur.Reference)
			return m, tea.Batch(screen.StatusCmd(cur.Reference+" skipped for now: it comes round after the rest"), m.more(), m.saveSkip(cur.Reference))
		}
		return m, screen.StatusCmd(cur.Reference + " is the only appeal waiting")
	case key.Matches(msg, k.CaseInFull):
		// The whole case (reference, notes, mail) before deciding; esc
		// closes it on the same card.
		return m, screen.Send(screen.OpenCase{Ref: cur.Reference})
	case key.Matches(msg, k.Note):
		st, act, ref := m.st, m.d.Act, cur.Reference
		return m, screen.Send(screen.Ask{Label: "Note on " + ref + ": ", Submit: func(v string) tea.Cmd {
			v = strings.TrimSpace(v)
			if v == "" {
				return screen.StatusCmd("The note was empty: nothing added to " + ref)
			}
			return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
				_, err := st.AddNote(ctx, ref, v, act)
				return screen.Acted{What: ref + ": note added", Err: err}
			})
		}})
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
	k := m.d.Keys
	flag := func(f string) (Model, tea.Cmd) {
		e := domain.Event{Kind: domain.EventFlagSet, On: m.d.Act.On, User: m.d.Act.User, Data: domain.EventData{Flag: f}}
		if slices.Contains(cur.Flags, f) {
			e.Kind = domain.EventFlagCleared
		}
		return m, m.record(cur.Reference, e)
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
		ref := cur.Reference
		return m, screen.Send(screen.Ask{Label: ref + ": settle or defend, and why: ", Submit: func(v string) tea.Cmd {
			how, why, _ := strings.Cut(strings.TrimSpace(v), " ")
			if how == "" {
				return screen.StatusCmd("No recommendation: nothing recorded on " + ref)
			}
			return m.record(ref, domain.Event{Kind: domain.EventRecommended, On: m.d.Act.On, User: m.d.Act.User,
				Data: domain.EventData{Reason: strings.ToLower(how), Text: strings.TrimSpace(why)}})
		}})
	case key.Matches(msg, k.Paper), key.Matches(msg, k.Basic), key.Matches(msg, k.Standard), key.Matches(msg, k.Complex):
		return m, screen.StatusCmd(fmt.Sprintf("%s is a judicial review: choose its stage (%s %s, %s %s)", cur.Reference,
			k.PreAction.Help().Key, domain.PreAction.Label(), k.ClaimIssued.Help().Key, domain.ClaimIssued.Label()))
	}
	return m, nil
}

type refreshedMsg struct {
	row store.CaseRow
	err error
}

// record saves a casework event on the case in a command.
func (m Model) record(ref string, e domain.Event) tea.Cmd {
	st := m.st
	return m.d.Requests.Go(screen.Queue, func(ctx context.Context) tea.Msg {
		rec, err := st.Record(ctx, ref, e)
		return recordedMsg{ref, rec.Detail, err}
	})
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
	st, opt := m.st, store.CategoriseOptions{ActOptions: m.d.Act, ExpectNew: true}
	// In sequence, not in a batch: a refusal (a read-only user, say) comes
	// back from the store at once, and in a batch the optimistic line could
	// reach the status bar after it and hide it.
	save := tea.Sequence(screen.StatusCmd(fmt.Sprintf("%s: %s (%s) · %s undoes", cur.Reference, track.Label(), how, m.d.Keys.Undo.Help().Key)),
		m.d.Requests.Go(screen.Queue, func(ctx context.Context) tea.Msg {
			_, err := st.Categorise(ctx, cur.Reference, track, opt)
			return decidedMsg{cur, track, err}
		}))
	return m, tea.Batch(save, m.more())
}

func (m Model) undo() (Model, tea.Cmd) {
	if len(m.history) == 0 {
		return m, screen.StatusCmd("Nothing to undo in this session")
	}
	ref := m.history[len(m.history)-1]
	if m.pending[ref] {
		m.undoWhenSaved = ref
		return m, screen.StatusCmd("Undoing " + ref + " as soon as it is saved")
	}
	m.history = m.history[:len(m.history)-1]
	st, act := m.st, m.d.Act
	return m, m.d.Requests.Go(screen.Queue, func(ctx context.Context) tea.Msg {
		if _, err := st.UndoAllocation(ctx, ref, act); err != nil {
			return undoneMsg{ref: ref, err: err}
		}
		c, err := st.Case(ctx, ref)
		return undoneMsg{ref, c, err}
	})
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
		if held[r.Reference] || m.pending[r.Reference] || slices.Contains(m.history, r.Reference) {
			continue
		}
		if slices.Contains(m.skipped, r.Reference) {
			back = append(back, r)
		} else {
			front = append(front, r)
		}
	}
	// Keep skipped ones already held at the back too.
	var keep, keepBack []store.CaseRow
	for _, r := range m.buf {
		if slices.Contains(m.skipped, r.Reference) {
			keepBack = append(keepBack, r)
		} else {
			keep = append(keep, r)
		}
	}
	// The skipped come round in the order they were skipped (read back
	// after a restart, they may arrive in queue order).
	tail := append(keepBack, back...)
	slices.SortStableFunc(tail, func(a, b store.CaseRow) int {
		return slices.Index(m.skipped, a.Reference) - slices.Index(m.skipped, b.Reference)
	})
	m.buf = append(append(keep, front...), tail...)
}

func remove(xs []string, s string) []string {
	return slices.DeleteFunc(slices.Clone(xs), func(x string) bool { return x == s })
}

// card draws the appeal in focus, fitted to w.
func (m Model) card(w int) []string {
	st := m.d.Styles
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	cur, ok := m.Current()
	switch {
	case !ok && (m.loading || !m.loaded):
		add(st.Muted.Render("Loading the queue…"))
	case !ok && (m.reserving || len(m.buf) > 0):
		add(st.Muted.Render("Reserving the next appeal for your card…"))
	case !ok && m.reserver != nil && m.left > 0:
		// On a team server the rest may be on other caseworkers' cards.
		add(st.Title.Render(sanitize.Fit(fmt.Sprintf("No appeal for you just now: the %d waiting are on other caseworkers' cards or theirs.", m.left), w)))
	case !ok && m.defendantSide():
		add(st.Title.Render(sanitize.Fit("Nothing to triage: no letters before claim or claims served are waiting.", w)))
		add("")
		add(st.Muted.Render(sanitize.Fit(fmt.Sprintf("Done today: %d.  %s undoes your last decision.", m.done, m.d.Keys.Undo.Help().Key), w)))
	case !ok:
		add(st.Title.Render("The queue is empty: every appeal is categorised."))
		add("")
		add(st.Muted.Render(sanitize.Fit(fmt.Sprintf("Done today: %d.  %s undoes your last decision.", m.done, m.d.Keys.Undo.Help().Key), w)))
	default:
		labelW := 15
		if w < 70 {
			labelW = 14 // "Representative" whole: a cut label reads as a typing error
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
		pack := m.d.Pack(cur.Jurisdiction)
		jr := pack.JudicialReview()
		if jr {
			row("Jurisdiction", pack.Name)
			row(pack.Words().Respondent, orNone(cur.Respondent))
			if len(cur.Flags) > 0 {
				row("Flags", strings.Join(cur.Flags, ", "))
			}
		}
		if cur.Representative != "" {
			row("Representative", cur.Representative)
		}
		for i, n := range Current(m.needs[cur.Reference]) {
			label := ""
			if i == 0 {
				label = "Support"
			}
			row(label, n.Describe())
		}
		row("Subject", cur.Subject.Label())
		amount := "not given"
		if cur.AmountPence != nil {
			amount = domain.FormatPence(*cur.AmountPence)
		}
		if !jr {
			row("Amount", amount)
		}
		row(pack.Words().Decision, orNone(cur.DecisionDate.Long()))
		row("Received", cur.Received.Long())
		if cur.Late {
			rule := pack.AppealLimit.PermissionRule
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
	left := max(m.left, len(m.buf))
	tail := fmt.Sprintf("Done today %d · %d left", m.done, left)
	if cur, ok := m.Current(); ok && m.d.Pack(cur.Jurisdiction).Side == domain.SideDefendant || !ok && m.defendantSide() {
		tail += " · " + domain.QueueTitle(domain.SideDefendant)
	}
	add(st.Muted.Render(sanitize.Fit(tail, w)))
	return lines
}

// defendantSide: the queue shown is a pack held from the defendant's side
// (issue 19), so its new work is letters before claim and claims served.
func (m Model) defendantSide() bool {
	s, ok := m.st.(interface{ Jurisdiction() string })
	return ok && m.d.Pack(s.Jurisdiction()).Side == domain.SideDefendant
}

// Current are the support needs requested or in force: the ones a
// caseworker must act on (inactive and refused ones stay on the case).
func Current(needs []domain.SupportNeed) []domain.SupportNeed {
	var out []domain.SupportNeed
	for _, n := range needs {
		if n.Status == domain.SupportRequested || n.Status == domain.SupportActive {
			out = append(out, n)
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}
