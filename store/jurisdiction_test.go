package store

import (
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

// Judicial review claims and letters before claim imported beside tax
// appeals: each case takes its pack's references, stages and deadlines,
// and every list can be limited to one jurisdiction.
const jrCSV = "reference,jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,grounds\n" +
	// A letter before claim: PAP response due Mon 2 Nov 2026 + 14 clear days = Mon 16 Nov 2026.
	",admin-court-jr,pre-action,2026-11-02,2026-10-20,R (Okafor),Bindmans LLP,London Borough of Lambeth,judicial-review,Housing allocation decision irrational.\n" +
	// A planning claim issued Mon 16 Nov 2026, grounds arose Mon 12 Oct 2026: 6 weeks = Mon 23 Nov 2026, in time.
	// Service (CPR 54.7, 7 days [U]): Mon 16 Nov + 7 = Mon 23 Nov 2026.
	",admin-court-jr,claim-issued,2026-11-16,2026-10-12,Save Our Meadows Ltd,Leigh Day,Secretary of State for Housing,planning-jr,Inspector misread policy.\n" +
	// An immigration JR application, made Fri 13 Nov 2026 for a decision of Fri 31 Jul 2026: 3 months = Sat 31 Oct
	// 2026 -> r12 Mon 2 Nov 2026; received 13 Nov is 11 days late.
	",ut-iac-jr,claim-issued,2026-11-13,2026-07-31,AB (Sri Lanka),Duncan Lewis,,immigration-jr,Fresh claim refused.\n"

func TestJudicialReviewBesideTax(t *testing.T) {
	s := imported(t)
	res, err := s.Import(ctx, []string{write(t, "jr.csv", jrCSV)}, ImportOptions{ActOptions: act()})
	if err != nil || res.Imported != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}
	want := []string{"AC-2026-LON-000001", "AC-2026-LON-000002", "JR/00001/2026"}
	if strings.Join(res.References, " ") != strings.Join(want, " ") {
		t.Errorf("references %v, want %v", res.References, want)
	}

	// The next numbers continue each pack's own sequence, whichever end the year is at.
	more := "jurisdiction,stage,received,appellant,subject\nut-iac-jr,pre-action,2026-11-14,GH (Iran),immigration-jr\n" +
		"admin-court-jr,pre-action,2026-11-14,R (Jones),judicial-review\n"
	res, err = s.Import(ctx, []string{write(t, "more.csv", more)}, ImportOptions{ActOptions: act()})
	if err != nil || strings.Join(res.References, " ") != "JR/00002/2026 AC-2026-LON-000003" {
		t.Errorf("next references %v %v", res.References, err)
	}

	letter, err := s.Case(ctx, "AC-2026-LON-000001")
	if err != nil {
		t.Fatal(err)
	}
	if letter.Status != domain.StatusNew || letter.TrackOrNone() != domain.PreAction || letter.SuggestedTrack != domain.PreAction {
		t.Errorf("letter before claim: status %s stage %s suggested %s", letter.Status, letter.TrackOrNone(), letter.SuggestedTrack)
	}
	pap := deadline(t, letter, "pap_response")
	if pap.Due.String() != "2026-11-16" || pap.Party != "defendant" {
		t.Errorf("PAP response %+v, want due 2026-11-16 from the defendant", pap)
	}
	// The claim form limit counts from the grounds (Tue 20 Oct 2026 + 3 months = Wed 20 Jan 2027) and warns
	// 56 days before: Wed 25 Nov 2026.
	if cf := deadline(t, letter, "claim_form"); cf.Due.String() != "2027-01-20" || cf.Warn.String() != "2026-11-25" {
		t.Errorf("claim form %+v", cf)
	}

	ut, _ := s.Case(ctx, "JR/00001/2026")
	if !ut.Late || ut.DaysLate != 11 || ut.Respondent != "Secretary of State for the Home Department" {
		t.Errorf("UT application: late %v by %d, respondent %q; want 11 days late against the SSHD", ut.Late, ut.DaysLate, ut.Respondent)
	}
	// UT r28A(2)(a): made Fri 13 Nov 2026 + 9 = Sun 22 Nov -> r12 Mon 23 Nov 2026.
	if d := deadline(t, ut, "application_service"); d.Due.String() != "2026-11-23" {
		t.Errorf("service %+v", d)
	}

	// Limited to one jurisdiction.
	jr := InJurisdiction(ctx, "admin-court-jr")
	q, _ := s.Queue(jr, 10)
	if len(q) != 3 || q[0].Reference != "AC-2026-LON-000001" {
		t.Errorf("admin court queue %+v", refsOf(q))
	}
	all, _ := s.Queue(ctx, 10)
	if len(all) != 8 {
		t.Errorf("whole queue has %d, want 6", len(all))
	}
	c, _ := s.Counts(jr, today)
	if c.Queue != 3 || c.Open != 3 {
		t.Errorf("admin court counts %+v", c)
	}
	tax, _ := s.Counts(InJurisdiction(ctx, "ftt-tax"), today)
	if tax.Queue != 3 {
		t.Errorf("tax counts %+v", tax)
	}
	if due, _ := s.Due(jr, today, 7, 0, 10); len(due) != 2 {
		t.Errorf("admin court due within 7 days: %+v", due)
	}
	if found, _ := s.Find(jr, Search{Words: []string{"okafor"}}, 10); len(found) != 1 {
		t.Errorf("find in admin court: %v", refsOf(found))
	}
	if found, _ := s.Find(InJurisdiction(ctx, "ftt-tax"), Search{Words: []string{"okafor"}}, 10); len(found) != 0 {
		t.Errorf("find okafor among tax appeals: %v", refsOf(found))
	}
	if found, _ := s.Find(ctx, Search{Words: []string{"ac-2026-lon-00000"}}, 10); len(found) != 3 {
		t.Errorf("reference prefix: %v", refsOf(found))
	}

	// Triage: a tax track is refused; the stage is confirmed; later events move it on.
	if _, err := s.Categorise(ctx, "AC-2026-LON-000002", domain.Standard, CategoriseOptions{ActOptions: act(), ExpectNew: true}); err == nil {
		t.Error("a tax track was accepted for a judicial review")
	}
	if _, err := s.Categorise(ctx, "AC-2026-LON-000002", domain.ClaimIssued, CategoriseOptions{ActOptions: act(), ExpectNew: true}); err != nil {
		t.Fatal(err)
	}
	on := func(d string) ActOptions { return ActOptions{User: "tester", On: domain.MustDate(d)} }
	if _, err := s.RecordEvent(ctx, "AC-2026-LON-000002", "claim-served", on("2026-11-18"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordEvent(ctx, "AC-2026-LON-000002", "aos-served", on("2026-12-07"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordEvent(ctx, "AC-2026-LON-000002", "statement-of-case", on("2026-12-07"), ""); err == nil {
		t.Error("a tax event was accepted on a judicial review")
	}
	claim, _ := s.Case(ctx, "AC-2026-LON-000002")
	if claim.TrackOrNone() != domain.PermissionPaper || claim.Status != domain.StatusAllocated {
		t.Errorf("after the acknowledgment: %s %s", claim.Status, claim.TrackOrNone())
	}
	// CPR 54.8A: AoS served Mon 7 Dec 2026 + 7 = Mon 14 Dec 2026.
	if d := deadline(t, claim, "claimant_reply"); d.Due.String() != "2026-12-14" {
		t.Errorf("reply %+v", d)
	}
	if c, _ := s.Counts(jr, today); c.Queue != 2 || c.Open != 3 {
		t.Errorf("after triage, admin court counts %+v", c)
	}

	// Errors name the line and field.
	bad := "jurisdiction,stage,received,appellant,subject\nnowhere,,2026-11-02,X,vat\nadmin-court-jr,,2026-11-02,Y,vat\nftt-tax,pre-action,2026-11-02,Z,vat\n"
	res, err = s.Import(ctx, []string{write(t, "bad.csv", bad)}, ImportOptions{ActOptions: act()})
	var said []string
	for _, p := range res.Problems {
		said = append(said, p.Error())
	}
	for _, w := range []string{"bad.csv:2: jurisdiction", "bad.csv:3: subject", "bad.csv:4: stage"} {
		if err == nil || !strings.Contains(strings.Join(said, "\n"), w) {
			t.Errorf("problems %q, want one to say %q", said, w)
		}
	}
	mustCheck(t, s)
	// Reports follow the jurisdiction too: notices received in November 2026.
	for j, want := range map[string]string{"": "8", "ftt-tax": "3", "admin-court-jr": "3", "ut-iac-jr": "2"} {
		r, err := s.Report(InJurisdiction(ctx, j), "rejections", domain.MustDate("2026-11-01"), domain.MustDate("2026-11-30"), "month")
		if err != nil || r.Tables[0].Rows[0][1] != want {
			t.Errorf("received in %q: %v %v, want %s", j, r.Tables[0].Rows, err, want)
		}
	}
	// A jurisdiction's kept count that drifts is caught by check.
	s.db.Exec("UPDATE counters SET value = value + 1 WHERE name = 'queue@admin-court-jr'")
	probs, _, _ := s.Check(ctx)
	if len(probs) != 1 || !strings.Contains(probs[0].Problem, "queue@admin-court-jr") {
		t.Errorf("check after the count drifted: %+v", probs)
	}
}

func deadline(t *testing.T, c *Case, kind string) domain.Deadline {
	t.Helper()
	for _, d := range c.Deadlines {
		if d.Kind == kind {
			return d
		}
	}
	t.Fatalf("%s has no %s deadline: %+v", c.Reference, kind, c.Deadlines)
	return domain.Deadline{}
}

func refsOf(rows []CaseRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Reference)
	}
	return out
}
