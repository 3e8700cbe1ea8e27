package queue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

// feed sends the messages cmd makes back to the queue until nothing is left.
func feed(t *testing.T, d screen.Deps, m Model, cmd tea.Cmd) Model {
	t.Helper()
	for _, msg := range uitest.Run(d, cmd) {
		var next tea.Cmd
		m, next = m.Update(msg)
		m = feed(t, d, m, next)
	}
	return m
}

func TestUndoBeforeTheDecisionIsSavedFollowsIt(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(80, 20)
	m = feed(t, d, m, m.Init())
	if ref, _ := m.Selected(); ref != "TC/2026/05001" {
		t.Fatalf("first appeal %q", ref)
	}
	m, decide := m.Update(uitest.Key("b"))
	if ref, _ := m.Selected(); ref != "TC/2026/05002" {
		t.Fatalf("did not advance at once: %q", ref)
	}
	m, undo := m.Update(uitest.Key("u")) // before the allocation is saved
	m = feed(t, d, m, undo)
	if !strings.Contains(m.View(), "TC/2026/05002") {
		t.Fatal("undo acted before the decision was saved")
	}
	m = feed(t, d, m, decide)
	c, _ := st.Case(context.Background(), "TC/2026/05001")
	if c.Track != nil {
		t.Errorf("05001 still allocated to %s after the undo", c.Track.Label())
	}
	if ref, _ := m.Selected(); ref != "TC/2026/05001" {
		t.Errorf("the undone appeal is not back on screen: %q", ref)
	}
}

func TestViewIsExactlyItsHeightAndWidth(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	for _, size := range [][2]int{{60, 16}, {80, 20}, {120, 36}} {
		m := New(d, st)
		m.SetSize(size[0], size[1])
		m = feed(t, d, m, m.Init())
		lines := strings.Split(m.View(), "\n")
		if len(lines) != size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > size[0] {
				t.Errorf("%v: %q too wide", size, l)
			}
		}
	}
}

func TestKeysOnAnEmptyQueueSaySo(t *testing.T) {
	st := uitest.Store(t, "")
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m = feed(t, d, m, m.Init())
	_, cmd := m.Update(uitest.Key("a"))
	if s, ok := uitest.Find[screen.Status](uitest.Run(d, cmd)); !ok || !strings.Contains(s.Text, "empty") {
		t.Errorf("no word on an empty queue: %+v", s)
	}
}

// bigQueue is n appeals, more than a page (Prefetch), received over ten
// days in an order that is not the order of their references; every
// seventh is late (decided in June, so over 100 days late).
func bigQueue(t *testing.T, n int) (*store.Store, []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("reference,received,decision_date,appellant,representative,subject,amount,grounds,late_reason\n")
	for i := range n {
		decided, late := "2026-10-20", ""
		if i%7 == 0 {
			decided, late = "2026-06-01", "Illness."
		}
		fmt.Fprintf(&b, "TC/2026/%05d,2026-11-%02d,%s,Appellant %d,,vat,100,Grounds.,%s\n", 6000+i, 1+(n-i)%10, decided, i, late)
	}
	st := uitest.Store(t, b.String())
	rows, err := st.Queue(context.Background(), 10*n)
	if err != nil || len(rows) != n {
		t.Fatalf("queue: %d %v", len(rows), err)
	}
	var order []string
	for _, r := range rows {
		order = append(order, r.Reference)
	}
	return st, order
}

func TestSkippingRoundTheWholeQueueShowsEveryAppealOnce(t *testing.T) {
	const n = 2*Prefetch + 17 // three pages
	st, order := bigQueue(t, n)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(80, 20)
	m = feed(t, d, m, m.Init())
	var seen []string
	for range n {
		ref, _ := m.Selected()
		seen = append(seen, ref)
		var cmd tea.Cmd
		m, cmd = m.Update(uitest.Key("space"))
		m = feed(t, d, m, cmd)
	}
	if !slices.Equal(seen, order) {
		t.Fatalf("one round of skips: %d shown, %d distinct; want the %d appeals in queue order once each",
			len(seen), len(distinct(seen)), n)
	}
	// Round again: the same order, the skipped ones in the order skipped.
	if ref, _ := m.Selected(); ref != order[0] {
		t.Errorf("after a whole round %q, want %q again", ref, order[0])
	}

	// Deciding one mid-round: it leaves; the rest still come round once.
	for range 5 {
		var cmd tea.Cmd
		m, cmd = m.Update(uitest.Key("space"))
		m = feed(t, d, m, cmd)
	}
	decided, _ := m.Selected()
	m, cmd := m.Update(uitest.Key("b"))
	m = feed(t, d, m, cmd)
	seen = nil
	for range n - 1 {
		ref, _ := m.Selected()
		seen = append(seen, ref)
		m, cmd = m.Update(uitest.Key("space"))
		m = feed(t, d, m, cmd)
	}
	if len(distinct(seen)) != n-1 || slices.Contains(seen, decided) {
		t.Errorf("after deciding %s: %d distinct of %d", decided, len(distinct(seen)), n-1)
	}
}

func distinct(xs []string) map[string]bool {
	out := map[string]bool{}
	for _, x := range xs {
		out[x] = true
	}
	return out
}

// A skip is kept per caseworker per day: after a restart the appeals
// skipped come round after the rest, in the order skipped; another
// caseworker, or the next day, starts from the head of the queue.
func TestSkipsSurviveARestart(t *testing.T) {
	const n = Prefetch + 10 // two pages
	st, order := bigQueue(t, n)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(80, 20)
	m = feed(t, d, m, m.Init())
	for range 3 {
		var cmd tea.Cmd
		m, cmd = m.Update(uitest.Key("space"))
		m = feed(t, d, m, cmd)
	}
	// Skipped in another order than the queue's: the third, then the first.
	reorder := New(d, st)
	reorder = feed(t, d, reorder, reorder.Init())
	if ref, _ := reorder.Selected(); ref != order[3] {
		t.Fatalf("after a restart the first card is %q, want %q", ref, order[3])
	}
	var seen []string
	for range n {
		ref, _ := reorder.Selected()
		seen = append(seen, ref)
		var cmd tea.Cmd
		reorder, cmd = reorder.Update(uitest.Key("space"))
		reorder = feed(t, d, reorder, cmd)
	}
	want := append(slices.Clone(order[3:]), order[:3]...)
	if !slices.Equal(seen, want) {
		t.Errorf("after a restart: %d shown, %d distinct; want the skipped three last", len(seen), len(distinct(seen)))
	}
	for _, who := range []struct {
		user string
		day  string
	}{{"other", "2026-11-16"}, {"tester", "2026-11-17"}} {
		d2 := uitest.Deps(t, st, nil)
		d2.Act.User, d2.Act.On = who.user, d2.Today.AddDays(0)
		if who.day != "2026-11-16" {
			d2.Act.On = d2.Today.AddDays(1)
		}
		o := New(d2, st)
		o = feed(t, d2, o, o.Init())
		if ref, _ := o.Selected(); ref != order[0] {
			t.Errorf("%s on %s: first card %q, want the head of the queue %q", who.user, who.day, ref, order[0])
		}
	}
	// A skip is a trace on the case: on the timeline, and no activity.
	c, _ := st.Case(context.Background(), order[0])
	if last := c.Events[len(c.Events)-1]; last.Kind != "queue-skipped" || last.User != "tester" {
		t.Errorf("no skip on the timeline: %+v", last)
	}
}

// o opens the whole case from the card; the next appeals are listed beside
// the card only on a wide screen.
func TestOpenTheWholeCaseAndThePreview(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(120, 30)
	m = feed(t, d, m, m.Init())
	if v := ansi.Strip(m.View()); !strings.Contains(v, "│ Next") || !strings.Contains(v, "TC/2026/05002  late 27d") {
		t.Errorf("no preview at 120 columns:\n%s", v)
	}
	if strings.Contains(m.View(), "␛") {
		t.Errorf("the card's own styling shown as text beside the preview:\n%s", m.View())
	}
	for _, w := range []int{80, 60} {
		m.SetSize(w, 20)
		if v := ansi.Strip(m.View()); strings.Contains(v, "Next") || strings.Contains(v, "│") {
			t.Errorf("preview at %d columns:\n%s", w, v)
		}
	}
	_, cmd := m.Update(uitest.Key("o"))
	if o, ok := uitest.Find[screen.OpenCase](uitest.Messages(cmd)); !ok || o.Ref != "TC/2026/05001" {
		t.Errorf("o: %+v", uitest.Messages(cmd))
	}
	empty := New(d, uitest.Store(t, ""))
	empty = feed(t, d, empty, empty.Init())
	_, cmd = empty.Update(uitest.Key("o"))
	if s, ok := uitest.Find[screen.Status](uitest.Run(d, cmd)); !ok || !strings.Contains(s.Text, "empty") {
		t.Errorf("o on an empty queue: %+v", s)
	}
}

// TestRefusalIsNotHiddenByTheOptimisticLine: a read-only user's decision
// is refused by the store at once; whatever order the program runs the
// decision's commands in, the status line ends on the refusal (not on
// "accepted") and the appeal is back on the card. With the status line and
// the save in one batch, the refusal could arrive first and be overwritten
// (the team server's read-only test caught it).
func TestRefusalIsNotHiddenByTheOptimisticLine(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	ctx := context.Background()
	if err := st.AddUser(ctx, "lead", "team-leader", "", store.ActOptions{User: "lead"}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddUser(ctx, "ro", "read-only", "", store.ActOptions{User: "lead"}); err != nil {
		t.Fatal(err)
	}
	d := uitest.Deps(t, st, nil)
	d.Act.User = "ro"
	m := New(d, st)
	m.SetSize(80, 20)
	m = feed(t, d, m, m.Init())
	m, cmd := m.Update(uitest.Key("a"))
	var status string
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		for _, msg := range uitest.WorstOrder(cmd) {
			if r, ok := msg.(screen.Result); ok {
				d.Requests.Done(r.Req)
				msg = r.Msg
			}
			if s, ok := msg.(screen.Status); ok {
				status = s.Text
				continue
			}
			var next tea.Cmd
			m, next = m.Update(msg)
			run(next)
		}
	}
	run(cmd)
	if want := "TC/2026/05001: not saved: ro is read-only"; !strings.HasPrefix(status, want) {
		t.Errorf("status %q, want it to start %q", status, want)
	}
	if ref, _ := m.Selected(); ref != "TC/2026/05001" {
		t.Errorf("the refused appeal is not back on the card: %q", ref)
	}
	if c, _ := st.Case(ctx, "TC/2026/05001"); c.Track != nil {
		t.Errorf("a read-only user's decision was saved: %s", c.Track.Label())
	}
}
