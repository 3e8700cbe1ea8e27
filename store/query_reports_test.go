package store

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/report"
)

func on(d string) ActOptions { return ActOptions{User: "tester", On: domain.MustDate(d)} }

func tableRows(t *testing.T, r *report.Report, title string) [][]string {
	t.Helper()
	for _, tb := range r.Tables {
		if tb.Title == title {
			return tb.Rows
		}
	}
	t.Fatalf("no table %q in %s", title, r.Name)
	return nil
}

// Five queries received on Mon 16 Nov 2026, counted by hand below.
func TestQueriesAndComplaintsReports(t *testing.T) {
	s := imported(t)
	add := func(nq NewQuery) domain.Query {
		t.Helper()
		nq.NewContact = true
		q, err := s.AddQuery(ctx, nq, act())
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	// 1: a call answered there and then: first contact, 0 working days.
	add(NewQuery{Channel: domain.ChannelPhone, Contact: caller("A", "", ""), Reference: "TC/2026/05001", Topic: "progress", Summary: "s",
		Resolution: "answered"})
	// 2: a webchat passed to the fees team and resolved Tue 17 Nov: due Wed 18 Nov (2 working days), within; 1 working day.
	q2 := add(NewQuery{Channel: domain.ChannelWebchat, Contact: caller("B", "", ""), Topic: "fees", Summary: "s"})
	s.UpdateQuery(ctx, q2.ID, domain.QueryPassed, "fees team", act())
	if _, err := s.UpdateQuery(ctx, q2.ID, domain.QueryResolved, "no fee", on("2026-11-17")); err != nil {
		t.Fatal(err)
	}
	// 3: an email due Mon 30 Nov resolved Tue 1 Dec: missed; 17, 18, 19, 20, 23 .. 27, 30 Nov, 1 Dec = 11 working days.
	q3 := add(NewQuery{Channel: domain.ChannelEmail, Contact: caller("C", "", ""), Topic: "progress", Summary: "s"})
	if _, err := s.UpdateQuery(ctx, q3.ID, domain.QueryResolved, "replied", on("2026-12-01")); err != nil {
		t.Fatal(err)
	}
	// 4: a letter still open, due Mon 30 Nov: past its service level on Fri 4 Dec.
	add(NewQuery{Channel: domain.ChannelLetter, Contact: caller("D", "", ""), Topic: "documents", Summary: "s"})
	// 5: an email complaint, stage 1 due Mon 30 Nov, upheld and resolved Wed 18 Nov: within; 2 working days.
	q5 := add(NewQuery{Channel: domain.ChannelEmail, Contact: caller("E", "", ""), Topic: "complaint", Summary: "s", Complaint: true})
	if _, err := s.RespondComplaint(ctx, q5.ID, domain.OutcomeUpheld, "apologised", on("2026-11-18")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateQuery(ctx, q5.ID, domain.QueryResolved, "apology sent", on("2026-11-18")); err != nil {
		t.Fatal(err)
	}
	from, to := domain.MustDate("2026-11-16"), domain.MustDate("2026-12-04")
	r, err := s.Report(ctx, "queries", from, to, "week")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"phone", "1", "1", "100.0%", "100.0%", "0", "0"},
		{"webchat", "1", "1", "100.0%", "0.0%", "1", "0"},
		// email: 3 missed and 5 within; medians of 11 and 2 working days.
		{"email", "2", "2", "50.0%", "0.0%", "6.5", "0"},
		{"letter", "1", "0", "–", "–", "–", "1"},
		// all: 3 of 4 resolved within; 1 of 4 first contact; median of 0, 1, 2, 11 = 1.5.
		{"all", "5", "4", "75.0%", "25.0%", "1.5", "1"},
	}
	if got := tableRows(t, r, "By channel"); !reflect.DeepEqual(got, want) {
		t.Errorf("by channel:\n got %q\nwant %q", got, want)
	}
	wantTopic := [][]string{
		{"progress", "2", "2", "50.0%", "50.0%", "5.5", "0"},
		{"documents", "1", "0", "–", "–", "–", "1"},
		{"fees", "1", "1", "100.0%", "0.0%", "1", "0"},
		{"complaint", "1", "1", "100.0%", "0.0%", "2", "0"},
	}
	if got := tableRows(t, r, "By topic"); !reflect.DeepEqual(got, wantTopic) {
		t.Errorf("by topic:\n got %q\nwant %q", got, wantTopic)
	}
	c, err := s.Report(ctx, "complaints", from, to, "week")
	if err != nil {
		t.Fatal(err)
	}
	wantC := [][]string{{"stage 1: response from the office", "1", "0", "0", "0", "0", "100.0%", "1"}}
	if got := tableRows(t, c, "By stage reached"); !reflect.DeepEqual(got, wantC) {
		t.Errorf("complaints:\n got %q\nwant %q", got, wantC)
	}
	if len(r.Notes) == 0 || len(c.Notes) == 0 {
		t.Error("a report without its definitions")
	}
}

func TestSupportAndFeesReports(t *testing.T) {
	s := open(t)
	if _, err := s.Import(ctx, []string{filepath.Join("..", "testdata", "jr.csv")}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	rows, _ := s.Queue(ctx, 50)
	var jr, any string
	for _, r := range rows {
		if r.Jurisdiction == "admin-court-jr" && jr == "" {
			jr = r.Reference
		}
		any = r.Reference
	}
	n1, _ := s.AddSupportNeed(ctx, NewSupportNeed{Reference: any, Party: "claimant", Code: "RA0042", Hearing: true}, act())
	s.SetSupportStatus(ctx, n1.ID, domain.SupportActive, "", act())
	s.AddSupportNeed(ctx, NewSupportNeed{Reference: jr, Party: "claimant", Code: "interpreter", Comment: "Polish", Hearing: true}, act())
	s.AddSupportNeed(ctx, NewSupportNeed{Reference: jr, Party: "claimant", Code: "assisted-digital"}, act())
	from, to := today, today.AddDays(7)
	r, err := s.Report(ctx, "support-needs", from, to, "week")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"CL-AD01", "Assisted digital support", "1", "0", "0", "0", "0", "1"},
		{"PF0015", "Language interpreter", "1", "0", "0", "0", "1", "1"},
		{"RA0042", "Sign language interpreter", "0", "1", "0", "0", "1", "1"},
	}
	if got := tableRows(t, r, "By code"); !reflect.DeepEqual(got, want) {
		t.Errorf("support:\n got %q\nwant %q", got, want)
	}
	// Three fees on the claim: 1.9(a) £154 unpaid; 1.9(c) £770 paid £800 (over by £30); 1.9(b) £385 paid £100 (£285 owed).
	fa, _ := s.AddFee(ctx, jr, "1.9(a)", act())
	fc, _ := s.AddFee(ctx, jr, "1.9(c)", act())
	fb, _ := s.AddFee(ctx, jr, "1.9(b)", act())
	s.RecordPayment(ctx, Payment{AmountPence: 80000, Reference: "P1", Method: "bacs", FeeID: fc.ID}, act())
	s.RecordPayment(ctx, Payment{AmountPence: 10000, Reference: "P2", Method: "card", FeeID: fb.ID}, act())
	f, err := s.Report(ctx, "fees", from, to, "week")
	if err != nil {
		t.Fatal(err)
	}
	wantSum := [][]string{
		{"1.9(a)", "1", "1", "0", "0", "0", "£154.00"},
		{"1.9(c)", "1", "0", "0", "0", "1", "£0.00"},
		{"1.9(b)", "1", "0", "1", "0", "0", "£285.00"},
	}
	if got := tableRows(t, f, "By fee"); !reflect.DeepEqual(got, wantSum) {
		t.Errorf("fees:\n got %q\nwant %q", got, wantSum)
	}
	wantDetail := [][]string{
		{itoa(int(fc.ID)), jr, "1.9(c)", "£770.00", "–", "£800.00", "-£30.00"},
		{itoa(int(fb.ID)), jr, "1.9(b)", "£385.00", "–", "£100.00", "£285.00"},
	}
	if got := tableRows(t, f, "Under- and over-payments"); !reflect.DeepEqual(got, wantDetail) {
		t.Errorf("payments:\n got %q\nwant %q", got, wantDetail)
	}
	_ = fa
}
