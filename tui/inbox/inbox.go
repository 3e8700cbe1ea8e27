// Package inbox is the Inbox screen: what needs action today, most urgent
// first, with the selected item's urgency part by part; snooze, done, and
// the mail waiting for a reply.
package inbox

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/marks"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/pane"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what the inbox needs of the database.
type Store interface {
	Inbox(ctx context.Context, today domain.Date, limit int) ([]store.InboxItem, error)
	// InboxOf is one kind's view (store.InboxKinds); InboxCounts counts
	// every view from the indexes.
	InboxOf(ctx context.Context, today domain.Date, kind string, limit int) ([]store.InboxItem, error)
	InboxCounts(ctx context.Context, today domain.Date) (store.InboxCounts, error)
	Snooze(ctx context.Context, it store.InboxItem, until domain.Date, why string, opt store.ActOptions) error
	SnoozedItems(ctx context.Context, today domain.Date, limit int) ([]store.Snoozed, error)
	Unsnooze(ctx context.Context, key string, opt store.ActOptions) (store.Snoozed, error)
	MeetDeadline(ctx context.Context, ref, deadlineKind string, on domain.Date, opt store.ActOptions) (domain.Event, error)
	Resolve(ctx context.Context, it store.InboxItem, e domain.Event, until domain.Date, why string, opt store.ActOptions) (domain.Event, error)
	Dismiss(ctx context.Context, key string, opt store.ActOptions) error
	MailReplied(ctx context.Context, id int64, summary string, opt store.ActOptions) error
	MailDone(ctx context.Context, id int64, opt store.ActOptions) error
	marks.Store
}

// Limit is how many items the inbox shows: the most urgent. A view of
// one kind holds up to KindLimit, so a kind the whole inbox buries (old
// cases) can be worked through; past that its count says how many more.
const (
	Limit     = 200
	KindLimit = 1000
)

// KeyMap is the inbox's keys; a message selected has its own.
type KeyMap struct {
	d       screen.Deps
	mail    bool
	snoozed bool
}

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.d.Keys
	if m.snoozed {
		return []key.Binding{pagedlist.Move(k.Down, k.Up, "move"), bringBack(k.Undo), k.Open, backToInbox(k.Snoozed)}
	}
	if m.mail {
		return []key.Binding{k.Open, k.Link, k.Replied, k.Done, k.Snooze}
	}
	// Z is in the full help and named when something is snoozed: the
	// footer keeps room for ? help and q quit at 80 columns.
	return []key.Binding{pagedlist.Move(k.Down, k.Up, "move"), k.Open, k.Snooze, k.Done, kindKey(k.InboxKind)}
}

func kindKey(b key.Binding) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, "kind"))
}

func bringBack(b key.Binding) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, "undo snooze"))
}

func backToInbox(b key.Binding) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, "back to the inbox"))
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.d.Keys
	return [][]key.Binding{{k.Open, k.Snooze, k.Done, k.Snoozed, bringBack(k.Undo), k.InboxKind}, {k.Link, k.Replied}}
}

// Model is the inbox.
type Model struct {
	d    screen.Deps
	st   Store
	list pagedlist.Model[store.InboxItem]
	// snoozed: the snoozed view is shown instead of the inbox.
	snoozed     bool
	snoozedList pagedlist.Model[store.Snoozed]
	// kind is the view by kind shown ("" all, store.InboxKinds); counts
	// are every view's, counted by the store (loaded: they have come).
	kind         string
	counts       store.InboxCounts
	countsLoaded bool
	countsSeq    int
	w, h         int
	// marks are the items marked for bulk work (space), by item key.
	marks marks.Set
}

// countsMsg is the store's count of the inbox's views.
type countsMsg struct {
	seq    int
	counts store.InboxCounts
	err    error
}

// Kind is the view by kind shown ("" for the whole inbox).
func (m Model) Kind() string { return m.kind }

// Counts are the views' counts as last read.
func (m Model) Counts() store.InboxCounts { return m.counts }

// New is the inbox, empty until Load.
func New(d screen.Deps, st Store) Model {
	return Model{d: d, st: st, list: pagedlist.New[store.InboxItem](d.Keys, 0), snoozedList: pagedlist.New[store.Snoozed](d.Keys, 0)}
}

// Keys is the key map for the selected item.
func (m Model) Keys() KeyMap {
	it, ok := m.list.Current()
	return KeyMap{m.d, ok && it.Kind == "mail" && !m.snoozed, m.snoozed}
}

// InSnoozed reports whether the snoozed view is shown (esc goes back).
func (m Model) InSnoozed() bool { return m.snoozed }

// SnoozedLimit is how many snoozed items the view lists, soonest back first.
const SnoozedLimit = 500

// SetStore changes the store (limited to a jurisdiction) and starts again.
func (m *Model) SetStore(st Store) tea.Cmd {
	m.st = st
	m.list.Reset()
	return m.Load()
}

// Load reads the inbox again, keeping the cursor where it can.
func (m *Model) Load() tea.Cmd {
	st, today := m.st, m.d.Today
	if m.snoozed {
		return m.snoozedList.Refetch(m.d.Requests, screen.Inbox, func(ctx context.Context, _, _ int) ([]store.Snoozed, error) {
			return st.SnoozedItems(ctx, today, SnoozedLimit)
		})
	}
	kind := m.kind
	m.countsSeq++
	seq := m.countsSeq
	return tea.Batch(m.list.Refetch(m.d.Requests, screen.Inbox, func(ctx context.Context, _, _ int) ([]store.InboxItem, error) {
		if kind == "" {
			return st.Inbox(ctx, today, Limit)
		}
		return st.InboxOf(ctx, today, kind, KindLimit)
	}), m.d.Requests.Go(screen.Inbox, func(ctx context.Context) tea.Msg {
		c, err := st.InboxCounts(ctx, today)
		return countsMsg{seq, c, err}
	}))
}

// SetSize fits the screen.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.list.SetHeight(h - 3) // the views and position, the urgency, the column headers
	m.snoozedList.SetHeight(h - 1)
}

// Rows are the items held.
func (m Model) Rows() []store.InboxItem { return m.list.Rows() }

// Selected is the case (or message) of the selected item.
func (m Model) Selected() (ref string, mailID int64) {
	if m.snoozed {
		sn, _ := m.snoozedList.Current()
		return sn.Reference, 0
	}
	it, ok := m.list.Current()
	if !ok {
		return "", 0
	}
	if it.Kind == "mail" {
		return it.Reference, it.MailID
	}
	return it.Reference, 0
}

// Urgency is a case's place in the inbox, part by part ("" if not there).
func (m Model) Urgency(ref string) string {
	for _, it := range m.list.Rows() {
		if it.Reference == ref && it.Kind != "mail" {
			return fmt.Sprintf("%.0f = %s (%s)", it.Urgency, parts(it), it.Reason)
		}
	}
	return ""
}

func parts(it store.InboxItem) string {
	var ps []string
	for _, p := range it.Parts {
		ps = append(ps, fmt.Sprintf("%s %+.0f", p.Name, p.Points))
	}
	return strings.Join(ps, ", ")
}

// Update takes the inbox's results and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case pagedlist.PageMsg[store.InboxItem]:
		// The selection stays on the item it was on, wherever a change of
		// urgency has moved it.
		was, had := m.list.Current()
		cmd := m.list.Take(msg, "the inbox")
		if had {
			m.list.Select(func(it store.InboxItem) bool { return it.Key == was.Key })
		}
		return m, cmd
	case pagedlist.PageMsg[store.Snoozed]:
		return m, m.snoozedList.Take(msg, "the snoozed items")
	case countsMsg:
		if msg.seq != m.countsSeq {
			return m, nil
		}
		if msg.err != nil {
			return m, screen.StatusCmd("Could not count the inbox: " + sanitize.Line(msg.err.Error()))
		}
		m.counts, m.countsLoaded = msg.counts, true
		return m, nil
	case tea.KeyPressMsg:
		if m.snoozed {
			return m.updateSnoozedKey(msg)
		}
		if key.Matches(msg, m.d.Keys.Snoozed) {
			m.snoozed = true
			m.snoozedList.Reset()
			return m, m.Load()
		}
		if key.Matches(msg, m.d.Keys.InboxKind) {
			i := slices.Index(store.InboxKinds, m.kind)
			m.kind = store.InboxKinds[(i+1)%len(store.InboxKinds)]
			m.list.Reset()
			return m, m.Load()
		}
		return m.updateKey(msg)
	}
	return m, nil
}

func (m Model) updateKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.d.Keys
	if moved, _ := m.list.Update(msg); moved {
		return m, nil
	}
	if key.Matches(msg, k.Mark) {
		return m.toggleMark()
	}
	if key.Matches(msg, k.Snooze) && m.marks.Len() > 0 {
		return m, screen.Send(marks.AskSnooze(m.d, m.st, screen.Inbox, m.marks.Targets()))
	}
	it, ok := m.list.Current()
	if !ok {
		if key.Matches(msg, k.Open, k.Snooze, k.Done, k.Link, k.Replied) {
			return m, screen.StatusCmd("Nothing needs action: the inbox is empty")
		}
		return m, nil
	}
	st, act := m.st, m.d.Act
	switch {
	case it.Kind == "mail" && key.Matches(msg, k.Open):
		return m, screen.Send(screen.OpenMail{ID: it.MailID})
	case it.Kind == "mail" && key.Matches(msg, k.Link):
		return m, pane.LinkMail(it.MailID, it.Reference != "")
	case it.Kind == "mail" && key.Matches(msg, k.Replied):
		return m, screen.Send(pane.AskReplied(m.d, st, it.MailID))
	case key.Matches(msg, k.Open) && it.QueryID != 0:
		return m, screen.Send(screen.OpenQuery{ID: it.QueryID})
	case key.Matches(msg, k.Open):
		if it.Reference == "" {
			return m, screen.Send(screen.Goto{Screen: screen.Queue})
		}
		return m, screen.Send(screen.OpenCase{Ref: it.Reference})
	case key.Matches(msg, k.Snooze):
		return m, screen.Send(m.askSnooze(it))
	case key.Matches(msg, k.Done):
		if it.Kind == "mail" {
			mailID := it.MailID
			m.list.Remove()
			return m, m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
				return screen.Acted{What: fmt.Sprintf("Message %d done", mailID), Err: st.MailDone(ctx, mailID, act)}
			})
		}
		return m, m.askDone(it)
	}
	return m, nil
}

// toggleMark marks the selected item for bulk work (or unmarks it) and
// moves to the next. Only an item of a case can be marked: bulk work is
// an event on each case.
func (m Model) toggleMark() (Model, tea.Cmd) {
	it, ok := m.list.Current()
	if !ok {
		return m, screen.StatusCmd("Nothing to mark: the inbox is empty")
	}
	if it.Reference == "" {
		what := itemRef(it) // the message, query or queue it is about
		if what == "queue" {
			what = "the queue"
		}
		return m, screen.StatusCmd("Only an item of a case can be marked: " + what + " is not a case")
	}
	what := "marked"
	if !m.marks.Toggle(it.Key, store.BulkTarget{Reference: it.Reference, Item: it}) {
		what = "unmarked"
	}
	m.list.Move(1)
	return m, screen.StatusCmd(MarkStatus(m.d, it.Reference, what, m.marks))
}

// MarkStatus is the status line after a row is marked or unmarked: what
// to do next.
func MarkStatus(d screen.Deps, ref, what string, s marks.Set) string {
	k := d.Keys
	if s.Len() == 0 {
		return ref + " " + what + ": nothing marked"
	}
	return fmt.Sprintf("%s %s · %s: %s acts on them all, %s unmarks all", ref, what, s.Count(), k.Action.Help().Key, k.Back.Help().Key)
}

// Marks are the items marked for bulk work.
func (m Model) Marks() marks.Set { return m.marks }

// ClearMarks unmarks every item.
func (m *Model) ClearMarks() { m.marks.Clear() }

// deadlineKind is the kind of the deadline an item is about
// (deadline:REF:KIND:DUE or warning:REF:KIND:DUE), "" for other items.
func deadlineKind(it store.InboxItem) string {
	for _, p := range []string{"deadline:", "warning:"} {
		if rest, ok := strings.CutPrefix(it.Key, p+it.Reference+":"); ok && it.Reference != "" {
			if i := strings.LastIndexByte(rest, ':'); i > 0 {
				return rest[:i]
			}
		}
	}
	return ""
}

// askDone asks what happened: nothing leaves the inbox without an event on
// its case. A deadline's item offers the step that meets it, a chase (the
// correspondence logged, the item snoozed) or a referral; any other item
// asks what was done.
func (m Model) askDone(it store.InboxItem) tea.Cmd {
	if it.Reference == "" {
		return screen.StatusCmd("The queue leaves the inbox when every appeal is categorised: " + m.d.Keys.Queue.Help().Key + " opens it")
	}
	ref, kind := it.Reference, deadlineKind(it)
	if kind == "" {
		return screen.Send(screen.Ask{Label: ref + ": what was done? ", Placeholder: "on the timeline: " + sanitize.Fit(it.Reason, 40),
			Submit: func(v string) tea.Cmd {
				if strings.TrimSpace(v) == "" {
					return screen.StatusCmd("Not done: " + ref + ": say what was done (it goes on the timeline)")
				}
				e := domain.Event{Kind: domain.EventInboxDone, Data: domain.EventData{Text: v}}
				if it.Kind == "stale" {
					e = domain.Event{Kind: domain.EventProgressed, Data: domain.EventData{Text: v}}
				}
				return m.resolve(it, e, domain.Date{}, "", ref+": done: "+sanitize.Line(strings.TrimSpace(v)))
			}})
	}
	return screen.Send(screen.Ask{Label: ref + ": what happened? s step taken · c chased · r referred · esc nothing: ",
		Choose: func(kp tea.KeyPressMsg) (tea.Cmd, bool) {
			switch kp.String() {
			case "s":
				return screen.Send(m.askStep(ref, kind)), true
			case "c":
				return screen.Send(m.askChase(it)), true
			case "r":
				return screen.Send(screen.Ask{Label: "Refer " + ref + " to: ", Placeholder: "judge|registrar NOTE", Suggestions: []string{"judge ", "registrar "},
					Submit: func(v string) tea.Cmd {
						words := strings.Fields(v)
						e := domain.Event{Kind: domain.EventReferred}
						if len(words) > 0 {
							e.Data.To, e.Data.Text = strings.ToLower(words[0]), strings.Join(words[1:], " ")
						}
						return m.resolve(it, e, domain.Date{}, "", ref+": referred to the "+e.Data.To)
					}}), true
			}
			return nil, false
		}})
}

func (m Model) askStep(ref, kind string) screen.Ask {
	return pane.AskStep(m.d, m.st, ref, kind)
}

func (m Model) askChase(it store.InboxItem) screen.Ask {
	ref, today, cal := it.Reference, m.d.Today, m.d.Calendar
	return screen.Ask{Label: "Chased " + ref + " how? ", Placeholder: "phone|email|letter SUMMARY", Suggestions: []string{"phone ", "email ", "letter "},
		Submit: func(v string) tea.Cmd {
			words := strings.Fields(v)
			e := domain.Event{Kind: domain.EventCorrespondence, Data: domain.EventData{Way: "out"}}
			if len(words) > 0 {
				e.Data.Channel, e.Data.Text = strings.ToLower(words[0]), strings.Join(words[1:], " ")
			}
			return screen.Send(screen.Ask{Label: "Chased " + ref + ": back in the inbox on: ", Placeholder: domain.SnoozeHint,
				Submit: func(v string) tea.Cmd {
					until, err := domain.ParseSnoozeUntil(v, today, cal)
					if err != nil {
						return screen.StatusCmd("Not recorded: " + ref + ": " + err.Error())
					}
					return m.resolve(it, e, until, "chased", ref+": chased by "+e.Data.Channel+"; back in the inbox on "+until.Long())
				}})
		}}
}

func (m Model) resolve(it store.InboxItem, e domain.Event, until domain.Date, why, what string) tea.Cmd {
	st, act := m.st, m.d.Act
	return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
		_, err := st.Resolve(ctx, it, e, until, why, act)
		return screen.Acted{What: what, Err: err}
	})
}

func orQueue(ref string) string {
	if ref == "" {
		return "the queue"
	}
	return ref
}

// askSnooze asks until when, then why: the field starts empty with a hint,
// a date it cannot read is refused with the reason and nothing is written.
func (m Model) askSnooze(it store.InboxItem) screen.Ask {
	st, act, today, cal, requests := m.st, m.d.Act, m.d.Today, m.d.Calendar, m.d.Requests
	what := orQueue(it.Reference)
	return screen.Ask{Label: "Snooze " + what + " until: ", Placeholder: domain.SnoozeHint, Submit: func(v string) tea.Cmd {
		until, err := domain.ParseSnoozeUntil(v, today, cal)
		if err != nil {
			return screen.StatusCmd("Not snoozed: " + what + ": " + err.Error())
		}
		return screen.Send(screen.Ask{Label: "Why snooze " + what + " until " + until.Long() + "? ", Placeholder: "optional: on the timeline",
			Submit: func(why string) tea.Cmd {
				return requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
					return screen.Acted{What: what + ": snoozed until " + until.Long() + " (Z lists snoozed items)", Err: st.Snooze(ctx, it, until, why, act)}
				})
			}})
	}}
}

func (m Model) updateSnoozedKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.d.Keys
	if key.Matches(msg, k.Snoozed, k.Back) {
		m.snoozed = false
		return m, m.Load()
	}
	if moved, _ := m.snoozedList.Update(msg); moved {
		return m, nil
	}
	sn, ok := m.snoozedList.Current()
	if !ok {
		if key.Matches(msg, k.Undo, k.Open) {
			return m, screen.StatusCmd("Nothing is snoozed")
		}
		return m, nil
	}
	st, act := m.st, m.d.Act
	switch {
	case key.Matches(msg, k.Open) && sn.Reference != "":
		return m, screen.Send(screen.OpenCase{Ref: sn.Reference})
	case key.Matches(msg, k.Undo):
		what := orQueue(sn.Reference)
		m.snoozedList.Remove()
		return m, m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
			_, err := st.Unsnooze(ctx, sn.Key, act)
			return screen.Acted{What: what + ": snooze until " + sn.Until.Long() + " undone: back in the inbox", Err: err}
		})
	}
	return m, nil
}

// kindNames are the views' labels, by store.InboxKinds.
var kindNames = map[string]string{"": "all", "overdue": "overdue", "due": "due soon", "mail": "mail",
	"referrals": "referrals", "queue": "queue", "old": "old cases"}

// shortKindNames are the labels when the long ones do not fit.
var shortKindNames = map[string]string{"": "all", "overdue": "overdue", "due": "due", "mail": "mail",
	"referrals": "refs", "queue": "queue", "old": "old"}

// viewsLine names every view with its count, the one shown in brackets:
// "[all] · overdue 12 · due soon 3 · …", shorter if it must be to fit w.
// The whole inbox has no count of its own: it also holds queries and
// fees, and the position says how many it holds.
func (m Model) viewsLine(w int) string {
	line := func(names map[string]string, sep string) string {
		parts := make([]string, 0, len(store.InboxKinds))
		for _, k := range store.InboxKinds {
			p := names[k]
			if m.countsLoaded && k != "" {
				p += " " + m.count(k)
			}
			if k == m.kind {
				p = "[" + p + "]"
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, sep)
	}
	if l := line(kindNames, " · "); sanitize.Width(l) <= w {
		return l
	}
	return line(shortKindNames, " ")
}

// position is where the cursor is, and how much of the view is held: the
// inbox is the Limit most urgent, so "12 of 200 (of 1,966)" says the rest.
func (m Model) position() string {
	if m.list.Len() == 0 {
		return ""
	}
	pos := m.list.Position()
	n := m.counts.Of(m.kind)
	switch {
	case !m.countsLoaded || n <= m.list.Len():
	case m.kind == "":
		// Queries and fees are not counted: at least this many.
		pos += " (of " + pagedlist.Thousands(n) + "+)"
	default:
		pos += " (of " + m.count(m.kind) + ")"
	}
	return pos
}

// count is a view's count as the views line says it: "1,000+" when the
// store stopped counting (store.InboxCountMost).
func (m Model) count(kind string) string {
	s := pagedlist.Thousands(m.counts.Of(kind))
	if m.counts.Capped(kind) {
		s += "+"
	}
	return s
}

// View is exactly h lines.
func (m Model) View() string {
	if m.snoozed {
		return m.snoozedView()
	}
	st, w := m.d.Styles, m.w
	out := make([]string, 0, m.h)
	// The views take the first line whole; the position is at the end of
	// the selected item's urgency, the line under it.
	out = append(out, pagedlist.Header(st, m.viewsLine(w), "", w))
	if m.list.Len() == 0 {
		none := "Nothing needs action today."
		if m.kind != "" {
			none = "Nothing in " + kindNames[m.kind] + " today. " + m.d.Keys.InboxKind.Help().Key + " shows the next kind."
		}
		out = append(out, pagedlist.Empty(st, m.list.Loaded(), none, w))
		return screen.Lines(out, m.h)
	}
	head := fmt.Sprintf("%d items, most urgent first", m.list.Len())
	if it, ok := m.list.Current(); ok {
		head = fmt.Sprintf("urgency %.0f = %s", it.Urgency, parts(it))
	}
	if n := m.marks.Count(); n != "" {
		head = n + " · " + head
	}
	out = append(out, pagedlist.Header(st, head, m.position(), w))
	from, to := m.list.Visible()
	rows := m.list.Rows()
	refW := pagedlist.ColumnWidth(&m.list, func(it store.InboxItem) string { return itemRef(it) }, len("reference"), m.d.RefWidth)
	// The appellant says whose case it is: it keeps a column of its own
	// at 80 columns; at 60 what is to be done needs the room.
	// What needs doing keeps 43 cells; the appellant has what is left, up
	// to 24, and no column under 12.
	nameW := min(w-5-refW-1-43, 24)
	if nameW < 12 {
		nameW = 0
	}
	cols := "     " + sanitize.Pad("reference", refW) + " "
	if nameW > 0 {
		cols += sanitize.Pad("appellant", nameW) + " "
	}
	out = append(out, st.Muted.Render(sanitize.Fit(cols+"what needs doing, most urgent first", w)))
	for i := from; i < to; i++ {
		it := rows[i]
		mark := "  "
		switch it.Kind {
		case "overdue", "direction-overdue":
			mark = "!!"
		case "due-today":
			mark = "! "
		case "mail":
			if it.Reference != "" {
				mark = "@ "
			}
		case "warning":
			mark = "~ "
		}
		// Issue 19: the other side's steps are to watch, not do (their
		// reason says "watch:"); a settle-or-defend decision to revisit
		// is a question to answer.
		switch {
		case it.Watch:
			mark = "w "
		case it.Kind == "revisit":
			mark = "? "
		}
		line := fmt.Sprintf("%s %s ", mark, sanitize.Pad(itemRef(it), refW))
		if nameW > 0 {
			line += sanitize.Pad(it.Appellant, nameW) + " "
		}
		line += sanitize.Line(it.Reason)
		sel := i == m.list.Cursor()
		l := pagedlist.MarkedRow(st, sel, m.marks.Has(it.Key), line, w)
		if mark == "!!" && !sel {
			l = st.Overdue.Render(l)
		}
		if it.Watch && !sel {
			l = st.Muted.Render(l)
		}
		out = append(out, l)
	}
	return screen.Lines(out, m.h)
}

// itemRef is what the reference column shows for an item: its case, or
// the message, query or queue it is about.
func itemRef(it store.InboxItem) string {
	switch {
	case it.Reference != "":
		return it.Reference
	case it.Kind == "mail":
		return fmt.Sprintf("mail %d", it.MailID)
	case it.QueryID != 0:
		return fmt.Sprintf("query %d", it.QueryID)
	}
	return "queue"
}

func (m Model) snoozedView() string {
	st, w := m.d.Styles, m.w
	out := make([]string, 0, m.h)
	if m.snoozedList.Len() == 0 {
		out = append(out, pagedlist.Empty(st, m.snoozedList.Loaded(), "Nothing is snoozed. "+m.d.Keys.Snoozed.Help().Key+" goes back to the inbox.", w))
		return screen.Lines(out, m.h)
	}
	k := m.d.Keys
	head := fmt.Sprintf("Snoozed: %d, soonest back first · %s undoes the snooze · %s back", m.snoozedList.Len(), k.Undo.Help().Key, k.Snoozed.Help().Key)
	out = append(out, st.Muted.Render(sanitize.Fit(head, w)))
	from, to := m.snoozedList.Visible()
	rows := m.snoozedList.Rows()
	for i := from; i < to; i++ {
		sn := rows[i]
		ref := sn.Reference
		if ref == "" {
			ref = "queue"
			if strings.HasPrefix(sn.Key, "mail:") {
				ref = sn.Key
			}
		}
		line := fmt.Sprintf("   %s until %s by %s", sanitize.Pad(ref, m.d.RefWidth), sn.Until.Long(), sanitize.Line(sn.User))
		if sn.Why != "" {
			line += ": " + sanitize.Line(sn.Why)
		}
		out = append(out, pagedlist.Row(st, i == m.snoozedList.Cursor(), line, w))
	}
	return screen.Lines(out, m.h)
}
