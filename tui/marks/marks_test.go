package marks

import (
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

func TestSetKeepsTheOrderMarked(t *testing.T) {
	var s Set
	for _, ref := range []string{"TC/2026/00003", "TC/2026/00001", "TC/2026/00002"} {
		if !s.Toggle(ref, store.BulkTarget{Reference: ref}) {
			t.Fatalf("%s not marked", ref)
		}
	}
	if s.Toggle("TC/2026/00001", store.BulkTarget{}) || s.Has("TC/2026/00001") || s.Count() != "2 marked" {
		t.Fatalf("unmark: %+v", s)
	}
	got := ""
	for _, tg := range s.Targets() {
		got += tg.Reference + " "
	}
	if got != "TC/2026/00003 TC/2026/00002 " {
		t.Fatalf("order %q", got)
	}
	if Refs([]string{"A", "B", "C", "D", "E"}) != "A, B, C and 2 more" {
		t.Errorf("refs: %s", Refs([]string{"A", "B", "C", "D", "E"}))
	}
	s.Clear()
	if s.Len() != 0 || s.Count() != "" {
		t.Fatal("clear")
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want store.BulkAction
		err  string
	}{
		{"flag Urgent", store.BulkAction{Kind: "flag", Flag: "urgent"}, ""},
		{"flag urgnt", store.BulkAction{}, `"urgnt" is not a flag`},
		{"refer judge common issue", store.BulkAction{Kind: "refer", To: "judge", Note: "common issue"}, ""},
		{"refer judge", store.BulkAction{}, "needs a note"},
		{"refer clerk note", store.BulkAction{}, "refer to whom"},
		{"assign alice", store.BulkAction{Kind: "assign", To: "alice"}, ""},
		{"assign alice bob", store.BulkAction{}, "one user name"},
		{"allocate complex large sum", store.BulkAction{Kind: "allocate", Track: domain.Complex, Why: "large sum"}, ""},
		{"allocate sideways", store.BulkAction{}, "not a track"},
		{"dispose decided", store.BulkAction{}, "not a bulk action"},
	} {
		got, err := Parse(strings.Fields(tc.in))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v %v, want %+v", tc.in, got, err, tc.want)
		}
	}
}
