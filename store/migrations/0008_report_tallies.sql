-- Schema 8 (issue 21, branch s4-21a): the extensions and rejections reports
-- read only what their range holds. At 1,000,000 cases extensions read the
-- full row of every case received in its range to find the 1.5% that are
-- late (267 ms; at 10M a tenth of a million rows per report), and
-- rejections read every return's event row to count the cases returned.
-- Their per-period counts now come from the case and event tallies
-- (schema 7); these partial indexes bound the rest to the late cases, the
-- permission decisions and the returns of the range, each read from the
-- index alone. Building them reads the cases and events once (no rows
-- change): at 100,000 cases a fraction of a second.
-- store/migrations/postgres/0008_report_tallies.sql is the same change for PostgreSQL.

-- Late appeals by received date, with what the extensions report shows
-- of each (track, days late) and its scope (jurisdiction).
CREATE INDEX cases_late_received ON cases(received, jurisdiction, track, days_late, late, id) WHERE late = 1;
-- A late appeal's latest permission decision: one probe per late case,
-- not a read of every event of the case.
CREATE INDEX events_permission ON events(case_id, id, kind, on_date) WHERE kind IN ('permission-granted', 'permission-refused');
-- The cases returned in a period, counted from the index.
CREATE INDEX events_returned ON events(on_date, case_id) WHERE kind = 'returned';
