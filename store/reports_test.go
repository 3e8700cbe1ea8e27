package store

import (
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/report"
)

// A caseload whose report figures were counted by hand. The range is
// Mon 2 Nov to Sun 29 Nov 2026: four weeks, w/c 2, 9, 16 and 23 Nov.
func reportFixture(t *testing.T) *Store {
	s := open(t)
	csv := "reference,received,decision_date,appellant,subject,amount\n" +
		"TC/2026/08001,2026-11-02,2026-10-20,A first day of the range,vat,100\n" +
		"TC/2026/08002,2026-11-08,2026-09-01,B last day of week one,late-filing-penalty,100\n" +
		"TC/2026/08003,2026-11-09,2026-10-20,C first day of week two,income-tax,100\n" +
		"TC/2026/08004,2026-11-29,2026-11-20,D last day of the range,vat,100\n" +
		"TC/2026/08005,2026-11-01,2026-10-20,E day before the range,vat,100\n" +
		"TC/2026/08006,2026-11-30,2026-11-20,F day after the range,vat,100\n" +
		"TC/2026/08007,2026-11-10,2026-11-01,G surcharge,surcharge,100\n" +
		"TC/2026/08008,2026-11-10,2026-11-01,H undone,vat,100\n"
	// Imported on the range's last day: a notice cannot be received after
	// the day it is imported.
	if _, err := s.Import(ctx, []string{write(t, "r.csv", csv)}, ImportOptions{ActOptions: ActOptions{User: "tester", On: domain.MustDate("2026-11-30")}}); err != nil {
		t.Fatal(err)
	}
	at := func(d string, u string) ActOptions { return ActOptions{User: u, On: domain.MustDate(d)} }
	ret := func(ref, on string, reasons ...string) {
		if _, err := s.Record(ctx, ref, domain.Event{Kind: domain.EventReturned, On: domain.MustDate(on), User: "u1", Data: domain.EventData{Reasons: reasons}}); err != nil {
			t.Fatal(err)
		}
	}
	ret("TC/2026/08001", "2026-11-03", "grounds", "decision-copy")
	ret("TC/2026/08003", "2026-11-15", "grounds")
	ret("TC/2026/08005", "2026-11-02", "duplicate")
	cat := func(ref string, tr domain.Track, o ActOptions) {
		if _, err := s.Categorise(ctx, ref, tr, CategoriseOptions{ActOptions: o}); err != nil {
			t.Fatal(err)
		}
	}
	cat("TC/2026/08002", domain.Paper, at("2026-11-10", "u1"))    // suggested Default Paper: accepted
	cat("TC/2026/08004", domain.Standard, at("2026-11-29", "u1")) // suggested Standard: accepted
	cat("TC/2026/08007", domain.Basic, at("2026-11-16", "u2"))    // suggested Default Paper: overridden
	cat("TC/2026/08008", domain.Complex, at("2026-11-16", "u2"))  // then undone: not counted
	s.UndoAllocation(ctx, "TC/2026/08008", at("2026-11-16", "u2"))
	cat("TC/2026/08006", domain.Standard, at("2026-11-30", "u1")) // after the range
	dir := func(ref, on, party, due string) domain.Event {
		e, err := s.Record(ctx, ref, domain.Event{Kind: domain.EventDirection, On: domain.MustDate(on), User: "u1",
			Data: domain.EventData{Text: "Do it", Party: party, Due: domain.MustDate(due)}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	comply := func(ref string, d domain.Event, on string) {
		if _, err := s.Record(ctx, ref, domain.Event{Kind: domain.EventComplied, On: domain.MustDate(on), User: "u1", Data: domain.EventData{Refers: d.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	comply("TC/2026/08002", dir("TC/2026/08002", "2026-11-12", "appellant", "2026-11-20"), "2026-11-20")  // on the due date: on time
	comply("TC/2026/08007", dir("TC/2026/08007", "2026-11-17", "respondent", "2026-11-24"), "2026-11-25") // a day late
	dir("TC/2026/08004", "2026-11-29", "both", "2026-12-10")                                              // not yet due on 29 Nov
	dir("TC/2026/08007", "2026-11-18", "appellant", "2026-11-26")                                         // never complied: overdue
	return s
}

func rows(t *testing.T, s *Store, name string, table int) []string {
	t.Helper()
	r, err := s.Report(ctx, name, domain.MustDate("2026-11-02"), domain.MustDate("2026-11-29"), "week")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, row := range r.Tables[table].Rows {
		out = append(out, strings.Join(row, " | "))
	}
	return out
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReportsHandCounted(t *testing.T) {
	s := reportFixture(t)
	// Week 1 received A (2 Nov, the first day) and B (8 Nov, a Sunday); returned A (3 Nov) and E (2 Nov,
	// though E was received the day before the range). Week 2 received C (9 Nov), G and H (10 Nov); C was
	// returned on 15 Nov (Sunday): 1 of 3. Week 3: nothing. Week 4: D on 29 Nov, the last day. F (30 Nov) is out.
	same(t, "rejections", rows(t, s, "rejections", 0), []string{
		"w/c 02/11/2026 | 2 | 2 | 100.0%",
		"w/c 09/11/2026 | 3 | 1 | 33.3%",
		"w/c 16/11/2026 | 0 | 0 | –",
		"w/c 23/11/2026 | 1 | 0 | 0.0%",
	})
	same(t, "returns by reason", rows(t, s, "rejections", 1), []string{"grounds | 2", "decision-copy | 1", "duplicate | 1"})
	// u1: B (Default Paper, as suggested) and D (Standard, as suggested); F is after the range.
	// u2: G (Basic, suggested Default Paper); H was undone and is left out.
	same(t, "categorisation per user", rows(t, s, "categorisation", 1), []string{
		"u1 | 2 | 2 | 0 | 100.0%",
		"u2 | 1 | 0 | 1 | 0.0%",
	})
	same(t, "suggested against chosen", rows(t, s, "categorisation", 2), []string{
		"Default Paper | 1 | 1 | 0 | 0",
		"Basic | 0 | 0 | 0 | 0",
		"Standard | 0 | 0 | 1 | 0",
		"Complex | 0 | 0 | 0 | 0",
	})
	// Appellant: B's complied on its due date (on time), G's second never (overdue by 29 Nov).
	// Respondent: G's complied a day late. Both: D's due 10 Dec, not yet due.
	same(t, "directions", rows(t, s, "directions", 0), []string{
		"appellant | 2 | 1 | 0 | 1 | 0",
		"respondent | 1 | 0 | 1 | 0 | 0",
		"both | 1 | 0 | 0 | 0 | 1",
		"all | 4 | 1 | 1 | 1 | 1",
	})
	// Open on 29 Nov: H (back in the queue), B (Default Paper), G (Basic), D (Standard); all under 13 weeks.
	// A, C and E were returned; F was received after the end date.
	same(t, "ageing", rows(t, s, "ageing", 0), []string{
		"not yet allocated | 1 | 0 | 0 | 0 | 1",
		"Default Paper | 1 | 0 | 0 | 0 | 1",
		"Basic | 1 | 0 | 0 | 0 | 1",
		"Standard | 1 | 0 | 0 | 0 | 1",
		"Complex | 0 | 0 | 0 | 0 | 0",
	})
	// Late appeals received in the range: only B (8 Nov; decision 1 Sep, 30 days beginning with it end 30 Sep
	// (1 Sep + 29): 31 days of October + 8 = 39 days late), Default Paper, pending.
	late := rows(t, s, "extensions", 0)
	if late[0] != "Default Paper | 1 | 0 | 0 | 1 | 39" || late[len(late)-1] != "all | 1 | 0 | 0 | 1 | 39" {
		t.Errorf("late appeals: %v", late)
	}
	// Flow: outstanding at the end of week 1 = received by 8 Nov (A, B, E) − returned by then (A, E) = 1.
	flow := rows(t, s, "flow", 0)
	if flow[0] != "w/c 02/11/2026 | 2 | 0 | 1 | –" {
		t.Errorf("flow: %v", flow)
	}
}

func TestReportPeriodsAndBadInput(t *testing.T) {
	s := open(t)
	if _, err := s.Report(ctx, "nonsense", today, today, "week"); err == nil {
		t.Error("unknown report accepted")
	}
	if _, err := s.Report(ctx, "flow", today, today.AddDays(-1), "week"); err == nil {
		t.Error("backwards range accepted")
	}
	// Months: 15 Oct to 2 Dec 2026 -> Oct (15–31), Nov, Dec (1–2).
	r, err := s.Report(ctx, "flow", domain.MustDate("2026-10-15"), domain.MustDate("2026-12-02"), "month")
	if err != nil || len(r.Tables[0].Rows) != 3 || r.Tables[0].Rows[0][0] != "Oct 2026" || r.Tables[0].Rows[2][0] != "Dec 2026" {
		t.Errorf("%v %v", r, err)
	}
}

// TestNoReportCalledListsEveryReport: the error for an unknown name lists
// the service centre's reports as well as the casework ones.
func TestNoReportCalledListsEveryReport(t *testing.T) {
	s := open(t)
	_, err := s.Report(ctx, "queires", domain.MustDate("2026-11-01"), domain.MustDate("2026-11-30"), "week")
	if err == nil {
		t.Fatal("an unknown report was counted")
	}
	for _, name := range append(append([]string{}, report.Names...), report.ServiceCentreNames...) {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("%q does not name %s", err, name)
		}
	}
}
