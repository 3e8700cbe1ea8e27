package store

import (
	"errors"

	"github.com/caseload/caseload/domain"
)

// CaseRow is one case as lists show it: the notice, its current state and
// the suggestion, without timeline or deadlines.
type CaseRow struct {
	ID               int64          `json:"-"`
	Reference        string         `json:"reference"`
	Jurisdiction     string         `json:"jurisdiction"`
	Received         domain.Date    `json:"received"`
	DecisionDate     domain.Date    `json:"decision_date"`
	Appellant        string         `json:"appellant"`
	Representative   string         `json:"representative"`
	Respondent       string         `json:"respondent"`
	Subject          domain.Subject `json:"subject"`
	AmountPence      *int64         `json:"amount_pence"`
	Grounds          string         `json:"grounds"`
	HMRCReference    string         `json:"hmrc_reference"`
	LateReason       string         `json:"late_reason"`
	Track            *domain.Track  `json:"track"`
	Status           domain.Status  `json:"status"`
	SuggestedTrack   domain.Track   `json:"suggested_track"`
	SuggestionReason string         `json:"suggestion_reason"`
	Late             bool           `json:"late"`
	DaysLate         int            `json:"days_late"`
	LastEvent        domain.Date    `json:"last_event"`
	AllocatedOn      domain.Date    `json:"allocated_on,omitzero"`
	Flags            []string       `json:"flags"`          // bespoke, urgent, high-profile, vulnerable
	OpenReferrals    int            `json:"open_referrals"` // referrals waiting for a response
}

// TrackOrNone returns the allocated track, or "" if none.
func (c CaseRow) TrackOrNone() domain.Track {
	if c.Track == nil {
		return ""
	}
	return *c.Track
}

// Case is a case with every deadline and the full timeline, oldest first.
type Case struct {
	CaseRow
	Deadlines []domain.Deadline `json:"deadlines"`
	Events    []domain.Event    `json:"events"`
	Mail      []Mail            `json:"mail"`               // correspondence linked to the case, newest first, with attachments
	Letters   []Letter          `json:"letters"`            // letters and emails saved on the case, oldest first
	Contacts  *Contacts         `json:"contacts,omitempty"` // the parties' postal and email addresses, if any were given
	// Division is whose bank holidays the case's deadlines count with: the
	// case's own for a tax appeal, the pack's otherwise.
	Division domain.Division `json:"division"`
	// Owner is who holds the case on a team ("" for available work, and
	// always "" on one person's file).
	Owner string `json:"owner"`
}

// DueItem is one open deadline in the due list.
type DueItem struct {
	Reference   string       `json:"reference"`
	Appellant   string       `json:"appellant"`
	Kind        string       `json:"kind"`
	Label       string       `json:"label"`
	Due         domain.Date  `json:"due"`
	DaysLeft    int          `json:"days_left"` // negative when overdue
	Rule        string       `json:"rule"`
	Provisional bool         `json:"provisional"`
	Track       domain.Track `json:"track"`
}

// Counts are the header figures. They come from indexes, never a scan of
// every case.
type Counts struct {
	Queue   int `json:"queue"`   // waiting to be categorised
	Due     int `json:"due"`     // open deadlines due from today to today+7
	Overdue int `json:"overdue"` // open deadlines before today
	Open    int `json:"open"`    // open cases
}

// CaseFilter narrows the Cases list and search results. Zero values mean
// "any".
type CaseFilter struct {
	Track          domain.Track
	Status         domain.Status
	Subject        domain.Subject
	Representative string // word prefix of the representative's name
	Late           *bool
	ReceivedBefore domain.Date
	ReceivedAfter  domain.Date
	Sort           string // "received" (newest first, the default), "oldest", "reference", "appellant"
	// Jurisdiction limits to one rule pack's cases; the store also takes it
	// from the context (InJurisdiction).
	Jurisdiction string
}

// Errors a caller can act on.
var (
	ErrNotFound       = errors.New("no such case")
	ErrAlreadyDecided = errors.New("already categorised")
	ErrNothingToUndo  = domain.ErrNothingToUndo
)

// ActOptions say who acts and on what date (the --today date).
type ActOptions struct {
	User string
	On   domain.Date
}

// CategoriseOptions qualify an allocation.
type CategoriseOptions struct {
	ActOptions
	// Reason is required to re-categorise a case that already has a track.
	Reason string
	// ExpectNew makes the allocation fail with ErrAlreadyDecided if the case
	// is no longer waiting in the queue (someone else categorised it since
	// it was shown), instead of needing a reason.
	ExpectNew bool
	// AskIfLate refuses, with ErrLateUndecided, to allocate a late appeal
	// whose permission to appeal late is not decided, unless LateConfirmed:
	// the caller asks the caseworker first (or records the permission
	// request). Off, the allocation goes ahead as before.
	AskIfLate     bool
	LateConfirmed bool
}

// InboxItem is one thing that needs action, with its urgency.
type InboxItem struct {
	Key       string        `json:"key"`  // stable identity, used to snooze or dismiss
	Kind      string        `json:"kind"` // overdue, due-today, due-soon, queue, late-appeal, stale, warning, mail
	Reference string        `json:"reference,omitempty"`
	Appellant string        `json:"appellant,omitempty"`
	Reason    string        `json:"reason"` // "statement of case overdue 3 days"
	Due       domain.Date   `json:"due,omitzero"`
	Urgency   float64       `json:"urgency"`
	Parts     []UrgencyPart `json:"parts"`              // what the urgency is made of
	MailID    int64         `json:"mail_id,omitempty"`  // kind mail: the message
	QueryID   int64         `json:"query_id,omitempty"` // kind query or complaint: the query
	// Watch marks the other side's step on a case held from a party's
	// side (the claimant's, seen from the defendant's): shown after the
	// side's own duties, to watch rather than do (litigation.go).
	Watch bool   `json:"watch,omitempty"`
	Side  string `json:"side,omitempty"` // the side the case is held from, for deadline items
}

// UrgencyPart is one named share of an item's urgency.
type UrgencyPart struct {
	Name   string  `json:"name"`
	Points float64 `json:"points"`
}

// Search is a parsed lookup: free words (each a prefix, accents and case
// ignored) plus qualifiers such as track:basic or received:<2020-01-01.
type Search struct {
	Words  []string
	Filter CaseFilter
}
