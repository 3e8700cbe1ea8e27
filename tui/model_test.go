package tui

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var today = uitest.Today

const sample = uitest.Sample

// fixture is a real store on a temporary file with csv's notices.
func fixture(t *testing.T, csv string) *store.Store { return uitest.Store(t, csv) }

type harness struct {
	t  *testing.T
	m  tea.Model
	st *store.Store
}

func start(t *testing.T, st *store.Store, w, h int) *harness {
	t.Helper()
	return startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "tester", NoColor: true}, w, h)
}

func startWith(t *testing.T, cfg Config, w, h int) *harness {
	t.Helper()
	st := cfg.Store.(*store.Store)
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := &harness{t: t, m: m, st: st}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(m.Init())
	return hs
}

// run executes commands as the program would, feeding their messages back
// to Update until nothing is left.
func (h *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
		default:
			if cmds, ok := uitest.Sequence(msg); ok {
				// In order: before anything queued after the sequence.
				queue = append(append([]tea.Cmd{}, cmds...), queue...)
				continue
			}
			var next tea.Cmd
			h.m, next = h.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

func (h *harness) send(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	h.m, cmd = h.m.Update(msg)
	return cmd
}

// press sends keys and runs what they start.
func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.run(h.send(keyMsg(k)))
	}
}

func keyMsg(k string) tea.KeyPressMsg { return uitest.Key(k) }

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.press(string(r))
	}
}

func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

func (h *harness) model() Model { return h.m.(Model) }

func (h *harness) track(ref string) string {
	c, err := h.st.Case(context.Background(), ref)
	if err != nil {
		h.t.Fatal(err)
	}
	return string(c.TrackOrNone())
}

func (h *harness) mustShow(want ...string) {
	h.t.Helper()
	s := h.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			h.t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

func TestQueueActThenAdvanceAndUndo(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("2")
	h.mustShow("TC/2026/05001", "Example Person", "► Default Paper", "Done today 0 · 3 left")
	// The next appeal is on screen before the database has answered.
	h.send(keyMsg("enter"))
	if cur, _ := h.model().queue.Current(); cur.Reference != "TC/2026/05002" {
		t.Fatalf("did not advance at once: %s", cur.Reference)
	}
	// A second session on the same file: the first press's command was never run, so nothing was saved.
	h2 := start(t, h.st, 80, 24)
	h2.press("2")
	h2.mustShow("TC/2026/05001")
	h2.press("enter") // accept: Default Paper
	h2.mustShow("TC/2026/05002", "LATE by 27 days", "Illness.")
	h2.press("b") // override: Basic
	h2.mustShow("TC/2026/05003", "► Complex")
	if got := h2.track("TC/2026/05001"); got != "paper" {
		t.Errorf("05001 = %q", got)
	}
	if got := h2.track("TC/2026/05002"); got != "basic" {
		t.Errorf("05002 = %q", got)
	}
	h2.press("u") // undo the Basic decision: 05002 comes back
	h2.mustShow("TC/2026/05002", "allocation undone")
	if got := h2.track("TC/2026/05002"); got != "" {
		t.Errorf("after undo 05002 = %q", got)
	}
	h2.press("s", "c")
	h2.mustShow("The queue is empty", "Done today 3")
	c, _ := h2.st.Case(context.Background(), "TC/2026/05002")
	kinds := []string{}
	for _, e := range c.Events {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "received,allocated,allocation-undone,allocated" {
		t.Errorf("history %v", kinds)
	}
}

func TestQueueSomeoneElseGotThere(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("2")
	// Another caseworker allocates the appeal on screen.
	h.st.Categorise(context.Background(), "TC/2026/05001", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "colleague", On: today}})
	h.press("p")
	h.mustShow("categorised by colleague", "moved on", "TC/2026/05002")
	if got := h.track("TC/2026/05001"); got != "standard" {
		t.Errorf("allocated twice: %q", got)
	}
}

func TestQueueSkipAndNote(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("2", "space")
	h.mustShow("TC/2026/05002", "skipped")
	h.press("n")
	h.typeText("Check the review letter")
	h.press("enter")
	h.mustShow("note added")
	c, _ := h.st.Case(context.Background(), "TC/2026/05002")
	if last := c.Events[len(c.Events)-1]; last.Kind != domain.EventNote || last.Data.Text != "Check the review letter" {
		t.Errorf("note: %+v", last)
	}
	h.press("space", "space")
	h.mustShow("TC/2026/05001") // skipped ones go round to the back
	h.press("space")
	h.mustShow("TC/2026/05002")
}

func TestInboxSnoozeAndDone(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.mustShow("3 new appeals to categorise", "late appeal needs permission (r20(4))")
	// The late appeal is the most urgent item after the queue? Move to it and mark it done.
	m := h.model()
	idx := -1
	for i, it := range m.inbox.Rows() {
		if it.Kind == "late-appeal" {
			idx = i
		}
	}
	for i := 0; i < idx; i++ {
		h.press("j")
	}
	h.press("z")
	h.mustShow("Snooze TC/2026/05002 until")
	h.press("enter") // the field starts empty: nothing is guessed
	h.mustShow("Not snoozed: TC/2026/05002: give a date or a number of days")
	h.press("z", "+", "1", "enter")
	h.mustShow("Why snooze TC/2026/05002 until Tue 17 Nov 2026?")
	h.press("enter") // why is optional
	h.mustShow("TC/2026/05002: snoozed until Tue 17 Nov 2026")
	if strings.Contains(h.screen(), "late appeal needs permission") {
		t.Error("snoozed item still shown")
	}
	h.press("x") // the queue is selected now: it has no case to record on
	h.mustShow("The queue leaves the inbox when every appeal is categorised")
	if got := len(h.model().inbox.Rows()); got != 1 {
		t.Errorf("%d items left", got)
	}
}

func TestDueDetailAndRecategorise(t *testing.T) {
	st := fixture(t, uitest.AllocatedSample)
	if _, err := st.Categorise(context.Background(), "TC/2026/05002", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: today.AddDays(-55)}}); err != nil {
		t.Fatal(err)
	}
	h := start(t, st, 80, 24)
	h.press("3")
	// Received 21 Sep, allocated 22 Sep 2026 + 60 = Sat 21 Nov -> Mon 23 Nov 2026: in 7 days, with its rule.
	h.mustShow("23/11/2026", "in 7 days", "TC/2026/05002", "r25(1)(b)")
	h.press("enter")
	h.mustShow("Deadlines", "Timeline", "Sample Trading Ltd", "allocated to Standard")
	h.press("r", "b")
	h.mustShow("Reason for re-categorising TC/2026/05002 to Basic")
	h.typeText("Penalty only")
	h.press("enter")
	h.mustShow("re-categorised to Basic")
	if got := h.track("TC/2026/05002"); got != "basic" {
		t.Errorf("track %q", got)
	}
	h.press("esc")
	if h.model().pane.IsOpen() {
		t.Error("esc did not close the detail")
	}
}

func TestCasesFilterAndSearch(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("4")
	h.mustShow("track all", "TC/2026/05003", "TC/2026/05001")
	h.press("l")
	h.mustShow("late only", "TC/2026/05002")
	if strings.Contains(h.screen(), "TC/2026/05001") {
		t.Error("late filter let an in-time case through")
	}
	h.press("/")
	h.typeText("samp")
	h.mustShow("1 found", "Sample Trading Ltd")
	h.press("enter")
	h.mustShow("Deadlines", "Sample & Co")
	h.press("esc")
	h.press("/")
	h.typeText(`"(NEAR`)
	h.mustShow("0 found")
	h.press("esc")
	if h.model().tab != screen.Cases {
		t.Errorf("esc returned to tab %d", h.model().tab)
	}
}

func TestQuitKeys(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	if cmd := h.send(keyMsg("q")); cmd == nil || cmd() != tea.Quit() {
		t.Error("q does not quit")
	}
	h.press("2", "n") // typing a note: q is a letter, ctrl+c still quits
	if cmd := h.send(keyMsg("ctrl+c")); cmd == nil || cmd() != tea.Quit() {
		t.Error("ctrl+c does not quit while typing")
	}
}

func TestHelpScreen(t *testing.T) {
	h := start(t, fixture(t, sample), 80, 24)
	h.press("?")
	h.mustShow("Keys", "snooze")
	// The help scrolls to every screen's keys, and esc closes it.
	for i := 0; i < 300 && !strings.Contains(h.screen(), "casework"); i++ {
		h.press("j")
	}
	h.mustShow("casework")
	h.press("esc")
	h.mustShow("urgency")
}

const hostile = "reference,received,decision_date,appellant,representative,subject,amount,grounds\n" +
	"TC/2026/05101,2026-11-09,2026-10-30,\"Evil\x1b[2J\x1b]0;pwned\x07 Ltd\",\"Rep\x1b]52;c;aGk=\x07\",vat,100,\"Grounds \u202eesrever\u202c and zero\u200bwidth\"\n" +
	"TC/2026/05102,2026-11-10,2026-10-30,株式会社テスト商事株式会社テスト商事株式会社,🎉 Party Reps 🎉,vat,100,Wide 株式会社 text\n"

func TestNothingWrapsOrEscapes(t *testing.T) {
	st := fixture(t, hostile)
	for _, size := range [][2]int{{80, 24}, {60, 20}, {120, 40}} {
		h := start(t, st, size[0], size[1])
		for _, keys := range [][]string{{"1"}, {"2"}, {"3"}, {"4"}, {"4", "enter"}, {"/", "t", "c"}, {"esc", "?"}} {
			h.press(keys...)
			raw := h.m.View().Content
			if strings.Contains(ansi.Strip(raw), "\x1b") || strings.Contains(raw, "\x1b]0;") || strings.Contains(raw, "\x1b]52") || strings.Contains(raw, "\x1b[2J") || strings.Contains(raw, "\u202e") || strings.Contains(raw, "\u200b") {
				t.Fatalf("%v at %v: escape or bidi reached the terminal", keys, size)
			}
			lines := strings.Split(raw, "\n")
			if len(lines) > size[1] {
				t.Errorf("%v at %v: %d lines", keys, size, len(lines))
			}
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%v at %v: line %d cells wide: %q", keys, size, w, ansi.Strip(l))
				}
			}
		}
	}
}

// TestGoldenScreens keeps every screen, the open case and the help at
// 80x24, 60x20 and 120x40, colour off (go test ./tui -update rewrites them).
func TestGoldenScreens(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{"inbox", nil},
		{"queue", []string{"2"}},
		{"due", []string{"3"}},
		{"cases", []string{"4"}},
		{"search", []string{"/", "s", "a", "m"}},
		{"reports", []string{"6"}},
		{"detail", []string{"4", "enter"}},
		{"help", []string{"?"}},
		{"queries", []string{"7"}},
		{"callform", []string{"N", "S", "a", "m"}},
	}
	for _, size := range [][2]int{{80, 24}, {60, 20}, {120, 40}} {
		for _, sc := range screens {
			name := fmt.Sprintf("%s-%dx%d", sc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				st := fixture(t, sample)
				if sc.name == "due" {
					// Received 21 Sep and allocated 22 Sep 2026: its statement of
					// case is due Mon 23 Nov, a row in the Due list's 7 days.
					st = fixture(t, uitest.AllocatedSample)
					if _, err := st.Categorise(context.Background(), "TC/2026/05002", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: today.AddDays(-55)}}); err != nil {
						t.Fatal(err)
					}
				}
				if sc.name == "queries" || sc.name == "callform" {
					addQueries(t, st)
				}
				h := start(t, st, size[0], size[1])
				h.press(sc.keys...)
				got := h.screen()
				path := filepath.Join("testdata", name+".golden")
				if *update {
					os.WriteFile(path, []byte(got), 0o644)
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./tui -update)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from %s:\n%s", name, path, got)
				}
			})
		}
	}
}

func TestDetailCaseworkActions(t *testing.T) {
	st := fixture(t, sample)
	st.Categorise(context.Background(), "TC/2026/05002", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: today}})
	h := start(t, st, 100, 30)
	h.press("4", "j", "enter")
	h.mustShow("Sample Trading Ltd", "Deadlines")
	h.press(":")
	h.typeText("flag urgent")
	h.press("enter")
	h.mustShow("flagged: urgent", "Flags")
	h.press(":")
	h.typeText("direction appellant 14 Send the bank statements")
	h.press("enter")
	// 16 Nov 2026 + 14 = Mon 30 Nov 2026.
	h.mustShow("direction to appellant, due Mon 30 Nov 2026")
	h.press(":")
	h.typeText("refer judge Late by 26 days: admit?")
	h.press("enter")
	h.mustShow("referred to the judge", "1 waiting for a response")
	h.press(":")
	h.typeText("comply")
	h.press("enter")
	h.mustShow("complied with direction")
	h.press(":")
	h.typeText("return grounds")
	h.press("enter")
	h.mustShow("TC/2026/05002: return the notice (it leaves the queue)? y to confirm")
	h.press("y")
	h.mustShow("only a notice waiting in the queue can be returned")
	c, _ := st.Case(context.Background(), "TC/2026/05002")
	if len(c.Flags) != 1 || c.OpenReferrals != 1 {
		t.Errorf("flags %v referrals %d", c.Flags, c.OpenReferrals)
	}
	h.press("esc", "1")
	h.mustShow("urgency", "referral waiting")
}

func TestReportsScreenAndExport(t *testing.T) {
	st := fixture(t, sample)
	dir := t.TempDir()
	m, err := New(Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "tester", NoColor: true, ExportDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, m: m, st: st}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(m.Init())
	h.press("6")
	h.mustShow("[rejections]", "Rejection rates", "received")
	h.press("]")
	h.mustShow("[extensions]", "Late appeals")
	h.press("e")
	h.mustShow("Exported to")
	files, _ := filepath.Glob(filepath.Join(dir, "extensions-*.csv"))
	if len(files) != 1 {
		t.Fatalf("exported files: %v", files)
	}
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o600 {
		t.Errorf("export mode %o", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(files[0])
	if !strings.Contains(string(b), "Late appeals: permission to appeal late (r20(4))") {
		t.Errorf("csv:\n%s", b)
	}
	// [ from extensions goes back to rejections, then round to the last
	// report (fees) and on.
	h.press("[", "[")
	h.mustShow("[fees]")
}

func TestOldCasesAndProgress(t *testing.T) {
	st := fixture(t, sample)
	// Seen from 1 March 2027, every case has had no activity for over 90 days.
	m, _ := New(Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: domain.MustDate("2027-03-01"), User: "tester", NoColor: true})
	h := &harness{t: t, m: m, st: st}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(m.Init())
	h.mustShow("old case: no activity for")
	h.press("4", "v")
	h.mustShow("old cases", "TC/2026/05001")
	h.press("enter", "P")
	h.mustShow("TC/2026/05001: what was done? r reviewed")
	h.press("r")
	h.mustShow("reviewed as an old case — nothing needed yet")
}

// addQueries records two calls: one about TC/2026/05002, one about no case.
func addQueries(t *testing.T, st *store.Store) {
	t.Helper()
	act := store.ActOptions{User: "officer", On: today}
	for _, nq := range []store.NewQuery{
		{Channel: domain.ChannelPhone, Contact: domain.Contact{Name: "Sam Agent", Role: domain.RoleRepresentative}, Reference: "TC/2026/05002",
			Topic: "progress", Summary: "asked when the case will be categorised", NewContact: true},
		{Channel: domain.ChannelEmail, Contact: domain.Contact{Name: "Pat Public", Email: "pat@example.org"}, Topic: "how-to-apply",
			Summary: "how do I appeal a penalty?", NewContact: true},
	} {
		if _, err := st.AddQuery(context.Background(), nq, act); err != nil {
			t.Fatal(err)
		}
	}
}
