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
CREATE INDEX events_returned ON events(on_date, case_id, kind) WHERE kind = 'returned';

-- Returns not undone by day, jurisdiction and reason: the rejections
-- report's returns by reason (kept by triggers, verified by check).
CREATE TABLE return_tally (
	on_date      text NOT NULL,
	jurisdiction text NOT NULL,
	reason       text NOT NULL,
	events       bigint NOT NULL,
	PRIMARY KEY (on_date, jurisdiction, reason)
);
INSERT INTO return_tally(on_date, jurisdiction, reason, events)
	SELECT e.on_date, c.jurisdiction, j.value, count(*) FROM events e JOIN cases c ON c.id = e.case_id, json_each(e.data, '$.reasons') j
	WHERE e.kind = 'returned' AND e.id NOT IN (SELECT event_id FROM events_undone)
	GROUP BY 1, 2, 3;
-- A return counts each reason it gives (grouped first: one upsert may not
-- touch a row twice); a return undone leaves the tally once.
CREATE FUNCTION caseload_return_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'events' THEN
		INSERT INTO return_tally(on_date, jurisdiction, reason, events)
			SELECT NEW.on_date, c.jurisdiction, j.value, count(*) FROM cases c, json_each(NEW.data, '$.reasons') j WHERE c.id = NEW.case_id
			GROUP BY 1, 2, 3
			ON CONFLICT (on_date, jurisdiction, reason) DO UPDATE SET events = return_tally.events + EXCLUDED.events;
	ELSE
		UPDATE return_tally t SET events = t.events - m.n FROM (SELECT e.on_date, c.jurisdiction, j.value AS reason, count(*) AS n
				FROM events e JOIN cases c ON c.id = e.case_id, json_each(e.data, '$.reasons') j
				WHERE e.id = NEW.event_id AND e.kind = 'returned' GROUP BY 1, 2, 3) m
			WHERE t.on_date = m.on_date AND t.jurisdiction = m.jurisdiction AND t.reason = m.reason;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER return_tally_insert AFTER INSERT ON events FOR EACH ROW WHEN (NEW.kind = 'returned')
	EXECUTE FUNCTION caseload_return_tally();
CREATE TRIGGER return_tally_undone AFTER INSERT ON events_undone FOR EACH ROW EXECUTE FUNCTION caseload_return_tally();

-- The fees report's fees made due in its range, then their cases (it read
-- every case and probed its fees when the fees were few).
CREATE INDEX fees_due ON fees(due_on, id);
