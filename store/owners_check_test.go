package store

import (
	"strings"
	"testing"

	"github.com/caseload/caseload/store/mailfile"
)

// TestCheckComparesOwnersWithTheirHistory: take, assign, reassign and
// release of cases and messages leave check clean; an owner written on a
// row without its event (a bad restore, a hand edit) is named.
func TestCheckComparesOwnersWithTheirHistory(t *testing.T) {
	s := team(t)
	if _, err := s.ImportMail(ctx, []mailfile.Message{messageWith(t, "a question", "Mon, 16 Nov 2026 09:00:00 +0000")}, as("lead")); err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { return s.Take(ctx, Item{Reference: "TC/2026/05001"}, as("alice")) },
		func() error { return s.Assign(ctx, Item{Reference: "TC/2026/05002"}, "bob", as("lead")) },
		func() error { return s.Assign(ctx, Item{Reference: "TC/2026/05002"}, "alice", as("lead")) }, // reassigned
		func() error { return s.Take(ctx, Item{Reference: "TC/2026/05003"}, as("bob")) },
		func() error { return s.Release(ctx, Item{Reference: "TC/2026/05003"}, as("bob")) },
		func() error { return s.Assign(ctx, Item{MailID: 1}, "bob", as("lead")) },
		func() error { return s.Assign(ctx, Item{MailID: 1}, "alice", as("lead")) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	mustCheck(t, s)
	// Rows changed behind the history's back.
	if _, err := s.DB().ExecContext(ctx, "UPDATE cases SET owner = 'bob' WHERE reference = 'TC/2026/05001'"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "UPDATE cases SET owner = 'alice' WHERE reference = 'TC/2026/05003'"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, "UPDATE mail SET owner = '' WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	probs, _, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range probs {
		got = append(got, strings.TrimSpace(p.Reference+" "+p.Problem))
	}
	want := []string{
		"TC/2026/05001 kept owner bob does not match its ownership history (alice)",
		"TC/2026/05003 kept owner alice does not match its ownership history (nobody)",
		"message 1: kept owner nobody does not match its ownership history (alice)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("check found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
