-- Rules audit (issue 13). Deadlines are stored so that "what is due" is an
-- index scan; when the inputs they were counted from change (a rule pack,
-- the bank holidays, the court closure days, or caseload's counting code),
-- every stored deadline is recomputed from the events in one transaction
-- and the run is recorded here with what moved, so the caseworker can be
-- told and can see the list.
CREATE TABLE rules_audit (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,     -- when the recomputation ran (RFC 3339)
	fingerprint TEXT NOT NULL,     -- the inputs the deadlines are now counted from
	previous    TEXT NOT NULL,     -- those they were counted from before ('' unknown: an older caseload)
	cases       INTEGER NOT NULL,  -- cases whose stored deadlines or lateness were rewritten
	changes     TEXT NOT NULL      -- JSON list of what moved
);
-- A tax appeal's bank holidays are those of its division (England and
-- Wales, Scotland, Northern Ireland); '' means the configured default.
ALTER TABLE cases ADD COLUMN division TEXT NOT NULL DEFAULT '';
