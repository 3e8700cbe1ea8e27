-- Schema 1: cases, the append-only event history, derived deadlines, lookup index.

-- Small counters kept current in the same transaction as every write, so
-- the header never has to count a million rows at start-up.
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters(name, value) VALUES ('queue', 0), ('open', 0), ('cases', 0);

CREATE TABLE cases (
	id                INTEGER PRIMARY KEY,
	reference         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	jurisdiction      TEXT NOT NULL,
	received          TEXT NOT NULL,            -- YYYY-MM-DD
	decision_date     TEXT,
	appellant         TEXT NOT NULL,
	representative    TEXT NOT NULL DEFAULT '',
	respondent        TEXT NOT NULL DEFAULT '',
	subject           TEXT NOT NULL,
	amount_pence      INTEGER,
	grounds           TEXT NOT NULL DEFAULT '',
	hmrc_reference    TEXT NOT NULL DEFAULT '',
	late_reason       TEXT NOT NULL DEFAULT '',
	content_hash      TEXT NOT NULL,            -- of the notice as imported: re-import is a no-op
	suggested_track   TEXT NOT NULL,
	suggestion_reason TEXT NOT NULL,
	late              INTEGER NOT NULL DEFAULT 0,
	days_late         INTEGER NOT NULL DEFAULT 0,
	-- current state, replayed from events in the same transaction as each event
	track             TEXT,
	status            TEXT NOT NULL,
	allocated_on      TEXT,
	last_event        TEXT NOT NULL,
	search_key        INTEGER NOT NULL          -- FTS rowid: received day * 1e9 + id, so rowid order is recency
);
CREATE INDEX cases_queue ON cases(received, reference) WHERE status = 'new';
CREATE INDEX cases_received ON cases(received DESC, id DESC);
CREATE INDEX cases_hash ON cases(content_hash);
CREATE INDEX cases_status_track ON cases(status, track, received DESC);
CREATE INDEX cases_stale ON cases(last_event) WHERE status IN ('new', 'allocated', 'stayed');

CREATE TABLE events (
	id      INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	at      TEXT NOT NULL,     -- RFC 3339 time recorded
	on_date TEXT NOT NULL,     -- YYYY-MM-DD it takes effect
	kind    TEXT NOT NULL,
	user    TEXT NOT NULL,
	detail  TEXT NOT NULL DEFAULT '',
	data    TEXT               -- JSON domain.EventData
);
CREATE INDEX events_case ON events(case_id, id);
CREATE INDEX events_user_day ON events(user, on_date, kind);

-- History is append-only: a mistake is put right by a compensating event.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: record a compensating event instead'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: record a compensating event instead'); END;

-- Deadlines are derived from events by the rule pack and stored so that
-- "what is due" is an index range scan.
CREATE TABLE deadlines (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	kind        TEXT NOT NULL,
	label       TEXT NOT NULL,
	party       TEXT NOT NULL DEFAULT '',
	due         TEXT NOT NULL,
	rule        TEXT NOT NULL,
	provisional INTEGER NOT NULL DEFAULT 0,
	optional    INTEGER NOT NULL DEFAULT 0,
	status      TEXT NOT NULL,   -- open | met
	met_on      TEXT,
	anchor      TEXT NOT NULL,
	days        INTEGER NOT NULL,
	moved       TEXT NOT NULL DEFAULT '',
	citation    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deadlines_case ON deadlines(case_id);
CREATE INDEX deadlines_open_due ON deadlines(due) WHERE status = 'open' AND optional = 0;

-- Inbox items a caseworker snoozed or marked done.
CREATE TABLE inbox_actions (
	item_key TEXT PRIMARY KEY,
	action   TEXT NOT NULL,      -- snoozed | done
	until    TEXT,               -- snoozed until (YYYY-MM-DD)
	user     TEXT NOT NULL,
	at       TEXT NOT NULL
) WITHOUT ROWID;

-- Lookup: contentless, so the text is stored once (in cases); rowid is
-- cases.search_key so that ORDER BY rowid DESC is newest first and a LIMIT
-- stops early. Accents and case are folded; prefix indexes make "as you
-- type" prefix queries cheap. (Not contentless_delete: that needs SQLite
-- 3.43, and the sqlite3 shell users have may be older. Rows are removed
-- with FTS5's 'delete' command and the values they were indexed with.)
CREATE VIRTUAL TABLE case_fts USING fts5(
	reference, appellant, representative, hmrc_reference, grounds, notes,
	content = '',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
