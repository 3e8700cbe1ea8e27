package domain

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Division is a part of the UK with its own bank holidays.
type Division string

const (
	EnglandAndWales Division = "england-and-wales"
	Scotland        Division = "scotland"
	NorthernIreland Division = "northern-ireland"
)

// ParseDivision accepts one of the three GOV.UK division names.
func ParseDivision(s string) (Division, error) {
	switch Division(s) {
	case EnglandAndWales, Scotland, NorthernIreland:
		return Division(s), nil
	}
	return "", fmt.Errorf("%q is not a division: use england-and-wales, scotland or northern-ireland", clip(s))
}

// Holiday is a day that is not a working day besides a weekend.
type Holiday struct {
	Date        Date
	Title       string
	Provisional bool // computed from the 1971 Act's rules, not published by GOV.UK
}

//go:embed bank-holidays.json
var embeddedHolidays []byte

// Calendar knows the working days of one division: not Saturday, Sunday,
// Christmas Day, Good Friday or a bank holiday (DOMAIN.md "working day";
// ET Rules 2013 r4 and the tribunal rules' r12 use the same definition).
type Calendar struct {
	div         Division
	published   map[int]map[Date]Holiday // year -> published holidays
	dataThrough int
	dataFrom    int                      // the first year of published data
	computed    map[int]map[Date]Holiday // cache of rule-based years
	// embeddedOnly: the published holidays are the embedded file's alone
	// (no newer file), so the fingerprint may come from the table below.
	embeddedOnly bool
	// published is filled from the embedded file at first use (loaded):
	// a command that counts no working day (find, due) then never decodes
	// the file, which was a tenth of its start.
	loaded sync.Once
}

type govukFile map[string]struct {
	Division string `json:"division"`
	Events   []struct {
		Title string `json:"title"`
		Date  string `json:"date"`
		Notes string `json:"notes"`
	} `json:"events"`
}

// LoadCalendar builds the calendar for a division from the embedded GOV.UK
// data; override, if not nil, is a newer GOV.UK file whose years replace
// the embedded ones.
func LoadCalendar(div Division, override []byte) (*Calendar, error) {
	if _, err := ParseDivision(string(div)); err != nil {
		return nil, err
	}
	c := &Calendar{div: div, published: map[int]map[Date]Holiday{}, computed: map[int]map[Date]Holiday{}}
	c.embeddedOnly = override == nil
	if override == nil {
		// The embedded file is part of the build (TestEmbeddedCalendarLoads
		// reads it): decoding it waits for the first day counted.
		return c, nil
	}
	c.loaded.Do(func() {})
	base, err := readGovUK(embeddedHolidays, div)
	if err != nil {
		return nil, fmt.Errorf("embedded bank holidays: %w", err)
	}
	for y, hs := range base {
		c.published[y] = hs
	}
	newer, err := readGovUK(override, div)
	if err != nil {
		return nil, fmt.Errorf("bank holidays file: %w", err)
	}
	for y, hs := range newer {
		c.published[y] = hs
	}
	c.setDataYears()
	return c, nil
}

// load fills an embedded-only calendar's published holidays, once.
func (c *Calendar) load() {
	c.loaded.Do(func() {
		base, err := readGovUK(embeddedHolidays, c.div)
		if err != nil {
			panic(fmt.Sprintf("embedded bank holidays: %v", err))
		}
		for y, hs := range base {
			c.published[y] = hs
		}
		c.setDataYears()
	})
}

// setDataYears records the first and last years of published data.
func (c *Calendar) setDataYears() {
	for y := range c.published {
		if y > c.dataThrough {
			c.dataThrough = y
		}
		if c.dataFrom == 0 || y < c.dataFrom {
			c.dataFrom = y
		}
	}
}

// embeddedGovUK is the embedded file decoded once: every process start
// loads a calendar for each division and the default, and decoding the
// JSON was most of the time that took (four decodes of the same file).
var embeddedGovUK = sync.OnceValues(func() (govukFile, error) {
	var f govukFile
	err := json.Unmarshal(embeddedHolidays, &f)
	return f, err
})

func readGovUK(b []byte, div Division) (map[int]map[Date]Holiday, error) {
	var f govukFile
	var err error
	if len(b) == len(embeddedHolidays) && (len(b) == 0 || &b[0] == &embeddedHolidays[0]) {
		f, err = embeddedGovUK()
	} else {
		err = json.Unmarshal(b, &f)
	}
	if err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return nil, fmt.Errorf("line %d: not a GOV.UK bank-holidays.json: %w", lineAt(b, syn.Offset), err)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("line %d: not a GOV.UK bank-holidays.json: %w", lineAt(b, typ.Offset), err)
		}
		return nil, fmt.Errorf("not a GOV.UK bank-holidays.json: %w", err)
	}
	d, ok := f[string(div)]
	if !ok {
		return nil, fmt.Errorf("no %q division in the file", div)
	}
	out := map[int]map[Date]Holiday{}
	for i, e := range d.Events {
		date, err := ParseDate(e.Date)
		if err != nil {
			return nil, fmt.Errorf("%s%s event %d: %w", eventLine(b, div, i), div, i+1, err)
		}
		if out[date.Year()] == nil {
			out[date.Year()] = map[Date]Holiday{}
		}
		title := e.Title
		if e.Notes != "" {
			title += " (" + lowerFirst(e.Notes) + ")"
		}
		out[date.Year()][date] = Holiday{Date: date, Title: title}
	}
	return out, nil
}

// lineAt is the line (from 1) holding byte offset off of b.
func lineAt(b []byte, off int64) int {
	off = max(0, min(off, int64(len(b))))
	return 1 + bytes.Count(b[:off], []byte("\n"))
}

// eventLine is "line N: " for the i-th event (from 0) of div's list, found
// by walking the file's tokens (encoding/json gives no positions for the
// values it decoded), or "" if it cannot be found.
func eventLine(b []byte, div Division, i int) string {
	type frame struct {
		object, wantKey bool
		key             string // the key whose value is being read (objects)
		n               int    // elements seen (arrays)
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.object && top.wantKey {
				top.key, top.wantKey = tok.(string), false
				continue
			}
			if top.object {
				top.wantKey = true
			} else {
				if len(stack) == 3 && stack[0].key == string(div) && stack[1].key == "events" && top.n == i {
					// off is where the previous token ended: skip to this one.
					for off < int64(len(b)) && strings.IndexByte(" \t\r\n,", b[off]) >= 0 {
						off++
					}
					return fmt.Sprintf("line %d: ", lineAt(b, off))
				}
				top.n++
			}
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{object: d == '{', wantKey: d == '{'})
		}
	}
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+32) + s[1:]
}

// MustCalendar is LoadCalendar on the embedded data; it panics on error.
func MustCalendar(div Division) *Calendar {
	c, err := LoadCalendar(div, nil)
	if err != nil {
		panic(err)
	}
	return c
}

// Division is the calendar's division.
func (c *Calendar) Division() Division { return c.div }

// DataThrough is the last year of published data.
func (c *Calendar) DataThrough() int {
	c.load()
	return c.dataThrough
}

// Provisional reports whether d's holiday status is computed, not published:
// a year after the data, or one the data skips (a bank-holidays.json that
// covers 2028 and 2030 says nothing of 2029).
func (c *Calendar) Provisional(d Date) bool {
	c.load()
	y := d.Year()
	if y > c.dataThrough {
		return true
	}
	_, published := c.published[y]
	return !published && y >= c.dataFrom
}

func (c *Calendar) year(y int) map[Date]Holiday {
	c.load()
	if hs, ok := c.published[y]; ok {
		return hs
	}
	if hs, ok := c.computed[y]; ok {
		return hs
	}
	hs := map[Date]Holiday{}
	for _, h := range ComputedHolidays(c.div, y) {
		hs[h.Date] = h
	}
	c.computed[y] = hs
	return hs
}

// Holiday returns the bank holiday on d, if there is one.
func (c *Calendar) Holiday(d Date) (Holiday, bool) {
	h, ok := c.year(d.Year())[d]
	return h, ok
}

// Holidays lists a year's bank holidays in date order.
func (c *Calendar) Holidays(year int) []Holiday {
	var out []Holiday
	for _, h := range c.year(year) {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// IsWorkingDay reports whether d is a working day. Christmas Day and Good
// Friday are never working days, even in a division's data that lacked them.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	if d.Month() == time.December && d.Day() == 25 {
		return false
	}
	if d.Equal(Easter(d.Year()).AddDays(-2)) {
		return false
	}
	_, hol := c.Holiday(d)
	return !hol
}

// NextWorkingDay returns d if it is a working day, else the first after it.
func (c *Calendar) NextWorkingDay(d Date) Date {
	for !c.IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkingDays returns the date n working days after d (d not counted).
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// Easter returns Easter Sunday in the Gregorian calendar (the anonymous
// Gregorian algorithm: Meeus/Jones/Butcher).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(year, time.Month(month), day)
}

// ComputedHolidays applies the rules for a year without published data:
// Banking and Financial Dealings Act 1971 Sch 1 and the usual royal
// proclamations (New Year's Day, early May), plus Good Friday and Christmas
// Day at common law, with substitute days when a holiday falls at a
// weekend. All are marked provisional: one-off days (a jubilee, a state
// funeral) cannot be foreseen.
func ComputedHolidays(div Division, y int) []Holiday {
	var out []Holiday
	add := func(d Date, title string) {
		out = append(out, Holiday{Date: d, Title: title, Provisional: true})
	}
	// substitute returns d, or the next weekday not already taken.
	taken := map[Date]bool{}
	substitute := func(d Date, title string) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !taken[d] {
			taken[d] = true
			add(d, title)
			return
		}
		s := d
		for s.Weekday() == time.Saturday || s.Weekday() == time.Sunday || taken[s] {
			s = s.AddDays(1)
		}
		taken[s] = true
		add(s, title+" (substitute day)")
	}
	easter := Easter(y)
	firstMonday := func(m time.Month) Date {
		d := NewDate(y, m, 1)
		for d.Weekday() != time.Monday {
			d = d.AddDays(1)
		}
		return d
	}
	lastMonday := func(m time.Month) Date {
		d := NewDate(y, m+1, 1).AddDays(-1)
		for d.Weekday() != time.Monday {
			d = d.AddDays(-1)
		}
		return d
	}
	substitute(NewDate(y, time.January, 1), "New Year’s Day")
	if div == Scotland {
		substitute(NewDate(y, time.January, 2), "2nd January")
	}
	if div == NorthernIreland {
		substitute(NewDate(y, time.March, 17), "St Patrick’s Day")
	}
	add(easter.AddDays(-2), "Good Friday")
	if div != Scotland {
		add(easter.AddDays(1), "Easter Monday")
	}
	add(firstMonday(time.May), "Early May bank holiday")
	add(lastMonday(time.May), "Spring bank holiday")
	if div == NorthernIreland {
		substitute(NewDate(y, time.July, 12), "Battle of the Boyne (Orangemen’s Day)")
	}
	if div == Scotland {
		add(firstMonday(time.August), "Summer bank holiday")
	} else {
		add(lastMonday(time.August), "Summer bank holiday")
	}
	if div == Scotland {
		substitute(NewDate(y, time.November, 30), "St Andrew’s Day")
	}
	// Christmas then Boxing Day: Christmas on a Saturday gives Mon 27 and
	// Tue 28; on a Sunday, Boxing Day keeps Mon 26 and Christmas moves to
	// Tue 27 — GOV.UK lists Boxing Day first then, which this mirrors by
	// taking Boxing Day's weekday before Christmas's substitute.
	christmas, boxing := NewDate(y, time.December, 25), NewDate(y, time.December, 26)
	if christmas.Weekday() == time.Sunday {
		substitute(boxing, "Boxing Day")
		substitute(christmas, "Christmas Day")
	} else {
		substitute(christmas, "Christmas Day")
		substitute(boxing, "Boxing Day")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// Fingerprint identifies the published holidays the calendar counts with,
// so that a newer bank-holidays file can be detected: deadlines counted
// with the old one must be recomputed.
func (c *Calendar) Fingerprint() string {
	if c.embeddedOnly && embeddedHolidaysSHA() == embeddedFingerprintsOf {
		if f, ok := embeddedFingerprints[c.div]; ok {
			return f
		}
	}
	return c.countFingerprint()
}

// embeddedFingerprints are countFingerprint of each division's calendar
// from the embedded file whose SHA-256 is embeddedFingerprintsOf: counting
// the three was most of the recalc check at every start (0.8 ms). When the
// file changes the table no longer applies and the fingerprints are counted
// again (TestEmbeddedFingerprintsAreCounted says what to paste here).
const embeddedFingerprintsOf = "56315ad669a5ee7a67637fb6fe9d488dcec9c7e2aa4a4bb0f9ea8b7750168be5"

var embeddedFingerprints = map[Division]string{
	EnglandAndWales: "e7f335884d65a70a",
	Scotland:        "a69175a121e9fd2a",
	NorthernIreland: "85126772e12827c2",
}

// embeddedHolidaysSHA is the embedded file's SHA-256, hashed once (tens of
// microseconds).
var embeddedHolidaysSHA = sync.OnceValue(func() string {
	sum := sha256.Sum256(embeddedHolidays)
	return hex.EncodeToString(sum[:])
})

// countFingerprint hashes every published holiday.
func (c *Calendar) countFingerprint() string {
	c.load()
	var days []string
	for y, hs := range c.published {
		for d, h := range hs {
			days = append(days, fmt.Sprintf("%d:%s:%s", y, d, h.Title))
		}
	}
	sort.Strings(days)
	sum := sha256.Sum256([]byte(string(c.div) + "\n" + strings.Join(days, "\n")))
	return hex.EncodeToString(sum[:8])
}
