package due

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/marks"
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

// Space marks a deadline and moves on; the marked rows are drawn with *
// and counted; z snoozes every marked deadline's inbox item in one batch,
// and a date it cannot read changes nothing.
func TestMarkDeadlinesAndSnoozeThemTogether(t *testing.T) {
	st := uitest.Store(t, uitest.AllocatedSample)
	ctx := context.Background()
	for _, ref := range []string{"TC/2026/05002", "TC/2026/05001"} {
		if _, err := st.Categorise(ctx, ref, domain.Basic, store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: uitest.Today}}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Record(ctx, ref, domain.Event{Kind: domain.EventDirection, On: uitest.Today, User: "t",
			Data: domain.EventData{Text: "send the documents", Party: "respondent", Due: uitest.Today.AddDays(2)}}); err != nil {
			t.Fatal(err)
		}
	}
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(120, 10)
	for _, msg := range uitest.Run(d, m.Shown()) {
		m, _ = m.Update(msg)
	}
	press := func(k string) []tea.Msg {
		var cmd tea.Cmd
		m, cmd = m.Update(uitest.Key(k))
		return uitest.Run(d, cmd)
	}
	press("space")
	press("space")
	if m.Marks().Len() != 2 || !strings.Contains(m.View(), "2 marked") || strings.Count(m.View(), "*·") != 2 {
		t.Fatalf("two marked:\n%s", m.View())
	}
	press("k")
	if s, _ := uitest.Find[screen.Status](press("space")); !strings.Contains(s.Text, "unmarked · 1 marked") {
		t.Fatalf("unmark: %+v", s)
	}
	press("k")
	press("space")
	ask, ok := uitest.Find[screen.Ask](press("z"))
	if !ok || ask.Label != "Snooze the 2 marked until: " {
		t.Fatalf("z: %+v", ask)
	}
	if s, _ := uitest.Find[screen.Status](uitest.Run(d, ask.Submit("2026/11/20"))); !strings.HasPrefix(s.Text, "Nothing snoozed (2 marked)") {
		t.Fatalf("a wrong date: %+v", s)
	}
	why, _ := uitest.Find[screen.Ask](uitest.Run(d, ask.Submit("friday")))
	// Today is Mon 16 Nov 2026: friday is Fri 20 Nov 2026.
	if why.Label != "Why snooze the 2 marked until Fri 20 Nov 2026? " {
		t.Fatalf("why: %+v", why)
	}
	acted, ok := uitest.Find[marks.Acted](uitest.Run(d, why.Submit("")))
	if !ok || acted.Err != nil || len(acted.Batch.References) != 2 {
		t.Fatalf("snooze: %+v", acted)
	}
	items, _ := st.Inbox(ctx, uitest.Today, 50)
	for _, it := range items {
		if strings.HasPrefix(it.Key, "deadline:") {
			t.Errorf("%s still in the inbox after the bulk snooze", it.Key)
		}
	}
}
