package domain

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text from notices, mail and users goes to terminals, spreadsheets and
// JSON readers. These are the one set of rules for all of them (the CLI,
// the UI through tui/sanitize, export and reports): nothing in a notice can
// clear a screen, set a window title, write to the clipboard, reorder or
// hide text, or run as a spreadsheet formula.

// UnsafeRune reports a character that a terminal obeys or that hides or
// reorders text: C0 and C1 controls (C1 holds single-code-point CSI, OSC
// and ST), DEL, bidi overrides and isolates, zero-width and other format
// characters, line and paragraph separators, and tag characters.
func UnsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c: // bidi
		return true
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff: // zero-width
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tags: invisible, can hide a reference
		return true
	case r == utf8.RuneError:
		return false // already a visible placeholder
	case r >= 0x80 && (unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cs, r)):
		return true
	}
	return false
}

// SafeLine returns s as one display line: ESC shows as ␛ and other C0
// controls as their control pictures, DEL as ␡, every other unsafe
// character as �, and line breaks and tabs become spaces.
func SafeLine(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; {
		// ASCII decided from the byte: a screen checks every line it
		// draws, and most are ASCII.
		if c := s[i]; c < 0x80 {
			clean = c >= 0x20 && c != 0x7f
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		clean = !UnsafeRune(r)
		i += size
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
		case UnsafeRune(r):
			b.WriteRune('�')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CSVCell stops a spreadsheet from running a cell as a formula (CSV
// injection): a cell whose first visible character is = + - @ (or a
// full-width one), or that starts with a tab or carriage return, gets a
// leading apostrophe, which spreadsheets show as plain text.
func CSVCell(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" || t == "-" {
		return s
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return s // a number: -5 is not a formula
	}
	r, _ := utf8.DecodeRuneInString(t)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠':
		return "'" + s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	return s
}

// JSONSafe rewrites encoded JSON so that unsafe characters inside strings
// are \u escapes: the value is unchanged for any JSON reader, but a
// terminal or a pager shows the escape instead of obeying it. (Structural
// JSON is ASCII, so any such character is inside a string.)
func JSONSafe(b []byte) []byte {
	clean := true
	for _, r := range string(b) {
		if r >= 0x7f && UnsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 0, len(b)+64)
	esc := func(u rune) {
		out = append(out, '\\', 'u', hex[u>>12&15], hex[u>>8&15], hex[u>>4&15], hex[u&15])
	}
	for _, r := range string(b) {
		switch {
		case r < 0x7f || !UnsafeRune(r):
			out = utf8.AppendRune(out, r)
		case r > 0xffff:
			r -= 0x10000
			esc(0xd800 + r>>10)
			esc(0xdc00 + r&0x3ff)
		default:
			esc(r)
		}
	}
	return out
}
