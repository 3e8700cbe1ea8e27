package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/caseload/caseload/domain"
)

// ParseSearch splits a lookup into words and qualifiers. Words are searched
// for literally (quotes, brackets and FTS operators included), never as FTS
// syntax. Qualifiers: track:basic, status:new, subject:vat, rep:smith,
// late:yes|no, received:<DATE, received:>DATE (ISO or UK dates).
func ParseSearch(text string) (Search, error) {
	var s Search
	for _, w := range strings.Fields(text) {
		key, val, ok := strings.Cut(w, ":")
		if !ok || val == "" {
			s.Words = append(s.Words, w)
			continue
		}
		switch strings.ToLower(key) {
		case "track":
			t, err := domain.ParseTrack(val)
			if err != nil {
				return s, err
			}
			s.Filter.Track = t
		case "status":
			st := domain.Status(strings.ToLower(val))
			switch st {
			case domain.StatusNew, domain.StatusAllocated, domain.StatusReturned, domain.StatusStayed, domain.StatusClosed:
			default:
				return s, fmt.Errorf("status:%s: use new, allocated, returned, stayed or closed", val)
			}
			s.Filter.Status = st
		case "subject":
			sub, err := domain.ParseSubject(val)
			if err != nil {
				return s, err
			}
			s.Filter.Subject = sub
		case "rep":
			s.Filter.Representative = val
		case "late":
			b := strings.EqualFold(val, "yes") || strings.EqualFold(val, "y") || strings.EqualFold(val, "true")
			if !b && !strings.EqualFold(val, "no") && !strings.EqualFold(val, "n") && !strings.EqualFold(val, "false") {
				return s, fmt.Errorf("late:%s: use late:yes or late:no", val)
			}
			s.Filter.Late = &b
		case "received":
			op, ds := val[:1], val[1:]
			if op != "<" && op != ">" {
				return s, fmt.Errorf("received:%s: use received:<DATE or received:>DATE", val)
			}
			d, err := domain.ParseDate(ds)
			if err != nil {
				return s, fmt.Errorf("received: %w", err)
			}
			if op == "<" {
				s.Filter.ReceivedBefore = d
			} else {
				s.Filter.ReceivedAfter = d
			}
		default:
			// "TC/2026/01:23" or "note:" typed as words are just words.
			s.Words = append(s.Words, w)
		}
	}
	return s, nil
}

// refPrefix is the start of a reference: letters, then a slash and digits
// and slashes (TC/2026/0, JR/0004), or a dash and a digit on (AC-2026-LON-0).
var refPrefix = regexp.MustCompile(`^[A-Za-z]{1,4}(/[0-9/]*|-[0-9]{4}(-[0-9A-Za-z-]*)?)$`)

// ftsQuery turns words into an FTS5 query: each word a quoted phrase
// prefix, all required. Quotes inside a word are doubled, which is FTS5's
// escape, so nothing the user types is read as syntax. Words with no letter
// or digit match nothing in the index (the tokenizer drops punctuation) and
// are left out.
func ftsQuery(words []string) string {
	// A one-letter word beside longer ones would match nearly every case and
	// costs a scan of its whole vocabulary (the prefix index starts at two
	// letters): it is left out until the next letter is typed.
	long := false
	for _, w := range words {
		long = long || len([]rune(w)) >= 2
	}
	var parts []string
	for _, w := range words {
		if long && len([]rune(w)) < 2 {
			continue
		}
		// Control characters (a NUL ends FTS5's string) are not searchable text.
		w = strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f {
				return -1
			}
			return r
		}, w)
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		if one := oneLetter(w); one != "" {
			parts = append(parts, one)
			continue
		}
		parts = append(parts, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	return strings.Join(parts, " AND ")
}

// oneLetter turns a one-character ASCII word into the word itself or any
// of its two-character prefixes: ("j" OR "ja"* OR … OR "j9"*). The prefix
// index starts at two characters, so "j"* makes FTS5 merge the doclist of
// every term starting with j (20 ms at a million cases); each two-letter
// prefix is one lazily read doclist. Terms whose second character is not
// ASCII (after accents are removed) are found from the second letter on.
func oneLetter(w string) string {
	if len(w) != 1 {
		return ""
	}
	c := w[0] | 0x20 // lower case; digits are unchanged
	if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
		return ""
	}
	var b strings.Builder
	b.WriteString(`("` + string(c) + `"`)
	for _, r := range "abcdefghijklmnopqrstuvwxyz0123456789" {
		b.WriteString(` OR "` + string(c) + string(r) + `"*`)
	}
	b.WriteString(")")
	return b.String()
}

// Find looks a case up as the caseworker types: an exact reference first,
// then cases matching every word as a prefix (accents and case ignored),
// newest received first. The FTS rowid is the recency key, so the index is
// read in order and stops at the limit instead of ranking every match.
func (s *Store) Find(ctx context.Context, q Search, limit int) ([]CaseRow, error) {
	if q.Filter.Jurisdiction == "" {
		q.Filter.Jurisdiction = scope(ctx)
	}
	where, args := filterSQL(q.Filter)
	var out []CaseRow
	seen := map[int64]bool{}
	if len(q.Words) == 1 && strings.ContainsAny(q.Words[0], "/-") { // every reference has a slash or a dash
		rows, err := scanCaseRows(s.query(ctx, selectCase+" WHERE c.reference = ?"+where,
			append([]any{normRef(q.Words[0])}, args...)...))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out, seen[r.ID] = append(out, r), true
		}
	}
	if len(q.Words) == 1 && refPrefix.MatchString(q.Words[0]) {
		// Part of a reference (TC/2026/01…): read the reference index in
		// range, highest number first, rather than an FTS phrase over every
		// case of the year.
		p := normRef(q.Words[0])
		rows, err := scanCaseRows(s.query(ctx, selectCase+" WHERE c.reference >= ? AND c.reference < ?"+where+
			" ORDER BY c.reference DESC LIMIT ?", append(append([]any{p, p + "\uffff"}, args...), limit+len(out))...))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if !seen[r.ID] && len(out) < limit {
				out, seen[r.ID] = append(out, r), true
			}
		}
		if len(out) > 0 {
			return out, nil
		}
		// No reference starts so: the words may be an HMRC reference or a name.
	}
	join, match, ok := s.dialect.lookupJoin(q.Words)
	if !ok {
		if len(q.Words) > 0 {
			return out, nil // only punctuation: nothing can match
		}
		// Qualifiers alone: newest first straight from the cases table.
		rows, err := scanCaseRows(s.query(ctx,
			selectCase+" WHERE 1=1"+where+orderSQL(q.Filter.Sort, s.pg)+" LIMIT ?", append(args, limit)...))
		return rows, err
	}
	rows, err := scanCaseRows(s.query(ctx, selectCase+join+" WHERE 1=1"+where+" ORDER BY f.k DESC LIMIT ?",
		append(append([]any{match}, args...), limit+len(out))...))
	if err != nil {
		return nil, fmt.Errorf("lookup %q: %w", strings.Join(q.Words, " "), err)
	}
	for _, r := range rows {
		if !seen[r.ID] && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

// searchKey orders the index newest received first: the received day in
// the high digits, the case id below to keep keys unique.
func searchKey(received domain.Date, id int64) int64 {
	return int64(domain.NewDate(1970, 1, 1).DaysUntil(received))*keySpan + id
}

// keySpan bounds case ids (a billion) so that id = key % keySpan.
const keySpan = 1_000_000_000

// ftsSelect reads the values a case is indexed with, from its current
// row and notes. Every index write goes through it, so a 'delete' always
// names exactly what was inserted.
const ftsSelect = `SELECT c.search_key, c.reference, c.appellant, c.representative, c.hmrc_reference, c.grounds,
	coalesce((SELECT group_concat(json_extract(e.data, '$.text'), ' ') FROM events e
		WHERE e.case_id = c.id AND e.kind = 'note' AND NOT EXISTS (SELECT 1 FROM events u
			WHERE u.case_id = c.id AND u.kind = 'undone' AND CAST(json_extract(u.data, '$.undoes') AS BIGINT) = e.id)), '')
	FROM cases c WHERE c.id = ?`

// ftsDelete removes a case from the lookup index; call it before changing
// anything the index holds.
func ftsDelete(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_fts(case_fts, rowid, reference, appellant, representative,
		hmrc_reference, grounds, notes) SELECT 'delete', * FROM (`+ftsSelect+`)`, id)
	return err
}

// ftsInsert indexes a case as it now stands.
func ftsInsert(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference,
		grounds, notes) `+ftsSelect, id)
	return err
}
