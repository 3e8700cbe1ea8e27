package domain

import (
	"strings"
	"testing"
)

// jrCase replays events (kind, date) on a case of subject s in pack p.
func jrCase(p *RulePack, s Subject, evs ...[2]string) CaseState {
	var events []Event
	for i, e := range evs {
		events = append(events, Event{ID: int64(i + 1), Kind: e[0], On: MustDate(e[1])})
	}
	st := Replay(events)
	st.Subject = s
	st.Track = p.Stage(st)
	return st
}

func deadlineOf(t *testing.T, ds []Deadline, kind string) Deadline {
	t.Helper()
	for _, d := range ds {
		if d.Kind == kind {
			return d
		}
	}
	t.Fatalf("no %s deadline in %+v", kind, ds)
	return Deadline{}
}

// Every expected date was worked out by hand from the rule named in the
// row and the England and Wales calendar: Christmas Day Fri 25 Dec 2026,
// Boxing Day Sat 26 Dec 2026 with its substitute Mon 28 Dec; New Year's Day
// Fri 1 Jan 2027; Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027.
func TestAdminCourtJRDeadlines(t *testing.T) {
	p := MustRulePack("admin-court-jr")
	cal := MustCalendar(EnglandAndWales)
	tests := []struct {
		name, kind string
		subject    Subject
		events     [][2]string
		want       string
		moved      string // a word the explanation must hold, "" if the date must not move
	}{
		// Pre-Action Protocol: letter received Mon 2 Nov 2026 + 14 clear days = Mon 16 Nov 2026, an open day.
		{"PAP response", "pap_response", "judicial-review", [][2]string{{"letter-before-claim", "2026-11-02"}}, "2026-11-16", ""},
		// CPR 54.5(1): grounds arose Mon 30 Nov 2026 + 3 months = 30 Feb, which does not exist: the last day
		// of February, Sun 28 Feb 2027 (CPR 2.10; 2027 is not a leap year). The office is closed on Sunday:
		// Mon 1 Mar 2027 (CPR 2.8(5)).
		{"claim form, 3 months ending in a short month on a Sunday", "claim_form", "judicial-review",
			[][2]string{{"grounds-arose", "2026-11-30"}}, "2027-03-01", "CPR 2.8(5)"},
		// CPR 54.5(1): Mon 31 Aug 2026 + 3 months = 31 Nov, which does not exist: Mon 30 Nov 2026, open.
		{"claim form, 31st to a 30-day month", "claim_form", "judicial-review",
			[][2]string{{"grounds-arose", "2026-08-31"}}, "2026-11-30", ""},
		// CPR 54.5(5) planning: Mon 16 Nov 2026 + 6 weeks = Mon 28 Dec 2026, the Boxing Day substitute bank
		// holiday: Tue 29 Dec 2026.
		{"planning, 6 weeks into Christmas", "claim_form", "planning-jr",
			[][2]string{{"grounds-arose", "2026-11-16"}}, "2026-12-29", "Boxing Day"},
		// CPR 54.5(6) procurement, 30 days beginning with the date of knowledge (PCR 2015 reg 92(2)): Wed 25 Nov
		// 2026 is day 1, so the last day is 25 Nov + 29 = Thu 24 Dec 2026, open.
		{"procurement, 30 days beginning with", "claim_form", "procurement-jr",
			[][2]string{{"grounds-arose", "2026-11-25"}}, "2026-12-24", "beginning with"},
		// Thu 26 Nov 2026 + 29 = Fri 25 Dec 2026 (Christmas Day); Sat 26, Sun 27, Mon 28 (substitute Boxing Day)
		// closed: Tue 29 Dec 2026 (CPR 2.8(5)); the explanation names every day skipped.
		{"procurement, last day on Christmas Day", "claim_form", "procurement-jr",
			[][2]string{{"grounds-arose", "2026-11-26"}}, "2026-12-29", "Fri 25 Dec 2026 (Christmas Day), Sat 26 Dec 2026 (Saturday), Sun 27 Dec 2026 (Sunday) and Mon 28 Dec 2026 (Boxing Day (substitute day))"},
		// CPR 54.7: issued Fri 18 Dec 2026 + 7 = Fri 25 Dec 2026. Service is not an act at the court office, so
		// CPR 2.8(5) does not move it: Fri 25 Dec 2026.
		{"claim service, 7 days to Christmas Day, not moved", "claim_service", "judicial-review",
			[][2]string{{"claim-issued", "2026-12-18"}}, "2026-12-25", ""},
		// PAP: letter Fri 18 Dec 2026 + 14 = Fri 1 Jan 2027 (New Year's Day): a letter between parties, not moved.
		{"PAP response on New Year's Day, not moved", "pap_response", "judicial-review",
			[][2]string{{"letter-before-claim", "2026-12-18"}}, "2027-01-01", ""},
		// CPR 54.8(2)(a): served Tue 1 Dec 2026 + 21 = Tue 22 Dec 2026, open.
		{"acknowledgment of service, 21 days", "acknowledgment_of_service", "judicial-review",
			[][2]string{{"claim-issued", "2026-11-27"}, {"claim-served", "2026-12-01"}}, "2026-12-22", ""},
		// CPR 54.8A: AoS served Fri 19 Mar 2027 + 7 = Fri 26 Mar 2027, Good Friday; Sat, Sun, Easter Monday
		// 29 Mar closed: Tue 30 Mar 2027. (7 days is more than 5, so weekends inside the period count.)
		{"claimant's reply, 7 days to Good Friday", "claimant_reply", "judicial-review",
			[][2]string{{"claim-served", "2027-02-20"}, {"aos-served", "2027-03-19"}}, "2027-03-30", "Good Friday"},
		// CPR 54.8(2)(b): filed Fri 18 Dec 2026 + 7 = Fri 25 Dec 2026: service between parties, not moved.
		{"acknowledgment served 7 days after filing", "aos_service", "judicial-review",
			[][2]string{{"claim-served", "2026-12-01"}, {"aos-filed", "2026-12-18"}}, "2026-12-25", ""},
		// CPR 54.8A runs from service of the acknowledgment: filed Mon 7 Dec, served Mon 14 Dec 2026 + 7 = Mon
		// 21 Dec 2026, open.
		{"claimant's reply from service, not filing", "claimant_reply", "judicial-review",
			[][2]string{{"claim-served", "2026-11-20"}, {"aos-filed", "2026-12-07"}, {"aos-served", "2026-12-14"}}, "2026-12-21", ""},
		// CPR 54.8A(2)(b): reply filed Fri 18 Dec 2026 + 7 = Fri 25 Dec 2026 (Christmas Day): service between parties, not moved.
		{"reply served 7 days after filing, not moved", "claimant_reply_service", "judicial-review",
			[][2]string{{"aos-served", "2026-12-14"}, {"claimant-reply", "2026-12-18"}}, "2026-12-25", ""},
		// CPR 54.12(4): reasons served Mon 21 Dec 2026 + 7 = Mon 28 Dec 2026 (substitute) -> Tue 29 Dec 2026.
		{"renewal, 7 days", "renewal", "judicial-review",
			[][2]string{{"paper-refusal-served", "2026-12-21"}}, "2026-12-29", "Boxing Day"},
		// CPR 54.14(1): order served Fri 27 Nov 2026 + 35 = Fri 1 Jan 2027 (New Year's Day) -> Mon 4 Jan 2027.
		{"detailed grounds, 35 days to New Year's Day", "detailed_grounds", "judicial-review",
			[][2]string{{"permission-order-served", "2026-11-27"}}, "2027-01-04", "New Year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := deadlineOf(t, p.Deadlines(cal, jrCase(p, tt.subject, tt.events...)), tt.kind)
			if d.Due.String() != tt.want {
				t.Errorf("due %s (%s), want %s", d.Due, d.Moved, tt.want)
			}
			if tt.moved == "" && d.Moved != "" || tt.moved != "" && !strings.Contains(d.Moved, tt.moved) {
				t.Errorf("moved = %q, want it to mention %q", d.Moved, tt.moved)
			}
			if d.Citation == "" || d.Rule == "" {
				t.Errorf("no rule or citation: %+v", d)
			}
		})
	}
}

// CPR 2.8: clear days, and a period of 5 days or less skips weekends and
// bank holidays.
func TestCPRClearDays(t *testing.T) {
	p := MustRulePack("admin-court-jr")
	cal := MustCalendar(EnglandAndWales)
	tests := []struct {
		name   string
		anchor string
		days   int
		want   string
	}{
		// CPR 2.8 example (DOMAIN.md): served Mon 2 Oct 2023, "within 14 days of service" -> 16 October.
		{"the rule's own example", "2023-10-02", 14, "2023-10-16"},
		// 5 days from Thu 24 Dec 2026, not counting Christmas Day, Sat 26, Sun 27, Mon 28 (substitute Boxing
		// Day) or Fri 1 Jan (New Year's Day): Tue 29 (1), Wed 30 (2), Thu 31 (3), Mon 4 Jan (4), Tue 5 Jan (5).
		{"5 days across Christmas and New Year", "2026-12-24", 5, "2027-01-05"},
		// 3 days from Wed 24 Mar 2027: Thu 25 (1); Good Friday, Sat, Sun, Easter Monday not counted;
		// Tue 30 (2), Wed 31 Mar (3).
		{"3 days across Easter", "2027-03-24", 3, "2027-03-31"},
		// 2 days from Fri 28 Aug 2026: Sat, Sun and Mon 31 Aug (summer bank holiday) not counted: Tue 1 (1),
		// Wed 2 Sep (2).
		{"2 days across the summer bank holiday", "2026-08-28", 2, "2026-09-02"},
		// 6 days is more than 5: counted straight, Fri 18 Dec 2026 + 6 = Thu 24 Dec 2026, open.
		{"6 days counts weekends", "2026-12-18", 6, "2026-12-24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, _, _ := p.Count(cal, MustDate(tt.anchor), DeadlineRule{Days: tt.days})
			if due.String() != tt.want {
				t.Errorf("%s + %d clear days = %s, want %s", tt.anchor, tt.days, due, tt.want)
			}
		})
	}

	// A court closure day from config (CPR 2.8(5)): Thu 24 Dec 2026 closed. Claim served Thu 3 Dec 2026 + 21
	// = Thu 24 Dec: closed, then Christmas Day, the weekend and Mon 28 Dec: Tue 29 Dec 2026.
	q := *p
	q.ClosureDays = []Date{MustDate("2026-12-24")}
	d := deadlineOf(t, q.Deadlines(cal, jrCase(&q, "judicial-review", [2]string{"claim-served", "2026-12-03"})), "acknowledgment_of_service")
	if d.Due.String() != "2026-12-29" || !strings.Contains(d.Moved, "court closure day") {
		t.Errorf("closure day: due %s (%s), want 2026-12-29 moved for the closure", d.Due, d.Moved)
	}

	// A 3-month limit ending in a leap February past the published data: Tue 30 Nov 2027 + 3 months = 30 Feb
	// 2028 -> Tue 29 Feb 2028 (2028 is a leap year), open, but provisional: 2028 holidays are computed.
	d = deadlineOf(t, p.Deadlines(cal, jrCase(p, "judicial-review", [2]string{"grounds-arose", "2027-11-30"})), "claim_form")
	if d.Due.String() != "2028-02-29" || !d.Provisional {
		t.Errorf("leap February: due %s provisional %v, want 2028-02-29 provisional", d.Due, d.Provisional)
	}
	// The promptly warning shows 56 days before the end: 29 Feb 2028 - 56 days = Fri 4 Jan 2028 (29 days of
	// February back to 31 Jan... 29 Feb - 29 = 31 Jan, - 27 more = 4 Jan 2028).
	if d.Warn.String() != "2028-01-04" || !strings.Contains(d.Warning, "promptly") {
		t.Errorf("warning from %s (%q), want 2028-01-04 and a promptly warning", d.Warn, d.Warning)
	}
}

// UT Rules 2008 Part 4, counted "after" with r12 (next working day).
func TestUTIACJRDeadlines(t *testing.T) {
	p := MustRulePack("ut-iac-jr")
	cal := MustCalendar(EnglandAndWales)
	tests := []struct {
		name, kind string
		events     [][2]string
		want       string
	}{
		// PAP: letter Fri 18 Dec 2026 + 14 = Fri 1 Jan 2027 (New Year's Day) -> Mon 4 Jan 2027.
		{"PAP response to New Year's Day", "pap_response", [][2]string{{"letter-before-claim", "2026-12-18"}}, "2027-01-04"},
		// r28(2): decision Mon 30 Nov 2026 + 3 months = Sun 28 Feb 2027 (no 30 Feb) -> r12: Mon 1 Mar 2027.
		{"application, 3 months into February", "application", [][2]string{{"grounds-arose", "2026-11-30"}}, "2027-03-01"},
		// r28A(2)(a): made Wed 16 Dec 2026 + 9 = Fri 25 Dec 2026 -> Sat, Sun, Mon 28 (substitute) -> Tue 29 Dec.
		{"service within 9 days, Christmas", "application_service", [][2]string{{"application-made", "2026-12-16"}}, "2026-12-29"},
		// r29(1): sent Fri 5 Mar 2027 + 21 = Fri 26 Mar 2027 (Good Friday) -> Easter Monday -> Tue 30 Mar 2027.
		{"acknowledgment, 21 days to Good Friday", "acknowledgment_of_service",
			[][2]string{{"application-made", "2027-03-01"}, {"application-served", "2027-03-05"}}, "2027-03-30"},
		// r30(5), immigration JR 9 days: sent Thu 17 Dec 2026 + 9 = Sat 26 Dec 2026 -> Sun, Mon 28 (substitute
		// Boxing Day) -> Tue 29 Dec 2026.
		{"renewal, 9 days", "renewal", [][2]string{{"refusal-sent", "2026-12-17"}}, "2026-12-29"},
		// r31(1): permission sent Mon 22 Feb 2027 + 35 = Mon 29 Mar 2027 (Easter Monday) -> Tue 30 Mar 2027.
		{"detailed grounds, 35 days to Easter Monday", "detailed_grounds", [][2]string{{"permission-sent", "2027-02-22"}}, "2027-03-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := deadlineOf(t, p.Deadlines(cal, jrCase(p, "immigration-jr", tt.events...)), tt.kind)
			if d.Due.String() != tt.want {
				t.Errorf("due %s (%s), want %s", d.Due, d.Moved, tt.want)
			}
		})
	}
}

func TestJRStagesAndLateness(t *testing.T) {
	p := MustRulePack("admin-court-jr")
	cal := MustCalendar(EnglandAndWales)
	st := jrCase(p, "judicial-review", [2]string{"letter-before-claim", "2026-11-02"})
	if st.Track != PreAction {
		t.Errorf("after a letter before claim the stage is %q", st.Track)
	}
	st = jrCase(p, "judicial-review", [2]string{"letter-before-claim", "2026-11-02"}, [2]string{"pap-response", "2026-11-10"},
		[2]string{"claim-issued", "2026-12-01"}, [2]string{"claim-served", "2026-12-03"}, [2]string{"aos-served", "2026-12-20"})
	if st.Track != PermissionPaper {
		t.Errorf("with the acknowledgment in, the stage is %q, want permission-paper", st.Track)
	}
	ds := p.Deadlines(cal, st)
	if d := deadlineOf(t, ds, "pap_response"); d.Status != DeadlineMet {
		t.Errorf("PAP response should be met: %+v", d)
	}
	if d := deadlineOf(t, ds, "acknowledgment_of_service"); d.Status != DeadlineMet || d.MetOn.String() != "2026-12-20" {
		t.Errorf("AoS should be met on 20 Dec: %+v", d)
	}
	st = jrCase(p, "judicial-review", [2]string{"aos-served", "2026-12-20"}, [2]string{"permission-order-served", "2027-01-15"},
		[2]string{"disposed", "2027-05-01"})
	if st.Track != Concluded {
		t.Errorf("a disposed claim is %q, want concluded", st.Track)
	}

	// Lateness of a claim: CPR 54.5(1), grounds Mon 30 Nov 2026, limit Sun 28 Feb 2027 -> Mon 1 Mar (2.8(5)).
	for _, tt := range []struct {
		subject  Subject
		stage    Track
		decision string
		received string
		late     bool
		days     int
	}{
		{"judicial-review", ClaimIssued, "2026-11-30", "2027-03-01", false, 0}, // the next open day is in time
		{"judicial-review", ClaimIssued, "2026-11-30", "2027-03-02", true, 1},
		{"judicial-review", PreAction, "2026-01-01", "2026-12-01", false, 0}, // a letter before claim is never late
		// planning: Mon 16 Nov 2026 + 42 = Mon 28 Dec (bank holiday) -> Tue 29 Dec; received Wed 30 Dec: 1 day late.
		{"planning-jr", ClaimIssued, "2026-11-16", "2026-12-29", false, 0},
		{"planning-jr", ClaimIssued, "2026-11-16", "2026-12-30", true, 1},
	} {
		got := p.LatenessOf(Notice{Subject: tt.subject, Stage: tt.stage, DecisionDate: MustDate(tt.decision), Received: MustDate(tt.received)}, cal)
		if got.Late != tt.late || got.DaysLate != tt.days {
			t.Errorf("%s %s decided %s received %s: %+v, want late=%v by %d", tt.subject, tt.stage, tt.decision, tt.received, got, tt.late, tt.days)
		}
	}
}

func TestReferencePatterns(t *testing.T) {
	ac, ut, tc := MustRulePack("admin-court-jr"), MustRulePack("ut-iac-jr"), MustRulePack("ftt-tax")
	if got := ac.Reference(2026, 123); got != "AC-2026-LON-000123" {
		t.Errorf("admin court reference %q", got)
	}
	if got := ut.Reference(2026, 42); got != "JR/00042/2026" {
		t.Errorf("UT reference %q", got)
	}
	if got := tc.Reference(2026, 7); got != "TC/2026/00007" {
		t.Errorf("tax reference %q", got)
	}
	text := "Re: TC/2026/00012 and ac-2026-lon-000123; see JR/00042/2026, not TC/2026/0001 or XTC/2026/00012"
	for _, c := range []struct {
		p    *RulePack
		want []string
	}{{tc, []string{"TC/2026/00012"}}, {ac, []string{"ac-2026-lon-000123"}}, {ut, []string{"JR/00042/2026"}}} {
		got := c.p.ReferenceRegexp().FindAllString(text, -1)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s found %q, want %q", c.p.ID, got, c.want)
		}
	}
}
