-- Schema 7 (this round's third session): the four additive changes made on their own branches,
-- folded into one migration in this order: queue-card reservations shared by every server (issue 17),
-- the report tallies kept by triggers (issue 21), the lookup index with the qualifier terms (issue
-- 21, rebuilt last so it reads the final rows), and the PostgreSQL planner statistics (issue 17).

-- ==== part (branch s17a) ====
-- Queue-card reservations (issue 17): the appeal on each caseworker's
-- queue card, and the one ready after it, held for their session until
-- until_ms (Unix milliseconds), so that no two cards on any server show
-- one appeal. Not history: a reservation is renewed, handed over and let
-- go as the card moves; a decision is still an event on the case. A
-- crashed server's reservations lapse at until_ms. A reservation of an
-- appeal no longer new holds nothing (only waiting appeals are reserved
-- or shown) and is cleared by the next reservation: a decision does not
-- touch this table, so it never waits on, or conflicts with, a card.
CREATE TABLE queue_reservations (
	case_id INTEGER PRIMARY KEY,
	session_id TEXT NOT NULL,
	held_by TEXT NOT NULL,
	server_name TEXT NOT NULL,
	until_ms INTEGER NOT NULL
);
CREATE INDEX queue_reservations_session ON queue_reservations(session_id);

-- ==== part (branch s21d) ====
-- Schema 7 (issue 21, branch s3-21d): the aggregates the reports read, so
-- that no report counts the whole caseload. Each is kept by triggers in the
-- transaction of every change (whatever the write path: the row import, the
-- bulk import, generate, an event, an undo) and verified by `caseload
-- check` against a scan (store/tally.go).
-- store/migrations/postgres/0007_reservations_tallies_lookup.sql is the same change for PostgreSQL.

-- The events taken back by the general undo: an "undone" event naming
-- them. Reports leave these out (notUndone) by one primary-key probe per
-- row instead of collecting every undo in the file for each statement.
CREATE TABLE events_undone (
	event_id INTEGER PRIMARY KEY
);
INSERT INTO events_undone(event_id)
	SELECT DISTINCT CAST(json_extract(data, '$.undoes') AS BIGINT) FROM events
	WHERE kind = 'undone' AND json_extract(data, '$.undoes') IS NOT NULL;
CREATE TRIGGER events_undone_kept AFTER INSERT ON events
	WHEN NEW.kind = 'undone' AND json_extract(NEW.data, '$.undoes') IS NOT NULL BEGIN
	INSERT INTO events_undone(event_id) VALUES (CAST(json_extract(NEW.data, '$.undoes') AS BIGINT)) ON CONFLICT DO NOTHING;
END;

-- Cases by jurisdiction, received day, status and track ('' before
-- allocation): receipts, the open caseload by age (ageing), which
-- jurisdictions hold cases, the outstanding carried into a range (flow).
CREATE TABLE case_tally (
	jurisdiction TEXT NOT NULL,
	received     TEXT NOT NULL,
	status       TEXT NOT NULL,
	track        TEXT NOT NULL,
	cases        INTEGER NOT NULL,
	late         INTEGER NOT NULL,
	PRIMARY KEY (received, jurisdiction, status, track)
) WITHOUT ROWID;
CREATE INDEX case_tally_status ON case_tally(status, track, received);
CREATE INDEX case_tally_jurisdiction ON case_tally(jurisdiction, cases);
INSERT INTO case_tally(jurisdiction, received, status, track, cases, late)
	SELECT jurisdiction, received, status, coalesce(track, ''), count(*), coalesce(sum(late), 0) FROM cases
	GROUP BY jurisdiction, received, status, coalesce(track, '');
CREATE TRIGGER case_tally_insert AFTER INSERT ON cases BEGIN
	INSERT INTO case_tally(jurisdiction, received, status, track, cases, late)
		VALUES (NEW.jurisdiction, NEW.received, NEW.status, coalesce(NEW.track, ''), 1, NEW.late)
		ON CONFLICT DO UPDATE SET cases = cases + 1, late = late + excluded.late;
END;
CREATE TRIGGER case_tally_update AFTER UPDATE OF jurisdiction, received, status, track, late ON cases BEGIN
	UPDATE case_tally SET cases = cases - 1, late = late - OLD.late
		WHERE jurisdiction = OLD.jurisdiction AND received = OLD.received AND status = OLD.status AND track = coalesce(OLD.track, '');
	INSERT INTO case_tally(jurisdiction, received, status, track, cases, late)
		VALUES (NEW.jurisdiction, NEW.received, NEW.status, coalesce(NEW.track, ''), 1, NEW.late)
		ON CONFLICT DO UPDATE SET cases = cases + 1, late = late + excluded.late;
END;
CREATE TRIGGER case_tally_delete AFTER DELETE ON cases BEGIN
	UPDATE case_tally SET cases = cases - 1, late = late - OLD.late
		WHERE jurisdiction = OLD.jurisdiction AND received = OLD.received AND status = OLD.status AND track = coalesce(OLD.track, '');
END;

-- Events not undone, by their case's jurisdiction, day and kind: the
-- disposals, returns and reopenings flow carries into a range.
CREATE TABLE event_tally (
	jurisdiction TEXT NOT NULL,
	on_date      TEXT NOT NULL,
	kind         TEXT NOT NULL,
	events       INTEGER NOT NULL,
	PRIMARY KEY (kind, on_date, jurisdiction)
) WITHOUT ROWID;
INSERT INTO event_tally(jurisdiction, on_date, kind, events)
	SELECT c.jurisdiction, e.on_date, e.kind, count(*) FROM events e JOIN cases c ON c.id = e.case_id
	WHERE e.id NOT IN (SELECT event_id FROM events_undone)
	GROUP BY c.jurisdiction, e.on_date, e.kind;
CREATE TRIGGER event_tally_insert AFTER INSERT ON events BEGIN
	INSERT INTO event_tally(jurisdiction, on_date, kind, events)
		VALUES ((SELECT jurisdiction FROM cases WHERE id = NEW.case_id), NEW.on_date, NEW.kind, 1)
		ON CONFLICT DO UPDATE SET events = events + 1;
END;
-- An event undone leaves the tally (once, however often it is named).
CREATE TRIGGER event_tally_undone AFTER INSERT ON events_undone BEGIN
	UPDATE event_tally SET events = events - 1
		WHERE (kind, jurisdiction, on_date) = (SELECT e.kind, c.jurisdiction, e.on_date FROM events e JOIN cases c ON c.id = e.case_id
			WHERE e.id = NEW.event_id);
END;
-- A case moved to another jurisdiction takes its events' counts with it.
CREATE TRIGGER event_tally_jurisdiction AFTER UPDATE OF jurisdiction ON cases WHEN NEW.jurisdiction != OLD.jurisdiction BEGIN
	UPDATE event_tally SET events = events - (SELECT count(*) FROM events e WHERE e.case_id = NEW.id
			AND e.on_date = event_tally.on_date AND e.kind = event_tally.kind AND e.id NOT IN (SELECT event_id FROM events_undone))
		WHERE jurisdiction = OLD.jurisdiction AND (kind, on_date) IN (SELECT kind, on_date FROM events WHERE case_id = NEW.id);
	INSERT INTO event_tally(jurisdiction, on_date, kind, events)
		SELECT NEW.jurisdiction, e.on_date, e.kind, count(*) FROM events e
		WHERE e.case_id = NEW.id AND e.id NOT IN (SELECT event_id FROM events_undone) GROUP BY e.on_date, e.kind
		ON CONFLICT DO UPDATE SET events = events + excluded.events;
END;

-- Open cases (not closed or returned) by owner ('' for no one): the
-- workload report's counts.
CREATE TABLE owner_tally (
	owner TEXT PRIMARY KEY,
	cases INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO owner_tally(owner, cases)
	SELECT owner, count(*) FROM cases WHERE status NOT IN ('closed', 'returned') GROUP BY owner;
CREATE TRIGGER owner_tally_insert AFTER INSERT ON cases WHEN NEW.status NOT IN ('closed', 'returned') BEGIN
	INSERT INTO owner_tally(owner, cases) VALUES (NEW.owner, 1) ON CONFLICT DO UPDATE SET cases = cases + 1;
END;
CREATE TRIGGER owner_tally_update AFTER UPDATE OF owner, status ON cases BEGIN
	UPDATE owner_tally SET cases = cases - 1 WHERE owner = OLD.owner AND OLD.status NOT IN ('closed', 'returned');
	INSERT INTO owner_tally(owner, cases) SELECT NEW.owner, 1 WHERE NEW.status NOT IN ('closed', 'returned')
		ON CONFLICT DO UPDATE SET cases = cases + 1;
END;
CREATE TRIGGER owner_tally_delete AFTER DELETE ON cases WHEN OLD.status NOT IN ('closed', 'returned') BEGIN
	UPDATE owner_tally SET cases = cases - 1 WHERE owner = OLD.owner;
END;

-- The oldest open cases (ageing) from the front of an index instead of
-- sorting every open case; the defendant's deadlines due in a range
-- (litigation) by kind and due date instead of reading every deadline.
CREATE INDEX cases_open_received ON cases(received, id) WHERE status IN ('new', 'allocated', 'stayed');
CREATE INDEX deadlines_kind_due ON deadlines(kind, due);
-- The inbox's referrals, least recently active first, from the front of an
-- index instead of a sort of every case with an open referral.
CREATE INDEX cases_referrals_idle ON cases(last_event, id) WHERE open_referrals > 0;

-- Disposals not undone by day, jurisdiction and whole weeks from receipt:
-- flow's median weeks to clear is the middle of this histogram, not a read
-- of every disposal's case in the range.
CREATE TABLE disposal_tally (
	on_date      TEXT NOT NULL,
	jurisdiction TEXT NOT NULL,
	weeks        INTEGER NOT NULL,
	events       INTEGER NOT NULL,
	PRIMARY KEY (on_date, jurisdiction, weeks)
) WITHOUT ROWID;
INSERT INTO disposal_tally(on_date, jurisdiction, weeks, events)
	SELECT e.on_date, c.jurisdiction, CAST((julianday(e.on_date) - julianday(c.received)) / 7 AS INTEGER), count(*)
	FROM events e JOIN cases c ON c.id = e.case_id
	WHERE e.kind IN ('disposed', 'permission-refused') AND e.id NOT IN (SELECT event_id FROM events_undone)
	GROUP BY 1, 2, 3;
CREATE TRIGGER disposal_tally_insert AFTER INSERT ON events WHEN NEW.kind IN ('disposed', 'permission-refused') BEGIN
	INSERT INTO disposal_tally(on_date, jurisdiction, weeks, events)
		SELECT NEW.on_date, c.jurisdiction, CAST((julianday(NEW.on_date) - julianday(c.received)) / 7 AS INTEGER), 1
		FROM cases c WHERE c.id = NEW.case_id
		ON CONFLICT DO UPDATE SET events = events + 1;
END;
CREATE TRIGGER disposal_tally_undone AFTER INSERT ON events_undone BEGIN
	UPDATE disposal_tally SET events = events - 1
		WHERE (on_date, jurisdiction, weeks) = (SELECT e.on_date, c.jurisdiction, CAST((julianday(e.on_date) - julianday(c.received)) / 7 AS INTEGER)
			FROM events e JOIN cases c ON c.id = e.case_id WHERE e.id = NEW.event_id AND e.kind IN ('disposed', 'permission-refused'));
END;

-- Allocations not taken back by an allocation-undone, by day,
-- jurisdiction, caseworker, suggested and chosen track and whether the
-- suggestion was overridden: the categorisation report's three tables.
CREATE TABLE allocation_tally (
	on_date      TEXT NOT NULL,
	jurisdiction TEXT NOT NULL,
	user         TEXT NOT NULL,
	suggested    TEXT NOT NULL,
	track        TEXT NOT NULL,
	override     INTEGER NOT NULL,
	events       INTEGER NOT NULL,
	PRIMARY KEY (on_date, jurisdiction, user, suggested, track, override)
) WITHOUT ROWID;
INSERT INTO allocation_tally(on_date, jurisdiction, user, suggested, track, override, events)
	SELECT e.on_date, c.jurisdiction, e.user, coalesce(json_extract(e.data, '$.suggested'), ''), coalesce(json_extract(e.data, '$.track'), ''),
		coalesce(CAST(json_extract(e.data, '$.override') AS BIGINT), 0), count(*)
	FROM events e JOIN cases c ON c.id = e.case_id
	WHERE e.kind = 'allocated' AND NOT EXISTS (SELECT 1 FROM events u WHERE u.case_id = e.case_id AND u.kind = 'allocation-undone'
		AND CAST(json_extract(u.data, '$.undoes') AS BIGINT) = e.id)
	GROUP BY 1, 2, 3, 4, 5, 6;
CREATE TRIGGER allocation_tally_insert AFTER INSERT ON events WHEN NEW.kind = 'allocated' BEGIN
	INSERT INTO allocation_tally(on_date, jurisdiction, user, suggested, track, override, events)
		VALUES (NEW.on_date, (SELECT jurisdiction FROM cases WHERE id = NEW.case_id), NEW.user, coalesce(json_extract(NEW.data, '$.suggested'), ''),
			coalesce(json_extract(NEW.data, '$.track'), ''), coalesce(CAST(json_extract(NEW.data, '$.override') AS BIGINT), 0), 1)
		ON CONFLICT DO UPDATE SET events = events + 1;
END;
-- An allocation undone leaves the tally (once, however often it is named).
CREATE TRIGGER allocation_tally_undone AFTER INSERT ON events WHEN NEW.kind = 'allocation-undone'
	AND NOT EXISTS (SELECT 1 FROM events u WHERE u.case_id = NEW.case_id AND u.kind = 'allocation-undone' AND u.id != NEW.id
		AND CAST(json_extract(u.data, '$.undoes') AS BIGINT) = CAST(json_extract(NEW.data, '$.undoes') AS BIGINT)) BEGIN
	UPDATE allocation_tally SET events = events - 1
		WHERE (on_date, jurisdiction, user, suggested, track, override) = (SELECT e.on_date, c.jurisdiction, e.user,
			coalesce(json_extract(e.data, '$.suggested'), ''), coalesce(json_extract(e.data, '$.track'), ''),
			coalesce(CAST(json_extract(e.data, '$.override') AS BIGINT), 0)
			FROM events e JOIN cases c ON c.id = e.case_id
			WHERE e.id = CAST(json_extract(NEW.data, '$.undoes') AS BIGINT) AND e.kind = 'allocated' AND e.case_id = NEW.case_id);
END;

-- ==== part (branch s21c) ====
-- Lookup (issue 21): the qualifiers a lookup filters on (track, status,
-- subject, jurisdiction) are terms of the lookup index, in a column of
-- their own (tags), so `smith status:new` is one FTS5 query whose
-- doclists are intersected in key order, instead of a read of the case row
-- of every match of smith. Each term is a private-use character (U+E000,
-- char(57344): a token character to unicode61), the qualifier's name and
-- its value without hyphens, as store.lookupTagsOf writes them
-- (<U+E000>statusnew, <U+E000>trackbasic, ...). The store drops private-use
-- characters from the words typed, so no word reaches these terms nor
-- their entries in the prefix indexes. refresh rewrites a case's terms in
-- the transaction that changes its track or status; check verifies them.
-- FTS5 cannot add a column to a table: it is built again from the cases,
-- their notes (undone notes left out) and their terms, with exactly the
-- values store.ftsSelect indexes (so 'delete' still names what was
-- inserted), in key order. The prefix indexes stay 2 to 6: without 5 and
-- 6 a five-letter prefix of a common word reads its whole doclist (at
-- 100,000 cases "relie" 0.2 -> 3.6 ms, a hundred times that at 10M).
DROP TABLE case_fts;
CREATE VIRTUAL TABLE case_fts USING fts5(
	reference, appellant, representative, hmrc_reference, grounds, notes, tags,
	content = '',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3 4 5 6'
);
INSERT INTO case_fts(case_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference, grounds, notes, tags)
SELECT c.search_key, c.reference, c.appellant, c.representative, c.hmrc_reference, c.grounds,
	coalesce((SELECT group_concat(json_extract(e.data, '$.text'), ' ') FROM events e
		WHERE e.case_id = c.id AND e.kind = 'note' AND NOT EXISTS (SELECT 1 FROM events u
			WHERE u.case_id = c.id AND u.kind = 'undone' AND CAST(json_extract(u.data, '$.undoes') AS BIGINT) = e.id)), ''),
	coalesce(char(57344) || 'track' || replace(c.track, '-', '') || ' ', '') || char(57344) || 'status' || replace(c.status, '-', '') ||
		' ' || char(57344) || 'subject' || replace(c.subject, '-', '') || ' ' || char(57344) || 'jurisdiction' || replace(c.jurisdiction, '-', '')
FROM cases c ORDER BY c.search_key;

-- ==== part (branch s3-17b) ====
-- Schema 7 (s3-17b): nothing changes in SQLite. The PostgreSQL twin
-- (migrations/postgres/0007_reservations_tallies_lookup.sql) gives the lookup's tsvector a
-- larger statistics target, so the planner sees which prefixes match few
-- cases; FTS5 needs no such hint.
