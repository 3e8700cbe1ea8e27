package domain

import (
	"fmt"
	"slices"
)

// Notice is a notice of appeal as received: the facts a caseworker
// categorises on.
type Notice struct {
	Reference      string  `json:"reference"`
	Received       Date    `json:"received"`
	DecisionDate   Date    `json:"decision_date,omitzero"`
	Appellant      string  `json:"appellant"`
	Representative string  `json:"representative"`
	Respondent     string  `json:"respondent"`
	Subject        Subject `json:"subject"`
	AmountPence    *int64  `json:"amount_pence"`
	Grounds        string  `json:"grounds"`
	HMRCReference  string  `json:"hmrc_reference"`
	LateReason     string  `json:"late_reason"`
	// Jurisdiction is the rule pack the notice belongs to ("" for the
	// store's default); Stage is, for judicial review, what arrived: a
	// letter before claim (pre-action) or a claim (claim-issued).
	Jurisdiction string `json:"jurisdiction,omitempty"`
	Stage        Track  `json:"stage,omitempty"`
	// Division is, for a pack whose cases carry their own (tax), the part
	// of the UK whose bank holidays the case counts with; "" the default.
	Division string `json:"division,omitempty"`
	// Where letters and emails to the parties go (letters say so when one
	// is missing). Optional: a notice need not give them.
	AppellantAddress      string `json:"appellant_address,omitempty"`
	AppellantEmail        string `json:"appellant_email,omitempty"`
	RepresentativeAddress string `json:"representative_address,omitempty"`
	RepresentativeEmail   string `json:"representative_email,omitempty"`
	RespondentAddress     string `json:"respondent_address,omitempty"`
	RespondentEmail       string `json:"respondent_email,omitempty"`
}

// Suggestion is the track the rule pack proposes for a notice, and why.
type Suggestion struct {
	Track  Track
	Reason string
}

// Suggest proposes a track. The first matching rule wins:
//  1. amount ≥ complex threshold → Complex (r23(4)(c));
//  2. a fixed-penalty subject with a known amount ≤ the paper limit → Default
//     Paper (Practice Direction of 1 June 2022);
//  3. a penalty (other than deliberate inaccuracy), information notice or CIS
//     gross payment status → Basic (HMRC ARTG8350);
//  4. otherwise Standard.
//
// It is advice only: the caseworker always decides.
func (p *RulePack) Suggest(n Notice) Suggestion {
	if p.JudicialReview() {
		// Judicial review: the stage is what arrived; the caseworker
		// confirms it and decides priority.
		stage := n.Stage
		if stage == "" || !p.Offers(stage) {
			stage = p.Tracks[0]
		}
		why := "a letter before claim: pre-action (Pre-Action Protocol for Judicial Review)"
		if stage != PreAction {
			why = "a claim received: " + stage.Label()
		}
		return Suggestion{stage, why}
	}
	s := p.SuggestRules
	if n.AmountPence != nil && *n.AmountPence >= s.ComplexMinPence {
		return Suggestion{Complex, fmt.Sprintf("%s in dispute, at least %s (%s)",
			FormatPence(*n.AmountPence), FormatPence(s.ComplexMinPence), s.ComplexCitation)}
	}
	if slices.Contains(s.PaperSubjects, n.Subject) && n.AmountPence != nil && *n.AmountPence <= s.PaperMaxPence {
		return Suggestion{Paper, fmt.Sprintf("%s of %s, not over %s (%s)",
			n.Subject.Label(), FormatPence(*n.AmountPence), FormatPence(s.PaperMaxPence), s.PaperCitation)}
	}
	if slices.Contains(s.BasicSubjects, n.Subject) {
		why := n.Subject.Label()
		if slices.Contains(s.PaperSubjects, n.Subject) {
			if n.AmountPence == nil {
				why += ", amount not known"
			} else {
				why += " over " + FormatPence(s.PaperMaxPence)
			}
		}
		return Suggestion{Basic, fmt.Sprintf("%s: listed as Basic (%s)", why, s.BasicCitation)}
	}
	return Suggestion{Standard, fmt.Sprintf("%s: no simpler track applies (%s)", n.Subject.Label(), s.StandardCitation)}
}

// Lateness says whether a notice was given after the statutory limit.
type Lateness struct {
	Late     bool
	DaysLate int
	Limit    Date // last day to appeal in time; zero if the decision date is unknown
}

// Lateness applies the statutory appeal limit, counted as the pack says.
// "30 days beginning with the date of the document" (TMA 1970 s49G(5)(a),
// s49H with s49C(8); VATA 1994 s83G(1)) counts the decision date as day 1,
// so the last day is decision + 29; "within 30 days after" ends on
// decision + 30. Statutory limits are not moved for weekends or holidays,
// so the calendar plays no part. On the last day the appeal is in time;
// days_late = received − last day.
func (p *RulePack) Lateness(decision, received Date) Lateness {
	return p.lateness(decision, received, p.AppealLimit.Days, false, p.AppealLimit.Counting, nil)
}

// LatenessOf applies the pack's limit to a notice: the subject's variant
// (planning 6 weeks, procurement 30 days: CPR 54.5(5), (6)), with its own
// counting, a limit in months, and only for notices arriving at the stages
// the limit governs (a letter before claim is not late: no claim has been
// made). A limit set by rules rather than statute (working_day = true) runs
// to the next working day, or next day the court office is open (r12; CPR
// 2.8(5)).
func (p *RulePack) LatenessOf(n Notice, cal *Calendar) Lateness {
	a := p.AppealLimit
	if len(a.Stages) > 0 && !slices.Contains(a.Stages, n.Stage) {
		return Lateness{}
	}
	days := a.Days
	months := a.Months > 0
	counting := a.Counting
	for _, v := range a.Variants {
		if slices.Contains(v.Subjects, n.Subject) {
			days, months = v.Days, false
			if v.Counting != "" {
				counting = v.Counting
			}
			break
		}
	}
	var move func(Date) Date
	if a.WorkingDay && cal != nil {
		move = func(d Date) Date {
			for !cal.IsWorkingDay(d) || slices.ContainsFunc(p.ClosureDays, d.Equal) {
				d = d.AddDays(1)
			}
			return d
		}
	}
	return p.lateness(n.DecisionDate, n.Received, days, months, counting, move)
}

func (p *RulePack) lateness(decision, received Date, days int, months bool, counting string, move func(Date) Date) Lateness {
	if decision.IsZero() || received.IsZero() {
		return Lateness{}
	}
	limit := decision.AddDays(days)
	if months {
		limit = decision.AddMonths(p.AppealLimit.Months)
	}
	if counting == "beginning-with" {
		limit = limit.AddDays(-1)
	}
	if move != nil {
		limit = move(limit)
	}
	if !received.After(limit) {
		return Lateness{Limit: limit}
	}
	return Lateness{Late: true, DaysLate: limit.DaysUntil(received), Limit: limit}
}
