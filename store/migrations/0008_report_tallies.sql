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
CREATE INDEX events_returned ON events(on_date, case_id, kind) WHERE kind = 'returned';

-- Returns not undone by day, jurisdiction and reason (each reason a return
-- gives counts once): the rejections report's returns by reason, a sum
-- over the range's days instead of a read of every return's event. Kept
-- by triggers like the schema 7 tallies and verified by `caseload check`.
CREATE TABLE return_tally (
	on_date      TEXT NOT NULL,
	jurisdiction TEXT NOT NULL,
	reason       TEXT NOT NULL,
	events       INTEGER NOT NULL,
	PRIMARY KEY (on_date, jurisdiction, reason)
) WITHOUT ROWID;
INSERT INTO return_tally(on_date, jurisdiction, reason, events)
	SELECT e.on_date, c.jurisdiction, j.value, count(*) FROM events e JOIN cases c ON c.id = e.case_id, json_each(e.data, '$.reasons') j
	WHERE e.kind = 'returned' AND e.id NOT IN (SELECT event_id FROM events_undone)
	GROUP BY 1, 2, 3;
CREATE TRIGGER return_tally_insert AFTER INSERT ON events WHEN NEW.kind = 'returned' BEGIN
	INSERT INTO return_tally(on_date, jurisdiction, reason, events)
		SELECT NEW.on_date, c.jurisdiction, j.value, count(*) FROM cases c, json_each(NEW.data, '$.reasons') j WHERE c.id = NEW.case_id
		GROUP BY 1, 2, 3
		ON CONFLICT DO UPDATE SET events = events + excluded.events;
END;
-- A return undone leaves the tally (once, however often it is named).
CREATE TRIGGER return_tally_undone AFTER INSERT ON events_undone BEGIN
	UPDATE return_tally SET events = events - (SELECT count(*) FROM events e, json_each(e.data, '$.reasons') j
			WHERE e.id = NEW.event_id AND j.value = return_tally.reason)
		WHERE (on_date, jurisdiction) = (SELECT e.on_date, c.jurisdiction FROM events e JOIN cases c ON c.id = e.case_id
			WHERE e.id = NEW.event_id AND e.kind = 'returned');
END;

-- The fees report's fees made due in its range, then their cases (it read
-- every case and probed its fees when the fees were few).
CREATE INDEX fees_due ON fees(due_on, id);
