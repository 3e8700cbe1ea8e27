package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Casework event kinds: the case progression after categorisation
// (DOMAIN.md, "Who uses the product").
const (
	EventReturned            = "returned"             // incomplete notice returned to the appellant (r20)
	EventReopened            = "reopened"             // corrected notice resubmitted under the same reference
	EventDisposed            = "disposed"             // decided, withdrawn or struck out: the case is closed
	EventChecklist           = "checklist"            // a completeness item ticked or marked missing (r20)
	EventPermissionRequested = "permission-requested" // late appeal: the appellant asked for permission (r20(4))
	EventPermissionGranted   = "permission-granted"   // late appeal admitted: the case proceeds
	EventPermissionRefused   = "permission-refused"   // late appeal not admitted: the case is closed
	EventExtensionRequested  = "extension-requested"  // a party asked for more time for a deadline (r5(3)(a))
	EventExtensionGranted    = "extension-granted"
	EventExtensionRefused    = "extension-refused"
	EventDirection           = "direction" // a direction for a party to act by a date
	EventComplied            = "complied"  // a direction complied with
	EventHearingListed       = "hearing-listed"
	EventReadinessConfirmed  = "readiness-confirmed"
	EventLeadCase            = "lead-case"   // made the lead case of a group (r18)
	EventStayed              = "stayed"      // stayed behind a lead case (r18)
	EventStayLifted          = "stay-lifted" //
	EventFlagSet             = "flag-set"
	EventFlagCleared         = "flag-cleared"
	EventReferred            = "referred"          // to the Registrar or a judge, with a note
	EventReferralAnswered    = "referral-answered" // the response recorded
	EventCorrespondence      = "correspondence"    // a call, email or letter, in or out
	EventProgressed          = "progressed"        // an old case reviewed and moved on
	// EventRecommended: judicial review, the caseworker's settle-or-defend
	// recommendation with a note for the lawyer or judge.
	EventRecommended = "recommended"
)

// EventReferralWithdrawn compensates a referral made by mistake (the undo
// of a bulk referral): replay skips the referral it names (Data.Undoes).
const EventReferralWithdrawn = "referral-withdrawn"

// Recommendations a caseworker can make on a judicial review.
var Recommendations = []string{"settle", "defend"}

// ChecklistItems are what r20 requires of a notice of appeal.
var ChecklistItems = []struct{ Code, Label string }{
	{"appellant", "appellant's name and address"},
	{"representative", "representative's name and address (if any)"},
	{"address-for-documents", "an address for documents"},
	{"decision", "details of the decision appealed against"},
	{"result-sought", "the result sought"},
	{"grounds", "the grounds of appeal"},
	{"decision-copy", "a copy of the written decision"},
}

// ReturnReasons are the reasons a notice can be returned: any checklist
// item, or one of these.
var ReturnReasons = []string{"no-jurisdiction", "duplicate", "other"}

// Flags raise a case's place in the inbox.
var Flags = []struct{ Code, Label string }{
	{"bespoke", "bespoke case management"},
	{"urgent", "urgent"},
	{"high-profile", "high profile"},
	{"vulnerable", "vulnerable / needs assisted-digital support"},
	{"ministerial", "ministerial interest"},
	{"media", "media interest"},
}

// Parties who can be directed to act.
var Parties = []string{"appellant", "respondent", "both"}

// ValidReturnReason reports whether code is a checklist item or return reason.
func ValidReturnReason(code string) bool {
	for _, it := range ChecklistItems {
		if it.Code == code {
			return true
		}
	}
	return slices.Contains(ReturnReasons, code)
}

// ValidFlag reports whether code is a known flag.
func ValidFlag(code string) bool {
	for _, f := range Flags {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Extension is an extension-of-time request on a deadline.
type Extension struct {
	RequestID int64
	Party     string
	Days      int
	Reason    string
	Requested Date
	Status    string // pending, granted, refused
	NewDue    Date
	DecidedOn Date
}

// Direction is a direction given on the case.
type Direction struct {
	ID       int64
	Text     string
	Party    string
	Given    Date
	Due      Date
	Complied Date
	Counted  string // how the due date was counted, when given as a period
}

// Referral is a matter referred to the Registrar or a judge.
type Referral struct {
	ID       int64
	To       string
	Note     string
	On       Date
	Answer   string
	Answered Date
}

// Casework is the part of a case's state that casework events build.
type Casework struct {
	Checklist     map[string]bool // item -> ticked (true) or marked missing (false); absent = not checked
	Returned      []string        // reasons of the latest return
	Permission    string          // late appeals: "", requested, granted, refused
	PermissionOn  Date
	Extensions    map[string][]Extension // by deadline kind
	Directions    []Direction
	Hearing       Date
	Venue         string
	Ready         map[string]Date // party -> readiness confirmed on
	Flags         []string
	Lead          string // stayed behind this case
	Group         string
	IsLead        bool
	Recommended   string // settle or defend (judicial review)
	RecommendNote string
	Referrals     []Referral
}

func newCasework() Casework {
	return Casework{Checklist: map[string]bool{}, Extensions: map[string][]Extension{}, Ready: map[string]Date{}}
}

// OpenReferrals are those still waiting for a response.
func (c Casework) OpenReferrals() []Referral {
	var out []Referral
	for _, r := range c.Referrals {
		if r.Answered.IsZero() {
			out = append(out, r)
		}
	}
	return out
}

// applyCasework folds one casework event into the state; it reports false
// for kinds it does not know.
func (st *CaseState) applyCasework(e Event) bool {
	d := e.Data
	switch e.Kind {
	case EventReturned:
		st.Status, st.Returned = StatusReturned, d.Reasons
	case EventReopened:
		st.Status, st.Returned = StatusNew, nil
		if st.Track != "" {
			st.Status = StatusAllocated
		}
	case EventDisposed, EventPermissionRefused:
		st.Status = StatusClosed
		if e.Kind == EventPermissionRefused {
			st.Permission, st.PermissionOn = "refused", e.On
		}
	case EventChecklist:
		st.Checklist[d.Item] = d.Done
	case EventPermissionRequested:
		st.Permission, st.PermissionOn = "requested", e.On
	case EventPermissionGranted:
		st.Permission, st.PermissionOn = "granted", e.On
	case EventExtensionRequested:
		st.Extensions[d.Deadline] = append(st.Extensions[d.Deadline], Extension{RequestID: e.ID, Party: d.Party,
			Days: d.Days, Reason: d.Text, Requested: e.On, Status: "pending"})
	case EventExtensionGranted, EventExtensionRefused:
		exts := st.Extensions[d.Deadline]
		for i := range exts {
			if exts[i].RequestID == d.Refers {
				exts[i].DecidedOn = e.On
				if e.Kind == EventExtensionGranted {
					exts[i].Status, exts[i].NewDue = "granted", d.Due
				} else {
					exts[i].Status = "refused"
				}
			}
		}
	case EventDirection:
		st.Directions = append(st.Directions, Direction{ID: e.ID, Text: d.Text, Party: d.Party, Given: e.On, Due: d.Due, Counted: d.Counted})
	case EventComplied:
		for i := range st.Directions {
			if st.Directions[i].ID == d.Refers {
				st.Directions[i].Complied = e.On
			}
		}
	case EventHearingListed:
		st.Hearing, st.Venue, st.Ready = d.Due, d.Venue, map[string]Date{}
	case EventReadinessConfirmed:
		st.Ready[d.Party] = e.On
	case EventLeadCase:
		st.IsLead, st.Group = true, d.Group
	case EventStayed:
		st.Status, st.Lead, st.Group = StatusStayed, d.Lead, d.Group
	case EventStayLifted:
		st.Lead = ""
		st.Status = StatusNew
		if st.Track != "" {
			st.Status = StatusAllocated
		}
	case EventFlagSet:
		if !slices.Contains(st.Flags, d.Flag) {
			st.Flags = append(st.Flags, d.Flag)
		}
	case EventFlagCleared:
		st.Flags = slices.DeleteFunc(st.Flags, func(f string) bool { return f == d.Flag })
	case EventReferred:
		st.Referrals = append(st.Referrals, Referral{ID: e.ID, To: d.To, Note: d.Text, On: e.On})
	case EventReferralAnswered:
		for i := range st.Referrals {
			if st.Referrals[i].ID == d.Refers {
				st.Referrals[i].Answer, st.Referrals[i].Answered = d.Text, e.On
			}
		}
	case EventRecommended:
		st.Recommended, st.RecommendNote = d.Reason, d.Text
	case EventCorrespondence, EventProgressed:
	default:
		return false
	}
	return true
}

// caseworkDeadlines are the deadlines casework creates: directions and the
// readiness check before a hearing.
func (p *RulePack) caseworkDeadlines(cal *Calendar, st CaseState) []Deadline {
	var out []Deadline
	for _, dir := range st.Directions {
		d := Deadline{Kind: fmt.Sprintf("direction:%d", dir.ID), Label: "Direction: " + firstLine(dir.Text, 60),
			Party: dir.Party, Due: dir.Due, Rule: "direction of " + dir.Given.UK(), Status: DeadlineOpen,
			Anchor: dir.Given, Days: dir.Given.DaysUntil(dir.Due), Provisional: cal.Provisional(dir.Due),
			Citation: "direction given " + dir.Given.UK(), Moved: dir.Counted}
		if !dir.Complied.IsZero() {
			d.Status, d.MetOn = DeadlineMet, dir.Complied
		}
		out = append(out, d)
	}
	if !st.Hearing.IsZero() && p.Casework.ReadinessDays > 0 {
		// Counted back from the hearing; a non-working day moves it earlier,
		// so the check is never later than the rule pack asks.
		landed := st.Hearing.AddDays(-p.Casework.ReadinessDays)
		due := landed
		for !cal.IsWorkingDay(due) {
			due = due.AddDays(-1)
		}
		d := Deadline{Kind: "readiness_check", Label: "Readiness check for hearing " + st.Hearing.UK(), Party: "both",
			Due: due, Rule: "readiness", Status: DeadlineOpen, Anchor: st.Hearing, Days: -p.Casework.ReadinessDays,
			Provisional: cal.Provisional(due), Citation: p.Casework.ReadinessCitation}
		if !due.Equal(landed) {
			d.Moved = fmt.Sprintf("%s is not a working day: the working day before", landed.Long())
		}
		if a, r := st.Ready["appellant"], st.Ready["respondent"]; !a.IsZero() && !r.IsZero() {
			d.Status, d.MetOn = DeadlineMet, later(a, r)
		}
		out = append(out, d)
	}
	return out
}

func later(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}

func firstLine(s string, n int) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
