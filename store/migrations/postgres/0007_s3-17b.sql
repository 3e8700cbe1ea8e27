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
