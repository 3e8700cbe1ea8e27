package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

func inboxItem(t *testing.T, s *Store, on domain.Date, match func(InboxItem) bool) InboxItem {
	t.Helper()
	items, err := s.Inbox(ctx, on, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if match(it) {
			return it
		}
	}
	t.Fatalf("no such item in the inbox of %s", on)
	return InboxItem{}
}

func shown(t *testing.T, s *Store, on domain.Date, key string) bool {
	t.Helper()
	items, err := s.Inbox(ctx, on, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Key == key {
			return true
		}
	}
	return false
}

func TestSnoozeIsOnTheTimelineAndUndone(t *testing.T) {
	s := imported(t)
	late := inboxItem(t, s, today, func(it InboxItem) bool { return it.Kind == "late-appeal" })
	before, _ := s.Case(ctx, late.Reference)
	until := domain.MustDate("2026-11-20")
	if err := s.Snooze(ctx, late, until, "waiting for the appellant's call", act()); err != nil {
		t.Fatal(err)
	}
	if shown(t, s, today, late.Key) {
		t.Fatal("snoozed item still in the inbox")
	}
	c, _ := s.Case(ctx, late.Reference)
	last := c.Events[len(c.Events)-1]
	if last.Kind != domain.EventSnoozed || last.User != "tester" || !last.Data.Due.Equal(until) ||
		!strings.Contains(last.Detail, "until Fri 20 Nov 2026") || !strings.Contains(last.Detail, "why: waiting for the appellant's call") {
		t.Fatalf("snooze on the timeline: %+v", last)
	}
	if !c.LastEvent.Equal(before.LastEvent) {
		t.Errorf("a snooze moved the case's last activity from %s to %s", before.LastEvent, c.LastEvent)
	}
	list, err := s.SnoozedItems(ctx, today, 50)
	if err != nil || len(list) != 1 || list[0].Key != late.Key || list[0].Reference != late.Reference ||
		!list[0].Until.Equal(until) || list[0].Why != "waiting for the appellant's call" || list[0].User != "tester" {
		t.Fatalf("snoozed view: %+v %v", list, err)
	}
	// Another jurisdiction's snoozed view does not list it.
	if other, _ := s.SnoozedItems(InJurisdiction(ctx, "ut-iac-jr"), today, 50); len(other) != 0 {
		t.Errorf("judicial review scope lists a tax snooze: %+v", other)
	}
	sn, err := s.Unsnooze(ctx, late.Key, act())
	if err != nil || sn.Reference != late.Reference {
		t.Fatalf("undo: %+v %v", sn, err)
	}
	if !shown(t, s, today, late.Key) {
		t.Fatal("undone snooze: the item is not back")
	}
	c, _ = s.Case(ctx, late.Reference)
	undo := c.Events[len(c.Events)-1]
	if undo.Kind != domain.EventSnoozeUndone || undo.Data.Undoes != last.ID {
		t.Fatalf("compensating event: %+v (snooze was %d)", undo, last.ID)
	}
	if list, _ := s.SnoozedItems(ctx, today, 50); len(list) != 0 {
		t.Errorf("undone snooze still listed: %+v", list)
	}
	if _, err := s.Unsnooze(ctx, late.Key, act()); !errors.Is(err, ErrNotSnoozed) {
		t.Errorf("undo twice: %v", err)
	}
	mustCheck(t, s)
}

func TestSnoozeOfOverdueDeadlineCapped(t *testing.T) {
	s := imported(t)
	// Allocated on Tue 10 Nov 2026 to standard: the statement of case is
	// overdue by Mon 15 Feb 2027.
	if _, err := s.Categorise(ctx, "TC/2026/05001", domain.Standard, CategoriseOptions{ActOptions: ActOptions{User: "tester", On: domain.MustDate("2026-11-10")}}); err != nil {
		t.Fatal(err)
	}
	later := domain.MustDate("2027-02-15")
	od := inboxItem(t, s, later, func(it InboxItem) bool { return it.Kind == "overdue" && it.Reference == "TC/2026/05001" })
	on := ActOptions{User: "tester", On: later}
	err := s.Snooze(ctx, od, later.AddDays(15), "", on)
	if err == nil || !strings.Contains(err.Error(), "at most 14 days") || !strings.Contains(err.Error(), "TC/2026/05001") {
		t.Fatalf("15 days on an overdue deadline: %v", err)
	}
	if !shown(t, s, later, od.Key) {
		t.Fatal("a refused snooze hid the item")
	}
	c, _ := s.Case(ctx, "TC/2026/05001")
	if k := c.Events[len(c.Events)-1].Kind; k == domain.EventSnoozed {
		t.Fatal("a refused snooze is on the timeline")
	}
	if err := s.Snooze(ctx, od, later.AddDays(14), "chased by phone", on); err != nil {
		t.Fatalf("14 days: %v", err)
	}
	if shown(t, s, later, od.Key) {
		t.Fatal("snoozed 14 days, still shown")
	}
	// The deadline is still overdue where it is counted: a snooze hides, it does not meet.
	due, _ := s.Due(ctx, later, 0, 0, 50)
	found := false
	for _, d := range due {
		found = found || d.Reference == "TC/2026/05001" && d.DaysLeft < 0
	}
	if !found {
		t.Error("the snoozed deadline left the due list")
	}
}

func TestQueueAfterPagesThroughTheWholeQueue(t *testing.T) {
	s := imported(t)
	all, err := s.Queue(ctx, 100)
	if err != nil || len(all) != 3 {
		t.Fatalf("queue %d %v", len(all), err)
	}
	var got []string
	var after CaseRow
	for range 5 {
		page, err := s.QueueAfter(ctx, after.Received, after.Reference, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(got, page[0].Reference)
		after = page[0]
	}
	if len(got) != 3 || got[0] != all[0].Reference || got[2] != all[2].Reference {
		t.Errorf("paged %v, want %v in order", got, all)
	}
	if page, _ := s.QueueAfter(InJurisdiction(ctx, "ut-iac-jr"), all[0].Received, all[0].Reference, 10); len(page) != 0 {
		t.Errorf("another jurisdiction's page: %v", page)
	}
}
