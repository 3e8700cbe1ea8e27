package store

// The bulk import path on PostgreSQL: the staging and the set statements
// of bulkimport.go, with what differs here. The stage is a typed temporary
// table (its reference case-blind, as cases.reference is); case and event
// ids come from the tables' sequences, in file order, so another server
// adding an event meanwhile never takes one of them; the lookup index is
// case_lookup's tsvector; and the secondary indexes are dropped and built
// again by pg_indexes' own definitions. It all runs in the import's one
// transaction, so a file is still all or nothing.

import (
	"context"
	"strings"
	"time"
)

// pgStageTypes are the staging table's column types on PostgreSQL, by
// stageColumns (SQLite's stage takes any value in any column).
var pgStageTypes = map[string]string{
	"ord": "bigint PRIMARY KEY", "file": "bigint", "line": "bigint", "special": "bigint", "id": "bigint",
	"search_key": "bigint", "reference": "public.citext", "amount_pence": "bigint", "late": "bigint", "days_late": "bigint",
}

// createStagePostgres makes the stage, dropped at commit or rollback.
func (b *bulkImport) createStagePostgres(ctx context.Context) error {
	cols := make([]string, len(stageColumns))
	for i, c := range stageColumns {
		t := pgStageTypes[c]
		if t == "" {
			t = "text"
		}
		cols[i] = c + " " + t
	}
	_, err := b.tx.ExecContext(ctx, "CREATE TEMP TABLE bulk_stage("+strings.Join(cols, ", ")+") ON COMMIT DROP")
	return err
}

// movePostgres is move on PostgreSQL.
func (b *bulkImport) movePostgres(ctx context.Context) error {
	tx := b.tx
	var caseSeq, eventSeq string
	if err := tx.QueryRowContext(ctx, "SELECT pg_get_serial_sequence('cases', 'id'), pg_get_serial_sequence('events', 'id')").
		Scan(&caseSeq, &eventSeq); err != nil {
		return err
	}
	// New case ids from the sequence in file order (nextval is evaluated
	// in the order of the sorted subquery, which the planner keeps whole),
	// the search key's date part kept.
	if _, err := tx.ExecContext(ctx, `UPDATE bulk_stage SET id = n.id, search_key = (bulk_stage.search_key / ?) * ? + n.id
		FROM (SELECT ord, nextval(?::regclass) AS id FROM (SELECT ord FROM bulk_stage WHERE special = 0 ORDER BY ord) AS o) AS n
		WHERE n.ord = bulk_stage.ord`, keySpan, keySpan, caseSeq); err != nil {
		return err
	}
	// The indexes are built again after the load when it brings more rows
	// than the tables hold, as on SQLite (dropIndexes).
	var restore []string
	var held int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM cases LIMIT ?) AS c", b.ord).Scan(&held); err != nil {
		return err
	}
	if held < b.ord {
		for _, table := range []string{"cases", "events", "case_lookup"} {
			r, err := pgDropIndexes(ctx, tx, table, bulkKeptIndexes)
			if err != nil {
				return err
			}
			restore = append(restore, r...)
		}
	}
	var user any = b.opt.User
	at := b.s.stamp(b.opt.On).Format(time.RFC3339Nano)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{stagedCases + "id", nil},
		// The received events take ids in case order, as they would one at a time.
		{`INSERT INTO events(id, case_id, at, on_date, kind, user, detail, data)
		SELECT nextval(?::regclass), id, ?, received, 'received', ?, detail, data
		FROM (SELECT id, received, detail, data FROM bulk_stage WHERE special = 0 ORDER BY id) AS s`,
			[]any{eventSeq, at, user}},
		{stagedContacts, nil},
		// What the row path's loader writes for a case with no notes.
		{`INSERT INTO case_lookup(case_id, k, doc)
		SELECT id, search_key, caseload_doc(reference, appellant, representative, hmrc_reference, grounds, '') ||
			caseload_tags(` + lookupTagsOf("NULL", "'new'", "subject", "jurisdiction") + `)
		FROM bulk_stage WHERE special = 0 ORDER BY id`, nil},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return err
		}
	}
	for _, q := range restore {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if len(restore) > 0 {
		// Planner statistics in the transaction when the file is most of
		// the tables, so they arrive together. After a smaller file
		// autovacuum's analysis catches up in the background: in the
		// transaction it read the whole lookup (its target is 10,000,
		// schema 7) and took 17 s of a 36 s import of 10,000 notices into
		// 100,000 cases.
		if _, err := tx.ExecContext(ctx, "ANALYZE cases, events, case_contacts, case_lookup"); err != nil {
			return err
		}
	}
	return nil
}
