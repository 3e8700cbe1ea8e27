package domain

import (
	"fmt"
	"slices"
	"strings"
)

// A query is one contact from a member of the public or a professional
// user — a call, a webchat, an email, a letter or someone at the counter —
// recorded so that nobody has to repeat themselves and answered within a
// service level counted in working days like every other deadline.

// Channel is how a query arrived.
type Channel string

const (
	ChannelPhone    Channel = "phone"
	ChannelWebchat  Channel = "webchat"
	ChannelEmail    Channel = "email"
	ChannelLetter   Channel = "letter"
	ChannelInPerson Channel = "in-person"
)

// Channels lists every channel in the order forms offer them.
var Channels = []Channel{ChannelPhone, ChannelWebchat, ChannelEmail, ChannelLetter, ChannelInPerson}

// ParseChannel accepts a channel's name ("in person" and "counter" too).
func ParseChannel(s string) (Channel, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "in person", "inperson", "counter", "visit":
		s = "in-person"
	case "call", "telephone", "tel":
		s = "phone"
	case "chat":
		s = "webchat"
	case "mail", "e-mail":
		s = "email"
	case "post":
		s = "letter"
	}
	if slices.Contains(Channels, Channel(s)) {
		return Channel(s), nil
	}
	return "", fmt.Errorf("%q is not a channel: use phone, webchat, email, letter or in-person", clip(s))
}

// PartyRole is who the person is to the case (or to the service).
type PartyRole string

const (
	RoleAppellant      PartyRole = "appellant"
	RoleRepresentative PartyRole = "representative"
	RoleRespondent     PartyRole = "respondent"
	RolePublic         PartyRole = "public"
	RoleOther          PartyRole = "other"
)

// PartyRoles lists every role.
var PartyRoles = []PartyRole{RoleAppellant, RoleRepresentative, RoleRespondent, RolePublic, RoleOther}

// ParsePartyRole accepts a role's name; "" is a member of the public.
func ParsePartyRole(s string) (PartyRole, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "":
		return RolePublic, nil
	case "claimant":
		s = "appellant"
	case "rep", "solicitor", "agent":
		s = "representative"
	case "defendant", "hmrc":
		s = "respondent"
	}
	if slices.Contains(PartyRoles, PartyRole(s)) {
		return PartyRole(s), nil
	}
	return "", fmt.Errorf("%q is not a role: use appellant, representative, respondent, public or other", clip(s))
}

// QueryStatus is where a query stands.
type QueryStatus string

const (
	QueryOpen      QueryStatus = "open"
	QueryWaiting   QueryStatus = "waiting"   // on the user: information asked for
	QueryPassed    QueryStatus = "passed"    // to a team
	QueryEscalated QueryStatus = "escalated" // to a manager
	QueryResolved  QueryStatus = "resolved"
)

// QueryStatuses lists every status.
var QueryStatuses = []QueryStatus{QueryOpen, QueryWaiting, QueryPassed, QueryEscalated, QueryResolved}

// ParseQueryStatus accepts a status's name.
func ParseQueryStatus(s string) (QueryStatus, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if slices.Contains(QueryStatuses, QueryStatus(s)) {
		return QueryStatus(s), nil
	}
	return "", fmt.Errorf("%q is not a query status: use open, waiting, passed, escalated or resolved", clip(s))
}

// Open reports whether the query still needs something from the office.
func (s QueryStatus) Open() bool { return s != QueryResolved && s != "" }

// Contact is a person who gets in touch. They are matched to earlier
// contacts by email address or phone number, and only ever joined when the
// officer confirms it.
type Contact struct {
	ID    int64     `json:"id,omitempty"`
	Name  string    `json:"name"`
	Role  PartyRole `json:"role"`
	Phone string    `json:"phone,omitempty"`
	Email string    `json:"email,omitempty"`
}

// NormalEmail is the form an address is matched by: trimmed, lower case.
func NormalEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NormalPhone is the form a number is matched by: digits only, a UK
// +44 or 0044 prefix read as the leading 0, so "+44 20 7946 0000" and
// "020 7946 0000" are the same number.
func NormalPhone(s string) string {
	// "+44 (0)20 ..." writes the trunk 0 that the country code replaces.
	s = strings.ReplaceAll(s, "(0)", "")
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(strings.TrimSpace(s), "+44") && strings.HasPrefix(d, "44"):
		d = "0" + d[2:]
	case strings.HasPrefix(d, "0044"):
		d = "0" + d[4:]
	}
	if len(d) < 6 { // an extension or a typing slip, not a number to match on
		return ""
	}
	return d
}

// Validate checks a contact as entered: a name, and the email and phone,
// if given, plausible.
func (c Contact) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return fmt.Errorf("name: say who got in touch (a name, or \"unknown caller\")")
	}
	if c.Email != "" && (!strings.Contains(c.Email, "@") || strings.ContainsAny(strings.TrimSpace(c.Email), " \t\r\n")) {
		return fmt.Errorf("email: %q is not an email address", clip(c.Email))
	}
	if c.Phone != "" && NormalPhone(c.Phone) == "" {
		return fmt.Errorf("phone: %q is not a phone number", clip(c.Phone))
	}
	return nil
}

// Query is one recorded contact and what became of it.
type Query struct {
	ID         int64       `json:"id"`
	Channel    Channel     `json:"channel"`
	Contact    Contact     `json:"contact"`
	Reference  string      `json:"reference,omitempty"` // the case it is about, "" for none yet
	Topic      string      `json:"topic"`               // a topic of the knowledge base's taxonomy
	Summary    string      `json:"summary"`
	Status     QueryStatus `json:"status"`
	PassedTo   string      `json:"passed_to,omitempty"` // the team it was passed or escalated to
	Resolution string      `json:"resolution,omitempty"`
	Received   Date        `json:"received"`
	Due        Date        `json:"due"`  // the service level's last day
	Rule       string      `json:"rule"` // which service level set Due
	Article    string      `json:"article,omitempty"`
	MailID     int64       `json:"mail_id,omitempty"` // the message it came as
	ResolvedOn Date        `json:"resolved_on,omitzero"`
	// FirstContact is true when it was resolved in the sitting it was
	// recorded in: nobody had to call back.
	FirstContact bool   `json:"first_contact_resolution"`
	User         string `json:"user"`
	// Complaint is set when the query is a complaint.
	Complaint *Complaint `json:"complaint,omitempty"`
}

// ValidateNewQuery checks what an officer entered for a query, naming the
// field at fault.
func ValidateNewQuery(q Query, topics Taxonomy) error {
	if _, err := ParseChannel(string(q.Channel)); err != nil {
		return fmt.Errorf("channel: %w", err)
	}
	if _, err := ParsePartyRole(string(q.Contact.Role)); err != nil {
		return fmt.Errorf("role: %w", err)
	}
	if err := q.Contact.Validate(); err != nil {
		return err
	}
	if !topics.Has(q.Topic) {
		return fmt.Errorf("topic: %q is not in the taxonomy (use one of %s)", clip(q.Topic), strings.Join(topics.Slugs(), ", "))
	}
	if strings.TrimSpace(q.Summary) == "" {
		return fmt.Errorf("summary: say in a line what the query was about")
	}
	if q.Received.IsZero() {
		return fmt.Errorf("received: the date is missing")
	}
	return nil
}

// CheckTransition says whether a query may move from one status to
// another. Resolving needs a resolution; passing or escalating needs the
// team it goes to; a complaint is never closed without a recorded response.
func CheckTransition(q Query, to QueryStatus, resolution, team string) error {
	if !q.Status.Open() {
		return fmt.Errorf("query %d is already resolved (%s)", q.ID, q.ResolvedOn.UK())
	}
	if to == q.Status && to != QueryPassed && to != QueryEscalated {
		return fmt.Errorf("query %d is already %s", q.ID, to)
	}
	switch to {
	case QueryResolved:
		if strings.TrimSpace(resolution) == "" {
			return fmt.Errorf("resolution: say how query %d was resolved", q.ID)
		}
		if q.Complaint != nil && !q.Complaint.Responded() {
			return fmt.Errorf("query %d is a complaint: record the response (complaint respond) before resolving it", q.ID)
		}
	case QueryPassed, QueryEscalated:
		if strings.TrimSpace(team) == "" {
			return fmt.Errorf("to: name the team query %d is %s to", q.ID, to)
		}
	case QueryOpen, QueryWaiting:
	default:
		return fmt.Errorf("%q is not a query status", to)
	}
	return nil
}

// Query event kinds, on the timeline of the case a query is about.
const (
	EventQuery           = "query"            // a query recorded
	EventQueryUpdated    = "query-updated"    // waiting, passed, escalated, resolved
	EventComplaint       = "complaint"        // a complaint's stage or response
	EventSupportNeed     = "support-need"     // a support need requested or its status changed
	EventFeeDue          = "fee-due"          // a fee became due
	EventPayment         = "payment"          // a payment allocated or verified
	EventFeeRemission    = "fee-remission"    // help with fees
	EventAssistedDigital = "assisted-digital" // a referral to assisted digital support and its outcome
)
