package domain

import (
	"strings"
	"testing"
)

// The litigator's ":" verbs: positional words, then the command's --flags
// (a value runs to the next flag), --date on every verb.
func TestLitigationActionsParse(t *testing.T) {
	cal := MustCalendar(EnglandAndWales)
	today := MustDate("2026-11-16")
	lit := func(e Event) LitigationData {
		if e.Data.Litigation == nil {
			return LitigationData{}
		}
		return *e.Data.Litigation
	}
	tests := []struct {
		line, kind string
		check      func(Event) bool
	}{
		{"side defendant", EventSideSet, func(e Event) bool { return lit(e).Side == SideDefendant && e.On == today }},
		{"SIDE Court", EventSideSet, func(e Event) bool { return lit(e).Side == SideCourt }},
		// The relevant period defaults to the least CPR 36.5(1)(c) allows.
		{"part36 offer received £40,000", EventPart36Made, func(e Event) bool {
			d := lit(e)
			return d.Way == "received" && d.AmountPence == 4_000_000 && d.Days == 21 && d.Terms == "" && d.Served.IsZero()
		}},
		{"part36 made 12500.50 --days 28 --by Treasury Solicitor --served 13/11/2026", EventPart36Made, func(e Event) bool {
			d := lit(e)
			return d.Way == "made" && d.AmountPence == 1_250_050 && d.Days == 28 && d.By == "Treasury Solicitor" && d.Served.String() == "2026-11-13"
		}},
		{"part36 offer received an apology and a review of the decision", EventPart36Made, func(e Event) bool {
			d := lit(e)
			return d.AmountPence == 0 && d.Terms == "an apology and a review of the decision"
		}},
		{"part36 offer received £5,000 --method email --time 17:10 --date 13/11/2026", EventPart36Made, func(e Event) bool {
			return e.Data.Method == "email" && e.Data.Time == "17:10" && e.On.String() == "2026-11-13"
		}},
		{"part36 accept 12", EventPart36Accepted, func(e Event) bool { return e.Data.Refers == 12 }},
		{"part36 accept", EventPart36Accepted, func(e Event) bool { return e.Data.Refers == 0 }}, // the only open offer (TestOnlyOpenOffer)
		{"part36 withdraw 7", EventPart36Withdrawn, func(e Event) bool { return e.Data.Refers == 7 }},
		// A change without --days is given 21 by the rules (CPR 36.9(5)), not here.
		{"part36 change 7 £45,000", EventPart36Changed, func(e Event) bool {
			return e.Data.Refers == 7 && lit(e).AmountPence == 4_500_000 && lit(e).Days == 0
		}},
		{"part36 change £45,000 --terms and costs to date", EventPart36Changed, func(e Event) bool {
			return e.Data.Refers == 0 && lit(e).AmountPence == 4_500_000 && lit(e).Terms == "and costs to date"
		}},
		{"decision propose defend the policy was lawfully applied", EventDecision, func(e Event) bool {
			return lit(e).Decision == "defend" && e.Data.Text == "the policy was lawfully applied"
		}},
		{"decision propose settle --reasons litigation risk", EventDecision, func(e Event) bool { return e.Data.Text == "litigation risk" }},
		{"decision approve agreed", EventDecisionApproved, func(e Event) bool { return e.Data.Text == "agreed" }},
		{"authority request £40,000 costs counsel's fees --level director", EventAuthorityRequested, func(e Event) bool {
			d := lit(e)
			return d.AmountPence == 4_000_000 && d.Money == "costs" && d.Level == "director" && e.Data.Text == "counsel's fees"
		}},
		{"authority request 9000", EventAuthorityRequested, func(e Event) bool { return lit(e).Money == "damages" && lit(e).AmountPence == 900_000 }},
		{"authority approve --request 31 within policy", EventAuthorityApproved, func(e Event) bool {
			return e.Data.Refers == 31 && e.Data.Text == "within policy"
		}},
		{"authority refuse too high", EventAuthorityRefused, func(e Event) bool { return e.Data.Refers == 0 && e.Data.Text == "too high" }},
		{"settle £30,000 £4,500.50 in full and final settlement", EventSettled, func(e Event) bool {
			d := lit(e)
			return d.AmountPence == 3_000_000 && d.CostsPence == 450_050 && e.Data.Text == "in full and final settlement"
		}},
		{"settle --costs 2000 costs only", EventSettled, func(e Event) bool {
			return lit(e).AmountPence == 0 && lit(e).CostsPence == 200_000 && e.Data.Text == "costs only"
		}},
		{"instruction send advise on merits --due 30/11/2026", EventInstructed, func(e Event) bool {
			return e.Data.Text == "advise on merits" && e.Data.Due.String() == "2026-11-30" && e.Data.To == "Government Legal Department"
		}},
		{"instruction send draft the defence --to Treasury Counsel", EventInstructed, func(e Event) bool { return e.Data.To == "Treasury Counsel" }},
		{"instruction answered --instruction 9 counsel advises defending", EventInstructionAnswered, func(e Event) bool {
			return e.Data.Refers == 9 && e.Data.Text == "counsel advises defending" // a number is one word: the text follows it
		}},
		{"instruction answered counsel advises defending", EventInstructionAnswered, func(e Event) bool { return e.Data.Text == "counsel advises defending" }},
		{"time-request detailed-grounds 14", EventTimeRequested, func(e Event) bool {
			return e.Data.Deadline == "detailed_grounds" && lit(e).Days == 14 && e.Data.Text == "" && e.Data.Due.IsZero()
		}},
		{"time-request defence 14 --agreed", EventTimeRequested, func(e Event) bool { return lit(e).Agreed && e.Data.Deadline == "defence" }},
		{"time-request aos 7 counsel was taken ill the day before --firm-date 04/12/2026", EventTimeRequested, func(e Event) bool {
			return e.Data.Text == "counsel was taken ill the day before" && e.Data.Due.String() == "2026-12-04"
		}},
		{"brief ministerial the Home Secretary's private office", EventBriefed, func(e Event) bool {
			return lit(e).Interest == "ministerial" && lit(e).By == "the Home Secretary's private office"
		}},
		{"brief media press office --text lines to take agreed", EventBriefed, func(e Event) bool {
			return lit(e).Interest == "media" && lit(e).By == "press office" && e.Data.Text == "lines to take agreed"
		}},
		{"outcome conceded the decision is withdrawn", EventOutcome, func(e Event) bool {
			return lit(e).Outcome == "conceded" && e.Data.Text == "the decision is withdrawn"
		}},
	}
	for _, tt := range tests {
		e, err := ParseAction(tt.line, today, cal)
		if err != nil || e.Kind != tt.kind || !tt.check(e) {
			t.Errorf("%q: %+v %+v %v", tt.line, e, e.Data.Litigation, err)
		}
	}
	// Refusals say what was wrong: the wrong date format names the flag.
	bad := []struct{ line, want string }{
		{"side plaintiff", "side court|defendant"},
		{"part36 offer", "part36 offer made|received"},
		{"part36 offer received £40,000 --served 31/02/2026", "--served"},
		{"part36 offer received £40,000 --served tomorrow", "--served"},
		{"part36 offer received £12,34", "not an amount"},
		{"part36 offer received £1000 --days three", "--days"},
		{"part36 offer received £1000 --colour red", "--colour is not an option here"},
		{"part36 accept 12 13", "not an offer number"},
		{"part36 haggle", "part36 offer, accept, withdraw or change"},
		{"decision propose maybe", "decision propose settle|defend"},
		{"decision reconsider", "decision propose or approve"},
		{"authority request lots", "authority request £AMOUNT"},
		{"authority approve --request first", "--request"},
		{"authority grant", "authority request, approve or refuse"},
		{"settle £12,34", "settle damages"},
		{"instruction send advise --due 2026-13-01", "--due"},
		{"instruction forget", "instruction send or answered"},
		{"time-request aos soon", "time-request DEADLINE DAYS"},
		{"time-request aos 0", "time-request DEADLINE DAYS"},
		{"time-request aos 7 --firm-date next week", "--firm-date"},
		{"brief cabinet the PM", "brief ministerial|media"},
		{"outcome drawn", "outcome conceded|settled|withdrawn|won|lost"},
		{"side defendant --date 17/11/2026", "in the future"},
		{"side defendant --date yesterday", "--date"},
	}
	for _, b := range bad {
		_, err := ParseAction(b.line, today, cal)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%q: %v, want an error saying %q", b.line, err, b.want)
		}
	}
}

// With no offer named, an action takes the only open offer; none, or
// several, is refused naming them.
func TestOnlyOpenOffer(t *testing.T) {
	tests := []struct {
		offers []Offer
		id     int64
		want   string
	}{
		{nil, 0, "no Part 36 offers"},
		{[]Offer{{ID: 4, State: "accepted"}}, 0, "no Part 36 offer on the case is open"},
		{[]Offer{{ID: 4, State: "withdrawn"}, {ID: 9, State: "open"}}, 9, ""},
		{[]Offer{{ID: 4, State: "open"}, {ID: 9, State: "open"}}, 0, "2 Part 36 offers are open: name one (4, 9)"},
	}
	for _, tt := range tests {
		id, err := onlyOpenOffer(Litigation{Offers: tt.offers})
		if id != tt.id || (tt.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %d %v, want %d %q", tt.offers, id, err, tt.id, tt.want)
		}
	}
}

// A holder in [authority] is a user, "role:NAME" or the bare name of one
// of the team's roles; a level is held at it or any higher level.
func TestAuthorityHoldersByRole(t *testing.T) {
	a, err := ParseAuthority(map[string]AuthorityConfig{
		"caseworker":  {Limit: "£10,000", Holders: []string{"caseworker"}},
		"team-leader": {Limit: "£50,000", Holders: []string{"role:team-leader", "asha"}},
		"director":    {Limit: "£250,000", Holders: []string{"dara"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	a.RolesOf = func(u string) []string {
		return map[string][]string{"cw": {"caseworker"}, "tl": {"team-leader"}, "jj": {"judge"}}[u]
	}
	tests := []struct {
		user, level   string
		holds, byRole bool
	}{
		{"cw", "caseworker", true, true},
		{"cw", "team-leader", false, false},
		{"tl", "caseworker", true, true}, // a higher level covers a lower one
		{"tl", "team-leader", true, true},
		{"tl", "director", false, false},
		{"asha", "team-leader", true, false}, // by name
		{"jj", "caseworker", false, false},   // a role [authority] does not name
		{"dara", "caseworker", true, false},
		{"nobody", "caseworker", false, false},
		{"cw", "no-such-level", false, false},
	}
	for _, tt := range tests {
		if got, by := a.Holds(tt.user, tt.level), a.HoldsByRole(tt.user, tt.level); got != tt.holds || by != tt.byRole {
			t.Errorf("%s at %s: holds %v by role %v, want %v %v", tt.user, tt.level, got, by, tt.holds, tt.byRole)
		}
	}
}
