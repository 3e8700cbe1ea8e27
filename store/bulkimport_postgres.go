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
	"database/sql"
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
	bySet, err := pgTalliesBySet(ctx, tx)
	if err != nil {
		return err
	}
	// The indexes are built again after the load when it brings more rows
	// than the tables hold, as on SQLite (dropIndexes), by their owner
	// (the application role may not drop them).
	var restore []string
	var held int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM cases LIMIT ?) AS c", b.ord).Scan(&held); err != nil {
		return err
	}
	if bySet && held < b.ord {
		for _, table := range []string{"cases", "events", "case_lookup"} {
			r, err := pgDropIndexes(ctx, tx, table, bulkKeptIndexes)
			if err != nil {
				return err
			}
			restore = append(restore, r...)
		}
	}
	// The stage's size for the planner: the tally deltas below join it to
	// the new cases and events.
	if _, err := tx.ExecContext(ctx, "ANALYZE bulk_stage"); err != nil {
		return err
	}
	if bySet {
		for _, q := range []string{"ALTER TABLE cases DISABLE TRIGGER case_tallies", "ALTER TABLE events DISABLE TRIGGER event_tallies"} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
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
	if bySet {
		for _, q := range append([]string{"ALTER TABLE cases ENABLE TRIGGER case_tallies", "ALTER TABLE events ENABLE TRIGGER event_tallies"},
			pgImportTallies...) {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
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

// pgTalliesBySet says whether the import may switch off the row triggers
// that keep the case, owner and event tallies (schema 7) and add the
// file's counts to them once, grouped (pgImportTallies). Fired per row,
// each new case upserted the one owner_tally row of the unowned cases and
// each received event its day's event_tally row: every upsert of a row
// already updated in the same transaction walks all its earlier versions,
// so 100,000 notices took 133 s of a 151 s import in the two trigger
// functions (pg_stat_user_functions), into an empty database or not.
// ALTER TABLE … DISABLE TRIGGER needs the tables' owner; the application
// role (caseload_grant_app) is not, and keeps the row triggers (and the
// indexes, which it may not drop either). The switch
// is transactional and its lock (SHARE ROW EXCLUSIVE) holds every other
// writer of cases and events until the import commits, with the triggers
// back on and the tallies exact; readers are not held.
func pgTalliesBySet(ctx context.Context, tx *sql.Tx) (bool, error) {
	var owner bool
	err := tx.QueryRowContext(ctx, `SELECT bool_and(pg_has_role(current_user, relowner, 'USAGE')) FROM pg_class
		WHERE oid IN ('cases'::regclass, 'events'::regclass, 'case_lookup'::regclass)`).Scan(&owner)
	return owner, err
}

// pgImportTallies add the imported cases and their received events to the
// tallies the switched-off row triggers keep, as the triggers would have
// (caseload_case_tallies, caseload_event_tallies): one upsert per tally
// row, not one per case.
var pgImportTallies = []string{
	`INSERT INTO case_tally(jurisdiction, received, status, track, cases, late)
	SELECT c.jurisdiction, c.received, c.status, coalesce(c.track, ''), count(*), sum(c.late)
	FROM bulk_stage s JOIN cases c ON c.id = s.id WHERE s.special = 0 GROUP BY 1, 2, 3, 4
	ON CONFLICT (received, jurisdiction, status, track) DO UPDATE SET cases = case_tally.cases + EXCLUDED.cases, late = case_tally.late + EXCLUDED.late`,
	`INSERT INTO owner_tally(owner, cases)
	SELECT c.owner, count(*) FROM bulk_stage s JOIN cases c ON c.id = s.id
	WHERE s.special = 0 AND c.status NOT IN ('closed', 'returned') GROUP BY 1
	ON CONFLICT (owner) DO UPDATE SET cases = owner_tally.cases + EXCLUDED.cases`,
	`INSERT INTO event_tally(jurisdiction, on_date, kind, events)
	SELECT c.jurisdiction, e.on_date, e.kind, count(*) FROM bulk_stage s JOIN cases c ON c.id = s.id JOIN events e ON e.case_id = s.id
	WHERE s.special = 0 GROUP BY 1, 2, 3
	ON CONFLICT (kind, on_date, jurisdiction) DO UPDATE SET events = event_tally.events + EXCLUDED.events`,
}
