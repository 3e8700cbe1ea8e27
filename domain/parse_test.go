package domain

import "testing"

func TestParseDate(t *testing.T) {
	good := map[string]string{
		"2026-11-23": "2026-11-23", "23/11/2026": "2026-11-23", "3/1/2027": "2027-01-03",
		" 01/02/2027 ": "2027-02-01", "23-11-2026": "2026-11-23", "23.11.2026": "2026-11-23", "2028-02-29": "2028-02-29",
	}
	for in, want := range good {
		if d, err := ParseDate(in); err != nil || d.String() != want {
			t.Errorf("ParseDate(%q) = %s, %v; want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "not-a-date", "11/23/2026", "2026-13-01", "2027-02-29", "31/04/2026", "23/11/26", "2026/11/23x", "0/1/2026"} {
		if d, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %s, want an error", in, d)
		}
	}
}

func TestDateFormats(t *testing.T) {
	d := MustDate("2026-11-23")
	if d.Long() != "Mon 23 Nov 2026" || d.UK() != "23/11/2026" || d.String() != "2026-11-23" {
		t.Errorf("got %q %q %q", d.Long(), d.UK(), d.String())
	}
	// 31 Jan + 1 month = 28 Feb (last day of the shorter month); 2028 is a leap year.
	if got := MustDate("2027-01-31").AddMonths(1).String(); got != "2027-02-28" {
		t.Errorf("AddMonths = %s", got)
	}
	if got := MustDate("2028-01-31").AddMonths(1).String(); got != "2028-02-29" {
		t.Errorf("AddMonths = %s", got)
	}
}

func TestParseAmount(t *testing.T) {
	good := map[string]int64{"1234.56": 123456, "£1,234.56": 123456, "1234": 123400, "£ 500": 50000,
		"0.5": 50, "3,000,000": 300000000, "GBP 12.30": 1230, ".75": 75}
	for in, want := range good {
		if p, ok, err := ParseAmount(in); err != nil || !ok || p != want {
			t.Errorf("ParseAmount(%q) = %d %v %v, want %d", in, p, ok, err, want)
		}
	}
	if _, ok, err := ParseAmount(" "); ok || err != nil {
		t.Errorf("blank amount should be unknown, not an error")
	}
	for _, in := range []string{"-5", "12,34", "1.234", "abc", "£", "1,2345.00", "99999999999999"} {
		if p, _, err := ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) = %d, want an error", in, p)
		}
	}
	for p, want := range map[int64]string{0: "£0.00", 5: "£0.05", 123456: "£1,234.56", 100000000: "£1,000,000.00", 99900: "£999.00"} {
		if got := FormatPence(p); got != want {
			t.Errorf("FormatPence(%d) = %s, want %s", p, got, want)
		}
	}
}

func TestParseTrackAndSubject(t *testing.T) {
	for in, want := range map[string]Track{"paper": Paper, "Default Paper": Paper, "BASIC": Basic, "standard": Standard, " complex ": Complex} {
		if got, err := ParseTrack(in); err != nil || got != want {
			t.Errorf("ParseTrack(%q) = %s %v", in, got, err)
		}
	}
	if _, err := ParseTrack("fast"); err == nil {
		t.Error("ParseTrack(fast) should fail")
	}
	for in, want := range map[string]Subject{"vat": "vat", "VAT": "vat", "Late filing penalty": "late-filing-penalty", "late_payment_penalty": "late-payment-penalty"} {
		if got, err := ParseSubject(in); err != nil || got != want {
			t.Errorf("ParseSubject(%q) = %s %v", in, got, err)
		}
	}
	if _, err := ParseSubject("parking"); err == nil {
		t.Error("ParseSubject(parking) should fail")
	}
}

func TestRulePackOverride(t *testing.T) {
	base, _ := EmbeddedPack("ftt-tax")
	if _, err := LoadRulePack("ftt-tax", append(append([]byte{}, base...), []byte("\nmystery = 1\n")...), "x.toml"); err == nil {
		t.Error("an unknown setting should be refused")
	}
	p, err := LoadRulePack("ftt-tax", []byte(string(base)+""), "copy.toml")
	if err != nil || p.Source != "copy.toml" {
		t.Fatalf("override: %v", err)
	}
	if _, err := LoadRulePack("nope", nil, ""); err == nil {
		t.Error("unknown pack should fail")
	}
}
