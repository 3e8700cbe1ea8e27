-- Lookup (issue 21): the qualifiers a lookup filters on (track, status,
-- subject, jurisdiction) are terms of the lookup index, in a column of
-- their own (tags: trackbasic statusnew subjectvat jurisdictionfttax, as
-- store.lookupTagsOf writes them), so `smith status:new` is one FTS5 query
-- whose doclists are intersected in key order, instead of a read of the
-- case row of every match of smith. Words typed are matched in the other
-- columns only. refresh rewrites a case's terms in the transaction that
-- changes its track or status; check verifies them.
-- FTS5 cannot add a column to a table: it is built again from the cases,
-- their notes (undone notes left out) and their terms, with exactly the
-- values store.ftsSelect indexes (so 'delete' still names what was
-- inserted), in key order.
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
	coalesce('track' || replace(c.track, '-', '') || ' ', '') || 'status' || replace(c.status, '-', '') ||
		' subject' || replace(c.subject, '-', '') || ' jurisdiction' || replace(c.jurisdiction, '-', '')
FROM cases c ORDER BY c.search_key;
