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

// tallyTriggers are the row triggers that keep the report tallies as
// cases and events are written (schema 7), by table. A copy into an empty
// table switches them off for its transaction and computes the tallies
// once from the whole table instead (rebuildReportTallies): firing them
// was an upsert or two per row, 46 of the 60 s that copying the tables of
// 100,000 cases took.
var tallyTriggers = map[string][]string{
	"cases":  {"case_tallies"},
	"events": {"event_tallies", "disposal_tally_insert", "allocation_tally"},
}

// pgCopyTable writes the source's rows of table into PostgreSQL in tx by
// COPY, the table's secondary indexes built again afterwards when it
// started empty (a copy's destination does), then moves its sequences on
// (afterCopy). Into an empty table the tally triggers are off for the
// COPY (ALTER TABLE is transactional: a failure or a kill leaves them on)
// and the tallies are rebuilt from the tables before the transaction
// commits, so no state is ever committed with tallies the rows disagree
// with.
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
		// Sorting the keys of the indexes built again in memory.
		if _, err := tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
			return err
		}
	}
	triggers := tallyTriggers[table]
	if have {
		triggers = nil
	}
	for _, t := range triggers {
		if _, err := tx.ExecContext(ctx, "ALTER TABLE "+table+" DISABLE TRIGGER "+t); err != nil {
			return err
		}
	}
	src := newCopyRowsSource(rows, len(cols))
	if _, err := s.pgCopyFrom(ctx, tx, table, cols, src); err != nil {
		return err
	}
	for _, t := range triggers {
		if _, err := tx.ExecContext(ctx, "ALTER TABLE "+table+" ENABLE TRIGGER "+t); err != nil {
			return err
		}
	}
	for _, q := range restore {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if len(triggers) > 0 {
		// The tallies' scans join events to cases by their keys: give the
		// planner the new table's size first.
		if _, err := tx.ExecContext(ctx, "ANALYZE "+table); err != nil {
			return err
		}
		if err := rebuildReportTallies(ctx, tx); err != nil {
			return err
		}
	}
	return s.dialect.afterCopy(ctx, tx, table, cols)
}
