package store

import (
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

// findRefs is Find's references for what was typed, in order.
func findRefs(t *testing.T, s *Store, typed string) string {
	t.Helper()
	q, err := ParseSearch(typed)
	if err != nil {
		t.Fatalf("%q: %v", typed, err)
	}
	rows, err := s.Find(ctx, q, 10)
	if err != nil {
		t.Fatalf("find %q: %v", typed, err)
	}
	var refs []string
	for _, r := range rows {
		refs = append(refs, r.Reference)
	}
	return strings.Join(refs, ",")
}

// The qualifiers a lookup filters on are terms of the lookup index, so
// they must follow the case in the transaction that changes it: allocated,
// its track and status are found; undone, they are gone again. The
// qualifier names typed as words (or the terms themselves, their
// private-use mark and all) find nothing of the terms.
func TestFindQualifiersFollowTheCase(t *testing.T) {
	s := imported(t)
	for typed, want := range map[string]string{
		"2026 status:new":              "TC/2026/05003,TC/2026/05002,TC/2026/05001",
		"2026 subject:vat":             "TC/2026/05002",
		"hold subject:corporation-tax": "TC/2026/05003",
		"2026 track:standard":          "",
		"status":                       "",
		"subjectvat":                   "",
		"\ue000statusnew":              "", // the term itself, typed
		"jurisdiction":                 "",
		"2026 status:new subject:late-filing-penalty": "TC/2026/05001",
	} {
		if got := findRefs(t, s, typed); got != want {
			t.Errorf("find %q = %v, want %v", typed, got, want)
		}
	}
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	for typed, want := range map[string]string{
		"2026 status:new":                "TC/2026/05003,TC/2026/05001",
		"2026 status:allocated":          "TC/2026/05002",
		"sample track:standard":          "TC/2026/05002",
		"sample track:basic":             "",
		"2026 track:standard status:new": "",
	} {
		if got := findRefs(t, s, typed); got != want {
			t.Errorf("allocated: find %q = %v, want %v", typed, got, want)
		}
	}
	mustCheck(t, s)
	// A note (the index entry rewritten around it) keeps the terms.
	if _, err := s.AddNote(ctx, "TC/2026/05002", "zebra crossing", act()); err != nil {
		t.Fatal(err)
	}
	if got := findRefs(t, s, "zebra track:standard"); got != "TC/2026/05002" {
		t.Errorf("after a note: %v", got)
	}
	mustCheck(t, s)
	for range 2 { // the note, then the allocation
		if _, err := s.Undo(ctx, "TC/2026/05002", act()); err != nil {
			t.Fatal(err)
		}
	}
	for typed, want := range map[string]string{
		"2026 status:new":       "TC/2026/05003,TC/2026/05002,TC/2026/05001",
		"sample track:standard": "",
		"zebra":                 "",
	} {
		if got := findRefs(t, s, typed); got != want {
			t.Errorf("undone: find %q = %v, want %v", typed, got, want)
		}
	}
	mustCheck(t, s)
}

// check finds a case whose qualifier terms in the index are not its row's.
func TestCheckFindsStaleLookupTerms(t *testing.T) {
	s := imported(t)
	// The subject changed behind the store's back: the index still says vat.
	if _, err := s.db.Exec("UPDATE cases SET subject = 'income-tax' WHERE reference = 'TC/2026/05002'"); err != nil {
		t.Fatal(err)
	}
	probs, _, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range probs {
		found = found || p.Reference == "TC/2026/05002" && strings.Contains(p.Problem, "lookup index")
	}
	if !found {
		t.Errorf("check: %+v", probs)
	}
}

// lookupTags (written by the import from Go values) and lookupTagsOf (the
// SQL the migration, refresh and the bulk import write with) agree.
func TestLookupTagsSameInGoAndSQL(t *testing.T) {
	s := open(t)
	for _, c := range [][4]string{{"", "new", "vat", "ftt-tax"}, {"pre-action", "allocated", "planning-jr", "admin-court-jr"}} {
		var track any
		if c[0] != "" {
			track = c[0]
		}
		var got string
		if err := s.db.QueryRow("SELECT "+lookupTagsOf("CAST(? AS TEXT)", "CAST(? AS TEXT)", "CAST(? AS TEXT)", "CAST(? AS TEXT)"),
			track, c[1], c[2], c[3]).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := lookupTags(c[0], c[1], c[2], c[3]); got != want {
			t.Errorf("%v: SQL %q, Go %q", c, got, want)
		}
	}
}
