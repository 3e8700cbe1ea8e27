package server

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui"
	"github.com/caseload/caseload/tui/uitest"
)

func TestLeasesHoldRenewExpireAndEnd(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	st := uitest.Store(t, uitest.Sample)
	// Two servers on one database, each with its own lease table view.
	l := NewLeases(st, "server-a", 10*time.Minute, func() time.Time { return now })
	other := NewLeases(st, "server-b", 10*time.Minute, func() time.Time { return now })
	reserve := func(l *Leases, session, user string) store.Reservation {
		t.Helper()
		r, err := l.Reserve(ctx, session, user, []string{"TC/2026/05001"}, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := reserve(l, "s1", "alice"); len(r.Held) != 1 {
		t.Fatal("a free appeal was refused")
	}
	if r := reserve(other, "s2", "bob"); len(r.Held) != 0 || r.Others["TC/2026/05001"] != "alice" {
		t.Errorf("a held appeal: %+v, want refused naming alice", r)
	}
	now = now.Add(9 * time.Minute)
	reserve(l, "s1", "alice") // a key press renews it
	now = now.Add(9 * time.Minute)
	if r := reserve(other, "s2", "bob"); len(r.Held) != 0 {
		t.Error("a renewed lease expired early")
	}
	now = now.Add(2 * time.Minute) // ten minutes with no key press
	if r := reserve(other, "s2", "bob"); len(r.Held) != 1 {
		t.Error("an idle lease did not end after ten minutes")
	}
	// s1's card moves on (nothing on it): bob's lease is not s1's to end.
	if _, err := l.Reserve(ctx, "s1", "alice", nil, 1, nil); err != nil {
		t.Fatal(err)
	}
	if by, _ := l.HeldByOthers(ctx, "s1", []string{"TC/2026/05001"}); by["TC/2026/05001"] != "bob" {
		t.Error("another session let bob's lease go")
	}
	if err := other.EndSession(ctx, "s2"); err != nil {
		t.Fatal(err)
	}
	if by, _ := l.HeldByOthers(ctx, "s1", []string{"TC/2026/05001"}); len(by) != 0 {
		t.Error("leaving did not end the session's leases")
	}
	if n, err := l.Held(ctx); err != nil || n != 0 {
		t.Errorf("%d held after the sessions ended (%v)", n, err)
	}
	// A server stopping lets go of all its sessions' leases, not another's.
	reserve(l, "s3", "carol")
	if r, _ := other.Reserve(ctx, "s4", "dave", []string{"TC/2026/05002"}, 1, nil); len(r.Held) != 1 {
		t.Fatal("dave could not reserve 05002")
	}
	if err := l.EndServer(ctx); err != nil {
		t.Fatal(err)
	}
	if by, _ := other.HeldByOthers(ctx, "", []string{"TC/2026/05001", "TC/2026/05002"}); by["TC/2026/05001"] != "" || by["TC/2026/05002"] != "dave" {
		t.Errorf("after server-a stopped: %v, want only dave's 05002 held", by)
	}
}

func TestHubCoalescesAndSkipsTheWriter(t *testing.T) {
	h := NewHub()
	var mu sync.Mutex
	got := map[int][]tui.LiveMsg{}
	subs := make([]int, 3)
	for i := range subs {
		i := i
		var cancel func()
		subs[i], cancel = h.Subscribe(func(m tui.LiveMsg) {
			mu.Lock()
			got[i] = append(got[i], m)
			mu.Unlock()
		})
		defer cancel()
	}
	for n := 0; n < 20; n++ {
		h.Publish(subs[0], &tui.Change{By: "alice", Kind: "allocated", Reference: "TC/2026/05001"})
	}
	time.Sleep(coalesce + 200*time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(got[0]) != 0 {
		t.Errorf("the writer was told its own change: %v", got[0])
	}
	for i := 1; i < 3; i++ {
		changes := 0
		for _, m := range got[i] {
			changes += len(m.Changes)
		}
		if len(got[i]) == 0 || len(got[i]) > 2 || changes != 20 {
			t.Errorf("session %d: %d messages with %d changes; want at most 2 carrying all 20", i, len(got[i]), changes)
		}
	}
}
