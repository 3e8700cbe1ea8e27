package due

import (
	"context"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/uitest"
)

// The Due list shows the header's seven days, says so, and the range key
// cycles 7, 14, 28 days and every open deadline, the position the store's
// count of what is shown.
func TestRangeIsLabelledAndCycles(t *testing.T) {
	st := uitest.Store(t, uitest.AllocatedSample)
	// Allocated Tue 22 Sep 2026: statement of case due Mon 23 Nov 2026
	// (r25(1)(b)), 13 days after the date the screen is run on.
	if _, err := st.Categorise(context.Background(), "TC/2026/05002", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: uitest.Today.AddDays(-55)}}); err != nil {
		t.Fatal(err)
	}
	d := uitest.Deps(t, st, nil)
	d.Today = domain.MustDate("2026-11-10") // 13 days before it is due
	m := New(d, st)
	m.SetSize(100, 10)
	run := func(k string) {
		t.Helper()
		mm, cmd := m.Update(uitest.Key(k))
		m = mm
		for _, msg := range uitest.Run(d, cmd) {
			m, _ = m.Update(msg)
		}
	}
	for _, msg := range uitest.Run(d, m.Shown()) {
		m, _ = m.Update(msg)
	}
	if v := m.View(); !strings.Contains(v, "overdue and due by Tue 17 Nov 2026 (7 days)") || !strings.Contains(v, "Nothing overdue or due in the next 7 days. r looks further.") {
		t.Errorf("7 days:\n%s", v)
	}
	run("G") // on an empty list: nothing moves, nothing breaks
	run("r")
	if v := m.View(); m.Within() != 14 || !strings.Contains(v, "overdue and due by Tue 24 Nov 2026 (14 days)") ||
		!strings.Contains(v, "1 of 1") || !strings.Contains(v, "Sample Trading Ltd") || !strings.Contains(v, "appellant") {
		t.Errorf("14 days:\n%s", v)
	}
	run("r")
	run("r")
	if v := m.View(); m.Within() != -1 || !strings.Contains(v, "every open deadline") {
		t.Errorf("all:\n%s", v)
	}
	run("r")
	if m.Within() != 7 {
		t.Errorf("range after a full cycle: %d", m.Within())
	}
}
