package domain

// JudicialReview reports whether the pack's cases are judicial reviews,
// triaged by stage rather than allocated to a track: the one place this is
// decided (a pack that offers no Standard track is one).
func (p *RulePack) JudicialReview() bool { return p != nil && !p.Offers(Standard) }

// Wording is what a pack calls the parties and dates of its cases.
type Wording struct {
	Appellant, Respondent string // "Appellant"/"Respondent", or "Claimant"/"Defendant"
	Decision              string // "Decision", or "Grounds arose"
	Allocation            string // "track", or "stage"
}

// Words is the pack's wording.
func (p *RulePack) Words() Wording {
	if p.JudicialReview() {
		return Wording{Appellant: "Claimant", Respondent: "Defendant", Decision: "Grounds arose", Allocation: "stage"}
	}
	return Wording{Appellant: "Appellant", Respondent: "Respondent", Decision: "Decision", Allocation: "track"}
}
