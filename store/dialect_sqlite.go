package store

import (
	"context"
	"database/sql"
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

func (sqlite) lookupJoin(words []string) (string, any, bool) {
	match := ftsQuery(words)
	if match == "" {
		return "", nil, false
	}
	// The case id is the low part of the key: a primary-key lookup per match.
	return " JOIN (SELECT rowid AS k FROM case_fts WHERE case_fts MATCH ? ORDER BY rowid DESC) f ON c.id = f.k % " +
		strconv.Itoa(keySpan), match, true
}

// nextIDs numbers from the table's largest id: the write lock is held for
// the whole transaction, so nobody else takes one meanwhile.
func (sqlite) nextIDs(ctx context.Context, tx *sql.Tx, table string) (func() (int64, error), error) {
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
	_, err := tx.ExecContext(ctx, `INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference, grounds, notes)
		`+strings.Replace(ftsSelect, "WHERE c.id = ?", "ORDER BY c.search_key", 1))
	return err
}

func (sqlite) afterCopy(context.Context, *sql.Tx, string, []string) error { return nil }

// skipLocked is nothing on SQLite: the write gate and the one writer at
// a time already make each reservation wait for the one before.
func (sqlite) skipLocked(string) string { return "" }
