package main

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// printDueJSON writes items exactly as printJSON would (TestDueJSONAsPrintJSON
// compares them), field by field instead of through reflection and a second
// indenting pass: at a national caseload `due --json` prints thousands of
// deadlines, and encoding them was a tenth of the command.
func printDueJSON(w io.Writer, items []store.DueItem) error {
	if items == nil {
		return printJSON(w, items)
	}
	if len(items) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	const flushAt = 32 << 10
	buf := make([]byte, 0, flushAt+1024)
	flush := func() error {
		_, err := w.Write(domain.JSONSafe(buf))
		buf = buf[:0]
		return err
	}
	buf = append(buf, "[\n"...)
	for i := range items {
		d := &items[i]
		buf = append(buf, "  {\n    \"reference\": "...)
		buf = appendJSONString(buf, d.Reference)
		buf = append(buf, ",\n    \"appellant\": "...)
		buf = appendJSONString(buf, d.Appellant)
		buf = append(buf, ",\n    \"kind\": "...)
		buf = appendJSONString(buf, d.Kind)
		buf = append(buf, ",\n    \"label\": "...)
		buf = appendJSONString(buf, d.Label)
		buf = append(buf, ",\n    \"due\": "...)
		buf = appendJSONString(buf, d.Due.String())
		buf = append(buf, ",\n    \"days_left\": "...)
		buf = strconv.AppendInt(buf, int64(d.DaysLeft), 10)
		buf = append(buf, ",\n    \"rule\": "...)
		buf = appendJSONString(buf, d.Rule)
		buf = append(buf, ",\n    \"provisional\": "...)
		buf = strconv.AppendBool(buf, d.Provisional)
		buf = append(buf, ",\n    \"track\": "...)
		buf = appendJSONString(buf, string(d.Track))
		buf = append(buf, "\n  }"...)
		if i < len(items)-1 {
			buf = append(buf, ",\n"...)
		}
		// Whole items only: JSONSafe reads runes, and an item's bytes end
		// on a rune boundary.
		if len(buf) >= flushAt {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	buf = append(buf, "\n]\n"...)
	return flush()
}

// appendJSONString appends s as encoding/json writes it: valid UTF-8 with
// nothing to escape as it is, anything else (HTML characters, control
// characters, invalid UTF-8, U+2028 and U+2029) through encoding/json
// itself, so the two cannot differ.
func appendJSONString(buf []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			plain = false
			break
		}
		if c >= utf8.RuneSelf {
			plain = utf8.ValidString(s) && !strings.ContainsAny(s, "\u2028\u2029") && !strings.ContainsAny(s, "\"\\<>&") &&
				!strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 })
			break
		}
	}
	if !plain {
		b, _ := json.Marshal(s)
		return append(buf, b...)
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}
