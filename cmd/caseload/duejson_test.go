package main

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// due --json's fields are a public interface: the hand-written encoder
// must give printJSON's bytes exactly, for every kind of text a case holds.
func TestDueJSONAsPrintJSON(t *testing.T) {
	day, _ := domain.ParseDate("2026-11-23")
	texts := []string{
		"", "Daniel Thompson", "Smith Evans & Co", `a "quoted" \ name`, "<b>x</b>", "tab\there\nline\r",
		"Siân Llŷr", "Zoë & Siân", "line\u2028sep\u2029para", "bad \xff\xfe utf8", "bell\x07 esc\x1b[31m",
		"right\u202eto left", "zero\u200bwidth", "emoji 😀", "del\x7f", "\x00",
	}
	var many []store.DueItem
	for i := range 600 { // more than one 32 KiB flush
		s := texts[i%len(texts)]
		many = append(many, store.DueItem{Reference: fmt.Sprintf("TC/2026/%05d", i), Appellant: s, Kind: "hearing", Label: s + " label",
			Due: day.AddDays(i % 9), DaysLeft: i%9 - 3, Rule: "r" + s, Provisional: i%2 == 0, Track: domain.Track(texts[(i+3)%len(texts)])})
	}
	cases := map[string][]store.DueItem{
		"nil":     nil,
		"empty":   {},
		"one":     {{Reference: "TC/2026/00001", Appellant: "A", Kind: "k", Label: "l", Due: day, DaysLeft: 0, Rule: "r12", Track: "standard"}},
		"zero":    {{}},
		"many":    many,
		"unsafe":  {{Reference: "\u202e", Appellant: "\x1b]0;title\x07", Label: "\u2066x\u2069"}},
		"invalid": {{Appellant: "\xc3", Rule: "\xe2\x80"}},
	}
	for name, items := range cases {
		var want, got bytes.Buffer
		if err := printJSON(&want, items); err != nil {
			t.Fatal(err)
		}
		if err := printDueJSON(&got, items); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			w, g := want.Bytes(), got.Bytes()
			i := 0
			for i < len(w) && i < len(g) && w[i] == g[i] {
				i++
			}
			t.Errorf("%s: differs at byte %d:\nprintJSON    %q\nprintDueJSON %q", name, i, w[max(0, i-40):min(len(w), i+40)], g[max(0, i-40):min(len(g), i+40)])
		}
	}
}
