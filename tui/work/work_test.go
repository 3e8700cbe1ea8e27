package work

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/theme"
)

var today = domain.MustDate("2026-11-16")

const sample = "reference,received,decision_date,appellant,representative,subject,amount,grounds,late_reason\n" +
	"TC/2026/05001,2026-11-09,2026-10-30,Example Person,,late-filing-penalty,100.00,Return was filed on time.,\n" +
	"TC/2026/05002,2026-11-10,2026-09-15,Sample Trading Ltd,Sample & Co,vat,25000,Input tax disallowed.,Illness.\n" +
	"TC/2026/05003,2026-11-11,2026-10-20,Test Holdings plc,,corporation-tax,3000000,Important principle.,\n"

// teamStore is a real store with the sample appeals, a team leader and two
// caseworkers.
func teamStore(t *testing.T) *store.Store {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(filepath.Join(dir, "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := filepath.Join(dir, "in.csv")
	os.WriteFile(p, []byte(sample), 0o600)
	ctx := context.Background()
	if _, err := s.Import(ctx, []string{p}, store.ImportOptions{ActOptions: store.ActOptions{User: "import", On: today}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, "lead", domain.TeamLeader, "", store.ActOptions{User: "lead"}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"alice", "bob"} {
		if err := s.AddUser(ctx, n, domain.Caseworker, "", store.ActOptions{User: "lead"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

type session struct {
	t *testing.T
	m Model
	// status is the last status line the component gave (the root shows it).
	status string
}

func open(t *testing.T, st *store.Store, user string, w, h int) *session {
	role, _ := st.Role(context.Background(), user)
	styles := theme.New(true, false, true)
	m := New(st, store.ActOptions{User: user, On: today}, Leader(role), DefaultKeyMap(), &styles)
	m.SetSize(w, h)
	sc := &session{t: t, m: m}
	sc.run(m.Init())
	return sc
}

// run carries out a command and hands its message back, as the program would.
func (sc *session) run(cmd tea.Cmd) {
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			return
		}
		if _, ok := msg.(OpenMsg); ok {
			return
		}
		sc.m, cmd = sc.m.Update(msg)
		sc.keep()
	}
}

func (sc *session) keep() {
	if sc.m.Status != "" {
		sc.status = sc.m.Status
	}
}

func (sc *session) press(keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		default:
			r := []rune(k)[0]
			msg = tea.KeyPressMsg{Code: r, Text: k}
		}
		var cmd tea.Cmd
		sc.status = ""
		sc.m, cmd = sc.m.Update(msg)
		sc.keep()
		// The prompt's cursor commands are timers: not run here.
		if !sc.m.Typing() {
			sc.run(cmd)
		}
	}
}

func (sc *session) view() string { return ansi.Strip(sc.m.View()) }

func TestMyWorkAvailableTakeAndRace(t *testing.T) {
	st := teamStore(t)
	alice, bob := open(t, st, "alice", 80, 24), open(t, st, "bob", 80, 24)
	if v := alice.view(); !strings.Contains(v, "My work (0)") || !strings.Contains(v, "Nothing is yours yet") {
		t.Errorf("alice's empty work:\n%s", v)
	}
	if strings.Contains(alice.view(), "All work") {
		t.Error("a caseworker is offered All work")
	}
	alice.press("v")
	bob.press("v")
	v := alice.view()
	if !strings.Contains(v, "Available (3)") || !strings.Contains(v, "TC/2026/05001") || !strings.Contains(v, "to categorise") {
		t.Fatalf("available:\n%s", v)
	}
	alice.press("t")
	if !strings.Contains(alice.status, "TC/2026/05001: taken") || !strings.Contains(alice.view(), "Available (2)") {
		t.Errorf("after take: %q\n%s", alice.status, alice.view())
	}
	// Bob's list was read before alice took it: his claim fails, saying who was first.
	bob.press("t")
	if !strings.Contains(bob.status, "already taken by alice") {
		t.Errorf("bob's late claim: %q", bob.status)
	}
	if !strings.Contains(bob.view(), "Available (2)") {
		t.Errorf("bob's list is not refreshed after the refusal:\n%s", bob.view())
	}
	alice.press("m")
	if v := alice.view(); !strings.Contains(v, "My work (1)") || !strings.Contains(v, "Example Person") {
		t.Errorf("alice's work:\n%s", v)
	}
	alice.press("A")
	if alice.status != "All work is for team leaders" {
		t.Errorf("a caseworker asked for all work: %q", alice.status)
	}
	alice.press("g")
	if alice.m.Typing() || !strings.Contains(alice.status, "team leaders") {
		t.Error("a caseworker was asked whom to assign to")
	}
	alice.press("r")
	if !strings.Contains(alice.status, "released") || !strings.Contains(alice.view(), "My work (0)") {
		t.Errorf("release: %q\n%s", alice.status, alice.view())
	}
}

func TestAllWorkAssignAndOwnerFilter(t *testing.T) {
	st := teamStore(t)
	ctx := context.Background()
	st.Take(ctx, store.Item{Reference: "TC/2026/05002"}, store.ActOptions{User: "alice", On: today})
	st.Take(ctx, store.Item{Reference: "TC/2026/05003"}, store.ActOptions{User: "bob", On: today})
	lead := open(t, st, "lead", 100, 30)
	lead.press("A")
	v := lead.view()
	if !strings.Contains(v, "All work (2)") || !strings.Contains(v, "alice") || !strings.Contains(v, "bob") {
		t.Fatalf("all work:\n%s", v)
	}
	lead.press("o")
	if !lead.m.Typing() {
		t.Fatal("no owner prompt")
	}
	lead.press("a", "l", "i", "c", "e", "enter")
	lead.run(lead.m.load())
	if v := lead.view(); !strings.Contains(v, "All work: alice (1)") || strings.Contains(v, "Test Holdings") {
		t.Fatalf("alice's work only:\n%s", v)
	}
	lead.press("g", "b", "o", "b", "enter")
	if o, _ := st.Owner(ctx, store.Item{Reference: "TC/2026/05002"}); o != "bob" || !strings.Contains(lead.status, "assigned to bob") {
		t.Errorf("owner %q after assigning to bob (%q)", o, lead.status)
	}
	if v := lead.view(); !strings.Contains(v, "All work: alice (0)") {
		t.Errorf("the list is not refreshed after the assignment:\n%s", v)
	}
}

func TestViewFitsItsSize(t *testing.T) {
	st := teamStore(t)
	for _, size := range [][2]int{{80, 24}, {60, 20}, {120, 40}} {
		sc := open(t, st, "lead", size[0], size[1])
		sc.press("v")
		lines := strings.Split(sc.m.View(), "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, ansi.Strip(l))
			}
		}
	}
}
