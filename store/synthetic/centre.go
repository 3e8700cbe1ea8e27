package synthetic

import (
	"context"
	"fmt"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// serviceCentreMorning records a service centre's morning beside the
// imported mail (each message is already a query): calls and webchats,
// some about cases and some not, some answered there and then, one
// passed to a team, a repeat caller, a complaint, two support needs and
// an unpaid fee on a judicial review.
func serviceCentreMorning(ctx context.Context, s *store.Store, today domain.Date, tax, allocated, jr, user string) error {
	act := store.ActOptions{User: user, On: today}
	type call struct {
		nq       store.NewQuery
		pass     string
		wait     bool
		complain string
	}
	person := func(name string, role domain.PartyRole, phone, email string) domain.Contact {
		return domain.Contact{Name: name, Role: role, Phone: phone, Email: email}
	}
	calls := []call{
		{nq: store.NewQuery{Channel: domain.ChannelPhone, Contact: person("Alan Brooks", domain.RoleAppellant, "07700 900101", ""), Reference: tax,
			Topic: "progress", Summary: "asked whether his appeal has been received", Resolution: "confirmed received; explained categorisation comes next",
			Article: "ftt-tax-progress"}},
		{nq: store.NewQuery{Channel: domain.ChannelWebchat, Contact: person("Guest 4471", domain.RolePublic, "", ""), Topic: "late",
			Summary: "HMRC letter was six weeks ago; can they still appeal?", Resolution: "explained a late appeal must give its reason (r20(4))",
			Article: "ftt-tax-late-appeal"}},
		{nq: store.NewQuery{Channel: domain.ChannelPhone, Contact: person("Priya Shah", domain.RoleRepresentative, "020 7946 0123", "p.shah@example.org"),
			Reference: allocated, Topic: "documents", Summary: "asked for HMRC's statement of case to be re-sent"}, pass: "case progression team"},
		{nq: store.NewQuery{Channel: domain.ChannelPhone, Contact: person("Mrs Okoro", domain.RolePublic, "01632 960555", ""), Topic: "how-to-apply",
			Summary: "wants to challenge a council decision: which court?"}, wait: true},
		{nq: store.NewQuery{Channel: domain.ChannelWebchat, Contact: person("Daniel Kim", domain.RoleAppellant, "", "d.kim@example.net"), Reference: jr,
			Topic: "fees", Summary: "how to pay the permission fee, and can he get help with fees?", Resolution: "explained fee 1.9(a) and help with fees (EX160)",
			Article: "admin-court-jr-fees"}},
		{nq: store.NewQuery{Channel: domain.ChannelInPerson, Contact: person("Tom Hale", domain.RoleAppellant, "07700 900202", ""), Reference: tax,
			Topic: "hearing", Summary: "needs a BSL interpreter at the hearing"}},
		{nq: store.NewQuery{Channel: domain.ChannelPhone, Contact: person("Sandra Wilkes", domain.RoleAppellant, "07700 900303", "s.wilkes@example.com"),
			Reference: allocated, Topic: "complaint", Summary: "third call this month; promised call-backs never came", Complaint: true},
			complain: "apologised; call-back booked with the team leader"},
	}
	var brooks domain.Contact
	for i, c := range calls {
		c.nq.NewContact = true
		q, err := s.AddQuery(ctx, c.nq, act)
		if err != nil {
			return fmt.Errorf("call %d: %w", i+1, err)
		}
		if i == 0 {
			brooks = q.Contact
		}
		switch {
		case c.pass != "":
			_, err = s.UpdateQuery(ctx, q.ID, domain.QueryPassed, c.pass, act)
		case c.wait:
			_, err = s.UpdateQuery(ctx, q.ID, domain.QueryWaiting, "asked her to send the council's letter", act)
		case c.complain != "":
			_, err = s.RespondComplaint(ctx, q.ID, domain.OutcomeUpheld, c.complain, act)
		}
		if err != nil {
			return fmt.Errorf("call %d: %w", i+1, err)
		}
	}
	// Alan Brooks rings back: the officer confirmed it is him, so the
	// history shows what he was told an hour ago.
	if _, err := s.AddQuery(ctx, store.NewQuery{Channel: domain.ChannelPhone, Contact: brooks, Reference: tax, Topic: "progress",
		Summary: "rang back to ask how long categorisation takes"}, act); err != nil {
		return fmt.Errorf("repeat call: %w", err)
	}
	// Two queries from last week still open, one past its service level.
	last := store.ActOptions{User: user, On: today.AddDays(-7)}
	if _, err := s.AddQuery(ctx, store.NewQuery{Channel: domain.ChannelLetter, Contact: person("R. Patel", domain.RoleAppellant, "", ""),
		Topic: "withdrawal", Summary: "letter asking how to withdraw", NewContact: true, Received: last.On}, last); err != nil {
		return err
	}
	if _, err := s.AddQuery(ctx, store.NewQuery{Channel: domain.ChannelPhone, Contact: person("Ken Adeyemi", domain.RoleRepresentative, "0113 496 0000", ""),
		Topic: "decision", Summary: "asked for the written reasons; call back promised", NewContact: true, Received: last.On}, last); err != nil {
		return err
	}
	if _, err := s.AddSupportNeed(ctx, store.NewSupportNeed{Reference: tax, Party: "appellant", Code: "sign-language",
		Comment: "BSL interpreter for the hearing", Hearing: true}, act); err != nil {
		return err
	}
	ad, err := s.AddSupportNeed(ctx, store.NewSupportNeed{Reference: jr, Party: "claimant", Code: "assisted-digital",
		Comment: "cannot upload documents online"}, act)
	if err != nil {
		return err
	}
	if _, err := s.SetSupportStatus(ctx, ad.ID, domain.SupportActive, "", act); err != nil {
		return err
	}
	if _, err := s.AddFee(ctx, jr, "1.9(a)", store.ActOptions{User: user, On: today.AddDays(-3)}); err != nil {
		return err
	}
	return nil
}

// firstJR is the first Administrative Court claim among the seeds.
func firstJR(seeds []store.Seed) string {
	for _, sd := range seeds {
		if sd.Notice.Jurisdiction == "admin-court-jr" {
			return sd.Notice.Reference
		}
	}
	return seeds[0].Notice.Reference
}
