package domain

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Action is one casework verb: the words the UI's ":" line takes (the
// command line's casework subcommands without the reference), what they
// mean, and how they become an event. The ":" grammar, its completion and
// its help all come from Actions, so they cannot drift apart.
type Action struct {
	Verb string
	Args string // the words after the verb, as help shows them
	Help string
	// Command is the cobra command recording the same event (Verb unless
	// they differ: unflag is flag --clear).
	Command string
	parse   func(a actionArgs) (Event, error)
}

// actionArgs are the words after the verb, with the day and calendar the
// event is dated and counted by.
type actionArgs struct {
	words []string
	today Date
	cal   *Calendar
}

func (a actionArgs) arg(i int) string {
	if i < len(a.words) {
		return strings.ToLower(a.words[i])
	}
	return ""
}

func (a actionArgs) rest(from int) string {
	if from >= len(a.words) {
		return ""
	}
	return strings.Join(a.words[from:], " ")
}

func (a actionArgs) event(kind string) Event { return Event{Kind: kind, On: a.today} }

// Actions are every casework verb, in the order help lists them.
var Actions = []Action{
	{Verb: "return", Args: "CODE... [text]", Help: "return an incomplete notice (r20): a checklist item, no-jurisdiction, duplicate or other",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventReturned)
			i := 0
			for ; i < len(a.words) && ValidReturnReason(a.arg(i)); i++ {
				e.Data.Reasons = append(e.Data.Reasons, a.arg(i))
			}
			e.Data.Text = a.rest(i)
			return e, nil
		}},
	{Verb: "reopen", Args: "[text]", Help: "reopen a returned notice",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventReopened)
			e.Data.Text = a.rest(0)
			return e, nil
		}},
	{Verb: "checklist", Args: "ITEM [missing]", Help: "tick a completeness item, or mark it missing",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventChecklist)
			e.Data.Item, e.Data.Done = a.arg(0), a.arg(1) != "missing"
			return e, nil
		}},
	{Verb: "permission", Args: "request|grant|refuse [text]", Help: "a late appeal's permission to go ahead (the rule its pack cites)",
		parse: func(a actionArgs) (Event, error) {
			kinds := map[string]string{"request": EventPermissionRequested, "grant": EventPermissionGranted, "refuse": EventPermissionRefused}
			e := a.event(kinds[a.arg(0)])
			if e.Kind == "" {
				return e, errors.New("permission request, grant or refuse")
			}
			e.Data.Text = a.rest(1)
			return e, nil
		}},
	{Verb: "extension", Args: "request DEADLINE PARTY DAYS [reason] | grant DATE | refuse", Help: "an extension of time on a deadline",
		parse: func(a actionArgs) (Event, error) {
			var e Event
			switch a.arg(0) {
			case "request":
				e = a.event(EventExtensionRequested)
				e.Data.Deadline, e.Data.Party = a.arg(1), a.arg(2)
				n, err := strconv.Atoi(a.arg(3))
				if err != nil {
					return e, errors.New("extension request DEADLINE PARTY DAYS, e.g. extension request statement_of_case respondent 28")
				}
				e.Data.Days, e.Data.Text = n, a.rest(4)
			case "grant":
				due, err := ParseDate(a.arg(1))
				if err != nil {
					return e, fmt.Errorf("extension grant DATE: %w", err)
				}
				e = a.event(EventExtensionGranted)
				e.Data.Due, e.Data.Text = due, a.rest(2)
			case "refuse":
				e = a.event(EventExtensionRefused)
				e.Data.Text = a.rest(1)
			default:
				return e, errors.New("extension request, grant or refuse")
			}
			return e, nil
		}},
	{Verb: "direction", Args: "PARTY DAYS|DATE TEXT", Help: "issue a direction; DAYS count like the rules (then the next working day)",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventDirection)
			e.Data.Party = a.arg(0)
			if n, err := strconv.Atoi(a.arg(1)); err == nil {
				// The store counts the days by the case's own pack and
				// calendar (CPR 2.8 in a court, r12 in a tribunal) and
				// records how it counted.
				e.Data.Days = n
			} else if due, err := ParseDate(a.arg(1)); err == nil {
				e.Data.Due = due
			} else {
				return e, errors.New("direction PARTY DAYS|DATE TEXT, e.g. direction appellant 14 Send the bank statements")
			}
			e.Data.Text = a.rest(2)
			return e, nil
		}},
	{Verb: "comply", Help: "record compliance with a direction",
		parse: func(a actionArgs) (Event, error) { return a.event(EventComplied), nil }},
	{Verb: "hearing", Args: "DATE [venue]", Help: "a hearing listed (a readiness check falls due before it)",
		parse: func(a actionArgs) (Event, error) {
			due, err := ParseDate(a.arg(0))
			if err != nil {
				return Event{}, fmt.Errorf("hearing DATE: %w", err)
			}
			e := a.event(EventHearingListed)
			e.Data.Due, e.Data.Venue = due, a.rest(1)
			return e, nil
		}},
	{Verb: "ready", Args: "PARTY", Help: "readiness confirmed by a party",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventReadinessConfirmed)
			e.Data.Party = a.arg(0)
			return e, nil
		}},
	{Verb: "flag", Args: "FLAG", Help: "set a flag: bespoke, urgent, high-profile, vulnerable, ministerial, media",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventFlagSet)
			e.Data.Flag = a.arg(0)
			return e, nil
		}},
	{Verb: "unflag", Args: "FLAG", Help: "clear a flag", Command: "flag",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventFlagCleared)
			e.Data.Flag = a.arg(0)
			return e, nil
		}},
	{Verb: "refer", Args: "judge|registrar NOTE", Help: "refer with a note",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventReferred)
			e.Data.To, e.Data.Text = a.arg(0), a.rest(1)
			return e, nil
		}},
	{Verb: "answer", Args: "RESPONSE", Help: "record the response to a referral",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventReferralAnswered)
			e.Data.Text = a.rest(0)
			return e, nil
		}},
	{Verb: "log", Args: "phone|email|letter in|out SUMMARY", Help: "correspondence on the timeline",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventCorrespondence)
			e.Data.Channel, e.Data.Way, e.Data.Text = a.arg(0), a.arg(1), a.rest(2)
			return e, nil
		}},
	{Verb: "recommend", Args: "settle|defend NOTE", Help: "judicial review: the settle-or-defend recommendation, with a note",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventRecommended)
			e.Data.Reason, e.Data.Text = a.arg(0), a.rest(1)
			return e, nil
		}},
	{Verb: "dispose", Args: "HOW", Help: "close the case (decided, withdrawn, struck out, settled)",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventDisposed)
			e.Data.Text = a.rest(0)
			return e, nil
		}},
	{Verb: "unstay", Args: "[text]", Help: "lift a stay",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventStayLifted)
			e.Data.Text = a.rest(0)
			return e, nil
		}},
	{Verb: "event", Args: "KIND [DATE]", Help: "record a dated step that meets or starts a deadline, e.g. event statement-of-case 13/11/2026 (today if no date)",
		parse: func(a actionArgs) (Event, error) {
			return Event{}, errors.New("event KIND [DATE] is recorded as a step (ParseStepAction)")
		}},
	{Verb: "note", Args: "TEXT", Help: "add a note to the timeline",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventNote)
			e.Data.Text = a.rest(0)
			return e, nil
		}},
	{Verb: "progress", Args: "[what was done]", Help: "mark an old case reviewed",
		parse: func(a actionArgs) (Event, error) {
			e := a.event(EventProgressed)
			e.Data.Text = a.rest(0)
			return e, nil
		}},
	// Verbs that are not one event on the case: the UI takes them before
	// ParseAction (ParseGroupAction; the undo and the call form).
	{Verb: "undo", Help: "undo your latest action on the case (a compensating event naming what it undid)",
		parse: func(actionArgs) (Event, error) { return Event{}, errNotAnEvent("undo") }},
	{Verb: "group", Args: "RELATED... [name]", Help: "make the case the lead of a group and stay each RELATED case behind it (r18); asks once, naming them",
		parse: func(actionArgs) (Event, error) { return Event{}, errNotAnEvent("group") }},
	{Verb: "query", Help: "record a query about the case: the call form, with the case as the caller's",
		parse: func(actionArgs) (Event, error) { return Event{}, errNotAnEvent("query") }},
}

func errNotAnEvent(verb string) error {
	return fmt.Errorf("%s is not one event on the case: it is done by the screen that offers it", verb)
}

// ParseGroupAction reads a "group RELATED... [name]" line: ok is false
// for any other verb. The words that are case references (they hold a
// "/") are the related cases, the rest the group's name.
func ParseGroupAction(line string) (related []string, name string, ok bool, err error) {
	words := strings.Fields(line)
	if len(words) == 0 || !strings.EqualFold(words[0], "group") {
		return nil, "", false, nil
	}
	var rest []string
	for _, w := range words[1:] {
		if strings.Contains(w, "/") {
			related = append(related, strings.ToUpper(w))
		} else {
			rest = append(rest, w)
		}
	}
	if len(related) == 0 {
		return nil, "", true, errors.New("group RELATED... [name]: name at least one case to stay behind this one, e.g. group TC/2026/00012 TC/2026/00013 film scheme")
	}
	return related, strings.Join(rest, " "), true, nil
}

// CommandName is the cobra command recording the action's event.
func (a Action) CommandName() string {
	if a.Command != "" {
		return a.Command
	}
	return a.Verb
}

// Usage is the verb with its arguments.
func (a Action) Usage() string {
	if a.Args == "" {
		return a.Verb
	}
	return a.Verb + " " + a.Args
}

// ActionVerbs are the verbs, for completion.
func ActionVerbs() []string {
	out := make([]string, len(Actions))
	for i, a := range Actions {
		out[i] = a.Verb
	}
	return out
}

// ParseAction turns a ":" line into a casework event dated today; DAYS
// count with cal.
func ParseAction(line string, today Date, cal *Calendar) (Event, error) {
	words := strings.Fields(line)
	if len(words) == 0 {
		return Event{}, errors.New("type an action, e.g. flag urgent")
	}
	verb := strings.ToLower(words[0])
	for _, a := range Actions {
		if a.Verb == verb {
			return a.parse(actionArgs{words: words[1:], today: today, cal: cal})
		}
	}
	return Event{}, fmt.Errorf("%q is not an action (%s)", verb, strings.Join(ActionVerbs(), ", "))
}

// ParseStepAction reads an "event KIND [DATE]" line: ok is false for any
// other verb. The date is when the step was taken (today if none) and may
// not be after today.
func ParseStepAction(line string, today Date) (kind string, on Date, ok bool, err error) {
	words := strings.Fields(line)
	if len(words) == 0 || !strings.EqualFold(words[0], "event") {
		return "", Date{}, false, nil
	}
	if len(words) < 2 || len(words) > 3 {
		return "", Date{}, true, errors.New("event KIND [DATE], e.g. event statement-of-case 13/11/2026")
	}
	on = today
	if len(words) == 3 {
		if on, err = ParseStepDate(words[2], today, Date{}); err != nil {
			return "", Date{}, true, err
		}
	}
	return strings.ToLower(words[1]), on, true, nil
}
