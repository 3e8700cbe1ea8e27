-- Schema 2: casework. A deadline moved by an extension of time keeps its earlier dates;
ALTER TABLE deadlines ADD COLUMN previous_due TEXT NOT NULL DEFAULT '';  -- earlier due dates, comma-separated, oldest first

-- Casework state kept on the case, so the inbox reads it through indexes.
ALTER TABLE cases ADD COLUMN flags TEXT NOT NULL DEFAULT '';          -- comma-separated flag codes
ALTER TABLE cases ADD COLUMN open_referrals INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_referrals ON cases(open_referrals) WHERE open_referrals > 0;
CREATE INDEX cases_flagged ON cases(flags) WHERE flags != '';

-- The Cases screen filtered by track, newest first.
CREATE INDEX cases_track_received ON cases(track, received DESC, id DESC);

-- Reports count events of a kind over a date range; the queue's "done today" reads it too.
CREATE INDEX events_kind_day ON events(kind, on_date);
DROP INDEX events_user_day;

-- A larger pending-terms hash: FTS5 flushes to disk less often while a big import is indexed.
INSERT INTO case_fts(case_fts, rank) VALUES ('hashsize', 16777216);
