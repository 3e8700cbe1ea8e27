package cases

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/synthetic"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/uitest"
)

// bigStore is a real caseload of more cases than a few pages hold.
func bigStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := synthetic.Generate(context.Background(), st, synthetic.Options{Cases: 1234, Seed: 3, Today: uitest.Today}); err != nil {
		t.Fatal(err)
	}
	return st
}

func press(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		mm, cmd := m.Update(uitest.Key(k))
		m, _ = feed(m.d, mm, cmd)
	}
	return m
}

// G goes to the real end of the list, read from the end of its index,
// without the pages between; moving up reads the page before; g goes
// back to the start. The position is the store's exact count, with a
// thousands separator, throughout.
func TestEndAndStartOfAListPagedFromTheStore(t *testing.T) {
	st := bigStore(t)
	ctx := context.Background()
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(80, 12)
	m, _ = feed(d, m, m.Shown())
	n, _ := st.CaseCount(ctx, store.CaseFilter{})
	total := pagedlist.Thousands(n)
	if n < 1000 || !strings.Contains(m.View(), "1 of "+total) {
		t.Fatalf("count %d, view:\n%s", n, m.View())
	}
	m = press(t, m, "G")
	last, _ := st.Cases(ctx, store.CaseFilter{}, n-1, 1)
	if ref, _ := m.Selected(); ref != last[0].Reference {
		t.Errorf("G selected %s, the last case is %s", ref, last[0].Reference)
	}
	if v := m.View(); !strings.Contains(v, total+" of "+total) || !strings.Contains(v, last[0].Reference) {
		t.Errorf("after G:\n%s", v)
	}
	if m.list.Len() > PageSize {
		t.Errorf("G held %d rows: the list was read through, not from its end", m.list.Len())
	}
	// Up past the rows held: the page before is read, and the rows are
	// the store's, in order.
	for range PageSize + 5 {
		m = press(t, m, "k")
	}
	i := n - 1 - PageSize - 5
	want, _ := st.Cases(ctx, store.CaseFilter{}, i, 1)
	if ref, _ := m.Selected(); ref != want[0].Reference || m.list.Index() != i {
		t.Errorf("after %d up: %s at %d, want %s at %d", PageSize+5, ref, m.list.Index(), want[0].Reference, i)
	}
	if !strings.Contains(m.View(), pagedlist.Thousands(i+1)+" of "+total) {
		t.Errorf("position after moving up:\n%s", m.View())
	}
	m = press(t, m, "g")
	first, _ := st.Cases(ctx, store.CaseFilter{}, 0, 1)
	if ref, _ := m.Selected(); ref != first[0].Reference || !strings.Contains(m.View(), "1 of "+total) {
		t.Errorf("g selected %s, want %s:\n%s", ref, first[0].Reference, m.View())
	}
	// Sorted by reference (o cycles newest, oldest, reference): G is the
	// highest reference.
	m = press(t, m, "o", "o", "G")
	byRef, _ := st.Cases(ctx, store.CaseFilter{Sort: "reference"}, n-1, 1)
	if ref, _ := m.Selected(); ref != byRef[0].Reference || !strings.Contains(m.View(), "reference ▲") {
		t.Errorf("sorted by reference, G selected %s, want %s:\n%s", ref, byRef[0].Reference, m.View())
	}
	// The old cases have their own count and end.
	m = press(t, m, "v", "G")
	on, _ := st.OldCaseCount(ctx, uitest.Today)
	if on == 0 || !strings.Contains(m.View(), pagedlist.Thousands(on)+" of "+pagedlist.Thousands(on)) {
		t.Errorf("old cases (%d), G:\n%s", on, m.View())
	}
}

// A filter nothing matches says so, and every movement key on the empty
// list is harmless.
func TestMovingAnEmptyListIsHarmless(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(60, 12)
	m, _ = feed(d, m, m.Shown())
	for m.Filter().Status != domain.StatusClosed {
		m = press(t, m, "t")
	}
	m = press(t, m, "G", "g", "j", "k", "G")
	if v := m.View(); !strings.Contains(v, "No cases match.") || strings.Contains(v, " of ") {
		t.Errorf("empty list:\n%s", v)
	}
	if ref, _ := m.Selected(); ref != "" {
		t.Errorf("a case selected on an empty list: %s", ref)
	}
}

// At 60 columns the reference column is as wide as the references shown,
// not the widest reference of every pack, so names are not cut for it.
func TestTheReferenceTakesItsRealWidth(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil) // RefWidth 19, as with every pack loaded
	m := New(d, st)
	m.SetSize(60, 12)
	m, _ = feed(d, m, m.Shown())
	v := m.View()
	if !strings.Contains(v, "TC/2026/05001 09/11/2026") || !strings.Contains(v, "Example Person") {
		t.Errorf("at 60 columns:\n%s", v)
	}
}
