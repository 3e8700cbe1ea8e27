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

func TestMetKeyRecordsTheStepMeetingTheSelectedDeadline(t *testing.T) {
	st := uitest.Store(t, uitest.AllocatedSample)
	if _, err := st.Categorise(context.Background(), "TC/2026/05002", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: uitest.Today.AddDays(-55)}}); err != nil {
		t.Fatal(err)
	}
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(100, 10)
	for _, msg := range uitest.Run(d, m.Shown()) {
		m, _ = m.Update(msg)
	}
	_, cmd := m.Update(uitest.Key("X"))
	ask, ok := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if !ok || ask.Label != "TC/2026/05002: statement of case taken on: " || ask.Value != "" {
		t.Fatalf("X: %+v", ask)
	}
	if s, _ := uitest.Find[screen.Status](uitest.Run(d, ask.Submit("23/13/2026"))); !strings.HasPrefix(s.Text, "Not recorded: TC/2026/05002") {
		t.Errorf("a wrong date: %+v", s)
	}
	acted, ok := uitest.Find[screen.Acted](uitest.Run(d, ask.Submit("")))
	if !ok || acted.Err != nil || acted.What != "TC/2026/05002: statement of case recorded on Mon 16 Nov 2026: deadline met" {
		t.Fatalf("record: %+v", acted)
	}
	m = New(d, st)
	m.SetSize(100, 10)
	for _, msg := range uitest.Run(d, m.Shown()) {
		m, _ = m.Update(msg)
	}
	if strings.Contains(m.View(), "r25(1)(b)") {
		t.Errorf("the met deadline is still due:\n%s", m.View())
	}
	// X on an empty list says so.
	_, cmd = New(d, uitest.Store(t, "")).Update(uitest.Key("X"))
	if s, ok := uitest.Find[screen.Status](uitest.Run(d, cmd)); !ok || !strings.Contains(s.Text, "no deadline to meet") {
		t.Errorf("X on nothing: %+v", s)
	}
}
