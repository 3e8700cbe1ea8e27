-- Schema 6 for PostgreSQL: the same change as ../0006_litigation_due.sql.

-- A settle-or-defend decision to revisit (issue 19): the stage the latest
-- decision was made at while the case has moved on from it (and is open),
-- NULL otherwise, written by refresh; the inbox lists them by this index.
ALTER TABLE cases ADD COLUMN revisit_stage text;
CREATE INDEX cases_revisit ON cases(last_event) WHERE revisit_stage IS NOT NULL;
UPDATE cases SET revisit_stage = (SELECT json_extract(e.data, '$.litigation.stage') FROM events e
	WHERE e.case_id = cases.id AND e.kind = 'decision' ORDER BY e.id DESC LIMIT 1)
	WHERE EXISTS (SELECT 1 FROM events e WHERE e.case_id = cases.id AND e.kind = 'decision');
UPDATE cases SET revisit_stage = NULL
	WHERE revisit_stage IS NOT NULL AND (revisit_stage = coalesce(track, '') OR status IN ('closed', 'returned'));

-- The due list (issue 21): each deadline carries what the list prints and
-- filters on of its case, kept by triggers in every change's transaction.
ALTER TABLE deadlines ADD COLUMN case_reference text NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN case_appellant text NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN case_track text NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN case_status text NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN case_jurisdiction text NOT NULL DEFAULT '';

UPDATE deadlines SET (case_reference, case_appellant, case_track, case_status, case_jurisdiction) =
	(SELECT c.reference, c.appellant, coalesce(c.track, ''), c.status, c.jurisdiction FROM cases c WHERE c.id = deadlines.case_id);

CREATE FUNCTION caseload_deadline_carries_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT c.reference, c.appellant, coalesce(c.track, ''), c.status, c.jurisdiction
		INTO NEW.case_reference, NEW.case_appellant, NEW.case_track, NEW.case_status, NEW.case_jurisdiction
		FROM cases c WHERE c.id = NEW.case_id;
	RETURN NEW;
END $$;
CREATE TRIGGER deadlines_carry_case BEFORE INSERT ON deadlines
	FOR EACH ROW EXECUTE FUNCTION caseload_deadline_carries_case();

CREATE FUNCTION caseload_case_carries_to_deadlines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE deadlines SET case_reference = NEW.reference, case_appellant = NEW.appellant, case_track = coalesce(NEW.track, ''),
		case_status = NEW.status, case_jurisdiction = NEW.jurisdiction
	WHERE case_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER cases_carry_to_deadlines AFTER UPDATE OF reference, appellant, track, status, jurisdiction ON cases
	FOR EACH ROW EXECUTE FUNCTION caseload_case_carries_to_deadlines();

DROP INDEX deadlines_open_due;
CREATE INDEX deadlines_open_due ON deadlines(due, id) INCLUDE (case_id, kind, label, rule, provisional, case_status,
	case_jurisdiction, case_reference, case_appellant, case_track)
	WHERE status = 'open' AND optional = 0;
