package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The party's side of a case (issue 19): a government litigator holds the
// same judicial reviews, appeals and damages claims the courts see, from
// the defendant's side. What the litigator records is history like any
// other event: Part 36 offers, settle-or-defend decisions and their
// approval, financial authority, instructions to the government's
// lawyers, requests for more time, briefings on ministerial and media
// interest, and the outcome.
const (
	EventSideSet             = "side-set"             // the case is held from a party's side (or the court's)
	EventPart36Made          = "part36-offer"         // a Part 36 offer made or received (CPR 36.5, 36.7)
	EventPart36Accepted      = "part36-accepted"      // CPR 36.11
	EventPart36Withdrawn     = "part36-withdrawn"     // CPR 36.9, 36.10
	EventPart36Changed       = "part36-changed"       // CPR 36.9: its terms changed
	EventDecision            = "decision"             // settle or defend, with reasons, proposed
	EventDecisionApproved    = "decision-approved"    // by another user
	EventAuthorityRequested  = "authority-requested"  // financial authority to settle
	EventAuthorityApproved   = "authority-approved"   // by a user of the level asked
	EventAuthorityRefused    = "authority-refused"    //
	EventSettled             = "settled"              // settled for an amount, within the authority approved
	EventInstructed          = "instructed"           // the government's lawyers asked to act or advise
	EventInstructionAnswered = "instruction-answered" //
	EventTimeRequested       = "time-requested"       // the defendant asked for more time for a deadline
	EventBriefed             = "briefed"              // ministerial or media interest: who was told, when
	EventOutcome             = "outcome"              // how the claim ended (closes the case)
)

// Sides a case can be held from.
const (
	SideCourt     = "court"
	SideDefendant = "defendant"
)

// ClaimOutcomes are the ends of a claim, as the litigator's reports count them.
var ClaimOutcomes = []string{"conceded", "settled", "withdrawn", "won", "lost"}

// MoneyKinds are what financial authority and settlements are for.
var MoneyKinds = []string{"damages", "costs"}

// Part36MinDays is the shortest relevant period a Part 36 offer may set:
// "a period of not less than 21 days within which the defendant will be
// liable for the claimant's costs" (CPR 36.5(1)(c)).
const Part36MinDays = 21

// AgreedExtension is a pack's CPR 15.5: the parties may agree to extend
// the period for filing a defence by up to MaxDays, and the defendant must
// notify the court in writing.
type AgreedExtension struct {
	Deadline string `toml:"deadline"`
	MaxDays  int    `toml:"max_days"`
	Citation string `toml:"citation"`
}

// LitigationData is the structured part of a litigation event.
type LitigationData struct {
	Side        string `json:"side,omitempty"`         // side-set
	Way         string `json:"way,omitempty"`          // part36-offer: made or received
	By          string `json:"by,omitempty"`           // who made the offer; who proposed; who was told (briefed)
	AmountPence int64  `json:"amount_pence,omitempty"` // offer, authority, settlement (damages)
	CostsPence  int64  `json:"costs_pence,omitempty"`  // settlement: costs
	Terms       string `json:"terms,omitempty"`        // an offer's terms when not (only) money
	Days        int    `json:"days,omitempty"`         // part36: relevant period; agreed extension: days
	Served      Date   `json:"served,omitzero"`        // part36: the date served (deemed, CPR 6.26)
	ServedHow   string `json:"served_how,omitempty"`
	Decision    string `json:"decision,omitempty"` // settle or defend
	Stage       Track  `json:"stage,omitempty"`    // the stage it was made at
	Level       string `json:"level,omitempty"`    // authority level
	Money       string `json:"money,omitempty"`    // damages or costs
	Outcome     string `json:"outcome,omitempty"`
	Interest    string `json:"interest,omitempty"` // briefed: ministerial or media
	Repeat      bool   `json:"repeat,omitempty"`   // time-requested: a second or later request on the deadline
	Agreed      bool   `json:"agreed,omitempty"`   // time-requested: agreed by the claimant (CPR 15.5)
}

// Offer is one Part 36 offer in the case's register.
type Offer struct {
	ID          int64
	Way         string // made (by our side) or received
	By          string
	AmountPence int64
	Terms       string
	Served      Date
	ServedHow   string
	Days        int
	State       string // open, accepted, withdrawn
	StateOn     Date
	Changes     []string // each change of terms, oldest first
}

// Decision is one settle-or-defend decision: proposed with reasons at a
// stage, and approved by someone else.
type Decision struct {
	ID         int64  `json:"id"`
	Decision   string `json:"decision"`
	Reasons    string `json:"reasons,omitempty"`
	Stage      Track  `json:"stage"`
	ProposedBy string `json:"proposed_by,omitempty"`
	On         Date   `json:"on,omitzero"`
	ApprovedBy string `json:"approved_by,omitempty"`
	ApprovedOn Date   `json:"approved_on,omitzero"`
}

// AuthorityRequest asks for authority to settle up to an amount.
type AuthorityRequest struct {
	ID          int64  `json:"id"`
	AmountPence int64  `json:"amount_pence"`
	Money       string `json:"money"`
	Level       string `json:"level"`
	By          string `json:"by,omitempty"`
	On          Date   `json:"on,omitzero"`
	State       string `json:"state"` // pending, approved, refused
	DecidedBy   string `json:"decided_by,omitempty"`
	DecidedOn   Date   `json:"decided_on,omitzero"`
	Note        string `json:"note,omitempty"`
}

// Instruction is a request to the government's lawyers.
type Instruction struct {
	ID       int64  `json:"id"`
	On       Date   `json:"on,omitzero"`
	To       string `json:"to,omitempty"`
	Asked    string `json:"asked,omitempty"`
	Due      Date   `json:"due,omitzero"`
	Answered Date   `json:"answered,omitzero"`
	Answer   string `json:"answer,omitempty"`
}

// TimeRequest is a request by the defendant for more time.
type TimeRequest struct {
	ID          int64  `json:"id"`
	Deadline    string `json:"deadline"`
	Days        int    `json:"days"`
	On          Date   `json:"on,omitzero"`
	Explanation string `json:"explanation,omitempty"`
	FirmDate    Date   `json:"firm_date,omitzero"`
	Repeat      bool   `json:"repeat"`
	Agreed      bool   `json:"agreed"`
}

// Briefing records who was told of ministerial or media interest.
type Briefing struct {
	Interest string `json:"interest"`
	Told     string `json:"told,omitempty"`
	On       Date   `json:"on,omitzero"`
}

// Litigation is the party's side of a case.
type Litigation struct {
	Side         string // "" until set: the pack's
	Offers       []Offer
	Decisions    []Decision
	Authority    []AuthorityRequest
	SettledPence [2]int64 // damages, costs
	Instructions []Instruction
	TimeRequests []TimeRequest
	Briefings    []Briefing
	Outcome      string
	OutcomeStage Track
	OutcomeOn    Date
}

// Latest is the latest settle-or-defend decision, if any.
func (l Litigation) Latest() *Decision {
	if len(l.Decisions) == 0 {
		return nil
	}
	return &l.Decisions[len(l.Decisions)-1]
}

// Approved is the authority approved for money (damages or costs): the
// largest approved amount.
func (l Litigation) Approved(money string) (pence int64, level string, ok bool) {
	for _, a := range l.Authority {
		if a.Money == money && a.State == "approved" && a.AmountPence >= pence {
			pence, level, ok = a.AmountPence, a.Level, true
		}
	}
	return pence, level, ok
}

// Briefed reports whether anyone was told of the interest.
func (l Litigation) Briefed(interest string) bool {
	return slices.ContainsFunc(l.Briefings, func(b Briefing) bool { return b.Interest == interest })
}

func (l *Litigation) offer(id int64) *Offer {
	for i := range l.Offers {
		if l.Offers[i].ID == id {
			return &l.Offers[i]
		}
	}
	return nil
}

// applyLitigation folds a litigation event into the state; false for
// other kinds.
func (st *CaseState) applyLitigation(e Event) bool {
	l := &st.Litigation
	d := e.Data.Litigation
	if d == nil {
		d = &LitigationData{}
	}
	switch e.Kind {
	case EventSideSet:
		l.Side = d.Side
	case EventPart36Made:
		l.Offers = append(l.Offers, Offer{ID: e.ID, Way: d.Way, By: d.By, AmountPence: d.AmountPence, Terms: d.Terms,
			Served: d.Served, ServedHow: d.ServedHow, Days: d.Days, State: "open"})
	case EventPart36Accepted:
		if o := l.offer(e.Data.Refers); o != nil {
			o.State, o.StateOn = "accepted", e.On
		}
	case EventPart36Withdrawn:
		// Notice served before the relevant period ends has effect when it ends (CPR 36.10(2)(a)): Due holds that day.
		if o := l.offer(e.Data.Refers); o != nil {
			o.State, o.StateOn = "withdrawn", later(e.On, e.Data.Due)
		}
	case EventPart36Changed:
		if o := l.offer(e.Data.Refers); o != nil {
			o.Changes = append(o.Changes, e.On.UK()+": "+e.Detail)
			if d.AmountPence > 0 {
				o.AmountPence = d.AmountPence
			}
			if d.Terms != "" {
				o.Terms = d.Terms
			}
			// A change is a new offer for the relevant period (CPR 36.9(5)): it runs again from service of the change.
			if !d.Served.IsZero() {
				o.Served, o.ServedHow = d.Served, d.ServedHow
			}
			if d.Days > 0 {
				o.Days = d.Days
			}
		}
	case EventDecision:
		l.Decisions = append(l.Decisions, Decision{ID: e.ID, Decision: d.Decision, Reasons: e.Data.Text, Stage: d.Stage,
			ProposedBy: e.User, On: e.On})
	case EventDecisionApproved:
		for i := range l.Decisions {
			if l.Decisions[i].ID == e.Data.Refers {
				l.Decisions[i].ApprovedBy, l.Decisions[i].ApprovedOn = e.User, e.On
			}
		}
	case EventAuthorityRequested:
		l.Authority = append(l.Authority, AuthorityRequest{ID: e.ID, AmountPence: d.AmountPence, Money: d.Money,
			Level: d.Level, By: e.User, On: e.On, State: "pending", Note: e.Data.Text})
	case EventAuthorityApproved, EventAuthorityRefused:
		for i := range l.Authority {
			if a := &l.Authority[i]; a.ID == e.Data.Refers {
				a.State, a.DecidedBy, a.DecidedOn = map[string]string{EventAuthorityApproved: "approved", EventAuthorityRefused: "refused"}[e.Kind], e.User, e.On
			}
		}
	case EventSettled:
		l.SettledPence = [2]int64{d.AmountPence, d.CostsPence}
		l.Outcome, l.OutcomeStage, l.OutcomeOn = "settled", d.Stage, e.On
		st.Status = StatusClosed
	case EventInstructed:
		l.Instructions = append(l.Instructions, Instruction{ID: e.ID, On: e.On, To: e.Data.To, Asked: e.Data.Text, Due: e.Data.Due})
	case EventInstructionAnswered:
		for i := range l.Instructions {
			if in := &l.Instructions[i]; in.ID == e.Data.Refers {
				in.Answered, in.Answer = e.On, e.Data.Text
			}
		}
	case EventTimeRequested:
		l.TimeRequests = append(l.TimeRequests, TimeRequest{ID: e.ID, Deadline: e.Data.Deadline, Days: d.Days, On: e.On,
			Explanation: e.Data.Text, FirmDate: e.Data.Due, Repeat: d.Repeat, Agreed: d.Agreed})
	case EventBriefed:
		l.Briefings = append(l.Briefings, Briefing{Interest: d.Interest, Told: d.By, On: e.On})
	case EventOutcome:
		l.Outcome, l.OutcomeStage, l.OutcomeOn = d.Outcome, d.Stage, e.On
		st.Status = StatusClosed
	default:
		return false
	}
	return true
}

// SideOf is the side a case is held from: its own, else the pack's, else
// the court's.
func (p *RulePack) SideOf(st CaseState) string {
	switch {
	case st.Litigation.Side != "":
		return st.Litigation.Side
	case p.Side != "":
		return p.Side
	}
	return SideCourt
}

// Watched reports whether a deadline is the other side's step, shown to a
// party's caseworker as something to watch rather than to do: from the
// defendant's side, the claimant's (or appellant's) steps.
func Watched(side, party string) bool {
	if side != SideDefendant {
		return false
	}
	switch party {
	case "claimant", "appellant", "offeree-claimant":
		return true
	}
	return false
}

// QueueTitle names the queue of new work from the side a caseload is held.
func QueueTitle(side string) string {
	if side == SideDefendant {
		return "letters before claim and claims served, to triage"
	}
	return "new notices to categorise"
}

func (p *RulePack) validateLitigation() error {
	switch p.Side {
	case "", SideCourt, SideDefendant:
	default:
		return fmt.Errorf("side must be %q or %q, not %q", SideCourt, SideDefendant, p.Side)
	}
	if a := p.AgreedExtension; a.Deadline != "" && (a.MaxDays <= 0 || a.Citation == "") {
		return fmt.Errorf("agreed_extension: max_days and citation are required")
	}
	for i, d := range p.DeadlineRules {
		if d.IfEvent != "" && d.IfEvent == d.UnlessEvent {
			return fmt.Errorf("deadline %d (%s): if_event and unless_event cannot name the same event", i+1, d.Kind)
		}
	}
	return nil
}

// Deadline kinds the litigation records add.
const (
	KindPart36      = "part36:"      // + offer id: the relevant period ends
	KindInstruction = "instruction:" // + instruction id: the lawyers' response
	KindFirmDate    = "time-request:"
)

// litigationDeadlines adds the end of each Part 36 offer's relevant
// period and the response due to each instruction, and applies extensions
// agreed between the parties (CPR 15.5) to the deadline they extend.
func (p *RulePack) litigationDeadlines(cal *Calendar, st CaseState, out []Deadline) []Deadline {
	l := st.Litigation
	if ae := p.AgreedExtension; ae.Deadline != "" {
		days := 0
		for _, t := range l.TimeRequests {
			if t.Agreed && t.Deadline == ae.Deadline {
				days += t.Days
			}
		}
		if days > 0 {
			for i := range out {
				d := &out[i]
				if d.Kind != ae.Deadline {
					continue
				}
				// The agreement extends the period (CPR 15.5(1)): count the longer period from the same anchor.
				r := DeadlineRule{Days: d.Days + days}
				due, moved, prov := p.Count(cal, d.Anchor, r)
				d.PreviousDue = append(d.PreviousDue, d.Due)
				d.Due, d.Provisional, d.Days = due, prov, d.Days+days
				d.Moved = strings.TrimSuffix(fmt.Sprintf("extended by %s agreed between the parties (%s); ", plural(days, "day"), ae.Citation)+moved, "; ")
			}
		}
	}
	for _, o := range l.Offers {
		if o.Served.IsZero() {
			continue
		}
		// Not optional: the end of the period decides costs (CPR 36.13, 36.17), so it shows in the inbox, as the
		// side's own decision (an offer received) or a step to watch (an offer made).
		// The relevant period runs from service of the offer (CPR 36.7): "N days" after it, counted as CPR 2.8
		// counts periods in days; acceptance is served on the offeror, not filed, so CPR 2.8(5) does not move it.
		off := false
		due, moved, prov := p.Count(cal, o.Served, DeadlineRule{Days: o.Days, CourtOffice: &off})
		party := "defendant"
		if o.Way == "made" {
			party = "offeree-claimant"
		}
		d := Deadline{Kind: KindPart36 + strconv.FormatInt(o.ID, 10),
			Label: fmt.Sprintf("Part 36 offer %s: relevant period ends", offerName(o)), Party: party, Due: due,
			Rule: "CPR 36.5(1)(c)", Provisional: prov, Status: DeadlineOpen, Anchor: o.Served, Days: o.Days,
			Moved:    moved,
			Citation: fmt.Sprintf("CPR 36.5(1)(c): a relevant period of not less than 21 days (this offer: %d) from service (CPR 36.7) [P]", o.Days)}
		if o.State != "open" {
			d.Status, d.MetOn = DeadlineMet, o.StateOn
		}
		out = append(out, d)
	}
	for _, in := range l.Instructions {
		if in.Due.IsZero() {
			continue
		}
		d := Deadline{Kind: KindInstruction + strconv.FormatInt(in.ID, 10),
			Label: "Response to instruction: " + firstLine(in.Asked, 50), Party: "lawyers", Due: in.Due, Rule: "instruction",
			Status: DeadlineOpen, Anchor: in.On, Days: in.On.DaysUntil(in.Due),
			Citation: "the response date given in the instruction to " + orDash(in.To)}
		if !in.Answered.IsZero() {
			d.Status, d.MetOn = DeadlineMet, in.Answered
		}
		out = append(out, d)
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "the government's lawyers"
	}
	return s
}

func offerName(o Offer) string {
	what := o.Terms
	if o.AmountPence > 0 {
		what = FormatPence(o.AmountPence)
		if o.Terms != "" {
			what += " (" + o.Terms + ")"
		}
	}
	by := o.By
	if by == "" {
		by = map[string]string{"made": "our side", "received": "the other side"}[o.Way]
	}
	return fmt.Sprintf("%s by %s, %s", o.Way, by, firstLine(what, 40))
}

// PeriodEnds is the last day of an offer's relevant period, counted as
// the register's deadline is.
func (p *RulePack) PeriodEnds(cal *Calendar, o Offer) Date {
	off := false
	due, _, _ := p.Count(cal, o.Served, DeadlineRule{Days: o.Days, CourtOffice: &off})
	return due
}

// OfferState says where an offer stands on a day: accepted or withdrawn
// (with the date), open while its relevant period runs, or expired once
// the period has ended with the offer neither accepted nor withdrawn (it
// stays open for acceptance: CPR 36.11(2); the period decides costs).
func OfferState(o Offer, today, periodEnds Date) string {
	switch {
	case o.State == "withdrawn" && !today.After(o.StateOn) && o.StateOn.Equal(periodEnds):
		return "open" // a withdrawal served within the relevant period has effect when it ends (CPR 36.10(2)(a))
	case o.State != "open":
		return o.State
	case today.After(periodEnds):
		return "expired"
	}
	return "open"
}

// RevisitFrom is the stage the latest settle-or-defend decision was made
// at when the case has moved on to another stage since and is still open:
// the decision is revisited at each stage. "" when there is nothing to
// revisit.
func RevisitFrom(st CaseState) Track {
	dec := st.Litigation.Latest()
	if dec == nil || dec.Stage == st.Track || !st.Status.Open() {
		return ""
	}
	return dec.Stage
}
