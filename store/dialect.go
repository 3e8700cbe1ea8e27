package store

import (
	"context"
	"database/sql"
	"strings"
)

// dialect is what differs between the two databases the store speaks:
// SQLite (one embedded file, the default) and PostgreSQL (one database for
// several servers). Everything else is the same SQL through database/sql;
// dialect_sqlite.go and dialect_postgres.go hold each one's differences.
type dialect interface {
	// name is said in messages ("SQLite", "PostgreSQL").
	name() string
	// unindexCase and indexCase keep the lookup index of one case current:
	// unindex before changing anything the index holds, index after.
	unindexCase(ctx context.Context, tx *sql.Tx, id int64) error
	indexCase(ctx context.Context, tx *sql.Tx, id int64) error
	// lookupJoins hands try joins that limit selectLookup to the cases
	// matching every word as a prefix and holding every qualifier term
	// (lookupTag), with the column f.k ordering newest first, each with
	// its args, until try says it has its page (full) or the join seen
	// every case. A join may see only some of the cases (the newest): its
	// answer stands only when it fills the page. With more, the join's
	// rows are added after those of the join before (it sees only older
	// cases than that one did). ok is false when no word is searchable.
	// terms are the index terms a long word stands for (lookupTerms); nil
	// where there are none to use.
	lookupJoins(ctx context.Context, s *Store, words, tags []string, terms map[string][]string, try func(join string, args []any, more bool) (full bool, err error)) (ok bool, err error)
	// retag rewrites the qualifier terms of a case whose track, status or
	// subject refresh changed (old: the terms it was indexed with).
	retag(ctx context.Context, tx *sql.Tx, id int64, old string) error
	// checkTags finds cases whose qualifier terms in the lookup index are
	// not their row's (vocabulary: values, by column, beyond the rows').
	checkTags(ctx context.Context, tx *sql.Tx, vocabulary map[string][]string) ([]CheckProblem, error)
	// nextIDs hands out ids for rows a bulk load numbers itself; want
	// is how many the caller will take, when it knows (else 0), so that
	// a load of known size leaves no gap in the numbers.
	nextIDs(ctx context.Context, tx *sql.Tx, table string, want int) (func() (int64, error), error)
	// rebuildIndex writes the lookup index of every case afresh (after
	// a copy); afterCopy runs in the transaction that copied a table's
	// rows with their ids.
	rebuildIndex(ctx context.Context, tx *sql.Tx) error
	afterCopy(ctx context.Context, tx *sql.Tx, table string, cols []string) error
	// skipLocked ends a SELECT of the appeals a queue card may take
	// (reservations.go) or a claim of the next appeal may take
	// (TakeNext), so that servers reserving or claiming at the same
	// moment pass over each other's rows instead of queueing on them.
	skipLocked(alias string) string
	// lockRow ends a SELECT of the row a claim changes (ownership.go), so
	// that a second claimer waits for the first's commit and reads it.
	lockRow(alias string) string
}

// notSupportedError is returned by what does not yet work on a PostgreSQL
// database, rather than doing something else there.
type notSupportedError struct{ what, instead string }

func (e notSupportedError) Error() string {
	msg := "not yet supported on PostgreSQL: " + e.what
	if e.instead != "" {
		msg += "; " + e.instead
	}
	return msg
}

// Postgres reports that the store is a PostgreSQL database.
func (s *Store) Postgres() bool { return s.pg }

// IsURL reports that a --db value names a PostgreSQL database rather than
// a file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// insertID runs an INSERT and returns the id given to the new row
// (RETURNING: both databases have it; PostgreSQL has no last insert id).
func insertID(ctx context.Context, tx *sql.Tx, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// snapshot returns n read transactions that see the same state of the
// database, for reading several ordered streams side by side: on SQLite
// one transaction n times (it reads any number of statements at once); on
// PostgreSQL, where a connection reads one result at a time, n
// transactions on n connections sharing the first one's snapshot.
// Roll back each (rolling one back twice is harmless).
func (s *Store) snapshot(ctx context.Context, n int) ([]*sql.Tx, error) {
	if !s.pg {
		tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, err
		}
		out := make([]*sql.Tx, n)
		for i := range out {
			out[i] = tx
		}
		return out, nil
	}
	opt := &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	first, err := s.db.BeginTx(ctx, opt)
	if err != nil {
		return nil, err
	}
	out := []*sql.Tx{first}
	fail := func(err error) ([]*sql.Tx, error) {
		for _, tx := range out {
			tx.Rollback()
		}
		return nil, err
	}
	var snap string
	if err := first.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&snap); err != nil {
		return fail(err)
	}
	for len(out) < n {
		tx, err := s.db.BeginTx(ctx, opt)
		if err != nil {
			return fail(err)
		}
		out = append(out, tx)
		if _, err := tx.ExecContext(ctx, "SET TRANSACTION SNAPSHOT '"+strings.ReplaceAll(snap, "'", "")+"'"); err != nil {
			return fail(err)
		}
	}
	return out, nil
}

// alongside gives n more readers of what tx sees, for streams read side
// by side with tx's own: tx itself on SQLite; on PostgreSQL (one result
// at a time per connection) read-only transactions on other connections
// that share tx's snapshot. They do not see tx's own writes, so read
// before writing. done ends them.
func (s *Store) alongside(ctx context.Context, tx *sql.Tx, n int) ([]*sql.Tx, func(), error) {
	out := make([]*sql.Tx, 0, n)
	done := func() {
		for _, r := range out {
			if r != tx {
				r.Rollback()
			}
		}
	}
	if !s.pg {
		for range n {
			out = append(out, tx)
		}
		return out, done, nil
	}
	var snap string
	if err := tx.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&snap); err != nil {
		return nil, done, err
	}
	for range n {
		r, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
		if err != nil {
			done()
			return nil, func() {}, err
		}
		out = append(out, r)
		if _, err := r.ExecContext(ctx, "SET TRANSACTION SNAPSHOT '"+strings.ReplaceAll(snap, "'", "")+"'"); err != nil {
			done()
			return nil, func() {}, err
		}
	}
	return out, done, nil
}
