// Package noticefile reads notices of appeal from CSV or JSON files into
// validated rows, reporting every bad field as FILE:LINE: field: problem.
// It touches no database.
package noticefile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/caseload/caseload/domain"
)

// Limits that keep a hostile or broken file from exhausting memory or time.
const (
	MaxFileSize  = 256 << 20 // bytes
	MaxFieldSize = 64 << 10  // bytes in one field
	MaxColumns   = 64
)

// Row is one valid notice with the line its record starts on.
type Row struct {
	Line   int
	Notice domain.Notice
}

// Problem is one bad field (or record, or file).
type Problem struct {
	File  string
	Line  int
	Field string
	Msg   string
}

// Error formats the problem as FILE:LINE: field: problem.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

var columns = []string{"reference", "received", "decision_date", "appellant", "representative", "respondent",
	"subject", "amount", "grounds", "hmrc_reference", "late_reason",
	// Several jurisdictions: the rule pack (default: the database's own), and
	// for judicial review what arrived (pre-action: a letter before claim;
	// claim-issued: a claim). The appellant is then the claimant, the
	// respondent the defendant, the decision date when the grounds arose.
	"jurisdiction", "stage",
	// A tax appeal's division (england-and-wales, scotland, northern-ireland):
	// its bank holidays. Default: config.toml division.
	"division",
	// Where letters and emails go (optional; a letter to a party without
	// one says so before it is drafted).
	"appellant_address", "appellant_email", "representative_address", "representative_email",
	"respondent_address", "respondent_email"}

var required = []string{"received", "appellant", "subject"}

// Derived are the columns a CSV export adds after the import columns: the
// case's state, worked out from its events. An export read back ignores
// them (the events, not the file, say what happened since), so an export
// is a file of notices; Ignored names them for the caseworker.
var Derived = []string{"track", "status", "allocated_on", "suggested_track", "late", "days_late", "last_event"}

func derived(col string) bool { return slices.Contains(Derived, col) }

func columnName(h string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(h)), " ", "_")
}

// Ignored lists the derived columns in a CSV file's header row (nil for
// JSON, or a file that cannot be read: ScanFile reports that).
func Ignored(path string) []string {
	if strings.ToLower(filepath.Ext(path)) == ".json" {
		return nil
	}
	f, err := openRegular(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	header, err := csv.NewReader(io.LimitReader(f, 64<<10)).Read()
	if err != nil {
		return nil
	}
	var out []string
	for _, h := range header {
		if col := columnName(strings.TrimPrefix(h, "\ufeff")); derived(col) && !slices.Contains(out, col) {
			out = append(out, col)
		}
	}
	return out
}

// referencePattern is the shape every pack's references share; the store
// checks the pack's own pattern.
var referencePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Z]{1,4}[-/][A-Z0-9]{2,8}([-/][A-Z0-9]{2,8}){1,3}$`)
})

// ParseFile opens and parses path.
func ParseFile(path string) ([]Row, []Problem) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, []Problem{{File: path, Msg: "no such file"}}
		}
		return nil, []Problem{{File: path, Msg: err.Error()}}
	}
	if fi.IsDir() {
		return nil, []Problem{{File: path, Msg: "is a directory, not a file of notices"}}
	}
	if fi.Size() > MaxFileSize {
		return nil, []Problem{{File: path, Msg: fmt.Sprintf("file is %d MiB; the limit is %d MiB: split it", fi.Size()>>20, MaxFileSize>>20)}}
	}
	if !fi.Mode().IsRegular() {
		// A FIFO or a device would block the import for ever.
		return nil, []Problem{{File: path, Msg: "is not a regular file (a pipe or a device?): give a CSV or JSON file"}}
	}
	f, err := openRegular(path)
	if err != nil {
		return nil, []Problem{{File: path, Msg: err.Error()}}
	}
	defer f.Close()
	return Parse(path, f)
}

// Parse reads notices from r; name is used in messages and to choose the
// format by extension (else a leading '[' means JSON).
func Parse(name string, r io.Reader) ([]Row, []Problem) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, []Problem{{File: name, Msg: "could not read: " + err.Error()}}
	}
	if len(data) > MaxFileSize {
		return nil, []Problem{{File: name, Msg: fmt.Sprintf("file is over %d MiB: split it", MaxFileSize>>20)}}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []Problem{{File: name, Line: 1, Msg: "empty file: no notices"}}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, []Problem{{File: name, Line: 1 + bytes.Count(data[:i], []byte("\n")), Msg: "contains a NUL byte: is this a binary file rather than CSV or JSON?"}}
	}
	if !utf8.Valid(data) {
		line := 1
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			if r == '\n' {
				line++
			}
			i += size
		}
		return nil, []Problem{{File: name, Line: line, Msg: "not valid UTF-8 text (save the file as UTF-8)"}}
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".json" || (ext != ".csv" && bytes.HasPrefix(bytes.TrimSpace(data), []byte("["))) {
		return parseJSON(name, data)
	}
	return parseCSV(name, data)
}

func parseCSV(name string, data []byte) ([]Row, []Problem) {
	var rows []Row
	probs := scanCSV(name, bytes.NewReader(data), func(r Row) bool { rows = append(rows, r); return true })
	return rows, probs
}

// ScanFile is ParseFile one row at a time: a CSV file is read as a stream
// and each valid row handed to fn as soon as it is read, so a large file
// never sits in memory (JSON, an array, is parsed whole and then handed
// over). The problems are returned at the end. fn returns false to stop.
func ScanFile(path string, fn func(Row) bool) []Problem {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".json" {
		rows, probs := ParseFile(path)
		for _, r := range rows {
			if !fn(r) {
				break
			}
		}
		return probs
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return []Problem{{File: path, Msg: "no such file"}}
		}
		return []Problem{{File: path, Msg: err.Error()}}
	}
	if fi.IsDir() {
		return []Problem{{File: path, Msg: "is a directory, not a file of notices"}}
	}
	if !fi.Mode().IsRegular() {
		return []Problem{{File: path, Msg: "is not a regular file (a pipe or a device?): give a CSV or JSON file"}}
	}
	f, err := openRegular(path)
	if err != nil {
		return []Problem{{File: path, Msg: err.Error()}}
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(512)
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	if ext != ".csv" && bytes.HasPrefix(bytes.TrimSpace(head), []byte("[")) || len(bytes.TrimSpace(head)) == 0 || fi.Size() > MaxFileSize {
		// JSON, an empty file or an oversized one: the whole-file path
		// says what is wrong in the usual words.
		rows, probs := Parse(path, br)
		for _, r := range rows {
			if !fn(r) {
				break
			}
		}
		return probs
	}
	if b, _ := br.Peek(3); string(b) == "\ufeff" {
		br.Discard(3)
	}
	return scanCSV(path, &checkedText{r: br, line: 1}, fn)
}

// checkedText passes text through, stopping with a problem at a NUL byte or
// invalid UTF-8, as Parse does for a whole file.
type checkedText struct {
	r    *bufio.Reader
	line int
	err  *Problem
	// pending holds the bytes of a rune that did not fit the caller's
	// buffer.
	pending    [utf8.UTFMax]byte
	start, end int
}

func (c *checkedText) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if c.start < c.end {
			k := copy(p[n:], c.pending[c.start:c.end])
			c.start += k
			n += k
			continue
		}
		if n > 0 && c.r.Buffered() == 0 {
			return n, nil // do not wait for more while holding some
		}
		r, size, err := c.r.ReadRune()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		switch {
		case r == utf8.RuneError && size == 1:
			c.err = &Problem{Line: c.line, Msg: "not valid UTF-8 text (save the file as UTF-8)"}
			return n, io.ErrUnexpectedEOF
		case r == 0:
			c.err = &Problem{Line: c.line, Msg: "contains a NUL byte: is this a binary file rather than CSV or JSON?"}
			return n, io.ErrUnexpectedEOF
		case r == '\n':
			c.line++
		}
		c.start, c.end = 0, utf8.EncodeRune(c.pending[:], r)
	}
	return n, nil
}

// scanCSV reads CSV records from r, handing each valid row to fn.
func scanCSV(name string, r io.Reader, fn func(Row) bool) []Problem {
	checked, _ := r.(*checkedText)
	stopped := func() []Problem {
		if checked != nil && checked.err != nil {
			p := *checked.err
			p.File = name
			return []Problem{p}
		}
		return nil
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if p := stopped(); p != nil {
		return p
	}
	if err != nil {
		return []Problem{{File: name, Line: 1, Msg: "cannot read the header row: " + csvError(err)}}
	}
	if len(header) > MaxColumns {
		return []Problem{{File: name, Line: 1, Msg: fmt.Sprintf("%d columns; a notices file has at most %d", len(header), MaxColumns)}}
	}
	index, probs := readHeader(name, header)
	if len(probs) > 0 {
		return probs
	}
	refs := map[string]int{}
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if p := stopped(); p != nil {
			return p
		}
		line := 0
		if err == nil && len(rec) > 0 {
			line, _ = cr.FieldPos(0)
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			line = max(line, 1)
			probs = append(probs, Problem{File: name, Line: line, Msg: csvError(err)})
			if pe == nil {
				break
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			probs = append(probs, Problem{File: name, Line: line, Msg: fmt.Sprintf("%d fields, but the header has %d", len(rec), len(header))})
			continue
		}
		get := func(col string) string {
			if i, ok := index[col]; ok {
				return rec[i]
			}
			return ""
		}
		row, ps := build(name, line, get, nil)
		probs = append(probs, ps...)
		if len(ps) == 0 {
			if dp := dupRef(name, line, row.Notice.Reference, refs); dp != nil {
				probs = append(probs, dp...)
			} else {
				rows++
				if !fn(row) {
					return probs
				}
			}
		}
	}
	if rows == 0 && len(probs) == 0 {
		probs = append(probs, Problem{File: name, Line: 1, Msg: "header only: no notices in file"})
	}
	return probs
}

func csvError(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return "a quote mark is out of place (quote a whole field, and double quotes inside it)"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

func dupRef(name string, line int, ref string, seen map[string]int) []Problem {
	if ref == "" {
		return nil
	}
	if first, ok := seen[ref]; ok {
		return []Problem{{File: name, Line: line, Field: "reference", Msg: fmt.Sprintf("%s is already on line %d", ref, first)}}
	}
	// A clone: ref is a slice of the CSV reader's whole line, which the map
	// would otherwise keep (grounds and all) for every row of the file.
	seen[strings.Clone(ref)] = line
	return nil
}

func readHeader(name string, header []string) (map[string]int, []Problem) {
	index := map[string]int{}
	var probs []Problem
	for i, h := range header {
		col := columnName(h)
		if derived(col) {
			continue // an export's state, read back: Ignored names it
		}
		if !known(col) {
			msg := fmt.Sprintf("unknown column %q", clip(h))
			if s := nearest(col); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			probs = append(probs, Problem{File: name, Line: 1, Msg: msg})
			continue
		}
		if _, dup := index[col]; dup {
			probs = append(probs, Problem{File: name, Line: 1, Msg: fmt.Sprintf("column %q appears twice", col)})
			continue
		}
		index[col] = i
	}
	for _, r := range required {
		if _, ok := index[r]; !ok && len(probs) == 0 {
			probs = append(probs, Problem{File: name, Line: 1, Msg: fmt.Sprintf("missing required column %q", r)})
		}
	}
	return index, probs
}

func known(col string) bool {
	for _, c := range columns {
		if c == col {
			return true
		}
	}
	return false
}

// nearest suggests the known column a typing error was probably meant to be.
func nearest(col string) string {
	best, bestD := "", 3
	for _, c := range columns {
		if d := editDistance(col, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 40 || len(b) > 40 {
		return 99
	}
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// maxPence is the amount column's cap (13 digits of pounds) in pence, so
// JSON's amount_pence follows the same rule.
const maxPence = 1e15

// build validates one record. get returns a column's raw text; amountPence,
// if not nil, is an amount already given in pence (JSON amount_pence).
func build(name string, line int, get func(string) string, amountPence *int64) (Row, []Problem) {
	var probs []Problem
	bad := func(field, msg string) {
		probs = append(probs, Problem{File: name, Line: line, Field: field, Msg: msg})
	}
	field := func(col string) string {
		v := strings.TrimSpace(get(col))
		if len(v) > MaxFieldSize {
			bad(col, fmt.Sprintf("%d KiB of text; the limit is %d KiB", len(v)>>10, MaxFieldSize>>10))
			return ""
		}
		return v
	}
	n := domain.Notice{
		Reference:      strings.ToUpper(field("reference")),
		Appellant:      field("appellant"),
		Representative: field("representative"),
		Respondent:     field("respondent"),
		Grounds:        field("grounds"),
		HMRCReference:  field("hmrc_reference"),
		LateReason:     field("late_reason"),
		Jurisdiction:   strings.ToLower(field("jurisdiction")),

		AppellantAddress:      field("appellant_address"),
		AppellantEmail:        field("appellant_email"),
		RepresentativeAddress: field("representative_address"),
		RepresentativeEmail:   field("representative_email"),
		RespondentAddress:     field("respondent_address"),
		RespondentEmail:       field("respondent_email"),
	}
	for _, e := range []struct{ col, v string }{{"appellant_email", n.AppellantEmail},
		{"representative_email", n.RepresentativeEmail}, {"respondent_email", n.RespondentEmail}} {
		if e.v != "" && !plausibleEmail(e.v) {
			bad(e.col, fmt.Sprintf("%q is not an email address like name@example.org", clip(e.v)))
		}
	}
	if n.RepresentativeAddress != "" || n.RepresentativeEmail != "" {
		if n.Representative == "" {
			bad("representative", "missing: a representative's address is given but not their name")
		}
	}
	if v := field("division"); v != "" {
		if d, err := domain.ParseDivision(strings.ToLower(v)); err != nil {
			bad("division", err.Error())
		} else {
			n.Division = string(d)
		}
	}
	if v := field("stage"); v != "" {
		if t, err := domain.ParseTrack(v); err != nil {
			bad("stage", err.Error())
		} else {
			n.Stage = t
		}
	}
	if n.Reference != "" && !referencePattern().MatchString(n.Reference) {
		bad("reference", fmt.Sprintf("%q is not a reference like TC/2026/01234", clip(n.Reference)))
	}
	if v := field("received"); v == "" {
		bad("received", "missing: the date the notice was received")
	} else if d, err := domain.ParseDate(v); err != nil {
		bad("received", err.Error())
	} else {
		n.Received = d
	}
	if v := field("decision_date"); v != "" {
		if d, err := domain.ParseDate(v); err != nil {
			bad("decision_date", err.Error())
		} else {
			n.DecisionDate = d
		}
	}
	if !n.Received.IsZero() && !n.DecisionDate.IsZero() && n.Received.Before(n.DecisionDate) {
		bad("received", fmt.Sprintf("%s is before the decision date %s", n.Received.UK(), n.DecisionDate.UK()))
	}
	if n.Appellant == "" {
		bad("appellant", "missing: the appellant's name")
	}
	if s, err := domain.ParseSubject(field("subject")); err != nil {
		bad("subject", err.Error())
	} else {
		n.Subject = s
	}
	if amountPence != nil {
		if *amountPence < 0 {
			bad("amount_pence", "an amount in dispute cannot be negative")
		} else if *amountPence >= maxPence {
			bad("amount_pence", fmt.Sprintf("%d is too large to be an amount in dispute", *amountPence))
		} else if field("amount") != "" {
			bad("amount_pence", "give amount or amount_pence, not both")
		}
		n.AmountPence = amountPence
	} else if p, ok, err := domain.ParseAmount(field("amount")); err != nil {
		bad("amount", err.Error())
	} else if ok {
		n.AmountPence = &p
	}
	return Row{Line: line, Notice: n}, probs
}

// decodeObject decodes one JSON object, reporting a key given twice (case
// and surrounding space ignored) instead of keeping the last silently.
func decodeObject(raw []byte) (map[string]any, string, error) {
	od := json.NewDecoder(bytes.NewReader(raw))
	od.UseNumber()
	if tok, err := od.Token(); err != nil || tok != json.Delim('{') {
		return nil, "", errors.New("not an object")
	}
	obj := map[string]any{}
	seen := map[string]bool{}
	dup := ""
	for od.More() {
		tok, err := od.Token()
		if err != nil {
			return nil, "", err
		}
		k, _ := tok.(string)
		var v any
		if err := od.Decode(&v); err != nil {
			return nil, "", err
		}
		norm := strings.ToLower(strings.TrimSpace(k))
		if seen[norm] && dup == "" {
			dup = norm
		}
		seen[norm] = true
		obj[k] = v
	}
	return obj, dup, nil
}

func parseJSON(name string, data []byte) ([]Row, []Problem) {
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		return nil, []Problem{{File: name, Line: 1, Msg: "JSON notices must be an array of objects: [{...}, ...]"}}
	}
	var rows []Row
	var probs []Problem
	refs := map[string]int{}
	for dec.More() {
		// InputOffset is just past the previous token; skip to the element.
		off := dec.InputOffset()
		for off < int64(len(data)) && (data[off] == ',' || data[off] == ' ' || data[off] == '\n' || data[off] == '\r' || data[off] == '\t') {
			off++
		}
		line := lineAt(off)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			probs = append(probs, Problem{File: name, Line: line, Msg: "invalid JSON: " + err.Error()})
			return rows, probs
		}
		obj, dup, err := decodeObject(raw)
		if err != nil || obj == nil {
			probs = append(probs, Problem{File: name, Line: line, Msg: "each notice must be a JSON object"})
			continue
		}
		if dup != "" {
			// As a repeated CSV column is: which one was meant is a guess.
			probs = append(probs, Problem{File: name, Line: line, Field: dup, Msg: "given twice in one notice"})
			continue
		}
		if len(obj) > MaxColumns {
			probs = append(probs, Problem{File: name, Line: line, Msg: fmt.Sprintf("%d keys; a notice has at most %d", len(obj), MaxColumns)})
			continue
		}
		vals := map[string]string{}
		var pence *int64
		var ps []Problem
		for k, v := range obj {
			key := strings.ToLower(strings.TrimSpace(k))
			if key == "amount_pence" {
				if v == nil {
					continue
				}
				num, ok := v.(json.Number)
				p, err := strconv.ParseInt(string(num), 10, 64)
				if !ok || err != nil {
					ps = append(ps, Problem{File: name, Line: line, Field: key, Msg: "must be a whole number of pence"})
					continue
				}
				pence = &p
				continue
			}
			if !known(key) {
				msg := fmt.Sprintf("unknown key %q", clip(k))
				if s := nearest(key); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				ps = append(ps, Problem{File: name, Line: line, Msg: msg})
				continue
			}
			switch x := v.(type) {
			case nil:
			case string:
				vals[key] = x
			case json.Number:
				if key != "amount" {
					ps = append(ps, Problem{File: name, Line: line, Field: key, Msg: "must be text, not a number"})
				}
				vals[key] = string(x)
			default:
				ps = append(ps, Problem{File: name, Line: line, Field: key, Msg: "must be text"})
			}
		}
		if len(ps) > 0 {
			probs = append(probs, ps...)
			continue
		}
		row, bp := build(name, line, func(c string) string { return vals[c] }, pence)
		probs = append(probs, bp...)
		if len(bp) == 0 {
			if dp := dupRef(name, line, row.Notice.Reference, refs); dp != nil {
				probs = append(probs, dp...)
			} else {
				rows = append(rows, row)
			}
		}
	}
	if len(rows) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{File: name, Line: 1, Msg: "no notices in file"})
	}
	return rows, probs
}

func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// plausibleEmail accepts one address: something@domain.tld, no spaces, no
// display name (the letter supplies the name).
func plausibleEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t<>,;\"") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") && !strings.Contains(domain, "@")
}
