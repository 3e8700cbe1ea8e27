// Package sanitize makes text from the database safe and tidy on a
// terminal: nothing in a notice of appeal can clear the screen, set the
// window title, write to the clipboard or reorder text.
package sanitize

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
)

// Line returns s as one display line: control characters become visible
// placeholders (ESC shows as ␛, other C0 controls as their control
// pictures, C1 controls, bidi overrides and zero-width characters as �),
// and line breaks and tabs become spaces. The rules are domain.SafeLine's,
// the same for the command line.
func Line(s string) string { return domain.SafeLine(s) }

func unsafe(r rune) bool { return domain.UnsafeRune(r) }

// Fit sanitises s and truncates it to width display cells with an
// ellipsis; wide characters (CJK, emoji) count as two cells.
func Fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if printableASCII(s) {
		// Most of what a screen draws (references, dates, labels): one
		// cell a byte and nothing to make safe, so no grapheme walk.
		if len(s) <= width {
			return s
		}
		return s[:width-1] + "…"
	}
	l := Line(s)
	if FitsWithin(l, width) {
		return l // what Truncate returns for text that fits, without the grapheme walk
	}
	if n, ok := cellWidth(l); ok && n > width {
		// One cell a rune, each rune its own grapheme (and no escape: Line
		// made them visible): Truncate keeps the first width-1 and adds
		// the ellipsis.
		i := 0
		for range width - 1 {
			_, size := utf8.DecodeRuneInString(l[i:])
			i += size
		}
		return l[:i] + "…"
	}
	return ansi.Truncate(l, width, "…")
}

// printableASCII: every byte a printable ASCII character (no control,
// no escape, nothing wider or narrower than one cell).
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Pad is Fit, then padded with spaces to exactly width cells, so columns
// stay aligned whatever the text holds.
func Pad(s string, width int) string {
	f := Fit(s, width)
	if w := Width(f); w < width {
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
	if FitsWithin(styled, width) {
		return styled // what Truncate returns for text that fits, without the grapheme walk
	}
	return ansi.Truncate(styled, width, "…")
}

// Width is the display width of s.
func Width(s string) int {
	if n, ok := cellWidth(s); ok {
		return n
	}
	return ansi.StringWidth(s)
}

// cellWidth is the width of s when every rune of it is one cell wide and
// its own grapheme cluster (oneCell), less CSI sequences (SGR styling): the
// number of runes. ok is false for anything else (other escapes, wide or
// combining characters): measure it.
func cellWidth(s string) (n int, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			// The UI's own styling (a CSI sequence: parameters and
			// intermediates, then a final byte) takes no cells.
			j := i + 2
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x3f {
				j++
			}
			if j >= len(s) || s[j] < 0x40 || s[j] > 0x7e {
				return 0, false
			}
			i = j + 1
			continue
		}
		if c < 0x80 {
			if c < 0x20 || c == 0x7f {
				return 0, false
			}
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !oneCell(r) {
			return 0, false
		}
		n++
		i += size
	}
	return n, true
}

// oneCell: runes a terminal draws one cell wide that never join the rune
// before or after them into one grapheme (no combining marks, joiners,
// variation selectors): Latin-1 and Latin Extended (not the soft hyphen),
// spacing modifiers, general punctuation (not the zero-width and bidi
// controls), currency, arrows and mathematical operators, control
// pictures, box drawing, blocks and geometric shapes up to U+25FC.
// TestOneCellIsOneCell checks every one against the grapheme walk.
func oneCell(r rune) bool {
	switch {
	case r >= 0xa0 && r <= 0x2ff:
		return r != 0xad
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e, r >= 0x20a0 && r <= 0x20c0:
		return true
	case r >= 0x2190 && r <= 0x22ff, r >= 0x2400 && r <= 0x2426, r >= 0x2500 && r <= 0x25fc:
		return true
	}
	return false
}

// WidthOf2 is Width(a+b), measuring the two apart when b is printable
// ASCII: a grapheme cluster never goes on into a printable ASCII
// character, so the widths add up, and a row's short gutter is measured
// without walking the row.
func WidthOf2(a, b string) int {
	if printableASCII(b) {
		return Width(a) + len(b)
	}
	return Width(a + b)
}

// FitsWithin reports, without measuring graphemes, that s (which may hold
// the UI's own SGR styling) is certainly no wider than w cells: every
// rune is one that is at most one cell wide and there are no more than w
// of them. false means "not known": measure it.
func FitsWithin(s string, w int) bool {
	if len(s) <= w {
		return true
	}
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b {
			// SGR and other CSI sequences take no cells; anything else
			// (OSC, a lone escape) is left to the measuring.
			if i+1 >= len(s) || s[i+1] != '[' {
				return false
			}
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			if j >= len(s) {
				return false
			}
			i = j + 1
			continue
		}
		if c < 0x80 {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !narrow(r) {
			return false
		}
		n++
		i += size
	}
	return n <= w
}

// narrow: runes never more than one cell wide on a terminal. Below the
// first East Asian Wide block (U+1100); general punctuation, arrows and
// mathematical operators; control pictures and enclosed alphanumerics;
// box drawing, blocks and geometric shapes up to U+25FC (U+25FD and
// U+25FE are wide emoji).
func narrow(r rune) bool {
	return r < 0x1100 || (r >= 0x2000 && r <= 0x22ff) || (r >= 0x2400 && r <= 0x25fc)
}
