package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/synthetic"
)

// Judicial reviews beside a generated tax caseload: few, so a count or list
// limited to their jurisdiction finds a handful among thousands. Received
// Mon 2 Nov 2026, the letter before claim's response (14 days) was due Mon
// 16 Nov, overdue on the 23rd; the UT application of Fri 13 Nov for a
// decision of Fri 31 Jul is 11 days late.
const startupJR = "reference,jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,grounds\n" +
	",admin-court-jr,pre-action,2026-11-02,2026-10-20,R (Okafor),Bindmans LLP,London Borough of Lambeth,judicial-review,Housing allocation decision irrational.\n" +
	",admin-court-jr,claim-issued,2026-11-16,2026-10-12,Save Our Meadows Ltd,Leigh Day,Secretary of State for Housing,planning-jr,Inspector misread policy.\n" +
	",ut-iac-jr,claim-issued,2026-11-13,2026-07-31,AB (Sri Lanka),Duncan Lewis,,immigration-jr,Fresh claim refused.\n"

// The start-up figures limited to a jurisdiction read the copies the
// deadlines carry of their case and the late appeals' own indexes: each is
// what joining the deadlines to their cases counts, and what the inbox's
// views hold, for the whole caseload, the jurisdiction that holds most of
// it and the rare ones.
func TestStartupCountsLimitedToAJurisdiction(t *testing.T) {
	today := domain.MustDate("2026-11-23")
	s := generatedOnEither(t, synthetic.Options{Cases: 1500, Seed: 7, Today: today})
	csv := filepath.Join(t.TempDir(), "jr.csv")
	if err := os.WriteFile(csv, []byte(startupJR), 0o600); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Import(ctx, []string{csv}, store.ImportOptions{ActOptions: store.ActOptions{User: "clerk", On: today}}); err != nil || res.Imported != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}

	// Two appeals allocated today by the clerk, one by another, one the day before.
	queue, err := s.Queue(store.InJurisdiction(ctx, "ftt-tax"), 4)
	if err != nil || len(queue) != 4 {
		t.Fatalf("queue %d %v", len(queue), err)
	}
	for i, by := range []store.ActOptions{{User: "clerk", On: today}, {User: "clerk", On: today}, {User: "other", On: today}, {User: "clerk", On: today.AddDays(-1)}} {
		if _, err := s.Categorise(ctx, queue[i].Reference, domain.Basic, store.CategoriseOptions{ActOptions: by}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		user string
		on   domain.Date
		want int
	}{{"clerk", today, 2}, {"other", today, 1}, {"clerk", today.AddDays(-1), 1}, {"nobody", today, 0}} {
		if n, err := s.DoneToday(ctx, store.ActOptions{User: c.user, On: c.on}); err != nil || n != c.want {
			t.Errorf("done by %s on %s: %d %v, want %d", c.user, c.on, n, err, c.want)
		}
	}

	joined := func(j, due string) int {
		var n int
		q := "SELECT count(*) FROM deadlines d JOIN cases c ON c.id = d.case_id WHERE d.status = 'open' AND d.optional = 0 AND " + due
		if j != "" {
			q += " AND c.jurisdiction = '" + j + "'"
		}
		if err := s.DB().QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	seen := map[string]int{}
	for _, j := range []string{"", "ftt-tax", "admin-court-jr", "ut-iac-jr"} {
		sctx := store.InJurisdiction(ctx, j)
		c, err := s.Counts(sctx, today)
		if err != nil {
			t.Fatal(err)
		}
		overdue, due := joined(j, "d.due < '2026-11-23'"), joined(j, "d.due >= '2026-11-23' AND d.due <= '2026-11-30'")
		if c.Overdue != overdue || c.Due != due {
			t.Errorf("%q: counts overdue %d due %d, joined to the cases %d and %d", j, c.Overdue, c.Due, overdue, due)
		}
		ic, err := s.InboxCounts(sctx, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(ic.More) > 0 {
			t.Fatalf("%q: counts capped %v", j, ic.More)
		}
		for _, kind := range store.InboxKinds[1:] {
			items, err := s.InboxOf(sctx, today, kind, 100000)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != ic.Of(kind) {
				t.Errorf("%q %s: view holds %d, count says %d", j, kind, len(items), ic.Of(kind))
			}
			for _, it := range items {
				seen[fmt.Sprintf("%s %s", j, it.Kind)]++
			}
		}
	}
	// The rare jurisdictions' figures are not empty: the letter before
	// claim's response is overdue, the UT application is a late appeal.
	for _, k := range []string{"admin-court-jr overdue", "ut-iac-jr late-appeal", "ftt-tax late-appeal", "ftt-tax overdue", " late-appeal"} {
		if seen[k] == 0 {
			t.Errorf("no %s item (items by scope and kind: %v)", k, seen)
		}
	}
	if seen[" late-appeal"] != seen["ftt-tax late-appeal"]+seen["ut-iac-jr late-appeal"] {
		t.Errorf("late appeals: all %d, tax %d, UT %d", seen[" late-appeal"], seen["ftt-tax late-appeal"], seen["ut-iac-jr late-appeal"])
	}
}
