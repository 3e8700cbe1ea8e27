package domain

import (
	"testing"
	"time"
)

// Every expected date below was worked out by hand from the rule and a
// calendar; the comment on each row shows the arithmetic.
func TestDaysAfter(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	tests := []struct {
		name        string
		anchor      string
		days        int
		want        string
		provisional bool
	}{
		// Mon 16 Nov 2026 + 60: 14 days to 30 Nov, 31 to 31 Dec (45), 15 to Fri 15 Jan 2027. A working day.
		{"r25 standard, lands on a Friday", "2026-11-16", 60, "2027-01-15", false},
		// Sat 31 Oct 2026 + 42 = Sat 12 Dec 2026 -> weekend -> Mon 14 Dec (r12).
		{"lands on a Saturday", "2026-10-31", 42, "2026-12-14", false},
		// Fri 13 Nov 2026 + 42 = Fri 25 Dec 2026 (Christmas Day). Sat 26, Sun 27, and Mon 28 Dec is the
		// substitute Boxing Day (26 Dec is a Saturday; GOV.UK data) -> Tue 29 Dec.
		{"Christmas Day with Boxing Day substitute Monday", "2026-11-13", 42, "2026-12-29", false},
		// Tue 26 Oct 2027 + 60: 5 to 31 Oct, 30 to 30 Nov (35), 25 to Sat 25 Dec 2027. Christmas on a
		// Saturday: Mon 27 and Tue 28 Dec are substitute days -> Wed 29 Dec 2027.
		{"Christmas 2027 on a Saturday, two substitute days", "2027-10-26", 60, "2027-12-29", false},
		// Wed 2 Dec 2026 + 30 = Fri 1 Jan 2027 (New Year's Day) -> Sat, Sun -> Mon 4 Jan 2027 (r26 reply).
		{"New Year's Day", "2026-12-02", 30, "2027-01-04", false},
		// Fri 12 Feb 2027 + 42: 16 to 28 Feb (2027 is not a leap year), 26 to Fri 26 Mar 2027 = Good Friday.
		// Sat 27, Sun 28 (Easter Day), Mon 29 Mar Easter Monday -> Tue 30 Mar 2027.
		{"Good Friday with Easter Monday after", "2027-02-12", 42, "2027-03-30", false},
		// Mon 24 Aug 2026 + 7 = Mon 31 Aug 2026, the summer bank holiday -> Tue 1 Sep.
		{"summer bank holiday", "2026-08-24", 7, "2026-09-01", false},
		// Mon 14 Feb 2028 + 60: 15 to 29 Feb (2028 is a leap year), 31 to 31 Mar (46), 14 to Fri 14 Apr 2028.
		// Easter 2028 is 16 April, so 14 Apr is Good Friday and 17 Apr Easter Monday -> Tue 18 Apr 2028.
		// 2028 is past the published GOV.UK data (to 2027), so the date is provisional.
		{"year past the data: Good Friday 2028", "2028-02-14", 60, "2028-04-18", true},
		// Mon 27 Nov 2028 + 28 = Mon 25 Dec 2028 (Christmas), Tue 26 Boxing Day -> Wed 27 Dec 2028, provisional.
		{"Christmas 2028, computed", "2028-11-27", 28, "2028-12-27", true},
		// Fri 3 Dec 2027 + 30 = Sun 2 Jan 2028. New Year's Day 2028 is a Saturday, so Mon 3 Jan 2028 is the
		// substitute (computed: past the data) -> Tue 4 Jan 2028, provisional.
		{"New Year 2028 substitute, computed", "2027-12-03", 30, "2028-01-04", true},
		// Thu 1 Apr 2027 + 28 = Thu 29 Apr 2027: a working day in a published year, not provisional.
		{"plain working day", "2027-04-01", 28, "2027-04-29", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, prov := DaysAfter(cal, MustDate(tt.anchor), tt.days)
			if got.String() != tt.want || prov != tt.provisional {
				t.Errorf("DaysAfter(%s, %d) = %s provisional=%v, want %s provisional=%v",
					tt.anchor, tt.days, got, prov, tt.want, tt.provisional)
			}
		})
	}
}

func TestLateness(t *testing.T) {
	p := MustRulePack("ftt-tax")
	// "30 days beginning with the date of the document" (TMA 1970 s49G(5)(a),
	// s49H with s49C(8); VATA 1994 s83G(1)): the decision date is day 1, so
	// the last day in time is decision + 29, never moved for weekends.
	tests := []struct {
		name, decision, received string
		late                     bool
		daysLate                 int
		limit                    string
	}{
		// 30 Oct + 29 = Sat 28 Nov 2026; received 9 Nov: in time.
		{"well in time", "2026-10-30", "2026-11-09", false, 0, "2026-11-28"},
		// Tue 15 Sep + 29 = Wed 14 Oct 2026 (15 Sep is day 1, 30 Sep day 16,
		// 14 Oct day 30); received Tue 10 Nov: 17 days to 31 Oct + 10 = 27 days late.
		{"late (sample TC/2026/05002)", "2026-09-15", "2026-11-10", true, 27, "2026-10-14"},
		// 1 Oct + 29 = Fri 30 Oct 2026: received on the last day is in time.
		{"last day", "2026-10-01", "2026-10-30", false, 0, "2026-10-30"},
		// Sat 31 Oct is the 31st day beginning with 1 Oct: 1 day late.
		{"day after the last day", "2026-10-01", "2026-10-31", true, 1, "2026-10-30"},
		// Sat 3 Oct + 29 = Sun 1 Nov 2026. A statutory limit is not moved to
		// Monday: received Mon 2 Nov is 1 day late.
		{"limit on a Sunday is not moved", "2026-10-03", "2026-11-02", true, 1, "2026-11-01"},
		// 2 Dec 2026 + 29 = Thu 31 Dec; received Mon 4 Jan 2027 (1 Jan the New
		// Year bank holiday) = 4 days late, holidays notwithstanding.
		{"over Christmas and New Year", "2026-12-02", "2027-01-04", true, 4, "2026-12-31"},
		// Good Friday 26 Mar 2027, Easter Monday 29 Mar: 27 Feb 2027 + 29 =
		// 28 Mar (Easter Sunday; February 2027 has 28 days: 27 Feb day 1,
		// 28 Feb day 2, 28 Mar day 30). Received Tue 30 Mar: 2 days late.
		{"over Easter", "2027-02-27", "2027-03-30", true, 2, "2027-03-28"},
		// Leap year: 1 Feb 2028 + 29 = 1 Mar 2028 (29 Feb is day 29); received
		// 1 Mar is in time.
		{"leap year", "2028-02-01", "2028-03-01", false, 0, "2028-03-01"},
		// Past the embedded calendar (2027): 20 Dec 2031 + 29 = Sun 18 Jan
		// 2032; received Mon 19 Jan: 1 day late.
		{"past the embedded calendar", "2031-12-20", "2032-01-19", true, 1, "2032-01-18"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Lateness(MustDate(tt.decision), MustDate(tt.received))
			if got.Late != tt.late || got.DaysLate != tt.daysLate || got.Limit.String() != tt.limit {
				t.Errorf("Lateness(%s, %s) = %+v, want late=%v days=%d limit %s", tt.decision, tt.received, got, tt.late, tt.daysLate, tt.limit)
			}
			n := Notice{Subject: "vat", DecisionDate: MustDate(tt.decision), Received: MustDate(tt.received)}
			if got2 := p.LatenessOf(n, MustCalendar(EnglandAndWales)); got2 != got {
				t.Errorf("LatenessOf = %+v, Lateness = %+v", got2, got)
			}
		})
	}
	t.Run("unknown decision date is not late", func(t *testing.T) {
		if got := p.Lateness(Date{}, MustDate("2026-11-01")); got.Late {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("a statute that says after: counting = after ends a day later", func(t *testing.T) {
		q := *p
		q.AppealLimit.Counting = "after"
		// 30 days after 1 Oct 2026 ends 31 Oct; 31 Oct in time, 1 Nov 1 day late.
		if got := q.Lateness(MustDate("2026-10-01"), MustDate("2026-10-31")); got.Late || got.Limit.String() != "2026-10-31" {
			t.Errorf("got %+v", got)
		}
		if got := q.Lateness(MustDate("2026-10-01"), MustDate("2026-11-01")); !got.Late || got.DaysLate != 1 {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("a subject variant has its own counting", func(t *testing.T) {
		q := *p
		q.AppealLimit.Variants = []AppealVariant{{Subjects: []Subject{"customs-duty"}, Days: 45, Counting: "after"}}
		// customs-duty: 45 days after 1 Oct 2026 = 15 Nov; vat keeps 30 beginning with: 30 Oct.
		n := Notice{Subject: "customs-duty", DecisionDate: MustDate("2026-10-01"), Received: MustDate("2026-11-16")}
		if got := q.LatenessOf(n, nil); !got.Late || got.DaysLate != 1 || got.Limit.String() != "2026-11-15" {
			t.Errorf("customs-duty: got %+v", got)
		}
		n.Subject = "vat"
		if got := q.LatenessOf(n, nil); got.Limit.String() != "2026-10-30" || got.DaysLate != 17 {
			t.Errorf("vat: got %+v", got)
		}
	})
}

func pence(p int64) *int64 { return &p }

func TestSuggest(t *testing.T) {
	p := MustRulePack("ftt-tax")
	tests := []struct {
		name    string
		subject Subject
		amount  *int64
		want    Track
	}{
		{"exactly £1,000,000 is a large sum (r23(4)(c))", "vat", pence(100000000), Complex},
		{"a penalty of £1,000,000 is still Complex: rule 1 comes first", "late-filing-penalty", pence(100000000), Complex},
		{"£999,999.99 of VAT is Standard", "vat", pence(99999999), Standard},
		{"late filing penalty £100 -> Default Paper (PD 1 June 2022)", "late-filing-penalty", pence(10000), Paper},
		{"late payment penalty exactly £500 -> Default Paper", "late-payment-penalty", pence(50000), Paper},
		{"late notification penalty £500.01 -> Basic", "late-notification-penalty", pence(50001), Basic},
		{"surcharge £200 -> Default Paper", "surcharge", pence(20000), Paper},
		{"late filing penalty, amount unknown -> Basic", "late-filing-penalty", nil, Basic},
		{"daily penalty £100 -> Basic (not a paper subject)", "daily-penalty", pence(10000), Basic},
		{"inaccuracy penalty -> Basic (ARTG8350)", "inaccuracy-penalty", pence(500000), Basic},
		{"deliberate inaccuracy penalty -> Standard", "deliberate-inaccuracy-penalty", pence(500000), Standard},
		{"information notice -> Basic", "information-notice", nil, Basic},
		{"CIS gross payment status -> Basic", "cis-gross-payment-status", nil, Basic},
		{"income tax -> Standard", "income-tax", pence(1200000), Standard},
		{"other, no amount -> Standard", "other", nil, Standard},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Suggest(Notice{Subject: tt.subject, AmountPence: tt.amount})
			if got.Track != tt.want || got.Reason == "" {
				t.Errorf("Suggest = %+v, want %s with a reason", got, tt.want)
			}
		})
	}
}

func ev(id int64, kind, on string, data EventData) Event {
	return Event{ID: id, Kind: kind, On: MustDate(on), At: time.Now(), Data: data}
}

func TestDeadlinesFromEvents(t *testing.T) {
	p := MustRulePack("ftt-tax")
	cal := MustCalendar(EnglandAndWales)
	received := ev(1, EventReceived, "2026-11-10", EventData{})
	type want struct{ kind, due, rule, status string }
	tests := []struct {
		name   string
		events []Event
		status Status
		want   []want
	}{
		{"not allocated: no deadlines", []Event{received}, StatusNew, nil},
		{"basic: none (r25 gives Basic no statement of case)",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Basic})}, StatusAllocated, nil},
		// 16 Nov 2026 + 60 = Fri 15 Jan 2027.
		{"standard: statement of case at +60",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Standard})}, StatusAllocated,
			[]want{{"statement_of_case", "2027-01-15", "r25(1)(b)", "open"}}},
		// 16 Nov + 42 = Mon 28 Dec 2026, the substitute Boxing Day -> Tue 29 Dec.
		{"paper: statement of case at +42",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Paper})}, StatusAllocated,
			[]want{{"statement_of_case", "2026-12-29", "r25(1)(a)", "open"}}},
		// Complex on 16 Nov: SoC 15 Jan 2027; costs opt-out 16 Nov + 28 = Mon 14 Dec 2026 (r10(1)(c)).
		{"complex: statement of case and costs opt-out",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Complex})}, StatusAllocated,
			[]want{{"statement_of_case", "2027-01-15", "r25(1)(b)", "open"}, {"costs_opt_out", "2026-12-14", "r10(1)(c)", "open"}}},
		// SoC sent Mon 4 Jan 2027: met; lists of documents 4 Jan + 42 = Mon 15 Feb 2027 (r27(2)).
		{"standard: statement sent starts lists of documents",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Standard}),
				ev(3, EventStatementOfCase, "2027-01-04", EventData{})}, StatusAllocated,
			[]want{{"statement_of_case", "2027-01-15", "r25(1)(b)", "met"}, {"lists_of_documents", "2027-02-15", "r27(2)", "open"}}},
		// Paper SoC sent Fri 4 Dec 2026: reply 4 Dec + 30 = Sun 3 Jan 2027 -> Mon 4 Jan 2027 (r26(2), r12).
		{"paper: statement sent starts the appellant's reply",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Paper}),
				ev(3, EventStatementOfCase, "2026-12-04", EventData{})}, StatusAllocated,
			[]want{{"statement_of_case", "2026-12-29", "r25(1)(a)", "met"}, {"appellant_reply", "2027-01-04", "r26(2)", "open"}}},
		// Paper 13 Nov 2026, re-allocated Standard 20 Nov: the notice went to HMRC on 13 Nov, so the SoC is
		// 13 Nov + 60 = Tue 12 Jan 2027 under r25(1)(b); the paper deadline is replaced.
		{"re-categorisation replaces the old track's deadlines",
			[]Event{received, ev(2, EventAllocated, "2026-11-13", EventData{Track: Paper}),
				ev(3, EventAllocated, "2026-11-20", EventData{Track: Standard, Previous: Paper})}, StatusAllocated,
			[]want{{"statement_of_case", "2027-01-12", "r25(1)(b)", "open"}}},
		// Re-allocated to Complex on Fri 20 Nov: costs opt-out from that notice, 20 Nov + 28 = Fri 18 Dec 2026.
		{"re-categorised to complex counts the opt-out from the new allocation",
			[]Event{received, ev(2, EventAllocated, "2026-11-13", EventData{Track: Standard}),
				ev(3, EventAllocated, "2026-11-20", EventData{Track: Complex, Previous: Standard})}, StatusAllocated,
			[]want{{"statement_of_case", "2027-01-12", "r25(1)(b)", "open"}, {"costs_opt_out", "2026-12-18", "r10(1)(c)", "open"}}},
		// Withdrawn on 1 Dec before HMRC's statement: the r25 deadline stops rather than going overdue.
		{"a disposed case's open deadlines stop",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Standard}),
				ev(3, EventDisposed, "2026-12-01", EventData{})}, StatusClosed,
			[]want{{"statement_of_case", "2027-01-15", "r25(1)(b)", "stopped"}}},
		{"undo returns the case to the queue with no deadlines",
			[]Event{received, ev(2, EventAllocated, "2026-11-16", EventData{Track: Standard}),
				ev(3, EventAllocationUndone, "2026-11-16", EventData{Undoes: 2})}, StatusNew, nil},
		// Undo of the re-allocation restores Paper from 13 Nov: Fri 25 Dec -> Tue 29 Dec 2026.
		{"undo of a re-allocation restores the previous track",
			[]Event{received, ev(2, EventAllocated, "2026-11-13", EventData{Track: Paper}),
				ev(3, EventAllocated, "2026-11-20", EventData{Track: Standard, Previous: Paper}),
				ev(4, EventAllocationUndone, "2026-11-20", EventData{Undoes: 3})}, StatusAllocated,
			[]want{{"statement_of_case", "2026-12-29", "r25(1)(a)", "open"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := Replay(tt.events)
			if st.Status != tt.status {
				t.Fatalf("status = %s, want %s", st.Status, tt.status)
			}
			got := p.Deadlines(cal, st)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d deadlines %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Kind != w.kind || g.Due.String() != w.due || g.Rule != w.rule || g.Status != w.status {
					t.Errorf("deadline %d = %s %s %s %s, want %s %s %s %s", i, g.Kind, g.Due, g.Rule, g.Status, w.kind, w.due, w.rule, w.status)
				}
			}
		})
	}
}
