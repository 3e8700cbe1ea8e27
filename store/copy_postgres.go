package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// pgCopyFrom streams rows into table over PostgreSQL's COPY protocol, in
// tx (a transaction pgTx began, so it commits or rolls back with
// everything else tx did). One COPY is a single round trip for any number
// of rows, where a multi-row INSERT is one per hundred and is parsed and
// planned each time: a million events in minutes rather than an hour.
func (s *Store) pgCopyFrom(ctx context.Context, tx *sql.Tx, table string, cols []string, src pgx.CopyFromSource) (int64, error) {
	v, ok := s.pgConns.Load(tx)
	if !ok {
		return 0, errors.New("COPY: the transaction was not begun by pgTx")
	}
	var n int64
	err := v.(*sql.Conn).Raw(func(dc any) error {
		rc, ok := dc.(*rebindConn)
		if !ok {
			return fmt.Errorf("COPY: not a pgx connection (%T)", dc)
		}
		var err error
		n, err = rc.Conn.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		return err
	})
	return n, err
}

// copyRowsSource is a COPY source reading a query's rows (the source
// database's) one at a time.
type copyRowsSource struct {
	rows *sql.Rows
	vals []any
	ptrs []any
	err  error
}

func newCopyRowsSource(rows *sql.Rows, ncols int) *copyRowsSource {
	c := &copyRowsSource{rows: rows, vals: make([]any, ncols), ptrs: make([]any, ncols)}
	for i := range c.vals {
		c.ptrs[i] = &c.vals[i]
	}
	return c
}

func (c *copyRowsSource) Next() bool {
	if !c.rows.Next() {
		return false
	}
	clear(c.vals)
	if c.err = c.rows.Scan(c.ptrs...); c.err != nil {
		return false
	}
	for i, v := range c.vals {
		// As rebindConn.CheckNamedValue: flags are integers in both schemas.
		if b, ok := v.(bool); ok {
			c.vals[i] = int64(0)
			if b {
				c.vals[i] = int64(1)
			}
		}
	}
	return true
}

func (c *copyRowsSource) Values() ([]any, error) { return c.vals, nil }

func (c *copyRowsSource) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.rows.Err()
}

// pgDropIndexes drops the secondary indexes of table on PostgreSQL, except
// those named in keep and those behind a constraint (a primary key, a
// unique reference: a load must still be checked against them), and
// returns the statements that build them again. Building an index once
// after a large load (sorting its keys, with maintenance_work_mem) is far
// cheaper than inserting each key into it as the rows arrive, above all
// for a GIN index. Run the statements in the same transaction: a failure
// rolls the drop back.
func pgDropIndexes(ctx context.Context, tx *sql.Tx, table string, keep map[string]bool) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = ?
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
		ORDER BY i.indexname`, table)
	if err != nil {
		return nil, err
	}
	var names, restore []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		if keep[name] {
			continue
		}
		names, restore = append(names, name), append(restore, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
			return nil, err
		}
	}
	return restore, nil
}

// pgCopyTable writes the source's rows of table into PostgreSQL in tx by
// COPY, the table's secondary indexes built again afterwards when it
// started empty (a copy's destination does), then moves its sequences on
// (afterCopy).
func (s *Store) pgCopyTable(ctx context.Context, tx *sql.Tx, table string, cols []string, rows *sql.Rows) error {
	var restore []string
	var have bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+")").Scan(&have); err != nil {
		return err
	}
	if !have {
		var err error
		if restore, err = pgDropIndexes(ctx, tx, table, nil); err != nil {
			return err
		}
	}
	src := newCopyRowsSource(rows, len(cols))
	if _, err := s.pgCopyFrom(ctx, tx, table, cols, src); err != nil {
		return err
	}
	for _, q := range restore {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return s.dialect.afterCopy(ctx, tx, table, cols)
}
