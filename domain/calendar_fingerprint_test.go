package domain

import (
	"fmt"
	"testing"
)

// The fingerprints of the embedded holidays come from a table so that
// every start need not count them: the table must be what counting gives,
// for the embedded file as it is now.
func TestEmbeddedFingerprintsAreCounted(t *testing.T) {
	table := "const embeddedFingerprintsOf = " + fmt.Sprintf("%q", embeddedHolidaysSHA()) + "\n"
	bad := embeddedHolidaysSHA() != embeddedFingerprintsOf
	for _, d := range []Division{EnglandAndWales, Scotland, NorthernIreland} {
		c, err := LoadCalendar(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		counted := c.countFingerprint()
		table += fmt.Sprintf("\t%s: %q,\n", divisionConst(d), counted)
		if f, ok := embeddedFingerprints[d]; !ok || f != counted {
			bad = true
		}
		if got := c.Fingerprint(); got != counted {
			t.Errorf("%s: Fingerprint %s, counted %s", d, got, counted)
		}
	}
	if bad {
		t.Errorf("embeddedFingerprints in calendar.go is out of date with bank-holidays.json; paste:\n%s", table)
	}
}

func divisionConst(d Division) string {
	switch d {
	case EnglandAndWales:
		return "EnglandAndWales"
	case Scotland:
		return "Scotland"
	}
	return "NorthernIreland"
}

// A newer GOV.UK file changes the fingerprint: the table is for the
// embedded file alone.
func TestNewerHolidaysFileIsCounted(t *testing.T) {
	newer := []byte(`{"england-and-wales":{"division":"england-and-wales","events":[{"title":"Extra day","date":"2031-06-02","notes":""}]}}`)
	c, err := LoadCalendar(EnglandAndWales, newer)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := LoadCalendar(EnglandAndWales, nil)
	if c.Fingerprint() == base.Fingerprint() {
		t.Fatal("a newer holidays file kept the embedded fingerprint")
	}
	if c.Fingerprint() != c.countFingerprint() {
		t.Fatal("a newer holidays file's fingerprint was not counted")
	}
}
