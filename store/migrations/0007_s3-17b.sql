-- Schema 7 (s3-17b): nothing changes in SQLite. The PostgreSQL twin
-- (migrations/postgres/0007_s3-17b.sql) gives the lookup's tsvector a
-- larger statistics target, so the planner sees which prefixes match few
-- cases; FTS5 needs no such hint.
SELECT 1;
