-- Litigation (issue 19): the side a case is held from ('court', or
-- 'defendant' for a government litigator), written by refresh from the
-- case's events and its pack, so the inbox tells the side's own duties
-- from the other side's steps without replaying events. Part 36 offers,
-- decisions, authority, instructions, time requests and briefings are
-- events like any other (events.data, reported through events_kind_day).
ALTER TABLE cases ADD COLUMN side TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_side ON cases(side) WHERE side NOT IN ('', 'court');
-- Reports of outcomes and settlements read these kinds by date.
CREATE INDEX events_litigation ON events(kind, on_date, case_id)
	WHERE kind IN ('outcome', 'settled', 'part36-offer', 'part36-accepted', 'time-requested', 'authority-approved');
