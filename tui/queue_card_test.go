package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// o opens the whole case behind the queue card and esc comes back to the
// same card with nothing decided; the next appeals show beside the card
// at 120 columns and go at 80 and 60 (a resize with them showing keeps
// every line within the width).
func TestQueueCardOpenAndPreview(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 20}} {
		h := start(t, fixture(t, sample), size[0], size[1])
		h.press("2")
		h.mustShow("TC/2026/05001", "3 left")
		if got := strings.Contains(h.screen(), "│ Next"); got != (size[0] >= 100) {
			t.Errorf("%v: preview shown %v", size, got)
		}
		h.press("o")
		if !h.model().pane.IsOpen() {
			t.Fatalf("%v: o did not open the case", size)
		}
		if ref, _ := h.model().pane.Shows(); ref != "TC/2026/05001" {
			t.Fatalf("%v: o opened %q, want the card's case", size, ref)
		}
		h.mustShow("Status", "Received")
		h.press("esc")
		if h.model().pane.IsOpen() {
			t.Fatalf("%v: esc left the case open", size)
		}
		if cur, _ := h.model().queue.Current(); cur.Reference != "TC/2026/05001" {
			t.Errorf("%v: back on %q, want the same card", size, cur.Reference)
		}
		if got := h.track("TC/2026/05001"); got != "" {
			t.Errorf("%v: decided %q by looking", size, got)
		}
		h.mustShow("TC/2026/05001", "3 left")
	}
	h := start(t, fixture(t, sample), 120, 40)
	h.press("2")
	h.mustShow("│ Next", "TC/2026/05002  late 27d")
	for _, size := range [][2]int{{80, 24}, {60, 20}, {130, 30}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		lines := strings.Split(h.screen(), "\n")
		if len(lines) != size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if w := len([]rune(l)); w > size[0] {
				t.Errorf("%v: line of %d: %q", size, w, l)
			}
		}
		if got := strings.Contains(h.screen(), "│ Next"); got != (size[0] >= 100) {
			t.Errorf("%v after a resize: preview shown %v", size, got)
		}
		h.mustShow("TC/2026/05001")
	}
	// Skipping: the count stays exact and the skipped appeal is last in line.
	h.press("space")
	h.mustShow("TC/2026/05002", "3 left", "TC/2026/05001  in time, skipped")
}
