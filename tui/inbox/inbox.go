// Package inbox is the Inbox screen: what needs action today, most urgent
// first, with the selected item's urgency part by part; snooze, done, and
// the mail waiting for a reply.
package inbox

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/pane"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what the inbox needs of the database.
type Store interface {
	Inbox(ctx context.Context, today domain.Date, limit int) ([]store.InboxItem, error)
	Snooze(ctx context.Context, key string, until domain.Date, opt store.ActOptions) error
	Dismiss(ctx context.Context, key string, opt store.ActOptions) error
	MailReplied(ctx context.Context, id int64, summary string, opt store.ActOptions) error
	MailDone(ctx context.Context, id int64, opt store.ActOptions) error
}

// Limit is how many items the inbox shows: the most urgent.
const Limit = 200

// KeyMap is the inbox's keys; a message selected has its own.
type KeyMap struct {
	d    screen.Deps
	mail bool
}

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.d.Keys
	if m.mail {
		return []key.Binding{k.Open, k.Link, k.Replied, k.Done, k.Snooze}
	}
	return []key.Binding{pagedlist.Move(k.Down, k.Up, "move"), k.Open, k.Snooze, k.Done}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.d.Keys
	return [][]key.Binding{{k.Open, k.Snooze, k.Done}, {k.Link, k.Replied}}
}

// Model is the inbox.
type Model struct {
	d    screen.Deps
	st   Store
	list pagedlist.Model[store.InboxItem]
	w, h int
}

// New is the inbox, empty until Load.
func New(d screen.Deps, st Store) Model {
	return Model{d: d, st: st, list: pagedlist.New[store.InboxItem](d.Keys, 0)}
}

// Keys is the key map for the selected item.
func (m Model) Keys() KeyMap {
	it, ok := m.list.Current()
	return KeyMap{m.d, ok && it.Kind == "mail"}
}

// SetStore changes the store (limited to a jurisdiction) and starts again.
func (m *Model) SetStore(st Store) tea.Cmd {
	m.st = st
	m.list.Reset()
	return m.Load()
}

// Load reads the inbox again, keeping the cursor where it can.
func (m *Model) Load() tea.Cmd {
	st, today := m.st, m.d.Today
	return m.list.Refetch(m.d.Requests, screen.Inbox, func(ctx context.Context, _, _ int) ([]store.InboxItem, error) {
		return st.Inbox(ctx, today, Limit)
	})
}

// SetSize fits the screen.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h; m.list.SetHeight(h - 1) }

// Rows are the items held.
func (m Model) Rows() []store.InboxItem { return m.list.Rows() }

// Selected is the case (or message) of the selected item.
func (m Model) Selected() (ref string, mailID int64) {
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
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	}
	return m, nil
}

func (m Model) updateKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.d.Keys
	if moved, _ := m.list.Update(msg); moved {
		return m, nil
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
		itemKey, what, today := it.Key, orQueue(it.Reference), m.d.Today
		return m, screen.Send(screen.Ask{Label: "Snooze " + what + " until (a date, or +days): ", Value: "+1", Submit: func(v string) tea.Cmd {
			until, err := ParseUntil(strings.TrimSpace(v), today)
			if err != nil {
				return screen.StatusCmd("Not snoozed: " + err.Error())
			}
			return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
				return screen.Acted{What: what + ": snoozed until " + until.Long(), Err: st.Snooze(ctx, itemKey, until, act)}
			})
		}})
	case key.Matches(msg, k.Done):
		itemKey, mailID := it.Key, it.MailID
		what := orQueue(it.Reference) + ": marked done: " + sanitize.Line(it.Reason)
		if it.Kind != "mail" {
			mailID = 0
		}
		m.list.Remove()
		return m, m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
			if mailID != 0 {
				return screen.Acted{What: fmt.Sprintf("Message %d done", mailID), Err: st.MailDone(ctx, mailID, act)}
			}
			return screen.Acted{What: what, Err: st.Dismiss(ctx, itemKey, act)}
		})
	}
	return m, nil
}

func orQueue(ref string) string {
	if ref == "" {
		return "the queue"
	}
	return ref
}

// ParseUntil reads a snooze date: +N days, or a date after today.
func ParseUntil(s string, today domain.Date) (domain.Date, error) {
	if strings.HasPrefix(s, "+") {
		var n int
		if _, err := fmt.Sscanf(s, "+%d", &n); err != nil || n <= 0 {
			return domain.Date{}, fmt.Errorf("%q: give +days (e.g. +3) or a date (23/11/2026)", s)
		}
		return today.AddDays(n), nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return d, err
	}
	if !d.After(today) {
		return d, fmt.Errorf("snooze until a date after today")
	}
	return d, nil
}

// View is exactly h lines.
func (m Model) View() string {
	st, w := m.d.Styles, m.w
	out := make([]string, 0, m.h)
	if m.list.Len() == 0 {
		out = append(out, pagedlist.Empty(st, m.list.Loaded(), "Nothing needs action today.", w))
		return screen.Lines(out, m.h)
	}
	head := fmt.Sprintf("%d items, most urgent first", m.list.Len())
	if it, ok := m.list.Current(); ok {
		head = fmt.Sprintf("urgency %.0f = %s", it.Urgency, parts(it))
	}
	out = append(out, st.Muted.Render(sanitize.Fit(head, w)))
	from, to := m.list.Visible()
	rows := m.list.Rows()
	for i := from; i < to; i++ {
		it := rows[i]
		mark := "  "
		switch it.Kind {
		case "overdue", "direction-overdue":
			mark = "!!"
		case "due-today":
			mark = "! "
		}
		ref := it.Reference
		switch {
		case it.Kind == "mail" && ref == "":
			ref = fmt.Sprintf("mail %d", it.MailID)
		case it.Kind == "mail":
			mark = "@ "
		case ref == "" && it.QueryID != 0:
			ref = fmt.Sprintf("query %d", it.QueryID)
		case ref == "":
			ref = "queue"
		}
		if it.Kind == "warning" {
			mark = "~ "
		}
		line := fmt.Sprintf("%s %s %s", mark, sanitize.Pad(ref, m.d.RefWidth), sanitize.Line(it.Reason))
		if it.Appellant != "" && w > 90 {
			line += " · " + sanitize.Line(it.Appellant)
		}
		sel := i == m.list.Cursor()
		l := pagedlist.Row(st, sel, line, w)
		if mark == "!!" && !sel {
			l = st.Overdue.Render(l)
		}
		out = append(out, l)
	}
	return screen.Lines(out, m.h)
}
