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

// Tracks lists the tracks in the order the UI offers them.
var Tracks = []Track{Paper, Basic, Standard, Complex}

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
	}
	return string(t)
}

// ParseTrack accepts a track code or its label, in any case.
func ParseTrack(s string) (Track, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for _, t := range Tracks {
		if k == string(t) || k == strings.ToLower(t.Label()) {
			return t, nil
		}
	}
	return "", fmt.Errorf("%q is not a track: use paper, basic, standard or complex", clip(s))
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
