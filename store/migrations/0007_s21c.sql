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
