package mailfile

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func nested(depth int) string {
	var b strings.Builder
	b.WriteString("From: a@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n")
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nbottom\r\n")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.String()
}

// Issue 22 item 13: a message nested 8,000 deep (21.8 s and 247 MB in the
// MIME parser) is refused before parsing, with the setting named; one
// nested within the cap parses.
func TestDeeplyNestedMessageRefused(t *testing.T) {
	start := time.Now()
	_, err := Parse(strings.NewReader(nested(8000)), "deep.eml")
	if err == nil || !strings.Contains(err.Error(), "nested more than 50 deep (mail_max_depth)") || !strings.HasPrefix(err.Error(), "deep.eml: ") {
		t.Fatalf("8,000 deep: %v", err)
	}
	t.Logf("refused in %s", time.Since(start))
	if _, err := Parse(strings.NewReader(nested(20)), "ok.eml"); err != nil {
		t.Fatalf("20 deep: %v", err)
	}
	if _, err := ParseLimited(strings.NewReader(nested(20)), "ok.eml", Limits{MaxDepth: 10}); err == nil {
		t.Fatal("a lower cap from the settings was not applied")
	}
}

// Issue 22 item 13: too many parts is refused as well.
func TestTooManyPartsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.org\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n")
	for i := 0; i < 3000; i++ {
		b.WriteString("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n")
	}
	b.WriteString("--b--\r\n")
	_, err := Parse(strings.NewReader(b.String()), "parts.eml")
	if err == nil || !strings.Contains(err.Error(), "more than 2000 MIME parts (mail_max_parts)") {
		t.Fatalf("3,000 parts: %v", err)
	}
	if _, err := ParseLimited(strings.NewReader(b.String()), "parts.eml", Limits{MaxParts: 5000}); err != nil {
		t.Fatalf("within a raised cap: %v", err)
	}
}
