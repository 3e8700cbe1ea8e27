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
