package domain

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Event kinds. History is append-only: a mistake is put right by a further
// event (an undo), never by changing or deleting one.
const (
	EventReceived         = "received"          // notice of appeal received (imported)
	EventAllocated        = "allocated"         // categorised to a track (r23)
	EventAllocationUndone = "allocation-undone" // compensates an allocation
	EventStatementOfCase  = "statement-of-case" // respondent sent its statement of case (r25)
	EventAppellantReply   = "appellant-reply"   // Default Paper reply (r26)
	EventListsOfDocuments = "lists-of-documents"
	EventCostsOptOut      = "costs-opt-out" // r10(1)(c)
	EventNote             = "note"
)

// Event is one entry on a case's timeline.
type Event struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`   // when it was recorded
	On     Date      `json:"on"`   // the date it takes effect (a statement sent on, an allocation made on)
	Kind   string    `json:"kind"` // one of the Event* kinds
	User   string    `json:"user"`
	Detail string    `json:"detail"` // one line a person reads on the timeline
	Data   EventData `json:"data,omitzero"`
}

// EventData holds the structured part of an event; which fields are set
// depends on the kind.
type EventData struct {
	Track     Track  `json:"track,omitempty"`     // allocated: the track chosen
	Previous  Track  `json:"previous,omitempty"`  // allocated: the track before, if any
	Suggested Track  `json:"suggested,omitempty"` // allocated: what caseload suggested
	Override  bool   `json:"override,omitempty"`  // allocated: chosen track differs from the suggestion
	Reason    string `json:"reason,omitempty"`    // re-allocation reason
	Undoes    int64  `json:"undoes,omitempty"`    // allocation-undone, snooze-undone, undone: the event compensated
	Text      string `json:"text,omitempty"`      // note text
	Source    string `json:"source,omitempty"`    // received: file it was imported from

	// Casework (see casework.go for which kinds use which).
	Reasons  []string `json:"reasons,omitempty"`  // returned: checklist items or other reason codes
	Deadline string   `json:"deadline,omitempty"` // extension-*: the deadline kind concerned
	Party    string   `json:"party,omitempty"`    // who must act, asked, or confirmed: appellant, respondent, both
	Days     int      `json:"days,omitempty"`     // extension-requested: days asked for
	Due      Date     `json:"due,omitzero"`       // direction, extension-granted: the date due; hearing-listed: the hearing
	Refers   int64    `json:"refers,omitempty"`   // the earlier event this one answers (a direction complied with, ...)
	To       string   `json:"to,omitempty"`       // referred: registrar or judge
	Venue    string   `json:"venue,omitempty"`    // hearing-listed
	Flag     string   `json:"flag,omitempty"`     // flag-set, flag-cleared
	Lead     string   `json:"lead,omitempty"`     // stayed: the lead case's reference
	Group    string   `json:"group,omitempty"`    // lead-case, stayed: the group's name
	Channel  string   `json:"channel,omitempty"`  // correspondence: phone, email, letter
	Way      string   `json:"way,omitempty"`      // correspondence: in or out
	Item     string   `json:"item,omitempty"`     // checklist: the item ticked
	Done     bool     `json:"done,omitempty"`     // checklist: ticked (true) or marked missing
	Mail     int64    `json:"mail,omitempty"`     // correspondence: the inbox message it records

	// Service and filing (see service.go). Method is how a document was
	// served (first-class-post, dx, delivered, email, fax, personal); Time
	// the time of day it was sent or done (HH:MM), which decides deemed
	// service before or after 4.30pm (CPR 6.26) and whether an act was done
	// by 5pm (UT r12(1)). Without a method the event's date is the date of
	// service, as before.
	Method string `json:"method,omitempty"`
	Time   string `json:"time,omitempty"`
	// TotallyWithoutMerit: a refusal of permission recorded as totally
	// without merit, which cannot be renewed (CPR 54.12(7); UT r30(4A)).
	TotallyWithoutMerit bool `json:"totally_without_merit,omitempty"`
	// Counted says how a direction's due date was counted (--days N).
	Counted string `json:"counted,omitempty"`
	// Force: a hearing listed on a non-working day on purpose, with Reason.
	Force  bool  `json:"force,omitempty"`
	Letter int64 `json:"letter,omitempty"` // correspondence out: the saved letter
	// Litigation: the party's side of a case (litigation.go): Part 36
	// offers, settle-or-defend decisions, financial authority,
	// instructions, time requests, briefings and outcomes.
	Litigation *LitigationData `json:"litigation,omitempty"`

	// Batch is the bulk action the event was one of (the batch's id: the
	// first event id free when it began), so one undo compensates them all.
	Batch int64 `json:"batch,omitempty"`
	// UndoesBatch is the batch an undo of bulk work compensated.
	UndoesBatch int64 `json:"undoes_batch,omitempty"`
}

// IsZero lets encoding/json omit empty data.
func (d EventData) IsZero() bool { return reflect.ValueOf(d).IsZero() }

// CaseState is what a case's events add up to.
type CaseState struct {
	Status      Status
	Track       Track
	AllocatedOn Date // date of the current allocation
	NoticeSent  Date // date of the first allocation still standing: the notice went to the respondent
	AllocatedBy int64
	Occurred    map[string]Date // latest date of each other event kind (statement-of-case, ...)
	LastEvent   Date
	// Subject is the case's subject, set by the caller (it is on the case,
	// not in its events): some limits depend on it.
	Subject Subject
	// TotallyWithoutMerit: permission was refused as totally without merit.
	TotallyWithoutMerit bool
	// Deemed explains, by event kind, a date counted from deemed service
	// rather than the day the step was taken.
	Deemed map[string]string
	Casework
	// Litigation is the party's side of the case (litigation.go).
	Litigation Litigation
}

// Replay folds events, oldest first, into the case's state. Undone
// allocations are skipped as if they had not happened, which is what the
// compensating event means.
func Replay(events []Event) CaseState {
	undone := UndoneIDs(events)
	st := CaseState{Status: StatusNew, Occurred: map[string]Date{}, Casework: newCasework()}
	for _, e := range events {
		// A snooze is a trace of the inbox, not activity on the case: it
		// must not make an old case look progressed.
		if IsTrace(e.Kind) {
			continue
		}
		// An action taken back with the general undo (and the undo
		// itself) is no activity either: an undone "progressed" leaves the
		// case as old as it was. (An undone allocation kept its date, as
		// it always has, so stored cases replay the same.)
		if e.Kind == EventUndone || undone[e.ID] == EventUndone {
			continue
		}
		if e.On.After(st.LastEvent) {
			st.LastEvent = e.On
		}
		if undone[e.ID] != "" {
			continue
		}
		switch e.Kind {
		case EventReceived, EventAllocationUndone, EventReferralWithdrawn, EventNote:
		case EventAllocated:
			st.Track = e.Data.Track
			st.AllocatedOn = e.On
			st.AllocatedBy = e.ID
			if st.NoticeSent.IsZero() {
				st.NoticeSent = e.On
			}
			if st.Status == StatusNew || st.Status == StatusAllocated {
				st.Status = StatusAllocated
			}
		default:
			if st.applyLitigation(e) {
				break
			}
			if !st.applyCasework(e) {
				st.Occurred[e.Kind] = e.On
			}
			if e.Data.TotallyWithoutMerit {
				st.TotallyWithoutMerit = true
			}
		}
	}
	return st
}

// Deadlines derives every deadline of a case from its state under the pack.
// They are stored so that "what is due" is an index scan, and `caseload
// check` recomputes them to prove the stored ones match the events.
func (p *RulePack) Deadlines(cal *Calendar, st CaseState) []Deadline {
	var out []Deadline
	for _, r := range p.DeadlineRules {
		if len(r.Tracks) > 0 && !slices.Contains(r.Tracks, st.Track) {
			continue
		}
		if len(r.Subjects) > 0 && !slices.Contains(r.Subjects, st.Subject) ||
			slices.Contains(r.ExceptSubjects, st.Subject) {
			continue
		}
		var anchor Date
		switch r.Anchor {
		case "notice-sent":
			anchor = st.NoticeSent
		case "allocated":
			anchor = st.AllocatedOn
		default:
			anchor = st.Occurred[r.Anchor]
		}
		if anchor.IsZero() {
			continue
		}
		if r.NotIfTotallyWithoutMerit && st.TotallyWithoutMerit {
			continue
		}
		if _, ok := st.Occurred[r.IfEvent]; r.IfEvent != "" && !ok {
			continue
		}
		if _, ok := st.Occurred[r.UnlessEvent]; r.UnlessEvent != "" && ok {
			continue
		}
		due, moved, prov := p.Count(cal, anchor, r)
		if why := st.Deemed[r.Anchor]; why != "" {
			moved = strings.TrimSuffix(why+"; "+moved, "; ")
		}
		d := Deadline{
			Kind: r.Kind, Label: r.Label, Party: r.Party, Due: due, Rule: r.Rule,
			Provisional: prov, Optional: r.Optional, Status: DeadlineOpen,
			Anchor: anchor, Days: anchor.DaysUntil(due), Moved: moved, Citation: r.Citation,
		}
		if r.Months > 0 || r.Weeks > 0 || r.WorkingDays > 0 || r.Counting == "clear-days-before" {
			d.Citation = r.Period() + ": " + d.Citation
		} else {
			d.Days = r.Days
		}
		if r.WarnDays > 0 {
			d.Warn, d.Warning = due.AddDays(-r.WarnDays), r.Warning
		}
		for _, by := range append([]string{r.MetBy}, r.MetAlsoBy...) {
			if met, ok := st.Occurred[by]; ok && by != "" {
				d.Status, d.MetOn = DeadlineMet, met
				break
			}
		}
		out = append(out, d)
	}
	out = append(out, p.caseworkDeadlines(cal, st)...)
	out = p.litigationDeadlines(cal, st, out)
	for i := range out {
		d := &out[i]
		// A granted extension of time moves the date; the deadline keeps the
		// dates it had before (r5(3)(a)).
		for _, ext := range st.Extensions[d.Kind] {
			if ext.Status == "granted" && !ext.NewDue.IsZero() {
				d.PreviousDue = append(d.PreviousDue, d.Due)
				d.Due, d.Moved = ext.NewDue, "time extended on "+ext.DecidedOn.UK()+" ("+p.Citations().ExtensionRule+")"
				d.Provisional = false
			}
		}
		// A case that is closed, returned or stayed owes nothing meanwhile.
		if d.Status == DeadlineOpen && st.Status != StatusAllocated && st.Status != StatusNew {
			d.Status = DeadlineStopped
		}
	}
	return out
}

// Stage applies the pack's stage_after table: the track (stage) is that
// of the latest of the caseworker's allocation and the events that move a
// case on; on the same day the later stage wins. A closed case is
// concluded when the pack has that stage.
func (p *RulePack) Stage(st CaseState) Track {
	if len(p.StageAfter) == 0 {
		return st.Track
	}
	if st.Status == StatusClosed && p.Offers(Concluded) {
		return Concluded
	}
	best, on := st.Track, st.AllocatedOn
	for ev, stage := range p.StageAfter {
		d, ok := st.Occurred[ev]
		if !ok {
			continue
		}
		if d.After(on) || d.Equal(on) && slices.Index(p.Tracks, stage) > slices.Index(p.Tracks, best) {
			best, on = stage, d
		}
	}
	return best
}

// AnchorEvents lists the event kinds a caseworker can record with
// `caseload event`: those the pack counts from or closes deadlines with.
func (p *RulePack) AnchorEvents() []string {
	var out []string
	add := func(k string) {
		if k != "" && k != "notice-sent" && k != "allocated" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, r := range p.DeadlineRules {
		add(r.Anchor)
		add(r.MetBy)
		for _, k := range r.MetAlsoBy {
			add(k)
		}
	}
	for _, ev := range slices.Sorted(maps.Keys(p.StageAfter)) {
		if ev != EventDisposed {
			add(ev)
		}
	}
	return out
}

// Describe gives the timeline line for an allocation.
func DescribeAllocation(d EventData) string {
	s := "allocated to " + d.Track.Label()
	if d.Previous != "" {
		s = fmt.Sprintf("re-allocated from %s to %s", d.Previous.Label(), d.Track.Label())
	}
	if d.Override {
		s += fmt.Sprintf(" (suggestion was %s)", d.Suggested.Label())
	} else if d.Suggested != "" {
		s += " (as suggested)"
	}
	if d.Reason != "" {
		s += ": " + d.Reason
	}
	return s
}
