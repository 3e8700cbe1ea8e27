-- Schema 7 for PostgreSQL: the same change as ../0007_s21c.sql. Each
-- case's tsvector gains its qualifier terms as lexemes starting with '#'
-- (#trackbasic #statusnew #subjectvat #jurisdictionfttax): no word typed
-- reaches them (a word's lexemes start with a letter or a digit), and a
-- filtered lookup is one @@ on the GIN index.
CREATE FUNCTION caseload_tags(tags text) RETURNS tsvector
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT array_to_tsvector(array(SELECT '#' || t FROM regexp_split_to_table(tags, ' ') AS t WHERE t != '')) $$;

UPDATE case_lookup l SET doc = l.doc || caseload_tags(
	coalesce('track' || replace(c.track, '-', '') || ' ', '') || 'status' || replace(c.status, '-', '') ||
		' subject' || replace(c.subject, '-', '') || ' jurisdiction' || replace(c.jurisdiction, '-', ''))
FROM cases c WHERE c.id = l.case_id;
