package domain

import (
	"fmt"
	"strings"
)

// Track is the First-tier Tribunal (Tax Chamber) category a case is
// allocated to under r23 of SI 2009/273.
type Track string

const (
	Paper    Track = "paper"    // Default Paper: usually decided without a hearing (r23(2)(a))
	Basic    Track = "basic"    // usually a hearing with minimal exchange of documents
	Standard Track = "standard" // detailed case management, then a hearing
	Complex  Track = "complex"  // r23(4): lengthy/complex evidence, important principle, or large sum
)

// Judicial review stages take the place of tracks in the JR rule packs:
// the caseworker's triage decision is the stage, and later events move it on
// (the pack's stage_after table).
const (
	PreAction       Track = "pre-action"       // letter before claim (Pre-Action Protocol)
	ClaimIssued     Track = "claim-issued"     // claim form issued (CPR 54.5 / UT r28)
	PermissionPaper Track = "permission-paper" // permission considered on the papers (CPR 54.11)
	PermissionOral  Track = "permission-oral"  // renewed to an oral hearing (CPR 54.12 / UT r30)
	Substantive     Track = "substantive"      // permission granted: the claim goes to a full hearing
	Concluded       Track = "concluded"        // settled, withdrawn or decided
)

// Tracks lists the Tax Chamber tracks in the order the UI offers them.
var Tracks = []Track{Paper, Basic, Standard, Complex}

// Stages lists the judicial review stages in order.
var Stages = []Track{PreAction, ClaimIssued, PermissionPaper, PermissionOral, Substantive, Concluded}

// Label is the name the Tribunal uses.
func (t Track) Label() string {
	switch t {
	case Paper:
		return "Default Paper"
	case Basic:
		return "Basic"
	case Standard:
		return "Standard"
	case Complex:
		return "Complex"
	case PreAction:
		return "Pre-action"
	case ClaimIssued:
		return "Claim issued"
	case PermissionPaper:
		return "Permission (paper)"
	case PermissionOral:
		return "Permission (oral)"
	case Substantive:
		return "Substantive"
	case Concluded:
		return "Concluded"
	}
	return litigationStageLabel(t)
}

// ParseTrack accepts a track or stage code or its label, in any case.
func ParseTrack(s string) (Track, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for _, t := range append(append(append([]Track{}, Tracks...), Stages...), LitigationStages...) {
		if k == string(t) || k == strings.ToLower(t.Label()) {
			return t, nil
		}
	}
	return "", fmt.Errorf("%q is not a track: use paper, basic, standard or complex (or a judicial review stage: %s)", clip(s), trackCodes(Stages))
}

func trackCodes(ts []Track) string {
	var out []string
	for _, t := range ts {
		out = append(out, string(t))
	}
	return strings.Join(out, ", ")
}

// Status is where a case stands.
type Status string

const (
	StatusNew       Status = "new"       // received, waiting to be categorised
	StatusAllocated Status = "allocated" // allocated to a track and progressing
	StatusReturned  Status = "returned"  // incomplete notice returned to the appellant (r20)
	StatusStayed    Status = "stayed"    // stayed behind a lead case (r18)
	StatusClosed    Status = "closed"    // disposed of: decided, withdrawn, struck out or not admitted
)

// Open reports whether a case in this status still needs work.
func (s Status) Open() bool { return s != StatusClosed && s != StatusReturned }
