package domain

import "testing"

func TestMeetingStep(t *testing.T) {
	tax := MustRulePack("ftt-tax")
	tests := []struct {
		kind, event string
		refers      int64
		ok          bool
	}{
		{"statement_of_case", EventStatementOfCase, 0, true}, // r25: met by the statement of case
		{"appellant_reply", EventAppellantReply, 0, true},    // r26
		{"lists_of_documents", EventListsOfDocuments, 0, true},
		{"direction:42", EventComplied, 42, true},
		{"readiness_check", EventReadinessConfirmed, 0, true},
		{"direction:x", EventComplied, 0, false},
		{"no_such_deadline", "", 0, false},
	}
	for _, tt := range tests {
		ev, refers, ok := tax.MeetingStep(tt.kind)
		if ev != tt.event || refers != tt.refers || ok != tt.ok {
			t.Errorf("%s: %q %d %v, want %q %d %v", tt.kind, ev, refers, ok, tt.event, tt.refers, tt.ok)
		}
	}
}

func TestParseStepDate(t *testing.T) {
	today, received := MustDate("2026-11-16"), MustDate("2026-09-21")
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"", "2026-11-16", true},           // empty: today, Mon 16 Nov 2026
		{"13/11/2026", "2026-11-13", true}, // last Friday
		{"2026-09-21", "2026-09-21", true}, // the day it was received
		{"17/11/2026", "", false},          // tomorrow: not yet taken
		{"20/09/2026", "", false},          // before the notice arrived
		{"next week", "", false},
	} {
		got, err := ParseStepDate(tt.in, today, received)
		if (err == nil) != tt.ok || tt.ok && got.String() != tt.want {
			t.Errorf("%q: %s %v, want %s ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestTracesAreNotActivity(t *testing.T) {
	on := MustDate("2026-11-09")
	events := []Event{{ID: 1, Kind: EventReceived, On: on}}
	for i, k := range []string{EventSnoozed, EventSnoozeUndone, EventInboxDone} {
		events = append(events, Event{ID: int64(i + 2), Kind: k, On: on.AddDays(7)})
	}
	st := Replay(events)
	if !st.LastEvent.Equal(on) || len(st.Occurred) != 0 {
		t.Errorf("traces counted as activity: last %s, occurred %v", st.LastEvent, st.Occurred)
	}
}
