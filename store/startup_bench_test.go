package store_test

import (
	"context"
	"testing"

	"github.com/caseload/caseload/store"
)

// BenchmarkStartupQueries times each store call the UI makes before its
// first complete frame, for the whole caseload and for one jurisdiction
// (the generated caseload holds no Administrative Court case: a filter on
// it finds nothing, so a statement that walks a date index and filters on
// the jurisdiction walks all of it), and for the one that holds them all.
func BenchmarkStartupQueries(b *testing.B) {
	s := benchStore(b)
	act := store.ActOptions{User: "bench", On: benchToday}
	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Counts", func(ctx context.Context) error { _, err := s.Counts(ctx, benchToday); return err }},
		{"InboxCounts", func(ctx context.Context) error { _, err := s.InboxCounts(ctx, benchToday); return err }},
		{"Inbox", func(ctx context.Context) error { _, err := s.Inbox(ctx, benchToday, 200); return err }},
		{"QueueSkipped", func(ctx context.Context) error { _, err := s.QueueSkipped(ctx, act.User, act.On); return err }},
		{"Queue", func(ctx context.Context) error { _, err := s.Queue(ctx, 60); return err }},
		{"DoneToday", func(ctx context.Context) error { _, err := s.DoneToday(ctx, act); return err }},
	}
	for _, kind := range store.InboxKinds[1:] {
		calls = append(calls, struct {
			name string
			call func(ctx context.Context) error
		}{"InboxOf-" + kind, func(ctx context.Context) error { _, err := s.InboxOf(ctx, benchToday, kind, 1000); return err }})
	}
	for _, jur := range []string{"", "admin-court-jr", "ftt-tax"} {
		ctx, name := store.InJurisdiction(context.Background(), jur), "all"
		if jur != "" {
			name = jur
		}
		for _, c := range calls {
			b.Run(name+"/"+c.name, func(b *testing.B) {
				t := newCPUTimer(b)
				for i := 0; i < b.N; i++ {
					t.begin()
					if err := c.call(ctx); err != nil {
						b.Fatal(err)
					}
					t.end()
				}
				t.report(b)
			})
		}
	}
}
