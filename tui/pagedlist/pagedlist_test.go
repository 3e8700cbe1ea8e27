package pagedlist

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/theme"
)

func down() tea.KeyPressMsg { return tea.KeyPressMsg{Code: 'j', Text: "j"} }

func TestPagesFetchAheadAndTheRealEnd(t *testing.T) {
	km := keys.DefaultKeyMap()
	l := New[int](&km, 10)
	l.SetHeight(3)
	gen, off := l.Next()
	if !l.Page(gen, off, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Fatal("first page dropped")
	}
	if got := l.Position(); got != "1 of 10+" {
		t.Errorf("position %q: a full page may have more after it", got)
	}
	var next bool
	for i := 0; i < 9 && !next; i++ {
		_, next = l.Update(down())
	}
	// Less than two screens (6 rows) from the end of the 10 held: the
	// cursor on index 5 fetches the next page.
	if !next || l.Cursor() != 5 {
		t.Fatalf("fetch-ahead at cursor %d, want 5", l.Cursor())
	}
	gen, off = l.Next()
	if _, again := l.Update(down()); again {
		t.Error("a second fetch while one is on its way")
	}
	l.Page(gen, off, []int{10, 11})
	if got := l.Position(); got != "7 of 12" {
		t.Errorf("position %q: a short page is the real end", got)
	}
	if from, to := l.Visible(); to-from != 3 || l.Cursor() < from || l.Cursor() >= to {
		t.Errorf("visible %d-%d does not hold cursor %d", from, to, l.Cursor())
	}
}

func TestStalePageIsDropped(t *testing.T) {
	km := keys.DefaultKeyMap()
	l := New[string](&km, 2)
	gen, off := l.Next()
	l.Reset() // the query changed
	if l.Page(gen, off, []string{"old"}) || l.Len() != 0 {
		t.Error("a page of the old query was kept")
	}
	if l.Failed(gen) {
		t.Error("a stale failure was taken")
	}
}

func TestRemoveKeepsTheCursorOnARow(t *testing.T) {
	km := keys.DefaultKeyMap()
	l := New[int](&km, 0)
	gen, off := l.Next()
	l.Page(gen, off, []int{1, 2})
	l.Move(1)
	l.Remove()
	if v, ok := l.Current(); !ok || v != 1 {
		t.Errorf("after removing the last row: %v %v", v, ok)
	}
	l.Remove()
	if _, ok := l.Current(); ok || l.Position() != "none" {
		t.Error("an empty list has a current row")
	}
	l.Move(1) // a key on an empty list is harmless
}

func TestThousandsHeaderAndRowsFitExactly(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1966: "1,966", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
	st := theme.New(true, false, true)
	// The position is kept whole at the right; the columns are cut.
	if got := Header(&st, "reference received appellant", "12 of 1,966", 30); sanitize.Width(got) != 30 ||
		!strings.HasPrefix(got, "reference rec") || !strings.HasSuffix(got, "…  12 of 1,966") {
		t.Errorf("header %q", got)
	}
	if got := Header(&st, "a", "12 of 1,966", 30); sanitize.Width(got) != 30 || !strings.HasSuffix(got, "12 of 1,966") {
		t.Errorf("header %q", got)
	}
	// A selected row is padded to the width, not cut with a stray "…".
	if got := Row(&st, true, "TC/2026/05002 Sample", 40); strings.Contains(got, "…") || sanitize.Width(got) != 40 {
		t.Errorf("selected row %q", got)
	}
	if got := Row(&st, false, strings.Repeat("x", 50), 40); !strings.HasSuffix(got, "…") || sanitize.Width(got) != 40 {
		t.Errorf("a row too long is cut: %q", got)
	}
}
