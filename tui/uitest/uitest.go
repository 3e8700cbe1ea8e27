// Package uitest is what the UI packages' tests share: a real store on a
// temporary file, the dependencies a screen is built with, and a way to run
// a screen's commands as the program would.
package uitest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/theme"
)

// Today is the date the tests run on.
var Today = domain.MustDate("2026-11-16")

// Sample is three appeals: one in time, one late, one large.
const Sample = "reference,received,decision_date,appellant,representative,subject,amount,grounds,late_reason\n" +
	"TC/2026/05001,2026-11-09,2026-10-30,Example Person,,late-filing-penalty,100.00,Return was filed on time.,\n" +
	"TC/2026/05002,2026-11-10,2026-09-15,Sample Trading Ltd,Sample & Co,vat,25000,Input tax disallowed.,Illness.\n" +
	"TC/2026/05003,2026-11-11,2026-10-20,Test Holdings plc,,corporation-tax,3000000,Important principle.,\n"

// AllocatedSample is Sample with TC/2026/05002 received on Mon 21 Sep 2026
// (in time), so it can be allocated on Tue 22 Sep 2026: an allocation may
// not be dated before the notice was received.
const AllocatedSample = "reference,received,decision_date,appellant,representative,subject,amount,grounds,late_reason\n" +
	"TC/2026/05001,2026-11-09,2026-10-30,Example Person,,late-filing-penalty,100.00,Return was filed on time.,\n" +
	"TC/2026/05002,2026-09-21,2026-09-15,Sample Trading Ltd,Sample & Co,vat,25000,Input tax disallowed.,\n" +
	"TC/2026/05003,2026-11-11,2026-10-20,Test Holdings plc,,corporation-tax,3000000,Important principle.,\n"

// Store is a store on a temporary file holding csv's notices.
func Store(t testing.TB, csv string) *store.Store {
	t.Helper()
	return StoreAt(t, filepath.Join(t.TempDir(), "c.db"), csv)
}

// Clock is the time of day every test store records its events at.
var Clock = time.Date(2026, 11, 16, 9, 30, 0, 0, time.UTC)

// StoreAt is Store on the database db names (a file, or a PostgreSQL URL
// for the tests that run the UI there too, given a files folder of its own:
// a file keeps its files beside it).
func StoreAt(t testing.TB, db, csv string) *store.Store {
	t.Helper()
	dir := t.TempDir()
	var files string
	if store.IsURL(db) {
		files = filepath.Join(dir, "files")
	}
	s, err := store.Open(db, store.Options{Now: func() time.Time { return Clock }, FilesDir: files})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if csv == "" {
		return s
	}
	p := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(p, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(context.Background(), []string{p}, store.ImportOptions{ActOptions: store.ActOptions{User: "import", On: Today}}); err != nil {
		t.Fatal(err)
	}
	return s
}

// Deps are a screen's dependencies: the default keys (rebound by
// overrides), no colour, the store's packs.
func Deps(t testing.TB, st *store.Store, overrides map[string][]string) screen.Deps {
	t.Helper()
	km := keys.DefaultKeyMap()
	if err := km.Apply(overrides); err != nil {
		t.Fatal(err)
	}
	styles := theme.New(true, false, true)
	return screen.Deps{Keys: &km, Styles: &styles, Today: Today, Act: store.ActOptions{User: "tester", On: Today},
		Calendar: domain.MustCalendar(domain.EnglandAndWales), Packs: st.Packs(), Requests: screen.NewRequests(context.Background()), RefWidth: 19}
}

// Messages runs cmd and returns the messages it makes, batches
// flattened, as they would reach the root.
func Messages(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, Messages(c)...)
		}
		return out
	default:
		if cmds, ok := Sequence(msg); ok {
			var out []tea.Msg
			for _, c := range cmds {
				out = append(out, Messages(c)...)
			}
			return out
		}
		return []tea.Msg{msg}
	}
}

// WorstOrder is Messages in the order a program may run them that is the
// hardest on the screen: a batch's commands run at the same time, so any
// of them may answer first, and here the last of a batch answers first; a
// sequence keeps its order. A screen whose status line or state depends on
// a batch's order fails under it.
func WorstOrder(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if msg == nil {
		return nil
	}
	var out []tea.Msg
	if b, ok := msg.(tea.BatchMsg); ok {
		for i := len(b) - 1; i >= 0; i-- {
			out = append(out, WorstOrder(b[i])...)
		}
		return out
	}
	if cmds, ok := Sequence(msg); ok {
		for _, c := range cmds {
			out = append(out, WorstOrder(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// Sequence is the commands of a tea.Sequence, in order, if msg is one.
// Its message type is unexported, so it is known by its shape: a list of
// commands that is not a batch.
func Sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	cmdList := reflect.TypeFor[[]tea.Cmd]()
	if !v.IsValid() || v.Kind() != reflect.Slice || !v.Type().ConvertibleTo(cmdList) {
		return nil, false
	}
	if _, batch := msg.(tea.BatchMsg); batch {
		return nil, false
	}
	return v.Convert(cmdList).Interface().([]tea.Cmd), true
}

// Run is Messages with results unwrapped (their requests cleared), as
// they reach the screen that asked.
func Run(d screen.Deps, cmd tea.Cmd) []tea.Msg {
	msgs := Messages(cmd)
	for i, msg := range msgs {
		if r, ok := msg.(screen.Result); ok {
			d.Requests.Done(r.Req)
			msgs[i] = r.Msg
		}
	}
	return msgs
}

// Key is a key press of k ("enter", "esc", "tab", "down", "up", "space",
// "ctrl+c", "ctrl+u" or one character).
func Key(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// Find returns the first message of type T.
func Find[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}
