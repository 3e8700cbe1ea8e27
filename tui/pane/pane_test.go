package pane

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

func feed(d screen.Deps, m Model, cmd tea.Cmd) Model {
	for _, msg := range uitest.Run(d, cmd) {
		m, _ = m.Update(msg)
	}
	return m
}

func TestLongGroundsWrapAndScrollToTheLastWord(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	long := strings.Repeat("The review officer misread the schedule. ", 40) + "LASTWORD"
	if _, err := st.AddNote(context.Background(), "TC/2026/05001", long, store.ActOptions{User: "t", On: uitest.Today}); err != nil {
		t.Fatal(err)
	}
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(40, 10)
	m = feed(d, m, m.OpenCase("TC/2026/05001"))
	lines := strings.Split(m.View(), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines, want 10", len(lines))
	}
	seen := ""
	for i := 0; i < 200 && !strings.Contains(seen, "LASTWORD"); i++ {
		view := m.View()
		for _, l := range strings.Split(view, "\n") {
			if ansi.StringWidth(l) > 40 {
				t.Fatalf("line wider than 40: %q", l)
			}
		}
		seen += view
		m.Scroll(uitest.Key("j"))
	}
	if !strings.Contains(seen, "LASTWORD") {
		t.Errorf("the last word is never on screen")
	}
	if strings.Contains(ansi.Strip(m.vp.GetContent()), "…") {
		t.Error("text was cut with …")
	}
}

func TestAnOlderAnswerIsDropped(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(60, 20)
	first := m.OpenCase("TC/2026/05001")
	second := m.OpenCase("TC/2026/05002")
	m = feed(d, m, second)
	m = feed(d, m, first) // arrives last, asked first
	if ref, _ := m.Shows(); ref != "TC/2026/05002" {
		t.Errorf("pane shows %q, want the case asked last", ref)
	}
	if d.Requests.Busy() {
		t.Error("a request left in flight")
	}
}

func TestActionsNameTheCaseShownAndRefuseWhileOpening(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(60, 20)
	open := m.OpenCase("TC/2026/05002")
	_, cmd := m.Update(uitest.Key("n"))
	if s, ok := uitest.Find[screen.Status](uitest.Run(d, cmd)); !ok || !strings.Contains(s.Text, "Still opening TC/2026/05002") {
		t.Errorf("a note was offered before the case arrived: %+v", s)
	}
	m = feed(d, m, open)
	_, cmd = m.Update(uitest.Key("n"))
	ask, ok := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if !ok || !strings.Contains(ask.Label, "TC/2026/05002") {
		t.Fatalf("the question does not name the case: %+v", ask)
	}
	acted, _ := uitest.Find[screen.Acted](uitest.Run(d, ask.Submit("Called the appellant")))
	if acted.Err != nil || !strings.HasPrefix(acted.What, "TC/2026/05002") {
		t.Errorf("acted %+v", acted)
	}
}

func TestNoteFromTheEditorLeavesOutHashLines(t *testing.T) {
	if got := noteFrom("# header\nFirst line\n\n# another\nSecond\n"); got != "First line\n\nSecond" {
		t.Errorf("%q", got)
	}
}

// The $EDITOR round trip: the template is written in a command, the
// editor runs, and the note read back in the callback is referred.
func TestEditorRoundTripInCommands(t *testing.T) {
	st := uitest.Store(t, uitest.Sample)
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(60, 20)
	m = feed(d, m, m.OpenCase("TC/2026/05001"))
	t.Setenv("EDITOR", `printf 'Please decide lateness.\n' >>`)
	_, cmd := m.Update(uitest.Key("E"))
	ready, ok := uitest.Find[editorReadyMsg](uitest.Run(d, cmd))
	if !ok || ready.err != nil {
		t.Fatalf("template: %+v", ready)
	}
	// What tea.ExecProcess does: run the command, then the callback.
	c := exec.Command("sh", "-c", ready.editor+` "$1"`, "editor", ready.path)
	if err := c.Run(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(ready.path)
	os.Remove(ready.path)
	m, cmd = m.Update(editedMsg{ref: ready.ref, note: noteFrom(string(b))})
	acted, _ := uitest.Find[screen.Acted](uitest.Run(d, cmd))
	if acted.Err != nil || !strings.HasPrefix(acted.What, "TC/2026/05001: referred") {
		t.Fatalf("acted %+v", acted)
	}
	c2, _ := st.Case(context.Background(), "TC/2026/05001")
	if last := c2.Events[len(c2.Events)-1]; last.Data.Text != "Please decide lateness." {
		t.Errorf("referral note %q", last.Data.Text)
	}
}

// allocated is AllocatedSample with TC/2026/05002 on the standard track
// since Tue 22 Sep 2026: its statement of case is due Mon 23 Nov 2026.
func allocated(t *testing.T) (*store.Store, screen.Deps, Model) {
	t.Helper()
	st := uitest.Store(t, uitest.AllocatedSample)
	if _, err := st.Categorise(context.Background(), "TC/2026/05002", domain.Standard,
		store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: uitest.Today.AddDays(-55)}}); err != nil {
		t.Fatal(err)
	}
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(80, 20)
	return st, d, feed(d, m, m.OpenCase("TC/2026/05002"))
}

func TestEventActionRecordsADatedStepAndCompletes(t *testing.T) {
	st, d, m := allocated(t)
	_, cmd := m.Update(uitest.Key(":"))
	ask, ok := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if !ok || !slices.Contains(ask.Suggestions, "event statement-of-case") || !slices.Contains(ask.Suggestions, "note") || ask.History != "action" {
		t.Fatalf(": suggestions %v history %q", ask.Suggestions, ask.History)
	}
	for in, says := range map[string]string{
		"event":                              "event KIND [DATE]",
		"event statement-of-case 17/11/2026": "after today",
		"event statement-of-case next week":  "event KIND [DATE]",
	} {
		if s, _ := uitest.Find[screen.Status](uitest.Run(d, ask.Submit(in))); !strings.Contains(s.Text, "nothing done") || !strings.Contains(s.Text, says) {
			t.Errorf("%q: %+v, want %q", in, s, says)
		}
	}
	acted, _ := uitest.Find[screen.Acted](uitest.Run(d, ask.Submit("event statement-of-case 13/11/2026")))
	if acted.Err != nil || !strings.Contains(acted.What, "TC/2026/05002: statement of case on Fri 13 Nov 2026") {
		t.Fatalf("event: %+v", acted)
	}
	c, _ := st.Case(context.Background(), "TC/2026/05002")
	if e := c.Events[len(c.Events)-1]; e.Kind != domain.EventStatementOfCase || e.On.String() != "2026-11-13" {
		t.Fatalf("timeline: %+v", e)
	}
	acted, _ = uitest.Find[screen.Acted](uitest.Run(d, ask.Submit("note rang HMRC")))
	if acted.Err != nil || acted.What != "TC/2026/05002: note added" {
		t.Fatalf("note: %+v", acted)
	}
}

func TestMetKeyOnTheCase(t *testing.T) {
	st, d, m := allocated(t)
	_, cmd := m.Update(uitest.Key("X"))
	ask, ok := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if !ok || ask.Label != "TC/2026/05002: statement of case taken on: " {
		t.Fatalf("X with one open deadline: %+v", ask)
	}
	if acted, _ := uitest.Find[screen.Acted](uitest.Run(d, ask.Submit("16/11/2026"))); acted.Err != nil {
		t.Fatal(acted.Err)
	}
	c, _ := st.Case(context.Background(), "TC/2026/05002")
	for _, dl := range c.Deadlines {
		if dl.Kind == "statement_of_case" && dl.Status != domain.DeadlineMet {
			t.Errorf("not met: %+v", dl)
		}
	}
	// Lists of documents (r27) and a direction are open: X asks which.
	dir, err := domain.ParseAction("direction appellant 14 Send the bank statements", uitest.Today, d.Calendar)
	if err != nil {
		t.Fatal(err)
	}
	dir.User = "t"
	if _, err := st.Record(context.Background(), "TC/2026/05002", dir); err != nil {
		t.Fatal(err)
	}
	m = feed(d, m, m.Refresh())
	_, cmd = m.Update(uitest.Key("X"))
	ask, _ = uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if ask.Choose == nil || !strings.Contains(ask.Label, "which deadline was met? 1 ") {
		t.Fatalf("X with several: %+v", ask)
	}
	next, closed := ask.Choose(uitest.Key("1"))
	if q, ok := uitest.Find[screen.Ask](uitest.Run(d, next)); !closed || !ok || !strings.Contains(q.Label, "taken on") {
		t.Errorf("choice 1: %+v", q)
	}
	if _, closed := ask.Choose(uitest.Key("9")); closed {
		t.Error("a number with no deadline closed the question")
	}
}

func TestIrreversibleActionsNameTheCaseAndAskOnce(t *testing.T) {
	st, d, m := allocated(t)
	_, cmd := m.Update(uitest.Key(":"))
	ask, _ := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	sure, ok := uitest.Find[screen.Ask](uitest.Run(d, ask.Submit("dispose withdrawn")))
	if !ok || sure.Choose == nil || !strings.HasPrefix(sure.Label, "TC/2026/05002: dispose of it (the case closes)? y to confirm") {
		t.Fatalf("dispose: %+v", sure)
	}
	next, closed := sure.Choose(uitest.Key("n"))
	if s, _ := uitest.Find[screen.Status](uitest.Run(d, next)); !closed || s.Text != "TC/2026/05002: nothing done" {
		t.Errorf("n: %+v", s)
	}
	if c, _ := st.Case(context.Background(), "TC/2026/05002"); c.Status == domain.StatusClosed {
		t.Fatal("closed without a yes")
	}
	next, _ = sure.Choose(uitest.Key("y"))
	if acted, _ := uitest.Find[screen.Acted](uitest.Run(d, next)); acted.Err != nil {
		t.Fatal(acted.Err)
	}
	if c, _ := st.Case(context.Background(), "TC/2026/05002"); c.Status != domain.StatusClosed {
		t.Errorf("y: %s", c.Status)
	}
	// A flag is not irreversible: no question.
	if _, ok := uitest.Find[screen.Ask](uitest.Run(d, ask.Submit("flag urgent"))); ok {
		t.Error("flag asked for confirmation")
	}
}
