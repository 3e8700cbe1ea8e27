package domain

import (
	"strings"
	"testing"
)

// A bank-holidays.json that cannot be used says on which line.
func TestBankHolidaysFileErrorsNameTheLine(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"syntax", "{\n  \"england-and-wales\": {\n    \"division\": \"england-and-wales\",\n    \"events\": [,]\n  }\n}\n", "line 4:"},
		{"wrong type", "{\n  \"england-and-wales\": {\n    \"division\": \"england-and-wales\",\n    \"events\": \"none\"\n  }\n}\n", "line 4:"},
		// The second event (line 6) has a 13th month.
		{"bad date", "{\n  \"scotland\": {\"division\": \"scotland\", \"events\": []},\n  \"england-and-wales\": {\n    \"division\": \"england-and-wales\",\n    \"events\": [\n      {\"title\": \"New Year\", \"date\": \"2030-01-01\", \"notes\": \"\"},\n      {\"title\": \"Bad\", \"date\": \"2030-13-01\", \"notes\": \"\"}\n    ]\n  }\n}\n", "line 7:"},
	}
	for _, c := range cases {
		_, err := LoadCalendar(EnglandAndWales, []byte(c.file))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to name %q", c.name, err, c.want)
		}
	}
}

// A file that covers only some years leaves the years it skips computed and
// provisional, like the years after it.
func TestBankHolidaysFileSkippingAYearLeavesItProvisional(t *testing.T) {
	// Only 2030 (the embedded data runs 2019-2027): 2028 and 2029 are computed.
	file := `{"england-and-wales": {"division": "england-and-wales", "events": [
		{"title": "New Year's Day", "date": "2030-01-01", "notes": ""},
		{"title": "Christmas Day", "date": "2030-12-25", "notes": ""}]}}`
	cal, err := LoadCalendar(EnglandAndWales, []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		date string
		want bool
	}{
		{"2027-06-01", false}, // embedded
		{"2028-06-01", true},  // in neither: computed
		{"2029-06-01", true},  // in neither: computed
		{"2030-06-01", false}, // the file's year
		{"2031-06-01", true},  // after every year of data
	} {
		if got := cal.Provisional(MustDate(c.date)); got != c.want {
			t.Errorf("Provisional(%s) = %v, want %v", c.date, got, c.want)
		}
	}
}
