package synthetic

import (
	"context"
	"fmt"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// Demo fills an empty database with the demo caseload: about 2,000 cases
// over four years, then this morning's queue and a week's worth of work
// arranged around today so that every screen has something to show.
func Demo(ctx context.Context, s *store.Store, today domain.Date, user string) (Summary, error) {
	sum, err := Generate(ctx, s, Options{Cases: 1900, Seed: 2026, Today: today.AddDays(-7), User: user, Years: 4})
	if err != nil {
		return sum, err
	}
	g := newGen(s, 7, today)
	// References continue after the generated ones for this year and last.
	for _, y := range []int{today.Year(), today.Year() - 1} {
		g.refs[y] = 90000
	}
	var seeds []store.Seed
	add := func(n domain.Notice, events ...domain.Event) {
		for i := range events {
			if events[i].User == "" {
				events[i].User = pick(g.r, users)
			}
		}
		demoAddresses(&n, len(seeds))
		seeds = append(seeds, store.Seed{Notice: n, Events: events, Source: "demo"})
	}
	ev := func(on domain.Date, kind, detail string, data domain.EventData) domain.Event {
		return domain.Event{On: on, Kind: kind, Detail: detail, Data: data}
	}
	alloc := func(on domain.Date, n domain.Notice, track domain.Track) domain.Event {
		sug := s.Pack().Suggest(n).Track
		d := domain.EventData{Track: track, Suggested: sug, Override: track != sug}
		return ev(on, domain.EventAllocated, domain.DescribeAllocation(d), d)
	}
	pence := func(p int64) *int64 { return &p }

	// This morning's queue: 24 new appeals from the last three days, a few late, two over £1m.
	for i := 0; i < 24; i++ {
		n := g.notice(today.AddDays(-(i % 3)), i%7 == 3)
		switch i {
		case 5:
			n.Subject, n.AmountPence = "vat", pence(245000000)
		case 11:
			n.Subject, n.AmountPence = "corporation-tax", pence(1200000000)
		case 2, 8, 14:
			n.Subject, n.AmountPence = "late-filing-penalty", pence(10000)
		}
		add(n)
	}
	// Statements of case falling due around today: allocated Standard 60 days before today-5 .. today+8.
	for k := -5; k <= 8; k++ {
		n := g.notice(today.AddDays(k-75), false)
		add(n, alloc(today.AddDays(k-60), n, domain.Standard))
	}
	// Default Paper cases whose statement arrived: the appellant's reply runs (r26).
	for k := 0; k < 4; k++ {
		n := g.notice(today.AddDays(-80-k), false)
		n.Subject, n.AmountPence = "late-filing-penalty", pence(10000)
		a := today.AddDays(-70 - k)
		add(n, alloc(a, n, domain.Paper), ev(today.AddDays(-20-k), domain.EventStatementOfCase, "statement of case received", domain.EventData{}))
	}
	// Casework examples.
	n := g.notice(today.AddDays(-40), false)
	add(n, alloc(today.AddDays(-35), n, domain.Standard),
		ev(today.AddDays(-20), domain.EventDirection, "direction to appellant: send the bank statements for 2023-24",
			domain.EventData{Text: "Appellant to send the bank statements for 2023-24", Party: "appellant", Due: today.AddDays(-3)}))
	n = g.notice(today.AddDays(-50), false)
	add(n, alloc(today.AddDays(-45), n, domain.Complex),
		ev(today.AddDays(-4), domain.EventReferred, "referred to the judge: application for an expedited hearing",
			domain.EventData{To: "judge", Text: "The appellant asks for an expedited hearing because of insolvency risk. Grant?"}),
		ev(today.AddDays(-4), domain.EventFlagSet, "flagged: urgent", domain.EventData{Flag: "urgent"}))
	n = g.notice(today.AddDays(-100), false)
	add(n, alloc(today.AddDays(-95), n, domain.Basic),
		ev(today.AddDays(-30), domain.EventHearingListed, "hearing listed (video)", domain.EventData{Due: today.AddDays(27), Venue: "video"}),
		ev(today.AddDays(-10), domain.EventFlagSet, "flagged: vulnerable / needs assisted-digital support", domain.EventData{Flag: "vulnerable"}))
	n = g.notice(today.AddDays(-62), false)
	add(n, alloc(today.AddDays(-58), n, domain.Standard),
		ev(today.AddDays(-2), domain.EventExtensionRequested, "respondent asked for 28 more days for statement of case",
			domain.EventData{Deadline: "statement_of_case", Party: "respondent", Days: 28, Text: "Awaiting documents from a third party"}))
	n = g.notice(today.AddDays(-6), true)
	n.LateReason = "I was in hospital when the review conclusion arrived."
	add(n, ev(today.AddDays(-5), domain.EventPermissionRequested, "permission to appeal late requested ("+g.pack.AppealLimit.PermissionRule+")", domain.EventData{Text: n.LateReason}))
	n = g.notice(today.AddDays(-9), false)
	n.Grounds = ""
	add(n, ev(today.AddDays(-8), domain.EventReturned, "notice returned to the appellant: grounds, decision-copy",
		domain.EventData{Reasons: []string{"grounds", "decision-copy"}}))
	// A group behind a lead case (r18).
	var lead string
	for i := 0; i < 4; i++ {
		n := g.notice(today.AddDays(-120+i*3), false)
		n.Subject, n.Representative = "income-tax", "Carter Lowe LLP"
		n.Grounds = "Loss relief on the Alpha Film Partnership was wrongly denied; the partnership traded commercially."
		n.HMRCReference = "SCHEME-ALPHA"
		events := []domain.Event{alloc(today.AddDays(-110+i*3), n, domain.Standard)}
		if i == 0 {
			lead = n.Reference
			events = append(events, ev(today.AddDays(-30), domain.EventLeadCase, "made lead case — Alpha Film Partnership", domain.EventData{Group: "Alpha Film Partnership"}))
		} else {
			events = append(events, ev(today.AddDays(-30), domain.EventStayed, "stayed behind lead case "+lead, domain.EventData{Lead: lead, Group: "Alpha Film Partnership"}))
		}
		add(n, events...)
	}
	// Two more with the same scheme, not yet grouped: the group suggestion finds them.
	for i := 0; i < 2; i++ {
		n := g.notice(today.AddDays(-20+i), false)
		n.Subject, n.Representative, n.HMRCReference = "income-tax", "Carter Lowe LLP", "SCHEME-ALPHA"
		n.Grounds = "Loss relief on the Alpha Film Partnership was wrongly denied; the partnership traded commercially."
		add(n, alloc(today.AddDays(-15+i), n, domain.Standard))
	}
	// The judicial review caseload beside the tax appeals.
	seeds = append(seeds, jrSeeds(today)...)
	if err := s.Load(ctx, seeds, store.ActOptions{User: user, On: today}); err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	sum.Cases += len(seeds)
	// This morning's mail: about the first appeal in the queue, an allocated
	// appeal, and two judicial reviews; one message names no case.
	if _, err := morningMail(ctx, s, today, seeds[0].Notice.Reference, seeds[24].Notice.Reference, user); err != nil {
		return sum, fmt.Errorf("demo mail: %w", err)
	}
	if err := serviceCentreMorning(ctx, s, today, seeds[0].Notice.Reference, seeds[24].Notice.Reference, firstJR(seeds), user); err != nil {
		return sum, fmt.Errorf("demo service centre: %w", err)
	}
	// The government litigation team's caseload, from the defendant's side.
	litCases, err := litigationDemo(ctx, s, today)
	if err != nil {
		return sum, fmt.Errorf("demo litigation: %w", err)
	}
	sum.Cases += litCases
	return sum, s.Analyze(ctx)
}

var (
	demoStreets = []string{"Mill Lane", "Station Road", "Church Street", "Harbour Row", "Victoria Terrace", "Castle Wynd", "Bridge Street"}
	demoTowns   = []string{"Leeds LS1 4AP", "Cardiff CF10 1EP", "Norwich NR2 1TF", "Exeter EX4 3LS", "Preston PR1 2HE", "Bangor LL57 1UT"}
)

// demoAddresses gives the demo's own appeals postal addresses, so a letter
// can be drafted and saved from the UI (W), except every sixth appellant,
// so the letter that cannot be sent is shown too. It takes nothing from
// the random sequence: the rest of the demo stays as it was.
func demoAddresses(n *domain.Notice, i int) {
	if i%6 != 5 {
		n.AppellantAddress = fmt.Sprintf("%d %s\n%s", 1+(i*7)%90, demoStreets[i%len(demoStreets)], demoTowns[(i/2)%len(demoTowns)])
	}
	if n.Representative != "" {
		n.RepresentativeAddress = fmt.Sprintf("%d %s\n%s", 10+(i*11)%80, demoStreets[(i+3)%len(demoStreets)], demoTowns[(i+1)%len(demoTowns)])
	}
}
