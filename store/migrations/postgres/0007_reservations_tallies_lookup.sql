-- Schema 7 (this round's third session): the four additive changes made on their own branches,
-- folded into one migration in this order: queue-card reservations shared by every server (issue 17),
-- the report tallies kept by triggers (issue 21), the lookup index with the qualifier terms (issue
-- 21, rebuilt last so it reads the final rows), and the PostgreSQL planner statistics (issue 17).

-- ==== part (branch s17a) ====
-- Schema 7 for PostgreSQL: the same change as ../0007_reservations_tallies_lookup.sql (queue-card
-- reservations shared by every server on the database).
CREATE TABLE queue_reservations (
	case_id bigint PRIMARY KEY,
	session_id text NOT NULL,
	held_by text NOT NULL,
	server_name text NOT NULL,
	until_ms bigint NOT NULL
);
CREATE INDEX queue_reservations_session ON queue_reservations(session_id);

-- ==== part (branch s21d) ====
-- Schema 7 for PostgreSQL: the same change as ../0007_reservations_tallies_lookup.sql (the
-- aggregates the reports read, kept by triggers in every change's
-- transaction and verified by `caseload check`).

CREATE TABLE events_undone (
	event_id bigint PRIMARY KEY
);
INSERT INTO events_undone(event_id)
	SELECT DISTINCT CAST(json_extract(data, '$.undoes') AS BIGINT) FROM events
	WHERE kind = 'undone' AND json_extract(data, '$.undoes') IS NOT NULL;

CREATE TABLE case_tally (
	jurisdiction text NOT NULL,
	received     text NOT NULL,
	status       text NOT NULL,
	track        text NOT NULL,
	cases        bigint NOT NULL,
	late         bigint NOT NULL,
	PRIMARY KEY (received, jurisdiction, status, track)
);
CREATE INDEX case_tally_status ON case_tally(status, track, received);
CREATE INDEX case_tally_jurisdiction ON case_tally(jurisdiction, cases);
INSERT INTO case_tally(jurisdiction, received, status, track, cases, late)
	SELECT jurisdiction, received, status, coalesce(track, ''), count(*), coalesce(sum(late), 0) FROM cases
	GROUP BY jurisdiction, received, status, coalesce(track, '');

CREATE TABLE event_tally (
	jurisdiction text NOT NULL,
	on_date      text NOT NULL,
	kind         text NOT NULL,
	events       bigint NOT NULL,
	PRIMARY KEY (kind, on_date, jurisdiction)
);
INSERT INTO event_tally(jurisdiction, on_date, kind, events)
	SELECT c.jurisdiction, e.on_date, e.kind, count(*) FROM events e JOIN cases c ON c.id = e.case_id
	WHERE e.id NOT IN (SELECT event_id FROM events_undone)
	GROUP BY c.jurisdiction, e.on_date, e.kind;

CREATE TABLE owner_tally (
	owner text PRIMARY KEY,
	cases bigint NOT NULL
);
INSERT INTO owner_tally(owner, cases)
	SELECT owner, count(*) FROM cases WHERE status NOT IN ('closed', 'returned') GROUP BY owner;

-- An event: an undo names what it undid; every event counts in its day.
CREATE FUNCTION caseload_event_tallies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO event_tally(jurisdiction, on_date, kind, events)
		VALUES ((SELECT jurisdiction FROM cases WHERE id = NEW.case_id), NEW.on_date, NEW.kind, 1)
		ON CONFLICT (kind, on_date, jurisdiction) DO UPDATE SET events = event_tally.events + 1;
	IF NEW.kind = 'undone' AND json_extract(NEW.data, '$.undoes') IS NOT NULL THEN
		INSERT INTO events_undone(event_id) VALUES (CAST(json_extract(NEW.data, '$.undoes') AS BIGINT)) ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER event_tallies AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION caseload_event_tallies();

-- An event undone leaves the tally (once, however often it is named).
CREATE FUNCTION caseload_event_tally_undone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE event_tally t SET events = t.events - 1 FROM events e JOIN cases c ON c.id = e.case_id
		WHERE e.id = NEW.event_id AND t.kind = e.kind AND t.jurisdiction = c.jurisdiction AND t.on_date = e.on_date;
	RETURN NULL;
END $$;
CREATE TRIGGER event_tally_undone AFTER INSERT ON events_undone FOR EACH ROW EXECUTE FUNCTION caseload_event_tally_undone();

-- A case written, changed or removed: its place in the case and owner
-- tallies, and (moved to another jurisdiction) its events' counts.
CREATE FUNCTION caseload_case_tallies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE case_tally SET cases = cases - 1, late = late - OLD.late
			WHERE jurisdiction = OLD.jurisdiction AND received = OLD.received AND status = OLD.status AND track = coalesce(OLD.track, '');
		IF OLD.status NOT IN ('closed', 'returned') THEN
			UPDATE owner_tally SET cases = cases - 1 WHERE owner = OLD.owner;
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO case_tally(jurisdiction, received, status, track, cases, late)
			VALUES (NEW.jurisdiction, NEW.received, NEW.status, coalesce(NEW.track, ''), 1, NEW.late)
			ON CONFLICT (received, jurisdiction, status, track) DO UPDATE SET cases = case_tally.cases + 1, late = case_tally.late + EXCLUDED.late;
		IF NEW.status NOT IN ('closed', 'returned') THEN
			INSERT INTO owner_tally(owner, cases) VALUES (NEW.owner, 1) ON CONFLICT (owner) DO UPDATE SET cases = owner_tally.cases + 1;
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.jurisdiction != OLD.jurisdiction THEN
		UPDATE event_tally t SET events = t.events - m.n FROM (SELECT e.on_date, e.kind, count(*) AS n FROM events e
				WHERE e.case_id = NEW.id AND e.id NOT IN (SELECT event_id FROM events_undone) GROUP BY e.on_date, e.kind) m
			WHERE t.jurisdiction = OLD.jurisdiction AND t.on_date = m.on_date AND t.kind = m.kind;
		INSERT INTO event_tally(jurisdiction, on_date, kind, events)
			SELECT NEW.jurisdiction, e.on_date, e.kind, count(*) FROM events e
			WHERE e.case_id = NEW.id AND e.id NOT IN (SELECT event_id FROM events_undone) GROUP BY e.on_date, e.kind
			ON CONFLICT (kind, on_date, jurisdiction) DO UPDATE SET events = event_tally.events + EXCLUDED.events;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER case_tallies AFTER INSERT OR DELETE OR UPDATE OF jurisdiction, received, status, track, late, owner ON cases
	FOR EACH ROW EXECUTE FUNCTION caseload_case_tallies();

CREATE INDEX cases_open_received ON cases(received, id) WHERE status IN ('new', 'allocated', 'stayed');
CREATE INDEX deadlines_kind_due ON deadlines(kind, due);
-- The inbox's referrals, least recently active first, from the front of an
-- index instead of a sort of every case with an open referral.
CREATE INDEX cases_referrals_idle ON cases(last_event, id) WHERE open_referrals > 0;

-- Disposals not undone by day, jurisdiction and whole weeks from receipt
-- (flow's median weeks to clear).
CREATE TABLE disposal_tally (
	on_date      text NOT NULL,
	jurisdiction text NOT NULL,
	weeks        bigint NOT NULL,
	events       bigint NOT NULL,
	PRIMARY KEY (on_date, jurisdiction, weeks)
);
INSERT INTO disposal_tally(on_date, jurisdiction, weeks, events)
	SELECT e.on_date, c.jurisdiction, CAST(trunc((julianday(e.on_date) - julianday(c.received)) / 7) AS BIGINT), count(*)
	FROM events e JOIN cases c ON c.id = e.case_id
	WHERE e.kind IN ('disposed', 'permission-refused') AND e.id NOT IN (SELECT event_id FROM events_undone)
	GROUP BY 1, 2, 3;
CREATE FUNCTION caseload_disposal_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'events' THEN
		INSERT INTO disposal_tally(on_date, jurisdiction, weeks, events)
			SELECT NEW.on_date, c.jurisdiction, CAST(trunc((julianday(NEW.on_date) - julianday(c.received)) / 7) AS BIGINT), 1
			FROM cases c WHERE c.id = NEW.case_id
			ON CONFLICT (on_date, jurisdiction, weeks) DO UPDATE SET events = disposal_tally.events + 1;
	ELSE
		UPDATE disposal_tally t SET events = t.events - 1 FROM events e JOIN cases c ON c.id = e.case_id
			WHERE e.id = NEW.event_id AND e.kind IN ('disposed', 'permission-refused') AND t.on_date = e.on_date
			AND t.jurisdiction = c.jurisdiction AND t.weeks = CAST(trunc((julianday(e.on_date) - julianday(c.received)) / 7) AS BIGINT);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER disposal_tally_insert AFTER INSERT ON events FOR EACH ROW WHEN (NEW.kind IN ('disposed', 'permission-refused'))
	EXECUTE FUNCTION caseload_disposal_tally();
CREATE TRIGGER disposal_tally_undone AFTER INSERT ON events_undone FOR EACH ROW EXECUTE FUNCTION caseload_disposal_tally();

-- Allocations not taken back by an allocation-undone (the categorisation
-- report's tables).
CREATE TABLE allocation_tally (
	on_date      text NOT NULL,
	jurisdiction text NOT NULL,
	"user"       text NOT NULL,
	suggested    text NOT NULL,
	track        text NOT NULL,
	override     bigint NOT NULL,
	events       bigint NOT NULL,
	PRIMARY KEY (on_date, jurisdiction, "user", suggested, track, override)
);
INSERT INTO allocation_tally(on_date, jurisdiction, "user", suggested, track, override, events)
	SELECT e.on_date, c.jurisdiction, e."user", coalesce(json_extract(e.data, '$.suggested'), ''), coalesce(json_extract(e.data, '$.track'), ''),
		coalesce(CAST(json_extract(e.data, '$.override') AS BIGINT), 0), count(*)
	FROM events e JOIN cases c ON c.id = e.case_id
	WHERE e.kind = 'allocated' AND NOT EXISTS (SELECT 1 FROM events u WHERE u.case_id = e.case_id AND u.kind = 'allocation-undone'
		AND CAST(json_extract(u.data, '$.undoes') AS BIGINT) = e.id)
	GROUP BY 1, 2, 3, 4, 5, 6;
CREATE FUNCTION caseload_allocation_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.kind = 'allocated' THEN
		INSERT INTO allocation_tally(on_date, jurisdiction, "user", suggested, track, override, events)
			VALUES (NEW.on_date, (SELECT jurisdiction FROM cases WHERE id = NEW.case_id), NEW."user", coalesce(json_extract(NEW.data, '$.suggested'), ''),
				coalesce(json_extract(NEW.data, '$.track'), ''), coalesce(CAST(json_extract(NEW.data, '$.override') AS BIGINT), 0), 1)
			ON CONFLICT (on_date, jurisdiction, "user", suggested, track, override) DO UPDATE SET events = allocation_tally.events + 1;
	ELSIF NOT EXISTS (SELECT 1 FROM events u WHERE u.case_id = NEW.case_id AND u.kind = 'allocation-undone' AND u.id != NEW.id
			AND CAST(json_extract(u.data, '$.undoes') AS BIGINT) = CAST(json_extract(NEW.data, '$.undoes') AS BIGINT)) THEN
		UPDATE allocation_tally t SET events = t.events - 1 FROM events e JOIN cases c ON c.id = e.case_id
			WHERE e.id = CAST(json_extract(NEW.data, '$.undoes') AS BIGINT) AND e.kind = 'allocated' AND e.case_id = NEW.case_id
			AND t.on_date = e.on_date AND t.jurisdiction = c.jurisdiction AND t."user" = e."user"
			AND t.suggested = coalesce(json_extract(e.data, '$.suggested'), '') AND t.track = coalesce(json_extract(e.data, '$.track'), '')
			AND t.override = coalesce(CAST(json_extract(e.data, '$.override') AS BIGINT), 0);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER allocation_tally AFTER INSERT ON events FOR EACH ROW WHEN (NEW.kind IN ('allocated', 'allocation-undone'))
	EXECUTE FUNCTION caseload_allocation_tally();

-- ==== part (branch s21c) ====
-- Schema 7 for PostgreSQL: the same change as ../0007_reservations_tallies_lookup.sql. Each
-- case's tsvector gains its qualifier terms (the same text as SQLite's
-- tags column: U+E000, name, value) as lexemes starting with '#': no word
-- typed reaches them (a word's lexemes start with a letter or a digit),
-- and a filtered lookup is one @@ on the GIN index.
CREATE FUNCTION caseload_tags(tags text) RETURNS tsvector
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT array_to_tsvector(array(SELECT '#' || t FROM regexp_split_to_table(tags, ' ') AS t WHERE t != '')) $$;

UPDATE case_lookup l SET doc = l.doc || caseload_tags(
	coalesce(chr(57344) || 'track' || replace(c.track, '-', '') || ' ', '') || chr(57344) || 'status' || replace(c.status, '-', '') ||
		' ' || chr(57344) || 'subject' || replace(c.subject, '-', '') || ' ' || chr(57344) || 'jurisdiction' || replace(c.jurisdiction, '-', ''))
FROM cases c WHERE c.id = l.case_id;

-- ==== part (branch s3-17b) ====
-- Schema 7 for PostgreSQL (s3-17b): the lookup's planner statistics.
-- With the default target (100) ANALYZE keeps too few of the tsvector's
-- words for the planner to know that a prefix matching none or a handful
-- of cases ('loss':*) is rare: it estimates hundreds of rows and walks the
-- key index newest first, filtering every case (166 ms at 100,000 cases,
-- p99 245 ms under load) where the GIN index answers in 0.1 ms. At 10,000
-- it estimates such prefixes at a row or two and takes the GIN index, and
-- still walks the key index for common prefixes ('sm':*), where that is
-- the fast plan. Autovacuum's analyses keep the target.
ALTER TABLE case_lookup ALTER COLUMN doc SET STATISTICS 10000;
ANALYZE case_lookup;
