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
