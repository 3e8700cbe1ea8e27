package store

import (
	"context"
	"database/sql"
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

func (sqlite) lookupJoins(_ context.Context, _ *Store, words, tags []string, try func(string, []any, bool) (bool, error)) (bool, error) {
	match := ftsQuery(words)
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
