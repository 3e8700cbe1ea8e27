package domain

import (
	"errors"
	"fmt"
	"strings"
)

// EventUndone compensates one earlier casework event (Data.Undoes): replay
// treats the event undone as if it had not happened, and the history keeps
// both. An allocation is compensated by EventAllocationUndone and a snooze
// by EventSnoozeUndone, the kinds reports and the inbox already read.
const EventUndone = "undone"

// ErrNothingToUndo: the case has no action of the caseworker's to take back.
var ErrNothingToUndo = errors.New("nothing to undo")

// ErrCannotUndo: the latest action is not one an undo can take back (it is
// someone else's, or kept elsewhere, such as a query or a fee).
var ErrCannotUndo = errors.New("cannot be undone")

// IsUndo reports whether kind compensates another event.
func IsUndo(kind string) bool {
	return kind == EventUndone || kind == EventAllocationUndone || kind == EventSnoozeUndone || kind == EventReferralWithdrawn
}

// UndoneIDs are the events compensated by a later undo, each with the
// kind of the undo.
func UndoneIDs(events []Event) map[int64]string {
	undone := map[int64]string{}
	for _, e := range events {
		if IsUndo(e.Kind) && e.Data.Undoes != 0 {
			undone[e.Data.Undoes] = e.Kind
		}
	}
	return undone
}

// kept are the kinds whose record lives beside the timeline (a query, a
// fee, who owns the case, a linked message): an undo of the event alone
// would leave the two disagreeing, so each is put right where it is kept.
var kept = map[string]string{
	EventQuery:           "a query is changed on the Queries screen (caseload query)",
	EventQueryUpdated:    "a query is changed on the Queries screen (caseload query)",
	EventComplaint:       "a complaint is changed with caseload complaint",
	EventSupportNeed:     "a support need is changed with caseload support",
	EventAssistedDigital: "a support need is changed with caseload support",
	EventFeeDue:          "a fee is put right with caseload fee",
	EventPayment:         "a payment is put right with caseload payment",
	EventFeeRemission:    "help with fees is put right with caseload fee",
	EventTaken:           "who works on a case is changed with take, release or assign",
	EventReleased:        "who works on a case is changed with take, release or assign",
	EventAssigned:        "who works on a case is changed with take, release or assign",
	EventReassigned:      "who works on a case is changed with take, release or assign",
}

// Undo is what an undo takes back: the caseworker's latest action on a
// case, and the event recorded with it in the same action (a chase's
// correspondence under its snooze).
type Undo struct {
	Target Event
	With   []Event
}

// UndoTarget finds the action an undo by user takes back: the latest
// event on the case that is not itself an undo and has not been undone.
// Only that one: an earlier action under a later one (an allocation under
// a disposal) is refused naming the later one, since taking it back would
// leave the case in a state no one chose (closed with no track). It is
// refused, with the reason, when the latest action is someone else's or
// is kept beside the timeline (a query, a fee, ownership). The one rule
// for the CLI's undo and the UI's u.
func UndoTarget(ref string, events []Event, user string) (Undo, error) {
	undone := UndoneIDs(events)
	byID := map[int64]Event{}
	for _, e := range events {
		byID[e.ID] = e
	}
	if e, ok := LatestAction(events); ok {
		if e.Kind == EventReceived {
			return Undo{}, fmt.Errorf("%s: %w: no casework has been recorded since it was received", ref, ErrNothingToUndo)
		}
		if why, ok := kept[e.Kind]; ok {
			return Undo{}, fmt.Errorf("%s: the latest action, %s on %s, %w here: %s", ref, Describe(e), e.On.UK(), ErrCannotUndo, why)
		}
		if e.Data.Mail != 0 || e.Data.Letter != 0 {
			return Undo{}, fmt.Errorf("%s: the latest action, %s on %s, %w here: it records a message or letter, which stays with the case", ref, Describe(e), e.On.UK(), ErrCannotUndo)
		}
		if e.User != user {
			return Undo{}, fmt.Errorf("%s: the latest action is %s's, %s on %s: it %w by you (undo takes back only your own latest action)", ref, orSomeone(e.User), Describe(e), e.On.UK(), ErrCannotUndo)
		}
		u := Undo{Target: e}
		// A chase is a correspondence and the snooze after it, one key
		// press: both come back together.
		if IsTrace(e.Kind) && e.Data.Refers != 0 {
			if with, ok := byID[e.Data.Refers]; ok && undone[with.ID] == "" && !IsUndo(with.Kind) && with.User == user {
				u.With = append(u.With, with)
			}
		}
		return u, nil
	}
	return Undo{}, fmt.Errorf("%s: %w", ref, ErrNothingToUndo)
}

// LatestAction is the latest event that is not an undo and has not been
// undone: what an undo would take back.
func LatestAction(events []Event) (Event, bool) {
	undone := UndoneIDs(events)
	for i := len(events) - 1; i >= 0; i-- {
		// A skip on the queue card is no casework to take back.
		if e := events[i]; !IsUndo(e.Kind) && undone[e.ID] == "" && e.Kind != EventQueueSkipped {
			return e, true
		}
	}
	return Event{}, false
}

// Describe names an event for a person: its kind in words and its line.
func Describe(e Event) string {
	s := `"` + StepName(e.Kind) + `"`
	if d := strings.TrimSpace(e.Detail); d != "" {
		s += " (" + firstLine(d, 80) + ")"
	}
	return s
}

// UndoDetail is the timeline line of the compensation: what it undid.
func UndoDetail(e Event) string {
	if e.Kind == EventAllocated {
		return "undid allocation to " + e.Data.Track.Label()
	}
	return fmt.Sprintf("undid %s of %s", Describe(e), e.On.UK())
}

func orSomeone(user string) string {
	if user == "" {
		return "someone else"
	}
	return user
}
