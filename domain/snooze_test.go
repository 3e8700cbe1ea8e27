package domain

import (
	"strings"
	"testing"
)

func TestParseSnoozeUntil(t *testing.T) {
	ew, sc := MustCalendar(EnglandAndWales), MustCalendar(Scotland)
	mon := MustDate("2026-11-16") // Monday 16 November 2026
	tests := []struct {
		today Date
		cal   *Calendar
		in    string
		want  string
		why   string
	}{
		{mon, ew, "+3", "2026-11-19", "Mon 16 + 3 calendar days = Thu 19 Nov"},
		{mon, ew, " +3 ", "2026-11-19", "spaces around are ignored"},
		{mon, ew, "3 days", "2026-11-19", "N days = +N"},
		{mon, ew, "+7", "2026-11-23", "a week: Mon 23 Nov"},
		{mon, ew, "3wd", "2026-11-19", "Tue 17, Wed 18, Thu 19"},
		{mon, ew, "+3wd", "2026-11-19", "a plus before working days is harmless"},
		{mon, ew, "5 working days", "2026-11-23", "Tue 17 .. Fri 20 are 4; Sat 21, Sun 22 skipped; Mon 23 is the 5th"},
		{mon, ew, "5 Working Days", "2026-11-23", "case does not matter"},
		{mon, ew, "friday", "2026-11-20", "the Friday of this week"},
		{mon, ew, "Fri", "2026-11-20", "abbreviated"},
		{mon, ew, "monday", "2026-11-23", "today is Monday: the next Monday, never today"},
		{mon, ew, "15/12/2026", "2026-12-15", "UK date: Tue 15 Dec 2026"},
		{mon, ew, "2026-12-15", "2026-12-15", "ISO date"},
		// Christmas and New Year 2026/27 in England and Wales: Fri 25 Dec
		// Christmas Day, Mon 28 Dec Boxing Day (substitute for Sat 26), Fri
		// 1 Jan New Year's Day.
		{MustDate("2026-12-22"), ew, "3wd", "2026-12-29", "Wed 23 (1), Thu 24 (2), Fri 25 to Mon 28 closed, Tue 29 (3)"},
		{MustDate("2026-12-22"), ew, "6wd", "2027-01-04", "Tue 29 (3), Wed 30 (4), Thu 31 (5), Fri 1 Jan closed, weekend, Mon 4 Jan (6)"},
		// Scotland also closes on 2 January: Sat 2 Jan 2027, substitute Mon 4 Jan.
		{MustDate("2026-12-22"), sc, "6wd", "2027-01-05", "as England and Wales, but Mon 4 Jan is the 2nd January holiday: Tue 5 Jan (6)"},
		{MustDate("2026-12-24"), ew, "1wd", "2026-12-29", "Thu 24 Dec: Fri 25, Sat 26, Sun 27, Mon 28 closed: Tue 29"},
		{MustDate("2026-12-24"), ew, "+1", "2026-12-25", "calendar days do not skip Christmas"},
		// Summer bank holiday: Mon 31 Aug 2026 in England and Wales.
		{MustDate("2026-08-28"), ew, "1 working day", "2026-09-01", "Fri 28 Aug: weekend, Mon 31 Aug bank holiday: Tue 1 Sep"},
		{MustDate("2026-08-28"), sc, "1 working day", "2026-08-31", "Scotland's summer holiday was Mon 3 Aug: Mon 31 Aug works"},
	}
	for _, tt := range tests {
		got, err := ParseSnoozeUntil(tt.in, tt.today, tt.cal)
		if err != nil {
			t.Errorf("%s %q: %v (%s)", tt.today, tt.in, err, tt.why)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("%s %q = %s, want %s (%s)", tt.today, tt.in, got, tt.want, tt.why)
		}
	}
}

func TestParseSnoozeUntilRefuses(t *testing.T) {
	ew := MustCalendar(EnglandAndWales)
	mon := MustDate("2026-11-16")
	tests := []struct{ in, says string }{
		{"", "give a date or a number of days"},
		{"   ", "give a date or a number of days"},
		{"+115/12/2026", "day 115 does not exist"},      // the old field's "+1" with a date appended
		{"next week", "not a date or a number of days"}, // once read silently as +1
		{"tomorrowish", "not a date or a number of days"},
		{"3", "write +3 for 3 days or 3wd"}, // bare number: days or working days?
		{"+0", "at least one day"},
		{"-3", "not a date or a number of days"},
		{"++3", "not a date or a number of days"},
		{"3 weeks", `"weeks" is not a unit`},
		{"16/11/2026", "not after today"},
		{"2026-11-10", "not after today"},
		{"2059-11-16", "more than a year ahead"}, // once snoozed an overdue statement of case to 2059
		{"+400", "more than a year ahead"},
		{"11/23/2026", "month 23 does not exist"}, // US order refused, not guessed
		{"31/11/2026", "day 31 does not exist"},
	}
	for _, tt := range tests {
		got, err := ParseSnoozeUntil(tt.in, mon, ew)
		if err == nil {
			t.Errorf("%q = %s, want refused (%s)", tt.in, got, tt.says)
			continue
		}
		if !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%q: %v, want it to say %q", tt.in, err, tt.says)
		}
	}
}

func TestCheckSnoozeOfOverdue(t *testing.T) {
	today := MustDate("2026-11-16") // Mon 16 Nov 2026
	tests := []struct {
		due, until string
		max        int
		ok         bool
		why        string
	}{
		{"2026-11-09", "2026-11-30", 14, true, "overdue a week: Mon 30 Nov is 14 days ahead, the most allowed"},
		{"2026-11-09", "2026-12-01", 14, false, "15 days ahead"},
		{"2026-11-09", "2026-12-01", 0, false, "0 takes the default, 14"},
		{"2026-11-09", "2026-11-19", 3, true, "a setting of 3: Thu 19 Nov is 3 days ahead"},
		{"2026-11-09", "2026-11-20", 3, false, "4 days ahead"},
		{"2026-11-16", "2027-01-15", 14, true, "due today is not overdue"},
		{"2026-11-20", "2027-01-15", 14, true, "not yet due"},
		{"", "2027-01-15", 14, true, "not a deadline"},
	}
	for _, tt := range tests {
		var due Date
		if tt.due != "" {
			due = MustDate(tt.due)
		}
		err := CheckSnoozeOfOverdue(due, MustDate(tt.until), today, tt.max)
		if (err == nil) != tt.ok {
			t.Errorf("due %s until %s max %d: %v, want ok=%v (%s)", tt.due, tt.until, tt.max, err, tt.ok, tt.why)
		}
		if err != nil && !strings.Contains(err.Error(), "snooze_overdue_max_days") {
			t.Errorf("the refusal should name the setting: %v", err)
		}
	}
}
