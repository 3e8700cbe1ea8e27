package domain

import (
	"fmt"
	"slices"
	"strings"
)

// ComplaintLevels are the working days HMCTS's published complaints
// procedure gives each stage, and are settings ([queries.complaints]).
// Source: GOV.UK, "HM Courts & Tribunals Service: Complaints procedure"
// (gov.uk/government/organisations/hm-courts-and-tribunals-service/about/complaints-procedure)
// [S]: a complaint "should normally receive a response within 10 working
// days"; on a request for review the senior manager "should reply within
// 10 working days"; on appeal the Customer Investigations Team "will try to
// reply within 15 working days". The page is guidance, not law, and its
// wording has changed over the years: treat the numbers as published
// defaults, not limits.
type ComplaintLevels struct {
	Stage1 int `toml:"stage1"` // the office's response
	Stage2 int `toml:"stage2"` // a senior manager's review
	Stage3 int `toml:"stage3"` // the Customer Investigations Team's appeal
}

// DefaultComplaintLevels are the GOV.UK published figures: 10, 10, 15.
func DefaultComplaintLevels() ComplaintLevels {
	return ComplaintLevels{Stage1: 10, Stage2: 10, Stage3: 15}
}

// Days is a stage's service level in working days (0 for no such stage).
func (l ComplaintLevels) Days(stage int) int {
	switch stage {
	case 1:
		return l.Stage1
	case 2:
		return l.Stage2
	case 3:
		return l.Stage3
	}
	return 0
}

// StageName says what a stage is.
func StageName(stage int) string {
	switch stage {
	case 1:
		return "stage 1: response from the office"
	case 2:
		return "stage 2: review by a senior manager"
	case 3:
		return "stage 3: appeal to the Customer Investigations Team"
	}
	return fmt.Sprintf("stage %d", stage)
}

// Complaint outcomes.
const (
	OutcomeUpheld    = "upheld"
	OutcomePartly    = "partly-upheld"
	OutcomeNotUpheld = "not-upheld"
	OutcomeWithdrawn = "withdrawn"
)

// Outcomes lists the outcomes a response records.
var Outcomes = []string{OutcomeUpheld, OutcomePartly, OutcomeNotUpheld, OutcomeWithdrawn}

// Complaint is the part of a query that is a complaint: the stage it has
// reached, the day that stage is due, and the response to it.
type Complaint struct {
	Stage       int    `json:"stage"`
	StageFrom   Date   `json:"stage_from"` // the day the stage began (the complaint, or the request for review)
	Due         Date   `json:"due"`
	Rule        string `json:"rule"`
	Outcome     string `json:"outcome,omitempty"`
	Response    string `json:"response,omitempty"`
	RespondedOn Date   `json:"responded_on,omitzero"`
}

// Responded reports whether the current stage has its response.
func (c *Complaint) Responded() bool { return c != nil && !c.RespondedOn.IsZero() && c.Response != "" }

// StartComplaint opens a stage of a complaint on a day.
func StartComplaint(l ComplaintLevels, cal *Calendar, stage int, from Date) (Complaint, error) {
	n := l.Days(stage)
	if n == 0 {
		return Complaint{}, fmt.Errorf("stage: %d is not a stage of the complaints procedure (1, 2 or 3)", stage)
	}
	return Complaint{Stage: stage, StageFrom: from, Due: cal.AddWorkingDays(from, n),
		Rule: fmt.Sprintf("complaints procedure %s: %s [S, GOV.UK]", StageName(stage), plural(n, "working day"))}, nil
}

// Escalate moves a complaint answered at one stage to the next, from the
// day the complainant asked. Only an answered stage can be escalated: the
// review looks at the response.
func (c Complaint) Escalate(l ComplaintLevels, cal *Calendar, on Date) (Complaint, error) {
	if !c.Responded() {
		return c, fmt.Errorf("%s has no response yet: respond before the complaint goes to the next stage", StageName(c.Stage))
	}
	if c.Stage >= 3 {
		return c, fmt.Errorf("the complaint has been through every stage; the complainant may ask their MP to refer it to the Parliamentary and Health Service Ombudsman")
	}
	return StartComplaint(l, cal, c.Stage+1, on)
}

// Respond records the response to the current stage.
func (c Complaint) Respond(outcome, response string, on Date) (Complaint, error) {
	if !slices.Contains(Outcomes, outcome) {
		return c, fmt.Errorf("outcome: %q is not an outcome (use %s)", clip(outcome), strings.Join(Outcomes, ", "))
	}
	if strings.TrimSpace(response) == "" {
		return c, fmt.Errorf("response: say in a line what the response said")
	}
	if on.Before(c.StageFrom) {
		return c, fmt.Errorf("date: %s is before the stage began (%s)", on.UK(), c.StageFrom.UK())
	}
	c.Outcome, c.Response, c.RespondedOn = outcome, strings.TrimSpace(response), on
	return c, nil
}
