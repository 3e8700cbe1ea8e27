package inbox

import (
	"context"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/uitest"
)

// The kind key cycles the inbox's views; each shows only its kind, the
// header counts every view as the store counts it, and a view with
// nothing in it says so (and survives movement keys).
func TestKindViewsWithTheirCounts(t *testing.T) {
	_, d, m, it := overdueInbox(t)
	press := func(k string) {
		t.Helper()
		mm, cmd := m.Update(uitest.Key(k))
		m, _ = feed(t, d, mm, cmd)
	}
	c := m.Counts()
	if c.Overdue != 1 || c.Queue != 1 {
		t.Fatalf("counts %+v: want the overdue statement of case and the queue", c)
	}
	if v := m.View(); !strings.Contains(v, "[all] · overdue 1 · due soon 0 · mail 0 · referrals 0 · queue 1") {
		t.Errorf("views line:\n%s", v)
	}
	press("f")
	if m.Kind() != "overdue" || m.list.Len() != 1 {
		t.Fatalf("overdue view: kind %q, %d items", m.Kind(), m.list.Len())
	}
	if got, _ := m.list.Current(); got.Key != it.Key || !strings.Contains(m.View(), "[overdue 1]") || !strings.Contains(m.View(), "1 of 1") {
		t.Errorf("overdue view:\n%s", m.View())
	}
	press("f") // due soon: nothing
	if v := m.View(); m.Kind() != "due" || !strings.Contains(v, "Nothing in due soon today. f shows the next kind.") {
		t.Errorf("an empty view:\n%s", v)
	}
	for _, k := range []string{"G", "g", "j", "k", "x", "z"} {
		press(k)
	}
	if ref, _ := m.Selected(); ref != "" {
		t.Errorf("an empty view selected %q", ref)
	}
	press("f")
	press("f")
	press("f") // queue
	if m.Kind() != "queue" || m.list.Len() != 1 {
		t.Fatalf("queue view: kind %q, %d items", m.Kind(), m.list.Len())
	}
	for _, r := range m.Rows() {
		if store.InboxKindOf(r.Kind) != "queue" {
			t.Errorf("queue view holds a %s item", r.Kind)
		}
	}
	press("f")
	press("f") // back to everything
	if m.Kind() != "" || m.list.Len() != 2 {
		t.Errorf("back to all: kind %q, %d items", m.Kind(), m.list.Len())
	}
}

// A snooze takes an item out of its view's count too.
func TestSnoozeLowersTheCount(t *testing.T) {
	st, d, m, it := overdueInbox(t)
	if err := st.Snooze(context.Background(), it, domain.MustDate("2026-12-02"), "phoned", store.ActOptions{User: "t", On: d.Today}); err != nil {
		t.Fatal(err)
	}
	m, _ = feed(t, d, m, m.Load())
	if c := m.Counts(); c.Overdue != 0 || !strings.Contains(m.View(), "overdue 0") {
		t.Errorf("after a snooze: %+v\n%s", c, m.View())
	}
}

// At 80 columns the inbox keeps the appellant; at 60 the reference is as
// wide as the references shown.
func TestNarrowInboxKeepsWhatIdentifiesARow(t *testing.T) {
	_, _, m, _ := overdueInbox(t)
	m.SetSize(80, 20)
	if v := m.View(); !strings.Contains(v, "TC/2026/05002 Sample Trading Ltd") {
		t.Errorf("80 columns:\n%s", v)
	}
	m.SetSize(60, 20)
	if v := m.View(); !strings.Contains(v, "TC/2026/05002 statement of case overdue") {
		t.Errorf("60 columns:\n%s", v)
	}
}
