package store

import (
	"fmt"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

// TestFindBoundedSameAsPlain: on PostgreSQL a lookup walks the newest
// entries first (lookupWalk), then counts each word in the newest
// (lookupSample) and asks the GIN index for the rare ones, or else runs
// the planner's one statement (plainLookupJoin). Whatever the sizes, so
// that each of those paths answers, every query gives the cases the
// plain statement gives, in its order: common and rare words, short
// prefixes, two and three words, accents, qualifiers held by the index
// and filters on the case rows, punctuation. On SQLite there is one path
// and the test shows Find answers as it did.
func TestFindBoundedSameAsPlain(t *testing.T) {
	s := open(t)
	var csv strings.Builder
	csv.WriteString("reference,received,decision_date,appellant,representative,respondent,subject,amount,grounds,hmrc_reference,late_reason\n")
	names := []string{"Smith", "Smithers", "Carter", "Lowe", "Okafor", "Northgate", "Jones", "Müller", "Lomax", "Reid"}
	subjects := []string{"vat", "corporation-tax", "late-filing-penalty"}
	const cases = 240
	for i := range cases {
		// Smith on every other case, the other names in turn, Müller
		// and Reid rarer, the newest cases without Carter.
		appellant := names[i%8] + " " + names[(i*3+1)%8]
		if i%2 == 0 {
			appellant = "Smith " + appellant
		}
		if i%37 == 0 {
			appellant += " " + names[8+i%2] + " O'Brien"
		}
		if i > 200 {
			appellant = strings.ReplaceAll(appellant, "Carter", "Cartwright")
		}
		rep := ""
		if i%5 == 0 {
			rep = "Northgate Advisers"
		}
		grounds := fmt.Sprintf("Grounds %d about the penalty.", i)
		if i%41 == 0 {
			grounds = fmt.Sprintf("Grounds %d about loss relief on a film.", i)
		}
		fmt.Fprintf(&csv, "TC/2026/%05d,2026-%02d-%02d,2025-12-01,%s,%s,HMRC,%s,100,%s,V-%d,Reasons.\n",
			7000+i, 1+i/24, 1+i%24, appellant, rep, subjects[i%len(subjects)], grounds, i)
	}
	if r, err := s.Import(ctx, []string{write(t, "many.csv", csv.String())}, ImportOptions{ActOptions: act()}); err != nil || r.Imported != cases {
		t.Fatalf("import: %d imported, %v %v", r.Imported, r.Problems[:min(len(r.Problems), 2)], err)
	}
	// The oldest cases tracked, as a caseload's are: the newest have none.
	for i := range 60 {
		track := []domain.Track{domain.Basic, domain.Standard, domain.Complex}[i%3]
		if _, err := s.Categorise(ctx, fmt.Sprintf("TC/2026/%05d", 7000+i), track, CategoriseOptions{ActOptions: act()}); err != nil {
			t.Fatal(err)
		}
	}
	queries := []string{"sm", "smith", "smithers", "s", "carter", "carter lo", "carter lowe", "lowe car", "okafor", "muller", "MÜL",
		"northgate", "reid", "lomax smith", "loss", "loss relief", "loss relief fi", "loss re", "grounds 4", "2026", "v 1",
		"track:basic jones", "track:basic j", "track:complex sm", "smith subject:vat", "carter status:new", "jones rep:northgate",
		"smith late:yes", "smith received:<2026-05-05", `"smith`, "smith (", "zzz", "zzz smith", "o'brien"}
	defer func(w, n int, p bool) { lookupWalk, lookupSample, lookupPlain = w, n, p }(lookupWalk, lookupSample, lookupPlain)
	for _, limit := range []int{5, 50} {
		for _, q := range queries {
			search, err := ParseSearch(q)
			if err != nil {
				t.Fatal(err)
			}
			lookupPlain = true
			want, err := s.Find(ctx, search, limit)
			if err != nil {
				t.Fatalf("%q plain: %v", q, err)
			}
			lookupPlain = false
			if !strings.HasPrefix(q, "zzz") && len(want) == 0 {
				t.Errorf("%q found nothing", q)
			}
			for _, sizes := range [][2]int{{100000, 100000}, {1, 0}, {3, 100000}, {7, 1}, {30, 10}, {0, 0}, {60, 240}} {
				lookupWalk, lookupSample = sizes[0], sizes[1]
				got, err := s.Find(ctx, search, limit)
				if err != nil {
					t.Fatalf("%q walking %d, sampling %d: %v", q, sizes[0], sizes[1], err)
				}
				if lookupRefs(got) != lookupRefs(want) {
					t.Errorf("%q limit %d walking %d, sampling %d: %s; the plain statement: %s", q, limit, sizes[0], sizes[1], lookupRefs(got), lookupRefs(want))
				}
			}
		}
	}
}

func lookupRefs(rows []CaseRow) string {
	var r []string
	for _, c := range rows {
		r = append(r, c.Reference)
	}
	return strings.Join(r, " ")
}
