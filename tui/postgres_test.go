package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/pgtest"
	"github.com/caseload/caseload/store/synthetic"
	"github.com/caseload/caseload/tui/uitest"
)

// TestGoldenScreensOnPostgreSQL: the UI built on a PostgreSQL store with
// the golden tests' notices draws the golden screens at 80x24, to the
// character (the same files TestGoldenScreens keeps for SQLite).
func TestGoldenScreensOnPostgreSQL(t *testing.T) {
	pgtest.Require(t)
	for _, sc := range []struct {
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
		{"queries", []string{"7"}},
		{"callform", []string{"N", "S", "a", "m"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			csv := sample
			if sc.name == "due" {
				csv = uitest.AllocatedSample
			}
			st := uitest.StoreAt(t, pgtest.Fresh(t), csv)
			if sc.name == "due" {
				if _, err := st.Categorise(context.Background(), "TC/2026/05002", domain.Standard, store.CategoriseOptions{ActOptions: store.ActOptions{User: "t", On: today.AddDays(-55)}}); err != nil {
					t.Fatal(err)
				}
			}
			if sc.name == "queries" || sc.name == "callform" {
				addQueries(t, st)
			}
			h := start(t, st, 80, 24)
			h.press(sc.keys...)
			want, err := os.ReadFile(filepath.Join("testdata", sc.name+"-80x24.golden"))
			if err != nil {
				t.Fatal(err)
			}
			if got := h.screen(); got != string(want) {
				t.Errorf("%s on PostgreSQL differs from its golden file:\n%s\n%s", sc.name, got, firstLineApart(got, string(want)))
			}
		})
	}
}

// firstLineApart names the first line where two screens differ.
func firstLineApart(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  postgres: %s\n  sqlite:   %s", i+1, a, b)
		}
	}
	return ""
}

// demoStore is the demo caseload on db, as `caseload demo` loads it.
func demoStore(t *testing.T, db string) *store.Store {
	t.Helper()
	st := uitest.StoreAt(t, db, "")
	if _, err := synthetic.Demo(context.Background(), st, today, "tester"); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestDemoScreensSameOnPostgreSQL: the demo caseload in SQLite and in
// PostgreSQL, the UI on each at 80x24: every screen, the case pane, a
// search typed a letter at a time and the queue card are the same on both,
// and so are they after a categorisation on the card and a snooze in the
// inbox, which are in the PostgreSQL database as events on the cases.
func TestDemoScreensSameOnPostgreSQL(t *testing.T) {
	url := pgtest.Fresh(t)
	lite := start(t, demoStore(t, filepath.Join(t.TempDir(), "demo.db")), 80, 24)
	pg := start(t, demoStore(t, url), 80, 24)
	same := func(what string) string {
		t.Helper()
		a, b := lite.screen(), pg.screen()
		if a != b {
			t.Errorf("%s differs on PostgreSQL:\n%s\n%s", what, b, firstLineApart(b, a))
		}
		return b
	}
	both := func(keys ...string) {
		lite.press(keys...)
		pg.press(keys...)
	}
	same("the inbox")
	for _, step := range []struct {
		what string
		keys []string
	}{
		{"the inbox's next view", []string{"f"}},
		{"the inbox's mail", []string{"f", "f"}},
		{"the queue card", []string{"2"}},
		{"the due screen", []string{"3"}},
		{"the due screen's 28 days", []string{"r", "r"}},
		{"the cases", []string{"4"}},
		{"the cases sorted", []string{"o"}},
		{"the cases at their end", []string{"G"}},
		{"a case open", []string{"g", "j", "enter"}},
		{"the case scrolled", []string{"+", "j", "j", "j"}},
		{"the reports", []string{"esc", "esc", "6"}},
		{"the next report", []string{"]"}},
		{"the ageing report", []string{"]"}},
		{"the queries", []string{"7"}},
		{"the queries by channel", []string{"c"}},
		{"the search", []string{"/"}},
		{"the search: s", []string{"s"}},
		{"the search: sm", []string{"m"}},
		{"the search: smi", []string{"i"}},
		{"the search: smi t", []string{" ", "t"}},
		{"the search for a quote", []string{"backspace", "backspace", "backspace", "backspace", "backspace", `"`, "o", "'"}},
		{"jurisdiction switched", []string{"esc", "1", "J"}},
		{"back to all", []string{"J", "J", "J", "J", "J"}},
	} {
		both(step.keys...)
		same(step.what)
	}

	// A categorisation on the queue card: the first appeal allocated to
	// Basic, the next shown.
	both("2")
	card := same("the queue card before")
	ref := firstRef(card)
	if ref == "" {
		t.Fatalf("no reference on the queue card:\n%s", card)
	}
	before := pg.track(ref)
	both("a")
	same("the queue card after a (the suggestion accepted)")
	for _, h := range []*harness{lite, pg} {
		c, err := h.st.Case(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if last := c.Events[len(c.Events)-1]; last.User != "tester" || string(c.TrackOrNone()) == before {
			t.Errorf("%s after a on the card: track %q (was %q), last event %s by %s (PostgreSQL: %v)", ref, c.TrackOrNone(), before, last.Kind, last.User, h == pg)
		}
	}

	// A snooze in the inbox: the first item until Friday, with a reason.
	both("1", "g")
	for i := 0; i < 8 && !strings.Contains(pg.screen(), "[all]"); i++ {
		both("f")
	}
	inbox := same("the inbox before the snooze")
	snoozed := firstRef(inbox)
	if snoozed == "" || strings.HasSuffix(snoozed, "…") {
		t.Fatalf("no whole reference on the inbox's first row:\n%s", inbox)
	}
	both("z")
	same("the snooze asked")
	both("+", "3", "enter")
	same("the snooze's reason asked")
	lite.typeText("waiting for HMRC")
	pg.typeText("waiting for HMRC")
	both("enter")
	same("the inbox after the snooze")
	both("Z")
	same("the snoozed items")
	c, err := pg.st.Case(context.Background(), snoozed)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range c.Events {
		found = found || e.Kind == domain.EventSnoozed && e.User == "tester" && strings.Contains(e.Detail, "waiting for HMRC")
	}
	if !found {
		t.Errorf("no snoozed event on %s in PostgreSQL: %+v", snoozed, c.Events)
	}
}

// firstRef is the first case reference on a screen (the selected row, the
// card's case).
func firstRef(screen string) string {
	for _, f := range strings.Fields(screen) {
		f = strings.Trim(f, "▸>*·!")
		if strings.HasPrefix(f, "TC/") || strings.HasPrefix(f, "AC-") || strings.HasPrefix(f, "JR/") {
			return f
		}
	}
	return ""
}
