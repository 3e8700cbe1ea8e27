package domain

import (
	"fmt"
	"slices"
	"strings"
)

// SupportCode is one of the HMCTS reference codes for a party's support
// needs (the "case flags" of the common platform).
type SupportCode struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	// Kind groups codes for reports: reasonable-adjustment, language,
	// confidential-address, assisted-digital.
	Kind string `json:"kind"`
}

// AssistedDigital is caseload's own code for assisted digital support:
// HMCTS's reference data holds no code for it that we could confirm [U],
// so it is prefixed CL (caseload) to keep it apart from HMCTS's codes.
const AssistedDigital = "CL-AD01"

// SupportCodes are the party flags an officer can record.
//
// RA0001–RA0047 and their wording are HMCTS's reasonable adjustment flag
// codes as used in HMCTS's own services: hmcts/sscs-tribunals-case-api,
// src/main/java/uk/gov/hmcts/reform/sscs/model/hmc/reference/Adjustment.java
// [S]; the same repository's FlagCodes.java gives PF0015 "Language
// Interpreter" and PF0004 "Confidential address" [S]. The published
// reference data service holds the authoritative list [U: not read].
var SupportCodes = func() []SupportCode {
	ra := []string{
		"Reasonable adjustment",
		"Documents in an alternative format",
		"Help with forms",
		"Adjustments to get to, into and around buildings",
		"Bringing support to a hearing",
		"Something to feel comfortable during a hearing",
		"A certain type of hearing",
		"Help communicating and understanding",
		"Hearing enhancement system (hearing or induction loop, infrared receiver)",
		"Documents in a specified colour",
		"Documents in easy read format",
		"Braille documents",
		"Documents in large print",
		"Audio translation of documents",
		"Documents read out",
		"Information emailed",
		"Guidance on how to complete forms",
		"Support filling in forms",
		"Step free / wheelchair access",
		"Use of venue wheelchair",
		"Parking space close to the venue",
		"Accessible toilet",
		"Help using a lift",
		"A different type of chair",
		"Guiding in the building",
		"Support worker or carer",
		"Friend or family",
		"Assistance / guide dog",
		"Therapy animal",
		"Appropriate lighting",
		"Regular breaks",
		"Space to get up and move around",
		"Private waiting area",
		"In person hearing",
		"Video hearing",
		"Phone hearing",
		"Extra time to think and explain",
		"Intermediary",
		"Speech to text reporter (palantypist)",
		"Need to be close to who is speaking",
		"Lip speaker",
		"Sign language interpreter",
		"Hearing loop (hearing enhancement system)",
		"Infrared receiver (hearing enhancement system)",
		"Induction loop (hearing enhancement system)",
		"Visit to court or tribunal before the hearing",
		"Explanation of the court and who is in the room at the hearing",
	}
	out := make([]SupportCode, 0, len(ra)+3)
	for i, l := range ra {
		out = append(out, SupportCode{fmt.Sprintf("RA%04d", i+1), l, "reasonable-adjustment"})
	}
	return append(out,
		SupportCode{"PF0004", "Confidential address", "confidential-address"},
		SupportCode{"PF0015", "Language interpreter", "language"},
		SupportCode{AssistedDigital, "Assisted digital support", "assisted-digital"})
}()

// Short names for the codes officers use most.
var supportAliases = map[string]string{
	"sign-language": "RA0042", "bsl": "RA0042", "hearing-loop": "RA0043", "interpreter": "PF0015",
	"language": "PF0015", "confidential-address": "PF0004", "assisted-digital": AssistedDigital,
}

// LookupSupportCode finds a code by its code or a short name.
func LookupSupportCode(s string) (SupportCode, error) {
	k := strings.ToUpper(strings.TrimSpace(s))
	if a, ok := supportAliases[strings.ToLower(strings.TrimSpace(s))]; ok {
		k = a
	}
	for _, c := range SupportCodes {
		if c.Code == k {
			return c, nil
		}
	}
	return SupportCode{}, fmt.Errorf("code: %q is not a support code (RA0001–RA0047, PF0004, PF0015, %s; or sign-language, hearing-loop, interpreter, confidential-address, assisted-digital)", clip(s), AssistedDigital)
}

// SupportStatus is where a support need stands.
type SupportStatus string

const (
	SupportRequested   SupportStatus = "requested"
	SupportActive      SupportStatus = "active"
	SupportInactive    SupportStatus = "inactive"
	SupportNotApproved SupportStatus = "not-approved"
)

// supportMoves are the lifecycle's allowed steps: a request is approved
// (active) or not; an active need can lapse (inactive) and come back.
var supportMoves = map[SupportStatus][]SupportStatus{
	SupportRequested:   {SupportActive, SupportNotApproved},
	SupportActive:      {SupportInactive},
	SupportInactive:    {SupportActive},
	SupportNotApproved: {SupportRequested},
}

// ParseSupportStatus accepts a status's name.
func ParseSupportStatus(s string) (SupportStatus, error) {
	st := SupportStatus(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := supportMoves[st]; ok {
		return st, nil
	}
	return "", fmt.Errorf("%q is not a support status: use requested, active, inactive or not-approved", clip(s))
}

// CheckSupportMove says whether a need may go from one status to another.
func CheckSupportMove(from, to SupportStatus) error {
	if slices.Contains(supportMoves[from], to) {
		return nil
	}
	return fmt.Errorf("a support need that is %s cannot become %s", from, to)
}

// SupportNeed is a coded flag on a party of a case.
type SupportNeed struct {
	ID        int64         `json:"id"`
	Reference string        `json:"reference"`
	Party     string        `json:"party"` // who needs it: appellant, representative, a witness's name
	Code      string        `json:"code"`
	Label     string        `json:"label"`
	Kind      string        `json:"kind"`
	Comment   string        `json:"comment,omitempty"`
	Hearing   bool          `json:"matters_at_hearing"`
	Status    SupportStatus `json:"status"`
	Requested Date          `json:"requested"`
	Updated   Date          `json:"updated"`
	// Referral is the outcome of a referral to an assisted digital
	// support provider ("" while none is recorded).
	Referral string `json:"referral_outcome,omitempty"`
}

// Describe is the line shown on a case and queue card.
func (n SupportNeed) Describe() string {
	s := fmt.Sprintf("%s %s (%s, %s)", n.Code, n.Label, n.Party, n.Status)
	if n.Hearing {
		s += ", matters at hearing"
	}
	if n.Comment != "" {
		s += ": " + n.Comment
	}
	return s
}
