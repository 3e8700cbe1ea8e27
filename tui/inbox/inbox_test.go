package inbox

import (
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

func TestParseUntil(t *testing.T) {
	today := domain.MustDate("2026-11-16") // a Monday
	for _, tt := range []struct{ in, want string }{
		{"+1", "2026-11-17"},
		{"+14", "2026-11-30"},
		{"23/11/2026", "2026-11-23"},
		{"2026-12-01", "2026-12-01"},
	} {
		got, err := ParseUntil(tt.in, today)
		if err != nil || got.String() != tt.want {
			t.Errorf("%q: %v %v, want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"+0", "+x", "16/11/2026", "15/11/2026", "31/02/2027", "tomorrow"} {
		if _, err := ParseUntil(bad, today); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

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
