-- Schema 7 for PostgreSQL: the same change as ../0007_s21c.sql. Each
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
