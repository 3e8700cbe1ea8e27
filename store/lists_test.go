package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/synthetic"
)

// listStore is a synthetic caseload big enough that every list has more
// than one page of the sizes used below.
func listStore(t *testing.T) (*store.Store, domain.Date) {
	t.Helper()
	today := domain.MustDate("2026-11-23")
	s, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := synthetic.Generate(context.Background(), s, synthetic.Options{Cases: 1500, Seed: 7, Today: today}); err != nil {
		t.Fatal(err)
	}
	return s, today
}

// readAll pages through a list from its start, as the screens do.
func readAll[T any](t *testing.T, page func(offset, limit int) ([]T, error)) []T {
	t.Helper()
	var all []T
	for {
		rows, err := page(len(all), 97)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, rows...)
		if len(rows) < 97 {
			return all
		}
	}
}

func TestListCountsAndEndPagesAgreeWithPagingFromTheStart(t *testing.T) {
	s, today := listStore(t)
	ctx := context.Background()
	for _, sort := range []string{"", "oldest", "reference", "appellant"} {
		f := store.CaseFilter{Sort: sort, Status: domain.StatusAllocated}
		all := readAll(t, func(o, l int) ([]store.CaseRow, error) { return s.Cases(ctx, f, o, l) })
		n, err := s.CaseCount(ctx, f)
		if err != nil || n != len(all) || n < 200 {
			t.Fatalf("sort %q: count %d (%v), paging read %d", sort, n, err, len(all))
		}
		// The last 50, then the 50 before them: the same rows in the same
		// order as paging from the start reached.
		end, err := s.CasesBack(ctx, f, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		before, err := s.CasesBack(ctx, f, 50, 50)
		if err != nil {
			t.Fatal(err)
		}
		got, want := refs(append(before, end...)), refs(all[len(all)-100:])
		if !slices.Equal(got, want) {
			t.Errorf("sort %q: end pages\n%v\nwant\n%v", sort, got, want)
		}
	}

	// Every case, and every case of a jurisdiction (the kept counts), and
	// of one that has none.
	for _, f := range []store.CaseFilter{{}, {Jurisdiction: "ftt-tax"}, {Jurisdiction: "admin-court-jr"}, {Sort: "reference"}} {
		all := readAll(t, func(o, l int) ([]store.CaseRow, error) { return s.Cases(ctx, f, o, l) })
		if n, err := s.CaseCount(ctx, f); err != nil || n != len(all) {
			t.Errorf("filter %+v: count %d (%v), paging read %d", f, n, err, len(all))
		}
	}

	for _, within := range []int{7, 28, -1} {
		all := readAll(t, func(o, l int) ([]store.DueItem, error) { return s.Due(ctx, today, within, o, l) })
		n, err := s.DueCount(ctx, today, within)
		if err != nil || n != len(all) {
			t.Fatalf("due within %d: count %d (%v), paging read %d", within, n, err, len(all))
		}
		end, err := s.DueBack(ctx, today, within, 0, 30)
		if err != nil {
			t.Fatal(err)
		}
		k := min(30, len(all))
		if len(end) != k || (k > 0 && (end[k-1] != all[len(all)-1] || end[0] != all[len(all)-k])) {
			t.Errorf("due within %d: the end page is not the end of the list", within)
		}
	}
	if a, _ := s.DueCount(ctx, today, 7); a == 0 {
		t.Error("nothing due in 7 days: the test proves nothing")
	}

	old := readAll(t, func(o, l int) ([]store.CaseRow, error) { return s.OldCases(ctx, today, o, l) })
	n, err := s.OldCaseCount(ctx, today)
	if err != nil || n != len(old) || n < 100 {
		t.Fatalf("old cases: count %d (%v), paging read %d", n, err, len(old))
	}
	end, _ := s.OldCasesBack(ctx, today, 0, 40)
	if !slices.Equal(refs(end), refs(old[len(old)-40:])) {
		t.Error("old cases: the end page is not the end of the list")
	}
}

func refs(rows []store.CaseRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Reference
	}
	return out
}

// TestInboxCountsAreTheViews: each count is the number of items its view
// shows (the views are read with a limit above the count), a snoozed item
// leaves both the view and its count, and the views together are the
// inbox less its queries and fees.
func TestInboxCountsAreTheViews(t *testing.T) {
	s, today := listStore(t)
	ctx := context.Background()
	c, err := s.InboxCounts(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, kind := range store.InboxKinds[1:] {
		items, err := s.InboxOf(ctx, today, kind, 100000)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != c.Of(kind) {
			t.Errorf("%s: view holds %d, count says %d", kind, len(items), c.Of(kind))
		}
		for _, it := range items {
			if store.InboxKindOf(it.Kind) != kind {
				t.Errorf("%s view holds a %s item", kind, it.Kind)
			}
		}
		total += len(items)
	}
	if c.Overdue == 0 || c.Old == 0 || c.Queue == 0 {
		t.Fatalf("counts %+v: the demo should have overdue, old and queue items", c)
	}
	if c.Of("") != total {
		t.Errorf("all %d, views add to %d", c.Of(""), total)
	}
	overdue, _ := s.InboxOf(ctx, today, "overdue", 1)
	if err := s.Snooze(ctx, overdue[0], today.AddDays(2), "waiting for a call", store.ActOptions{User: "t", On: today}); err != nil {
		t.Fatal(err)
	}
	after, _ := s.InboxCounts(ctx, today)
	if after.Overdue != c.Overdue-1 {
		t.Errorf("overdue %d after a snooze, want %d", after.Overdue, c.Overdue-1)
	}
}

// BenchmarkListEnds is what a list's count and G cost: the inbox's view
// counts (read after every action), a case count, and the last page of
// the cases and of every open deadline.
func BenchmarkListEnds(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		fn   func() error
	}{
		{"InboxCounts", func() error { _, err := s.InboxCounts(ctx, benchToday); return err }},
		{"CaseCount", func() error { _, err := s.CaseCount(ctx, store.CaseFilter{}); return err }},
		{"CasesBack", func() error { _, err := s.CasesBack(ctx, store.CaseFilter{}, 0, 200); return err }},
		{"CasesBackByAppellant", func() error {
			_, err := s.CasesBack(ctx, store.CaseFilter{Sort: "appellant"}, 0, 200)
			return err
		}},
		{"OldCasesBack", func() error { _, err := s.OldCasesBack(ctx, benchToday, 0, 200); return err }},
		{"DueBackAll", func() error { _, err := s.DueBack(ctx, benchToday, -1, 0, 200); return err }},
		{"InboxOfOld", func() error { _, err := s.InboxOf(ctx, benchToday, "old", 1000); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var d []time.Duration
			for b.Loop() {
				t0 := time.Now()
				if err := c.fn(); err != nil {
					b.Fatal(err)
				}
				d = append(d, time.Since(t0))
			}
			percentiles(b, d)
		})
	}
}

// TestInboxCountsStopAtTheirMost: a count that reaches the cap is the cap
// and names its view in More (it holds at least that many); a count below
// it is exact and not named. InboxCounts reads no more rows than that.
func TestInboxCountsStopAtTheirMost(t *testing.T) {
	s, today := listStore(t)
	ctx := context.Background()
	exact, err := s.InboxCounts(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	if exact.Capped("") {
		t.Fatalf("counts %+v capped at %d", exact, store.InboxCountMost)
	}
	const most = 2
	store.SetInboxCountMost(s, most)
	c, err := s.InboxCounts(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	reached := 0
	for _, kind := range store.InboxKinds[1:] {
		n, capped := c.Of(kind), c.Capped(kind)
		switch {
		case kind == "due" || kind == "queue":
			// Two counts added (due and limits to watch; the queue's own
			// item and its late appeals): capped as soon as one part is.
			if capped && (n < most || n > exact.Of(kind)) || !capped && n != exact.Of(kind) {
				t.Errorf("%s: %d (capped %v), exact %d", kind, n, capped, exact.Of(kind))
			}
		case exact.Of(kind) > most:
			reached++
			if n != most || !capped {
				t.Errorf("%s: exact %d, capped count %d (capped %v), want %d and capped", kind, exact.Of(kind), n, capped, most)
			}
		default:
			if n != exact.Of(kind) || capped {
				t.Errorf("%s: exact %d, count %d (capped %v), want it exact", kind, exact.Of(kind), n, capped)
			}
		}
	}
	if reached == 0 || !c.Capped("") {
		t.Fatalf("no count reached %d: exact %+v", most, exact)
	}
}
