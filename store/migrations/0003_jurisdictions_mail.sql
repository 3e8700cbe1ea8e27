-- Schema 3: several jurisdictions in one file, "promptly" warnings on
-- deadlines, and the correspondence inbox.

ALTER TABLE deadlines ADD COLUMN warn TEXT;                     -- from this day the deadline shows, with warning
ALTER TABLE deadlines ADD COLUMN warning TEXT NOT NULL DEFAULT '';
CREATE INDEX deadlines_warn ON deadlines(warn) WHERE warn IS NOT NULL AND status = 'open';

-- The queue of one jurisdiction, and its counters kept current like the
-- totals (name@jurisdiction), so a limited header never counts rows.
CREATE INDEX cases_jurisdiction_queue ON cases(jurisdiction, received, reference) WHERE status = 'new';
-- Old cases of one jurisdiction, without reading every other's.
CREATE INDEX cases_jurisdiction_stale ON cases(jurisdiction, last_event) WHERE status IN ('new', 'allocated', 'stayed');
INSERT INTO counters(name, value)
	SELECT 'queue@' || jurisdiction, sum(status = 'new') FROM cases GROUP BY jurisdiction;
INSERT INTO counters(name, value)
	SELECT 'open@' || jurisdiction, sum(status NOT IN ('closed', 'returned')) FROM cases GROUP BY jurisdiction;

-- Correspondence: each message once (by Message-ID, else by a hash of the
-- raw message), linked to a case or waiting unlinked; a reply is due a set
-- number of working days after receipt.
CREATE TABLE mail (
	id          INTEGER PRIMARY KEY,
	message_id  TEXT,                    -- without angle brackets; NULL when the message had none
	hash        TEXT NOT NULL,           -- hex SHA-256 of the raw message
	sender      TEXT NOT NULL,
	sender_addr TEXT NOT NULL DEFAULT '',
	sent        TEXT,                    -- the Date header, RFC 3339
	received    TEXT NOT NULL,           -- YYYY-MM-DD: the service level counts from here
	subject     TEXT NOT NULL,
	body        TEXT NOT NULL,
	html        INTEGER NOT NULL DEFAULT 0,  -- the text was converted from HTML
	source      TEXT NOT NULL,           -- file (and mbox line) it was imported from
	case_id     INTEGER REFERENCES cases(id),
	linked_by   TEXT NOT NULL DEFAULT '',    -- "reference" when found in the text, else the user who linked it
	reply_due   TEXT NOT NULL,
	status      TEXT NOT NULL,           -- open | replied | done
	replied_on  TEXT,
	summary     TEXT NOT NULL DEFAULT '',
	done_on     TEXT
);
CREATE UNIQUE INDEX mail_message_id ON mail(message_id) WHERE message_id IS NOT NULL;
CREATE UNIQUE INDEX mail_hash ON mail(hash);
CREATE INDEX mail_open ON mail(reply_due) WHERE status = 'open';
CREATE INDEX mail_case ON mail(case_id, id);

CREATE TABLE mail_attachments (
	mail_id INTEGER NOT NULL REFERENCES mail(id),
	name    TEXT NOT NULL,
	size    INTEGER NOT NULL,
	path    TEXT NOT NULL     -- relative to the database's files directory
);
CREATE INDEX mail_attachments_mail ON mail_attachments(mail_id);
