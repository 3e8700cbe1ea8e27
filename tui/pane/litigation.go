package pane

import (
	"fmt"
	"strings"

	"github.com/caseload/caseload/domain"
)

// litigationLines draw the party's side of the case (issue 19): the side
// it is held from, the Part 36 register with each offer's number (what
// ": part36 accept N" names), settle-or-defend decisions and whether one
// is to be revisited, authority, instructions, time asked and briefings.
// A case held from the court's side with none of these shows nothing.
func (m Model) litigationLines(out *[]string, w int) {
	v := m.lit
	if v == nil {
		return
	}
	records := len(v.Offers) + len(v.Decisions) + len(v.Authority) + len(v.Instructions) + len(v.TimeRequests) + len(v.Briefings)
	if v.Side != domain.SideDefendant && records == 0 && v.Outcome == "" {
		return
	}
	st := m.d.Styles
	*out = append(*out, "", st.Title.Render("Litigation"))
	text(out, fmt.Sprintf("Held from the %s's side, stage %s", v.Side, v.Stage.Label()), w)
	if v.Outcome != "" {
		text(out, fmt.Sprintf("Outcome: %s at %s", v.Outcome, v.OutcomeStage.Label()), w)
	}
	if len(v.Offers) > 0 {
		*out = append(*out, st.Label.Render("  Part 36 offers (CPR 36)"))
	}
	for _, o := range v.Offers {
		what := strings.TrimSpace(o.Amount + " " + o.Terms)
		by := o.By
		if by == "" {
			by = map[string]string{"made": "our side", "received": "the other side"}[o.Way]
		}
		text(out, fmt.Sprintf("%d  %s by %s: %s; served %s, %d days, ends %s; %s", o.ID, o.Way, by, what,
			o.Served.UK(), o.Days, o.PeriodEnds.UK(), o.State), w)
	}
	if len(v.Decisions) > 0 {
		*out = append(*out, st.Label.Render("  Settle or defend"))
	}
	for _, d := range v.Decisions {
		approved := "not yet approved"
		if d.ApprovedBy != "" {
			approved = "approved by " + d.ApprovedBy + " " + d.ApprovedOn.UK()
		}
		text(out, fmt.Sprintf("%s  %s at %s, proposed by %s; %s: %s", d.On.UK(), d.Decision, d.Stage.Label(), d.ProposedBy, approved, d.Reasons), w)
	}
	if v.Revisit {
		for _, l := range wrap(fmt.Sprintf("! the case is now at %s: revisit the decision (: decision propose settle|defend REASONS)", v.Stage.Label()), w-4) {
			*out = append(*out, st.Late.Render("    "+l))
		}
	}
	for _, a := range v.Authority {
		by := ""
		if a.DecidedBy != "" {
			by = " by " + a.DecidedBy + " " + a.DecidedOn.UK()
		}
		text(out, fmt.Sprintf("Authority %d: %s up to %s, level %s, %s%s", a.ID, a.Money, domain.FormatPence(a.AmountPence), a.Level, a.State, by), w)
	}
	for _, in := range v.Instructions {
		state := "response due " + in.Due.UK()
		switch {
		case !in.Answered.IsZero():
			state = "answered " + in.Answered.UK()
		case in.Due.IsZero():
			state = "no response date"
		}
		text(out, fmt.Sprintf("Instruction %d to %s, %s: %s (%s)", in.ID, in.To, in.On.UK(), in.Asked, state), w)
	}
	for _, t := range v.TimeRequests {
		more := ""
		if t.Repeat {
			more = ", repeated, firm date " + t.FirmDate.UK()
		}
		if t.Agreed {
			more += ", agreed"
		}
		text(out, fmt.Sprintf("More time asked %s: %d days for %s%s", t.On.UK(), t.Days, strings.ReplaceAll(t.Deadline, "_", " "), more), w)
	}
	for _, b := range v.Briefings {
		text(out, fmt.Sprintf("Briefed (%s interest): %s on %s", b.Interest, b.Told, b.On.UK()), w)
	}
}
