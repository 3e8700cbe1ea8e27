package queue

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

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
