package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestUndoTarget(t *testing.T) {
	on := MustDate("2026-11-16")
	ev := func(id int64, kind, user string, d EventData) Event {
		return Event{ID: id, Kind: kind, User: user, On: on, Detail: kind + " line", Data: d}
	}
	received := ev(1, EventReceived, "import", EventData{})
	alloc := ev(2, EventAllocated, "ann", EventData{Track: Standard})
	tests := []struct {
		name    string
		events  []Event
		target  int64   // 0: refused
		with    []int64 // undone with it
		err     error
		message string
	}{
		{"only received", []Event{received}, 0, nil, ErrNothingToUndo, "no casework"},
		{"the allocation", []Event{received, alloc}, 2, nil, nil, ""},
		{"the disposal over the allocation", []Event{received, alloc, ev(3, EventDisposed, "ann", EventData{})}, 3, nil, nil, ""},
		{"someone else's disposal over ann's allocation", []Event{received, alloc, ev(3, EventDisposed, "bob", EventData{})}, 0, nil, ErrCannotUndo, `latest action is bob's, "disposed" (disposed line) on 16/11/2026`},
		{"undone events and undos are passed over", []Event{received, alloc, ev(3, EventFlagSet, "ann", EventData{}), ev(4, EventUndone, "ann", EventData{Undoes: 3})}, 2, nil, nil, ""},
		{"everything undone", []Event{received, alloc, ev(3, EventAllocationUndone, "ann", EventData{Undoes: 2})}, 0, nil, ErrNothingToUndo, "no casework"},
		{"a chase comes back whole", []Event{received, alloc, ev(3, EventCorrespondence, "ann", EventData{}), ev(4, EventSnoozed, "ann", EventData{Refers: 3})}, 4, []int64{3}, nil, ""},
		{"a plain snooze alone", []Event{received, alloc, ev(3, EventSnoozed, "ann", EventData{})}, 3, nil, nil, ""},
		{"a fee is put right where it is kept", []Event{received, alloc, ev(3, EventFeeDue, "ann", EventData{})}, 0, nil, ErrCannotUndo, "caseload fee"},
		{"a query", []Event{received, ev(2, EventQuery, "ann", EventData{})}, 0, nil, ErrCannotUndo, "Queries screen"},
		{"ownership", []Event{received, ev(2, EventTaken, "ann", EventData{})}, 0, nil, ErrCannotUndo, "take, release or assign"},
		{"a linked message", []Event{received, ev(2, EventCorrespondence, "ann", EventData{Mail: 7})}, 0, nil, ErrCannotUndo, "message or letter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := UndoTarget("TC/2026/00001", tt.events, "ann")
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.message) || !strings.HasPrefix(err.Error(), "TC/2026/00001: ") {
					t.Fatalf("error %v, want %v containing %q", err, tt.err, tt.message)
				}
				return
			}
			if err != nil || u.Target.ID != tt.target || len(u.With) != len(tt.with) {
				t.Fatalf("got %+v %v, want %d with %v", u, err, tt.target, tt.with)
			}
			for i, w := range u.With {
				if w.ID != tt.with[i] {
					t.Errorf("with %d: %d, want %d", i, w.ID, tt.with[i])
				}
			}
		})
	}
}

// An action undone with the general undo is no activity: an old case
// whose review was undone is as old as before.
func TestReplaySkipsUndoneActions(t *testing.T) {
	events := []Event{
		{ID: 1, Kind: EventReceived, On: MustDate("2026-01-05")},
		{ID: 2, Kind: EventAllocated, On: MustDate("2026-01-06"), Data: EventData{Track: Basic}},
		{ID: 3, Kind: EventFlagSet, On: MustDate("2026-11-16"), Data: EventData{Flag: "urgent"}},
		{ID: 4, Kind: EventProgressed, On: MustDate("2026-11-16")},
		{ID: 5, Kind: EventUndone, On: MustDate("2026-11-16"), Data: EventData{Undoes: 4}},
		{ID: 6, Kind: EventUndone, On: MustDate("2026-11-16"), Data: EventData{Undoes: 3}},
	}
	st := Replay(events)
	if len(st.Flags) != 0 || !st.LastEvent.Equal(MustDate("2026-01-06")) || st.Track != Basic {
		t.Errorf("flags %v, last event %s, track %s: want none, 06/01/2026, basic", st.Flags, st.LastEvent, st.Track)
	}
}
