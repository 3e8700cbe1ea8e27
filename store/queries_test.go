package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/mailfile"
)

func caller(name, phone, email string) domain.Contact {
	return domain.Contact{Name: name, Role: domain.RoleAppellant, Phone: phone, Email: email}
}

func TestQueryOnCaseAndFirstContact(t *testing.T) {
	s := imported(t)
	// Mon 16 Nov 2026, a call about TC/2026/05001 answered there and then.
	q, err := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelPhone, Contact: caller("Example Person", "020 7946 0001", ""),
		Reference: "tc/2026/05001", Topic: "progress", Summary: "asked when HMRC's statement is due",
		Resolution: "explained r25: 42 days after allocation"}, act())
	if err != nil {
		t.Fatal(err)
	}
	// Phone, 2 working days from Mon 16 Nov 2026: Tue 17 (1), Wed 18 Nov (2).
	if q.Status != domain.QueryResolved || !q.FirstContact || q.Due.String() != "2026-11-18" || q.Reference != "TC/2026/05001" {
		t.Errorf("query %+v", q)
	}
	cs, _ := s.Case(ctx, "TC/2026/05001")
	var kinds []string
	for _, e := range cs.Events {
		kinds = append(kinds, e.Kind)
	}
	if !strings.Contains(strings.Join(kinds, ","), "query,query-updated") {
		t.Errorf("timeline %v, want the query and its resolution", kinds)
	}
	last := cs.Events[len(cs.Events)-1]
	if !strings.Contains(last.Detail, "first contact") || !strings.Contains(cs.Events[len(cs.Events)-2].Detail, "Example Person") {
		t.Errorf("timeline details: %q / %q", cs.Events[len(cs.Events)-2].Detail, last.Detail)
	}
	d, _ := s.Query(ctx, q.ID)
	if len(d.History) != 2 || d.History[0].Action != "recorded" || d.History[1].Action != "resolved" {
		t.Errorf("history %+v", d.History)
	}
	mustCheck(t, s)
}

func TestQueryPassedThenResolvedIsNotFirstContact(t *testing.T) {
	s := imported(t)
	q, err := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelWebchat, Contact: caller("Sam Public", "", ""), Topic: "fees",
		Summary: "is there a fee to appeal?"}, act())
	if err != nil {
		t.Fatal(err)
	}
	if q.Reference != "" {
		t.Errorf("an unlinked query has case %q", q.Reference)
	}
	if _, err := s.UpdateQuery(ctx, q.ID, domain.QueryPassed, "", act()); err == nil {
		t.Error("passed without naming the team")
	}
	if _, err := s.UpdateQuery(ctx, q.ID, domain.QueryPassed, "fees team", act()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateQuery(ctx, q.ID, domain.QueryResolved, "", act()); err == nil {
		t.Error("resolved without a resolution")
	}
	r, err := s.UpdateQuery(ctx, q.ID, domain.QueryResolved, "no fee in the Tax Chamber", act())
	if err != nil || r.FirstContact || r.ResolvedOn != today {
		t.Errorf("resolved %+v %v: passed on, so not first contact", r, err)
	}
	if _, err := s.UpdateQuery(ctx, q.ID, domain.QueryOpen, "", act()); err == nil {
		t.Error("a resolved query moved")
	}
	// A query resolved on a later day is not first contact either.
	q2, _ := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelPhone, Contact: caller("Other Caller", "", ""), Topic: "other", Summary: "x"}, act())
	r2, err := s.UpdateQuery(ctx, q2.ID, domain.QueryResolved, "called back", ActOptions{User: "tester", On: today.AddDays(1)})
	if err != nil || r2.FirstContact {
		t.Errorf("next-day resolution %+v %v", r2, err)
	}
}

func TestQueryBadInputChangesNothing(t *testing.T) {
	s := imported(t)
	bad := []NewQuery{
		{Channel: "fax", Contact: caller("A", "", ""), Topic: "other", Summary: "x"},
		{Channel: domain.ChannelPhone, Contact: caller("", "", ""), Topic: "other", Summary: "x"},
		{Channel: domain.ChannelPhone, Contact: caller("A", "", ""), Topic: "weather", Summary: "x"},
		{Channel: domain.ChannelPhone, Contact: caller("A", "", ""), Topic: "other", Summary: ""},
		{Channel: domain.ChannelPhone, Contact: caller("A", "", ""), Topic: "other", Summary: "x", Reference: "TC/2026/09999"},
		{Channel: domain.ChannelPhone, Contact: domain.Contact{ID: 99, Name: "A"}, Topic: "other", Summary: "x"},
	}
	for _, nq := range bad {
		if _, err := s.AddQuery(ctx, nq, act()); err == nil {
			t.Errorf("%+v accepted", nq)
		}
	}
	var n int
	s.db.QueryRow("SELECT (SELECT count(*) FROM queries) + (SELECT count(*) FROM contacts) + (SELECT count(*) FROM query_history)").Scan(&n)
	if n != 0 {
		t.Errorf("%d rows written by refused queries", n)
	}
	if _, err := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelPhone, Contact: caller("A", "", ""), Topic: "other", Summary: "x"}, act()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("UPDATE query_history SET detail = 'changed'"); err == nil {
		t.Error("query history was changed")
	}
	if _, err := s.db.Exec("DELETE FROM query_history"); err == nil {
		t.Error("query history was deleted")
	}
}

func TestContactsMatchedNeverMergedSilently(t *testing.T) {
	s := imported(t)
	first, err := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelEmail, Contact: caller("Jane Doe", "+44 20 7946 0000", "Jane@Example.org"),
		Topic: "progress", Summary: "first contact"}, act())
	if err != nil {
		t.Fatal(err)
	}
	// The same number written another way: offered, not merged, and nothing saved.
	_, err = s.AddQuery(ctx, NewQuery{Channel: domain.ChannelPhone, Contact: caller("J Doe", "020 7946 0000", ""), Topic: "hearing",
		Summary: "second"}, act())
	var cm *ContactMatchError
	if !errors.As(err, &cm) || len(cm.Matches) != 1 || cm.Matches[0].ID != first.Contact.ID || cm.Matches[0].By != "phone" {
		t.Fatalf("match: %v", err)
	}
	if qs, _ := s.Queries(ctx, QueryFilter{}, 0, 10); len(qs) != 1 {
		t.Errorf("%d queries after a refused match", len(qs))
	}
	// The officer confirms: the query joins the earlier contact.
	second, err := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelPhone, Contact: domain.Contact{ID: first.Contact.ID, Role: domain.RoleAppellant},
		Topic: "hearing", Summary: "second", Received: today.AddDays(1)}, ActOptions{User: "tester", On: today.AddDays(1)})
	if err != nil || second.Contact.ID != first.Contact.ID || second.Contact.Name != "Jane Doe" {
		t.Fatalf("confirmed: %+v %v", second, err)
	}
	// Or says it is someone else: a new contact.
	other, err := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelPhone, Contact: caller("Janet Doe", "", "jane@example.org"), NewContact: true,
		Topic: "other", Summary: "third"}, act())
	if err != nil || other.Contact.ID == first.Contact.ID {
		t.Errorf("new contact: %+v %v", other, err)
	}
	_, hist, err := s.ContactHistory(ctx, first.Contact.ID, 10)
	if err != nil || len(hist) != 2 || hist[0].Summary != "second" || hist[1].Summary != "first contact" {
		t.Errorf("history newest first: %+v %v", hist, err)
	}
	callers, err := s.FindCallers(ctx, "jan", 5)
	if err != nil || len(callers) < 2 {
		t.Errorf("callers for jan: %+v %v", callers, err)
	}
	callers, _ = s.FindCallers(ctx, "sample", 5)
	if len(callers) == 0 || callers[0].Reference != "TC/2026/05002" || callers[0].By != "case" {
		t.Errorf("callers from cases: %+v", callers)
	}
}

func TestQueriesRiseInInboxByServiceLevel(t *testing.T) {
	s := imported(t)
	// Email on Mon 16 Nov 2026, 10 working days: Tue 17 (1) .. Fri 20 (4), Mon 23 (5) .. Fri 27 (9), Mon 30 Nov (10).
	q, err := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelLetter, Contact: caller("Letter Writer", "", ""), Topic: "documents",
		Summary: "sent documents by post"}, act())
	if err != nil || q.Due.String() != "2026-11-30" {
		t.Fatalf("%+v %v", q, err)
	}
	points := func(on string) float64 {
		items, err := s.Inbox(ctx, domain.MustDate(on), 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Key == "query:1" {
				return it.Urgency
			}
		}
		t.Fatalf("query not in the inbox on %s", on)
		return 0
	}
	early, near, late := points("2026-11-17"), points("2026-11-29"), points("2026-12-04")
	if !(early < near && near < late) {
		t.Errorf("urgency %v, %v, %v: want rising as the service level nears and passes", early, near, late)
	}
	s.UpdateQuery(ctx, q.ID, domain.QueryResolved, "replied", act())
	items, _ := s.Inbox(ctx, today, 100)
	if countKind(items, "query") != 0 {
		t.Error("a resolved query is still in the inbox")
	}
}

func TestComplaintNeverClosedWithoutResponse(t *testing.T) {
	s := imported(t)
	q, err := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelEmail, Contact: caller("Unhappy User", "", "u@example.org"), Topic: "complaint",
		Reference: "TC/2026/05002", Summary: "nobody answered my letters", Complaint: true}, act())
	if err != nil {
		t.Fatal(err)
	}
	// Stage 1 from Mon 16 Nov 2026, 10 working days: Mon 30 Nov 2026 (as above).
	if q.Complaint == nil || q.Complaint.Stage != 1 || q.Due.String() != "2026-11-30" {
		t.Fatalf("complaint %+v", q.Complaint)
	}
	if _, err := s.UpdateQuery(ctx, q.ID, domain.QueryResolved, "done", act()); err == nil {
		t.Error("complaint resolved without a response")
	}
	if _, err := s.EscalateComplaint(ctx, q.ID, act()); err == nil {
		t.Error("escalated without a response")
	}
	wed := ActOptions{User: "tester", On: domain.MustDate("2026-11-18")}
	if _, err := s.RespondComplaint(ctx, q.ID, domain.OutcomePartly, "apologised; letters now answered", wed); err != nil {
		t.Fatal(err)
	}
	// Review asked for on Fri 20 Nov 2026, 10 working days: Mon 23 (1) .. Fri 27 (5), Mon 30 (6) .. Thu 3 Dec (9), Fri 4 Dec (10).
	fri := ActOptions{User: "tester", On: domain.MustDate("2026-11-20")}
	e, err := s.EscalateComplaint(ctx, q.ID, fri)
	if err != nil || e.Complaint.Stage != 2 || e.Due.String() != "2026-12-04" || e.Complaint.Responded() {
		t.Fatalf("stage 2: %+v %v", e.Complaint, err)
	}
	if _, err := s.RespondComplaint(ctx, q.ID, domain.OutcomeNotUpheld, "review found the reply fair", fri); err != nil {
		t.Fatal(err)
	}
	if r, err := s.UpdateQuery(ctx, q.ID, domain.QueryResolved, "stage 2 answered", fri); err != nil || r.Status != domain.QueryResolved {
		t.Errorf("resolve after response: %v", err)
	}
	cs, _ := s.Case(ctx, "TC/2026/05002")
	n := 0
	for _, e := range cs.Events {
		if e.Kind == domain.EventComplaint {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d complaint events on the case, want 3 (respond, escalate, respond)", n)
	}
	mustCheck(t, s)
}

func TestSupportNeeds(t *testing.T) {
	s := imported(t)
	n, err := s.AddSupportNeed(ctx, NewSupportNeed{Reference: "TC/2026/05001", Party: "appellant", Code: "sign-language",
		Comment: "BSL", Hearing: true}, act())
	if err != nil || n.Code != "RA0042" || n.Status != domain.SupportRequested {
		t.Fatalf("%+v %v", n, err)
	}
	if _, err := s.SetSupportStatus(ctx, n.ID, domain.SupportInactive, "", act()); err == nil {
		t.Error("requested went straight to inactive")
	}
	if a, err := s.SetSupportStatus(ctx, n.ID, domain.SupportActive, "interpreter booked", act()); err != nil || a.Status != domain.SupportActive {
		t.Errorf("approve: %+v %v", a, err)
	}
	ad, err := s.AddSupportNeed(ctx, NewSupportNeed{Reference: "TC/2026/05001", Party: "appellant", Code: "assisted-digital"}, act())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SupportReferral(ctx, n.ID, "x", act()); err == nil {
		t.Error("a referral on a sign language need")
	}
	if r, err := s.SupportReferral(ctx, ad.ID, "helped to upload documents", act()); err != nil || r.Referral == "" {
		t.Errorf("referral %+v %v", r, err)
	}
	if _, err := s.AddSupportNeed(ctx, NewSupportNeed{Reference: "TC/2026/05001", Party: "appellant", Code: "RA0099"}, act()); err == nil {
		t.Error("unknown code accepted")
	}
	hn, _ := s.HearingNeeds(ctx, "TC/2026/05001")
	if len(hn) != 1 || hn[0].Code != "RA0042" {
		t.Errorf("hearing needs %+v", hn)
	}
	all, _ := s.SupportNeeds(ctx, "TC/2026/05001")
	if len(all) != 2 {
		t.Errorf("%d needs", len(all))
	}
	mustCheck(t, s)
}

func TestFeesPaymentsRemission(t *testing.T) {
	s := open(t)
	if _, err := s.Import(ctx, []string{filepath.Join("..", "testdata", "jr.csv")}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	rows, _ := s.Queue(ctx, 50)
	var jr string
	for _, r := range rows {
		if r.Jurisdiction == "admin-court-jr" {
			jr = r.Reference
			break
		}
	}
	if jr == "" {
		t.Fatal("no admin court case in testdata/jr.csv")
	}
	if _, err := s.AddFee(ctx, jr, "no-such-fee", act()); err == nil {
		t.Error("unknown fee accepted")
	}
	f, err := s.AddFee(ctx, jr, "1.9(a)", act())
	if err != nil || f.AmountPence != 15400 || f.BalancePence != 15400 {
		t.Fatalf("fee %+v %v", f, err)
	}
	if un, _ := s.UnpaidFees(ctx, 10); len(un) != 1 {
		t.Errorf("unpaid %d", len(un))
	}
	items, _ := s.Inbox(ctx, today, 100)
	if countKind(items, "fee") != 1 {
		t.Error("the unpaid fee is not in the inbox")
	}
	// £100 paid: £54 still owed, under-paid.
	p, err := s.RecordPayment(ctx, Payment{AmountPence: 10000, Reference: "CARD-1", Method: "card", FeeID: f.ID}, act())
	if err != nil || p.Case != jr {
		t.Fatalf("payment %+v %v", p, err)
	}
	fs, _ := s.Fees(ctx, jr)
	if fs[0].PaidPence != 10000 || fs[0].BalancePence != 5400 {
		t.Errorf("after £100: %+v", fs[0])
	}
	// A part remission of £54 settles it.
	if _, err := s.Remit(ctx, f.ID, domain.Remission{Reference: "hwf-a1b-2c3", Pence: 5400}, act()); err != nil {
		t.Fatal(err)
	}
	if un, _ := s.UnpaidFees(ctx, 10); len(un) != 0 {
		t.Errorf("settled fee still unpaid: %+v", un)
	}
	// An unallocated payment, then allocated to a second fee and over-paying it.
	f2, _ := s.AddFee(ctx, jr, "1.9(c)", act())
	p2, err := s.RecordPayment(ctx, Payment{AmountPence: 80000, Reference: "BACS-7", Method: "bacs"}, act())
	if err != nil {
		t.Fatal(err)
	}
	if un, _ := s.Payments(ctx, true, 0, 10); len(un) != 1 {
		t.Errorf("unallocated %d", len(un))
	}
	if _, err := s.AllocatePayment(ctx, p2.ID, f2.ID, act()); err != nil {
		t.Fatal(err)
	}
	fs, _ = s.Fees(ctx, jr)
	if fs[1].BalancePence != -3000 {
		t.Errorf("over-paid by £30: balance %d", fs[1].BalancePence)
	}
	if v, err := s.VerifyPayment(ctx, p2.ID, act()); err != nil || !v.Verified {
		t.Errorf("verify %v", err)
	}
	if _, err := s.VerifyPayment(ctx, p2.ID, act()); err == nil {
		t.Error("verified twice")
	}
	for _, bad := range []Payment{{AmountPence: 0, Reference: "x", Method: "card"}, {AmountPence: 1, Reference: "", Method: "card"},
		{AmountPence: 1, Reference: "x", Method: "gold"}} {
		if _, err := s.RecordPayment(ctx, bad, act()); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	mustCheck(t, s)
}

func TestImportedMailBecomesQuery(t *testing.T) {
	s := open(t)
	mon := ActOptions{User: "tester", On: domain.MustDate("2026-11-23")}
	if _, err := s.Import(ctx, []string{write(t, "cases.csv", mailCasesCSV)}, ImportOptions{ActOptions: mon}); err != nil {
		t.Fatal(err)
	}
	msgs, err := mailfile.Read(filepath.Join("mailfile", "testdata", "morning"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportMail(ctx, msgs, mon); err != nil {
		t.Fatal(err)
	}
	qs, _ := s.Queries(ctx, QueryFilter{Channel: domain.ChannelEmail}, 0, 50)
	linked := 0
	for _, q := range qs {
		if q.MailID == 0 || q.Topic != "other" {
			t.Errorf("query %+v has no message or a topic", q)
		}
		if q.Reference != "" {
			linked++
		}
	}
	if len(qs) != 7 || linked != 6 {
		t.Errorf("%d queries, %d on cases; want 7 and 6", len(qs), linked)
	}
	// The message's own inbox item stands for it: no second item.
	items, _ := s.Inbox(ctx, mon.On, 100)
	if countKind(items, "query") != 0 || countKind(items, "mail") != 7 {
		t.Errorf("inbox: %d queries, %d mail", countKind(items, "query"), countKind(items, "mail"))
	}
	mustCheck(t, s)
}

func TestSetTopicMovesServiceLevel(t *testing.T) {
	s := imported(t)
	q, _ := s.AddQuery(ctx, NewQuery{Channel: domain.ChannelEmail, Contact: caller("M", "", ""), Topic: "other", Summary: "about my hearing"}, act())
	// Email from Mon 16 Nov 2026: 10 working days, Mon 30 Nov; as a hearing query 1 working day, Tue 17 Nov.
	if q.Due.String() != "2026-11-30" {
		t.Fatalf("due %s", q.Due)
	}
	r, err := s.SetTopic(ctx, q.ID, "hearing", act())
	if err != nil || r.Due.String() != "2026-11-17" || r.Rule != "topic hearing: 1 working day" {
		t.Errorf("retopic: %+v %v", r, err)
	}
	if _, err := s.SetTopic(ctx, q.ID, "weather", act()); err == nil {
		t.Error("a topic outside the taxonomy")
	}
	d, _ := s.Query(ctx, q.ID)
	if d.Due.String() != "2026-11-17" || d.History[len(d.History)-1].Action != "topic" {
		t.Errorf("stored %+v", d)
	}
}

// The fee table's step makes a fee due when that event is recorded.
func TestFeeDueWhenTheStepIsRecorded(t *testing.T) {
	s := open(t)
	if _, err := s.Import(ctx, []string{write(t, "jr.csv", jrCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	ref := "AC-2026-LON-000002"
	if _, err := s.Categorise(ctx, ref, domain.ClaimIssued, CategoriseOptions{ActOptions: act(), ExpectNew: true}); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Fees(ctx, ref)
	for _, kind := range []string{"claim-served", "aos-served", "paper-refusal-served", "renewal-filed"} {
		if _, err := s.RecordEvent(ctx, ref, kind, act(), ""); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
	}
	fs, _ := s.Fees(ctx, ref)
	if len(fs) != len(before)+1 || fs[len(fs)-1].Code != "1.9(b)" || fs[len(fs)-1].AmountPence != 38500 {
		t.Fatalf("fees after renewal: %+v", fs)
	}
	cs, _ := s.Case(ctx, ref)
	last := cs.Events[len(cs.Events)-1]
	if last.Kind != domain.EventFeeDue || !strings.Contains(last.Detail, "needed by renewal-filed") {
		t.Errorf("timeline ends %+v", last)
	}
	mustCheck(t, s)
}

// A support need that matters at a hearing is shown in the hearing's
// readiness check.
func TestHearingNeedsInReadinessCheck(t *testing.T) {
	s := imported(t)
	if _, err := s.Categorise(ctx, "TC/2026/05001", domain.Paper, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	// Hearing Mon 14 Dec 2026: readiness check 28 days before, Mon 16 Nov 2026 (today), a working day.
	if _, err := s.Record(ctx, "TC/2026/05001", domain.Event{Kind: domain.EventHearingListed, On: today, User: "tester",
		Data: domain.EventData{Due: domain.MustDate("2026-12-14"), Venue: "Taylor House"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSupportNeed(ctx, NewSupportNeed{Reference: "TC/2026/05001", Party: "appellant", Code: "interpreter",
		Comment: "Polish", Hearing: true}, act()); err != nil {
		t.Fatal(err)
	}
	s.AddSupportNeed(ctx, NewSupportNeed{Reference: "TC/2026/05001", Party: "appellant", Code: "RA0016"}, act())
	items, err := s.Inbox(ctx, today, 100)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range items {
		if strings.Contains(it.Key, ":readiness_check:") {
			found = true
			if !strings.Contains(it.Reason, "at the hearing: PF0015 Language interpreter (appellant, requested)") || strings.Contains(it.Reason, "RA0016") {
				t.Errorf("readiness item %q", it.Reason)
			}
		}
	}
	if !found {
		t.Fatal("no readiness check in the inbox")
	}
}
