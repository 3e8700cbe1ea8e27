package synthetic

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// The demo's litigation caseload, from the defendant's side, on Mon 23 Nov
// 2026: letters before claim, JRs at each stage, appeals, damages claims.
func TestLitigationDemo(t *testing.T) {
	ctx := context.Background()
	today := domain.MustDate("2026-11-23")
	s, err := store.Open(filepath.Join(t.TempDir(), "d", "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := litigationDemo(ctx, s, today)
	if err != nil || n != 12 {
		t.Fatalf("litigation demo: %d cases, %v", n, err)
	}
	if probs, _, err := s.Check(ctx); err != nil || len(probs) > 0 {
		t.Fatalf("check: %v %v", err, probs)
	}
	items, err := s.Inbox(ctx, today, 100)
	if err != nil {
		t.Fatal(err)
	}
	own, watch := 0, 0
	for _, it := range items {
		switch {
		case it.Watch:
			watch++
		case strings.HasPrefix(it.Key, "deadline:"):
			own++
		}
	}
	if own == 0 || watch == 0 {
		t.Errorf("inbox: %d own duties, %d watch items", own, watch)
	}
	// The appeal: judgment below Fri 13 Nov 2026 + 21 days = Fri 4 Dec 2026 (CPR 52.12(2)(b)).
	ca, err := s.Case(ctx, "CA-2026-000301")
	if err != nil {
		t.Fatal(err)
	}
	var notice domain.Deadline
	for _, d := range ca.Deadlines {
		if d.Kind == "appellants_notice" {
			notice = d
		}
	}
	if notice.Due.String() != "2026-12-04" || ca.TrackOrNone() != domain.PermissionToAppeal {
		t.Errorf("appeal: %s at %s", notice.Due, ca.TrackOrNone())
	}
	v, err := s.Litigation(ctx, "KB-2026-000402", today)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Offers) != 2 || len(v.Authority) != 2 || v.Authority[0].State != "approved" || v.Authority[1].State != "pending" || v.Side != domain.SideDefendant {
		t.Errorf("damages claim: %+v", v)
	}
	// Defend at the paper stage, revisited after permission: settle at the substantive stage.
	w, _ := s.Litigation(ctx, "AC-2026-LON-000205", today)
	if len(w.Decisions) != 2 || w.Decisions[0].Stage != domain.PermissionPaper || w.Decisions[1].Stage != domain.Substantive || w.Revisit {
		t.Errorf("decision history: %+v revisit=%v", w.Decisions, w.Revisit)
	}
}
