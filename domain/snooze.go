package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Snooze event kinds: an inbox item hidden until a date, and that put
// right. They are on the timeline so nothing leaves a caseworker's view
// without a trace, but they are not casework: they move no deadline and do
// not count as activity on the case.
const (
	EventSnoozed      = "snoozed"
	EventSnoozeUndone = "snooze-undone"
)

// DefaultSnoozeOverdueMaxDays is how far ahead an overdue deadline may be
// snoozed (setting snooze_overdue_max_days): a missed deadline must come
// back within a fortnight.
const DefaultSnoozeOverdueMaxDays = 14

// SnoozeMaxDays is how far ahead anything may be snoozed: a snooze is for
// days or weeks, and a date years away is a typing mistake.
const SnoozeMaxDays = 366

// SnoozeHint says what a snooze date may be written as.
const SnoozeHint = "+3 (days), 3wd (working days), friday, 15/12/2026 or 2026-12-15"

var weekdays = map[string]time.Weekday{
	"mon": time.Monday, "monday": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"thursday": time.Thursday, "fri": time.Friday, "friday": time.Friday, "sat": time.Saturday, "saturday": time.Saturday,
	"sun": time.Sunday, "sunday": time.Sunday,
}

// ParseSnoozeUntil reads when a snoozed item comes back: +N (calendar
// days), N days, N working days (also Nwd, counted on cal: weekends and
// bank holidays skipped), a weekday name (the next one after today), or a
// date (DD/MM/YYYY or ISO). Anything else is refused with the reason,
// never guessed at; so is a date not after today or more than
// SnoozeMaxDays ahead.
func ParseSnoozeUntil(s string, today Date, cal *Calendar) (Date, error) {
	in := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if in == "" {
		return Date{}, fmt.Errorf("give a date or a number of days: %s", SnoozeHint)
	}
	until, err := parseSnooze(in, today, cal)
	if err != nil {
		return Date{}, err
	}
	switch {
	case !until.After(today):
		return Date{}, fmt.Errorf("%q is %s, not after today (%s): snooze until a later date", clip(s), until.Long(), today.Long())
	case today.DaysUntil(until) > SnoozeMaxDays:
		return Date{}, fmt.Errorf("%q is %s, more than a year ahead: a snooze is for days or weeks", clip(s), until.Long())
	}
	return until, nil
}

func parseSnooze(in string, today Date, cal *Calendar) (Date, error) {
	if wd, ok := weekdays[in]; ok {
		n := (int(wd) - int(today.Weekday()) + 7) % 7
		if n == 0 {
			n = 7
		}
		return today.AddDays(n), nil
	}
	if strings.ContainsAny(in, "/.") || strings.Count(in, "-") == 2 {
		return ParseDate(in)
	}
	num, unit := in, ""
	if i := strings.IndexFunc(in, func(r rune) bool { return r != '+' && (r < '0' || r > '9') }); i >= 0 {
		num, unit = in[:i], strings.TrimSpace(in[i:])
	}
	plus := strings.HasPrefix(num, "+")
	n, err := strconv.Atoi(strings.TrimPrefix(num, "+"))
	if err != nil || strings.HasPrefix(strings.TrimPrefix(num, "+"), "+") {
		return Date{}, fmt.Errorf("%q is not a date or a number of days: use %s", clip(in), SnoozeHint)
	}
	if n <= 0 {
		return Date{}, fmt.Errorf("%q: snooze for at least one day", clip(in))
	}
	if n > SnoozeMaxDays {
		return Date{}, fmt.Errorf("%q: more than a year ahead: a snooze is for days or weeks", clip(in))
	}
	switch unit {
	case "wd", "working day", "working days", "working-day", "working-days":
		return cal.AddWorkingDays(today, n), nil
	case "d", "day", "days":
		return today.AddDays(n), nil
	case "":
		if plus {
			return today.AddDays(n), nil
		}
		return Date{}, fmt.Errorf("%q: write +%d for %d days or %dwd for %d working days", clip(in), n, n, n, n)
	}
	return Date{}, fmt.Errorf("%q: %q is not a unit: use %s", clip(in), unit, SnoozeHint)
}

// CheckSnoozeOfOverdue refuses to snooze a deadline already missed (due
// before today) beyond maxDays from today: a missed deadline must come back
// soon. maxDays <= 0 takes DefaultSnoozeOverdueMaxDays.
func CheckSnoozeOfOverdue(due, until, today Date, maxDays int) error {
	if maxDays <= 0 {
		maxDays = DefaultSnoozeOverdueMaxDays
	}
	if due.IsZero() || !due.Before(today) || today.DaysUntil(until) <= maxDays {
		return nil
	}
	return fmt.Errorf("the deadline was due %s and is overdue: snooze it at most %d days (until %s at the latest; setting snooze_overdue_max_days)",
		due.Long(), maxDays, today.AddDays(maxDays).Long())
}
