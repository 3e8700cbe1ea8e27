package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestCasesByAppellantInOneOrder: the Cases screen sorted by appellant is
// in SQLite's NOCASE order on both databases: ASCII letters folded, then
// byte by byte. Worked out by hand: "Davies" < "de Souza" (a < e once D/d
// fold); "O'Neill" < "Oakes" (' is 0x27, before a); "Zoe Adams" < "Zoë"
// (space 0x20 before ë's first byte 0xC3); "Ó Súilleabháin" last (0xC3
// after every ASCII letter). PostgreSQL's ICU collation put Ó with O and
// Zoë before Zoe Adams.
func TestCasesByAppellantInOneOrder(t *testing.T) {
	s := open(t)
	names := []string{"Zoë", "Ó Súilleabháin", "Oakes", "de Souza", "O'Neill", "Zoe Adams", "Davies"}
	var b strings.Builder
	b.WriteString("reference,received,decision_date,appellant,subject,amount,grounds\n")
	for i, n := range names {
		fmt.Fprintf(&b, "TC/2026/%05d,2026-11-0%d,2026-11-01,%s,vat,100,Grounds.\n", 7001+i, i+2, n)
	}
	if _, err := s.Import(ctx, []string{write(t, "names.csv", b.String())}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	want := []string{"Davies", "de Souza", "O'Neill", "Oakes", "Zoe Adams", "Zoë", "Ó Súilleabháin"}
	rows, err := s.Cases(ctx, CaseFilter{Sort: "appellant"}, 0, 20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Appellant)
	}
	if !slices.Equal(got, want) {
		t.Errorf("by appellant: %q, want %q", got, want)
	}
	// The end of the list (G), read through the reversed order, agrees.
	last, err := s.CasesBack(ctx, CaseFilter{Sort: "appellant"}, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(last) != 2 || last[0].Appellant != "Zoë" || last[1].Appellant != "Ó Súilleabháin" {
		t.Errorf("from the end: %+v", last)
	}
}
