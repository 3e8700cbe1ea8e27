package domain

import (
	"fmt"
	"strings"
)

// Subject is what an appeal is about, from a fixed vocabulary so that the
// rule pack can reason about it.
type Subject string

// Subjects in the order they are offered, each with the label a caseworker reads.
var subjects = []struct {
	code  Subject
	label string
}{
	{"late-filing-penalty", "Late filing penalty"},
	{"late-payment-penalty", "Late payment penalty"},
	{"late-notification-penalty", "Late notification penalty"},
	{"daily-penalty", "Daily penalty"},
	{"surcharge", "Surcharge"},
	{"inaccuracy-penalty", "Inaccuracy penalty"},
	{"deliberate-inaccuracy-penalty", "Deliberate inaccuracy penalty"},
	{"information-notice", "Information notice"},
	{"cis-gross-payment-status", "CIS gross payment status"},
	{"income-tax", "Income tax"},
	{"corporation-tax", "Corporation tax"},
	{"vat", "VAT"},
	{"customs-duty", "Customs duty"},
	{"excise-duty", "Excise duty"},
	{"capital-gains-tax", "Capital gains tax"},
	{"inheritance-tax", "Inheritance tax"},
	{"stamp-duty-land-tax", "Stamp duty land tax"},
	{"national-insurance", "National insurance"},
	{"paye-coding-notice", "PAYE coding notice"},
	{"restoration", "Restoration"},
	{"other", "Other"},
	// Judicial review: what the claim challenges decides its time limit
	// (CPR 54.5: planning 6 weeks, procurement 30 days, otherwise 3 months).
	{"judicial-review", "Judicial review"},
	{"planning-jr", "Planning judicial review"},
	{"procurement-jr", "Procurement judicial review"},
	{"immigration-jr", "Immigration judicial review"},
	// Litigation (issue 19): damages claims under CPR Part 7 and appeals
	// to the Court of Appeal and the Supreme Court.
	{"damages-claim", "Damages claim"},
	{"civil-appeal", "Civil appeal"},
	{"immigration-appeal", "Immigration appeal (from the Upper Tribunal)"},
}

// subjectKey folds a subject as typed: lower case, spaces and underscores
// as hyphens.
func subjectKey(s string) string {
	return subjectFold.Replace(strings.ToLower(strings.TrimSpace(s)))
}

var subjectFold = strings.NewReplacer(" ", "-", "_", "-")

// subjectKeys finds a subject by its code or its label, folded. Built once:
// an import parses a subject a row.
var subjectKeys = func() map[string]Subject {
	m := map[string]Subject{}
	for _, x := range subjects {
		m[subjectKey(string(x.code))] = x.code
		m[subjectKey(x.label)] = x.code
	}
	return m
}()

// Label is the human name of the subject.
func (s Subject) Label() string {
	for _, x := range subjects {
		if x.code == s {
			return x.label
		}
	}
	return string(s)
}

// ParseSubject accepts a subject code or its label, ignoring case, spaces
// versus hyphens and underscores.
func ParseSubject(s string) (Subject, error) {
	k := subjectKey(s)
	if code, ok := subjectKeys[k]; ok {
		return code, nil
	}
	if k == "" {
		return "", fmt.Errorf("missing: give a subject such as vat or late-filing-penalty")
	}
	return "", fmt.Errorf("%q is not a known subject (see `caseload rules` for the list)", clip(s))
}
