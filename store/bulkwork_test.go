package store

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

func targets(refs ...string) []BulkTarget {
	var out []BulkTarget
	for _, r := range refs {
		out = append(out, BulkTarget{Reference: r})
	}
	return out
}

func eventCount(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow("SELECT count(*) FROM events").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBulkIsAllOrNoneAndOneUndoCompensatesTheBatch(t *testing.T) {
	s := imported(t)
	if _, err := s.Record(ctx, "TC/2026/05001", domain.Event{Kind: domain.EventFlagSet, On: today, User: "tester",
		Data: domain.EventData{Flag: "urgent"}}); err != nil {
		t.Fatal(err)
	}
	before := eventCount(t, s)
	// TC/2026/05001 is already urgent: the domain refuses its event, so
	// the lot is refused, naming it, and the other two get nothing.
	_, err := s.Bulk(ctx, targets("TC/2026/05002", "TC/2026/05001", "TC/2026/05003"), BulkAction{Kind: BulkFlag, Flag: "urgent"}, act())
	if err == nil || !strings.Contains(err.Error(), "TC/2026/05001") || !strings.Contains(err.Error(), "already set") {
		t.Fatalf("one bad case: want a refusal naming TC/2026/05001, got %v", err)
	}
	if n := eventCount(t, s); n != before {
		t.Fatalf("a refused batch wrote %d events", n-before)
	}
	if c, _ := s.Case(ctx, "TC/2026/05002"); len(c.Flags) != 0 {
		t.Fatalf("TC/2026/05002 flagged by a refused batch: %v", c.Flags)
	}

	b, err := s.Bulk(ctx, targets("TC/2026/05003", "TC/2026/05001", "tc/2026/05002", "TC/2026/05003"), BulkAction{Kind: BulkFlag, Flag: "high-profile"}, act())
	if err != nil {
		t.Fatal(err)
	}
	if b.ID == 0 || b.Events != 3 || strings.Join(b.References, " ") != "TC/2026/05003 TC/2026/05001 TC/2026/05002" {
		t.Fatalf("batch: %+v (want 3 events, in the order marked, each case once)", b)
	}
	for _, ref := range b.References {
		e := lastEvent(t, s, ref)
		if e.Kind != domain.EventFlagSet || e.Data.Flag != "high-profile" || e.Data.Batch != b.ID || e.User != "tester" {
			t.Fatalf("%s: %+v is not the batch's flag", ref, e)
		}
	}

	u, err := s.UndoBatch(ctx, b.ID, act())
	if err != nil || u.Events != 3 || len(u.References) != 3 || u.Action != BulkFlag {
		t.Fatalf("undo: %+v %v", u, err)
	}
	for _, ref := range b.References {
		c, _ := s.Case(ctx, ref)
		e := c.Events[len(c.Events)-1]
		if e.Kind != domain.EventFlagCleared || e.Data.UndoesBatch != b.ID || e.Data.Undoes == 0 || slices.Contains(c.Flags, "high-profile") {
			t.Fatalf("%s after undo: flags %v, last %+v", ref, c.Flags, e)
		}
	}
	if c, _ := s.Case(ctx, "TC/2026/05001"); !slices.Contains(c.Flags, "urgent") {
		t.Error("the undo cleared a flag the batch did not set")
	}
	if _, err := s.UndoBatch(ctx, b.ID, act()); !errors.Is(err, ErrNothingToUndo) || !strings.Contains(err.Error(), "undone already") {
		t.Fatalf("second undo: %v", err)
	}
	if _, err := s.Bulk(ctx, nil, BulkAction{Kind: BulkFlag, Flag: "urgent"}, act()); !errors.Is(err, ErrNothingMarked) {
		t.Fatalf("nothing marked: %v", err)
	}
	mustCheck(t, s)
}

func TestBulkAllocateReferAssignAndTheirUndo(t *testing.T) {
	s := imported(t)
	all := targets("TC/2026/05001", "TC/2026/05002", "TC/2026/05003")

	alloc, err := s.Bulk(ctx, all, BulkAction{Kind: BulkAllocate, Track: domain.Basic}, act())
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range alloc.References {
		if c, _ := s.Case(ctx, ref); c.Track == nil || *c.Track != domain.Basic || c.Status != domain.StatusAllocated {
			t.Fatalf("%s not allocated: %+v", ref, c.CaseRow)
		}
	}
	// Allocating them again without a reason is refused for the first,
	// so for all.
	if _, err := s.Bulk(ctx, all, BulkAction{Kind: BulkAllocate, Track: domain.Standard}, act()); err == nil ||
		!strings.Contains(err.Error(), "TC/2026/05001") || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("re-categorising without a reason: %v", err)
	}

	ref, err := s.Bulk(ctx, all[:2], BulkAction{Kind: BulkRefer, To: "judge", Note: "expedite: common issue"}, act())
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Case(ctx, "TC/2026/05002"); c.OpenReferrals != 1 {
		t.Fatalf("referral not open: %d", c.OpenReferrals)
	}
	if _, err := s.Bulk(ctx, all[:1], BulkAction{Kind: BulkRefer, To: "judge"}, act()); err == nil || !strings.Contains(err.Error(), "needs a note") {
		t.Fatalf("a referral without a note: %v", err)
	}
	if _, err := s.UndoBatch(ctx, ref.ID, act()); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"TC/2026/05001", "TC/2026/05002"} {
		c, _ := s.Case(ctx, r)
		e := c.Events[len(c.Events)-1]
		if c.OpenReferrals != 0 || e.Kind != domain.EventReferralWithdrawn || e.Data.UndoesBatch != ref.ID {
			t.Fatalf("%s after undoing the referral: open %d, last %+v", r, c.OpenReferrals, e)
		}
	}

	as, err := s.Bulk(ctx, all, BulkAction{Kind: BulkAssign, To: "alice"}, act())
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := s.Owner(ctx, Item{Reference: "TC/2026/05003"}); o != "alice" {
		t.Fatalf("owner %q", o)
	}
	if _, err := s.UndoBatch(ctx, as.ID, act()); err != nil {
		t.Fatal(err)
	}
	if o, _ := s.Owner(ctx, Item{Reference: "TC/2026/05003"}); o != "" {
		t.Fatalf("owner after undo %q", o)
	}

	// A case re-allocated since refuses the undo of the allocation, naming
	// it; nothing of the batch is undone.
	if _, err := s.Categorise(ctx, "TC/2026/05003", domain.Complex, CategoriseOptions{ActOptions: act(), Reason: "large amount"}); err != nil {
		t.Fatal(err)
	}
	before := eventCount(t, s)
	if _, err := s.UndoBatch(ctx, alloc.ID, act()); err == nil || !strings.Contains(err.Error(), "TC/2026/05003") || !strings.Contains(err.Error(), "allocated again") {
		t.Fatalf("undo over a re-allocation: %v", err)
	}
	if n := eventCount(t, s); n != before {
		t.Fatalf("a refused undo wrote %d events", n-before)
	}
	if _, err := s.UndoAllocation(ctx, "TC/2026/05003", act()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UndoBatch(ctx, alloc.ID, act()); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"TC/2026/05001", "TC/2026/05002"} {
		if c, _ := s.Case(ctx, r); c.Track != nil || c.Status != domain.StatusNew {
			t.Fatalf("%s after undoing the allocation: %+v", r, c.CaseRow)
		}
	}
	mustCheck(t, s)
}

func TestBulkSnoozeHidesEachItemAndUndoBringsThemBack(t *testing.T) {
	s := imported(t)
	if _, err := s.Categorise(ctx, "TC/2026/05001", domain.Basic, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	// A direction due in two days puts TC/2026/05001 in the inbox beside
	// the late appeal TC/2026/05002.
	if _, err := s.Record(ctx, "TC/2026/05001", domain.Event{Kind: domain.EventDirection, On: today, User: "tester",
		Data: domain.EventData{Text: "send the penalty notice", Party: "respondent", Due: today.AddDays(2)}}); err != nil {
		t.Fatal(err)
	}
	items, err := s.Inbox(ctx, today, 200)
	if err != nil {
		t.Fatal(err)
	}
	var marked []BulkTarget
	for _, it := range items {
		if it.Reference != "" && len(marked) < 2 {
			marked = append(marked, BulkTarget{Reference: it.Reference, Item: it})
		}
	}
	if len(marked) < 2 {
		t.Fatalf("want two items of a case in the inbox, got %+v", marked)
	}
	until := domain.MustDate("2026-11-23")
	if _, err := s.Bulk(ctx, marked, BulkAction{Kind: BulkSnooze, Until: today}, act()); err == nil || !strings.Contains(err.Error(), "after today") {
		t.Fatalf("snooze until today: %v", err)
	}
	if _, err := s.Bulk(ctx, targets("TC/2026/05003"), BulkAction{Kind: BulkSnooze, Until: until}, act()); err == nil ||
		!strings.Contains(err.Error(), "TC/2026/05003 is not an inbox item") {
		t.Fatalf("snooze of a case row: %v", err)
	}
	b, err := s.Bulk(ctx, marked, BulkAction{Kind: BulkSnooze, Until: until, Why: "waiting for HMRC"}, act())
	if err != nil || b.Events != len(marked) {
		t.Fatalf("snooze: %+v %v", b, err)
	}
	for _, m := range marked {
		if shown(t, s, today, m.Item.Key) {
			t.Fatalf("%s still in the inbox", m.Item.Key)
		}
		if e := lastEvent(t, s, m.Reference); e.Kind != domain.EventSnoozed || e.Data.Batch != b.ID || !strings.Contains(e.Detail, "why: waiting for HMRC") {
			t.Fatalf("%s: %+v", m.Reference, e)
		}
	}
	if _, err := s.UndoBatch(ctx, b.ID, act()); err != nil {
		t.Fatal(err)
	}
	for _, m := range marked {
		if !shown(t, s, today, m.Item.Key) {
			t.Fatalf("%s not back after the undo", m.Item.Key)
		}
	}
	if list, _ := s.SnoozedItems(ctx, today, 50); len(list) != 0 {
		t.Fatalf("still snoozed: %+v", list)
	}
	mustCheck(t, s)
}
