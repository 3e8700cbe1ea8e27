package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/caseload/caseload/domain"
)

// queryConfig is the service centre's settings: service levels, the
// knowledge base's taxonomy and each pack's fee table.
type queryConfig struct {
	levels domain.ServiceLevels
	topics domain.Taxonomy
	fees   map[string]*domain.FeeTable
}

// QueryOptions configure the service centre part of the store; zero
// values take the defaults (DefaultServiceLevels, DefaultTaxonomy, the
// built-in fee tables).
type QueryOptions struct {
	Levels *domain.ServiceLevels
	Topics domain.Taxonomy
	Fees   map[string]*domain.FeeTable
}

func newQueryConfig(o QueryOptions) queryConfig {
	c := queryConfig{levels: domain.DefaultServiceLevels(), topics: o.Topics, fees: o.Fees}
	if o.Levels != nil {
		c.levels = o.Levels.Merge(domain.DefaultServiceLevels())
	}
	if len(c.topics) == 0 {
		c.topics = domain.DefaultTaxonomy()
	}
	if c.fees == nil {
		c.fees = map[string]*domain.FeeTable{}
	}
	return c
}

// builtinFees are the built-in fee tables, decoded at the first fee
// looked up rather than at every start (their TOML was a fiftieth of a
// short command's time). They are only read.
var builtinFees = sync.OnceValue(func() map[string]*domain.FeeTable {
	out := map[string]*domain.FeeTable{}
	for _, id := range domain.PackIDs() {
		if t, err := domain.LoadFeeTable(id, nil, ""); err == nil {
			out[id] = t
		}
	}
	return out
})

// ServiceLevels are the query service levels in force.
func (s *Store) ServiceLevels() domain.ServiceLevels { return s.queries.levels }

// Topics is the taxonomy queries are filed under.
func (s *Store) Topics() domain.Taxonomy { return s.queries.topics }

// FeeTable is a pack's fee table.
func (s *Store) FeeTable(pack string) *domain.FeeTable {
	if t := s.queries.fees[pack]; t != nil {
		return t
	}
	if t := builtinFees()[pack]; t != nil {
		return t
	}
	return &domain.FeeTable{Pack: pack, Source: "none"}
}

// ContactMatch is an earlier contact who may be the same person, and why.
type ContactMatch struct {
	domain.Contact
	By       string      `json:"matched_by"` // email, phone or name
	Queries  int         `json:"queries"`
	LastSeen domain.Date `json:"last_seen,omitzero"`
}

// ContactMatchError is returned when a new query's email or phone matches
// earlier contacts and the officer has not said whether it is the same
// person: nothing is saved until they do.
type ContactMatchError struct{ Matches []ContactMatch }

func (e *ContactMatchError) Error() string {
	var b strings.Builder
	b.WriteString("this may be someone who has been in touch before:")
	for _, m := range e.Matches {
		fmt.Fprintf(&b, " contact %d %s (%s, same %s);", m.ID, m.Name, m.Role, m.By)
	}
	b.WriteString(" say which (--contact ID) or that it is someone else (--new-contact)")
	return b.String()
}

// MatchContacts finds earlier contacts with the same email address or
// phone number, through their indexes.
func (s *Store) MatchContacts(ctx context.Context, email, phone string) ([]ContactMatch, error) {
	return matchContacts(ctx, s.db, email, phone)
}

func matchContacts(ctx context.Context, q querier, email, phone string) ([]ContactMatch, error) {
	e, p := domain.NormalEmail(email), domain.NormalPhone(phone)
	if e == "" && p == "" {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.name, c.role, c.phone, c.email,
		CASE WHEN c.email_norm != '' AND c.email_norm = ? THEN 'email' ELSE 'phone' END,
		(SELECT count(*) FROM queries WHERE contact_id = c.id), (SELECT max(received) FROM queries WHERE contact_id = c.id)
		FROM contacts c WHERE (c.email_norm = ? AND ? != '') OR (c.phone_norm = ? AND ? != '') ORDER BY c.id LIMIT 10`,
		e, e, e, p, p)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ContactMatch
	for rows.Next() {
		var m ContactMatch
		var last sql.NullString
		if err := rows.Scan(&m.ID, &m.Name, &m.Role, &m.Phone, &m.Email, &m.By, &m.Queries, &last); err != nil {
			return nil, err
		}
		if last.Valid {
			m.LastSeen = mustDate(last.String)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Caller is someone a fast entry form can offer as the officer types: an
// earlier contact, or a party named on a case.
type Caller struct {
	Contact   domain.Contact `json:"contact"`
	Reference string         `json:"reference,omitempty"` // the case, when found from one
	By        string         `json:"by"`                  // contact or case
}

// FindCallers lists earlier contacts with a word of their name, email or
// phone starting with each word typed (most recent first), then cases
// whose party matches it, each through an index and bounded.
func (s *Store) FindCallers(ctx context.Context, typed string, limit int) ([]Caller, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return nil, nil
	}
	var out []Caller
	if match := contactMatch(typed); match != "" {
		where := "contact_fts MATCH ?"
		if s.pg {
			// contact_fts is a plain table there, with a tsvector index.
			where, match = "to_tsvector('caseload_lookup', caseload_words(f.name || ' ' || f.email || ' ' || f.phone)) @@ to_tsquery('caseload_lookup', ?)",
				contactTSQuery(typed)
		}
		rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.name, c.role, c.phone, c.email FROM contact_fts f JOIN contacts c ON c.id = f.rowid
			WHERE `+where+` ORDER BY f.rowid DESC LIMIT ?`, match, limit)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c domain.Contact
			if err := rows.Scan(&c.ID, &c.Name, &c.Role, &c.Phone, &c.Email); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, Caller{Contact: c, By: "contact"})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if len(out) >= limit {
		return out, nil
	}
	sq, err := ParseSearch(typed)
	if err != nil {
		return out, nil // what was typed is not a lookup (a stray qualifier): contacts only
	}
	cases, err := s.Find(ctx, sq, limit-len(out))
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		out = append(out, Caller{Contact: domain.Contact{Name: c.Appellant, Role: domain.RoleAppellant}, Reference: c.Reference, By: "case"})
	}
	return out, nil
}

// NewQuery is a query as entered.
type NewQuery struct {
	Channel domain.Channel
	Contact domain.Contact // Contact.ID set: the officer confirmed it is this earlier contact
	// NewContact says the person is not any earlier contact that matches.
	NewContact bool
	Reference  string
	Topic      string
	Summary    string
	Article    string
	Complaint  bool
	// Resolution, if given, resolves the query as it is recorded: a
	// first-contact resolution.
	Resolution string
	// Received defaults to the acting date.
	Received domain.Date
}

// AddQuery records a query in one transaction: the contact (new, or the
// earlier one the officer confirmed), the query with its service level,
// its history, and an event on the case it is about.
func (s *Store) AddQuery(ctx context.Context, nq NewQuery, opt ActOptions) (domain.Query, error) {
	var q domain.Query
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		q, err = s.addQuery(ctx, tx, nq, 0, opt)
		return err
	})
	return q, err
}

func (s *Store) addQuery(ctx context.Context, tx *sql.Tx, nq NewQuery, mailID int64, opt ActOptions) (domain.Query, error) {
	received := nq.Received
	if received.IsZero() {
		received = opt.On
	}
	role, err := domain.ParsePartyRole(string(nq.Contact.Role))
	if err != nil {
		return domain.Query{}, fmt.Errorf("role: %w", err)
	}
	nq.Contact.Role = role
	q := domain.Query{Channel: nq.Channel, Contact: nq.Contact, Topic: nq.Topic, Summary: strings.TrimSpace(nq.Summary),
		Status: domain.QueryOpen, Received: received, Article: nq.Article, MailID: mailID, User: opt.User}
	if q.Contact.ID != 0 {
		var have domain.Contact
		err := tx.QueryRowContext(ctx, "SELECT id, name, role, phone, email FROM contacts WHERE id = ?", q.Contact.ID).
			Scan(&have.ID, &have.Name, &have.Role, &have.Phone, &have.Email)
		if errors.Is(err, sql.ErrNoRows) {
			return q, fmt.Errorf("contact: there is no contact %d", q.Contact.ID)
		}
		if err != nil {
			return q, err
		}
		// The confirmed contact keeps its record; a new number or address
		// given this time is added where it had none, never overwritten.
		if have.Phone == "" && q.Contact.Phone != "" {
			if _, err := tx.ExecContext(ctx, "UPDATE contacts SET phone = ?, phone_norm = ? WHERE id = ?", q.Contact.Phone, domain.NormalPhone(q.Contact.Phone), have.ID); err != nil {
				return q, err
			}
			have.Phone = q.Contact.Phone
		}
		if have.Email == "" && q.Contact.Email != "" {
			if _, err := tx.ExecContext(ctx, "UPDATE contacts SET email = ?, email_norm = ? WHERE id = ?", q.Contact.Email, domain.NormalEmail(q.Contact.Email), have.ID); err != nil {
				return q, err
			}
			have.Email = q.Contact.Email
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM contact_fts WHERE rowid = ?", have.ID); err != nil {
			return q, err
		}
		if err := indexContact(ctx, tx, have); err != nil {
			return q, err
		}
		q.Contact = have
	}
	if err := domain.ValidateNewQuery(q, s.queries.topics); err != nil {
		return q, err
	}
	if received.After(opt.On) {
		return q, fmt.Errorf("received: %s is after today (%s)", received.UK(), opt.On.UK())
	}
	var onCase any
	if nq.Reference != "" {
		id, err := caseID(ctx, tx, nq.Reference)
		if err != nil {
			return q, fmt.Errorf("case: %w", err)
		}
		onCase, q.Reference = id, normRef(nq.Reference)
	}
	if q.Contact.ID == 0 {
		if !nq.NewContact {
			ms, err := matchContacts(ctx, tx, q.Contact.Email, q.Contact.Phone)
			if err != nil {
				return q, err
			}
			if len(ms) > 0 {
				return q, &ContactMatchError{ms}
			}
		}
		newID, err := insertID(ctx, tx, `INSERT INTO contacts(name, role, phone, email, phone_norm, email_norm, created) VALUES (?,?,?,?,?,?,?)`,
			strings.TrimSpace(q.Contact.Name), q.Contact.Role, strings.TrimSpace(q.Contact.Phone), strings.TrimSpace(q.Contact.Email),
			domain.NormalPhone(q.Contact.Phone), domain.NormalEmail(q.Contact.Email), received.String())
		if err != nil {
			return q, err
		}
		q.Contact.ID = newID
		if err := indexContact(ctx, tx, q.Contact); err != nil {
			return q, err
		}
	}
	q.Due, q.Rule = s.queries.levels.Due(s.cal, q.Channel, q.Topic, received)
	var stage, cfrom, cdue, crule any
	if nq.Complaint {
		c, err := domain.StartComplaint(s.queries.levels.Complaints, s.cal, 1, received)
		if err != nil {
			return q, err
		}
		q.Complaint = &c
		stage, cfrom, cdue, crule = c.Stage, c.StageFrom.String(), c.Due.String(), c.Rule
		q.Due, q.Rule = c.Due, c.Rule
	}
	var mail any
	if mailID != 0 {
		mail = mailID
	}
	at := s.stamp(opt.On).Format(time.RFC3339Nano)
	newID, err := insertID(ctx, tx, `INSERT INTO queries(channel, contact_id, case_id, topic, summary, status, received, due, rule,
		article, mail_id, user, at, complaint_stage, complaint_from, complaint_due, complaint_rule) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		q.Channel, q.Contact.ID, onCase, q.Topic, q.Summary, q.Status, received.String(), q.Due.String(), q.Rule,
		q.Article, mail, opt.User, at, stage, cfrom, cdue, crule)
	if err != nil {
		return q, err
	}
	q.ID = newID
	what := "query"
	if nq.Complaint {
		what = "complaint"
	}
	detail := fmt.Sprintf("%s %s from %s (%s): %s", q.Channel, what, q.Contact.Name, q.Contact.Role, oneLine(q.Summary))
	if err := s.queryHistory(ctx, tx, q.ID, "recorded", detail+"; answer by "+q.Due.UK()+" ("+q.Rule+")", opt); err != nil {
		return q, err
	}
	// A message imported from the inbox is on the case already, as
	// correspondence in: a second timeline entry would say it twice.
	if id, ok := onCase.(int64); ok && mailID == 0 {
		e := domain.Event{Kind: domain.EventQuery, On: received, User: opt.User, Detail: fmt.Sprintf("query %d: %s", q.ID, detail),
			Data: domain.EventData{Channel: string(q.Channel), Way: "in", Text: q.Summary, Refers: q.ID}}
		if err := s.caseEvent(ctx, tx, id, &e); err != nil {
			return q, err
		}
	}
	if strings.TrimSpace(nq.Resolution) != "" {
		return s.moveQuery(ctx, tx, q.ID, domain.QueryResolved, nq.Resolution, opt)
	}
	return q, nil
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}

// caseEvent appends an event to a case's timeline and refreshes what it
// implies, in the caller's transaction.
func (s *Store) caseEvent(ctx context.Context, tx *sql.Tx, caseID int64, e *domain.Event) error {
	if err := s.insertEvent(ctx, tx, caseID, e); err != nil {
		return err
	}
	return s.refresh(ctx, tx, caseID)
}

// queryHistory is the one place every change to a query passes, so the
// role rules are asked here (a query need not be on a case, where the
// case's events would ask them).
func (s *Store) queryHistory(ctx context.Context, tx *sql.Tx, queryID int64, action, detail string, opt ActOptions) error {
	if err := permit(ctx, tx, opt.User, fmt.Sprintf("query %d", queryID), domain.Request{Act: domain.ActQuery}); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO query_history(query_id, at, on_date, user, action, detail) VALUES (?,?,?,?,?,?)`,
		queryID, s.stamp(opt.On).Format(time.RFC3339Nano), opt.On.String(), opt.User, action, detail)
	return err
}

const queryColumns = `q.id, q.channel, q.contact_id, ct.name, ct.role, ct.phone, ct.email, coalesce(c.reference, ''), q.topic,
	q.summary, q.status, q.passed_to, q.resolution, q.received, q.due, q.rule, q.article, coalesce(q.mail_id, 0),
	q.resolved_on, q.first_contact, q.user, q.complaint_stage, q.complaint_from, q.complaint_due, q.complaint_rule,
	q.outcome, q.response, q.responded_on`

const queryFrom = ` FROM queries q JOIN contacts ct ON ct.id = q.contact_id LEFT JOIN cases c ON c.id = q.case_id`

func scanQuery(r scanner) (domain.Query, error) {
	var q domain.Query
	var received, due string
	var resolved, cfrom, cdue, crule, responded sql.NullString
	var stage sql.NullInt64
	var outcome, response string
	err := r.Scan(&q.ID, &q.Channel, &q.Contact.ID, &q.Contact.Name, &q.Contact.Role, &q.Contact.Phone, &q.Contact.Email,
		&q.Reference, &q.Topic, &q.Summary, &q.Status, &q.PassedTo, &q.Resolution, &received, &due, &q.Rule, &q.Article,
		&q.MailID, &resolved, &q.FirstContact, &q.User, &stage, &cfrom, &cdue, &crule, &outcome, &response, &responded)
	if err != nil {
		return q, err
	}
	q.Received, q.Due = mustDate(received), mustDate(due)
	if resolved.Valid {
		q.ResolvedOn = mustDate(resolved.String)
	}
	if stage.Valid {
		c := &domain.Complaint{Stage: int(stage.Int64), StageFrom: mustDate(cfrom.String), Due: mustDate(cdue.String),
			Rule: crule.String, Outcome: outcome, Response: response}
		if responded.Valid {
			c.RespondedOn = mustDate(responded.String)
		}
		q.Complaint = c
	}
	return q, nil
}

// QueryHistoryEntry is one change to a query.
type QueryHistoryEntry struct {
	At     time.Time   `json:"at"`
	On     domain.Date `json:"on"`
	User   string      `json:"user"`
	Action string      `json:"action"`
	Detail string      `json:"detail"`
}

// QueryDetail is a query with its history.
type QueryDetail struct {
	domain.Query
	History []QueryHistoryEntry `json:"history"`
}

// Query reads one query and its history.
func (s *Store) Query(ctx context.Context, id int64) (QueryDetail, error) {
	q, err := scanQuery(s.db.QueryRowContext(ctx, "SELECT "+queryColumns+queryFrom+" WHERE q.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return QueryDetail{}, fmt.Errorf("query %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return QueryDetail{}, err
	}
	d := QueryDetail{Query: q, History: []QueryHistoryEntry{}}
	rows, err := s.db.QueryContext(ctx, "SELECT at, on_date, user, action, detail FROM query_history WHERE query_id = ? ORDER BY id", id)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var h QueryHistoryEntry
		var at, on string
		if err := rows.Scan(&at, &on, &h.User, &h.Action, &h.Detail); err != nil {
			return d, err
		}
		h.At, _ = time.Parse(time.RFC3339Nano, at)
		h.On = mustDate(on)
		d.History = append(d.History, h)
	}
	return d, rows.Err()
}

// QueryFilter narrows the query list; zero values mean any. Open lists
// the queries still needing something, most urgent (earliest due) first;
// otherwise newest first.
type QueryFilter struct {
	Open      bool
	Status    domain.QueryStatus
	Channel   domain.Channel
	Topic     string
	Reference string
	ContactID int64
	Complaint bool
}

// Queries lists queries a page at a time.
func (s *Store) Queries(ctx context.Context, f QueryFilter, offset, limit int) ([]domain.Query, error) {
	var terms []string
	var args []any
	if f.Open {
		terms = append(terms, "q.status != 'resolved'") // a literal, so the partial index queries_open serves it
	}
	if f.Status != "" {
		terms, args = append(terms, "q.status = ?"), append(args, f.Status)
	}
	if f.Channel != "" {
		terms, args = append(terms, "q.channel = ?"), append(args, f.Channel)
	}
	if f.Topic != "" {
		terms, args = append(terms, "q.topic = ?"), append(args, f.Topic)
	}
	if f.Reference != "" {
		terms, args = append(terms, "c.reference = ?"), append(args, normRef(f.Reference))
	}
	if f.ContactID != 0 {
		terms, args = append(terms, "q.contact_id = ?"), append(args, f.ContactID)
	}
	if f.Complaint {
		terms = append(terms, "q.complaint_stage IS NOT NULL")
	}
	if j := scope(ctx); j != "" {
		terms, args = append(terms, "(q.case_id IS NULL OR c.jurisdiction = ?)"), append(args, j)
	}
	sqlq := "SELECT " + queryColumns + queryFrom
	if f.Open && f.ContactID == 0 && f.Reference == "" {
		// The open list pages by service level; without the hint the
		// planner can prefer walking contacts once statistics exist.
		sqlq = "SELECT " + queryColumns + " FROM queries q INDEXED BY queries_open JOIN contacts ct ON ct.id = q.contact_id LEFT JOIN cases c ON c.id = q.case_id"
	}
	if len(terms) > 0 {
		sqlq += " WHERE " + strings.Join(terms, " AND ")
	}
	if f.Open {
		sqlq += " ORDER BY q.due, q.id"
	} else {
		sqlq += " ORDER BY q.id DESC"
	}
	rows, err := s.db.QueryContext(ctx, sqlq+" LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Query{}
	for rows.Next() {
		q, err := scanQuery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// UpdateQuery moves a query to a status: waiting (on the user), passed or
// escalated (text names the team), resolved (text is the resolution) or
// back to open. One transaction: the query, its history and, on a case,
// an event.
func (s *Store) UpdateQuery(ctx context.Context, id int64, to domain.QueryStatus, text string, opt ActOptions) (domain.Query, error) {
	var q domain.Query
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		q, err = s.moveQuery(ctx, tx, id, to, text, opt)
		return err
	})
	return q, err
}

func (s *Store) moveQuery(ctx context.Context, tx *sql.Tx, id int64, to domain.QueryStatus, text string, opt ActOptions) (domain.Query, error) {
	q, err := scanQuery(tx.QueryRowContext(ctx, "SELECT "+queryColumns+queryFrom+" WHERE q.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return q, fmt.Errorf("query %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return q, err
	}
	var resolution, team string
	switch to {
	case domain.QueryResolved:
		resolution = text
	case domain.QueryPassed, domain.QueryEscalated:
		team = text
	}
	if err := domain.CheckTransition(q, to, resolution, team); err != nil {
		return q, err
	}
	if opt.On.Before(q.Received) {
		return q, fmt.Errorf("query %d was received on %s, after %s", id, q.Received.UK(), opt.On.UK())
	}
	detail := "now " + string(to)
	switch to {
	case domain.QueryResolved:
		// Resolved in the sitting it was recorded in: the same day, never
		// having waited on the user, gone to another team or been a
		// complaint's stage (triage — a topic, a case, an article — is
		// part of the sitting).
		var moved int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM query_history WHERE query_id = ? AND action NOT IN ('recorded', 'article', 'topic', 'linked')", id).Scan(&moved); err != nil {
			return q, err
		}
		q.FirstContact = moved == 0 && opt.On.Equal(q.Received)
		q.Resolution, q.ResolvedOn = strings.TrimSpace(resolution), opt.On
		detail = "resolved: " + oneLine(q.Resolution)
		if q.FirstContact {
			detail += " (first contact)"
		}
		_, err = tx.ExecContext(ctx, "UPDATE queries SET status = ?, resolution = ?, resolved_on = ?, first_contact = ? WHERE id = ?",
			to, q.Resolution, opt.On.String(), q.FirstContact, id)
	case domain.QueryPassed, domain.QueryEscalated:
		q.PassedTo = strings.TrimSpace(team)
		detail = string(to) + " to " + q.PassedTo
		_, err = tx.ExecContext(ctx, "UPDATE queries SET status = ?, passed_to = ? WHERE id = ?", to, q.PassedTo, id)
	default:
		if strings.TrimSpace(text) != "" {
			detail += ": " + oneLine(text)
		}
		_, err = tx.ExecContext(ctx, "UPDATE queries SET status = ? WHERE id = ?", to, id)
	}
	if err != nil {
		return q, err
	}
	q.Status = to
	if err := s.queryHistory(ctx, tx, id, string(to), detail, opt); err != nil {
		return q, err
	}
	return q, s.queryCaseEvent(ctx, tx, q, domain.EventQueryUpdated, fmt.Sprintf("query %d %s", id, detail), opt)
}

// queryCaseEvent records a change to a query on the case it is about, if any.
func (s *Store) queryCaseEvent(ctx context.Context, tx *sql.Tx, q domain.Query, kind, detail string, opt ActOptions) error {
	if q.Reference == "" {
		return nil
	}
	id, err := caseID(ctx, tx, q.Reference)
	if err != nil {
		return err
	}
	e := domain.Event{Kind: kind, On: opt.On, User: opt.User, Detail: detail, Data: domain.EventData{Refers: q.ID}}
	return s.caseEvent(ctx, tx, id, &e)
}

// LinkQuery ties a query to the case it turned out to be about.
func (s *Store) LinkQuery(ctx context.Context, id int64, ref string, opt ActOptions) (domain.Query, error) {
	var q domain.Query
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if q, err = scanQuery(tx.QueryRowContext(ctx, "SELECT "+queryColumns+queryFrom+" WHERE q.id = ?", id)); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("query %d: %w", id, ErrNotFound)
			}
			return err
		}
		if q.Reference != "" {
			return fmt.Errorf("query %d is already about %s", id, q.Reference)
		}
		cid, err := caseID(ctx, tx, ref)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE queries SET case_id = ? WHERE id = ?", cid, id); err != nil {
			return err
		}
		q.Reference = normRef(ref)
		detail := fmt.Sprintf("%s query from %s (%s): %s", q.Channel, q.Contact.Name, q.Contact.Role, oneLine(q.Summary))
		if err := s.queryHistory(ctx, tx, id, "linked", "linked to "+q.Reference, opt); err != nil {
			return err
		}
		return s.queryCaseEvent(ctx, tx, q, domain.EventQuery, fmt.Sprintf("query %d: %s", id, detail), opt)
	})
	return q, err
}

// UseArticle records the knowledge-base article a query was answered from.
func (s *Store) UseArticle(ctx context.Context, id int64, article string, opt ActOptions) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, "UPDATE queries SET article = ? WHERE id = ?", article, id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return fmt.Errorf("query %d: %w", id, ErrNotFound)
		}
		return s.queryHistory(ctx, tx, id, "article", "answered from article "+article, opt)
	})
}

// RespondComplaint records the response to a complaint's current stage.
func (s *Store) RespondComplaint(ctx context.Context, id int64, outcome, response string, opt ActOptions) (domain.Query, error) {
	return s.complaintStep(ctx, id, opt, func(q domain.Query) (domain.Complaint, string, error) {
		if q.Complaint == nil {
			return domain.Complaint{}, "", fmt.Errorf("query %d is not a complaint (complaint mark %d first)", id, id)
		}
		c, err := q.Complaint.Respond(outcome, response, opt.On)
		return c, fmt.Sprintf("complaint stage %d responded: %s: %s", c.Stage, outcome, oneLine(response)), err
	})
}

// EscalateComplaint takes an answered complaint to the next stage, from
// the day the complainant asked (the acting date).
func (s *Store) EscalateComplaint(ctx context.Context, id int64, opt ActOptions) (domain.Query, error) {
	return s.complaintStep(ctx, id, opt, func(q domain.Query) (domain.Complaint, string, error) {
		if q.Complaint == nil {
			return domain.Complaint{}, "", fmt.Errorf("query %d is not a complaint", id)
		}
		c, err := q.Complaint.Escalate(s.queries.levels.Complaints, s.cal, opt.On)
		return c, fmt.Sprintf("complaint now at %s, due %s", domain.StageName(c.Stage), c.Due.UK()), err
	})
}

// MarkComplaint makes an open query a complaint at stage 1, from the day
// it was received.
func (s *Store) MarkComplaint(ctx context.Context, id int64, opt ActOptions) (domain.Query, error) {
	return s.complaintStep(ctx, id, opt, func(q domain.Query) (domain.Complaint, string, error) {
		if q.Complaint != nil {
			return *q.Complaint, "", fmt.Errorf("query %d is already a complaint (%s)", id, domain.StageName(q.Complaint.Stage))
		}
		c, err := domain.StartComplaint(s.queries.levels.Complaints, s.cal, 1, q.Received)
		return c, fmt.Sprintf("marked a complaint: %s, due %s", domain.StageName(1), c.Due.UK()), err
	})
}

func (s *Store) complaintStep(ctx context.Context, id int64, opt ActOptions, step func(domain.Query) (domain.Complaint, string, error)) (domain.Query, error) {
	var q domain.Query
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if q, err = scanQuery(tx.QueryRowContext(ctx, "SELECT "+queryColumns+queryFrom+" WHERE q.id = ?", id)); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("query %d: %w", id, ErrNotFound)
			}
			return err
		}
		if !q.Status.Open() {
			return fmt.Errorf("query %d is resolved: record a new query for what is still wrong", id)
		}
		c, detail, err := step(q)
		if err != nil {
			return err
		}
		var responded any
		if !c.RespondedOn.IsZero() {
			responded = c.RespondedOn.String()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE queries SET complaint_stage = ?, complaint_from = ?, complaint_due = ?, complaint_rule = ?,
			outcome = ?, response = ?, responded_on = ?, due = ?, rule = ? WHERE id = ?`, c.Stage, c.StageFrom.String(), c.Due.String(), c.Rule,
			c.Outcome, c.Response, responded, c.Due.String(), c.Rule, id); err != nil {
			return err
		}
		q.Complaint, q.Due, q.Rule = &c, c.Due, c.Rule
		if err := s.queryHistory(ctx, tx, id, "complaint", detail, opt); err != nil {
			return err
		}
		return s.queryCaseEvent(ctx, tx, q, domain.EventComplaint, fmt.Sprintf("query %d: %s", id, detail), opt)
	})
	return q, err
}

// HistoryItem is one thing a person said or was sent: a query, or a
// message in the correspondence inbox.
type HistoryItem struct {
	On        domain.Date `json:"on"`
	Kind      string      `json:"kind"` // query or mail
	ID        int64       `json:"id"`
	Channel   string      `json:"channel"`
	Reference string      `json:"reference,omitempty"`
	Summary   string      `json:"summary"`
	Status    string      `json:"status"`
}

// ContactHistory lists everything from one contact, newest first: their
// queries (calls, webchats, letters, visits, emails) and the messages from
// their email address. Each source is read through its index and bounded.
func (s *Store) ContactHistory(ctx context.Context, contactID int64, limit int) (domain.Contact, []HistoryItem, error) {
	var c domain.Contact
	var emailNorm string
	err := s.db.QueryRowContext(ctx, "SELECT id, name, role, phone, email, email_norm FROM contacts WHERE id = ?", contactID).
		Scan(&c.ID, &c.Name, &c.Role, &c.Phone, &c.Email, &emailNorm)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, fmt.Errorf("contact %d: %w", contactID, ErrNotFound)
	}
	if err != nil {
		return c, nil, err
	}
	qs, err := s.Queries(ctx, QueryFilter{ContactID: contactID}, 0, limit)
	if err != nil {
		return c, nil, err
	}
	out := []HistoryItem{}
	for _, q := range qs {
		sum := q.Summary
		if q.Resolution != "" {
			sum += " — " + q.Resolution
		}
		out = append(out, HistoryItem{On: q.Received, Kind: "query", ID: q.ID, Channel: string(q.Channel), Reference: q.Reference,
			Summary: sum, Status: string(q.Status)})
	}
	if emailNorm != "" {
		rows, err := s.db.QueryContext(ctx, `SELECT m.id, m.received, coalesce(c.reference, ''), m.subject, m.status FROM mail m
			LEFT JOIN cases c ON c.id = m.case_id WHERE m.sender_addr = ? COLLATE NOCASE AND m.sender_addr != '' AND m.id NOT IN (SELECT mail_id FROM queries WHERE contact_id = ? AND mail_id IS NOT NULL)
			ORDER BY m.received DESC LIMIT ?`, emailNorm, contactID, limit)
		if err != nil {
			return c, nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var h HistoryItem
			var on string
			if err := rows.Scan(&h.ID, &on, &h.Reference, &h.Summary, &h.Status); err != nil {
				return c, nil, err
			}
			h.On, h.Kind, h.Channel = mustDate(on), "mail", "email"
			out = append(out, h)
		}
		if err := rows.Err(); err != nil {
			return c, nil, err
		}
	}
	// Newest first across both sources; queries before mail on a day.
	sortHistory(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return c, out, nil
}

func sortHistory(h []HistoryItem) {
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && h[j].On.After(h[j-1].On); j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

// queryFromMail makes an imported message a query, in the import's
// transaction, with the message attached: the sender's earlier contact
// when one has the same address and name, else a new contact (the
// officer is offered any other match, never joined to it silently). Its
// topic is "other" until the officer triages it.
func (s *Store) queryFromMail(ctx context.Context, tx *sql.Tx, mailID int64, from, addr, subject string, received domain.Date, ref string, opt ActOptions) error {
	name := strings.TrimSpace(from)
	if a, err := mail.ParseAddress(name); err == nil && a.Name != "" {
		name = a.Name
	} else if i := strings.Index(name, "<"); i > 0 {
		name = strings.Trim(strings.TrimSpace(name[:i]), `"`)
	}
	if name == "" {
		name = addr
	}
	if name == "" {
		name = "unknown sender"
	}
	c := domain.Contact{Name: name, Role: domain.RolePublic}
	if (domain.Contact{Name: name, Email: addr}).Validate() == nil && addr != "" {
		c.Email = addr
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM contacts WHERE email_norm = ? AND name = ? COLLATE NOCASE ORDER BY id LIMIT 1",
			domain.NormalEmail(addr), name).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		c.ID = id
	}
	summary := strings.TrimSpace(subject)
	if summary == "" {
		summary = "(no subject)"
	}
	_, err := s.addQuery(ctx, tx, NewQuery{Channel: domain.ChannelEmail, Contact: c, NewContact: true, Reference: ref, Topic: "other",
		Summary: summary, Received: received}, mailID, opt)
	if err != nil {
		return fmt.Errorf("query from message %d: %w", mailID, err)
	}
	return nil
}

// SetTopic files a query under another topic (an imported email arrives
// as "other" until it is triaged); its service level is worked out again
// from the day it was received, unless it is a complaint, whose stage
// sets it.
func (s *Store) SetTopic(ctx context.Context, id int64, topic string, opt ActOptions) (domain.Query, error) {
	var q domain.Query
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if q, err = scanQuery(tx.QueryRowContext(ctx, "SELECT "+queryColumns+queryFrom+" WHERE q.id = ?", id)); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("query %d: %w", id, ErrNotFound)
			}
			return err
		}
		if !s.queries.topics.Has(topic) {
			return fmt.Errorf("topic: %q is not in the taxonomy (use one of %s)", topic, strings.Join(s.queries.topics.Slugs(), ", "))
		}
		if !q.Status.Open() {
			return fmt.Errorf("query %d is resolved", id)
		}
		q.Topic = topic
		if q.Complaint == nil {
			q.Due, q.Rule = s.queries.levels.Due(s.cal, q.Channel, topic, q.Received)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE queries SET topic = ?, due = ?, rule = ? WHERE id = ?", topic, q.Due.String(), q.Rule, id); err != nil {
			return err
		}
		return s.queryHistory(ctx, tx, id, "topic", fmt.Sprintf("filed under %s; answer by %s (%s)", topic, q.Due.UK(), q.Rule), opt)
	})
	return q, err
}

// indexContact adds a contact to the callers' look-up; the phone is
// indexed as its digits so any way of writing it is found.
func indexContact(ctx context.Context, tx *sql.Tx, c domain.Contact) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO contact_fts(rowid, name, email, phone) VALUES (?,?,?,?)",
		c.ID, c.Name, domain.NormalEmail(c.Email), domain.NormalPhone(c.Phone))
	return err
}

// contactMatch makes what was typed an FTS5 query: every word a prefix,
// all of them required. Quoting each word keeps FTS syntax characters
// a caller's name may hold from being read as operators.
func contactMatch(typed string) string {
	var terms []string
	for _, w := range strings.FieldsFunc(strings.ToLower(typed), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		terms = append(terms, `"`+w+`"*`)
	}
	return strings.Join(terms, " ")
}

// contactTSQuery is contactMatch for PostgreSQL: every part a prefix, all
// required, only letters and digits quoted into the query.
func contactTSQuery(typed string) string {
	var terms []string
	for _, w := range strings.FieldsFunc(strings.ToLower(typed), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		terms = append(terms, "'"+w+"':*")
	}
	return strings.Join(terms, " & ")
}
