package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"

	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// reserver is a lease table of one other session, bob's, holding some
// appeals.
type reserver map[string]bool

func (r reserver) Reserve(_ context.Context, refs []string, n int, _ []string) (store.Reservation, error) {
	res := store.Reservation{Others: map[string]string{}}
	for _, ref := range refs {
		switch {
		case len(res.Held) == n:
			return res, nil
		case r[ref]:
			res.Others[ref] = "bob"
		default:
			res.Held = append(res.Held, ref)
		}
	}
	return res, nil
}

// TestLiveUpdateMovesTheCardOnAndRefreshesCounts: someone else decides the
// appeal on the card; without a key press the card moves on, saying who,
// and the header counts follow.
func TestLiveUpdateMovesTheCardOnAndRefreshesCounts(t *testing.T) {
	st := fixture(t, sample)
	h := start(t, st, 80, 24)
	h.press("2")
	view := func() string { return ansi.Strip(h.m.View().Content) }
	if !strings.Contains(view(), "TC/2026/05001  Example Person") || !strings.Contains(view(), "queue 3") {
		t.Fatalf("queue:\n%s", view())
	}
	if _, err := st.Categorise(context.Background(), "TC/2026/05001", domain.Paper,
		store.CategoriseOptions{ActOptions: store.ActOptions{User: "bob", On: today}}); err != nil {
		t.Fatal(err)
	}
	h.run(h.send(LiveMsg{Changes: []Change{{By: "bob", Kind: domain.EventAllocated, Reference: "TC/2026/05001"}}}))
	v := view()
	if !strings.Contains(v, "TC/2026/05001: categorised by bob; moved on") || !strings.Contains(v, "TC/2026/05002  Sample") ||
		!strings.Contains(v, "queue 2") {
		t.Errorf("after bob's decision:\n%s", v)
	}
	// Another process's change (unknown what): the card is read again.
	st.Categorise(context.Background(), "TC/2026/05002", domain.Standard,
		store.CategoriseOptions{ActOptions: store.ActOptions{User: "carol", On: today}})
	h.run(h.send(LiveMsg{}))
	if v := view(); !strings.Contains(v, "TC/2026/05002: categorised by carol; moved on") || !strings.Contains(v, "queue 1") {
		t.Errorf("after another process's decision:\n%s", v)
	}
}

// TestReservedAppealsAreNeverDrawn: an appeal another session holds is
// passed over before the card is drawn.
func TestReservedAppealsAreNeverDrawn(t *testing.T) {
	st := fixture(t, sample)
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "alice", NoColor: true,
		Reserver: reserver{"TC/2026/05001": true}}, 80, 24)
	h.press("2")
	v := ansi.Strip(h.m.View().Content)
	if strings.Contains(v, "TC/2026/05001") || !strings.Contains(v, "TC/2026/05002  Sample") {
		t.Errorf("the card shows an appeal someone else holds:\n%s", v)
	}
}

// TestWorkScreensInTheRoot: with a work store the UI opens on My work; a
// caseworker takes an available case, opens it, and the screen keys still
// lead to the other screens.
func TestWorkScreensInTheRoot(t *testing.T) {
	st := fixture(t, sample)
	ctx := context.Background()
	st.AddUser(ctx, "lead", domain.TeamLeader, "", store.ActOptions{User: "lead"})
	st.AddUser(ctx, "alice", domain.Caseworker, "", store.ActOptions{User: "lead"})
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "alice", NoColor: true, Work: st}, size[0], size[1])
		view := func() string { return ansi.Strip(h.m.View().Content) }
		if v := view(); !strings.Contains(v, "My work (") || strings.Contains(v, "All work") {
			t.Fatalf("%v: the first screen:\n%s", size, v)
		}
		h.press("v")
		if v := view(); !strings.Contains(v, "Available (") || !strings.Contains(v, "TC/2026/0500") {
			t.Fatalf("%v: available:\n%s", size, v)
		}
		for i, l := range strings.Split(h.m.View().Content, "\n") {
			if ansi.StringWidth(l) > size[0] {
				t.Errorf("%v: line %d is wider than the screen: %q", size, i, l)
			}
		}
		h.press("enter")
		if v := view(); !strings.Contains(v, "Timeline") && !strings.Contains(v, "Received") {
			t.Errorf("%v: enter did not open the case:\n%s", size, v)
		}
		h.press("esc", "2")
		if v := view(); !strings.Contains(v, "Suggested") {
			t.Errorf("%v: the queue key from work:\n%s", size, v)
		}
		h.press("w")
		if v := view(); !strings.Contains(v, "Available (") {
			t.Errorf("%v: w back to work:\n%s", size, v)
		}
	}
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "alice", NoColor: true, Work: st}, 80, 24)
	h.press("v", "t")
	if o, _ := st.Owner(ctx, store.Item{Reference: "TC/2026/05001"}); o != "alice" {
		t.Errorf("t on Available: owner %q", o)
	}
	h.press("m")
	if v := ansi.Strip(h.m.View().Content); !strings.Contains(v, "My work (1)") {
		t.Errorf("my work after taking:\n%s", v)
	}
}

// TestWorkIsAScreen: the work screens are routed like any screen: their
// action's outcome reaches the status line by message, their keys are in
// the footer and the help, search comes back to them, and beside the list
// the pane follows their cursor.
func TestWorkIsAScreen(t *testing.T) {
	st := fixture(t, sample)
	ctx := context.Background()
	st.AddUser(ctx, "lead", domain.TeamLeader, "", store.ActOptions{User: "lead"})
	st.AddUser(ctx, "alice", domain.Caseworker, "", store.ActOptions{User: "lead"})
	cfg := Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "alice", NoColor: true, Work: st}
	h := startWith(t, cfg, 80, 24)
	h.mustShow("My work (0)", "m my work · v available · t take")
	h.press("v", "t")
	h.mustShow("TC/2026/05001: taken; it is in My work")
	if h.model().Busy() {
		t.Error("working… stays after the take answered")
	}
	h.press("/", "esc")
	h.mustShow("Available (")
	h.press("?")
	h.mustShow("Work", "t take", "r release")
	if g := h.model().globalKeys(); !g.work || !slices.ContainsFunc(g.FullHelp()[0], func(b key.Binding) bool { return b.Help().Key == "w" }) {
		t.Error("the help's Everywhere section lacks the work key")
	}
	h.press("esc", "w")
	if v := h.screen(); strings.Contains(v, "Available (") || !strings.Contains(v, "Inbox") {
		t.Errorf("w did not go back to the inbox:\n%s", v)
	}
	h.press("w")
	h.mustShow("Available (")

	wide := startWith(t, cfg, 120, 40)
	wide.press("v", "enter")
	first, _ := wide.model().pane.Shows()
	wide.press("j")
	second, _ := wide.model().pane.Shows()
	if first == "" || second == "" || first == second {
		t.Errorf("the pane beside the work list did not follow the cursor: %q then %q", first, second)
	}
	wide.mustShow("Available (")
}

// TestWorkloadOnTheReportsScreen: a team leader's Reports screen ends with
// the workload report (who holds what, oldest item, decided today); a
// caseworker's has no workload report.
func TestWorkloadOnTheReportsScreen(t *testing.T) {
	st := fixture(t, sample)
	ctx := context.Background()
	st.AddUser(ctx, "lead", domain.TeamLeader, "", store.ActOptions{User: "lead"})
	st.AddUser(ctx, "alice", domain.Caseworker, "", store.ActOptions{User: "lead"})
	if err := st.Take(ctx, store.Item{Reference: "TC/2026/05002"}, store.ActOptions{User: "alice", On: today}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Categorise(ctx, "TC/2026/05001", domain.Paper, store.CategoriseOptions{ActOptions: store.ActOptions{User: "alice", On: today}}); err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "lead", NoColor: true,
			Work: st, Leader: true}, size[0], size[1])
		h.press("6", "[")
		v := ansi.Strip(h.m.View().Content)
		if !strings.Contains(v, "[workload]") || !strings.Contains(v, "Workload, Mon 16 Nov 2026") {
			t.Fatalf("%v: [ from the first report is not the workload report:\n%s", size, v)
		}
		var alice string
		for _, l := range strings.Split(v, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "alice") {
				alice = strings.Join(strings.Fields(l), " ")
			}
		}
		// alice holds one case (05002, taken; 05001, which she decided, is
		// no one's): 1 case, 0 mail, the oldest received Tue 10 Nov 2026
		// (05002), 1 decided today (05001), 0 reassigned.
		want := "alice 1 0 10/11/2026 TC/2026/05002 1 0"
		if size[0] < 80 {
			want = "alice 1 0 10/11/2026 TC/2026/05002" // the rest is cut at 60
		}
		if !strings.HasPrefix(alice, want) {
			t.Errorf("%v: alice's line %q:\n%s", size, alice, v)
		}
	}
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "alice", NoColor: true, Work: st}, 80, 24)
	h.press("6", "[")
	if v := ansi.Strip(h.m.View().Content); strings.Contains(v, "workload") {
		t.Errorf("a caseworker's Reports screen offers the workload report:\n%s", v)
	}
}

// TestWorkKeysRebindable: every key of the work screens comes from the
// UI's key map, so config.toml rebinds it: the footer shows the new key,
// the old one does nothing and the new one acts.
func TestWorkKeysRebindable(t *testing.T) {
	st := fixture(t, sample)
	ctx := context.Background()
	st.AddUser(ctx, "lead", domain.TeamLeader, "", store.ActOptions{User: "lead"})
	st.AddUser(ctx, "alice", domain.Caseworker, "", store.ActOptions{User: "lead"})
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "alice", NoColor: true, Work: st,
		Keys: map[string][]string{"take": {"T"}, "available": {"V"}, "my_work": {"M"}, "release": {"R"}}}, 80, 24)
	h.mustShow("M my work · V available · T take · R release")
	h.press("v")
	if v := ansi.Strip(h.m.View().Content); strings.Contains(v, "Available (") {
		t.Fatalf("the old available key still works:\n%s", v)
	}
	h.press("V", "t")
	if o, _ := st.Owner(ctx, store.Item{Reference: "TC/2026/05001"}); o != "" {
		t.Fatalf("the old take key took 05001 for %q", o)
	}
	h.press("T")
	if o, _ := st.Owner(ctx, store.Item{Reference: "TC/2026/05001"}); o != "alice" {
		t.Fatalf("T (take, rebound) on Available: owner %q", o)
	}
	h.press("M")
	h.mustShow("My work (1)")
	h.press("R")
	if o, _ := st.Owner(ctx, store.Item{Reference: "TC/2026/05001"}); o != "" {
		t.Errorf("R (release, rebound): owner %q", o)
	}
	h.press("?")
	h.mustShow("T", "take")
}

// countsSeen is the store with the header counts' context recorded.
type countsSeen struct {
	*store.Store
	seen chan error
}

func (s countsSeen) Counts(ctx context.Context, today domain.Date) (store.Counts, error) {
	s.seen <- ctx.Err()
	return s.Store.Counts(ctx, today)
}

// TestNewWithContextRunsCommandsUnderIt: a team server's session builds
// the UI with its own context; the UI's reads run under it, so when the
// session ends they are cancelled (New's, for one person, never are).
func TestNewWithContextRunsCommandsUnderIt(t *testing.T) {
	st := countsSeen{fixture(t, sample), make(chan error, 10)}
	ctx, cancel := context.WithCancel(context.Background())
	m, err := NewWithContext(ctx, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "tester", NoColor: true})
	if err != nil {
		t.Fatal(err)
	}
	cancel() // the session ended with the first reads still to run
	h := &harness{t: t, m: m, st: st.Store}
	h.run(m.Init())
	select {
	case err := <-st.seen:
		if err != context.Canceled {
			t.Errorf("the counts were read under a context that was not cancelled: %v", err)
		}
	default:
		t.Fatal("the start did not read the counts")
	}
}

// TestWorkPromptTakesTheLetterKey: typing an owner or an assignee on the
// work screens, W is a letter of the name (the letter key came first and
// opened the letters of the selected case), and so are the other keys.
func TestWorkPromptTakesTheLetterKey(t *testing.T) {
	st := fixture(t, sample)
	ctx := context.Background()
	st.AddUser(ctx, "lead", domain.TeamLeader, "", store.ActOptions{User: "lead"})
	st.AddUser(ctx, "Wanda", domain.Caseworker, "", store.ActOptions{User: "lead"})
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "lead", NoColor: true, Work: st,
		Leader: true}, 80, 24)
	h.press("A", "o")
	if !h.model().work.Typing() {
		t.Fatalf("o on All work does not ask for an owner:\n%s", h.screen())
	}
	h.press("W", "a", "n", "d", "a", "U")
	if h.model().letters.open {
		t.Fatalf("W while typing an owner opened the letters:\n%s", h.screen())
	}
	h.mustShow("WandaU")
}

// cards is a lease table shared by sessions, as the database's is, that
// records what each session asked to keep.
type cards struct {
	held  map[string]string // reference: session
	until time.Time
	kept  map[string][]string // session: every appeal it asked to keep
}

// cardOf is one session's Reserver on the table.
type cardOf struct {
	c       *cards
	session string
}

func (s cardOf) Reserve(_ context.Context, refs []string, n int, keep []string) (store.Reservation, error) {
	c := s.c
	res := store.Reservation{Others: map[string]string{}, Until: c.until}
	c.kept[s.session] = append(c.kept[s.session], keep...)
	mine := map[string]bool{}
	for _, ref := range refs {
		if len(res.Held) == n {
			break
		}
		if h, ok := c.held[ref]; ok && h != s.session {
			res.Others[ref] = h
			continue
		}
		c.held[ref] = s.session
		mine[ref] = true
		res.Held = append(res.Held, ref)
	}
	for ref, h := range c.held {
		if h == s.session && !mine[ref] && !slices.Contains(keep, ref) {
			delete(c.held, ref)
		}
	}
	return res, nil
}

// TestDecidingShowsTheHeldNextAtOnce: a session holds its card's appeal
// and the next; deciding shows the next before any round trip, the
// decided one is kept until its decision is saved, and another session's
// appeal is never drawn.
func TestDecidingShowsTheHeldNextAtOnce(t *testing.T) {
	st := fixture(t, sample)
	table := &cards{held: map[string]string{}, until: time.Now().Add(time.Hour), kept: map[string][]string{}}
	open := func(user string) *harness {
		return startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: user, NoColor: true,
			Reserver: cardOf{table, user}}, 80, 24)
	}
	alice, bob := open("alice"), open("bob")
	alice.press("2")
	bob.press("2")
	alice.mustShow("TC/2026/05001  Example Person")
	bob.mustShow("TC/2026/05003  Test Holdings")
	if table.held["TC/2026/05002"] != "alice" {
		t.Fatalf("alice does not hold the next appeal: %v", table.held)
	}
	cmd := alice.send(keyMsg("a"))
	alice.mustShow("TC/2026/05002  Sample") // before the decision or any reservation ran
	alice.run(cmd)
	if !slices.Contains(table.kept["alice"], "TC/2026/05001") {
		t.Errorf("the appeal being decided was not kept while it was saved: %v", table.kept)
	}
	if v := alice.screen(); strings.Contains(v, "TC/2026/05003") {
		t.Errorf("alice was shown bob's appeal:\n%s", v)
	}
	if alice.track("TC/2026/05001") != "paper" {
		t.Errorf("05001: track %q, want paper", alice.track("TC/2026/05001"))
	}
}

// TestLapsedHoldIsNotActedOn: after a lease has lapsed (a caseworker away
// longer than it lasts) a key does nothing to the appeal shown until it
// is reserved again: someone else may have it by now.
func TestLapsedHoldIsNotActedOn(t *testing.T) {
	st := fixture(t, sample)
	table := &cards{held: map[string]string{}, until: time.Now().Add(-time.Second), kept: map[string][]string{}}
	h := startWith(t, Config{Store: st, Packs: []*domain.RulePack{st.Pack()}, Today: today, User: "carol", NoColor: true,
		Reserver: cardOf{table, "carol"}}, 80, 24)
	h.press("2")
	h.mustShow("TC/2026/05001  Example Person")
	h.press("a")
	if tr := h.track("TC/2026/05001"); tr != "" {
		t.Errorf("a lapsed hold was acted on: 05001 is %q", tr)
	}
	h.mustShow("Reserving an appeal for your card")
}
