-- The snoozed view: which case an inbox item belongs to and why it was
-- snoozed, so snoozes can be listed by jurisdiction and undone. The
-- timeline holds the same as a "snoozed" event.
ALTER TABLE inbox_actions ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE inbox_actions ADD COLUMN why TEXT NOT NULL DEFAULT '';
