package domain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// PrepareCaseworkIn checks that a casework event makes sense for the case
// as it stands and writes its timeline line, in the words and citations of
// the case's pack. It is the one place these rules live, so the command
// line and the UI refuse the same things. cal is the case's calendar: a
// direction given as a number of days is counted by the pack (CPR 2.8 in a
// court, r12 in a tribunal), and a hearing on a non-working day is refused
// unless forced with a reason; nil skips both.
func (p *RulePack) PrepareCaseworkIn(cal *Calendar, st CaseState, late bool, e *Event) error {
	d := &e.Data
	permission := p.AppealLimit.PermissionRule
	d.Text = strings.TrimSpace(d.Text)
	open := st.Status == StatusNew || st.Status == StatusAllocated || st.Status == StatusStayed
	switch e.Kind {
	case EventReturned:
		if st.Status != StatusNew {
			return fmt.Errorf("only a notice waiting in the queue can be returned (this case is %s)", st.Status)
		}
		if len(d.Reasons) == 0 {
			return errors.New("give at least one reason: a missing checklist item, no-jurisdiction, duplicate or other")
		}
		for _, r := range d.Reasons {
			if !ValidReturnReason(r) {
				return fmt.Errorf("%q is not a return reason (use %s)", r, strings.Join(returnReasonCodes(), ", "))
			}
		}
		if slices.Contains(d.Reasons, "other") && d.Text == "" {
			return errors.New("reason other needs a text saying what")
		}
		e.Detail = "notice returned to the appellant: " + strings.Join(d.Reasons, ", ") + suffix(d.Text)
	case EventReopened:
		if st.Status != StatusReturned {
			return errors.New("only a returned notice can be reopened")
		}
		e.Detail = "corrected notice resubmitted: back in the queue" + suffix(d.Text)
	case EventDisposed:
		if !open {
			return fmt.Errorf("the case is already %s", st.Status)
		}
		if d.Text == "" {
			return errors.New("say how it was disposed of (decided, withdrawn, struck out, settled)")
		}
		e.Detail = "case closed: " + d.Text
	case EventChecklist:
		if label := checklistLabel(d.Item); label == "" {
			return fmt.Errorf("%q is not a checklist item (use %s)", d.Item, strings.Join(checklistCodes(), ", "))
		} else if d.Done {
			e.Detail = "checklist: " + label + " present"
		} else {
			e.Detail = "checklist: " + label + " MISSING"
		}
	case EventPermissionRequested:
		if !late {
			return errors.New("the appeal is in time: no permission is needed")
		}
		if st.Permission == "granted" || st.Permission == "refused" {
			return fmt.Errorf("permission was already %s", st.Permission)
		}
		e.Detail = "permission to appeal late requested (" + permission + ")" + suffix(d.Text)
	case EventPermissionGranted, EventPermissionRefused:
		if !late {
			return errors.New("the appeal is in time: no permission is needed")
		}
		if st.Permission == "granted" || st.Permission == "refused" {
			return fmt.Errorf("permission was already %s", st.Permission)
		}
		if e.Kind == EventPermissionGranted {
			e.Detail = "permission to appeal late granted (" + permission + "): the case proceeds" + suffix(d.Text)
		} else {
			e.Detail = "permission to appeal late refused (" + permission + "): not admitted, case closed" + suffix(d.Text)
		}
	case EventExtensionRequested:
		if !open {
			return fmt.Errorf("the case is %s", st.Status)
		}
		if d.Deadline == "" || !slices.Contains(Parties, d.Party) || d.Days <= 0 {
			return errors.New("an extension request needs the deadline, who asked (appellant, respondent) and how many days")
		}
		e.Detail = fmt.Sprintf("%s asked for %d more days for %s", d.Party, d.Days, strings.ReplaceAll(d.Deadline, "_", " ")) + suffix(d.Text)
	case EventExtensionGranted, EventExtensionRefused:
		var req *Extension
		for kind, exts := range st.Extensions {
			for i := range exts {
				if exts[i].Status == "pending" && (d.Refers == exts[i].RequestID || (d.Refers == 0 && (d.Deadline == "" || d.Deadline == kind))) {
					req, d.Deadline, d.Refers = &exts[i], kind, exts[i].RequestID
				}
			}
		}
		if req == nil {
			return errors.New("there is no pending extension request to decide")
		}
		if e.Kind == EventExtensionGranted {
			if d.Due.IsZero() {
				return errors.New("a granted extension needs the new date")
			}
			e.Detail = fmt.Sprintf("extension of time for %s granted to %s", strings.ReplaceAll(d.Deadline, "_", " "), d.Due.Long()) + suffix(d.Text)
		} else {
			e.Detail = fmt.Sprintf("extension of time for %s refused", strings.ReplaceAll(d.Deadline, "_", " ")) + suffix(d.Text)
		}
	case EventDirection:
		if !open {
			return fmt.Errorf("the case is %s", st.Status)
		}
		if d.Due.IsZero() && d.Days > 0 && cal != nil {
			d.Due, d.Counted = p.CountDays(cal, e.On, d.Days)
		}
		if d.Text == "" || !slices.Contains(Parties, d.Party) || d.Due.IsZero() {
			return errors.New("a direction needs its text, the party to comply (appellant, respondent, both) and a due date or a number of days")
		}
		if d.Due.Before(e.On) {
			return errors.New("a direction cannot be due before it is given")
		}
		e.Detail = fmt.Sprintf("direction to %s, due %s: %s", d.Party, d.Due.Long(), firstLine(d.Text, 80))
	case EventComplied:
		var dir *Direction
		for i := range st.Directions {
			if st.Directions[i].Complied.IsZero() && (d.Refers == 0 || st.Directions[i].ID == d.Refers) {
				dir = &st.Directions[i]
			}
		}
		if dir == nil {
			return errors.New("there is no outstanding direction to comply with")
		}
		d.Refers = dir.ID
		e.Detail = "complied with direction: " + firstLine(dir.Text, 80)
	case EventHearingListed:
		if !open {
			return fmt.Errorf("the case is %s", st.Status)
		}
		if d.Due.IsZero() || !d.Due.After(e.On) {
			return errors.New("a hearing needs a date after today")
		}
		if cal != nil && !cal.IsWorkingDay(d.Due) {
			why := skipped(cal, nil, d.Due, d.Due)
			if !d.Force {
				return fmt.Errorf("%s is not a working day: list the hearing on a working day, or force it (--force) with a reason", why)
			}
			if strings.TrimSpace(d.Reason) == "" {
				return fmt.Errorf("%s is not a working day: forcing the listing needs a reason (--reason)", why)
			}
			e.Detail = "hearing listed for " + d.Due.Long() + suffix(d.Venue) + " — on a non-working day (" + why + "): " + firstLine(d.Reason, 80)
			break
		}
		e.Detail = "hearing listed for " + d.Due.Long() + suffix(d.Venue)
	case EventReadinessConfirmed:
		if st.Hearing.IsZero() {
			return errors.New("no hearing is listed")
		}
		if d.Party != "appellant" && d.Party != "respondent" {
			return errors.New("readiness is confirmed by the appellant or the respondent")
		}
		e.Detail = d.Party + " confirmed ready for the hearing on " + st.Hearing.Long()
	case EventLeadCase:
		e.Detail = "made lead case" + suffix(d.Group)
	case EventStayed:
		if !open || st.Status == StatusStayed {
			return fmt.Errorf("the case is %s", st.Status)
		}
		e.Detail = "stayed behind lead case " + d.Lead + suffix(d.Group)
	case EventStayLifted:
		if st.Status != StatusStayed {
			return errors.New("the case is not stayed")
		}
		e.Detail = "stay lifted" + suffix(d.Text)
	case EventFlagSet, EventFlagCleared:
		if !ValidFlag(d.Flag) {
			return fmt.Errorf("%q is not a flag (use %s)", d.Flag, strings.Join(flagCodes(), ", "))
		}
		has := slices.Contains(st.Flags, d.Flag)
		if e.Kind == EventFlagSet && has || e.Kind == EventFlagCleared && !has {
			return fmt.Errorf("flag %s is already %s", d.Flag, map[bool]string{true: "set", false: "clear"}[has])
		}
		if e.Kind == EventFlagSet {
			e.Detail = "flagged: " + flagLabel(d.Flag)
		} else {
			e.Detail = "flag cleared: " + flagLabel(d.Flag)
		}
	case EventReferred:
		if d.To != "registrar" && d.To != "judge" {
			return errors.New("refer to the registrar or a judge")
		}
		if d.Text == "" {
			return errors.New("a referral needs a note for the " + d.To)
		}
		e.Detail = "referred to the " + d.To + ": " + firstLine(d.Text, 80)
	case EventReferralAnswered:
		var ref *Referral
		for i := range st.Referrals {
			if st.Referrals[i].Answered.IsZero() && (d.Refers == 0 || st.Referrals[i].ID == d.Refers) {
				ref = &st.Referrals[i]
			}
		}
		if ref == nil {
			return errors.New("there is no referral waiting for a response")
		}
		if d.Text == "" {
			return errors.New("record what the response was")
		}
		d.Refers = ref.ID
		e.Detail = "the " + ref.To + " responded: " + firstLine(d.Text, 80)
	case EventCorrespondence:
		if d.Channel != "phone" && d.Channel != "email" && d.Channel != "letter" {
			return errors.New("correspondence is a phone call, email or letter")
		}
		if d.Way != "in" && d.Way != "out" {
			return errors.New("say whether the correspondence came in or went out")
		}
		if d.Text == "" {
			return errors.New("give a one-line summary")
		}
		e.Detail = fmt.Sprintf("%s %s: %s", d.Channel, d.Way, firstLine(d.Text, 80))
	case EventProgressed:
		e.Detail = "reviewed as an old case" + suffix(d.Text)
	case EventRecommended:
		if !slices.Contains(Recommendations, d.Reason) {
			return fmt.Errorf("recommend settle or defend, not %q", d.Reason)
		}
		if d.Text == "" {
			return errors.New("give a note saying why")
		}
		if !open {
			return fmt.Errorf("the case is already %s", st.Status)
		}
		e.Detail = "recommends " + d.Reason + ": " + firstLine(d.Text, 80)
	default:
		return fmt.Errorf("%q is not a casework event", e.Kind)
	}
	return nil
}

func suffix(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	return " — " + firstLine(s, 80)
}

func checklistLabel(code string) string {
	for _, it := range ChecklistItems {
		if it.Code == code {
			return it.Label
		}
	}
	return ""
}

func checklistCodes() []string {
	var out []string
	for _, it := range ChecklistItems {
		out = append(out, it.Code)
	}
	return out
}

func returnReasonCodes() []string { return append(checklistCodes(), ReturnReasons...) }

func flagCodes() []string {
	var out []string
	for _, f := range Flags {
		out = append(out, f.Code)
	}
	return out
}

func flagLabel(code string) string {
	for _, f := range Flags {
		if f.Code == code {
			return f.Label
		}
	}
	return code
}
