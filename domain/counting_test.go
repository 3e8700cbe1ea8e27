package domain

import (
	"strings"
	"testing"
)

// England and Wales dates used below (GOV.UK data to 2027, computed after):
// Mon 31 Aug 2026 summer bank holiday; Fri 25 Dec 2026 Christmas Day, Sat 26
// Boxing Day with its substitute Mon 28 Dec; Fri 1 Jan 2027 New Year's Day;
// Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027; Mon 25 and Tue 26 Dec
// 2028 (computed, provisional).

// A period set by a direction counts as the pack counts (CPR 2.8 in a court,
// r12 in a tribunal), and says how.
func TestCountDaysForDirections(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	court, tax := MustRulePack("admin-court-jr"), MustRulePack("ftt-tax")
	tests := []struct {
		name   string
		pack   *RulePack
		anchor string
		days   int
		want   string
		how    string
	}{
		// CPR 2.8(4) worked example: 2 days from Fri 28 Aug 2026; Sat 29, Sun 30 and Mon 31 Aug (summer bank
		// holiday) not counted: Tue 1 Sep is day 1, Wed 2 Sep day 2 -> Wed 2 Sep 2026.
		{"court: 2 days over the summer bank holiday", court, "2026-08-28", 2, "2026-09-02", "CPR 2.8(4)"},
		// Tribunal r12: Fri 28 Aug 2026 + 2 = Sun 30 Aug; Sun and Mon 31 Aug not working days -> Tue 1 Sep 2026.
		{"tribunal: 2 days, r12", tax, "2026-08-28", 2, "2026-09-01", "Mon 31 Aug 2026 (Summer bank holiday)"},
		// Court, 14 days (more than 5, clear days): Mon 14 Dec 2026 + 14 = Mon 28 Dec 2026 (substitute Boxing
		// Day), closed -> Tue 29 Dec 2026 (CPR 2.8(5): a filing direction).
		{"court: 14 days into the Christmas closure", court, "2026-12-14", 14, "2026-12-29", "CPR 2.8(5)"},
		// Court past the data: Wed 20 Dec 2028 + 5 working days: Thu 21 (1), Fri 22 (2), Mon 25 and Tue 26 Dec
		// 2028 not counted, Wed 27 (3), Thu 28 (4), Fri 29 Dec 2028 (5).
		{"court: 5 days over Christmas 2028", court, "2028-12-20", 5, "2028-12-29", "Mon 25 Dec 2028"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, how := tt.pack.CountDays(cal, MustDate(tt.anchor), tt.days)
			if due.String() != tt.want || !strings.Contains(how, tt.how) {
				t.Errorf("CountDays(%s, %d) = %s (%s), want %s mentioning %q", tt.anchor, tt.days, due, how, tt.want, tt.how)
			}
		})
	}
}

// CPR 2.8(3)(b): "N clear days before an event".
func TestClearDaysBefore(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	court, tax := MustRulePack("admin-court-jr"), MustRulePack("ftt-tax")
	tests := []struct {
		name  string
		pack  *RulePack
		event string
		days  int
		want  string
	}{
		// The rule's own example: 3 days' notice before a hearing on Fri 20 Oct 2023: Tue 17, Wed 18, Thu 19
		// are the clear days -> Mon 16 Oct 2023.
		{"CPR 2.8(3)(b) example", court, "2023-10-20", 3, "2023-10-16"},
		// Hearing Tue 5 Jan 2027, 3 clear days, 5 or fewer so non-working days are not counted (2.8(4)): Mon 4
		// Jan (1), Fri 1 Jan New Year's Day skipped, Thu 31 Dec (2), Wed 30 Dec (3) -> by Tue 29 Dec 2026.
		{"over New Year", court, "2027-01-05", 3, "2026-12-29"},
		// Hearing Thu 1 Apr 2027, 2 clear days: Wed 31 Mar (1), Tue 30 Mar (2) -> by Mon 29 Mar, Easter Monday,
		// closed; Sun 28, Sat 27 and Good Friday 26 Mar closed too: the open day before is Thu 25 Mar 2027.
		{"over Easter, last day moves earlier", court, "2027-04-01", 2, "2027-03-25"},
		// Tribunal pack, 7 days before Mon 4 Jan 2027: 28 Dec to 3 Jan are the 7 clear days -> Sun 27 Dec,
		// not a working day; Sat 26, Fri 25 Dec neither -> Thu 24 Dec 2026.
		{"tribunal, 7 days before, back over Christmas", tax, "2027-01-04", 7, "2026-12-24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, how := tt.pack.ClearDaysBefore(cal, MustDate(tt.event), tt.days)
			if due.String() != tt.want || how == "" {
				t.Errorf("ClearDaysBefore(%s, %d) = %s (%s), want %s", tt.event, tt.days, due, how, tt.want)
			}
		})
	}
	// As a pack deadline: counting = "clear-days-before" on a hearing event.
	r := DeadlineRule{Kind: "notice", Days: 3, Counting: "clear-days-before"}
	if due, _, _ := court.Count(cal, MustDate("2023-10-20"), r); due.String() != "2023-10-16" {
		t.Errorf("rule: %s, want 2023-10-16", due)
	}
}

// "N working days after" and "N days beginning with" on any deadline.
func TestWorkingDaysAndBeginningWith(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	tax, court := MustRulePack("ftt-tax"), MustRulePack("admin-court-jr")
	tests := []struct {
		name   string
		pack   *RulePack
		anchor string
		rule   DeadlineRule
		want   string
		prov   bool
	}{
		// Thu 24 Dec 2026 + 3 working days: Christmas, weekend and Mon 28 not counted: Tue 29 (1), Wed 30 (2),
		// Thu 31 Dec 2026 (3).
		{"3 working days over Christmas", tax, "2026-12-24", DeadlineRule{WorkingDays: 3}, "2026-12-31", false},
		// Thu 21 Dec 2028 + 2 working days: Fri 22 (1), Mon 25 and Tue 26 (computed) not, Wed 27 Dec 2028 (2).
		{"2 working days past the data", tax, "2028-12-21", DeadlineRule{WorkingDays: 2}, "2028-12-27", true},
		// r12, 30 days beginning with Wed 2 Dec 2026: 2 Dec + 29 = Thu 31 Dec 2026, a working day.
		{"tribunal: 30 days beginning with", tax, "2026-12-02", DeadlineRule{Days: 30, Counting: "beginning-with"}, "2026-12-31", false},
		// r12, 30 days beginning with Thu 3 Dec 2026: + 29 = Fri 1 Jan 2027 (New Year's Day), Sat, Sun -> Mon 4
		// Jan 2027.
		{"tribunal: beginning with, then r12", tax, "2026-12-03", DeadlineRule{Days: 30, Counting: "beginning-with"}, "2027-01-04", false},
		// Court, 3 days beginning with Thu 24 Dec 2026: day 1 Thu 24, Christmas, weekend and Mon 28 not counted
		// (2.8(4)), Tue 29 (2), Wed 30 Dec 2026 (3).
		{"court: short period beginning with", court, "2026-12-24", DeadlineRule{Days: 3, Counting: "beginning-with"}, "2026-12-30", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, _, prov := tt.pack.Count(cal, MustDate(tt.anchor), tt.rule)
			if due.String() != tt.want || prov != tt.prov {
				t.Errorf("Count(%s) = %s provisional %v, want %s provisional %v", tt.anchor, due, prov, tt.want, tt.prov)
			}
		})
	}
}

func TestDeemedService(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	court, ut := MustRulePack("admin-court-jr"), MustRulePack("ut-iac-jr")
	tests := []struct {
		name, kind   string
		pack         *RulePack
		on           string
		method, time string
		want         string
	}{
		// CPR 6.14, the example: claim form posted Thu 24 Dec 2026; Fri 25, Sat, Sun, Mon 28 not
		// business days; Tue 29 Dec the first business day after, Wed 30 Dec 2026 the second.
		{"claim form posted on Christmas Eve", "claim-served", court, "2026-12-24", "first-class-post", "", "2026-12-30"},
		// CPR 6.14 whatever the method: emailed Mon 7 Dec 2026 10:00 -> Tue 8 (1), Wed 9 Dec 2026 (2).
		{"claim form by email", "claim-served", court, "2026-12-07", "email", "10:00", "2026-12-09"},
		// CPR 6.14 past the data: posted Fri 22 Dec 2028; Mon 25, Tue 26 (computed) not business days: Wed 27
		// (1), Thu 28 Dec 2028 (2).
		{"claim form posted before Christmas 2028", "claim-served", court, "2028-12-22", "first-class-post", "", "2028-12-28"},
		// CPR 6.26 first class post: the second day after posting if a business day. Posted Tue 1 Dec 2026 ->
		// Thu 3 Dec 2026.
		{"document posted on a Tuesday", "aos-served", court, "2026-12-01", "first-class-post", "", "2026-12-03"},
		// Posted Thu 3 Dec 2026 -> Sat 5 Dec, not a business day -> the next business day, Mon 7 Dec 2026.
		{"document posted on a Thursday", "aos-served", court, "2026-12-03", "first-class-post", "", "2026-12-07"},
		// Posted Fri 4 Dec 2026 -> Sun 6 Dec -> Mon 7 Dec 2026 (the rule's text; not "the second business day",
		// which would be Tue 8 Dec).
		{"document posted on a Friday", "aos-served", court, "2026-12-04", "dx", "", "2026-12-07"},
		// Posted Wed 23 Dec 2026 -> Fri 25 Dec (Christmas Day); Sat, Sun, Mon 28 -> Tue 29 Dec 2026.
		{"document posted into Christmas", "paper-refusal-served", court, "2026-12-23", "first-class-post", "", "2026-12-29"},
		// Email before 4.30pm on a business day: that day. Mon 7 Dec 2026 16:29 -> Mon 7 Dec.
		{"email at 4.29pm", "aos-served", court, "2026-12-07", "email", "16:29", "2026-12-07"},
		// At 4.30pm it is not "before 4.30pm": the next business day, Tue 8 Dec 2026.
		{"email at 4.30pm", "aos-served", court, "2026-12-07", "email", "16:30", "2026-12-08"},
		// Personal service on Sat 19 Dec 2026 10:00, not a business day -> Mon 21 Dec 2026.
		{"personal service on a Saturday", "aos-served", court, "2026-12-19", "personal", "10:00", "2026-12-21"},
		// Email Thu 24 Dec 2026 16:45 -> the next business day after Christmas and Mon 28: Tue 29 Dec 2026.
		{"email late on Christmas Eve", "permission-order-served", court, "2026-12-24", "email", "16:45", "2026-12-29"},
		// UT r29(1) with Sutharsan: posted Thu 24 Dec 2026 -> second business day after, Wed 30 Dec 2026.
		{"UT application posted", "application-served", ut, "2026-12-24", "first-class-post", "", "2026-12-30"},
		// UT, emailed Mon 7 Dec 2026 -> provided that day.
		{"UT application emailed", "application-served", ut, "2026-12-07", "email", "18:00", "2026-12-07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, how, ok, err := tt.pack.DeemedService(cal, tt.kind, MustDate(tt.on), tt.method, tt.time)
			if err != nil || !ok || got.String() != tt.want || how == "" {
				t.Errorf("DeemedService(%s %s %s) = %s %q ok=%v err=%v, want %s", tt.on, tt.method, tt.time, got, how, ok, err, tt.want)
			}
		})
	}
	if _, _, _, err := court.DeemedService(cal, "aos-served", MustDate("2026-12-07"), "email", ""); err == nil || !strings.Contains(err.Error(), "--time") {
		t.Errorf("email without a time: err %v, want one asking for --time", err)
	}
	if _, _, _, err := court.DeemedService(cal, "aos-served", MustDate("2026-12-07"), "pigeon", ""); err == nil {
		t.Error("an unknown method was accepted")
	}
	if d, _, ok, _ := court.DeemedService(cal, "aos-served", MustDate("2026-12-07"), "", ""); ok || d.String() != "2026-12-07" {
		t.Errorf("no method: %s ok=%v, want the date given", d, ok)
	}

	// Periods count from the deemed date. Claim form posted Thu 24 Dec 2026, deemed served Wed 30 Dec 2026
	// (above); AoS filed not more than 21 days after: Wed 30 Dec + 21 = Wed 20 Jan 2027, open.
	events := []Event{{ID: 1, Kind: "claim-issued", On: MustDate("2026-12-21")},
		{ID: 2, Kind: "claim-served", On: MustDate("2026-12-24"), Data: EventData{Method: "first-class-post"}}}
	st := court.ReplayIn(cal, events)
	st.Subject = "judicial-review"
	d := deadlineOf(t, court.Deadlines(cal, st), "acknowledgment_of_service")
	if d.Due.String() != "2027-01-20" || d.Anchor.String() != "2026-12-30" || !strings.Contains(d.Moved, "CPR 6.14") {
		t.Errorf("AoS from deemed service: due %s anchor %s (%s), want 2027-01-20 from 2026-12-30", d.Due, d.Anchor, d.Moved)
	}
	// Without a method the date given is the date of service: Thu 24 Dec 2026 + 21 = Thu 14 Jan 2027.
	events[1].Data = EventData{}
	st = court.ReplayIn(cal, events)
	if d := deadlineOf(t, court.Deadlines(cal, st), "acknowledgment_of_service"); d.Due.String() != "2027-01-14" {
		t.Errorf("AoS without a method: due %s, want 2027-01-14", d.Due)
	}
}

// UT r12(1): an act due by a day must be done by 5pm.
func TestActCutoff(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	ut := MustRulePack("ut-iac-jr")
	// Permission sent Mon 1 Feb 2027 + 35 = Mon 8 Mar 2027. Grounds recorded at 17:30 on Mon 8 Mar count as
	// done on Tue 9 Mar 2027: after the due day. At 16:59 they are done on the day.
	for _, tt := range []struct{ at, met string }{{"17:30", "2027-03-09"}, {"16:59", "2027-03-08"}, {"", "2027-03-08"}} {
		events := []Event{{ID: 1, Kind: "permission-sent", On: MustDate("2027-02-01")},
			{ID: 2, Kind: "detailed-grounds", On: MustDate("2027-03-08"), Data: EventData{Time: tt.at}}}
		d := deadlineOf(t, ut.Deadlines(cal, ut.ReplayIn(cal, events)), "detailed_grounds")
		if d.Due.String() != "2027-03-08" || d.MetOn.String() != tt.met {
			t.Errorf("at %q: due %s met %s, want due 2027-03-08 met %s", tt.at, d.Due, d.MetOn, tt.met)
		}
	}
}

func TestTotallyWithoutMeritAndUTVariants(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	court, ut := MustRulePack("admin-court-jr"), MustRulePack("ut-iac-jr")
	has := func(ds []Deadline, kind string) bool {
		for _, d := range ds {
			if d.Kind == kind {
				return true
			}
		}
		return false
	}
	for _, tt := range []struct {
		pack    *RulePack
		subject Subject
		kind    string
	}{{court, "judicial-review", "paper-refusal-served"}, {ut, "immigration-jr", "refusal-sent"}, {ut, "judicial-review", "refusal-sent"}} {
		events := []Event{{ID: 1, Kind: tt.kind, On: MustDate("2026-12-07")}}
		st := tt.pack.ReplayIn(cal, events)
		st.Subject = tt.subject
		if !has(tt.pack.Deadlines(cal, st), "renewal") {
			t.Errorf("%s %s: no renewal deadline after a plain refusal", tt.pack.ID, tt.subject)
		}
		events[0].Data.TotallyWithoutMerit = true
		st = tt.pack.ReplayIn(cal, events)
		st.Subject = tt.subject
		if has(tt.pack.Deadlines(cal, st), "renewal") {
			t.Errorf("%s %s: a renewal deadline after a refusal as totally without merit (CPR 54.12(7); UT r30(4A))", tt.pack.ID, tt.subject)
		}
	}

	// UT, not immigration: the Tribunal sends the application (r28(8)), so no r28A duty, and renewal is 14
	// days. Refusal sent Thu 17 Dec 2026 + 14 = Thu 31 Dec 2026, a working day.
	st := jrCase(ut, "judicial-review", [2]string{"application-made", "2026-12-01"}, [2]string{"refusal-sent", "2026-12-17"})
	ds := ut.Deadlines(cal, st)
	if has(ds, "application_service") {
		t.Error("UT r28A applied to a judicial review that is not immigration")
	}
	if d := deadlineOf(t, ds, "renewal"); d.Due.String() != "2026-12-31" || d.Rule != "UT r30(5)" {
		t.Errorf("UT renewal, not immigration: %s (%s), want 2026-12-31", d.Due, d.Rule)
	}
	// AoS from when the Tribunal sent it: Fri 5 Mar 2027 + 21 = Fri 26 Mar 2027 (Good Friday); Sat, Sun,
	// Easter Monday -> Tue 30 Mar 2027 (r12).
	st = jrCase(ut, "judicial-review", [2]string{"application-made", "2027-03-01"}, [2]string{"application-sent", "2027-03-05"})
	if d := deadlineOf(t, ut.Deadlines(cal, st), "acknowledgment_of_service"); d.Due.String() != "2027-03-30" {
		t.Errorf("UT AoS, Tribunal sent: %s, want 2027-03-30", d.Due)
	}
}

func TestAcknowledgmentTwoSteps(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	p := MustRulePack("admin-court-jr")
	// Existing data: one aos-served event. It meets the filing deadline, and there is no service deadline
	// (nothing was recorded as filed).
	st := jrCase(p, "judicial-review", [2]string{"claim-served", "2026-12-01"}, [2]string{"aos-served", "2026-12-18"})
	ds := p.Deadlines(cal, st)
	if d := deadlineOf(t, ds, "acknowledgment_of_service"); d.Status != DeadlineMet || d.MetOn.String() != "2026-12-18" {
		t.Errorf("old aos-served: %+v", d)
	}
	for _, d := range ds {
		if d.Kind == "aos_service" {
			t.Errorf("an aos_service deadline without a filing: %+v", d)
		}
	}
	if st.Track != PermissionPaper {
		t.Errorf("stage %s, want permission-paper", st.Track)
	}
	// Filed Mon 14 Dec 2026: the filing deadline is met; service due Mon 14 + 7 = Mon 21 Dec 2026, open.
	st = jrCase(p, "judicial-review", [2]string{"claim-served", "2026-12-01"}, [2]string{"aos-filed", "2026-12-14"})
	ds = p.Deadlines(cal, st)
	if d := deadlineOf(t, ds, "acknowledgment_of_service"); d.Status != DeadlineMet {
		t.Errorf("filed: %+v", d)
	}
	if d := deadlineOf(t, ds, "aos_service"); d.Status != DeadlineOpen || d.Due.String() != "2026-12-21" {
		t.Errorf("service duty: %+v, want open, due 2026-12-21", d)
	}
}

func TestProcurementLateness(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	p := MustRulePack("admin-court-jr")
	for _, tt := range []struct {
		knew, received string
		late           bool
		days           int
	}{
		// Thu 26 Nov 2026 + 29 = Fri 25 Dec (closed) -> Tue 29 Dec 2026 (CPR 2.8(5)): in time that day.
		{"2026-11-26", "2026-12-29", false, 0},
		{"2026-11-26", "2026-12-30", true, 1},
		// Wed 25 Nov 2026 + 29 = Thu 24 Dec 2026, open: received Tue 29 Dec is 5 days late.
		{"2026-11-25", "2026-12-29", true, 5},
	} {
		got := p.LatenessOf(Notice{Subject: "procurement-jr", Stage: ClaimIssued, DecisionDate: MustDate(tt.knew), Received: MustDate(tt.received)}, cal)
		if got.Late != tt.late || got.DaysLate != tt.days {
			t.Errorf("knew %s received %s: %+v, want late=%v by %d", tt.knew, tt.received, got, tt.late, tt.days)
		}
	}
}
