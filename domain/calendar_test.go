package domain

import (
	"sort"
	"strings"
	"testing"
)

// The rules used past the published data must reproduce the published data
// for every year and division it covers, except the days no rule can
// foresee (DOMAIN.md): the 2020 VE Day move, the 2022 Jubilee and State
// Funeral, and the 2023 Coronation.
func TestComputedHolidaysReproduceGOVUKData(t *testing.T) {
	oneOff := map[string]bool{
		"2020-05-04": true, "2020-05-08": true, // early May moved to Fri 8 May for VE Day
		"2022-05-30": true, "2022-06-02": true, "2022-06-03": true, // spring holiday moved; Jubilee
		"2022-09-19": true, // State Funeral
		"2023-05-08": true, // Coronation
	}
	for _, div := range []Division{EnglandAndWales, Scotland, NorthernIreland} {
		cal := MustCalendar(div)
		for y := 2019; y <= 2027; y++ {
			var published, computed []string
			for _, h := range cal.Holidays(y) {
				if !oneOff[h.Date.String()] {
					published = append(published, h.Date.String())
				}
			}
			for _, h := range ComputedHolidays(div, y) {
				if !oneOff[h.Date.String()] {
					computed = append(computed, h.Date.String())
				}
			}
			sort.Strings(published)
			sort.Strings(computed)
			if strings.Join(published, " ") != strings.Join(computed, " ") {
				t.Errorf("%s %d:\npublished %v\ncomputed  %v", div, y, published, computed)
			}
		}
	}
}

func TestEaster(t *testing.T) {
	// Easter Sunday by the Gregorian computus, checked against published tables.
	want := map[int]string{2019: "2019-04-21", 2020: "2020-04-12", 2021: "2021-04-04", 2022: "2022-04-17",
		2023: "2023-04-09", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28",
		2028: "2028-04-16", 2029: "2029-04-01", 2030: "2030-04-21", 2038: "2038-04-25", 2285: "2285-03-22"}
	for y, w := range want {
		if got := Easter(y).String(); got != w {
			t.Errorf("Easter(%d) = %s, want %s", y, got, w)
		}
	}
}

func TestWorkingDays(t *testing.T) {
	ew, sc, ni := MustCalendar(EnglandAndWales), MustCalendar(Scotland), MustCalendar(NorthernIreland)
	tests := []struct {
		name string
		cal  *Calendar
		from string
		next string
		prov bool
	}{
		{"a Saturday runs to Monday", ew, "2026-11-21", "2026-11-23", false},
		// Fri 25 Dec 2026; Boxing Day Sat 26 -> substitute Mon 28 (GOV.UK) -> Tue 29.
		{"Christmas 2026", ew, "2026-12-25", "2026-12-29", false},
		// Fri 1 Jan 2027 -> Mon 4 Jan.
		{"New Year 2027", ew, "2027-01-01", "2027-01-04", false},
		// Good Friday 26 Mar 2027, Easter Monday 29 Mar -> Tue 30 Mar.
		{"Good Friday 2027", ew, "2027-03-26", "2027-03-30", false},
		// Scotland has no Easter Monday: Good Friday 26 Mar 2027 -> Mon 29 Mar.
		{"Good Friday 2027 in Scotland", sc, "2027-03-26", "2027-03-29", false},
		// Scotland: 1 Jan 2027 is a Friday and 2 Jan a Saturday, so Mon 4 Jan is the substitute for
		// 2 January (GOV.UK); Sat 2 Jan runs past Sun 3 and Mon 4 to Tue 5 Jan.
		{"2 January in Scotland", sc, "2027-01-02", "2027-01-05", false},
		// St Patrick's Day Wed 17 Mar 2027 in Northern Ireland -> Thu 18 Mar.
		{"St Patrick's Day", ni, "2027-03-17", "2027-03-18", false},
		// Sat 25 Dec 2027: Mon 27 and Tue 28 substitutes -> Wed 29.
		{"Christmas 2027 on a Saturday", ew, "2027-12-25", "2027-12-29", false},
		// 2028 is past the data: Good Friday 14 Apr, Easter Monday 17 Apr -> Tue 18 Apr, provisional.
		{"Good Friday 2028, computed", ew, "2028-04-14", "2028-04-18", true},
		// Sat 25 Dec 2032: Mon 27 and Tue 28 -> Wed 29 Dec 2032, provisional.
		{"Christmas 2032, computed", ew, "2032-12-25", "2032-12-29", true},
	}
	for _, tt := range tests {
		got := tt.cal.NextWorkingDay(MustDate(tt.from))
		if got.String() != tt.next || tt.cal.Provisional(got) != tt.prov {
			t.Errorf("%s: NextWorkingDay(%s) = %s provisional=%v, want %s %v", tt.name, tt.from, got, tt.cal.Provisional(got), tt.next, tt.prov)
		}
	}
	// Three working days after Thu 24 Dec 2026: Tue 29, Wed 30, Thu 31 Dec.
	if got := ew.AddWorkingDays(MustDate("2026-12-24"), 3).String(); got != "2026-12-31" {
		t.Errorf("AddWorkingDays = %s", got)
	}
}

func TestCalendarOverride(t *testing.T) {
	file := `{"england-and-wales":{"division":"england-and-wales","events":[
		{"title":"New Year’s Day","date":"2028-01-03","notes":"Substitute day","bunting":true},
		{"title":"A made-up one-off day","date":"2028-06-09","notes":"","bunting":true}]}}`
	cal, err := LoadCalendar(EnglandAndWales, []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if cal.DataThrough() != 2028 || cal.IsWorkingDay(MustDate("2028-06-09")) || cal.Provisional(MustDate("2028-06-09")) {
		t.Errorf("override not used: through %d", cal.DataThrough())
	}
	// Years the override does not cover still come from the embedded data.
	if cal.IsWorkingDay(MustDate("2026-12-28")) {
		t.Error("embedded 2026 lost")
	}
	if _, err := LoadCalendar(EnglandAndWales, []byte("{not json")); err == nil {
		t.Error("bad file accepted")
	}
	if _, err := ParseDivision("wales"); err == nil {
		t.Error("bad division accepted")
	}
}

// The embedded file is decoded at a calendar's first use, where an error
// could only panic: every division must be in it and decode.
func TestEmbeddedCalendarLoads(t *testing.T) {
	for _, div := range []Division{EnglandAndWales, Scotland, NorthernIreland} {
		hs, err := readGovUK(embeddedHolidays, div)
		if err != nil {
			t.Fatalf("%s: %v", div, err)
		}
		cal := MustCalendar(div)
		if len(hs) == 0 || cal.DataThrough() < 2026 {
			t.Errorf("%s: %d years decoded, data through %d", div, len(hs), cal.DataThrough())
		}
		for y, days := range hs {
			for d := range days {
				if _, ok := cal.Holiday(d); !ok || cal.Provisional(d) {
					t.Errorf("%s %d: %s is not a published holiday of the lazily loaded calendar", div, y, d)
				}
			}
		}
	}
}
