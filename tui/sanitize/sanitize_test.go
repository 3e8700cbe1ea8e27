package sanitize

import (
	"github.com/charmbracelet/x/ansi"
	"strings"
	"testing"
)

func TestLineNeutralisesEscapes(t *testing.T) {
	tests := map[string]string{
		"clear screen":      "Bad\x1b[2JName",
		"OSC 52 clipboard":  "x\x1b]52;c;aGVsbG8=\x07y",
		"OSC 0 title":       "\x1b]0;pwned\x07Ltd",
		"C1 CSI":            "a\u009b2Jb",
		"bidi override":     "abc\u202edcba",
		"bidi isolate":      "x\u2066y\u2069",
		"zero width joiner": "a\u200db",
		"BOM inside":        "a\ufeffb",
		"newline and tab":   "line one\nline\ttwo",
	}
	for name, in := range tests {
		out := Line(in)
		for _, r := range out {
			if unsafe(r) || r == '\n' || r == '\t' {
				t.Errorf("%s: %q still holds %U", name, out, r)
			}
		}
		if strings.ContainsRune(out, 0x1b) {
			t.Errorf("%s: ESC survived", name)
		}
	}
	if got := Line("Bad\x1b[2J"); got != "Bad␛[2J" {
		t.Errorf("ESC should show as ␛: %q", got)
	}
	if got := Line("Zoë Brontë 株式会社"); got != "Zoë Brontë 株式会社" {
		t.Errorf("ordinary text changed: %q", got)
	}
}

func TestFitAndPadKeepColumns(t *testing.T) {
	for _, in := range []string{"株式会社テスト商事株式会社", "🎉🎉 party 🎉🎉🎉", "plain ascii text that is long", "e\u0301te\u0301"} {
		for _, w := range []int{1, 5, 10, 13} {
			if got := Width(Pad(in, w)); got != w {
				t.Errorf("Pad(%q, %d) is %d cells wide", in, w, got)
			}
			if got := Width(Fit(in, w)); got > w {
				t.Errorf("Fit(%q, %d) is %d cells wide", in, w, got)
			}
		}
	}
	if got := Fit("abcdef", 4); got != "abc…" {
		t.Errorf("Fit = %q", got)
	}
}

// The printable-ASCII fast path cuts and measures exactly as the general
// path does (the grapheme walk it skips).
func TestASCIIFastPathAgreesWithTheGeneralPath(t *testing.T) {
	for _, s := range []string{"", "a", "TC/2026/05001", "Due Mon 23 Nov 2026 (r25(1)(b))", "~ !! @ `x`"} {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
		for w := 1; w <= len(s)+2; w++ {
			if got, want := Fit(s, w), ansi.Truncate(Line(s), w, "…"); got != want {
				t.Errorf("Fit(%q, %d) = %q, want %q", s, w, got, want)
			}
		}
	}
}

// FitsWithin says yes only when the line really is no wider than w (never
// when the measuring says otherwise), styled or not.
func TestFitsWithinNeverSaysYesWrongly(t *testing.T) {
	lines := []string{"", "TC/2026/05001 · Zoë Trading Ltd", "▸ !! 09/11/2026 │ Direction: Send the bank sta…",
		"\x1b[1mTC/2026/05001\x1b[0m  £1,234.56 ▲", "漢字 wide", "emoji 🙂 here", "◽ wide square", "\x1b]8;;x\x1b\\link", "a\u0301 combining"}
	for _, l := range lines {
		for w := 0; w <= 60; w++ {
			if FitsWithin(l, w) && ansi.StringWidth(l) > w {
				t.Errorf("FitsWithin(%q, %d) but it is %d wide", l, w, ansi.StringWidth(l))
			}
		}
	}
	// The common screen line is decided without measuring.
	if !FitsWithin("\x1b[7m▸ !! 09/11/2026 TC/2026/05202 Zoë Trading Ltd · due…\x1b[0m", 80) {
		t.Error("a styled 55-cell row not known to fit 80")
	}
}

// Fit and Cut return what the grapheme walk returns, for text that fits
// (decided by FitsWithin) and text that does not, styled or not.
func TestFitAndCutAgreeWithTruncate(t *testing.T) {
	for _, s := range []string{"TC/2026/05001 · Zoë Trading Ltd", "漢字 wide", "emoji 🙂 here", "a\u0301 combining", "▸ !! 09/11/2026 │ Direction",
		"\x1b[7m▸ TC/2026/05202 Zoë\x1b[m", "\x1b[1mX\x1b[m ◽ wide square", "bell\a and \x1b]0;title\a"} {
		for w := 1; w <= 40; w++ {
			if got, want := Fit(s, w), ansi.Truncate(Line(s), w, "…"); got != want {
				t.Errorf("Fit(%q, %d) = %q, want %q", s, w, got, want)
			}
			if got, want := Cut(s, w), ansi.Truncate(s, w, "…"); got != want {
				t.Errorf("Cut(%q, %d) = %q, want %q", s, w, got, want)
			}
		}
	}
}

// WidthOf2 is the width of the two strings joined.
func TestWidthOf2IsTheWidthJoined(t *testing.T) {
	parts := []string{"", "▸ ", "> ", "▸*", " *", "e", "\u0301", "漢", "🙂", "\ufe0f", "TC/2026/05001 Smith", "Zoë", "\u200d"}
	for _, a := range parts {
		for _, b := range parts {
			if got, want := WidthOf2(a, b), ansi.StringWidth(a+b); got != want {
				t.Errorf("WidthOf2(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// Every rune oneCell names is one cell on its own and beside any other of
// them (each its own grapheme), as the grapheme walk measures it; Width
// and Fit on text of them agree with the walk.
func TestOneCellIsOneCell(t *testing.T) {
	var set []rune
	for r := rune(0x20); r <= 0x25ff; r++ {
		if (r < 0x7f) || oneCell(r) {
			set = append(set, r)
		}
	}
	samples := []rune{'a', ' ', 0xa0, 0xe9, 0x2ff, 0x2010, 0x2026, 0x205e, 0x20ac, 0x2190, 0x22ff, 0x2400, 0x2502, 0x25b8, 0x25fc}
	for _, r := range set {
		if w := ansi.StringWidth(string(r)); w != 1 {
			t.Errorf("%U is %d cells", r, w)
		}
		for _, o := range samples {
			if w := ansi.StringWidth(string(o) + string(r) + string(o)); w != 3 {
				t.Errorf("%U between %U is %d cells, want 3", r, o, w)
			}
		}
	}
	for _, s := range []string{"\x1b[1mZoë\x1b[m · \x1b[38;2;31;78;121m£1\x1b[0m", "\x1b[7m▸ x\x1b[m", "\x1b[", "a\x1b[1", "\x1b[1;\x01m", "\x1b[1é", "\x1b]0;t\x07x", "\x1bx"} {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
	for _, s := range []string{"Zoë Trading Ltd · £1,234.56", "▸ !! Mon 23 Nov 2026 │ r25(1)(b) — due…", "naïve café ▲ ▼ → ≤ ␛"} {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
		for w := 1; w <= len(s)+2; w++ {
			if got, want := Fit(s, w), ansi.Truncate(Line(s), w, "…"); got != want {
				t.Errorf("Fit(%q, %d) = %q, want %q", s, w, got, want)
			}
		}
	}
}
