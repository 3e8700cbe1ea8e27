-- Queue-card reservations (issue 17): the appeal on each caseworker's
-- queue card, and the one ready after it, held for their session until
-- until_ms (Unix milliseconds), so that no two cards on any server show
-- one appeal. Not history: a reservation is renewed, handed over and let
-- go as the card moves; a decision is still an event on the case. A
-- crashed server's reservations lapse at until_ms.
CREATE TABLE queue_reservations (
	case_id INTEGER PRIMARY KEY,
	session_id TEXT NOT NULL,
	held_by TEXT NOT NULL,
	server_name TEXT NOT NULL,
	until_ms INTEGER NOT NULL
);
CREATE INDEX queue_reservations_session ON queue_reservations(session_id);

-- Whatever decides an appeal (the card, the command line, a bulk action)
-- lets its reservation go in the same transaction.
CREATE TRIGGER queue_reservation_ends_with_decision AFTER UPDATE OF status ON cases
	WHEN NEW.status != 'new'
BEGIN
	DELETE FROM queue_reservations WHERE case_id = NEW.id;
END;
