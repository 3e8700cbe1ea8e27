// Package sanitize makes text from the database safe and tidy on a
// terminal: nothing in a notice of appeal can clear the screen, set the
// window title, write to the clipboard or reorder text.
package sanitize

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Line returns s as one display line: control characters become visible
// placeholders (ESC shows as ␛, other C0 controls as their control
// pictures, C1 controls, bidi overrides and zero-width characters as �),
// and line breaks and tabs become spaces.
func Line(s string) string {
	clean := true
	for _, r := range s {
		if unsafe(r) || r == '\n' || r == '\t' || r == '\r' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20:
			b.WriteRune(0x2400 + r) // control pictures: ␛ for ESC
		case r == 0x7f:
			b.WriteRune('␡')
		case unsafe(r):
			b.WriteRune('�')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0: // C0, DEL, C1 (CSI, OSC, ST as single code points)
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c: // bidi
		return true
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff: // zero-width
		return true
	}
	return false
}

// Fit sanitises s and truncates it to width display cells with an
// ellipsis; wide characters (CJK, emoji) count as two cells.
func Fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(Line(s), width, "…")
}

// Pad is Fit, then padded with spaces to exactly width cells, so columns
// stay aligned whatever the text holds.
func Pad(s string, width int) string {
	f := Fit(s, width)
	if w := ansi.StringWidth(f); w < width {
		f += strings.Repeat(" ", width-w)
	}
	return f
}

// Cut truncates text that is already styled (holds the UI's own escape
// sequences) to width cells. Never give it text from the database: that
// goes through Fit or Pad first.
func Cut(styled string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(styled, width, "…")
}

// Width is the display width of s.
func Width(s string) int { return ansi.StringWidth(s) }
