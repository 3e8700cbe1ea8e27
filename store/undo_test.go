package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

// caseShape is what an undo must put back: the case's derived state and
// every deadline.
func caseShape(t *testing.T, s *Store, ref string) string {
	t.Helper()
	c, err := s.Case(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("%s %s flags=%v referrals=%d last=%s", c.Status, c.TrackOrNone(), c.Flags, c.OpenReferrals, c.LastEvent)
	for _, d := range c.Deadlines {
		out += fmt.Sprintf("; %s %s %s", d.Kind, d.Due, d.Status)
	}
	return out
}

func lastEvent(t *testing.T, s *Store, ref string) domain.Event {
	t.Helper()
	c, err := s.Case(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	return c.Events[len(c.Events)-1]
}

// Every casework kind a caseworker records is taken back by one undo with
// a compensating event naming it, and the case is as it was before.
func TestUndoTakesBackTheLatestActionOfEveryKind(t *testing.T) {
	s := imported(t)
	const ref = "TC/2026/05001"
	if _, err := s.Categorise(ctx, ref, domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	ev := func(kind string, d domain.EventData) func() error {
		return func() error {
			_, err := s.Record(ctx, ref, domain.Event{Kind: kind, On: today, User: "tester", Data: d})
			return err
		}
	}
	steps := []struct {
		name string
		do   func() error
		want string // the compensating event's kind
	}{
		{"flag", ev(domain.EventFlagSet, domain.EventData{Flag: "urgent"}), domain.EventUndone},
		{"refer", ev(domain.EventReferred, domain.EventData{To: "judge", Text: "strike out?"}), domain.EventUndone},
		{"direction", ev(domain.EventDirection, domain.EventData{Party: "appellant", Days: 14, Text: "send the penalty notice"}), domain.EventUndone},
		{"dispose", ev(domain.EventDisposed, domain.EventData{Text: "withdrawn"}), domain.EventUndone},
		{"progress", ev(domain.EventProgressed, domain.EventData{Text: "chased HMRC"}), domain.EventUndone},
		{"step", func() error {
			_, err := s.RecordStep(ctx, ref, domain.EventStatementOfCase, act(), StepOptions{})
			return err
		}, domain.EventUndone},
		{"note", func() error { _, err := s.AddNote(ctx, ref, "zebracrossing mentioned on the phone", act()); return err }, domain.EventUndone},
		{"re-categorise", func() error {
			_, err := s.Categorise(ctx, ref, domain.Complex, CategoriseOptions{ActOptions: act(), Reason: "test case"})
			return err
		}, domain.EventAllocationUndone},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := caseShape(t, s, ref)
			if err := st.do(); err != nil {
				t.Fatal(err)
			}
			target := lastEvent(t, s, ref)
			if caseShape(t, s, ref) == before && st.name != "note" && st.name != "progress" {
				t.Fatalf("%s changed nothing: the test cannot tell an undo", st.name)
			}
			es, err := s.Undo(ctx, ref, act())
			if err != nil {
				t.Fatal(err)
			}
			e := lastEvent(t, s, ref)
			if len(es) != 1 || e.Kind != st.want || e.Data.Undoes != target.ID || e.ID != es[0].ID {
				t.Fatalf("compensation %+v for %+v", e, target)
			}
			if !strings.Contains(e.Detail, "undid") {
				t.Errorf("the compensation does not say what it undid: %q", e.Detail)
			}
			if got := caseShape(t, s, ref); got != before {
				t.Errorf("after the undo:\n got %s\nwant %s", got, before)
			}
			mustCheck(t, s)
		})
	}
	// The undone note is no longer found by its words.
	rows, err := s.Find(ctx, Search{Words: []string{"zebracrossing"}}, 10)
	if err != nil || len(rows) != 0 {
		t.Errorf("undone note still found: %v %v", rows, err)
	}
	// Undo again walks back: the first allocation, then nothing.
	if _, err := s.Undo(ctx, ref, act()); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Case(ctx, ref); c.Status != domain.StatusNew || c.Track != nil {
		t.Errorf("after undoing the allocation: %s %v", c.Status, c.Track)
	}
	c, _ := s.Case(ctx, ref)
	n := len(c.Events)
	_, err = s.Undo(ctx, ref, act())
	if !errors.Is(err, ErrNothingToUndo) || !strings.Contains(err.Error(), ref) {
		t.Fatalf("nothing left to undo: %v", err)
	}
	if c, _ := s.Case(ctx, ref); len(c.Events) != n {
		t.Error("a refused undo wrote an event")
	}
	mustCheck(t, s)
}

// The latest action is the one undone, so an allocation under a disposal
// is never taken out from under it; someone else's latest action is
// refused naming them.
func TestUndoRefusesWhatIsNotYoursToTakeBack(t *testing.T) {
	s := imported(t)
	const ref = "TC/2026/05002"
	if _, err := s.Undo(ctx, ref, act()); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("a case with nothing recorded: %v", err)
	}
	if _, err := s.Categorise(ctx, ref, domain.Basic, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	other := ActOptions{User: "other", On: today}
	if _, err := s.Record(ctx, ref, domain.Event{Kind: domain.EventDisposed, On: today, User: other.User, Data: domain.EventData{Text: "struck out"}}); err != nil {
		t.Fatal(err)
	}
	before := caseShape(t, s, ref)
	_, err := s.Undo(ctx, ref, act())
	if !errors.Is(err, domain.ErrCannotUndo) || !strings.Contains(err.Error(), "other's") || !strings.Contains(err.Error(), `"disposed"`) {
		t.Fatalf("undo under another's disposal: %v", err)
	}
	if _, err := s.UndoAllocation(ctx, ref, act()); err == nil || !strings.Contains(err.Error(), `the latest action is not the allocation but "disposed"`) {
		t.Fatalf("the queue's undo under a disposal: %v", err)
	}
	if caseShape(t, s, ref) != before {
		t.Error("a refused undo changed the case")
	}
	// Its author can take the disposal back; then the allocation is the
	// latest action, and it is the tester's.
	if es, err := s.Undo(ctx, ref, other); err != nil || es[0].Kind != domain.EventUndone {
		t.Fatalf("the disposal's author: %+v %v", es, err)
	}
	if c, _ := s.Case(ctx, ref); c.Status != domain.StatusAllocated {
		t.Errorf("disposal undone: %s", c.Status)
	}
	if _, err := s.UndoAllocation(ctx, ref, act()); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
}

// x on a deadline (referred, or chased: a correspondence and a snooze in
// one go) and z take an item out of the inbox; the undo brings it back.
func TestUndoBringsTheInboxItemBack(t *testing.T) {
	t.Run("chased", func(t *testing.T) {
		s, it, on := overdueStatement(t)
		chase := domain.Event{Kind: domain.EventCorrespondence, Data: domain.EventData{Channel: "phone", Way: "out", Text: "asked HMRC"}}
		if _, err := s.Resolve(ctx, it, chase, on.On.AddDays(7), "promised", on); err != nil {
			t.Fatal(err)
		}
		es, err := s.Undo(ctx, it.Reference, on)
		if err != nil {
			t.Fatal(err)
		}
		kinds := []string{es[0].Kind, es[1].Kind}
		if len(es) != 2 || !slices.Equal(kinds, []string{domain.EventSnoozeUndone, domain.EventUndone}) {
			t.Fatalf("a chase is undone whole: %+v", es)
		}
		if !shown(t, s, on.On, it.Key) {
			t.Error("the chased item is not back in the inbox")
		}
		if _, err := s.Undo(ctx, it.Reference, on); err != nil { // then the allocation
			t.Fatal(err)
		}
		mustCheck(t, s)
	})
	t.Run("referred", func(t *testing.T) {
		s, it, on := overdueStatement(t)
		ref := domain.Event{Kind: domain.EventReferred, Data: domain.EventData{To: "judge", Text: "strike out?"}}
		if _, err := s.Resolve(ctx, it, ref, domain.Date{}, "", on); err != nil {
			t.Fatal(err)
		}
		if shown(t, s, on.On, it.Key) {
			t.Fatal("referred item still shown")
		}
		if _, err := s.Undo(ctx, it.Reference, on); err != nil {
			t.Fatal(err)
		}
		if !shown(t, s, on.On, it.Key) {
			t.Error("the referred item is not back in the inbox")
		}
		if c, _ := s.Case(ctx, it.Reference); c.OpenReferrals != 0 {
			t.Error("the referral is still open")
		}
		mustCheck(t, s)
	})
	t.Run("snoozed", func(t *testing.T) {
		s, it, on := overdueStatement(t)
		if err := s.Snooze(ctx, it, on.On.AddDays(3), "waiting", on); err != nil {
			t.Fatal(err)
		}
		es, err := s.Undo(ctx, it.Reference, on)
		if err != nil || es[0].Kind != domain.EventSnoozeUndone {
			t.Fatalf("%+v %v", es, err)
		}
		if !shown(t, s, on.On, it.Key) {
			t.Error("the snoozed item is not back")
		}
		if list, _ := s.SnoozedItems(ctx, on.On, 10); len(list) != 0 {
			t.Errorf("still listed as snoozed: %+v", list)
		}
		mustCheck(t, s)
	})
}

// A disposal, a return or a direction taken back by an undo is left out of
// the reports: each report reads as it did before the action.
func TestReportsLeaveOutUndoneActions(t *testing.T) {
	s := imported(t)
	from, to := domain.MustDate("2026-11-01"), domain.MustDate("2026-11-30")
	report := func(name string) string {
		t.Helper()
		r, err := s.Report(ctx, name, from, to, "week")
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(r.Tables)
	}
	if _, err := s.Categorise(ctx, "TC/2026/05001", domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	names := []string{"flow", "rejections", "directions", "extensions"}
	before := map[string]string{}
	for _, n := range names {
		before[n] = report(n)
	}
	record := func(ref string, e domain.Event) {
		t.Helper()
		e.On, e.User = today, "tester"
		if _, err := s.Record(ctx, ref, e); err != nil {
			t.Fatal(err)
		}
	}
	record("TC/2026/05001", domain.Event{Kind: domain.EventDirection, Data: domain.EventData{Party: "appellant", Days: 14, Text: "send it"}})
	record("TC/2026/05001", domain.Event{Kind: domain.EventDisposed, Data: domain.EventData{Text: "withdrawn"}})
	record("TC/2026/05003", domain.Event{Kind: domain.EventReturned, Data: domain.EventData{Reasons: []string{"grounds"}}})
	for _, n := range []string{"flow", "rejections", "directions"} {
		if report(n) == before[n] {
			t.Fatalf("%s: the actions changed nothing: the test cannot tell", n)
		}
	}
	for _, ref := range []string{"TC/2026/05001", "TC/2026/05001", "TC/2026/05003"} {
		if _, err := s.Undo(ctx, ref, act()); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range names {
		if got := report(n); got != before[n] {
			t.Errorf("%s after the undos:\n got %s\nwant %s", n, got, before[n])
		}
	}
}
