package synthetic

import (
	"context"
	"embed"
	"fmt"
	"path"
	"strings"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/mailfile"
)

// mailFiles are real-shaped messages (multipart, HTML only, attachments,
// Latin-1 and windows-1252, one without a Message-ID) written for
// 23 November 2026; the demo moves them to its today and its references.
//
//go:embed mail/*.eml
var mailFiles embed.FS

// jrSeeds is the demo's judicial review caseload in the Administrative
// Court and the Upper Tribunal (IAC): new letters before claim and claims
// to triage, and claims at every later stage with deadlines falling around
// today. The references AC-YYYY-LON-000123 and JR/00042/YYYY are the ones
// the morning's mail names.
func jrSeeds(today domain.Date) []store.Seed {
	y := today.Year()
	ac := func(n int) string { return fmt.Sprintf("AC-%d-LON-%06d", y, n) }
	ut := func(n int) string { return fmt.Sprintf("JR/%05d/%d", n, y) }
	day := today.AddDays
	ev := func(on domain.Date, kind string) domain.Event {
		return domain.Event{On: on, Kind: kind, Detail: strings.ReplaceAll(kind, "-", " ") + " on " + on.Long(), User: "j.okoro"}
	}
	alloc := func(on domain.Date, stage domain.Track) domain.Event {
		d := domain.EventData{Track: stage, Suggested: stage}
		return domain.Event{On: on, Kind: domain.EventAllocated, Detail: domain.DescribeAllocation(d), Data: d, User: "j.okoro"}
	}
	flag := func(on domain.Date, f string) domain.Event {
		return domain.Event{On: on, Kind: domain.EventFlagSet, Detail: "flagged: " + f, Data: domain.EventData{Flag: f}, User: "j.okoro"}
	}
	// A direction, as the casework command records one (letter templates
	// need one on a claim to draft the court's directions).
	direction := func(on, due domain.Date, party, text string) domain.Event {
		return domain.Event{On: on, Kind: domain.EventDirection, User: "j.okoro",
			Detail: fmt.Sprintf("direction to %s, due %s: %s", party, due.Long(), text),
			Data:   domain.EventData{Text: text, Party: party, Due: due}}
	}
	type jr struct {
		ref, pack, claimant, rep, defendant string
		subject                             domain.Subject
		stage                               domain.Track
		received, arose                     domain.Date
		grounds                             string
		events                              []domain.Event
	}
	intake := map[string]map[domain.Track]string{
		"admin-court-jr": {domain.PreAction: "letter-before-claim", domain.ClaimIssued: "claim-issued"},
		"ut-iac-jr":      {domain.PreAction: "letter-before-claim", domain.ClaimIssued: "application-made"},
	}
	cases := []jr{
		// To triage this morning.
		{ac(131), "admin-court-jr", "R (Begum)", "Deighton Pierce Glynn", "London Borough of Newham", "judicial-review", domain.PreAction,
			day(-1), day(-20), "Refusal to provide interim accommodation to a family with a disabled child.", nil},
		{ac(132), "admin-court-jr", "Save Our Meadows Ltd", "Leigh Day", "Westshire District Council", "planning-jr", domain.ClaimIssued,
			day(-1), day(-50), "Planning permission granted against the local plan; the officer's report misled the committee.", nil},
		{ac(133), "admin-court-jr", "Harbour Medical Supplies Ltd", "Pinsent Masons", "NHS Supply Chain", "procurement-jr", domain.ClaimIssued,
			day(-2), day(-12), "Award decision did not apply the published evaluation criteria.", nil},
		{ac(134), "admin-court-jr", "R (Climate Futures)", "Client Earth", "Secretary of State for Energy", "judicial-review", domain.PreAction,
			day(-2), day(-70), "Net zero delivery plan adopted without lawful consultation.", nil},
		{ut(51), "ut-iac-jr", "GH (Iran)", "Wilsons Solicitors", "", "immigration-jr", domain.ClaimIssued,
			day(-1), day(-100), "Further submissions refused as not a fresh claim despite new medical evidence.", nil},
		// Triaged, progressing.
		{ac(123), "admin-court-jr", "R (Patel)", "Bindmans LLP", "Home Office", "judicial-review", domain.ClaimIssued,
			day(-12), day(-60), "The asylum accommodation policy was applied without considering the claimant's disability.",
			[]domain.Event{alloc(day(-11), domain.ClaimIssued), ev(day(-9), "claim-served"), flag(day(-11), "ministerial")}},
		{ac(118), "admin-court-jr", "R (Nowak)", "Public Law Project", "Ministry of Justice", "judicial-review", domain.ClaimIssued,
			day(-40), day(-80), "Legal aid means test applied to capital the claimant cannot access.",
			[]domain.Event{alloc(day(-39), domain.ClaimIssued), ev(day(-38), "claim-served"), ev(day(-5), "aos-served"),
				direction(day(-4), day(10), "respondent", "The defendant shall file and serve the decision letter and the means-test guidance relied on.")}},
		{ac(109), "admin-court-jr", "R (Adeyemi)", "Leigh Day", "Chief Constable of Westshire", "judicial-review", domain.ClaimIssued,
			day(-70), day(-100), "Retention of biometric data after acquittal.",
			[]domain.Event{alloc(day(-69), domain.ClaimIssued), ev(day(-68), "claim-served"), ev(day(-47), "aos-served"),
				ev(day(-3), "paper-refusal-served"), flag(day(-3), "media")}},
		{ac(97), "admin-court-jr", "R (Westshire Parents Group)", "Irwin Mitchell", "Westshire County Council", "judicial-review", domain.ClaimIssued,
			day(-120), day(-150), "Closure of special educational needs units without consultation.",
			[]domain.Event{alloc(day(-119), domain.ClaimIssued), ev(day(-118), "claim-served"), ev(day(-97), "aos-served"),
				ev(day(-30), "permission-order-served")}},
		{ac(125), "admin-court-jr", "R (Hussain)", "Bhatt Murphy", "HM Prison and Probation Service", "judicial-review", domain.PreAction,
			day(-12), day(-40), "Recategorisation decision failed to consider the parole board's recommendation.",
			[]domain.Event{alloc(day(-11), domain.PreAction), flag(day(-11), "urgent")}},
		{ut(42), "ut-iac-jr", "CD (Albania)", "Duncan Lewis", "", "immigration-jr", domain.ClaimIssued,
			day(-6), day(-60), "Further submissions amounted to a fresh claim; the refusal ignored the new medical evidence.",
			[]domain.Event{alloc(day(-5), domain.ClaimIssued)}},
		{ut(37), "ut-iac-jr", "EF (Eritrea)", "Coram Children's Legal Centre", "", "immigration-jr", domain.ClaimIssued,
			day(-30), day(-70), "Age assessment not Merton-compliant.",
			[]domain.Event{alloc(day(-29), domain.ClaimIssued), ev(day(-27), "application-served"), ev(day(-6), "aos-served")}},
	}
	var seeds []store.Seed
	for _, c := range cases {
		n := domain.Notice{Reference: c.ref, Jurisdiction: c.pack, Stage: c.stage, Received: c.received, DecisionDate: c.arose,
			Appellant: c.claimant, Representative: c.rep, Respondent: c.defendant, Subject: c.subject, Grounds: c.grounds}
		events := []domain.Event{ev(c.received, intake[c.pack][c.stage]), ev(c.arose, "grounds-arose")}
		seeds = append(seeds, store.Seed{Notice: n, Events: append(events, c.events...), Source: "demo"})
	}
	return seeds
}

// morningMail imports the demo's morning's mail: the embedded messages,
// dated today and naming the demo's cases (two tax appeals, an Administrative
// Court claim and a UT application); one names no case and waits unlinked.
func morningMail(ctx context.Context, s *store.Store, today domain.Date, tax1, tax2, user string) (store.MailImportResult, error) {
	y := fmt.Sprint(today.Year())
	repl := strings.NewReplacer(
		"Mon, 23 Nov 2026", today.Time().Format("Mon, 02 Jan 2006"),
		"TC/2026/00012", tax1, "TC/2026/00031", tax2,
		"AC-2026-LON-000123", "AC-"+y+"-LON-000123", "JR/00042/2026", "JR/00042/"+y)
	entries, err := mailFiles.ReadDir("mail")
	if err != nil {
		return store.MailImportResult{}, err
	}
	var msgs []mailfile.Message
	for _, e := range entries {
		b, err := mailFiles.ReadFile(path.Join("mail", e.Name()))
		if err != nil {
			return store.MailImportResult{}, err
		}
		m, err := mailfile.Parse(strings.NewReader(repl.Replace(string(b))), "demo/"+e.Name())
		if err != nil {
			return store.MailImportResult{}, err
		}
		msgs = append(msgs, m)
	}
	return s.ImportMail(ctx, msgs, store.ActOptions{User: user, On: today})
}
