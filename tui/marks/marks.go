// Package marks is bulk work on a list screen: the rows marked (in the
// order marked, kept while the list is read again), how a marked row is
// drawn, the question that chooses what to do to them all, and the result
// that names how many cases and which.
package marks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what bulk work needs of the database.
type Store interface {
	Bulk(ctx context.Context, targets []store.BulkTarget, a store.BulkAction, opt store.ActOptions) (store.Batch, error)
	UndoBatch(ctx context.Context, id int64, opt store.ActOptions) (store.Batch, error)
}

// Set is the rows marked on one list. Key is what tells rows apart (an
// inbox item's key, a deadline, a reference).
type Set struct {
	keys    []string
	targets []store.BulkTarget
}

// Toggle marks the row, or unmarks it if it was; true if it is now marked.
func (s *Set) Toggle(key string, t store.BulkTarget) bool {
	if i := slices.Index(s.keys, key); i >= 0 {
		s.keys = slices.Delete(slices.Clone(s.keys), i, i+1)
		s.targets = slices.Delete(slices.Clone(s.targets), i, i+1)
		return false
	}
	s.keys = append(slices.Clip(s.keys), key)
	s.targets = append(slices.Clip(s.targets), t)
	return true
}

// Has reports whether the row is marked.
func (s Set) Has(key string) bool { return slices.Contains(s.keys, key) }

// Len is how many rows are marked.
func (s Set) Len() int { return len(s.keys) }

// Targets are the marked rows, in the order marked.
func (s Set) Targets() []store.BulkTarget { return slices.Clone(s.targets) }

// Clear unmarks every row.
func (s *Set) Clear() { s.keys, s.targets = nil, nil }

// Count is the header's word for the marks: "3 marked", "" for none.
func (s Set) Count() string {
	if len(s.keys) == 0 {
		return ""
	}
	return fmt.Sprintf("%d marked", len(s.keys))
}

// Refs names cases the way a status line can hold: the first three, then
// how many more.
func Refs(refs []string) string {
	if len(refs) <= 3 {
		return strings.Join(refs, ", ")
	}
	return strings.Join(refs[:3], ", ") + fmt.Sprintf(" and %d more", len(refs)-3)
}

func references(ts []store.BulkTarget) []string {
	var out []string
	for _, t := range ts {
		if !slices.Contains(out, t.Reference) {
			out = append(out, t.Reference)
		}
	}
	return out
}

func cases(n int) string {
	if n == 1 {
		return "1 case"
	}
	return fmt.Sprintf("%d cases", n)
}

// Acted is a bulk write's result for the root: the status line and the
// refresh (Acted), the screen whose marks were acted on (cleared when it
// succeeded) and the batch, which the undo key undoes.
type Acted struct {
	screen.Acted
	Screen screen.ID
	Batch  store.Batch
	Undo   bool // the result of an undo
}

// Hint is the placeholder of the bulk question: what may be typed.
const Hint = "snooze · flag FLAG · refer judge|registrar NOTE · assign USER · allocate TRACK [reason]"

// Ask is the question put when the caseworker asks for a bulk action on
// the marked rows of screen id.
func Ask(d screen.Deps, st Store, id screen.ID, ts []store.BulkTarget) screen.Ask {
	refs := references(ts)
	label := fmt.Sprintf("%d marked (%s): ", len(ts), Refs(refs))
	if len(refs) != len(ts) {
		label = fmt.Sprintf("%d marked, %s (%s): ", len(ts), cases(len(refs)), Refs(refs))
	}
	return screen.Ask{Label: label, Placeholder: Hint,
		Suggestions: []string{"snooze", "flag urgent", "flag high-profile", "flag vulnerable", "flag bespoke",
			"refer judge ", "refer registrar ", "assign ", "allocate basic", "allocate standard", "allocate complex", "allocate paper"},
		Submit: func(v string) tea.Cmd {
			words := strings.Fields(v)
			if len(words) == 0 {
				return screen.StatusCmd("Nothing done: say what to do to the " + cases(len(refs)) + " marked (" + Hint + ")")
			}
			if strings.ToLower(words[0]) == store.BulkSnooze {
				if len(words) > 1 {
					return snoozeWhy(d, st, id, ts, strings.Join(words[1:], " "))
				}
				return screen.Send(AskSnooze(d, st, id, ts))
			}
			a, err := Parse(words)
			if err != nil {
				return screen.StatusCmd("Nothing done: " + err.Error())
			}
			return Run(d, st, id, ts, a)
		}}
}

// Parse reads a bulk action other than a snooze: flag FLAG, refer
// judge|registrar NOTE, assign USER, allocate TRACK [reason]. A mistake is
// refused here, before any case is touched.
func Parse(words []string) (store.BulkAction, error) {
	verb := strings.ToLower(words[0])
	rest := words[1:]
	arg := ""
	if len(rest) > 0 {
		arg = rest[0]
	}
	switch verb {
	case store.BulkFlag:
		if !domain.ValidFlag(strings.ToLower(arg)) {
			var codes []string
			for _, f := range domain.Flags {
				codes = append(codes, f.Code)
			}
			return store.BulkAction{}, fmt.Errorf("flag %q is not a flag: use %s", arg, strings.Join(codes, ", "))
		}
		return store.BulkAction{Kind: verb, Flag: strings.ToLower(arg)}, nil
	case store.BulkRefer:
		to := strings.ToLower(arg)
		if to != "judge" && to != "registrar" {
			return store.BulkAction{}, errors.New("refer to whom? refer judge NOTE or refer registrar NOTE")
		}
		note := strings.Join(rest[1:], " ")
		if note == "" {
			return store.BulkAction{}, errors.New("a referral needs a note for the " + to + ": refer " + to + " NOTE")
		}
		return store.BulkAction{Kind: verb, To: to, Note: note}, nil
	case store.BulkAssign:
		if arg == "" || len(rest) > 1 {
			return store.BulkAction{}, errors.New("assign to whom? assign USER (one user name)")
		}
		return store.BulkAction{Kind: verb, To: arg}, nil
	case store.BulkAllocate:
		t, err := domain.ParseTrack(arg)
		if err != nil {
			return store.BulkAction{}, err
		}
		return store.BulkAction{Kind: verb, Track: t, Why: strings.Join(rest[1:], " ")}, nil
	}
	return store.BulkAction{}, fmt.Errorf("%q is not a bulk action: use %s", words[0], strings.Join(store.BulkActions, ", "))
}

// AskSnooze asks until when the marked rows are snoozed; a date it cannot
// read is refused with the reason and nothing is written.
func AskSnooze(d screen.Deps, st Store, id screen.ID, ts []store.BulkTarget) screen.Ask {
	return screen.Ask{Label: fmt.Sprintf("Snooze the %d marked until: ", len(ts)), Placeholder: domain.SnoozeHint,
		Submit: func(v string) tea.Cmd { return snoozeWhy(d, st, id, ts, v) }}
}

func snoozeWhy(d screen.Deps, st Store, id screen.ID, ts []store.BulkTarget, when string) tea.Cmd {
	until, err := domain.ParseSnoozeUntil(when, d.Today, d.Calendar)
	if err != nil {
		return screen.StatusCmd(fmt.Sprintf("Nothing snoozed (%d marked): %s", len(ts), err.Error()))
	}
	return screen.Send(screen.Ask{Label: fmt.Sprintf("Why snooze the %d marked until %s? ", len(ts), until.Long()), Placeholder: "optional: on each timeline",
		Submit: func(why string) tea.Cmd {
			return Run(d, st, id, ts, store.BulkAction{Kind: store.BulkSnooze, Until: until, Why: why})
		}})
}

// Run does a to every marked row in one transaction, in a command.
func Run(d screen.Deps, st Store, id screen.ID, ts []store.BulkTarget, a store.BulkAction) tea.Cmd {
	act := d.Act
	n := len(references(ts))
	return d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
		b, err := st.Bulk(ctx, ts, a, act)
		if err != nil {
			return Acted{Acted: screen.Acted{Err: fmt.Errorf("nothing done to the %s marked: %w", cases(n), err)}, Screen: id}
		}
		return Acted{Acted: screen.Acted{What: Done(a, b) + " · " + d.Keys.UndoBatch.Help().Key + " undoes all " + fmt.Sprint(len(b.References))},
			Screen: id, Batch: b}
	})
}

// Done says what a bulk action did, naming how many cases and which.
func Done(a store.BulkAction, b store.Batch) string {
	what := ""
	switch a.Kind {
	case store.BulkSnooze:
		what = "Snoozed until " + a.Until.Long()
	case store.BulkFlag:
		what = "Flagged " + a.Flag
	case store.BulkRefer:
		what = "Referred to the " + a.To
	case store.BulkAssign:
		what = "Assigned to " + a.To
	case store.BulkAllocate:
		what = "Allocated to " + a.Track.Label()
	}
	return fmt.Sprintf("%s: %s (%s)", what, cases(len(b.References)), Refs(b.References))
}

// Undo undoes a batch in a command.
func Undo(d screen.Deps, st Store, b store.Batch) tea.Cmd {
	act := d.Act
	return d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
		u, err := st.UndoBatch(ctx, b.ID, act)
		if err != nil {
			return Acted{Acted: screen.Acted{Err: fmt.Errorf("bulk %s not undone: %w", b.Action, err)}, Undo: true}
		}
		return Acted{Acted: screen.Acted{What: fmt.Sprintf("Undid the bulk %s: %s (%s), each by an event on its case",
			b.Action, cases(len(u.References)), Refs(u.References))}, Batch: u, Undo: true}
	})
}

// KeyMap is the keys of bulk work, for the help.
type KeyMap struct{ k *keys.KeyMap }

// Keys are the bulk work keys of the UI's key map.
func Keys(k *keys.KeyMap) KeyMap { return KeyMap{k} }

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.k
	as := func(b key.Binding, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
	}
	return []key.Binding{k.Mark, as(k.Action, "snooze, flag, refer, assign or allocate every marked row"),
		as(k.Snooze, "snooze the marked rows (Inbox, Due)"), as(k.Back, "unmark all"), k.UndoBatch}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
