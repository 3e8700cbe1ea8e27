package due

import (
	"context"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

func TestDeadlinesWithTheirRulesAndOpen(t *testing.T) {
	st := uitest.Store(t, uitest.AllocatedSample)
	// Received Mon 21 Sep, allocated Tue 22 Sep 2026 + 60 days = Sat 21 Nov -> Mon 23 Nov 2026 (r25(1)(b), r12).
	if _, err := st.Categorise(context.Background(), "TC/2026/05002", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: uitest.Today.AddDays(-55)}}); err != nil {
		t.Fatal(err)
	}
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(100, 10)
	for _, msg := range uitest.Run(d, m.Shown()) {
		m, _ = m.Update(msg)
	}
	v := m.View()
	if !strings.Contains(v, "Mon 23 Nov 2026") || !strings.Contains(v, "in 7 days") || !strings.Contains(v, "r25(1)(b)") {
		t.Errorf("due:\n%s", v)
	}
	if got := strings.Count(v, "\n") + 1; got != 10 {
		t.Errorf("%d lines", got)
	}
	_, cmd := m.Update(uitest.Key("enter"))
	if o, ok := uitest.Find[screen.OpenCase](uitest.Run(d, cmd)); !ok || o.Ref != "TC/2026/05002" {
		t.Errorf("enter: %+v", o)
	}
}
