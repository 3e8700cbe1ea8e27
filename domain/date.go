// Package domain holds the rules caseload is built on: tracks, subjects, the
// rule pack of each jurisdiction, lateness, deadlines and the working-day
// calendar. It does no I/O beyond reading its own embedded files and imports
// neither the store nor the terminal UI.
package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date with no time of day or zone. Tribunal time limits
// are counted in whole days, so a time.Time would only invite off-by-one
// errors around midnight and daylight saving.
type Date struct {
	t time.Time // always 00:00 UTC
}

// NewDate returns the date y-m-d, normalising overflow as time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d.t.IsZero() }

func (d Date) Year() int             { return d.t.Year() }
func (d Date) Month() time.Month     { return d.t.Month() }
func (d Date) Day() int              { return d.t.Day() }
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return d.t }

// AddDays returns d plus n calendar days (n may be negative).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddMonths returns d plus n calendar months. A day that does not exist in
// the target month (31 Jan + 1 month) becomes the last day of that month, as
// the courts read "months" (Interpretation Act 1978 Sch 1; CPR 2.10).
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	day := d.Day()
	if day > last {
		day = last
	}
	return NewDate(first.Year(), first.Month(), day)
}

// DaysUntil returns the number of calendar days from d to e (negative if e is
// before d).
func (d Date) DaysUntil(e Date) int {
	return int(e.t.Sub(d.t).Hours() / 24)
}

func (d Date) Before(e Date) bool { return d.t.Before(e.t) }
func (d Date) After(e Date) bool  { return d.t.After(e.t) }
func (d Date) Equal(e Date) bool  { return d.t.Equal(e.t) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.t.Compare(e.t) }

// String returns the ISO form 2026-11-23, used in storage and JSON.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// UK returns 23/11/2026.
func (d Date) UK() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("02/01/2006")
}

// Long returns Mon 23 Nov 2026, the form shown on screen.
func (d Date) Long() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("Mon 2 Jan 2006")
}

// MarshalText writes the ISO form, so Dates are plain strings in JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText accepts anything ParseDate does.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// ParseDate reads a date written as ISO 2026-11-23 or as the UK's
// 23/11/2026 (also 23-11-2026 and 23.11.2026, and one-digit day or month).
// A US-style date such as 11/23/2026 is rejected rather than guessed at.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, fmt.Errorf("empty date")
	}
	var parts []string
	iso := false
	switch {
	case strings.Count(s, "-") == 2 && len(s) >= 8 && len(strings.SplitN(s, "-", 2)[0]) == 4:
		parts, iso = strings.Split(s, "-"), true
	case strings.Count(s, "/") == 2:
		parts = strings.Split(s, "/")
	case strings.Count(s, "-") == 2:
		parts = strings.Split(s, "-")
	case strings.Count(s, ".") == 2:
		parts = strings.Split(s, ".")
	default:
		return Date{}, fmt.Errorf("%q is not a date: use YYYY-MM-DD or DD/MM/YYYY", clip(s))
	}
	nums := make([]int, 3)
	for i, p := range parts {
		if p == "" || len(p) > 4 {
			return Date{}, fmt.Errorf("%q is not a date: use YYYY-MM-DD or DD/MM/YYYY", clip(s))
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Date{}, fmt.Errorf("%q is not a date: use YYYY-MM-DD or DD/MM/YYYY", clip(s))
		}
		nums[i] = n
	}
	y, m, d := nums[2], nums[1], nums[0]
	if iso {
		y, m, d = nums[0], nums[1], nums[2]
	} else if len(parts[2]) != 4 {
		return Date{}, fmt.Errorf("%q: write the year in full (DD/MM/YYYY)", clip(s))
	}
	if y < 1900 || y > 2999 {
		return Date{}, fmt.Errorf("%q: year %d is out of range", clip(s), y)
	}
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("%q: month %d does not exist (dates are day first: DD/MM/YYYY)", clip(s), m)
	}
	out := NewDate(y, time.Month(m), d)
	if d < 1 || out.Month() != time.Month(m) {
		return Date{}, fmt.Errorf("%q: day %d does not exist in %s %d", clip(s), d, time.Month(m), y)
	}
	return out, nil
}

// MustDate parses an ISO or UK date and panics if it is invalid. For tests
// and for constants written in code.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// clip keeps error messages short when the bad value is huge.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
