package domain

import (
	"encoding/json"
	"strings"
	"testing"
)

// Issue 22 item 11 and the "Smaller" list: one rule set for every terminal
// line, CSV cell and JSON string.
func TestSafeLineCoversEveryHidingCharacter(t *testing.T) {
	for name, in := range map[string]string{
		"ESC":                 "a\x1b[2Jb",
		"OSC 8 link":          "\x1b]8;;http://evil/\x07x\x1b]8;;\x07",
		"C1 CSI":              "a\u009b2Jb",
		"NEL":                 "a\u0085b",
		"RLO":                 "a\u202eb",
		"isolate":             "a\u2066b\u2069",
		"zero width":          "a\u200bb",
		"line separator":      "a\u2028b",
		"paragraph separator": "a\u2029b",
		"tag characters":      "TC/2026/\U000E0031\U000E0032",
		"soft hyphen":         "a\u00adb",
		"invisible times":     "a\u2062b",
	} {
		out := SafeLine(in)
		for _, r := range out {
			if UnsafeRune(r) || r == '\n' {
				t.Errorf("%s: %q keeps %U", name, out, r)
			}
		}
	}
	for _, ok := range []string{"Zoë Brontë", "株式会社", "O'Neil & Sons — £1,234.56", "👩‍⚕️"} {
		if SafeLine(ok) != ok && !strings.Contains(ok, "\u200d") {
			t.Errorf("ordinary text changed: %q", SafeLine(ok))
		}
	}
}

func TestCSVCellNeutralisesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		" =1+1":             "' =1+1",
		"+44 20":            "'+44 20",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tx":               "'\tx",
		"＝1":                "'＝1",
		"-5":                "-5",
		"-":                 "-",
		"12.5":              "12.5",
		"Smith":             "Smith",
		"":                  "",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSONSafeEscapesButKeepsValues(t *testing.T) {
	in := "a\u202eb\u0085c\u2028d\U000E0041e\x1b"
	b, _ := json.Marshal(map[string]string{"x": in})
	out := JSONSafe(b)
	if strings.ContainsAny(string(out), "\u202e\u0085\u2028\U000E0041\x1b") {
		t.Errorf("raw characters left: %q", out)
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["x"] != in {
		t.Errorf("value changed: %v %q", err, back["x"])
	}
}
