package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ServiceMethods are the ways a document can be served (CPR 6.3, 6.26).
var ServiceMethods = []string{"first-class-post", "dx", "delivered", "email", "fax", "personal"}

// Deemed-service rules a pack can name for an event in its [service] table.
const (
	// ServiceClaimForm: CPR 6.14, a claim form is deemed served on the
	// second business day after the step required by CPR 7.5(1), whatever
	// the method.
	ServiceClaimForm = "cpr-6.14"
	// ServiceDocument: CPR 6.26, any other document: first class post or
	// DX, the second day after posting if a business day, else the next
	// business day; delivery, fax, email or personal service before 4.30pm
	// on a business day, that day, otherwise the next business day.
	ServiceDocument = "cpr-6.26"
	// ServiceProvided: UT r29(1) runs from when the respondent was provided
	// with the application; a copy sent by post is deemed provided on the
	// second business day after posting (R (Sutharsan) v SSHD [2019] UKUT
	// 217 (IAC)); otherwise the day it was sent.
	ServiceProvided = "ut-r29"
)

// serviceCutoff is 4.30pm: CPR 6.26 (and the claim form's steps) deem
// later service to be the next business day.
const serviceCutoff = "16:30"

// ParseClock checks a time of day, HH:MM (24-hour).
func ParseClock(s string) (string, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse("15:04", s)
	if err != nil {
		return "", fmt.Errorf("%q is not a time of day: use HH:MM, 24-hour (16:30)", clip(s))
	}
	return t.Format("15:04"), nil
}

// DeemedService computes when a document recorded by event kind, sent by
// method on a day at a time (HH:MM, may be empty for post and DX), is
// deemed served under the rule the pack names for that event. ok is false
// when the pack names none: the day given is the day of service.
func (p *RulePack) DeemedService(cal *Calendar, kind string, on Date, method, at string) (deemed Date, how string, ok bool, err error) {
	rule := p.Service[kind]
	if rule == "" || method == "" {
		return on, "", false, nil
	}
	if !slices.Contains(ServiceMethods, method) {
		return on, "", false, fmt.Errorf("%q is not a method of service (use %s)", clip(method), strings.Join(ServiceMethods, ", "))
	}
	if at != "" {
		if at, err = ParseClock(at); err != nil {
			return on, "", false, err
		}
	}
	post := method == "first-class-post" || method == "dx"
	label := strings.ReplaceAll(method, "-", " ")
	switch rule {
	case ServiceClaimForm:
		deemed = cal.AddWorkingDays(on, 2)
		how = fmt.Sprintf("claim form sent by %s on %s: deemed served on the second business day after, %s (CPR 6.14)",
			label, on.Long(), deemed.Long())
	case ServiceProvided:
		if post {
			deemed = cal.AddWorkingDays(on, 2)
			how = fmt.Sprintf("posted on %s: deemed provided on the second business day after, %s (UT r29(1); Sutharsan [2019] UKUT 217 (IAC))",
				on.Long(), deemed.Long())
		} else {
			deemed = on
			how = fmt.Sprintf("provided by %s on %s (UT r29(1))", label, on.Long())
		}
	case ServiceDocument:
		if post {
			landed := on.AddDays(2)
			deemed = cal.NextWorkingDay(landed)
			how = fmt.Sprintf("sent by %s on %s: deemed served the second day after, %s", label, on.Long(), landed.Long())
			if !deemed.Equal(landed) {
				how += fmt.Sprintf(", not a business day (%s): the next business day, %s", skipped(cal, nil, landed, deemed.AddDays(-1)), deemed.Long())
			}
			how += " (CPR 6.26)"
			break
		}
		if at == "" {
			return on, "", false, fmt.Errorf("service by %s needs the time it was done (--time HH:MM): before 4.30pm on a business day it is served that day (CPR 6.26)", label)
		}
		if cal.IsWorkingDay(on) && at < serviceCutoff {
			deemed = on
			how = fmt.Sprintf("served by %s at %s on %s, a business day before 4.30pm: served that day (CPR 6.26)", label, at, on.Long())
		} else {
			deemed = cal.AddWorkingDays(on, 1)
			how = fmt.Sprintf("served by %s at %s on %s, not before 4.30pm on a business day: deemed served the next business day, %s (CPR 6.26)",
				label, at, on.Long(), deemed.Long())
		}
	default:
		return on, "", false, fmt.Errorf("service rule %q is not known", rule)
	}
	return deemed, how, true, nil
}

// ReplayIn is Replay with what the pack adds: a step recorded with a method
// of service counts from its deemed date (CPR 6.14, 6.26; UT r29(1)), and
// in a pack with an act cut-off an act recorded after that time counts as
// done the next day (UT r12(1): "by a day" means by 5pm).
func (p *RulePack) ReplayIn(cal *Calendar, events []Event) CaseState {
	st := Replay(events)
	st.Deemed = map[string]string{}
	undone := UndoneIDs(events)
	for _, e := range events {
		if undone[e.ID] != "" || e.Data.Method == "" && e.Data.Time == "" || !st.Occurred[e.Kind].Equal(e.On) {
			continue
		}
		if deemed, how, ok, err := p.DeemedService(cal, e.Kind, e.On, e.Data.Method, e.Data.Time); err == nil && ok {
			st.Occurred[e.Kind], st.Deemed[e.Kind] = deemed, how
			continue
		}
		if p.ActCutoff != "" && e.Data.Time > p.ActCutoff {
			st.Occurred[e.Kind] = e.On.AddDays(1)
			st.Deemed[e.Kind] = fmt.Sprintf("done at %s on %s, after %s: counts as done on %s (%s)",
				e.Data.Time, e.On.Long(), p.ActCutoff, e.On.AddDays(1).Long(), p.ActCutoffCitation)
		}
	}
	return st
}
