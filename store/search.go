package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
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
var refPrefix = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z]{1,4}(/[0-9/]*|-[0-9]{4}(-[0-9A-Za-z-]*)?)$`)
})

// ftsQuery turns words into an FTS5 query: each word a quoted phrase
// prefix, all required. Quotes inside a word are doubled, which is FTS5's
// escape, so nothing the user types is read as syntax. Words with no letter
// or digit match nothing in the index (the tokenizer drops punctuation) and
// are left out.
//
// A word in terms is instead the index terms it is a prefix of, each
// exact (lookupTerms): the same cases, read lazily.
func ftsQuery(words []string, terms map[string][]string) string {
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
		// Control characters (a NUL ends FTS5's string) are not searchable
		// text; private-use characters are not either: the qualifier terms
		// start with one (lookupTag), so no word typed reaches them.
		w = strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f || unicode.Is(unicode.Co, r) {
				return -1
			}
			return r
		}, w)
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		if ts, ok := terms[w]; ok {
			var or []string
			for _, t := range ts {
				or = append(or, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
			}
			parts = append(parts, "("+strings.Join(or, " OR ")+")")
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

// lookupColumns are what a lookup's results show (the Search screen's
// reference, received, late mark, appellant and state; `find`'s and its
// --json fields): a list statement, not the whole case row. Find's rows
// carry these fields only. bench/run.sh reads this constant for its
// comparison with the sqlite3 shell.
const lookupColumns = `c.id, c.reference, c.jurisdiction, c.received, c.appellant, c.representative, c.subject, c.track, c.status, c.late`

const selectLookup = "SELECT " + lookupColumns + " FROM cases c"

func scanLookupRows(rows *sql.Rows, err error) ([]CaseRow, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseRow
	for rows.Next() {
		var c CaseRow
		var received, subject, status string
		var track sql.NullString
		if err := rows.Scan(&c.ID, &c.Reference, &c.Jurisdiction, &received, &c.Appellant, &c.Representative,
			&subject, &track, &status, &c.Late); err != nil {
			return nil, err
		}
		c.Received, _ = domain.ParseDate(received)
		if track.Valid {
			t := domain.Track(track.String)
			c.Track = &t
		}
		c.Subject, c.Status, c.Flags = domain.Subject(subject), domain.Status(status), []string{}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Find looks a case up as the caseworker types: an exact reference first,
// then cases matching every word as a prefix (accents and case ignored),
// newest received first. The FTS rowid is the recency key, so the index is
// read in order and stops at the limit instead of ranking every match. The
// qualifiers the index holds (track, status, subject, jurisdiction) are
// terms of the same index query, so a filtered lookup intersects doclists
// instead of reading the case row of every match. The rows carry the
// lookup's columns (lookupColumns) only; Case reads a whole case.
func (s *Store) Find(ctx context.Context, q Search, limit int) ([]CaseRow, error) {
	if q.Filter.Jurisdiction == "" {
		q.Filter.Jurisdiction = scope(ctx)
	}
	where, args := filterSQL(q.Filter)
	var out []CaseRow
	seen := map[int64]bool{}
	if len(q.Words) == 1 && strings.ContainsAny(q.Words[0], "/-") { // every reference has a slash or a dash
		rows, err := scanLookupRows(s.query(ctx, selectLookup+" WHERE c.reference = ?"+where,
			append([]any{normRef(q.Words[0])}, args...)...))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out, seen[r.ID] = append(out, r), true
		}
	}
	if len(q.Words) == 1 && refPrefix().MatchString(q.Words[0]) {
		// Part of a reference (TC/2026/01…): read the reference index in
		// range, highest number first, rather than an FTS phrase over every
		// case of the year.
		p := normRef(q.Words[0])
		rows, err := scanLookupRows(s.query(ctx, selectLookup+" WHERE c.reference >= ? AND c.reference < ?"+where+
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
	tags, rest := indexedQualifiers(q.Filter)
	terms, err := s.lookupTerms(ctx, q.Words)
	if err != nil {
		return nil, fmt.Errorf("lookup %q: %w", strings.Join(q.Words, " "), err)
	}
	where, args = filterSQL(rest)
	var rows []CaseRow
	ok, err := s.dialect.lookupJoins(ctx, s, q.Words, tags, terms, func(join string, match []any, more bool) (bool, error) {
		if !more {
			rows = nil
		}
		found, err := scanLookupRows(s.query(ctx, selectLookup+join+" WHERE 1=1"+where+" ORDER BY f.k DESC LIMIT ?",
			append(append(slices.Clip(match), args...), limit+len(out)-len(rows))...))
		rows = append(rows, found...)
		return len(rows) == limit+len(out), err
	})
	if err != nil {
		return nil, fmt.Errorf("lookup %q: %w", strings.Join(q.Words, " "), err)
	}
	if !ok {
		if len(q.Words) > 0 {
			return out, nil // only punctuation: nothing can match
		}
		// Qualifiers alone: newest first straight from the cases table.
		where, args := filterSQL(q.Filter)
		rows, err := scanLookupRows(s.query(ctx,
			selectLookup+" WHERE 1=1"+where+orderSQL(q.Filter.Sort, s.pg)+" LIMIT ?", append(args, limit)...))
		return rows, err
	}
	for _, r := range rows {
		if !seen[r.ID] && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

// indexedQualifiers splits a filter into the terms the lookup index holds
// for it (lookupTags) and the rest, which is read from the case rows.
func indexedQualifiers(f CaseFilter) (tags []string, rest CaseFilter) {
	rest = f
	rest.Track, rest.Status, rest.Subject, rest.Jurisdiction = "", "", "", ""
	if f.Track != "" {
		tags = append(tags, lookupTag("track", string(f.Track)))
	}
	if f.Status != "" {
		tags = append(tags, lookupTag("status", string(f.Status)))
	}
	if f.Subject != "" {
		tags = append(tags, lookupTag("subject", string(f.Subject)))
	}
	if f.Jurisdiction != "" {
		tags = append(tags, lookupTag("jurisdiction", f.Jurisdiction))
	}
	return tags, rest
}

// lookupTag is the index term of one qualifier: a private-use character
// (U+E000, a token character to FTS5's unicode61 tokenizer), then its name
// and value run together without hyphens (statusnew, trackpreaction,
// subjectvat, jurisdictionfttax). No word typed can reach such a term, nor
// its entries in the prefix indexes (ftsQuery drops private-use
// characters): "st" or "jurisdiction" typed read the doclists of the
// case's own words only. lookupTagsSQL writes the same from a case row.
func lookupTag(name, value string) string {
	return tagMark + name + strings.ReplaceAll(value, "-", "")
}

// tagMark starts every qualifier term (char(57344) in SQL).
const tagMark = "\ue000"

// lookupTags are a case's qualifier terms as the index's tags column holds
// them (lookupTagsSQL from Go values, for the import's rows).
func lookupTags(track, status, subject, jurisdiction string) string {
	t := ""
	if track != "" {
		t = lookupTag("track", track) + " "
	}
	return t + lookupTag("status", status) + " " + lookupTag("subject", subject) + " " + lookupTag("jurisdiction", jurisdiction)
}

// lookupTagsSQL is the tags column of a case c: its track (when it has
// one), status, subject and jurisdiction as lookupTag terms.
var lookupTagsSQL = lookupTagsOf("c.track", "c.status", "c.subject", "c.jurisdiction")

// lookupTagsOf is lookupTags in SQL, of the columns (or values) named.
func lookupTagsOf(track, status, subject, jurisdiction string) string {
	return "coalesce(char(57344) || 'track' || replace(" + track + ", '-', '') || ' ', '') || char(57344) || 'status' || replace(" + status + ", '-', '') || " +
		"' ' || char(57344) || 'subject' || replace(" + subject + ", '-', '') || ' ' || char(57344) || 'jurisdiction' || replace(" + jurisdiction + ", '-', '')"
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
var ftsSelect = "SELECT " + ftsTextValues + ",\n\t" + lookupTagsSQL + "\n\tFROM cases c WHERE c.id = ?"

// ftsTextSelect is ftsSelect without the tags column (retag supplies the
// tags the entry was written with).
const ftsTextSelect = "SELECT " + ftsTextValues + " FROM cases c WHERE c.id = ?"

const ftsTextValues = `c.search_key, c.reference, c.appellant, c.representative, c.hmrc_reference, c.grounds,
	coalesce((SELECT group_concat(json_extract(e.data, '$.text'), ' ') FROM events e
		WHERE e.case_id = c.id AND e.kind = 'note' AND NOT EXISTS (SELECT 1 FROM events u
			WHERE u.case_id = c.id AND u.kind = 'undone' AND CAST(json_extract(u.data, '$.undoes') AS BIGINT) = e.id)), '')`

// ftsDelete removes a case from the lookup index; call it before changing
// anything the index holds.
func ftsDelete(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_fts(case_fts, rowid, reference, appellant, representative,
		hmrc_reference, grounds, notes, tags) SELECT 'delete', * FROM (`+ftsSelect+`)`, id)
	return err
}

// ftsInsert indexes a case as it now stands.
func ftsInsert(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference,
		grounds, notes, tags) `+ftsSelect, id)
	return err
}

// lookupVocabulary is every qualifier value a case may be indexed with,
// by column: what the cases hold is added by the check itself, these are
// the values no case may hold any more but a stale entry could.
func (s *Store) lookupVocabulary() map[string][]string {
	v := map[string][]string{}
	for _, st := range []domain.Status{domain.StatusNew, domain.StatusAllocated, domain.StatusReturned, domain.StatusStayed, domain.StatusClosed} {
		v["status"] = append(v["status"], string(st))
	}
	for _, ts := range [][]domain.Track{domain.Tracks, domain.Stages, domain.LitigationStages} {
		for _, t := range ts {
			v["track"] = append(v["track"], string(t))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.packs)) {
		v["jurisdiction"] = append(v["jurisdiction"], id)
		for _, sub := range s.packs[id].Subjects {
			v["subject"] = append(v["subject"], string(sub))
		}
	}
	return v
}

// checkLookupTags verifies that the lookup index holds each case's
// qualifier terms as its row has them, and no others.
func (s *Store) checkLookupTags(ctx context.Context, tx *sql.Tx) ([]CheckProblem, error) {
	return s.dialect.checkTags(ctx, tx, s.lookupVocabulary())
}
