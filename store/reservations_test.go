package store

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
)

const (
	ref1 = "TC/2026/05001"
	ref2 = "TC/2026/05002"
	ref3 = "TC/2026/05003"
)

// TestQueueReservationsOneCardEach: each session holds the first appeals
// no one else holds, renewing and letting go as its card moves; a
// decision ends the hold; a reservation lapses; and
// sessions reserving at the same moment never hold one appeal twice.
func TestQueueReservationsOneCardEach(t *testing.T) {
	s := imported(t)
	now := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	const ttl = 10 * time.Minute
	alice := Holder{Session: "s1", User: "alice", Server: "a"}
	bob := Holder{Session: "s2", User: "bob", Server: "b"}
	reserve := func(h Holder, n int, refs ...string) Reservation {
		t.Helper()
		r, err := s.ReserveQueue(ctx, h, refs, n, nil, now, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	all := []string{ref1, ref2, ref3}
	if r := reserve(alice, 2, all...); !slices.Equal(r.Held, []string{ref1, ref2}) || !r.Until.Equal(now.Add(ttl)) {
		t.Fatalf("alice holds %v until %v, want the first two until ten minutes on", r.Held, r.Until)
	}
	r := reserve(bob, 2, all...)
	if !slices.Equal(r.Held, []string{ref3}) || r.Others[ref1] != "alice" || r.Others[ref2] != "alice" {
		t.Fatalf("bob: held %v, others %v; want 05003, and alice named for the first two", r.Held, r.Others)
	}
	// Alice decides 05001 and her card moves on before the decision is
	// saved: 05001 stays hers meanwhile (keep), so bob is not given it.
	now = now.Add(9 * time.Minute)
	if r, err := s.ReserveQueue(ctx, alice, []string{ref2, ref3}, 2, []string{ref1}, now, ttl); err != nil ||
		!slices.Equal(r.Held, []string{ref2}) || r.Others[ref3] != "bob" {
		t.Fatalf("alice after moving on: held %v, others %v (%v)", r.Held, r.Others, err)
	}
	if r := reserve(Holder{Session: "s5", User: "erin", Server: "b"}, 1, ref1); len(r.Held) != 0 || r.Others[ref1] != "alice" {
		t.Fatalf("erin was given the appeal alice is deciding: held %v, others %v", r.Held, r.Others)
	}
	// Her decision is not saved (say it was refused): it is let go when
	// her card no longer keeps it, with 05002 kept and bob's passed over.
	if r := reserve(alice, 2, ref2, ref3); !slices.Equal(r.Held, []string{ref2}) || r.Others[ref3] != "bob" {
		t.Fatalf("alice after moving on: held %v, others %v", r.Held, r.Others)
	}
	if h, _ := s.QueueHolders(ctx, all, now); h[ref1].User != "" || h[ref2].User != "alice" || h[ref3].Server != "b" {
		t.Fatalf("holders %v", h)
	}
	// Bob's lease, not renewed, lapses ten minutes after he took it;
	// alice's, renewed at nine minutes, does not.
	now = now.Add(2 * time.Minute)
	if r := reserve(Holder{Session: "s3", User: "carol", Server: "b"}, 2, ref2, ref3); !slices.Equal(r.Held, []string{ref3}) || r.Others[ref2] != "alice" {
		t.Fatalf("carol: held %v, others %v; want bob's lapsed 05003 and alice still named for 05002", r.Held, r.Others)
	}
	// A decision (here from the command line) ends the hold.
	if _, err := s.Categorise(ctx, ref2, domain.Paper, CategoriseOptions{ActOptions: ActOptions{User: "dave", On: today}}); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.QueueHolders(ctx, []string{ref2}, now); len(h) != 0 {
		t.Errorf("a decided appeal is still reserved: %v", h)
	}
	if r := reserve(bob, 2, ref2, ref1); !slices.Equal(r.Gone, []string{ref2}) || !slices.Equal(r.Held, []string{ref1}) {
		t.Errorf("bob after 05002 was decided: gone %v, held %v", r.Gone, r.Held)
	}
	if err := s.ReleaseSession(ctx, "s2"); err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseServer(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.QueueReserved(ctx, now); err != nil || n != 0 {
		t.Errorf("%d appeals still held after the sessions and the server ended (%v)", n, err)
	}
	if _, err := s.ReserveQueue(ctx, Holder{User: "x"}, all, 1, nil, now, ttl); err != ErrNoHolder {
		t.Errorf("a reservation with no session: %v", err)
	}

	// Six sessions at once, one appeal each, two appeals waiting: two hold
	// one each, four hold none, never one appeal twice.
	var wg sync.WaitGroup
	var mu sync.Mutex
	held := map[string][]string{}
	var errs []error
	for i := range 6 {
		wg.Go(func() {
			h := Holder{Session: fmt.Sprintf("r%d", i), User: fmt.Sprintf("cw%d", i), Server: "race"}
			r, err := s.ReserveQueue(ctx, h, []string{ref1, ref3}, 1, nil, now, ttl)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			for _, ref := range r.Held {
				held[ref] = append(held[ref], h.User)
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("racing reservations failed: %v", errs)
	}
	if len(held) != 2 || len(held[ref1]) != 1 || len(held[ref3]) != 1 {
		t.Errorf("racing sessions hold %v: want 05001 and 05003 held once each", held)
	}
	if n, _ := s.QueueReserved(ctx, now); n != 2 {
		t.Errorf("%d reserved after the race, want 2", n)
	}
	mustCheck(t, s)
}
