package domain

import (
	"strings"
	"testing"
)

// Every service level, worked by hand on the England and Wales calendar.
// The received day is never counted; weekends, bank holidays, Christmas
// Day and Good Friday are skipped.
func TestServiceLevelDue(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	l := DefaultServiceLevels()
	cases := []struct {
		name     string
		ch       Channel
		topic    string
		received string
		want     string
		rule     string
	}{
		// Email, 10 working days from Mon 23 Nov 2026: Tue 24 (1), Wed 25, Thu 26, Fri 27 (4),
		// Mon 30 (5), Tue 1 Dec, Wed 2, Thu 3, Fri 4 (9), Mon 7 Dec (10).
		{"email plain fortnight", ChannelEmail, "progress", "2026-11-23", "2026-12-07", "email: 10 working days"},
		// Phone callback, 2 working days from Fri 27 Nov 2026: the weekend skipped, Mon 30 (1), Tue 1 Dec (2).
		{"phone over a weekend", ChannelPhone, "progress", "2026-11-27", "2026-12-01", "phone: 2 working days"},
		// Webchat on Sat 28 Nov 2026: counting starts with Mon 30 (1), Tue 1 Dec (2).
		{"webchat received on a Saturday", ChannelWebchat, "documents", "2026-11-28", "2026-12-01", "webchat: 2 working days"},
		// Email on Wed 23 Dec 2026: Thu 24 (1); Fri 25 Christmas, Mon 28 Boxing Day (substitute) skipped;
		// Tue 29 (2), Wed 30, Thu 31 (4); Fri 1 Jan 2027 New Year skipped; Mon 4 (5) .. Fri 8 (9), Mon 11 Jan (10).
		{"email over Christmas and New Year", ChannelEmail, "fees", "2026-12-23", "2027-01-11", "email: 10 working days"},
		// Letter on Thu 2 Apr 2026: Good Friday 3 Apr and Easter Monday 6 Apr skipped; Tue 7 (1) .. Fri 10 (4),
		// Mon 13 (5) .. Fri 17 (9), Mon 20 Apr (10).
		{"letter over Easter", ChannelLetter, "decision", "2026-04-02", "2026-04-20", "letter: 10 working days"},
		// A hearing query by email takes the topic's 1 day, shorter than email's 10: from Thu 24 Dec 2026,
		// Fri 25 and Mon 28 are holidays, so Tue 29 Dec (1).
		{"topic shorter than channel", ChannelEmail, "hearing", "2026-12-24", "2026-12-29", "topic hearing: 1 working day"},
		// In person, 5 working days from Thu 13 Apr 2028 (past the embedded data: Easter 16 Apr 2028 computed):
		// Good Friday 14, Easter Monday 17 skipped; Tue 18 (1), Wed 19, Thu 20, Fri 21 (4), Mon 24 Apr (5).
		{"in person, Easter past the data", ChannelInPerson, "other", "2028-04-13", "2028-04-24", "in-person: 5 working days"},
		// Phone, 2 working days from Fri 31 Dec 2027: 1 Jan 2028 is a Saturday, so New Year's Day is Mon 3 Jan
		// (substitute, computed); Tue 4 (1), Wed 5 Jan (2).
		{"phone, New Year substitute past the data", ChannelPhone, "progress", "2027-12-31", "2028-01-05", "phone: 2 working days"},
		// Email on Fri 24 Dec 2027: Christmas (Sat) moves to Mon 27, Boxing Day (Sun) to Tue 28; Wed 29 (1),
		// Thu 30, Fri 31 (3); Mon 3 Jan 2028 (New Year substitute) skipped; Tue 4 (4) .. Fri 7 (7),
		// Mon 10 (8), Tue 11 (9), Wed 12 Jan (10).
		{"email, Christmas at a weekend into a computed year", ChannelEmail, "progress", "2027-12-24", "2028-01-12", "email: 10 working days"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, rule := l.Due(cal, c.ch, c.topic, MustDate(c.received))
			if got != MustDate(c.want) || rule != c.rule {
				t.Errorf("Due(%s, %s, %s) = %s (%s), want %s (%s)", c.ch, c.topic, c.received, got.Long(), rule, MustDate(c.want).Long(), c.rule)
			}
		})
	}
}

func TestCallbackDue(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	l := DefaultServiceLevels()
	// 2 working days from Thu 24 Dec 2026: Fri 25 and Mon 28 are holidays; Tue 29 (1), Wed 30 Dec (2).
	if got := l.CallbackDue(cal, MustDate("2026-12-24")); got != MustDate("2026-12-30") {
		t.Errorf("callback due %s, want Wed 30 Dec 2026", got.Long())
	}
}

// The complaints procedure's stages (GOV.UK defaults 10, 10 and 15 working days).
func TestComplaintStages(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	l := DefaultComplaintLevels()
	cases := []struct {
		stage      int
		from, want string
	}{
		// Stage 1, 10 days from Mon 30 Nov 2026: Tue 1 Dec (1) .. Fri 4 (4), Mon 7 (5) .. Fri 11 (9), Mon 14 Dec (10).
		{1, "2026-11-30", "2026-12-14"},
		// Stage 2, 10 days from Fri 18 Dec 2026: Mon 21 (1) .. Thu 24 (4); Fri 25, Mon 28 holidays; Tue 29 (5),
		// Wed 30, Thu 31 (7); Fri 1 Jan holiday; Mon 4 (8), Tue 5 (9), Wed 6 Jan 2027 (10).
		{2, "2026-12-18", "2027-01-06"},
		// Stage 3, 15 days from Wed 24 Mar 2027: Thu 25 (1); Good Friday 26, Easter Monday 29 Mar skipped;
		// Tue 30 (2), Wed 31 (3), Thu 1 Apr (4), Fri 2 (5), Mon 5 (6) .. Fri 9 (10), Mon 12 (11) .. Fri 16 Apr (15).
		{3, "2027-03-24", "2027-04-16"},
	}
	for _, c := range cases {
		got, err := StartComplaint(l, cal, c.stage, MustDate(c.from))
		if err != nil || got.Due != MustDate(c.want) {
			t.Errorf("stage %d from %s: due %s (%v), want %s", c.stage, c.from, got.Due.Long(), err, MustDate(c.want).Long())
		}
		if !strings.Contains(got.Rule, "GOV.UK") {
			t.Errorf("stage %d rule %q does not cite its source", c.stage, got.Rule)
		}
	}
	if _, err := StartComplaint(l, cal, 4, MustDate("2026-11-30")); err == nil {
		t.Error("stage 4 accepted")
	}
}

func TestComplaintLifecycle(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	l := DefaultComplaintLevels()
	c, _ := StartComplaint(l, cal, 1, MustDate("2026-11-30"))
	if _, err := c.Escalate(l, cal, MustDate("2026-12-01")); err == nil {
		t.Error("a complaint without a response went to stage 2")
	}
	q := Query{ID: 7, Status: QueryOpen, Complaint: &c}
	if err := CheckTransition(q, QueryResolved, "sorted", ""); err == nil || !strings.Contains(err.Error(), "response") {
		t.Errorf("a complaint closed without a response: %v", err)
	}
	if _, err := c.Respond("maybe", "we apologise", MustDate("2026-12-02")); err == nil {
		t.Error("an unknown outcome was accepted")
	}
	if _, err := c.Respond(OutcomeUpheld, "", MustDate("2026-12-02")); err == nil {
		t.Error("an empty response was accepted")
	}
	if _, err := c.Respond(OutcomeUpheld, "we apologise", MustDate("2026-11-29")); err == nil {
		t.Error("a response before the complaint was accepted")
	}
	c, err := c.Respond(OutcomePartly, "we apologise for the delay", MustDate("2026-12-02"))
	if err != nil || !c.Responded() {
		t.Fatalf("respond: %v", err)
	}
	q.Complaint = &c
	if err := CheckTransition(q, QueryResolved, "responded", ""); err != nil {
		t.Errorf("a responded complaint cannot be resolved: %v", err)
	}
	// Stage 2 from Fri 4 Dec 2026, 10 days: Mon 7 (1) .. Fri 11 (5), Mon 14 (6) .. Thu 17 Dec (9), Fri 18 Dec (10).
	c2, err := c.Escalate(l, cal, MustDate("2026-12-04"))
	if err != nil || c2.Stage != 2 || c2.Due != MustDate("2026-12-18") || c2.Responded() {
		t.Errorf("escalate: %+v %v", c2, err)
	}
}

func TestCheckTransition(t *testing.T) {
	open := Query{ID: 1, Status: QueryOpen}
	cases := []struct {
		q          Query
		to         QueryStatus
		resolution string
		team       string
		ok         bool
	}{
		{open, QueryResolved, "explained the next step", "", true},
		{open, QueryResolved, "  ", "", false},
		{open, QueryPassed, "", "listing", true},
		{open, QueryPassed, "", "", false},
		{open, QueryEscalated, "", "", false},
		{open, QueryWaiting, "", "", true},
		{open, QueryOpen, "", "", false},
		{Query{ID: 2, Status: QueryResolved}, QueryOpen, "", "", false},
		{Query{ID: 3, Status: QueryPassed}, QueryPassed, "", "fees team", true},
	}
	for _, c := range cases {
		err := CheckTransition(c.q, c.to, c.resolution, c.team)
		if (err == nil) != c.ok {
			t.Errorf("%s -> %s (%q, %q): %v, want ok=%v", c.q.Status, c.to, c.resolution, c.team, err, c.ok)
		}
	}
}

func TestServiceLevelState(t *testing.T) {
	due := MustDate("2026-12-07")
	cases := []struct {
		q     Query
		today string
		want  string
	}{
		{Query{Status: QueryOpen, Due: due}, "2026-12-04", "within"},
		{Query{Status: QueryWaiting, Due: due}, "2026-12-07", "due today"},
		{Query{Status: QueryPassed, Due: due}, "2026-12-08", "overdue"},
		{Query{Status: QueryResolved, Due: due, ResolvedOn: due}, "2026-12-20", "met"},
		{Query{Status: QueryResolved, Due: due, ResolvedOn: MustDate("2026-12-08")}, "2026-12-20", "missed"},
	}
	for _, c := range cases {
		if got := ServiceLevelState(c.q, MustDate(c.today)); got != c.want {
			t.Errorf("%s due %s on %s: %s, want %s", c.q.Status, c.q.Due, c.today, got, c.want)
		}
	}
}

func TestServiceLevelsMergeAndValidate(t *testing.T) {
	tax := DefaultTaxonomy()
	office := ServiceLevels{ByChannel: map[Channel]int{ChannelEmail: 5}, Complaints: ComplaintLevels{Stage1: 7}}
	m := office.Merge(DefaultServiceLevels())
	if m.ByChannel[ChannelEmail] != 5 || m.ByChannel[ChannelLetter] != 10 || m.Complaints.Stage1 != 7 || m.Complaints.Stage3 != 15 || m.Callback != 2 {
		t.Errorf("merge: %+v", m)
	}
	if err := m.Validate(tax); err != nil {
		t.Errorf("valid levels refused: %v", err)
	}
	bad := []ServiceLevels{
		{ByChannel: map[Channel]int{"fax": 3}},
		{ByChannel: map[Channel]int{ChannelEmail: 0}},
		{ByTopic: map[string]int{"weather": 3}},
	}
	for _, b := range bad {
		if err := b.Merge(DefaultServiceLevels()).Validate(tax); err == nil {
			t.Errorf("%+v accepted", b)
		}
	}
}

func TestNormalContact(t *testing.T) {
	for in, want := range map[string]string{"+44 20 7946 0000": "02079460000", "020 7946 0000": "02079460000",
		"0044 (0)20 7946 0000": "02079460000", "+44 (0)20 7946 0000": "02079460000", "07700 900123": "07700900123", "x12": ""} {
		if got := NormalPhone(in); got != want {
			t.Errorf("NormalPhone(%q) = %q, want %q", in, got, want)
		}
	}
	if NormalEmail("  Jane.Doe@Example.ORG ") != "jane.doe@example.org" {
		t.Error("NormalEmail")
	}
	for _, c := range []Contact{{Name: ""}, {Name: "A", Email: "not-an-address"}, {Name: "A", Phone: "12"}} {
		if c.Validate() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestValidateNewQuery(t *testing.T) {
	tax := DefaultTaxonomy()
	good := Query{Channel: ChannelPhone, Contact: Contact{Name: "Jane Doe", Role: RoleAppellant}, Topic: "progress",
		Summary: "asked when HMRC's statement is due", Received: MustDate("2026-11-30")}
	if err := ValidateNewQuery(good, tax); err != nil {
		t.Fatal(err)
	}
	for field, mutate := range map[string]func(*Query){
		"channel": func(q *Query) { q.Channel = "fax" },
		"role":    func(q *Query) { q.Contact.Role = "judge" },
		"name":    func(q *Query) { q.Contact.Name = " " },
		"topic":   func(q *Query) { q.Topic = "weather" },
		"summary": func(q *Query) { q.Summary = "" },
	} {
		q := good
		mutate(&q)
		err := ValidateNewQuery(q, tax)
		if err == nil || !strings.HasPrefix(err.Error(), field) {
			t.Errorf("%s: %v, want an error naming the field", field, err)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	cases := []struct {
		from, to string
		want     int
	}{
		{"2026-11-23", "2026-11-23", 0}, // same day
		{"2026-11-27", "2026-11-30", 1}, // Fri to Mon: only Mon 30 counts
		// Wed 23 Dec 2026 to Mon 4 Jan 2027: Thu 24, Tue 29, Wed 30, Thu 31, Mon 4 (Christmas, Boxing Day substitute, New Year skipped).
		{"2026-12-23", "2027-01-04", 5},
		// Thu 2 Apr 2026 to Tue 7 Apr: Good Friday and Easter Monday skipped, Tue 7 counts.
		{"2026-04-02", "2026-04-07", 1},
	}
	for _, c := range cases {
		if got := WorkingDaysBetween(cal, MustDate(c.from), MustDate(c.to)); got != c.want {
			t.Errorf("%s to %s: %d, want %d", c.from, c.to, got, c.want)
		}
	}
}
