package store

import (
	"fmt"
	"strings"
	"testing"
)

// TestFindWalkOrIndexSameAnswer: on PostgreSQL a lookup walks the newest
// entries first and asks the GIN index when they hold less than a page
// (lookupWalk). Whatever the size of the walk (none of the matches in it,
// some, a page), every query gives the same cases in the same order:
// common and rare words, two words, qualifiers, filters on the case rows.
func TestFindWalkOrIndexSameAnswer(t *testing.T) {
	s := open(t)
	var csv strings.Builder
	csv.WriteString("reference,received,decision_date,appellant,representative,respondent,subject,amount,grounds,hmrc_reference,late_reason\n")
	names := []string{"Smith", "Smithers", "Carter", "Lowe", "Okafor", "Northgate", "Jones", "Müller"}
	subjects := []string{"vat", "corporation-tax", "late-filing-penalty"}
	for i := range 60 {
		// Smith on every other case, Carter Lowe on a few, Müller on one.
		appellant := names[i%len(names)] + " " + names[(i*3+1)%len(names)]
		if i%2 == 0 {
			appellant = "Smith " + appellant
		}
		rep := ""
		if i%5 == 0 {
			rep = "Northgate Advisers"
		}
		decided := fmt.Sprintf("2026-%02d-%02d", 1+i%10, 1+i%27)
		fmt.Fprintf(&csv, "TC/2026/%05d,2026-11-%02d,%s,%s,%s,HMRC,%s,100,Grounds %d about loss relief.,V-%d,Reasons.\n",
			7000+i, 1+i%15, decided, appellant, rep, subjects[i%len(subjects)], i, i)
	}
	if r, err := s.Import(ctx, []string{write(t, "many.csv", csv.String())}, ImportOptions{ActOptions: act()}); err != nil || r.Imported != 60 {
		t.Fatalf("import: %+v %v", r, err)
	}
	queries := []string{"sm", "smith", "smithers", "carter lowe", "lowe car", "okafor", "muller", "MÜL", "northgate",
		"loss relief", "grounds 4", "tc", "2026", "smith subject:vat", "carter status:new", "jones rep:northgate",
		"smith late:yes", "smith received:<2026-11-05", `"smith`, "smith (", "zzz", "v 1"}
	defer func(w int) { lookupWalk = w }(lookupWalk)
	for _, limit := range []int{5, 50} {
		for _, q := range queries {
			search, err := ParseSearch(q)
			if err != nil {
				t.Fatal(err)
			}
			var first string
			for _, walk := range []int{100000, 1, 7, 30} {
				lookupWalk = walk
				got, err := s.Find(ctx, search, limit)
				if err != nil {
					t.Fatalf("%q walking %d: %v", q, walk, err)
				}
				var refs []string
				for _, r := range got {
					refs = append(refs, r.Reference)
				}
				if walk == 100000 {
					first = strings.Join(refs, " ")
					if q != "zzz" && len(got) == 0 {
						t.Errorf("%q found nothing", q)
					}
					continue
				}
				if strings.Join(refs, " ") != first {
					t.Errorf("%q limit %d walking %d: %v; walking them all: %s", q, limit, walk, refs, first)
				}
			}
		}
	}
}
