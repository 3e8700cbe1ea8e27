package domain

import "testing"

func TestCaseworkDeadlines(t *testing.T) {
	p := MustRulePack("ftt-tax")
	cal := MustCalendar(EnglandAndWales)
	received := ev(1, EventReceived, "2026-11-10", EventData{})
	standard := ev(2, EventAllocated, "2026-11-16", EventData{Track: Standard})
	type want struct{ kind, due, status string }
	tests := []struct {
		name   string
		events []Event
		status Status
		want   []want
		prev   []string // previous dues of the first deadline
	}{
		// SoC due Fri 15 Jan 2027 (16 Nov + 60, r25(1)(b)); HMRC asks for 28 more days on 8 Jan; granted on
		// 12 Jan to Fri 12 Feb 2027. The deadline keeps 15 Jan as its previous date.
		{"granted extension moves the date and keeps the old one",
			[]Event{received, standard,
				ev(3, EventExtensionRequested, "2027-01-08", EventData{Deadline: "statement_of_case", Party: "respondent", Days: 28}),
				ev(4, EventExtensionGranted, "2027-01-12", EventData{Deadline: "statement_of_case", Refers: 3, Due: MustDate("2027-02-12")})},
			StatusAllocated, []want{{"statement_of_case", "2027-02-12", "open"}}, []string{"2027-01-15"}},
		{"refused extension leaves the date",
			[]Event{received, standard,
				ev(3, EventExtensionRequested, "2027-01-08", EventData{Deadline: "statement_of_case", Party: "respondent", Days: 28}),
				ev(4, EventExtensionRefused, "2027-01-12", EventData{Deadline: "statement_of_case", Refers: 3})},
			StatusAllocated, []want{{"statement_of_case", "2027-01-15", "open"}}, nil},
		// Direction given Fri 20 Nov 2026, due 14 days later: Fri 4 Dec 2026 (the caller counts it); complied 3 Dec.
		{"direction, then complied",
			[]Event{received, standard,
				ev(3, EventDirection, "2026-11-20", EventData{Text: "Appellant to send bank statements", Party: "appellant", Due: MustDate("2026-12-04")}),
				ev(4, EventComplied, "2026-12-03", EventData{Refers: 3})},
			StatusAllocated, []want{{"statement_of_case", "2027-01-15", "open"}, {"direction:3", "2026-12-04", "met"}}, nil},
		// Hearing Mon 1 Mar 2027: readiness check 28 days before = Mon 1 Feb 2027, a working day.
		{"readiness check 28 days before the hearing",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Basic}),
				ev(3, EventHearingListed, "2026-11-20", EventData{Due: MustDate("2027-03-01"), Venue: "video"})},
			StatusAllocated, []want{{"readiness_check", "2027-02-01", "open"}}, nil},
		// Hearing Mon 25 Jan 2027: 28 days before is Mon 28 Dec 2026, the substitute Boxing Day; counting
		// back past Sun 27, Sat 26 and Fri 25 (Christmas Day) gives Thu 24 Dec 2026.
		{"readiness check moved earlier past Christmas",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Basic}),
				ev(3, EventHearingListed, "2026-11-20", EventData{Due: MustDate("2027-01-25")}),
				ev(4, EventReadinessConfirmed, "2026-12-01", EventData{Party: "appellant"})},
			StatusAllocated, []want{{"readiness_check", "2026-12-24", "open"}}, nil},
		{"readiness met when both parties confirm",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Basic}),
				ev(3, EventHearingListed, "2026-11-20", EventData{Due: MustDate("2027-01-25")}),
				ev(4, EventReadinessConfirmed, "2026-12-01", EventData{Party: "appellant"}),
				ev(5, EventReadinessConfirmed, "2026-12-02", EventData{Party: "respondent"})},
			StatusAllocated, []want{{"readiness_check", "2026-12-24", "met"}}, nil},
		{"permission refused closes the case and stops its deadlines",
			[]Event{received, standard, ev(3, EventPermissionRequested, "2026-11-16", EventData{Text: "illness"}),
				ev(4, EventPermissionRefused, "2026-11-30", EventData{})},
			StatusClosed, []want{{"statement_of_case", "2027-01-15", "stopped"}}, nil},
		{"stayed behind a lead case: deadlines stop",
			[]Event{received, standard, ev(3, EventStayed, "2026-11-20", EventData{Lead: "TC/2026/00001"})},
			StatusStayed, []want{{"statement_of_case", "2027-01-15", "stopped"}}, nil},
		{"stay lifted: deadlines open again",
			[]Event{received, standard, ev(3, EventStayed, "2026-11-20", EventData{Lead: "TC/2026/00001"}),
				ev(4, EventStayLifted, "2026-12-01", EventData{})},
			StatusAllocated, []want{{"statement_of_case", "2027-01-15", "open"}}, nil},
		{"returned, then a corrected notice reopens it",
			[]Event{received, ev(2, EventReturned, "2026-11-12", EventData{Reasons: []string{"grounds"}}),
				ev(3, EventReopened, "2026-11-19", EventData{})},
			StatusNew, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := Replay(tt.events)
			if st.Status != tt.status {
				t.Fatalf("status = %s, want %s", st.Status, tt.status)
			}
			got := p.Deadlines(cal, st)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d deadlines %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if g := got[i]; g.Kind != w.kind || g.Due.String() != w.due || g.Status != w.status {
					t.Errorf("deadline %d = %s %s %s, want %s %s %s", i, g.Kind, g.Due, g.Status, w.kind, w.due, w.status)
				}
			}
			if len(tt.prev) > 0 {
				if len(got[0].PreviousDue) != len(tt.prev) || got[0].PreviousDue[0].String() != tt.prev[0] {
					t.Errorf("previous dues %v, want %v", got[0].PreviousDue, tt.prev)
				}
			}
		})
	}
}

func TestCaseworkState(t *testing.T) {
	st := Replay([]Event{
		ev(1, EventReceived, "2026-11-10", EventData{}),
		ev(2, EventFlagSet, "2026-11-11", EventData{Flag: "urgent"}),
		ev(3, EventFlagSet, "2026-11-11", EventData{Flag: "vulnerable"}),
		ev(4, EventFlagCleared, "2026-11-12", EventData{Flag: "urgent"}),
		ev(5, EventReferred, "2026-11-12", EventData{To: "judge", Text: "Is this in time?"}),
		ev(6, EventReferred, "2026-11-13", EventData{To: "registrar", Text: "Strike out?"}),
		ev(7, EventReferralAnswered, "2026-11-14", EventData{Refers: 5, Text: "Yes"}),
		ev(8, EventChecklist, "2026-11-14", EventData{Item: "grounds", Done: true}),
	})
	if len(st.Flags) != 1 || st.Flags[0] != "vulnerable" {
		t.Errorf("flags %v", st.Flags)
	}
	if open := st.OpenReferrals(); len(open) != 1 || open[0].To != "registrar" {
		t.Errorf("open referrals %+v", open)
	}
	if !st.Checklist["grounds"] {
		t.Error("checklist not ticked")
	}
	if st.LastEvent.String() != "2026-11-14" {
		t.Errorf("last event %s", st.LastEvent)
	}
}
