package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// sqlite is the SQLite dialect: the store's SQL is written for it, and
// lookup is an FTS5 table keyed by search_key (search.go).
type sqlite struct{}

func (sqlite) name() string { return "SQLite" }

func (sqlite) unindexCase(ctx context.Context, tx *sql.Tx, id int64) error {
	return ftsDelete(ctx, tx, id)
}

func (sqlite) indexCase(ctx context.Context, tx *sql.Tx, id int64) error {
	return ftsInsert(ctx, tx, id)
}

func (sqlite) lookupJoins(_ context.Context, _ *Store, words, tags []string, terms map[string][]string, try func(string, []any, bool) (bool, error)) (bool, error) {
	match := ftsQuery(words, terms)
	if match == "" {
		return false, nil
	}
	// The qualifiers are terms of the same FTS5 query: its doclists are
	// intersected in rowid order.
	for _, t := range tags {
		match += ` AND "` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	// The case id is the low part of the key: a primary-key lookup per match.
	// One join: FTS5 reads the doclists newest first and stops at the page.
	_, err := try(" JOIN (SELECT rowid AS k FROM case_fts WHERE case_fts MATCH ? ORDER BY rowid DESC) f ON c.id = f.k % "+
		strconv.Itoa(keySpan), []any{match}, false)
	return true, err
}

// retag deletes the case's index entry as it was written (the tags it had)
// and writes it again: a contentless FTS5 table is told exactly what it
// holds.
func (sqlite) retag(ctx context.Context, tx *sql.Tx, id int64, old string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_fts(case_fts, rowid, reference, appellant, representative,
		hmrc_reference, grounds, notes, tags) SELECT 'delete', f.*, ? FROM (`+ftsTextSelect+`) f`, old, id); err != nil {
		return err
	}
	return ftsInsert(ctx, tx, id)
}

// nextIDs numbers from the table's largest id: the write lock is held for
// the whole transaction, so nobody else takes one meanwhile.
func (sqlite) nextIDs(ctx context.Context, tx *sql.Tx, table string, _ int) (func() (int64, error), error) {
	var next int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM "+table).Scan(&next); err != nil {
		return nil, err
	}
	return func() (int64, error) {
		next++
		return next - 1, nil
	}, nil
}

func (sqlite) rebuildIndex(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "INSERT INTO case_fts(case_fts) VALUES ('delete-all')"); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference, grounds, notes, tags)
		`+strings.Replace(ftsSelect, "WHERE c.id = ?", "ORDER BY c.search_key", 1))
	return err
}

func (sqlite) afterCopy(context.Context, *sql.Tx, string, []string) error { return nil }

// checkTags compares, for every value of every qualifier column, the
// cases holding it with the index's doclist of its term: the same number,
// and each such case in it. Linear in the size of the index's tags.
func (sqlite) checkTags(ctx context.Context, tx *sql.Tx, vocabulary map[string][]string) ([]CheckProblem, error) {
	var out []CheckProblem
	for _, col := range []string{"track", "status", "subject", "jurisdiction"} {
		have := map[string]int{}
		for _, v := range vocabulary[col] {
			have[v] = 0
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+col+", count(*) FROM cases WHERE "+col+" IS NOT NULL GROUP BY "+col)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var v string
			var n int
			if err := rows.Scan(&v, &n); err != nil {
				rows.Close()
				return nil, err
			}
			have[v] = n
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		for _, v := range slices.Sorted(maps.Keys(have)) {
			term := `"` + strings.ReplaceAll(lookupTag(col, v), `"`, `""`) + `"`
			var indexed int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM case_fts WHERE case_fts MATCH ?", term).Scan(&indexed); err != nil {
				return nil, err
			}
			missing, err := tx.QueryContext(ctx, "SELECT c.reference FROM cases c WHERE c."+col+` = ?
				AND c.search_key NOT IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?) ORDER BY c.id LIMIT 20`, v, term)
			if err != nil {
				return nil, err
			}
			some := false
			for missing.Next() {
				var ref string
				if err := missing.Scan(&ref); err != nil {
					missing.Close()
					return nil, err
				}
				some = true
				out = append(out, CheckProblem{ref, fmt.Sprintf("the lookup index does not hold its %s %s", col, v)})
			}
			if err := missing.Close(); err != nil {
				return nil, err
			}
			if indexed != have[v] && !some {
				out = append(out, CheckProblem{Problem: fmt.Sprintf("the lookup index holds %d case(s) with %s %s; the cases: %d", indexed, col, v, have[v])})
			}
		}
	}
	return out, nil
}

// skipLocked is nothing on SQLite: the write gate and the one writer at
// a time already make each reservation wait for the one before.
func (sqlite) skipLocked(string) string { return "" }

// lockRow is nothing on SQLite either.
func (sqlite) lockRow(string) string { return "" }

// longestPrefixIndex is the longest prefix case_fts has an index for
// (prefix = '2 3 4 5 6').
const longestPrefixIndex = 6

// maxLookupTerms bounds the index terms a long word is turned into; a
// word that starts more terms is left a prefix query.
const maxLookupTerms = 16

// lookupTerms finds, for each word longer than the longest prefix index,
// the index terms it is a prefix of. FTS5 answers such a prefix by
// merging the whole doclist of every term it starts into memory before it
// can return the newest (10 ms for "northga" at ten million cases, however
// few rows are wanted); the same terms asked for exactly are read lazily
// from the newest end. The vocabulary is read one term at a time
// (fts5vocab's instance table stops at a term's first entry, where its row
// table would count every document). Only words of ASCII letters and
// digits are turned into terms: the tokenizer leaves those as they are but
// for case, so the word is its own token. PostgreSQL has no such limit.
func (s *Store) lookupTerms(ctx context.Context, words []string) (map[string][]string, error) {
	if s.pg {
		return nil, nil
	}
	var long []string
	for _, w := range words {
		if len(w) > longestPrefixIndex && !strings.ContainsFunc(w, func(r rune) bool {
			return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9')
		}) {
			long = append(long, w)
		}
	}
	if len(long) == 0 {
		return nil, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// A temporary table: nothing is written to the file.
	if _, err := conn.ExecContext(ctx, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.case_fts_terms USING fts5vocab(main, case_fts, instance)"); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, w := range long {
		p := strings.ToLower(w)
		var terms []string
		// Terms are UTF-8 compared byte by byte; no token holds U+10FFFF
		// (not a letter or digit) or a control character, so p+U+10FFFF
		// bounds the terms p starts and t+"\x01" is the first string after t.
		for from := p; len(terms) <= maxLookupTerms; {
			var t string
			err := conn.QueryRowContext(ctx, "SELECT term FROM temp.case_fts_terms WHERE term >= ? AND term < ? LIMIT 1",
				from, p+"\U0010FFFF").Scan(&t)
			if errors.Is(err, sql.ErrNoRows) {
				break
			}
			if err != nil {
				return nil, err
			}
			terms, from = append(terms, t), t+"\x01"
		}
		// No term: the prefix query reads no doclist either. Too many: left
		// to the prefix query rather than a long OR.
		if len(terms) > 0 && len(terms) <= maxLookupTerms {
			out[w] = terms
		}
	}
	return out, nil
}
