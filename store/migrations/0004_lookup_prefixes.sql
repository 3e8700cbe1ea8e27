-- Lookup: prefix indexes for two to six characters (were two and three).
-- FTS5 answers a prefix query without its own index by merging the whole
-- doclist of every term with that prefix before it can stop at the limit:
-- at a million cases "loss reli" took 17 ms that way (two common four-
-- letter prefixes). With an index for the length it reads one doclist
-- lazily, newest first, and stops at the limit (the same query: under
-- 2 ms). The index is about 60% larger. FTS5 cannot change the prefixes
-- of an existing table, so the table is rebuilt from the cases and their
-- notes, with exactly the values store.ftsSelect indexes (so 'delete'
-- still names what was inserted), in key order.
DROP TABLE case_fts;
CREATE VIRTUAL TABLE case_fts USING fts5(
	reference, appellant, representative, hmrc_reference, grounds, notes,
	content = '',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3 4 5 6'
);
INSERT INTO case_fts(case_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference, grounds, notes)
SELECT c.search_key, c.reference, c.appellant, c.representative, c.hmrc_reference, c.grounds,
	coalesce((SELECT group_concat(json_extract(e.data, '$.text'), ' ') FROM events e
		WHERE e.case_id = c.id AND e.kind = 'note'), '')
FROM cases c ORDER BY c.search_key;

-- The due list (and the inbox's deadlines) read open deadlines in due
-- order; with the columns they show in the index, each row is read from the
-- index alone instead of a lookup in the deadlines table as well (at a
-- million cases `due --within 7` reads about 4,000 rows: 21 -> 12 ms in the
-- sqlite3 shell).
DROP INDEX deadlines_open_due;
CREATE INDEX deadlines_open_due ON deadlines(due, id, case_id, kind, label, rule, provisional)
	WHERE status = 'open' AND optional = 0;
