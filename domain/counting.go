package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Counting primitives. Each returns the due date and, when the date is not
// simply anchor + N, a sentence saying how it was counted that names every
// day it skipped, so a Registrar can check it without a calendar.

// Count counts a deadline rule's period from anchor under the pack's
// working-day rule and says why the date moved, if it did.
//
//   - Tribunal rules (r12, UT r12): N days (weeks, months) after the
//     anchor; a period ending on a non-working day runs to the next working
//     day.
//   - CPR 2.8: periods in days are clear days, so "within 14 days of
//     service on 2 October" ends on 16 October; a period of 5 days or less
//     does not count Saturdays, Sundays, bank holidays, Christmas Day or Good
//     Friday (2.8(4)); a period for an act at the court office that ends on a
//     day it is closed runs to the next day it is open (2.8(5)): only when
//     the rule says court_office (the default), not for acts between
//     parties. Months are calendar months (CPR 2.10); with no corresponding
//     day, the last day of the month.
//   - counting = "beginning-with" counts the anchor as day 1 ("30 days
//     beginning with": anchor + 29); "clear-days-before" counts back from
//     an event (CPR 2.8(3)(b)); working_days counts only working days.
func (p *RulePack) Count(cal *Calendar, anchor Date, r DeadlineRule) (due Date, moved string, provisional bool) {
	court := p.WorkingDayRule == "cpr-2.8"
	var why []string
	var landed Date
	switch {
	case r.Counting == "clear-days-before":
		due, moved = p.ClearDaysBefore(cal, anchor, r.Days)
		return due, moved, provisionalBetween(cal, due, anchor)
	case r.WorkingDays > 0:
		due = WorkingDaysAfter(cal, anchor, r.WorkingDays)
		if s := skipped(cal, nil, anchor.AddDays(1), due); s != "" {
			moved = fmt.Sprintf("%s counted as working days: %s not counted", r.Period(), s)
		}
		return due, moved, provisionalBetween(cal, anchor, due)
	case r.Months > 0:
		landed = anchor.AddMonths(r.Months)
	case r.Weeks > 0:
		landed = anchor.AddDays(7 * r.Weeks)
	case court && r.Days <= 5:
		landed, why = p.shortPeriod(cal, anchor, r.Days, r.Counting == "beginning-with")
	default:
		landed = anchor.AddDays(r.Days)
	}
	if r.Counting == "beginning-with" && (!court || r.Days > 5 || r.Months > 0 || r.Weeks > 0) {
		landed = landed.AddDays(-1)
		why = append(why, fmt.Sprintf("%s beginning with %s: that day is day 1, so the last day is %s",
			r.Period(), anchor.Long(), landed.Long()))
	}
	due = landed
	switch {
	case !court:
		due = cal.NextWorkingDay(landed)
		if !due.Equal(landed) {
			why = append(why, fmt.Sprintf("%s not a working day: next working day, %s (r12)", skipped(cal, nil, landed, due.AddDays(-1)), due.Long()))
		}
	case r.MovesWhenClosed():
		due = p.nextOpenDay(cal, landed)
		if !due.Equal(landed) {
			why = append(why, fmt.Sprintf("%s the court office is closed: next open day, %s (CPR 2.8(5))", skipped(cal, p.ClosureDays, landed, due.AddDays(-1)), due.Long()))
		}
	}
	return due, strings.Join(why, "; "), provisionalBetween(cal, anchor.AddDays(1), due)
}

// shortPeriod is CPR 2.8(4): a period of 5 days or less does not count
// Saturdays, Sundays, bank holidays, Christmas Day or Good Friday.
func (p *RulePack) shortPeriod(cal *Calendar, anchor Date, days int, beginningWith bool) (Date, []string) {
	n := days
	from := anchor.AddDays(1)
	if beginningWith {
		n--
		from = anchor
	}
	landed := cal.AddWorkingDays(anchor, n)
	plain := anchor.AddDays(days)
	if beginningWith {
		plain = plain.AddDays(-1)
	}
	if landed.Equal(plain) {
		return landed, nil
	}
	return landed, []string{fmt.Sprintf("a period of 5 days or less (CPR 2.8(4)): %s not counted, so %s",
		skipped(cal, nil, from, landed), landed.Long())}
}

// nextOpenDay is d, or the first day after it the court office is open.
func (p *RulePack) nextOpenDay(cal *Calendar, d Date) Date {
	for !p.open(cal, d) {
		d = d.AddDays(1)
	}
	return d
}

func (p *RulePack) open(cal *Calendar, d Date) bool {
	return cal.IsWorkingDay(d) && !slices.ContainsFunc(p.ClosureDays, d.Equal)
}

// CountDays counts a period of n days set by the court or the Tribunal (a
// direction "within n days") from anchor, as the pack counts: CPR 2.8 in a
// court (clear days, 2.8(4) for 5 days or less, 2.8(5) for a closed court
// office) or r12 in a tribunal. It says how, for the direction's record.
func (p *RulePack) CountDays(cal *Calendar, anchor Date, n int) (due Date, how string) {
	due, moved, _ := p.Count(cal, anchor, DeadlineRule{Days: n})
	rule := "r12: next working day if the period ends on a non-working day"
	if p.WorkingDayRule == "cpr-2.8" {
		rule = "CPR 2.8: clear days"
	}
	how = fmt.Sprintf("%s after %s (%s)", plural(n, "day"), anchor.Long(), rule)
	if moved != "" {
		how += "; " + moved
	}
	return due, how
}

// DaysAfter counts "n days after" anchor and applies the working-day rule:
// a period that ends on a non-working day runs to the next working day
// (r12). It says why it moved, naming every day skipped, and whether a
// provisional holiday decided it.
func DaysAfter(cal *Calendar, anchor Date, n int) (due Date, moved string, provisional bool) {
	landed := anchor.AddDays(n)
	due = cal.NextWorkingDay(landed)
	if !due.Equal(landed) {
		moved = fmt.Sprintf("%s not a working day: next working day, %s", skipped(cal, nil, landed, due.AddDays(-1)), due.Long())
	}
	return due, moved, provisionalBetween(cal, landed, due)
}

// WorkingDaysAfter is "n working days after" anchor: the anchor does not
// count, and only working days do, so the result is always a working day.
func WorkingDaysAfter(cal *Calendar, anchor Date, n int) Date { return cal.AddWorkingDays(anchor, n) }

// ClearDaysBefore is the last day to act when n clear days are needed
// before an event (CPR 2.8(3)(b): neither the day of the act nor the day of
// the event counts; "3 days' notice before a hearing on Friday 20 October"
// means by Monday 16 October). In a court pack a period of 5 days or less
// does not count non-working days (2.8(4)). A last day on a day the court
// office is closed (or, in a tribunal, a non-working day) moves earlier, so
// the act is never later than the rule asks.
func (p *RulePack) ClearDaysBefore(cal *Calendar, event Date, n int) (due Date, how string) {
	d := event
	if p.WorkingDayRule == "cpr-2.8" && n <= 5 {
		for left := n; left > 0; {
			d = d.AddDays(-1)
			if cal.IsWorkingDay(d) {
				left--
			}
		}
	} else {
		d = d.AddDays(-n)
	}
	due = d.AddDays(-1)
	landed := due
	for !p.open(cal, due) {
		due = due.AddDays(-1)
	}
	how = fmt.Sprintf("%s clear before %s", plural(n, "day"), event.Long())
	if s := skipped(cal, nil, d, event.AddDays(-1)); s != "" {
		how += fmt.Sprintf(" (CPR 2.8(4): %s not counted)", s)
	}
	if !due.Equal(landed) {
		how += fmt.Sprintf("; %s closed: the open day before", skipped(cal, p.ClosureDays, due.AddDays(1), landed))
	}
	return due, how
}

// skipped names every day from..to (inclusive) that is not a working day
// (or is a closure day), with why: "Sat 26 Dec 2026 (Saturday), Mon 28 Dec
// 2026 (Boxing Day (substitute day))".
func skipped(cal *Calendar, closures []Date, from, to Date) string {
	var out []string
	for d := from; !d.After(to); d = d.AddDays(1) {
		closure := slices.ContainsFunc(closures, d.Equal)
		if cal.IsWorkingDay(d) && !closure {
			continue
		}
		reason := d.Weekday().String()
		if h, ok := cal.Holiday(d); ok {
			reason = h.Title
		} else if d.Month() == 12 && d.Day() == 25 {
			reason = "Christmas Day"
		} else if d.Equal(Easter(d.Year()).AddDays(-2)) {
			reason = "Good Friday"
		} else if closure {
			reason = "court closure day"
		}
		out = append(out, fmt.Sprintf("%s (%s)", d.Long(), reason))
	}
	return joinAnd(out)
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// provisionalBetween reports whether any day from..to has computed, not
// published, holidays.
func provisionalBetween(cal *Calendar, from, to Date) bool {
	if from.After(to) {
		from, to = to, from
	}
	return cal.Provisional(to) || cal.Provisional(from)
}
