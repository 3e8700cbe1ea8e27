package domain

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Stages of the litigation packs: an appeal (permission to appeal, appeal
// lodged, heard, decided) and a damages claim once defended.
const (
	PermissionToAppeal Track = "permission-to-appeal" // applied for permission to appeal (lower court, UT r44, CoA, UKSC r11)
	AppealLodged       Track = "appeal-lodged"        // appellant's notice filed (CPR 52.12)
	AppealHeard        Track = "appeal-heard"
	AppealDecided      Track = "appeal-decided"
	Defended           Track = "defended" // a defence filed (CPR 15)
)

// LitigationStages lists the stages the litigation packs add.
var LitigationStages = []Track{PermissionToAppeal, AppealLodged, AppealHeard, AppealDecided, Defended}

func litigationStageLabel(t Track) string {
	switch t {
	case PermissionToAppeal:
		return "Permission to appeal"
	case AppealLodged:
		return "Appeal lodged"
	case AppealHeard:
		return "Appeal heard"
	case AppealDecided:
		return "Appeal decided"
	case Defended:
		return "Defended"
	}
	return string(t)
}

// AuthorityLevel is one level of financial authority: the most a user of
// that level may approve for a settlement (damages and costs separately).
type AuthorityLevel struct {
	Name       string
	LimitPence int64
}

// Authority is the [authority] table of config.toml: the levels in
// ascending order of limit, and who holds each. Holds is the one place a
// user is matched to a level, so the roles of the team (issue 16) can be
// connected here: a level held by a role is held by every user with it.
type Authority struct {
	Levels []AuthorityLevel
	// Holders maps a level to the users (or roles, prefixed "role:") who
	// may approve at it.
	Holders map[string][]string
	// RolesOf, when set, gives a user's roles (the team table); without it
	// only users named in Holders hold a level.
	RolesOf func(user string) []string
}

// Level finds a level by name.
func (a Authority) Level(name string) (AuthorityLevel, bool) {
	for _, l := range a.Levels {
		if l.Name == name {
			return l, true
		}
	}
	return AuthorityLevel{}, false
}

// LevelFor is the lowest level whose limit covers the amount.
func (a Authority) LevelFor(pence int64) (AuthorityLevel, bool) {
	for _, l := range a.Levels {
		if pence <= l.LimitPence {
			return l, true
		}
	}
	return AuthorityLevel{}, false
}

// Holds reports whether user may approve at level: named for that level
// or a higher one, directly or through a role.
func (a Authority) Holds(user, level string) bool {
	want, ok := a.Level(level)
	if !ok {
		return false
	}
	var roles []string
	if a.RolesOf != nil {
		roles = a.RolesOf(user)
	}
	for _, l := range a.Levels {
		if l.LimitPence < want.LimitPence {
			continue
		}
		for _, h := range a.Holders[l.Name] {
			if h == user || holderRole(h) != "" && slices.Contains(roles, holderRole(h)) {
				return true
			}
		}
	}
	return false
}

// HoldsByRole reports whether user holds level through a role rather than
// by name.
func (a Authority) HoldsByRole(user, level string) bool {
	named := a
	named.RolesOf = nil
	return a.Holds(user, level) && !named.Holds(user, level)
}

// holderRole is the role an [authority] holder names: "role:NAME", or the
// bare name of one of the team's roles (team-leader); "" for a user.
func holderRole(h string) string {
	if r, ok := strings.CutPrefix(h, "role:"); ok {
		return r
	}
	if slices.Contains(Roles, Role(h)) {
		return h
	}
	return ""
}

// AuthorityConfig is one level of config.toml's [authority] table:
//
//	[authority.caseworker]
//	limit = "£10,000"
//	holders = ["asha", "role:caseworker"]
type AuthorityConfig struct {
	Limit   string   `toml:"limit"`
	Holders []string `toml:"holders"`
}

// ParseAuthority reads the [authority] table: for each level a limit (an
// amount in pounds, "£10,000" or 10000) and who holds it.
func ParseAuthority(levels map[string]AuthorityConfig) (Authority, error) {
	a := Authority{Holders: map[string][]string{}}
	for name, l := range levels {
		pence, ok, err := ParseAmount(l.Limit)
		if err != nil || !ok || pence <= 0 {
			return a, fmt.Errorf("authority.%s.limit: %q is not an amount (use pounds: 10000 or £10,000)", name, clip(l.Limit))
		}
		a.Levels = append(a.Levels, AuthorityLevel{name, pence})
		a.Holders[name] = l.Holders
	}
	sort.Slice(a.Levels, func(i, j int) bool { return a.Levels[i].LimitPence < a.Levels[j].LimitPence })
	return a, nil
}

// Jasbir Singh: R (Jasbir Singh) v SSHD [2013] EWHC 2873 (Admin) — a
// defendant asking again for more time must explain fully why and give a
// firm date; minJasbirExplanation is the fewest characters taken for a
// full explanation, so "need more time" is refused.
const minJasbirExplanation = 40

// PrepareLitigation checks a litigation event against the case as it
// stands and writes its timeline line; ok is false for other kinds. side
// is the case's side; auth the [authority] configuration.
func (p *RulePack) PrepareLitigation(cal *Calendar, st CaseState, auth Authority, e *Event) (ok bool, err error) {
	if e.Data.Litigation == nil {
		e.Data.Litigation = &LitigationData{}
	}
	d := e.Data.Litigation
	l := st.Litigation
	open := st.Status != StatusClosed && st.Status != StatusReturned
	stage := p.Stage(st)
	switch e.Kind {
	case EventSideSet:
		switch d.Side {
		case SideCourt, SideDefendant:
		default:
			return true, fmt.Errorf("side must be %s or %s", SideCourt, SideDefendant)
		}
		e.Detail = "held from the " + d.Side + "'s side"
		if d.Side == SideCourt {
			e.Detail = "held from the court's side"
		}
	case EventPart36Made:
		if d.Way != "made" && d.Way != "received" {
			return true, errors.New("a Part 36 offer is made (by our side) or received: --made or --received")
		}
		if d.AmountPence <= 0 && strings.TrimSpace(d.Terms) == "" {
			return true, errors.New("a Part 36 offer needs an amount or its terms")
		}
		if d.Days < Part36MinDays {
			return true, fmt.Errorf("the relevant period must be not less than %d days (CPR 36.5(1)(c)), not %d", Part36MinDays, d.Days)
		}
		if err := p.serve(cal, e); err != nil {
			return true, err
		}
		o := Offer{Way: d.Way, By: d.By, AmountPence: d.AmountPence, Terms: d.Terms, Days: d.Days, Served: d.Served}
		e.Detail = fmt.Sprintf("Part 36 offer %s, served %s; relevant period %d days, ends %s (CPR 36.5(1)(c))",
			offerName(o), d.Served.Long(), d.Days, p.PeriodEnds(cal, o).Long())
		if d.ServedHow != "" {
			e.Detail += "; " + d.ServedHow
		}
	case EventPart36Accepted, EventPart36Withdrawn, EventPart36Changed:
		if e.Data.Refers == 0 {
			// No offer named (the UI's ":" line): the only open one.
			id, err := onlyOpenOffer(l)
			if err != nil {
				return true, err
			}
			e.Data.Refers = id
		}
		o := l.offer(e.Data.Refers)
		if o == nil {
			return true, fmt.Errorf("there is no Part 36 offer %d on the case (see `caseload part36 list`)", e.Data.Refers)
		}
		ends := p.PeriodEnds(cal, *o)
		// A withdrawal served within the relevant period has effect only when it ends: the offer can still be
		// accepted until then (CPR 36.10(2)).
		pendingWithdrawal := o.State == "withdrawn" && o.StateOn.Equal(ends) && !e.On.After(ends)
		if o.State != "open" && !(pendingWithdrawal && e.Kind == EventPart36Accepted) {
			return true, fmt.Errorf("the Part 36 offer %d was %s on %s", o.ID, o.State, o.StateOn.UK())
		}
		if e.On.Before(o.Served) {
			return true, fmt.Errorf("%s is before the offer was served (%s)", e.On.UK(), o.Served.UK())
		}
		switch e.Kind {
		case EventPart36Accepted:
			e.Detail = fmt.Sprintf("Part 36 offer %d (%s) accepted (CPR 36.11)", o.ID, offerName(*o))
			if e.On.After(ends) {
				e.Detail += "; after the relevant period ended " + ends.Long() + ": costs as CPR 36.13(4), (5) [S]"
			}
		case EventPart36Withdrawn:
			e.Detail = fmt.Sprintf("Part 36 offer %d (%s) withdrawn (CPR 36.9)", o.ID, offerName(*o))
			if !e.On.After(ends) {
				e.Data.Due = ends
				e.Detail += "; notice served before the relevant period ended: it has effect when the period ends, " + ends.Long() + ", unless the offer is accepted first (CPR 36.10(2))"
			}
		case EventPart36Changed:
			if d.AmountPence <= 0 && d.Terms == "" {
				return true, errors.New("a change needs the new amount or terms")
			}
			if d.Days == 0 {
				// An improved offer is a new offer: its relevant period is 21 days or the longer period in the notice (CPR 36.9(5)).
				d.Days = Part36MinDays
			}
			if d.Days < Part36MinDays {
				return true, fmt.Errorf("the relevant period must be not less than %d days (CPR 36.5(1)(c))", Part36MinDays)
			}
			if err := p.serve(cal, e); err != nil {
				return true, err
			}
			what := d.Terms
			if d.AmountPence > 0 {
				what = FormatPence(d.AmountPence) + suffix(d.Terms)
			}
			e.Detail = fmt.Sprintf("Part 36 offer %d changed to %s, served %s (CPR 36.9)", o.ID, what, d.Served.Long())
		}
	case EventDecision:
		if !slices.Contains(Recommendations, d.Decision) {
			return true, errors.New("decide settle or defend")
		}
		if strings.TrimSpace(e.Data.Text) == "" {
			return true, errors.New("a decision to " + d.Decision + " needs its reasons (--reasons)")
		}
		d.Stage = stage
		e.Detail = fmt.Sprintf("proposed to %s at %s: %s", d.Decision, stage.Label(), firstLine(e.Data.Text, 80))
		if prev := l.Latest(); prev != nil {
			e.Detail += fmt.Sprintf(" (revisits %s at %s, %s)", prev.Decision, prev.Stage.Label(), prev.On.UK())
		}
	case EventDecisionApproved:
		dec := l.Latest()
		if dec == nil {
			return true, errors.New("there is no settle-or-defend decision to approve")
		}
		if dec.ApprovedBy != "" {
			return true, fmt.Errorf("the decision to %s was approved by %s on %s", dec.Decision, dec.ApprovedBy, dec.ApprovedOn.UK())
		}
		if e.User == dec.ProposedBy {
			return true, fmt.Errorf("%s proposed the decision: someone else must approve it", e.User)
		}
		e.Data.Refers = dec.ID
		e.Detail = fmt.Sprintf("decision to %s (proposed by %s at %s) approved", dec.Decision, dec.ProposedBy, dec.Stage.Label()) + suffix(e.Data.Text)
	case EventAuthorityRequested:
		if !slices.Contains(MoneyKinds, d.Money) {
			return true, errors.New("authority is for damages or costs (--for)")
		}
		if d.AmountPence <= 0 {
			return true, errors.New("authority needs an amount")
		}
		if len(auth.Levels) == 0 {
			return true, errors.New("no [authority] levels are configured in config.toml")
		}
		need, ok := auth.LevelFor(d.AmountPence)
		if !ok {
			top := auth.Levels[len(auth.Levels)-1]
			return true, fmt.Errorf("%s is above the highest authority level (%s, %s)", FormatPence(d.AmountPence), top.Name, FormatPence(top.LimitPence))
		}
		if d.Level == "" {
			d.Level = need.Name
		}
		lv, ok := auth.Level(d.Level)
		if !ok {
			return true, fmt.Errorf("%q is not an authority level (%s)", clip(d.Level), levelNames(auth))
		}
		if lv.LimitPence < d.AmountPence {
			return true, fmt.Errorf("%s is above the %s limit of %s: ask at %s", FormatPence(d.AmountPence), lv.Name, FormatPence(lv.LimitPence), need.Name)
		}
		e.Detail = fmt.Sprintf("authority requested to settle %s up to %s (level %s, limit %s)", d.Money, FormatPence(d.AmountPence), lv.Name, FormatPence(lv.LimitPence)) + suffix(e.Data.Text)
	case EventAuthorityApproved, EventAuthorityRefused:
		var req *AuthorityRequest
		for i := range l.Authority {
			if a := &l.Authority[i]; a.State == "pending" && (e.Data.Refers == 0 || a.ID == e.Data.Refers) {
				req = a
			}
		}
		if req == nil {
			return true, errors.New("there is no pending authority request to decide")
		}
		if !auth.Holds(e.User, req.Level) {
			return true, fmt.Errorf("%s does not hold authority at level %s ([authority] in config.toml)", e.User, req.Level)
		}
		e.Data.Refers = req.ID
		verb := "approved"
		if e.Kind == EventAuthorityRefused {
			verb = "refused"
		}
		e.Detail = fmt.Sprintf("authority to settle %s up to %s %s (level %s)", req.Money, FormatPence(req.AmountPence), verb, req.Level) + suffix(e.Data.Text)
	case EventSettled:
		if !open {
			return true, fmt.Errorf("the case is %s", st.Status)
		}
		for i, amt := range []int64{d.AmountPence, d.CostsPence} {
			if amt <= 0 {
				continue
			}
			money := MoneyKinds[i]
			ok, lv, have := l.Approved(money)
			if i == 0 || d.Level == "" {
				d.Level = lv // reported: settlements by the level of the authority they were made under
			}
			if !have {
				return true, fmt.Errorf("no authority approved to settle %s: request it first (`caseload authority request`)", money)
			}
			if amt > ok {
				return true, fmt.Errorf("settlement of %s at %s is above the authority approved (%s, level %s): refused", money, FormatPence(amt), FormatPence(ok), lv)
			}
		}
		if d.AmountPence <= 0 && d.CostsPence <= 0 && strings.TrimSpace(e.Data.Text) == "" {
			return true, errors.New("a settlement needs the damages, the costs or its terms")
		}
		if err := briefedBeforeClosing(st); err != nil {
			return true, err
		}
		d.Stage, d.Outcome = stage, "settled"
		e.Detail = fmt.Sprintf("settled at %s: damages %s, costs %s", stage.Label(), FormatPence(d.AmountPence), FormatPence(d.CostsPence)) + suffix(e.Data.Text)
	case EventInstructed:
		if strings.TrimSpace(e.Data.Text) == "" {
			return true, errors.New("say what the lawyers are asked (--asked)")
		}
		if !e.Data.Due.IsZero() && e.Data.Due.Before(e.On) {
			return true, errors.New("the response date is before the instruction")
		}
		e.Detail = fmt.Sprintf("instructed %s: %s", orDash(e.Data.To), firstLine(e.Data.Text, 80))
		if !e.Data.Due.IsZero() {
			e.Detail += "; response due " + e.Data.Due.Long()
		}
	case EventInstructionAnswered:
		var in *Instruction
		for i := range l.Instructions {
			if x := &l.Instructions[i]; x.Answered.IsZero() && (e.Data.Refers == 0 || x.ID == e.Data.Refers) {
				in = x
			}
		}
		if in == nil {
			return true, errors.New("there is no instruction waiting for a response")
		}
		e.Data.Refers = in.ID
		e.Detail = fmt.Sprintf("%s answered the instruction of %s", orDash(in.To), in.On.UK()) + suffix(e.Data.Text)
	case EventTimeRequested:
		if e.Data.Deadline == "" || d.Days <= 0 {
			return true, errors.New("a request for more time needs the deadline (--deadline) and the days asked for (--days)")
		}
		before := 0
		for _, t := range l.TimeRequests {
			if t.Deadline == e.Data.Deadline {
				before++
			}
		}
		if before > 0 {
			// R (Jasbir Singh) v SSHD [2013] EWHC 2873 (Admin): a further request must explain fully why more time is
			// needed and give a firm date by which the step will be taken.
			if len(strings.TrimSpace(e.Data.Text)) < minJasbirExplanation || e.Data.Due.IsZero() {
				return true, fmt.Errorf("this is request %d for more time for %s: it needs a full explanation (--explanation, at least %d characters) and a firm date (--firm-date) (R (Jasbir Singh) v SSHD [2013] EWHC 2873 (Admin))",
					before+1, strings.ReplaceAll(e.Data.Deadline, "_", " "), minJasbirExplanation)
			}
			d.Repeat = true
		}
		if d.Agreed {
			ae := p.AgreedExtension
			if ae.Deadline == "" || ae.Deadline != e.Data.Deadline {
				return true, fmt.Errorf("the parties cannot extend %s by agreement in the %s", e.Data.Deadline, p.Name)
			}
			total := d.Days
			for _, t := range l.TimeRequests {
				if t.Agreed && t.Deadline == ae.Deadline {
					total += t.Days
				}
			}
			if total > ae.MaxDays {
				return true, fmt.Errorf("agreed extensions of %s would total %d days: the parties may agree up to %d (%s); apply to the court", e.Data.Deadline, total, ae.MaxDays, ae.Citation)
			}
		}
		e.Detail = fmt.Sprintf("defendant asked for %s more for %s", plural(d.Days, "day"), strings.ReplaceAll(e.Data.Deadline, "_", " "))
		if d.Agreed {
			e.Detail += "; agreed by the claimant (" + p.AgreedExtension.Citation + ")"
		}
		if d.Repeat {
			e.Detail += fmt.Sprintf(" (request %d; firm date %s)", before+1, e.Data.Due.Long())
		}
		e.Detail += suffix(e.Data.Text)
	case EventBriefed:
		if d.Interest != "ministerial" && d.Interest != "media" {
			return true, errors.New("a briefing is on ministerial or media interest")
		}
		if strings.TrimSpace(d.By) == "" {
			return true, errors.New("say who was told (--told)")
		}
		e.Detail = fmt.Sprintf("%s interest: %s told on %s", d.Interest, d.By, e.On.Long()) + suffix(e.Data.Text)
	case EventOutcome:
		if !slices.Contains(ClaimOutcomes, d.Outcome) {
			return true, fmt.Errorf("the outcome is one of %s", strings.Join(ClaimOutcomes, ", "))
		}
		if !open {
			return true, fmt.Errorf("the case is %s", st.Status)
		}
		if err := briefedBeforeClosing(st); err != nil {
			return true, err
		}
		d.Stage = stage
		e.Detail = fmt.Sprintf("%s at %s: case closed", d.Outcome, stage.Label()) + suffix(e.Data.Text)
	case EventDisposed:
		// Not a litigation event, but a case with ministerial interest is
		// not closed without a briefing recorded.
		e.Data.Litigation = nil
		return false, briefedBeforeClosing(st)
	default:
		e.Data.Litigation = nil
		return false, nil
	}
	return true, nil
}

// briefedBeforeClosing: a case with ministerial interest cannot be closed
// until a briefing is recorded.
func briefedBeforeClosing(st CaseState) error {
	if slices.Contains(st.Flags, "ministerial") && !st.Litigation.Briefed("ministerial") {
		return errors.New("the case has ministerial interest: record the briefing (`caseload brief REF --interest ministerial --told WHO`) before closing it")
	}
	return nil
}

// serve sets the date an offer (or its change) was served: the date given,
// or the deemed date under CPR 6.26 when the method is recorded.
func (p *RulePack) serve(cal *Calendar, e *Event) error {
	d := e.Data.Litigation
	if d.Served.IsZero() {
		d.Served = e.On
	}
	if e.Data.Method == "" {
		return nil
	}
	q := *p
	q.Service = map[string]string{e.Kind: ServiceDocument}
	deemed, how, ok, err := q.DeemedService(cal, e.Kind, d.Served, e.Data.Method, e.Data.Time)
	if err != nil {
		return err
	}
	if ok {
		d.Served, d.ServedHow = deemed, how
	}
	return nil
}

func levelNames(a Authority) string {
	var out []string
	for _, l := range a.Levels {
		out = append(out, l.Name+" "+FormatPence(l.LimitPence))
	}
	return strings.Join(out, ", ")
}

// onlyOpenOffer is the one offer open on the case, when an action names
// none: with none or several it says which there are.
func onlyOpenOffer(l Litigation) (int64, error) {
	var open []string
	var id int64
	for _, o := range l.Offers {
		if o.State == "open" {
			open, id = append(open, strconv.FormatInt(o.ID, 10)), o.ID
		}
	}
	switch {
	case len(l.Offers) == 0:
		return 0, errors.New("there are no Part 36 offers on the case")
	case len(open) == 0:
		return 0, errors.New("no Part 36 offer on the case is open")
	case len(open) > 1:
		return 0, fmt.Errorf("%d Part 36 offers are open: name one (%s)", len(open), strings.Join(open, ", "))
	}
	return id, nil
}
