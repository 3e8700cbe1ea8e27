-- Schema 9 for PostgreSQL: the same change as ../0009_startup_indexes.sql (issue 21, branch s4-21e):
-- start-up reads no more of an index than it shows or counts.

-- The late appeals waiting, in queue order, for the whole queue and for
-- one jurisdiction: the inbox lists them and counts them (to 1,001) at
-- start-up. Through the queue's own index every appeal waiting was read
-- to find the few late ones (at ten million cases 1,924 of 126,117, so
-- some 65,000 case rows for the count).
CREATE INDEX cases_queue_late ON cases(received, reference) WHERE status = 'new' AND late = 1;
CREATE INDEX cases_jurisdiction_queue_late ON cases(jurisdiction, received, reference) WHERE status = 'new' AND late = 1;

-- Today's allocations by user (the queue's "done today"): through
-- events_kind_day every allocation of the day was read for its user (at
-- ten million cases some 9,000 event rows).
CREATE INDEX events_allocated_by ON events(on_date, "user") WHERE kind = 'allocated';
