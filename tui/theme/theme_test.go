package theme

import (
	"reflect"
	"testing"

	"charm.land/lipgloss/v2"
)

var renderCases = []string{"", "x", "A/2026/000123  Mon 23 Nov 2026", "▸ Smith & Jones Ltd", "漢字 wide", "a\tb", "two\nlines", "\x1b[1mbold\x1b[m inside", "trailing  ", "e\u0301"}

// Every theme's styles render exactly what Lip Gloss renders, on the fast
// path (one line) and the general one (tabs, line breaks).
func TestStyleRendersWhatLipGlossRenders(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		for _, plain := range []bool{false, true} {
			for _, dark := range []bool{false, true} {
				s := New(noColor, plain, dark)
				v := reflect.ValueOf(s)
				for i := 0; i < v.NumField(); i++ {
					st, ok := v.Field(i).Interface().(Style)
					if !ok {
						continue
					}
					name := v.Type().Field(i).Name
					if !st.simple {
						t.Errorf("noColor=%v plain=%v dark=%v %s: not simple, so never on the fast path", noColor, plain, dark, name)
					}
					for _, in := range renderCases {
						if got, want := st.Render(in), st.Style.Render(in); got != want {
							t.Errorf("noColor=%v plain=%v dark=%v %s.Render(%q) = %q, Lip Gloss %q", noColor, plain, dark, name, in, got, want)
						}
					}
					if got, want := st.Render("a", "b"), st.Style.Render("a", "b"); got != want {
						t.Errorf("%s.Render of two strings = %q, Lip Gloss %q", name, got, want)
					}
				}
			}
		}
	}
}

// A style that lays text out (width, padding, margins, border) is left
// to Lip Gloss.
func TestStyleThatLaysOutIsLipGloss(t *testing.T) {
	for name, l := range map[string]lipgloss.Style{
		"width":   lipgloss.NewStyle().Bold(true).Width(12),
		"padding": lipgloss.NewStyle().Reverse(true).Padding(0, 2),
		"margin":  lipgloss.NewStyle().MarginLeft(3),
		"border":  lipgloss.NewStyle().Border(lipgloss.NormalBorder()),
		"max":     lipgloss.NewStyle().MaxWidth(3),
		"under":   lipgloss.NewStyle().Underline(true),
	} {
		st := NewStyle(l)
		if st.simple {
			t.Errorf("%s: simple", name)
		}
		for _, in := range renderCases {
			if got, want := st.Render(in), l.Render(in); got != want {
				t.Errorf("%s.Render(%q) = %q, Lip Gloss %q", name, in, got, want)
			}
		}
	}
}
