-- Schema 7 for PostgreSQL: the same change as ../0007_s17a.sql (queue-card
-- reservations shared by every server on the database).
CREATE TABLE queue_reservations (
	case_id bigint PRIMARY KEY,
	session_id text NOT NULL,
	held_by text NOT NULL,
	server_name text NOT NULL,
	until_ms bigint NOT NULL
);
CREATE INDEX queue_reservations_session ON queue_reservations(session_id);
