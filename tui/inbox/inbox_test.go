package inbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/mailfile"
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
		case pagedlist.PageMsg[store.InboxItem], pagedlist.PageMsg[store.Snoozed], countsMsg:
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

// overdueInbox is AllocatedSample with TC/2026/05002 allocated on Tue 22
// Sep 2026 to standard, seen on Mon 30 Nov 2026: its statement of case was
// due Mon 23 Nov 2026 (60 days, Sat 21 Nov moved to Mon 23 Nov, r25(1)(b))
// and is 7 days overdue.
func overdueInbox(t *testing.T) (*store.Store, screen.Deps, Model, store.InboxItem) {
	t.Helper()
	st := uitest.Store(t, uitest.AllocatedSample)
	if _, err := st.Categorise(context.Background(), "TC/2026/05002", domain.Standard,
		store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: domain.MustDate("2026-09-22")}}); err != nil {
		t.Fatal(err)
	}
	d := uitest.Deps(t, st, nil)
	d.Today = domain.MustDate("2026-11-30")
	d.Act.On = d.Today
	m := New(d, st)
	m.SetSize(100, 20)
	m, _ = feed(t, d, m, m.Load())
	for m.list.Cursor() < m.list.Len()-1 {
		if it, _ := m.list.Current(); it.Kind == "overdue" && it.Reference == "TC/2026/05002" {
			break
		}
		m.list.Move(1)
	}
	it, _ := m.list.Current()
	if it.Kind != "overdue" || !strings.Contains(it.Reason, "statement of case overdue 7 days") {
		t.Fatalf("selected %+v", it)
	}
	return st, d, m, it
}

func choose(t *testing.T, d screen.Deps, cmd tea.Cmd, k string) screen.Ask {
	t.Helper()
	ask, ok := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if !ok || ask.Choose == nil || !strings.Contains(ask.Label, "s step taken · c chased · r referred") {
		t.Fatalf("done on a deadline: %+v", ask)
	}
	next, closed := ask.Choose(uitest.Key(k))
	q, ok := uitest.Find[screen.Ask](uitest.Run(d, next))
	if !closed || !ok {
		t.Fatalf("choice %s: %v %+v", k, closed, q)
	}
	return q
}

func lastEvents(t *testing.T, st *store.Store, ref string, n int) []domain.Event {
	t.Helper()
	c, err := st.Case(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return c.Events[len(c.Events)-n:]
}

func TestDoneOnAnOverdueDeadlineRecordsTheStepDated(t *testing.T) {
	st, d, m, it := overdueInbox(t)
	_, cmd := m.Update(uitest.Key("x"))
	step := choose(t, d, cmd, "s")
	if !strings.Contains(step.Label, "TC/2026/05002: statement of case taken on") {
		t.Fatalf("step question %q", step.Label)
	}
	if s, ok := uitest.Find[screen.Status](uitest.Run(d, step.Submit("01/12/2026"))); !ok || !strings.Contains(s.Text, "after today") {
		t.Errorf("a step tomorrow: %+v", s)
	}
	acted, ok := uitest.Find[screen.Acted](uitest.Run(d, step.Submit("27/11/2026")))
	if !ok || acted.Err != nil || acted.What != "TC/2026/05002: statement of case recorded on Fri 27 Nov 2026: deadline met" {
		t.Fatalf("step: %+v", acted)
	}
	if e := lastEvents(t, st, it.Reference, 1)[0]; e.Kind != domain.EventStatementOfCase || e.On.String() != "2026-11-27" {
		t.Fatalf("timeline: %+v", e)
	}
	due, _ := st.Due(context.Background(), d.Today, 0, 0, 50)
	for _, x := range due {
		if x.Reference == it.Reference && x.Kind == "statement_of_case" {
			t.Errorf("still due: %+v", x)
		}
	}
	m, _ = feed(t, d, m, m.Load())
	for _, r := range m.list.Rows() {
		if r.Key == it.Key {
			t.Error("the met deadline is still in the inbox")
		}
	}
}

func TestDoneChasedLogsAndSnoozesCapped(t *testing.T) {
	st, d, m, it := overdueInbox(t)
	_, cmd := m.Update(uitest.Key("x"))
	how := choose(t, d, cmd, "c")
	until, ok := uitest.Find[screen.Ask](uitest.Run(d, how.Submit("phone asked HMRC for the statement")))
	if !ok || until.Value != "" || !strings.Contains(until.Label, "back in the inbox on") {
		t.Fatalf("until: %+v", until)
	}
	acted, _ := uitest.Find[screen.Acted](uitest.Run(d, until.Submit("+20")))
	if acted.Err == nil || !strings.Contains(acted.Err.Error(), "at most 14 days") {
		t.Fatalf("20 days on an overdue deadline: %+v", acted)
	}
	if e := lastEvents(t, st, it.Reference, 1)[0]; e.Kind == domain.EventCorrespondence {
		t.Fatal("a refused chase was logged")
	}
	acted, _ = uitest.Find[screen.Acted](uitest.Run(d, until.Submit("3wd")))
	if acted.Err != nil || acted.What != "TC/2026/05002: chased by phone; back in the inbox on Thu 3 Dec 2026" {
		t.Fatalf("chase: %+v", acted)
	}
	ev := lastEvents(t, st, it.Reference, 2)
	if ev[0].Kind != domain.EventCorrespondence || ev[0].Data.Text != "asked HMRC for the statement" || ev[0].Data.Way != "out" ||
		ev[1].Kind != domain.EventSnoozed || ev[1].Data.Due.String() != "2026-12-03" {
		t.Fatalf("timeline: %+v", ev)
	}
}

func TestDoneReferredAndOtherItemsRecordAnEvent(t *testing.T) {
	st, d, m, it := overdueInbox(t)
	_, cmd := m.Update(uitest.Key("x"))
	refer := choose(t, d, cmd, "r")
	acted, _ := uitest.Find[screen.Acted](uitest.Run(d, refer.Submit("judge HMRC has not replied")))
	if acted.Err != nil || acted.What != "TC/2026/05002: referred to the judge" {
		t.Fatalf("refer: %+v", acted)
	}
	if e := lastEvents(t, st, it.Reference, 1)[0]; e.Kind != domain.EventReferred || e.Data.Text != "HMRC has not replied" {
		t.Fatalf("timeline: %+v", e)
	}

	// A late appeal's item: what was done goes on the timeline; empty is refused.
	_, d2, m2 := loaded(t)
	for m2.list.Cursor() < m2.list.Len()-1 {
		if x, _ := m2.list.Current(); x.Kind == "late-appeal" {
			break
		}
		m2.list.Move(1)
	}
	late, _ := m2.list.Current()
	_, cmd = m2.Update(uitest.Key("x"))
	what, ok := uitest.Find[screen.Ask](uitest.Run(d2, cmd))
	if !ok || what.Label != late.Reference+": what was done? " {
		t.Fatalf("question %+v", what)
	}
	if s, _ := uitest.Find[screen.Status](uitest.Run(d2, what.Submit(" "))); !strings.HasPrefix(s.Text, "Not done: "+late.Reference) {
		t.Errorf("empty: %+v", s)
	}
	if acted, _ := uitest.Find[screen.Acted](uitest.Run(d2, what.Submit("asked for the reason for lateness"))); acted.Err != nil {
		t.Fatal(acted.Err)
	}

	// The queue has no case to record on: x says where its work is.
	m2, _ = feed(t, d2, m2, m2.Load())
	m2.list.Select(func(x store.InboxItem) bool { return x.Kind == "queue" })
	_, cmd = m2.Update(uitest.Key("x"))
	if s, ok := uitest.Find[screen.Status](uitest.Run(d2, cmd)); !ok || !strings.Contains(s.Text, "The queue leaves the inbox") {
		t.Errorf("x on the queue: %+v", s)
	}
}

// TestMarkingAnItemOfNoCaseNamesIt: space on an unlinked message says the
// message is not a case (it said "the queue" of every item without one),
// and marks nothing.
func TestMarkingAnItemOfNoCaseNamesIt(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	msg := mailfile.Message{Source: "test", MessageID: "m1@example.com", From: "A Writer <a@example.com>", FromAddr: "a@example.com",
		Subject: "About my appeal", Date: time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC), Text: "Dear Sir"}
	if _, err := st.ImportMail(context.Background(), []mailfile.Message{msg}, store.ActOptions{User: "import", On: uitest.Today}); err != nil {
		t.Fatal(err)
	}
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(100, 20)
	for _, msg := range uitest.Run(d, m.Load()) {
		m, _ = m.Update(msg)
	}
	var mail, queue bool
	for range m.list.Len() {
		it, _ := m.list.Current()
		if it.Reference == "" {
			want := "the queue is not a case"
			if it.Kind == "mail" {
				want, mail = fmt.Sprintf("mail %d is not a case", it.MailID), true
			} else {
				queue = true
			}
			_, cmd := m.Update(uitest.Key("space"))
			s, ok := uitest.Find[screen.Status](uitest.Run(d, cmd))
			if !ok || !strings.Contains(s.Text, want) {
				t.Errorf("space on %s: %+v, want %q", it.Key, s, want)
			}
			if m.marks.Len() != 0 {
				t.Errorf("space on %s marked it", it.Key)
			}
		}
		m.list.Move(1)
	}
	if !mail || !queue {
		t.Fatalf("the inbox lacks an unlinked message (%v) or the queue (%v)", mail, queue)
	}
}

// A view whose count the store stopped at its most says "at least": the
// views line and the position read "1,000+", never a number that looks
// exact.
func TestACappedCountSaysAtLeast(t *testing.T) {
	_, _, m := loaded(t)
	c := m.counts
	c.Old, c.More = store.InboxCountMost, []string{"old"}
	m, _ = m.Update(countsMsg{m.countsSeq, c, nil})
	if v := m.View(); !strings.Contains(v, "old cases 1,000+") {
		t.Errorf("views line without old cases 1,000+:\n%s", v)
	}
	if v := m.View(); strings.Contains(v, fmt.Sprintf("overdue %d+", c.Overdue)) {
		t.Errorf("an exact count marked +:\n%s", v)
	}
	m.kind = "old"
	m.list.SetTotal(-1)
	if p := m.position(); !strings.HasSuffix(p, "(of 1,000+)") {
		t.Errorf("position %q, want it to end (of 1,000+)", p)
	}
}
