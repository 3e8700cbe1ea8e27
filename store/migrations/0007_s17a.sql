-- Queue-card reservations (issue 17): the appeal on each caseworker's
-- queue card, and the one ready after it, held for their session until
-- until_ms (Unix milliseconds), so that no two cards on any server show
-- one appeal. Not history: a reservation is renewed, handed over and let
-- go as the card moves; a decision is still an event on the case. A
-- crashed server's reservations lapse at until_ms. A reservation of an
-- appeal no longer new holds nothing (only waiting appeals are reserved
-- or shown) and is cleared by the next reservation: a decision does not
-- touch this table, so it never waits on, or conflicts with, a card.
CREATE TABLE queue_reservations (
	case_id INTEGER PRIMARY KEY,
	session_id TEXT NOT NULL,
	held_by TEXT NOT NULL,
	server_name TEXT NOT NULL,
	until_ms INTEGER NOT NULL
);
CREATE INDEX queue_reservations_session ON queue_reservations(session_id);
