-- Schema: the service centre's queries, the people who make them, complaints,
-- support needs, fees and payments. (Numbered 0009 to follow the schemas of
-- the branches merged before it.)

-- A person who gets in touch. Matching is by normalised email or phone, and
-- an officer confirms a match: two contacts are never merged silently.
CREATE TABLE contacts (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	role        TEXT NOT NULL,
	phone       TEXT NOT NULL DEFAULT '',
	email       TEXT NOT NULL DEFAULT '',
	phone_norm  TEXT NOT NULL DEFAULT '',
	email_norm  TEXT NOT NULL DEFAULT '',
	created     TEXT NOT NULL
);
CREATE INDEX contacts_email ON contacts(email_norm) WHERE email_norm != '';
CREATE INDEX contacts_phone ON contacts(phone_norm) WHERE phone_norm != '';
-- The call form finds callers as they are typed: any word of the name, the
-- address or the number, by prefix.
CREATE VIRTUAL TABLE contact_fts USING fts5(name, email, phone, prefix='2 3 4');
-- A contact's history reads the mail from their address through this.
CREATE INDEX mail_sender ON mail(sender_addr COLLATE NOCASE) WHERE sender_addr != '';

CREATE TABLE queries (
	id            INTEGER PRIMARY KEY,
	channel       TEXT NOT NULL,
	contact_id    INTEGER NOT NULL REFERENCES contacts(id),
	case_id       INTEGER REFERENCES cases(id),
	topic         TEXT NOT NULL,
	summary       TEXT NOT NULL,
	status        TEXT NOT NULL,          -- open | waiting | passed | escalated | resolved
	passed_to     TEXT NOT NULL DEFAULT '',
	resolution    TEXT NOT NULL DEFAULT '',
	received      TEXT NOT NULL,          -- YYYY-MM-DD: the service level counts from here
	due           TEXT NOT NULL,
	rule          TEXT NOT NULL,
	article       TEXT NOT NULL DEFAULT '',
	mail_id       INTEGER REFERENCES mail(id),
	resolved_on   TEXT,
	first_contact INTEGER NOT NULL DEFAULT 0,
	user          TEXT NOT NULL,
	at            TEXT NOT NULL,
	-- A complaint: its stage, the stage's start and due day, and the response.
	complaint_stage INTEGER,
	complaint_from  TEXT,
	complaint_due   TEXT,
	complaint_rule  TEXT,
	outcome         TEXT NOT NULL DEFAULT '',
	response        TEXT NOT NULL DEFAULT '',
	responded_on    TEXT
);
CREATE INDEX queries_open ON queries(due, id) WHERE status != 'resolved';
CREATE INDEX queries_received ON queries(received);
CREATE INDEX queries_contact ON queries(contact_id, id);
CREATE INDEX queries_case ON queries(case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX queries_complaints ON queries(complaint_stage) WHERE complaint_stage IS NOT NULL;

-- Every change to a query, append-only: a query not on a case still has
-- its history.
CREATE TABLE query_history (
	id       INTEGER PRIMARY KEY,
	query_id INTEGER NOT NULL REFERENCES queries(id),
	at       TEXT NOT NULL,
	on_date  TEXT NOT NULL,
	user     TEXT NOT NULL,
	action   TEXT NOT NULL,
	detail   TEXT NOT NULL
);
CREATE INDEX query_history_query ON query_history(query_id, id);
CREATE TRIGGER query_history_no_update BEFORE UPDATE ON query_history
BEGIN SELECT RAISE(ABORT, 'query history is append-only'); END;
CREATE TRIGGER query_history_no_delete BEFORE DELETE ON query_history
BEGIN SELECT RAISE(ABORT, 'query history is append-only'); END;

-- A coded support need on a party of a case.
CREATE TABLE support_needs (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES cases(id),
	party      TEXT NOT NULL,
	code       TEXT NOT NULL,
	comment    TEXT NOT NULL DEFAULT '',
	hearing    INTEGER NOT NULL DEFAULT 0,
	status     TEXT NOT NULL,             -- requested | active | inactive | not-approved
	requested  TEXT NOT NULL,
	updated    TEXT NOT NULL,
	referral   TEXT NOT NULL DEFAULT ''   -- assisted digital: the referral's outcome
);
CREATE INDEX support_needs_case ON support_needs(case_id, id);

-- A fee due on a case, from the pack's fee table, with any help with fees.
CREATE TABLE fees (
	id           INTEGER PRIMARY KEY,
	case_id      INTEGER NOT NULL REFERENCES cases(id),
	code         TEXT NOT NULL,
	application  TEXT NOT NULL,
	amount_pence INTEGER NOT NULL,
	fees_order   TEXT NOT NULL,
	due_on       TEXT NOT NULL,
	hwf_ref      TEXT NOT NULL DEFAULT '',
	hwf_full     INTEGER NOT NULL DEFAULT 0,
	hwf_pence    INTEGER NOT NULL DEFAULT 0,
	paid_pence   INTEGER NOT NULL DEFAULT 0, -- kept current from payments, so the unpaid list reads no payments
	settled      INTEGER NOT NULL DEFAULT 0  -- nothing owed: paid, remitted, or over-paid
);
CREATE INDEX fees_case ON fees(case_id, id);
CREATE INDEX fees_unpaid ON fees(due_on) WHERE settled = 0;

CREATE TABLE payments (
	id           INTEGER PRIMARY KEY,
	amount_pence INTEGER NOT NULL,
	reference    TEXT NOT NULL,
	method       TEXT NOT NULL,
	paid_on      TEXT NOT NULL,
	case_id      INTEGER REFERENCES cases(id),
	fee_id       INTEGER REFERENCES fees(id),
	verified     INTEGER NOT NULL DEFAULT 0,
	verified_by  TEXT NOT NULL DEFAULT '',
	user         TEXT NOT NULL,
	at           TEXT NOT NULL
);
CREATE INDEX payments_fee ON payments(fee_id) WHERE fee_id IS NOT NULL;
CREATE INDEX payments_unallocated ON payments(paid_on) WHERE fee_id IS NULL;
