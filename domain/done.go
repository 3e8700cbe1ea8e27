package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// EventInboxDone: an inbox item marked done, with what was done. Like a
// snooze it is a trace, not casework: it moves no deadline.
const EventInboxDone = "inbox-done"

// EventQueueSkipped: the appeal on the queue card was skipped for now by
// its user that day; it comes round again after the rest of their queue
// (the order survives a restart). A trace, like a snooze.
const EventQueueSkipped = "queue-skipped"

// IsTrace reports whether an event kind only records what happened in the
// inbox or the queue (a snooze, its undoing, an item marked done, a skip):
// it is on the timeline but is not activity on the case.
func IsTrace(kind string) bool {
	return kind == EventSnoozed || kind == EventSnoozeUndone || kind == EventInboxDone || kind == EventQueueSkipped
}

// MeetingStep is the event that meets a deadline of the given kind: the
// rule's met_by step (a statement of case sent meets the statement of case
// deadline, r25), compliance with a direction (its event id in refers), or
// readiness confirmed for a hearing. ok is false for a kind the pack does
// not know.
func (p *RulePack) MeetingStep(deadlineKind string) (event string, refers int64, ok bool) {
	if id, found := strings.CutPrefix(deadlineKind, "direction:"); found {
		n, err := strconv.ParseInt(id, 10, 64)
		return EventComplied, n, err == nil
	}
	if deadlineKind == "readiness_check" {
		return EventReadinessConfirmed, 0, true
	}
	for _, r := range p.DeadlineRules {
		if r.Kind == deadlineKind && r.MetBy != "" {
			return r.MetBy, 0, true
		}
	}
	return "", 0, false
}

// StepName is how the UI names an event kind: statement-of-case is
// "statement of case".
func StepName(kind string) string { return strings.ReplaceAll(kind, "-", " ") }

// ParseStepDate reads the date a step was taken: empty is today; a date
// after today or before since (the case was received) is refused.
func ParseStepDate(s string, today, since Date) (Date, error) {
	if strings.TrimSpace(s) == "" {
		return today, nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return d, err
	}
	if d.After(today) {
		return d, fmt.Errorf("%s is after today (%s): record a step once it is taken", d.Long(), today.Long())
	}
	if !since.IsZero() && d.Before(since) {
		return d, fmt.Errorf("%s is before the case was received (%s)", d.Long(), since.Long())
	}
	return d, nil
}
