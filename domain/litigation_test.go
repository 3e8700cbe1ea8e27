package domain

import (
	"strings"
	"testing"
)

// litCase replays events on a case of subject s in pack p with deemed
// service, as the store does.
func litCase(p *RulePack, cal *Calendar, s Subject, evs ...Event) CaseState {
	for i := range evs {
		evs[i].ID = int64(i + 1)
	}
	st := p.ReplayIn(cal, evs)
	st.Subject = s
	st.Track = p.Stage(st)
	return st
}

func lev(kind, on string) Event { return Event{Kind: kind, On: MustDate(on)} }

func levBy(kind, on, method, at string) Event {
	return Event{Kind: kind, On: MustDate(on), Data: EventData{Method: method, Time: at}}
}

// Every expected date was worked out by hand from the rule in the row and
// the England and Wales calendar: Christmas Day Fri 25 Dec 2026, Boxing Day
// Sat 26 Dec 2026 with its substitute Mon 28 Dec; New Year's Day Fri 1 Jan
// 2027; Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027; past the
// published data, Good Friday 14 Apr 2028 and Easter Monday 17 Apr 2028
// (computed: provisional).
func TestAppealsDeadlines(t *testing.T) {
	p := MustRulePack("appeals")
	cal := MustCalendar(EnglandAndWales)
	tests := []struct {
		name, kind string
		subject    Subject
		events     []Event
		want       string
		prov       bool
	}{
		// CPR 52.12(2)(b): decision Mon 2 Nov 2026 + 21 = Mon 23 Nov 2026, open.
		{"appellant's notice, 21 days", "appellants_notice", "civil-appeal", []Event{lev("decision-below", "2026-11-02")}, "2026-11-23", false},
		// Fri 4 Dec 2026 + 21 = Fri 25 Dec 2026 (Christmas Day); Sat 26, Sun 27, Mon 28 (substitute) closed: Tue 29 Dec 2026
		// (CPR 2.8(5): filed at the court office).
		{"appellant's notice into Christmas", "appellants_notice", "civil-appeal", []Event{lev("decision-below", "2026-12-04")}, "2026-12-29", false},
		// CPR 52.8(3): JR permission refused at a hearing Fri 18 Dec 2026 + 7 = Fri 25 Dec 2026: Tue 29 Dec 2026.
		// (7 days is more than 5: CPR 2.8(4) does not apply, the weekend inside the period counts.)
		{"JR permission refused at a hearing, 7 days to Christmas", "jr_permission_appeal", "judicial-review",
			[]Event{lev("jr-permission-refused-at-hearing", "2026-12-18")}, "2026-12-29", false},
		// Refused Fri 19 Mar 2027 + 7 = Fri 26 Mar 2027, Good Friday; Sat, Sun, Easter Monday closed: Tue 30 Mar 2027.
		{"JR permission refused at a hearing, 7 days to Good Friday", "jr_permission_appeal", "judicial-review",
			[]Event{lev("jr-permission-refused-at-hearing", "2027-03-19")}, "2027-03-30", false},
		// CPR 52.8(4): order refusing on the papers (totally without merit) served by first class post Mon 7 Dec 2026:
		// deemed the second day after, Wed 9 Dec 2026 (CPR 6.26); + 7 = Wed 16 Dec 2026.
		{"JR refused on the papers, order posted", "jr_permission_appeal_papers", "judicial-review",
			[]Event{levBy("jr-refusal-order-served", "2026-12-07", "first-class-post", "")}, "2026-12-16", false},
		// UT r44(4): sent Mon 30 Nov 2026 + 1 month = Wed 30 Dec 2026, open.
		{"UT permission, 1 month", "ut_permission", "civil-appeal", []Event{lev("ut-decision-sent", "2026-11-30")}, "2026-12-30", false},
		// Sent Tue 1 Dec 2026 + 1 month = Fri 1 Jan 2027 (New Year's Day); Sat 2, Sun 3: Mon 4 Jan 2027.
		{"UT permission, 1 month to New Year's Day", "ut_permission", "civil-appeal", []Event{lev("ut-decision-sent", "2026-12-01")}, "2027-01-04", false},
		// UT r44(3B)(a)(i), 12 working days after Fri 18 Dec 2026: Mon 21, Tue 22, Wed 23, Thu 24 (4); Fri 25, Sat, Sun,
		// Mon 28 not counted; Tue 29, Wed 30, Thu 31 (7); Fri 1 Jan, Sat, Sun not counted; Mon 4, Tue 5, Wed 6, Thu 7,
		// Fri 8 Jan 2027 (12).
		{"UT permission, immigration, 12 working days over Christmas", "ut_permission", "immigration-appeal",
			[]Event{lev("ut-decision-sent", "2026-12-18")}, "2027-01-08", false},
		// After the UT refused permission: Mon 20 Mar 2028 + 28 = Mon 17 Apr 2028, Easter Monday (computed): Tue 18 Apr
		// 2028, provisional.
		{"appellant's notice after the UT refused, past the data", "appellants_notice", "immigration-appeal",
			[]Event{lev("ut-permission-refused", "2028-03-20")}, "2028-04-18", true},
		// UKSC r11(1): Court of Appeal order Fri 27 Nov 2026 + 28 = Fri 25 Dec 2026: Tue 29 Dec 2026.
		{"Supreme Court permission, 28 days to Christmas", "uksc_permission", "civil-appeal", []Event{lev("coa-decision", "2026-11-27")}, "2026-12-29", false},
		// Wed 2 Dec 2026 + 28 = Wed 30 Dec 2026, open.
		{"Supreme Court permission, 28 days", "uksc_permission", "civil-appeal", []Event{lev("coa-decision", "2026-12-02")}, "2026-12-30", false},
		// PD 52C: notice filed Mon 14 Dec 2026 + 14 = Mon 28 Dec 2026 (substitute Boxing Day): Tue 29 Dec 2026.
		{"skeleton, 14 days", "appellants_skeleton", "civil-appeal", []Event{lev("appellants-notice-filed", "2026-12-14")}, "2026-12-29", false},
	}
	for _, tt := range tests {
		st := litCase(p, cal, tt.subject, tt.events...)
		d := deadlineOf(t, p.Deadlines(cal, st), tt.kind)
		if d.Due.String() != tt.want || d.Provisional != tt.prov {
			t.Errorf("%s: due %s provisional=%v (%s), want %s %v", tt.name, d.Due, d.Provisional, d.Moved, tt.want, tt.prov)
		}
	}
	// Stages: permission to appeal, appeal lodged, heard, decided.
	st := litCase(p, cal, "civil-appeal", lev("decision-below", "2026-11-02"), lev("appellants-notice-filed", "2026-11-20"))
	if st.Track != AppealLodged {
		t.Errorf("stage after the appellant's notice = %s", st.Track)
	}
	st = litCase(p, cal, "civil-appeal", lev("appellants-notice-filed", "2026-11-20"), lev("appeal-heard", "2027-03-01"), lev("appeal-decided", "2027-03-15"))
	if st.Track != AppealDecided {
		t.Errorf("stage after the decision = %s", st.Track)
	}
}

func TestDamagesClaimDeadlines(t *testing.T) {
	p := MustRulePack("damages-claim")
	cal := MustCalendar(EnglandAndWales)
	tests := []struct {
		name, kind string
		events     []Event
		want       string
		prov       bool
		moved      string
	}{
		// PD-PAC: letter Fri 18 Dec 2026 + 14 = Fri 1 Jan 2027 (New Year's Day): a letter between parties, not moved.
		{"PAP response on New Year's Day, not moved", "pap_response", []Event{lev("letter-before-claim", "2026-12-18")}, "2027-01-01", false, ""},
		// CPR 7.5(1): issued Fri 30 Oct 2026 + 4 months = 30 Feb, which does not exist: Sun 28 Feb 2027 (CPR 2.10).
		// Service is between the parties: not moved off the Sunday.
		{"claim service, 4 months to a short month", "claim_service", []Event{lev("claim-issued", "2026-10-30")}, "2027-02-28", false, ""},
		// CPR 10.3(1): particulars served Mon 14 Dec 2026 + 14 = Mon 28 Dec 2026 (substitute Boxing Day): Tue 29 Dec
		// 2026 (CPR 2.8(5): filed).
		{"acknowledgment, 14 days into Christmas", "acknowledgment_of_service", []Event{lev("particulars-served", "2026-12-14")}, "2026-12-29", false, "CPR 2.8(5)"},
		// CPR 6.26: particulars posted first class Thu 10 Dec 2026: the second day after is Sat 12 Dec, not a business
		// day: deemed served Mon 14 Dec 2026. Defence with no acknowledgment, CPR 15.4(1)(a): + 14 = Mon 28 Dec: Tue 29 Dec 2026.
		{"defence, 14 days from deemed service", "defence", []Event{levBy("particulars-served", "2026-12-10", "first-class-post", "")}, "2026-12-29", false, "CPR 6.26"},
		// CPR 15.4(1)(b): with an acknowledgment filed, 28 days: Mon 14 Dec 2026 + 28 = Mon 11 Jan 2027, open.
		{"defence, 28 days with an acknowledgment", "defence",
			[]Event{levBy("particulars-served", "2026-12-10", "first-class-post", ""), lev("aos-filed", "2026-12-21")}, "2027-01-11", false, "CPR 6.26"},
		// CPR 6.14: claim form posted Wed 23 Dec 2026: second business day after is Tue 29 Dec 2026 (Thu 24 is the
		// first; Fri 25 to Mon 28 are not business days). Particulars to follow, CPR 7.4(1)(b): + 14 = Tue 12 Jan 2027.
		{"particulars after a claim form deemed served over Christmas", "particulars",
			[]Event{levBy("claim-served", "2026-12-23", "first-class-post", "")}, "2027-01-12", false, "CPR 6.14"},
		// Past the data: particulars served Mon 3 Apr 2028 + 14 = Mon 17 Apr 2028 (Easter Monday, computed): Tue 18 Apr 2028.
		{"defence, Easter 2028 computed", "defence", []Event{lev("particulars-served", "2028-04-03")}, "2028-04-18", true, "Easter Monday"},
	}
	for _, tt := range tests {
		st := litCase(p, cal, "damages-claim", tt.events...)
		var ds []Deadline
		for _, d := range p.Deadlines(cal, st) {
			if d.Kind == tt.kind {
				ds = append(ds, d)
			}
		}
		if len(ds) != 1 {
			t.Errorf("%s: %d %s deadlines, want exactly 1 (CPR 15.4 gives 14 or 28 days, never both)", tt.name, len(ds), tt.kind)
			continue
		}
		d := ds[0]
		if d.Due.String() != tt.want || d.Provisional != tt.prov || !strings.Contains(d.Moved, tt.moved) {
			t.Errorf("%s: due %s provisional=%v moved=%q, want %s %v (%q)", tt.name, d.Due, d.Provisional, d.Moved, tt.want, tt.prov, tt.moved)
		}
	}
}

// CPR 15.5: the parties may agree to extend the defence by up to 28 days.
// Particulars served Mon 2 Nov 2026, acknowledgment filed: defence Mon 30 Nov
// 2026 (28 days). Agreed 28 more: 56 days after 2 Nov is Mon 28 Dec 2026,
// the substitute Boxing Day: Tue 29 Dec 2026 (CPR 2.8(5)).
func TestAgreedExtension(t *testing.T) {
	p := MustRulePack("damages-claim")
	cal := MustCalendar(EnglandAndWales)
	ext := Event{Kind: EventTimeRequested, On: MustDate("2026-11-20"), User: "asha",
		Data: EventData{Deadline: "defence", Litigation: &LitigationData{Days: 28, Agreed: true}}}
	base := []Event{lev("particulars-served", "2026-11-02"), lev("aos-filed", "2026-11-10")}
	st := litCase(p, cal, "damages-claim", base...)
	if ok, err := p.PrepareLitigation(cal, st, Authority{}, &ext); !ok || err != nil {
		t.Fatalf("agreed extension refused: %v", err)
	}
	st = litCase(p, cal, "damages-claim", append(base, ext)...)
	d := deadlineOf(t, p.Deadlines(cal, st), "defence")
	if d.Due.String() != "2026-12-29" || len(d.PreviousDue) != 1 || d.PreviousDue[0].String() != "2026-11-30" || !strings.Contains(d.Moved, "CPR 15.5") {
		t.Errorf("defence after agreement: %s (before %v) %q", d.Due, d.PreviousDue, d.Moved)
	}
	// A further day would make 29: refused, apply to the court. A second request also needs Jasbir Singh's reasons.
	more := Event{Kind: EventTimeRequested, On: MustDate("2026-11-25"), User: "asha",
		Data: EventData{Deadline: "defence", Text: "the witness who made the decision is on long-term sick leave until mid-December",
			Due: MustDate("2026-12-31"), Litigation: &LitigationData{Days: 1, Agreed: true}}}
	if _, err := p.PrepareLitigation(cal, st, Authority{}, &more); err == nil || !strings.Contains(err.Error(), "up to 28") {
		t.Errorf("29 days agreed: %v", err)
	}
	// The parties cannot agree to extend the acknowledgment.
	aos := Event{Kind: EventTimeRequested, On: MustDate("2026-11-05"), Data: EventData{Deadline: "acknowledgment_of_service", Litigation: &LitigationData{Days: 7, Agreed: true}}}
	if _, err := p.PrepareLitigation(cal, litCase(p, cal, "damages-claim", base[0]), Authority{}, &aos); err == nil {
		t.Error("an agreed extension of the acknowledgment was accepted")
	}
}

// Part 36 offers: the relevant period is not less than 21 days (CPR
// 36.5(1)(c)) and runs from service (CPR 36.7); acceptance is served on the
// offeror, not filed, so CPR 2.8(5) does not move its end.
func TestPart36Register(t *testing.T) {
	p := MustRulePack("damages-claim")
	cal := MustCalendar(EnglandAndWales)
	base := []Event{lev("claim-served", "2026-11-02")}
	prepare := func(evs []Event, e Event) (Event, error) {
		_, err := p.PrepareLitigation(cal, litCase(p, cal, "damages-claim", evs...), Authority{}, &e)
		return e, err
	}
	offer := func(on string, days int, method, at string) Event {
		return Event{Kind: EventPart36Made, On: MustDate(on), Data: EventData{Method: method, Time: at,
			Litigation: &LitigationData{Way: "received", By: "claimant's solicitors", AmountPence: 1500000, Days: days}}}
	}
	tests := []struct {
		name          string
		e             Event
		served, ends  string
		wantErr, also string
	}{
		// Served Thu 3 Dec 2026 + 21 = Thu 24 Dec 2026.
		{"21 days", offer("2026-12-03", 21, "", ""), "2026-12-03", "2026-12-24", "", ""},
		// Served Fri 4 Dec 2026 + 21 = Fri 25 Dec 2026: Christmas Day, not moved (not an act at the court office).
		{"ends on Christmas Day, not moved", offer("2026-12-04", 21, "", ""), "2026-12-04", "2026-12-25", "", ""},
		// Emailed Fri 4 Dec 2026 at 17:00, after 4.30pm: deemed served Mon 7 Dec 2026 (CPR 6.26); + 21 = Mon 28 Dec 2026.
		{"emailed after 4.30pm", offer("2026-12-04", 21, "email", "17:00"), "2026-12-07", "2026-12-28", "", "CPR 6.26"},
		// 28 days from Wed 30 Dec 2026 = Wed 27 Jan 2027.
		{"a longer period", offer("2026-12-30", 28, "", ""), "2026-12-30", "2027-01-27", "", ""},
		{"20 days refused", offer("2026-12-03", 20, "", ""), "", "", "not less than 21", ""},
	}
	for _, tt := range tests {
		e, err := prepare(base, tt.e)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		st := litCase(p, cal, "damages-claim", append(append([]Event{}, base...), e)...)
		o := st.Litigation.Offers[0]
		d := deadlineOf(t, p.Deadlines(cal, st), KindPart36+"2")
		if o.Served.String() != tt.served || d.Due.String() != tt.ends || !strings.Contains(e.Detail, tt.also) {
			t.Errorf("%s: served %s, ends %s (%s), want %s, %s", tt.name, o.Served, d.Due, e.Detail, tt.served, tt.ends)
		}
		if d.Party != "defendant" || d.Status != DeadlineOpen {
			t.Errorf("%s: a received offer is the defendant's to consider, open: %+v", tt.name, d)
		}
		if got := OfferState(o, MustDate(tt.ends), d.Due); got != "open" {
			t.Errorf("%s: on its last day the offer is %s", tt.name, got)
		}
		if got := OfferState(o, MustDate(tt.ends).AddDays(1), d.Due); got != "expired" {
			t.Errorf("%s: the day after, the offer is %s", tt.name, got)
		}
	}
	// Accepted: the deadline is met and the offer's state is accepted; it cannot be withdrawn after.
	made, _ := prepare(base, offer("2026-12-03", 21, "", ""))
	evs := append(append([]Event{}, base...), made)
	acc, err := prepare(evs, Event{Kind: EventPart36Accepted, On: MustDate("2026-12-10"), Data: EventData{Refers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	st := litCase(p, cal, "damages-claim", append(evs, acc)...)
	if d := deadlineOf(t, p.Deadlines(cal, st), KindPart36+"2"); d.Status != DeadlineMet || st.Litigation.Offers[0].State != "accepted" {
		t.Errorf("accepted offer: %+v %+v", d, st.Litigation.Offers[0])
	}
	if _, err := prepare(append(evs, acc), Event{Kind: EventPart36Withdrawn, On: MustDate("2026-12-11"), Data: EventData{Refers: 2}}); err == nil {
		t.Error("an accepted offer was withdrawn")
	}
	// Withdrawn within the relevant period: takes effect when it ends (CPR 36.10(2)).
	w, err := prepare(evs, Event{Kind: EventPart36Withdrawn, On: MustDate("2026-12-10"), Data: EventData{Refers: 2}})
	if err != nil || !strings.Contains(w.Detail, "Thu 24 Dec 2026") {
		t.Errorf("withdrawal within the period: %v %q", err, w.Detail)
	}
	// Until then it can still be accepted; after, it cannot (Thu 24 Dec 2026 is the last day).
	withdrawn := append(append([]Event{}, evs...), w)
	o := litCase(p, cal, "damages-claim", withdrawn...).Litigation.Offers[0]
	if OfferState(o, MustDate("2026-12-24"), MustDate("2026-12-24")) != "open" || OfferState(o, MustDate("2026-12-25"), MustDate("2026-12-24")) != "withdrawn" {
		t.Errorf("pending withdrawal: %+v", o)
	}
	if _, err := prepare(withdrawn, Event{Kind: EventPart36Accepted, On: MustDate("2026-12-24"), Data: EventData{Refers: 2}}); err != nil {
		t.Errorf("acceptance on the last day of the period, after a withdrawal notice: %v", err)
	}
	if _, err := prepare(withdrawn, Event{Kind: EventPart36Accepted, On: MustDate("2026-12-29"), Data: EventData{Refers: 2}}); err == nil {
		t.Error("accepted after the withdrawal had effect")
	}
}

func testAuthority(t *testing.T) Authority {
	t.Helper()
	a, err := ParseAuthority(map[string]AuthorityConfig{
		"caseworker":  {Limit: "£10,000", Holders: []string{"asha"}},
		"team-leader": {Limit: "£50,000", Holders: []string{"role:team-leader"}},
		"director":    {Limit: "250000", Holders: []string{"dara"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	a.RolesOf = func(u string) []string {
		if u == "tomas" {
			return []string{"team-leader"}
		}
		return nil
	}
	return a
}

func TestAuthorityAndSettlement(t *testing.T) {
	p := MustRulePack("damages-claim")
	cal := MustCalendar(EnglandAndWales)
	auth := testAuthority(t)
	if _, err := ParseAuthority(map[string]AuthorityConfig{"x": {Limit: "lots"}}); err == nil {
		t.Error("a limit that is not an amount was accepted")
	}
	evs := []Event{lev("claim-served", "2026-11-02")}
	step := func(user, kind string, d LitigationData, refers int64, text string) (Event, error) {
		e := Event{Kind: kind, On: MustDate("2026-11-20"), User: user, Data: EventData{Refers: refers, Text: text, Litigation: &d}}
		_, err := p.PrepareLitigation(cal, litCase(p, cal, "damages-claim", evs...), auth, &e)
		if err == nil {
			evs = append(evs, e)
		}
		return e, err
	}
	// £30,000 damages: the lowest level that covers it is team-leader (limit £50,000).
	req, err := step("asha", EventAuthorityRequested, LitigationData{AmountPence: 3000000, Money: "damages"}, 0, "")
	if err != nil || req.Data.Litigation.Level != "team-leader" {
		t.Fatalf("request: %v %+v", err, req.Data.Litigation)
	}
	if _, err := step("asha", EventAuthorityRequested, LitigationData{AmountPence: 3000000, Money: "damages", Level: "caseworker"}, 0, ""); err == nil {
		t.Error("£30,000 asked at the caseworker level (£10,000) was accepted")
	}
	if _, err := step("asha", EventAuthorityRequested, LitigationData{AmountPence: 30000000, Money: "damages"}, 0, ""); err == nil {
		t.Error("£300,000, above every level, was accepted")
	}
	// A settlement before authority is approved is refused.
	if _, err := step("asha", EventSettled, LitigationData{AmountPence: 2500000}, 0, ""); err == nil {
		t.Error("settled without authority")
	}
	// asha holds only caseworker; tomas holds team-leader through his role; dara a higher level.
	if _, err := step("asha", EventAuthorityApproved, LitigationData{}, 0, ""); err == nil {
		t.Error("a caseworker approved at team-leader level")
	}
	if _, err := step("tomas", EventAuthorityApproved, LitigationData{}, 0, ""); err != nil {
		t.Fatalf("team leader approving: %v", err)
	}
	if !auth.Holds("dara", "team-leader") || auth.Holds("asha", "director") {
		t.Error("Holds: a higher level holds the lower ones, not the reverse")
	}
	if _, err := step("asha", EventSettled, LitigationData{AmountPence: 3000001}, 0, ""); err == nil || !strings.Contains(err.Error(), "above the authority approved") {
		t.Errorf("settlement above the approved £30,000: %v", err)
	}
	if _, err := step("asha", EventSettled, LitigationData{AmountPence: 2500000, CostsPence: 100000}, 0, ""); err == nil {
		t.Error("costs settled with no costs authority")
	}
	if _, err := step("asha", EventSettled, LitigationData{AmountPence: 2500000}, 0, ""); err != nil {
		t.Fatalf("settlement within authority: %v", err)
	}
	st := litCase(p, cal, "damages-claim", evs...)
	if st.Status != StatusClosed || st.Litigation.Outcome != "settled" || st.Litigation.SettledPence[0] != 2500000 {
		t.Errorf("after settlement: %s %s %v", st.Status, st.Litigation.Outcome, st.Litigation.SettledPence)
	}
}

func TestDecisionsInstructionsTimeAndBriefings(t *testing.T) {
	p := MustRulePack("admin-court-jr")
	cal := MustCalendar(EnglandAndWales)
	evs := []Event{lev("letter-before-claim", "2026-11-02")}
	step := func(user, kind string, data EventData) (Event, error) {
		e := Event{Kind: kind, On: MustDate("2026-11-10"), User: user, Data: data}
		if e.Data.Litigation == nil {
			e.Data.Litigation = &LitigationData{}
		}
		_, err := p.PrepareLitigation(cal, litCase(p, cal, "judicial-review", evs...), Authority{}, &e)
		if err == nil {
			evs = append(evs, e)
			evs[len(evs)-1].ID = int64(len(evs))
		}
		return e, err
	}
	// Settle or defend: reasons required; the proposer cannot approve; a later decision revisits the earlier.
	if _, err := step("asha", EventDecision, EventData{Litigation: &LitigationData{Decision: "defend"}}); err == nil {
		t.Error("a decision without reasons")
	}
	if _, err := step("asha", EventDecision, EventData{Text: "the decision followed the policy", Litigation: &LitigationData{Decision: "defend"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := step("asha", EventDecisionApproved, EventData{}); err == nil {
		t.Error("the proposer approved her own decision")
	}
	if _, err := step("tomas", EventDecisionApproved, EventData{}); err != nil {
		t.Fatal(err)
	}
	evs = append(evs, Event{Kind: "claim-issued", On: MustDate("2026-11-20")})
	re, err := step("asha", EventDecision, EventData{Text: "new evidence on the claimant's health", Litigation: &LitigationData{Decision: "settle"}})
	if err != nil || !strings.Contains(re.Detail, "revisits defend at Pre-action") || re.Data.Litigation.Stage != ClaimIssued {
		t.Errorf("revisited: %v %q", err, re.Detail)
	}
	st := litCase(p, cal, "judicial-review", evs...)
	if len(st.Litigation.Decisions) != 2 || st.Litigation.Decisions[0].ApprovedBy != "tomas" || st.Litigation.Latest().ApprovedBy != "" {
		t.Errorf("decision history: %+v", st.Litigation.Decisions)
	}
	// An instruction with a response date is a deadline until answered.
	if _, err := step("asha", EventInstructed, EventData{To: "GLD", Text: "advise on merits", Due: MustDate("2026-11-17")}); err != nil {
		t.Fatal(err)
	}
	st = litCase(p, cal, "judicial-review", evs...)
	var found bool
	for _, d := range p.Deadlines(cal, st) {
		if strings.HasPrefix(d.Kind, KindInstruction) && d.Due.String() == "2026-11-17" && d.Status == DeadlineOpen {
			found = true
		}
	}
	if !found {
		t.Error("no open instruction deadline")
	}
	if _, err := step("asha", EventInstructionAnswered, EventData{Text: "advice received"}); err != nil {
		t.Fatal(err)
	}
	if _, err := step("asha", EventInstructionAnswered, EventData{}); err == nil {
		t.Error("answered twice")
	}
	// Jasbir Singh: the first request is free; the second needs a full explanation and a firm date.
	if _, err := step("asha", EventTimeRequested, EventData{Deadline: "pap_response", Litigation: &LitigationData{Days: 7}}); err != nil {
		t.Fatal(err)
	}
	if _, err := step("asha", EventTimeRequested, EventData{Deadline: "pap_response", Text: "need more time", Due: MustDate("2026-11-30"), Litigation: &LitigationData{Days: 7}}); err == nil || !strings.Contains(err.Error(), "Jasbir Singh") {
		t.Errorf("second request without a full explanation: %v", err)
	}
	if _, err := step("asha", EventTimeRequested, EventData{Deadline: "pap_response", Text: "the decision-maker's file is with the archive and returns on 25 November", Litigation: &LitigationData{Days: 7}}); err == nil {
		t.Error("second request without a firm date")
	}
	second, err := step("asha", EventTimeRequested, EventData{Deadline: "pap_response", Text: "the decision-maker's file is with the archive and returns on 25 November", Due: MustDate("2026-11-30"), Litigation: &LitigationData{Days: 7}})
	if err != nil || !second.Data.Litigation.Repeat {
		t.Errorf("second request: %v %+v", err, second.Data.Litigation)
	}
	// Ministerial interest: no outcome until a briefing is recorded.
	evs = append(evs, Event{Kind: EventFlagSet, On: MustDate("2026-11-10"), Data: EventData{Flag: "ministerial"}})
	if _, err := step("asha", EventOutcome, EventData{Litigation: &LitigationData{Outcome: "conceded"}}); err == nil || !strings.Contains(err.Error(), "briefing") {
		t.Errorf("closed without a briefing: %v", err)
	}
	disposed := Event{Kind: EventDisposed, On: MustDate("2026-11-10")}
	if ok, err := p.PrepareLitigation(cal, litCase(p, cal, "judicial-review", evs...), Authority{}, &disposed); ok || err == nil {
		t.Errorf("disposed without a briefing: %v %v", ok, err)
	}
	if _, err := step("asha", EventBriefed, EventData{Litigation: &LitigationData{Interest: "ministerial", By: "Minister's private office"}}); err != nil {
		t.Fatal(err)
	}
	out, err := step("asha", EventOutcome, EventData{Litigation: &LitigationData{Outcome: "conceded"}})
	if err != nil || out.Data.Litigation.Stage != ClaimIssued {
		t.Fatalf("outcome: %v %+v", err, out.Data.Litigation)
	}
	st = litCase(p, cal, "judicial-review", evs...)
	if st.Status != StatusClosed || st.Litigation.Outcome != "conceded" || p.Stage(st) != Concluded {
		t.Errorf("after the outcome: %s %s %s", st.Status, st.Litigation.Outcome, p.Stage(st))
	}
}
