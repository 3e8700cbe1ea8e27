package server

import (
	"sync"
	"testing"
	"time"

	"github.com/caseload/caseload/tui"
)

func TestLeasesHoldRenewExpireAndEnd(t *testing.T) {
	now := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	l := NewLeases(10*time.Minute, func() time.Time { return now })
	if _, ok := l.Reserve("s1", "alice", "TC/2026/05001"); !ok {
		t.Fatal("a free appeal was refused")
	}
	if who, ok := l.Reserve("s2", "bob", "TC/2026/05001"); ok || who != "alice" {
		t.Errorf("a held appeal: %q %v, want refused naming alice", who, ok)
	}
	now = now.Add(9 * time.Minute)
	l.Reserve("s1", "alice", "TC/2026/05001") // a key press renews it
	now = now.Add(9 * time.Minute)
	if _, ok := l.Reserve("s2", "bob", "TC/2026/05001"); ok {
		t.Error("a renewed lease expired early")
	}
	now = now.Add(2 * time.Minute) // ten minutes with no key press
	if _, ok := l.Reserve("s2", "bob", "TC/2026/05001"); !ok {
		t.Error("an idle lease did not end after ten minutes")
	}
	l.Unreserve("s1", "TC/2026/05001") // not s1's any more: nothing happens
	if !l.HeldByOthers("s1", "TC/2026/05001") {
		t.Error("another session let bob's lease go")
	}
	l.EndSession("s2")
	if l.HeldByOthers("s1", "TC/2026/05001") || l.Held() != 0 {
		t.Error("leaving did not end the session's leases")
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
