-- Schema 5: the rules audit (rules_audit, cases.division), letters, the team (users, roles, keys,
-- sessions, owners), the service centre (queries, contacts, support needs, fees, payments), the
-- litigator's records and the casework day (snoozes on the timeline). One schema for one release.

-- ---- 0005_rules_audit.sql
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

-- ---- 0007_team.sql
-- Schema 7: a team on one caseload. Users known by their SSH keys, with a
-- role; who owns each case and message; sessions recorded append-only.

CREATE TABLE users (
	name    TEXT PRIMARY KEY COLLATE NOCASE,
	role    TEXT NOT NULL,            -- caseworker | team-leader | judge | registrar | read-only
	added   TEXT NOT NULL,            -- RFC 3339
	added_by TEXT NOT NULL,
	removed TEXT                      -- set when removed: the name stays on every event it signed
) WITHOUT ROWID;

CREATE TABLE user_keys (
	fingerprint TEXT PRIMARY KEY,     -- SHA256:… as ssh-keygen -l prints it
	user        TEXT NOT NULL REFERENCES users(name),
	key         TEXT NOT NULL,        -- the authorized_keys line
	added       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX user_keys_user ON user_keys(user);

-- Who came and went: one row when a session starts, one when it ends.
CREATE TABLE sessions (
	id       INTEGER PRIMARY KEY,
	session  TEXT NOT NULL,           -- the SSH session id
	at       TEXT NOT NULL,
	kind     TEXT NOT NULL,           -- start | end
	user     TEXT NOT NULL,
	remote   TEXT NOT NULL,
	command  TEXT NOT NULL DEFAULT '',-- the CLI command run, '' for the UI
	seconds  INTEGER                  -- end: how long it lasted
);
CREATE INDEX sessions_at ON sessions(at);
CREATE TRIGGER sessions_no_update BEFORE UPDATE ON sessions
BEGIN SELECT RAISE(ABORT, 'the session log is append-only'); END;
CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions
BEGIN SELECT RAISE(ABORT, 'the session log is append-only'); END;

-- Ownership: kept on the row (written with the taken/released/assigned
-- event in one transaction) so "my work" is an index range.
ALTER TABLE cases ADD COLUMN owner TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_owner ON cases(owner, received, id) WHERE owner != '' AND status NOT IN ('closed', 'returned');
ALTER TABLE mail ADD COLUMN owner TEXT NOT NULL DEFAULT '';
CREATE INDEX mail_owner ON mail(owner, reply_due) WHERE owner != '' AND status = 'open';

-- A message has no timeline of its own: its ownership history is kept here.
CREATE TABLE mail_events (
	id      INTEGER PRIMARY KEY,
	mail_id INTEGER NOT NULL REFERENCES mail(id),
	at      TEXT NOT NULL,
	on_date TEXT NOT NULL,
	kind    TEXT NOT NULL,            -- taken | released | assigned | reassigned
	user    TEXT NOT NULL,
	detail  TEXT NOT NULL
);
CREATE INDEX mail_events_mail ON mail_events(mail_id, id);
CREATE INDEX mail_events_kind_day ON mail_events(kind, on_date);
CREATE TRIGGER mail_events_no_update BEFORE UPDATE ON mail_events
BEGIN SELECT RAISE(ABORT, 'events are append-only: record a compensating event instead'); END;
CREATE TRIGGER mail_events_no_delete BEFORE DELETE ON mail_events
BEGIN SELECT RAISE(ABORT, 'events are append-only: record a compensating event instead'); END;

-- ---- 0008_letters.sql
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

-- ---- 0009_queries.sql
-- Schema: the service centre's queries, the people who make them, complaints,
-- support needs, fees and payments. (Numbered 0009 to follow the schemas of
-- the branches merged before it.)

-- A person who gets in touch. Matching is by normalised email or phone, and
-- an officer confirms a match: two contacts are never merged silently.
CREATE TABLE contacts (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	role        TEXT NOT NULL,
	phone       TEXT NOT NULL DEFAULT '',
	email       TEXT NOT NULL DEFAULT '',
	phone_norm  TEXT NOT NULL DEFAULT '',
	email_norm  TEXT NOT NULL DEFAULT '',
	created     TEXT NOT NULL
);
CREATE INDEX contacts_email ON contacts(email_norm) WHERE email_norm != '';
CREATE INDEX contacts_phone ON contacts(phone_norm) WHERE phone_norm != '';
-- The call form finds callers as they are typed: any word of the name, the
-- address or the number, by prefix.
CREATE VIRTUAL TABLE contact_fts USING fts5(name, email, phone, prefix='2 3 4');
-- A contact's history reads the mail from their address through this.
CREATE INDEX mail_sender ON mail(sender_addr COLLATE NOCASE) WHERE sender_addr != '';

CREATE TABLE queries (
	id            INTEGER PRIMARY KEY,
	channel       TEXT NOT NULL,
	contact_id    INTEGER NOT NULL REFERENCES contacts(id),
	case_id       INTEGER REFERENCES cases(id),
	topic         TEXT NOT NULL,
	summary       TEXT NOT NULL,
	status        TEXT NOT NULL,          -- open | waiting | passed | escalated | resolved
	passed_to     TEXT NOT NULL DEFAULT '',
	resolution    TEXT NOT NULL DEFAULT '',
	received      TEXT NOT NULL,          -- YYYY-MM-DD: the service level counts from here
	due           TEXT NOT NULL,
	rule          TEXT NOT NULL,
	article       TEXT NOT NULL DEFAULT '',
	mail_id       INTEGER REFERENCES mail(id),
	resolved_on   TEXT,
	first_contact INTEGER NOT NULL DEFAULT 0,
	user          TEXT NOT NULL,
	at            TEXT NOT NULL,
	-- A complaint: its stage, the stage's start and due day, and the response.
	complaint_stage INTEGER,
	complaint_from  TEXT,
	complaint_due   TEXT,
	complaint_rule  TEXT,
	outcome         TEXT NOT NULL DEFAULT '',
	response        TEXT NOT NULL DEFAULT '',
	responded_on    TEXT
);
CREATE INDEX queries_open ON queries(due, id) WHERE status != 'resolved';
CREATE INDEX queries_received ON queries(received);
CREATE INDEX queries_contact ON queries(contact_id, id);
CREATE INDEX queries_case ON queries(case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX queries_complaints ON queries(complaint_stage) WHERE complaint_stage IS NOT NULL;

-- Every change to a query, append-only: a query not on a case still has
-- its history.
CREATE TABLE query_history (
	id       INTEGER PRIMARY KEY,
	query_id INTEGER NOT NULL REFERENCES queries(id),
	at       TEXT NOT NULL,
	on_date  TEXT NOT NULL,
	user     TEXT NOT NULL,
	action   TEXT NOT NULL,
	detail   TEXT NOT NULL
);
CREATE INDEX query_history_query ON query_history(query_id, id);
CREATE TRIGGER query_history_no_update BEFORE UPDATE ON query_history
BEGIN SELECT RAISE(ABORT, 'query history is append-only'); END;
CREATE TRIGGER query_history_no_delete BEFORE DELETE ON query_history
BEGIN SELECT RAISE(ABORT, 'query history is append-only'); END;

-- A coded support need on a party of a case.
CREATE TABLE support_needs (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES cases(id),
	party      TEXT NOT NULL,
	code       TEXT NOT NULL,
	comment    TEXT NOT NULL DEFAULT '',
	hearing    INTEGER NOT NULL DEFAULT 0,
	status     TEXT NOT NULL,             -- requested | active | inactive | not-approved
	requested  TEXT NOT NULL,
	updated    TEXT NOT NULL,
	referral   TEXT NOT NULL DEFAULT ''   -- assisted digital: the referral's outcome
);
CREATE INDEX support_needs_case ON support_needs(case_id, id);

-- A fee due on a case, from the pack's fee table, with any help with fees.
CREATE TABLE fees (
	id           INTEGER PRIMARY KEY,
	case_id      INTEGER NOT NULL REFERENCES cases(id),
	code         TEXT NOT NULL,
	application  TEXT NOT NULL,
	amount_pence INTEGER NOT NULL,
	fees_order   TEXT NOT NULL,
	due_on       TEXT NOT NULL,
	hwf_ref      TEXT NOT NULL DEFAULT '',
	hwf_full     INTEGER NOT NULL DEFAULT 0,
	hwf_pence    INTEGER NOT NULL DEFAULT 0,
	paid_pence   INTEGER NOT NULL DEFAULT 0, -- kept current from payments, so the unpaid list reads no payments
	settled      INTEGER NOT NULL DEFAULT 0  -- nothing owed: paid, remitted, or over-paid
);
CREATE INDEX fees_case ON fees(case_id, id);
CREATE INDEX fees_unpaid ON fees(due_on) WHERE settled = 0;

CREATE TABLE payments (
	id           INTEGER PRIMARY KEY,
	amount_pence INTEGER NOT NULL,
	reference    TEXT NOT NULL,
	method       TEXT NOT NULL,
	paid_on      TEXT NOT NULL,
	case_id      INTEGER REFERENCES cases(id),
	fee_id       INTEGER REFERENCES fees(id),
	verified     INTEGER NOT NULL DEFAULT 0,
	verified_by  TEXT NOT NULL DEFAULT '',
	user         TEXT NOT NULL,
	at           TEXT NOT NULL
);
CREATE INDEX payments_fee ON payments(fee_id) WHERE fee_id IS NOT NULL;
CREATE INDEX payments_unallocated ON payments(paid_on) WHERE fee_id IS NULL;

-- ---- 0010_litigation.sql
-- Litigation (issue 19): the side a case is held from ('court', or
-- 'defendant' for a government litigator), written by refresh from the
-- case's events and its pack, so the inbox tells the side's own duties
-- from the other side's steps without replaying events. Part 36 offers,
-- decisions, authority, instructions, time requests and briefings are
-- events like any other (events.data, reported through events_kind_day).
ALTER TABLE cases ADD COLUMN side TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_side ON cases(side) WHERE side NOT IN ('', 'court');
-- Reports of outcomes and settlements read these kinds by date.
CREATE INDEX events_litigation ON events(kind, on_date, case_id)
	WHERE kind IN ('outcome', 'settled', 'part36-offer', 'part36-accepted', 'time-requested', 'authority-approved');

-- ---- 0011_casework_day.sql
-- The snoozed view: which case an inbox item belongs to and why it was
-- snoozed, so snoozes can be listed by jurisdiction and undone. The
-- timeline holds the same as a "snoozed" event.
ALTER TABLE inbox_actions ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE inbox_actions ADD COLUMN why TEXT NOT NULL DEFAULT '';
