package inbox

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

func TestSnoozeNamesTheItemAndAWrongDateChangesNothing(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(80, 20)
	for _, msg := range uitest.Run(d, m.Load()) {
		m, _ = m.Update(msg)
	}
	if m.list.Len() == 0 {
		t.Fatal("empty inbox")
	}
	_, cmd := m.Update(uitest.Key("z"))
	ask, ok := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if !ok || !strings.Contains(ask.Label, "TC/2026/05002") {
		t.Fatalf("question %+v", ask)
	}
	msgs := uitest.Run(d, ask.Submit("31/13/2026"))
	if s, ok := uitest.Find[screen.Status](msgs); !ok || !strings.HasPrefix(s.Text, "Not snoozed") {
		t.Errorf("a wrong date: %+v", msgs)
	}
	if _, ok := uitest.Find[screen.Acted](msgs); ok {
		t.Error("a wrong date wrote something")
	}
}

func loaded(t *testing.T) (*store.Store, screen.Deps, Model) {
	t.Helper()
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(100, 20)
	for _, msg := range uitest.Run(d, m.Load()) {
		m, _ = m.Update(msg)
	}
	if m.list.Len() == 0 {
		t.Fatal("empty inbox")
	}
	return st, d, m
}

// feed hands every message back to the inbox, as the root would, and
// returns what was left for the root (statuses, questions, writes).
func feed(t *testing.T, d screen.Deps, m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	t.Helper()
	var up []tea.Msg
	for _, msg := range uitest.Run(d, cmd) {
		switch msg.(type) {
		case pagedlist.PageMsg[store.InboxItem], pagedlist.PageMsg[store.Snoozed]:
			m, _ = m.Update(msg)
		default:
			up = append(up, msg)
		}
	}
	return m, up
}

func TestSnoozeFieldIsEmptyWithAHintAndRefusesWhatItCannotRead(t *testing.T) {
	_, d, m := loaded(t)
	it, _ := m.list.Current()
	_, cmd := m.Update(uitest.Key("z"))
	ask, ok := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if !ok || ask.Value != "" || !strings.Contains(ask.Placeholder, "3wd") || !strings.Contains(ask.Label, it.Reference) {
		t.Fatalf("question %+v: want an empty field with a hint naming %s", ask, it.Reference)
	}
	for in, says := range map[string]string{
		"":             "give a date or a number of days",
		"next week":    "not a date or a number of days",
		"+115/12/2026": "day 115 does not exist",
		"3":            "3wd",
		"2059-11-16":   "more than a year ahead",
	} {
		msgs := uitest.Run(d, ask.Submit(in))
		s, ok := uitest.Find[screen.Status](msgs)
		if !ok || !strings.HasPrefix(s.Text, "Not snoozed: "+it.Reference) || !strings.Contains(s.Text, says) {
			t.Errorf("%q: %+v, want the reason (%s)", in, msgs, says)
		}
		if _, ok := uitest.Find[screen.Ask](msgs); ok {
			t.Errorf("%q: went on to ask why", in)
		}
	}
}

func TestSnoozeWithADateRecordsWhyAndUndoBringsItBack(t *testing.T) {
	st, d, m := loaded(t)
	it, _ := m.list.Current()
	_, cmd := m.Update(uitest.Key("z"))
	ask, _ := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	why, ok := uitest.Find[screen.Ask](uitest.Run(d, ask.Submit("friday")))
	if !ok || !strings.Contains(why.Label, "until Fri 20 Nov 2026") {
		t.Fatalf("friday from Mon 16 Nov: %+v", why)
	}
	acted, ok := uitest.Find[screen.Acted](uitest.Run(d, why.Submit("waiting for HMRC")))
	if !ok || acted.Err != nil || !strings.Contains(acted.What, it.Reference+": snoozed until Fri 20 Nov 2026") {
		t.Fatalf("write: %+v", acted)
	}
	c, _ := st.Case(context.Background(), it.Reference)
	if e := c.Events[len(c.Events)-1]; e.Kind != domain.EventSnoozed || e.User != "tester" || e.Data.Reason != "waiting for HMRC" {
		t.Fatalf("timeline: %+v", e)
	}
	m, _ = feed(t, d, m, m.Load())
	for _, r := range m.list.Rows() {
		if r.Key == it.Key {
			t.Fatal("snoozed item still in the inbox")
		}
	}

	// Z: the snoozed view lists it, who and why; u brings it back.
	m, cmd = m.Update(uitest.Key("Z"))
	m, _ = feed(t, d, m, cmd)
	if !m.InSnoozed() || m.snoozedList.Len() != 1 {
		t.Fatalf("snoozed view: %d rows", m.snoozedList.Len())
	}
	v := m.View()
	for _, want := range []string{it.Reference, "until Fri 20 Nov 2026 by tester: waiting for HMRC", "u undoes"} {
		if !strings.Contains(v, want) {
			t.Errorf("snoozed view lacks %q:\n%s", want, v)
		}
	}
	if ref, _ := m.Selected(); ref != it.Reference {
		t.Errorf("selected %q", ref)
	}
	m, cmd = m.Update(uitest.Key("u"))
	acted, ok = uitest.Find[screen.Acted](uitest.Run(d, cmd))
	if !ok || acted.Err != nil || !strings.Contains(acted.What, it.Reference+": snooze until Fri 20 Nov 2026 undone") {
		t.Fatalf("undo: %+v", acted)
	}
	c, _ = st.Case(context.Background(), it.Reference)
	if e := c.Events[len(c.Events)-1]; e.Kind != domain.EventSnoozeUndone {
		t.Fatalf("no compensating event: %+v", e)
	}
	// u on the now empty view changes nothing and says so.
	m, _ = feed(t, d, m, m.Load())
	_, cmd = m.Update(uitest.Key("u"))
	if s, ok := uitest.Find[screen.Status](uitest.Run(d, cmd)); !ok || s.Text != "Nothing is snoozed" {
		t.Errorf("u on an empty view: %+v", s)
	}
	m, cmd = m.Update(uitest.Key("esc"))
	m, _ = feed(t, d, m, cmd)
	if m.InSnoozed() {
		t.Fatal("esc did not leave the snoozed view")
	}
	found := false
	for _, r := range m.list.Rows() {
		found = found || r.Key == it.Key
	}
	if !found {
		t.Error("undone snooze: the item is not back in the inbox")
	}
}
