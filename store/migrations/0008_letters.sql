-- Letters and emails drafted from templates (issue 18), and where to send
-- them.

-- Postal and email addresses of a case's parties, from the notice (the
-- columns appellant_address, appellant_email, ... of an import). One row
-- per case that gave any; a corrected notice replaces its row.
CREATE TABLE case_contacts (
	case_id                INTEGER PRIMARY KEY REFERENCES cases(id),
	appellant_address      TEXT NOT NULL DEFAULT '',
	appellant_email        TEXT NOT NULL DEFAULT '',
	representative_address TEXT NOT NULL DEFAULT '',
	representative_email   TEXT NOT NULL DEFAULT '',
	respondent_address     TEXT NOT NULL DEFAULT '',
	respondent_email       TEXT NOT NULL DEFAULT ''
);

-- A saved letter is a record: its document is kept beside the database
-- (files/letters/CASE/ID-name.md, 0600), and it is never rewritten. A
-- correction is a new letter naming the one it replaces.
CREATE TABLE letters (
	id             INTEGER PRIMARY KEY,
	case_id        INTEGER NOT NULL REFERENCES cases(id),
	event_id       INTEGER NOT NULL REFERENCES events(id), -- the correspondence out it recorded
	template       TEXT NOT NULL,    -- PACK/NAME
	title          TEXT NOT NULL,
	recipient      TEXT NOT NULL,    -- appellant, representative, respondent, lawyers
	recipient_name TEXT NOT NULL,
	channel        TEXT NOT NULL,    -- letter or email
	dated          TEXT NOT NULL,    -- YYYY-MM-DD
	replaces       INTEGER REFERENCES letters(id),
	path           TEXT NOT NULL,    -- the Markdown text, relative to the database's files directory
	pdf_path       TEXT NOT NULL DEFAULT '',
	sha256         TEXT NOT NULL,    -- of the Markdown text, so a changed file is noticed
	at             TEXT NOT NULL,
	user           TEXT NOT NULL
);
CREATE INDEX letters_case ON letters(case_id, id);
CREATE UNIQUE INDEX letters_replaces ON letters(replaces) WHERE replaces IS NOT NULL;
CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters
BEGIN SELECT RAISE(ABORT, 'a saved letter is never rewritten: save a corrected letter that replaces it'); END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
BEGIN SELECT RAISE(ABORT, 'a saved letter is never deleted: save a corrected letter that replaces it'); END;

-- letter batch --allocated-on DATE: the cases allocated that day, from an index.
CREATE INDEX cases_allocated_on ON cases(allocated_on, reference) WHERE allocated_on IS NOT NULL;
