package domain

import (
	"testing"
)

func TestParseAction(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	today := MustDate("2026-11-16")
	tests := []struct {
		line, kind string
		check      func(EventData) bool
	}{
		{"return grounds decision-copy no copy enclosed", EventReturned, func(d EventData) bool {
			return len(d.Reasons) == 2 && d.Text == "no copy enclosed"
		}},
		// A number of days is kept as days: the store counts them by the
		// case's pack and calendar (store.TestDirectionsCalendarsAndService).
		{"direction appellant 14 Send the bank statements", EventDirection, func(d EventData) bool {
			return d.Party == "appellant" && d.Days == 14 && d.Due.IsZero() && d.Text == "Send the bank statements"
		}},
		{"direction both 40 Agree a bundle", EventDirection, func(d EventData) bool { return d.Days == 40 && d.Due.IsZero() }},
		{"direction respondent 18/12/2026 File the review letter", EventDirection, func(d EventData) bool { return d.Due.String() == "2026-12-18" }},
		{"extension request statement_of_case respondent 28 awaiting papers", EventExtensionRequested, func(d EventData) bool {
			return d.Days == 28 && d.Party == "respondent" && d.Deadline == "statement_of_case"
		}},
		{"extension grant 12/02/2027", EventExtensionGranted, func(d EventData) bool { return d.Due.String() == "2027-02-12" }},
		{"flag urgent", EventFlagSet, func(d EventData) bool { return d.Flag == "urgent" }},
		{"refer judge Is this in time?", EventReferred, func(d EventData) bool { return d.To == "judge" && d.Text == "Is this in time?" }},
		{"log phone in Appellant called about the hearing", EventCorrespondence, func(d EventData) bool { return d.Channel == "phone" && d.Way == "in" }},
		{"hearing 01/03/2027 video", EventHearingListed, func(d EventData) bool { return d.Due.String() == "2027-03-01" && d.Venue == "video" }},
	}
	for _, tt := range tests {
		e, err := ParseAction(tt.line, today, cal)
		if err != nil || e.Kind != tt.kind || !tt.check(e.Data) {
			t.Errorf("%q: %+v %v", tt.line, e, err)
		}
	}
	for _, bad := range []string{"", "dance", "direction appellant soon x", "extension maybe", "hearing tomorrow"} {
		if _, err := ParseAction(bad, today, cal); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
