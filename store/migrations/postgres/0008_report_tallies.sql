-- Schema 8 for PostgreSQL: the same change as ../0008_report_tallies.sql (issue 21, branch s4-21a):
-- partial indexes that bound the extensions and rejections reports to the late cases, the
-- permission decisions and the returns of their range; their per-period counts come from the
-- schema 7 tallies.

-- Late appeals by received date, with what the extensions report shows
-- of each (track, days late) and its scope (jurisdiction).
CREATE INDEX cases_late_received ON cases(received, jurisdiction, track, days_late, late, id) WHERE late = 1;
-- A late appeal's latest permission decision: one probe per late case,
-- not a read of every event of the case.
CREATE INDEX events_permission ON events(case_id, id, kind, on_date) WHERE kind IN ('permission-granted', 'permission-refused');
-- The cases returned in a period, counted from the index.
CREATE INDEX events_returned ON events(on_date, case_id) WHERE kind = 'returned';
