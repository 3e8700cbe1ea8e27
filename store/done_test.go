package store

import (
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

// overdueStatement allocates TC/2026/05001 on Tue 10 Nov 2026 to standard:
// its statement of case (r25(1)(b), 60 days) is overdue on Mon 15 Feb 2027.
func overdueStatement(t *testing.T) (*Store, InboxItem, ActOptions) {
	t.Helper()
	s := imported(t)
	if _, err := s.Categorise(ctx, "TC/2026/05001", domain.Standard, CategoriseOptions{ActOptions: ActOptions{User: "tester", On: domain.MustDate("2026-11-10")}}); err != nil {
		t.Fatal(err)
	}
	later := domain.MustDate("2027-02-15")
	it := inboxItem(t, s, later, func(it InboxItem) bool {
		return it.Kind == "overdue" && it.Reference == "TC/2026/05001" && strings.Contains(it.Key, "statement_of_case")
	})
	return s, it, ActOptions{User: "tester", On: later}
}

func overdue(t *testing.T, s *Store, on domain.Date, ref string) bool {
	t.Helper()
	due, err := s.Due(ctx, on, 0, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range due {
		if d.Reference == ref && d.Kind == "statement_of_case" && d.DaysLeft < 0 {
			return true
		}
	}
	return false
}

func TestMeetDeadlineRecordsTheStepDated(t *testing.T) {
	s, it, on := overdueStatement(t)
	sent := domain.MustDate("2027-02-12") // Fri 12 Feb 2027: sent before today, recorded today
	e, err := s.MeetDeadline(ctx, "tc/2026/05001", "statement_of_case", sent, on)
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != domain.EventStatementOfCase || !e.On.Equal(sent) || e.User != "tester" {
		t.Fatalf("event %+v", e)
	}
	if overdue(t, s, on.On, "TC/2026/05001") {
		t.Error("the statement of case is still overdue in due")
	}
	if shown(t, s, on.On, it.Key) {
		t.Error("the met deadline is still in the inbox")
	}
	if _, err := s.MeetDeadline(ctx, "TC/2026/05001", "no_such", sent, on); err == nil {
		t.Error("an unknown deadline kind was accepted")
	}
	mustCheck(t, s)
}

func TestResolveChasedLogsAndSnoozesInOneGo(t *testing.T) {
	s, it, on := overdueStatement(t)
	// A correspondence without a summary is refused: nothing changes.
	bad := domain.Event{Kind: domain.EventCorrespondence, Data: domain.EventData{Channel: "phone", Way: "out"}}
	if _, err := s.Resolve(ctx, it, bad, on.On.AddDays(7), "", on); err == nil || !strings.Contains(err.Error(), "summary") {
		t.Fatalf("no summary: %v", err)
	}
	c, _ := s.Case(ctx, it.Reference)
	n := len(c.Events)
	if !shown(t, s, on.On, it.Key) {
		t.Fatal("a refused chase hid the item")
	}
	// More than 14 days on an overdue deadline is refused before anything is written.
	chase := domain.Event{Kind: domain.EventCorrespondence, Data: domain.EventData{Channel: "phone", Way: "out", Text: "asked HMRC for the statement"}}
	if _, err := s.Resolve(ctx, it, chase, on.On.AddDays(15), "", on); err == nil || !strings.Contains(err.Error(), "at most 14 days") {
		t.Fatalf("15 days: %v", err)
	}
	if _, err := s.Resolve(ctx, it, chase, on.On.AddDays(7), "promised by Friday", on); err != nil {
		t.Fatal(err)
	}
	c, _ = s.Case(ctx, it.Reference)
	if len(c.Events) != n+2 || c.Events[n].Kind != domain.EventCorrespondence || c.Events[n+1].Kind != domain.EventSnoozed ||
		c.Events[n+1].Data.Refers != c.Events[n].ID {
		t.Fatalf("timeline: %+v", c.Events[n:])
	}
	if shown(t, s, on.On, it.Key) || !shown(t, s, on.On.AddDays(7), it.Key) {
		t.Error("a chase snoozes the item until the date given, and it comes back")
	}
	if !overdue(t, s, on.On, it.Reference) {
		t.Error("a chase met the deadline")
	}
	mustCheck(t, s)
}

func TestResolveReferredAndOtherItems(t *testing.T) {
	s, it, on := overdueStatement(t)
	ref := domain.Event{Kind: domain.EventReferred, Data: domain.EventData{To: "judge", Text: "HMRC silent: strike out?"}}
	if _, err := s.Resolve(ctx, it, ref, domain.Date{}, "", on); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Case(ctx, it.Reference)
	if last := c.Events[len(c.Events)-1]; last.Kind != domain.EventReferred || !strings.Contains(last.Detail, "referred to the judge") {
		t.Fatalf("timeline: %+v", last)
	}
	if shown(t, s, on.On, it.Key) || shown(t, s, on.On.AddDays(30), it.Key) {
		t.Error("a referred deadline item is done")
	}
	// Any other item: an inbox-done trace with what was done.
	late := inboxItem(t, s, today, func(it InboxItem) bool { return it.Kind == "late-appeal" })
	done := domain.Event{Kind: domain.EventInboxDone, Data: domain.EventData{Text: "called the appellant about permission"}}
	if _, err := s.Resolve(ctx, late, done, domain.Date{}, "", act()); err != nil {
		t.Fatal(err)
	}
	c, _ = s.Case(ctx, late.Reference)
	last := c.Events[len(c.Events)-1]
	if last.Kind != domain.EventInboxDone || !strings.Contains(last.Detail, "late appeal needs permission") ||
		!strings.Contains(last.Detail, "called the appellant") {
		t.Fatalf("timeline: %+v", last)
	}
	if shown(t, s, today, late.Key) {
		t.Error("done item still shown")
	}
	queue := inboxItem(t, s, today, func(it InboxItem) bool { return it.Kind == "queue" })
	if _, err := s.Resolve(ctx, queue, done, domain.Date{}, "", act()); err == nil {
		t.Error("the queue item was marked done with no case to record it on")
	}
	mustCheck(t, s)
}

func TestUndoRefusesAnAllocationUnderADisposal(t *testing.T) {
	s := imported(t)
	if _, err := s.Categorise(ctx, "TC/2026/05001", domain.Basic, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	e := domain.Event{Kind: domain.EventDisposed, On: today, User: "tester", Data: domain.EventData{Text: "withdrawn"}}
	if _, err := s.Record(ctx, "TC/2026/05001", e); err != nil {
		t.Fatal(err)
	}
	_, err := s.UndoAllocation(ctx, "TC/2026/05001", act())
	if err == nil || !strings.Contains(err.Error(), `the latest action is not the allocation but "disposed"`) {
		t.Fatalf("undo under a disposal: %v", err)
	}
	c, _ := s.Case(ctx, "TC/2026/05001")
	if c.Status != domain.StatusClosed || c.Track == nil {
		t.Errorf("the case changed: %s %v", c.Status, c.Track)
	}
	mustCheck(t, s)
}
