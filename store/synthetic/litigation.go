package synthetic

import (
	"context"
	"fmt"
	"strings"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// DemoAuthority is the demo's financial authority when config.toml has no
// [authority]: j.okoro (caseworker) up to £10,000, t.leader (team leader)
// up to £50,000, d.adebayo (director) up to £250,000.
func DemoAuthority() domain.Authority {
	a, _ := domain.ParseAuthority(map[string]domain.AuthorityConfig{
		"caseworker":  {Limit: "£10,000", Holders: []string{"j.okoro"}},
		"team-leader": {Limit: "£50,000", Holders: []string{"t.leader"}},
		"director":    {Limit: "£250,000", Holders: []string{"d.adebayo"}},
	})
	return a
}

// litigationDemo adds the government litigation team's caseload, held from
// the defendant's side: letters before claim to answer, judicial reviews
// at each stage, appeals to the Court of Appeal and the Supreme Court, and
// damages claims with Part 36 offers and an authority request. The cases
// are loaded, then each litigation step is recorded through the store as
// a caseworker would, so every one is checked and described by the rules.
func litigationDemo(ctx context.Context, s *store.Store, today domain.Date) (int, error) {
	if len(s.Authority().Levels) == 0 {
		s.SetAuthority(DemoAuthority())
	}
	y := today.Year()
	day := today.AddDays
	const me, lead = "j.okoro", "t.leader"
	ev := func(on domain.Date, kind string) domain.Event {
		return domain.Event{On: on, Kind: kind, Detail: strings.ReplaceAll(kind, "-", " ") + " on " + on.Long(), User: me}
	}
	side := func(on domain.Date) domain.Event {
		return domain.Event{On: on, Kind: domain.EventSideSet, Detail: "held from the defendant's side", User: me,
			Data: domain.EventData{Litigation: &domain.LitigationData{Side: domain.SideDefendant}}}
	}
	flag := func(on domain.Date, f string) domain.Event {
		return domain.Event{On: on, Kind: domain.EventFlagSet, Detail: "flagged: " + f, Data: domain.EventData{Flag: f}, User: me}
	}
	type lc struct {
		ref, pack, claimant, rep string
		subject                  domain.Subject
		stage                    domain.Track
		received, arose          domain.Date
		intake, grounds          string
		events                   []domain.Event
	}
	ac := func(n int) string { return fmt.Sprintf("AC-%d-LON-%06d", y, n) }
	const sshd = "Secretary of State for the Home Department"
	cases := []lc{
		// Letters before claim to answer within 14 days (PAP JR).
		{ac(201), "admin-court-jr", "R (Mensah)", "Duncan Lewis", "judicial-review", domain.PreAction, day(-3), day(-30), "letter-before-claim",
			"Refusal to grant leave outside the rules ignored the best interests of the children.", []domain.Event{side(day(-3))}},
		{ac(202), "admin-court-jr", "R (Khan)", "Wilsons Solicitors", "judicial-review", domain.PreAction, day(-13), day(-40), "letter-before-claim",
			"Delay of 20 months in deciding an asylum claim is unlawful.", []domain.Event{side(day(-13))}},
		// A claim served: acknowledgment due; ministerial interest.
		{ac(203), "admin-court-jr", "R (Osei)", "Bhatt Murphy", "judicial-review", domain.ClaimIssued, day(-25), day(-80), "claim-issued",
			"Detention beyond a reasonable period pending removal (Hardial Singh).",
			[]domain.Event{side(day(-25)), ev(day(-20), "claim-served"), flag(day(-20), "ministerial")}},
		// Permission refused on the papers: the claimant may renew (watch).
		{ac(204), "admin-court-jr", "R (Li)", "Leigh Day", "judicial-review", domain.ClaimIssued, day(-70), day(-120), "claim-issued",
			"Refusal of a fee waiver misapplied the policy.",
			[]domain.Event{side(day(-70)), ev(day(-66), "claim-served"),
				// Decided to defend when the claim was served; permission refused on the papers since: the decision is to be revisited.
				{On: day(-60), Kind: domain.EventDecision, User: me, Detail: "proposed to defend at Claim issued: the policy was applied as written",
					Data: domain.EventData{Text: "the policy was applied as written", Litigation: &domain.LitigationData{Decision: "defend", Stage: domain.ClaimIssued}}},
				ev(day(-46), "aos-filed"), ev(day(-44), "aos-served"), ev(day(-3), "paper-refusal-served")}},
		// Permission granted: detailed grounds and evidence due; the decision to defend to revisit.
		{ac(205), "admin-court-jr", "R (Ahmed)", "Public Law Project", "judicial-review", domain.ClaimIssued, day(-120), day(-160), "claim-issued",
			"The right to rent scheme was applied to a British citizen.",
			[]domain.Event{side(day(-120)), ev(day(-117), "claim-served"), ev(day(-97), "aos-filed"), ev(day(-96), "aos-served"),
				{On: day(-96), Kind: domain.EventDecision, User: me, Detail: "proposed to defend at Permission (paper): the checks followed the code of practice",
					Data: domain.EventData{Text: "the checks followed the code of practice", Litigation: &domain.LitigationData{Decision: "defend", Stage: domain.PermissionPaper}}},
				ev(day(-30), "permission-order-served")}},
		// Concluded, for the outcomes report.
		{ac(206), "admin-court-jr", "R (Bello)", "Deighton Pierce Glynn", "judicial-review", domain.ClaimIssued, day(-60), day(-90), "claim-issued",
			"Refusal of asylum support.", []domain.Event{side(day(-60)), ev(day(-57), "claim-served")}},
		{ac(207), "admin-court-jr", "R (Petrov)", "Wilsons Solicitors", "judicial-review", domain.PreAction, day(-40), day(-60), "letter-before-claim",
			"Curtailment of leave without notice.", []domain.Event{side(day(-40)), ev(day(-30), "pap-response")}},
		// Appeals: the judgment below to appeal (21 days), an appeal heard, and the Supreme Court (28 days).
		{fmt.Sprintf("CA-%d-%06d", y, 301), "appeals", "R (Osman) v SSHD", "Government Legal Department", "civil-appeal", domain.PermissionToAppeal,
			day(-9), day(-10), "judgment-received", "Appeal by the Secretary of State against a quashing order on the asylum accommodation policy.",
			[]domain.Event{ev(day(-10), "decision-below")}},
		{fmt.Sprintf("CA-%d-%06d", y, 302), "appeals", "R (Farah) v SSHD", "Duncan Lewis", "judicial-review", domain.AppealLodged,
			day(-60), day(-75), "appellants-notice-filed", "Claimant's appeal against refusal of permission at a hearing (CPR 52.8).",
			[]domain.Event{ev(day(-75), "jr-permission-refused-at-hearing"), ev(day(-46), "skeleton-filed"), ev(day(-2), "appeal-heard")}},
		{fmt.Sprintf("CA-%d-%06d", y, 303), "appeals", "SSHD v Nasser", "Government Legal Department", "immigration-appeal", domain.AppealDecided,
			day(-15), day(-20), "judgment-received", "The Court of Appeal dismissed the Secretary of State's appeal; permission to the Supreme Court to consider.",
			[]domain.Event{ev(day(-20), "coa-decision")}},
		// Damages claims: a letter before claim, and a claim defended with Part 36 offers and an authority request.
		{fmt.Sprintf("KB-%d-%06d", y, 401), "damages-claim", "Mr T Okonkwo", "Bhatt Murphy", "damages-claim", domain.PreAction,
			day(-12), day(-400), "letter-before-claim", "False imprisonment: 41 days' immigration detention after removal became impossible.", nil},
		{fmt.Sprintf("KB-%d-%06d", y, 402), "damages-claim", "Ms R Adeyemi", "Deighton Pierce Glynn", "damages-claim", domain.ClaimIssued,
			day(-30), day(-900), "claim-served", "False imprisonment and breach of Article 5: unlawful detention for 63 days.",
			[]domain.Event{ev(day(-30), "particulars-served"), ev(day(-20), "aos-filed")}},
	}
	var seeds []store.Seed
	for _, c := range cases {
		n := domain.Notice{Reference: c.ref, Jurisdiction: c.pack, Stage: c.stage, Received: c.received, DecisionDate: c.arose,
			Appellant: c.claimant, Representative: c.rep, Respondent: sshd, Subject: c.subject, Grounds: c.grounds}
		events := []domain.Event{ev(c.received, c.intake)}
		if p := s.PackOf(c.pack); p.DecisionEvent != "" {
			events = append(events, ev(c.arose, p.DecisionEvent))
		}
		seeds = append(seeds, store.Seed{Notice: n, Events: append(events, c.events...), Source: "demo"})
	}
	if err := s.Load(ctx, seeds, store.ActOptions{User: me, On: today}); err != nil {
		return 0, err
	}

	// The steps recorded as a caseworker would, each checked by the rules.
	type step struct {
		ref string
		e   domain.Event
	}
	lit := func(on domain.Date, user, kind string, d domain.EventData) domain.Event {
		if d.Litigation == nil {
			d.Litigation = &domain.LitigationData{}
		}
		return domain.Event{On: on, User: user, Kind: kind, Data: d}
	}
	claim := fmt.Sprintf("KB-%d-%06d", y, 402)
	steps := []step{
		{ac(202), lit(day(-5), me, domain.EventTimeRequested, domain.EventData{Deadline: "pap_response", Text: "the decision file is being retrieved",
			Litigation: &domain.LitigationData{Days: 14}})},
		{ac(201), lit(day(-2), me, domain.EventInstructed, domain.EventData{To: "Government Legal Department", Text: "advise on the merits of the letter before claim", Due: day(4)})},
		{ac(203), lit(day(-18), me, domain.EventDecision, domain.EventData{Text: "detention was reviewed monthly and removal remained imminent",
			Litigation: &domain.LitigationData{Decision: "defend"}})},
		{ac(203), lit(day(-17), lead, domain.EventDecisionApproved, domain.EventData{})},
		{ac(203), lit(day(-16), me, domain.EventInstructed, domain.EventData{To: "Government Legal Department", Text: "draft the acknowledgment and summary grounds", Due: day(-1)})},
		{ac(205), lit(day(-1), me, domain.EventDecision, domain.EventData{Text: "permission granted on ground 2; the guidance was not followed in this case",
			Litigation: &domain.LitigationData{Decision: "settle"}})},
		{ac(206), lit(day(-20), me, domain.EventOutcome, domain.EventData{Text: "support reinstated", Litigation: &domain.LitigationData{Outcome: "conceded"}})},
		{ac(207), lit(day(-10), me, domain.EventOutcome, domain.EventData{Text: "no claim issued", Litigation: &domain.LitigationData{Outcome: "withdrawn"}})},
		{claim, lit(day(-20), me, domain.EventPart36Made, domain.EventData{Litigation: &domain.LitigationData{Way: "made", By: "Government Legal Department",
			AmountPence: 1500000, Days: 21}})},
		{claim, lit(day(-10), me, domain.EventPart36Made, domain.EventData{Litigation: &domain.LitigationData{Way: "received", By: "Deighton Pierce Glynn",
			AmountPence: 4500000, Days: 21}})},
		{claim, lit(day(-8), me, domain.EventDecision, domain.EventData{Text: "liability likely: detention beyond the removal window; quantum is the issue",
			Litigation: &domain.LitigationData{Decision: "settle"}})},
		{claim, lit(day(-7), me, domain.EventAuthorityRequested, domain.EventData{Text: "to meet the claimant's offer or settle near it",
			Litigation: &domain.LitigationData{AmountPence: 4000000, Money: "damages"}})},
		{claim, lit(day(-6), lead, domain.EventAuthorityApproved, domain.EventData{})},
		{claim, lit(day(-5), me, domain.EventAuthorityRequested, domain.EventData{Litigation: &domain.LitigationData{AmountPence: 1200000, Money: "costs"}})},
	}
	for _, st := range steps {
		if _, err := s.Record(ctx, st.ref, st.e); err != nil {
			return 0, fmt.Errorf("demo %s %s: %w", st.ref, st.e.Kind, err)
		}
	}
	return len(seeds), nil
}
