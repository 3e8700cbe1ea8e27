-- Schema 6: the litigator's decisions to revisit (issue 19) and the due list read from one index (issue 21).
-- store/migrations/postgres/0006_litigation_due.sql is the same change for PostgreSQL.

-- Schema 6 (issue 19, branch s2-19): a settle-or-defend decision to
-- revisit. refresh writes the stage the latest decision was made at while
-- the case has moved on from it (and is open), NULL otherwise, so the
-- inbox lists the decisions to revisit through an index instead of
-- replaying every case. It leaves the inbox only with an event: a new
-- decision, the case closing, or a snooze.
ALTER TABLE cases ADD COLUMN revisit_stage TEXT;
CREATE INDEX cases_revisit ON cases(last_event) WHERE revisit_stage IS NOT NULL;
-- Cases decided before this schema: the stage recorded on the latest decision.
UPDATE cases SET revisit_stage = (SELECT json_extract(e.data, '$.litigation.stage') FROM events e
	WHERE e.case_id = cases.id AND e.kind = 'decision' ORDER BY e.id DESC LIMIT 1)
	WHERE EXISTS (SELECT 1 FROM events e WHERE e.case_id = cases.id AND e.kind = 'decision');
UPDATE cases SET revisit_stage = NULL
	WHERE revisit_stage IS NOT NULL AND (revisit_stage = coalesce(track, '') OR status IN ('closed', 'returned'));

-- The due list (issue 21): each open deadline carries what the list prints
-- of its case (reference, appellant, track) and what it filters on (the
-- case's status and jurisdiction), so `due` is one range of one index and
-- reads no case row (at a million cases the ~4,000 case rows it read, one
-- scattered primary-key read each, were most of the query). Triggers keep
-- the copies in the transaction of every change: a deadline written takes
-- its case's values, and a case's change of any of them is copied to its
-- deadlines. `caseload check` compares them with the cases.
ALTER TABLE deadlines ADD COLUMN case_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN case_appellant TEXT NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN case_track TEXT NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN case_status TEXT NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN case_jurisdiction TEXT NOT NULL DEFAULT '';

UPDATE deadlines SET (case_reference, case_appellant, case_track, case_status, case_jurisdiction) =
	(SELECT c.reference, c.appellant, coalesce(c.track, ''), c.status, c.jurisdiction FROM cases c WHERE c.id = deadlines.case_id);

CREATE TRIGGER deadlines_carry_case AFTER INSERT ON deadlines BEGIN
	UPDATE deadlines SET (case_reference, case_appellant, case_track, case_status, case_jurisdiction) =
		(SELECT c.reference, c.appellant, coalesce(c.track, ''), c.status, c.jurisdiction FROM cases c WHERE c.id = NEW.case_id)
	WHERE id = NEW.id;
END;

CREATE TRIGGER cases_carry_to_deadlines AFTER UPDATE OF reference, appellant, track, status, jurisdiction ON cases BEGIN
	UPDATE deadlines SET case_reference = NEW.reference, case_appellant = NEW.appellant, case_track = coalesce(NEW.track, ''),
		case_status = NEW.status, case_jurisdiction = NEW.jurisdiction
	WHERE case_id = NEW.id;
END;

-- The open deadlines in due order with every column the list shows and
-- filters on. status and optional are columns as well as the partial
-- index's condition: SQLite reads a row from an index alone only when every
-- column the statement names is in it (at 100,000 cases, in the sqlite3
-- shell: 28 ms with the join to cases, 7.8 ms without them, 3.9 ms with).
DROP INDEX deadlines_open_due;
CREATE INDEX deadlines_open_due ON deadlines(due, id, case_id, kind, label, rule, provisional, case_status,
	case_jurisdiction, case_reference, case_appellant, case_track, status, optional)
	WHERE status = 'open' AND optional = 0;
