package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/caseload/caseload/domain"
)

// ActionHelp lists the casework actions the detail view's ":" line takes:
// the same words as the command line's subcommands, without the reference.
var ActionHelp = []string{
	"return CODE... [text]      (appellant representative address-for-documents decision result-sought grounds decision-copy no-jurisdiction duplicate other)",
	"reopen · checklist ITEM [missing] · permission request|grant|refuse [text]",
	"extension request DEADLINE PARTY DAYS [reason] · extension grant DATE · extension refuse",
	"direction PARTY DAYS|DATE TEXT · comply · hearing DATE [venue] · ready PARTY",
	"flag FLAG · unflag FLAG   (bespoke urgent high-profile vulnerable)",
	"refer judge|registrar NOTE · answer RESPONSE · log phone|email|letter in|out SUMMARY",
	"dispose HOW · unstay · progress [what was done]",
}

// parseAction turns a ":" line into a casework event for the case.
func parseAction(line string, today domain.Date, cal *domain.Calendar) (domain.Event, error) {
	words := strings.Fields(line)
	if len(words) == 0 {
		return domain.Event{}, errors.New("type an action, e.g. flag urgent (? lists them)")
	}
	verb, args := strings.ToLower(words[0]), words[1:]
	rest := func(from int) string {
		if from >= len(args) {
			return ""
		}
		return strings.Join(args[from:], " ")
	}
	arg := func(i int) string {
		if i < len(args) {
			return strings.ToLower(args[i])
		}
		return ""
	}
	e := domain.Event{On: today}
	d := &e.Data
	switch verb {
	case "return":
		e.Kind = domain.EventReturned
		i := 0
		for ; i < len(args) && domain.ValidReturnReason(strings.ToLower(args[i])); i++ {
			d.Reasons = append(d.Reasons, strings.ToLower(args[i]))
		}
		d.Text = rest(i)
	case "reopen":
		e.Kind, d.Text = domain.EventReopened, rest(0)
	case "checklist":
		e.Kind, d.Item, d.Done = domain.EventChecklist, arg(0), arg(1) != "missing"
	case "permission":
		kinds := map[string]string{"request": domain.EventPermissionRequested, "grant": domain.EventPermissionGranted, "refuse": domain.EventPermissionRefused}
		if e.Kind = kinds[arg(0)]; e.Kind == "" {
			return e, errors.New("permission request, grant or refuse")
		}
		d.Text = rest(1)
	case "extension":
		switch arg(0) {
		case "request":
			e.Kind, d.Deadline, d.Party = domain.EventExtensionRequested, arg(1), arg(2)
			n, err := strconv.Atoi(arg(3))
			if err != nil {
				return e, errors.New("extension request DEADLINE PARTY DAYS, e.g. extension request statement_of_case respondent 28")
			}
			d.Days, d.Text = n, rest(4)
		case "grant":
			due, err := domain.ParseDate(arg(1))
			if err != nil {
				return e, fmt.Errorf("extension grant DATE: %w", err)
			}
			e.Kind, d.Due, d.Text = domain.EventExtensionGranted, due, rest(2)
		case "refuse":
			e.Kind, d.Text = domain.EventExtensionRefused, rest(1)
		default:
			return e, errors.New("extension request, grant or refuse")
		}
	case "direction":
		e.Kind, d.Party = domain.EventDirection, arg(0)
		if n, err := strconv.Atoi(arg(1)); err == nil {
			// "N days", counted like the rules: then the next working day (r12).
			d.Due, _, _ = domain.DaysAfter(cal, today, n)
		} else if due, err := domain.ParseDate(arg(1)); err == nil {
			d.Due = due
		} else {
			return e, errors.New("direction PARTY DAYS|DATE TEXT, e.g. direction appellant 14 Send the bank statements")
		}
		d.Text = rest(2)
	case "comply":
		e.Kind = domain.EventComplied
	case "hearing":
		due, err := domain.ParseDate(arg(0))
		if err != nil {
			return e, fmt.Errorf("hearing DATE: %w", err)
		}
		e.Kind, d.Due, d.Venue = domain.EventHearingListed, due, rest(1)
	case "ready":
		e.Kind, d.Party = domain.EventReadinessConfirmed, arg(0)
	case "flag":
		e.Kind, d.Flag = domain.EventFlagSet, arg(0)
	case "unflag":
		e.Kind, d.Flag = domain.EventFlagCleared, arg(0)
	case "refer":
		e.Kind, d.To, d.Text = domain.EventReferred, arg(0), rest(1)
	case "answer":
		e.Kind, d.Text = domain.EventReferralAnswered, rest(0)
	case "log":
		e.Kind, d.Channel, d.Way, d.Text = domain.EventCorrespondence, arg(0), arg(1), rest(2)
	case "dispose":
		e.Kind, d.Text = domain.EventDisposed, rest(0)
	case "unstay":
		e.Kind, d.Text = domain.EventStayLifted, rest(0)
	case "progress":
		e.Kind, d.Text = domain.EventProgressed, rest(0)
	default:
		return e, fmt.Errorf("%q is not an action (return, flag, refer, direction, comply, hearing, log, …)", verb)
	}
	return e, nil
}
