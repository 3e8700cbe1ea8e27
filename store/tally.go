package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The report tallies (schema 7; return_tally schema 8) are aggregates of the cases and events,
// kept by triggers in each change's transaction, so that a report sums a
// few rows per day instead of counting the caseload. tallyScans are what
// each holds, computed from the cases and events: RebuildReportTallies
// fills the tallies with them and check compares the two.
var tallyScans = []struct {
	table, columns, nonzero, scan string
}{
	{"events_undone", "event_id", "", `SELECT DISTINCT CAST(json_extract(data, '$.undoes') AS BIGINT) FROM events
		WHERE kind = 'undone' AND json_extract(data, '$.undoes') IS NOT NULL`},
	{"return_tally", "on_date, jurisdiction, reason, events", "events != 0",
		`SELECT e.on_date, c.jurisdiction, j.value, count(*) FROM events e JOIN cases c ON c.id = e.case_id, json_each(e.data, '$.reasons') j
		WHERE e.kind = 'returned' AND e.id NOT IN (SELECT CAST(json_extract(u.data, '$.undoes') AS BIGINT) FROM events u
			WHERE u.kind = 'undone' AND json_extract(u.data, '$.undoes') IS NOT NULL)
		GROUP BY e.on_date, c.jurisdiction, j.value`},
	{"case_tally", "jurisdiction, received, status, track, cases, late", "cases != 0 OR late != 0",
		`SELECT jurisdiction, received, status, coalesce(track, ''), count(*), coalesce(sum(late), 0) FROM cases
		GROUP BY jurisdiction, received, status, coalesce(track, '')`},
	{"event_tally", "jurisdiction, on_date, kind, events", "events != 0",
		`SELECT c.jurisdiction, e.on_date, e.kind, count(*) FROM events e JOIN cases c ON c.id = e.case_id
		WHERE e.id NOT IN (SELECT CAST(json_extract(u.data, '$.undoes') AS BIGINT) FROM events u
			WHERE u.kind = 'undone' AND json_extract(u.data, '$.undoes') IS NOT NULL)
		GROUP BY c.jurisdiction, e.on_date, e.kind`},
	{"disposal_tally", "on_date, jurisdiction, weeks, events", "events != 0",
		`SELECT e.on_date, c.jurisdiction, CAST(` + weeksToClear + ` AS BIGINT), count(*) FROM events e JOIN cases c ON c.id = e.case_id
		WHERE e.kind IN ('disposed', 'permission-refused') AND e.id NOT IN (SELECT CAST(json_extract(u.data, '$.undoes') AS BIGINT) FROM events u
			WHERE u.kind = 'undone' AND json_extract(u.data, '$.undoes') IS NOT NULL)
		GROUP BY e.on_date, c.jurisdiction, CAST(` + weeksToClear + ` AS BIGINT)`},
	{"allocation_tally", "on_date, jurisdiction, user, suggested, track, override, events", "events != 0",
		`SELECT e.on_date, c.jurisdiction, e.user, coalesce(json_extract(e.data, '$.suggested'), ''), coalesce(json_extract(e.data, '$.track'), ''),
			coalesce(CAST(json_extract(e.data, '$.override') AS BIGINT), 0), count(*)
		FROM events e JOIN cases c ON c.id = e.case_id
		WHERE e.kind = 'allocated' AND NOT EXISTS (SELECT 1 FROM events u WHERE u.case_id = e.case_id AND u.kind = 'allocation-undone'
			AND CAST(json_extract(u.data, '$.undoes') AS BIGINT) = e.id)
		GROUP BY e.on_date, c.jurisdiction, e.user, coalesce(json_extract(e.data, '$.suggested'), ''), coalesce(json_extract(e.data, '$.track'), ''),
			coalesce(CAST(json_extract(e.data, '$.override') AS BIGINT), 0)`},
	{"owner_tally", "owner, cases", "cases != 0",
		`SELECT owner, count(*) FROM cases WHERE status NOT IN ('closed', 'returned') GROUP BY owner`},
}

// weeksToClear is whole weeks from a case's receipt to its disposal,
// rounded toward zero in both dialects (trunc: PostgreSQL's CAST rounds).
const weeksToClear = "trunc((julianday(e.on_date) - julianday(c.received)) / 7)"

// RebuildReportTallies recomputes every report tally from the cases and
// events, in one transaction.
func (s *Store) RebuildReportTallies(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return rebuildReportTallies(ctx, tx) })
}

// rebuildReportTallies recomputes every report tally from the cases and
// events in tx: one set statement per table. A path that writes cases and
// events without the triggers (none does today: the bulk import and
// generate fire them like every write) calls it before it commits.
func rebuildReportTallies(ctx context.Context, tx *sql.Tx) error {
	// Emptied first, then events_undone refilled before the event tally:
	// its trigger takes undone events out of an event tally that is empty
	// then, and the event tally's scan has already left them out.
	for _, t := range tallyScans {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.table); err != nil {
			return fmt.Errorf("rebuilding %s: %w", t.table, err)
		}
	}
	for _, t := range tallyScans {
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+t.table+"("+t.columns+") "+t.scan); err != nil {
			return fmt.Errorf("rebuilding %s: %w", t.table, err)
		}
	}
	return nil
}

// checkTallies compares each tally with its scan (rows a decrement left
// at zero count as absent) and names each table that differs.
func checkTallies(ctx context.Context, tx *sql.Tx) ([]CheckProblem, error) {
	var out []CheckProblem
	for _, t := range tallyScans {
		kept := "SELECT " + t.columns + " FROM " + t.table
		if t.nonzero != "" {
			kept += " WHERE " + t.nonzero
		}
		// Each side computed once (the scan reads every event), then
		// compared both ways.
		var n int
		err := tx.QueryRowContext(ctx, `WITH k AS MATERIALIZED (`+kept+`), s AS MATERIALIZED (`+t.scan+`)
			SELECT (SELECT count(*) FROM (SELECT * FROM k EXCEPT SELECT * FROM s) d)
			+ (SELECT count(*) FROM (SELECT * FROM s EXCEPT SELECT * FROM k) d)`).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("checking %s: %w", t.table, err)
		}
		if n > 0 {
			out = append(out, CheckProblem{Problem: fmt.Sprintf("the report tally %s differs from the cases and events in %d row(s): the reports that read it are wrong", t.table, n)})
		}
	}
	return out, nil
}
