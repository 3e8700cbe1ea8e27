package store

import (
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

func rec(t *testing.T, s *Store, ref string, e domain.Event) domain.Event {
	t.Helper()
	if e.On.IsZero() {
		e.On = today
	}
	e.User = "tester"
	out, err := s.Record(ctx, ref, e)
	if err != nil {
		t.Fatalf("%s %s: %v", ref, e.Kind, err)
	}
	return out
}

func TestReturnAndReopenByReimport(t *testing.T) {
	s := imported(t)
	if _, err := s.Record(ctx, "TC/2026/05001", domain.Event{Kind: domain.EventReturned, On: today, User: "t"}); err == nil {
		t.Error("return without a reason accepted")
	}
	rec(t, s, "TC/2026/05001", domain.Event{Kind: domain.EventReturned, Data: domain.EventData{Reasons: []string{"grounds", "decision-copy"}}})
	c, _ := s.Case(ctx, "TC/2026/05001")
	if c.Status != domain.StatusReturned {
		t.Fatalf("status %s", c.Status)
	}
	if cnt, _ := s.Counts(ctx, today); cnt.Queue != 2 {
		t.Errorf("queue %d after a return", cnt.Queue)
	}
	// The corrected notice comes back under the same reference with grounds filled in.
	fixed := strings.Replace(sampleCSV, "Return was filed on time.", "Return was filed on time; proof of postage enclosed.", 1)
	res, err := s.Import(ctx, []string{write(t, "fixed.csv", fixed)}, ImportOptions{ActOptions: act()})
	if err != nil || res.Reopened != 1 || res.Unchanged != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	c, _ = s.Case(ctx, "TC/2026/05001")
	if c.Status != domain.StatusNew || !strings.Contains(c.Grounds, "proof of postage") || c.Events[len(c.Events)-1].Kind != domain.EventReopened {
		t.Errorf("after resubmission: %s %q", c.Status, c.Grounds)
	}
	mustCheck(t, s)
}

func TestLateAppealPermission(t *testing.T) {
	s := imported(t)
	if _, err := s.Record(ctx, "TC/2026/05001", domain.Event{Kind: domain.EventPermissionRequested, On: today, User: "t"}); err == nil {
		t.Error("permission requested for an in-time appeal")
	}
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventPermissionRequested, Data: domain.EventData{Text: "Illness"}})
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventReferred, Data: domain.EventData{To: "judge", Text: "Late by 26 days; illness. Admit?"}})
	c, _ := s.Case(ctx, "TC/2026/05002")
	if c.OpenReferrals != 1 {
		t.Errorf("open referrals %d", c.OpenReferrals)
	}
	items, _ := s.Inbox(ctx, today, 50)
	found := false
	for _, it := range items {
		found = found || (it.Kind == "referral" && it.Reference == "TC/2026/05002")
	}
	if !found {
		t.Error("the referral is not in the inbox")
	}
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventReferralAnswered, Data: domain.EventData{Text: "Refuse: no good reason"}})
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventPermissionRefused})
	c, _ = s.Case(ctx, "TC/2026/05002")
	if c.Status != domain.StatusClosed || c.OpenReferrals != 0 {
		t.Errorf("after refusal: %s, %d referrals", c.Status, c.OpenReferrals)
	}
	mustCheck(t, s)
}

func TestExtensionDirectionHearingFlags(t *testing.T) {
	s := imported(t)
	s.Categorise(ctx, "TC/2026/05002", domain.Standard, CategoriseOptions{ActOptions: act()})
	// SoC due Fri 15 Jan 2027 (16 Nov + 60). HMRC asks for 28 days; granted to Fri 12 Feb 2027.
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventExtensionRequested, Data: domain.EventData{Deadline: "statement_of_case", Party: "respondent", Days: 28}})
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventExtensionGranted, Data: domain.EventData{Due: domain.MustDate("2027-02-12")}})
	c, _ := s.Case(ctx, "TC/2026/05002")
	if d := c.Deadlines[0]; d.Due.String() != "2027-02-12" || len(d.PreviousDue) != 1 || d.PreviousDue[0].String() != "2027-01-15" {
		t.Errorf("extended deadline %+v", d)
	}
	// A direction due in 14 days: 16 Nov + 14 = Mon 30 Nov 2026.
	due, _, _ := domain.DaysAfter(s.Calendar(), today, 14)
	dir := rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventDirection, Data: domain.EventData{Text: "Appellant to file bank statements", Party: "appellant", Due: due}})
	later := domain.MustDate("2026-12-03")
	items, _ := s.Inbox(ctx, later, 50)
	var chase *InboxItem
	for i := range items {
		if items[i].Kind == "direction-overdue" {
			chase = &items[i]
		}
	}
	if chase == nil || !strings.Contains(chase.Reason, "overdue 3 days") || !strings.Contains(chase.Reason, "chase") {
		t.Fatalf("overdue direction not in the inbox: %+v", items)
	}
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventComplied, On: later, Data: domain.EventData{Refers: dir.ID}})
	// Flags lift the case's items.
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventFlagSet, Data: domain.EventData{Flag: "vulnerable"}})
	if _, err := s.Record(ctx, "TC/2026/05002", domain.Event{Kind: domain.EventFlagSet, On: today, User: "t", Data: domain.EventData{Flag: "vulnerable"}}); err == nil {
		t.Error("flag set twice")
	}
	// Hearing Mon 1 Mar 2027: readiness check Mon 1 Feb 2027.
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventHearingListed, Data: domain.EventData{Due: domain.MustDate("2027-03-01"), Venue: "video"}})
	c, _ = s.Case(ctx, "TC/2026/05002")
	var readiness domain.Deadline
	for _, d := range c.Deadlines {
		if d.Kind == "readiness_check" {
			readiness = d
		}
	}
	if readiness.Due.String() != "2027-02-01" || len(c.Flags) != 1 {
		t.Errorf("readiness %+v flags %v", readiness, c.Flags)
	}
	mustCheck(t, s)
}

func TestGroupsSuggestAndCreate(t *testing.T) {
	s := open(t)
	csv := "reference,received,decision_date,appellant,representative,subject,grounds,hmrc_reference\n" +
		"TC/2026/06001,2026-11-01,2026-10-20,A One,Big Firm LLP,income-tax,Loss relief on the Alpha film scheme was wrongly denied by HMRC,SCHEME-1\n" +
		"TC/2026/06002,2026-11-02,2026-10-20,B Two,Big Firm LLP,income-tax,Loss relief on the Alpha film scheme was wrongly refused by HMRC,SCHEME-1\n" +
		"TC/2026/06003,2026-11-03,2026-10-20,C Three,Other Firm,vat,Input tax on building works,VAT-3\n" +
		"TC/2026/06004,2026-11-04,2026-10-20,D Four,Small Firm,vat,Zero rating of cake products is correct,VAT-4\n" +
		"TC/2026/06005,2026-11-05,2026-10-20,E Five,Small Firm,vat,Zero rating of cake products is correct in law,VAT-5\n"
	if _, err := s.Import(ctx, []string{write(t, "g.csv", csv)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	groups, err := s.SuggestGroups(ctx, 10)
	if err != nil || len(groups) != 2 {
		t.Fatalf("%+v %v", groups, err)
	}
	joined := ""
	for _, g := range groups {
		joined += strings.Join(g.References, ",") + "|" + g.Evidence + "\n"
	}
	if !strings.Contains(joined, "TC/2026/06001,TC/2026/06002|same subject") || !strings.Contains(joined, "TC/2026/06004,TC/2026/06005|same representative") {
		t.Errorf("groups:\n%s", joined)
	}
	if err := s.CreateGroup(ctx, "Alpha film scheme", "TC/2026/06001", []string{"TC/2026/06002"}, act()); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Case(ctx, "TC/2026/06002")
	if c.Status != domain.StatusStayed {
		t.Errorf("related case is %s", c.Status)
	}
	mustCheck(t, s)
}
