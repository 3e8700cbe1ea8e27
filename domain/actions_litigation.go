package domain

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The government litigator's ":" verbs (issue 19): the same events as the
// litigation commands (cmd/caseload/litigation.go), with the case the
// caseworker sees as REF. Positional words come first; the command's flags
// may follow as "--name value…" (a value runs to the next --flag), so
// "part36 offer received £40,000 --days 28 --by Duncan Lewis" is the
// command's "part36 offer REF received --amount £40,000 --days 28 --by
// 'Duncan Lewis'". Every verb takes --date DATE for a step taken earlier.
//
// They join the one action table here rather than in actions.go so the
// table's two halves can change without touching each other.
func init() { Actions = append(Actions, litigationActions...) }

var litigationActions = []Action{
	{Verb: "side", Args: "court|defendant", Help: "hold the case from the court's side or the defendant's (own duties first, the claimant's steps watched)",
		parse: litParse(nil, func(a litArgs, e *Event) error {
			e.Kind = EventSideSet
			e.Data.Litigation.Side = a.pos(0)
			if e.Data.Litigation.Side != SideCourt && e.Data.Litigation.Side != SideDefendant {
				return errors.New("side court|defendant")
			}
			return nil
		})},
	{Verb: "part36", Args: "offer made|received [£AMOUNT] [--terms T] [--by WHO] [--days N] [--served DATE] | accept|withdraw [OFFER] | change [OFFER] [£AMOUNT] [--terms T] [--days N] [--served DATE]",
		Help: "Part 36 offers (CPR 36): record one made or received (relevant period not less than 21 days, CPR 36.5(1)(c)), accepted, withdrawn or changed",
		parse: litParse([]string{"amount", "terms", "by", "days", "served", "method", "time"}, func(a litArgs, e *Event) error {
			d := e.Data.Litigation
			sub := a.pos(0)
			if sub == "made" || sub == "received" { // "offer" may be left out
				a.positional = append([]string{"offer"}, a.positional...)
				sub = "offer"
			}
			switch sub {
			case "offer":
				e.Kind, d.Way = EventPart36Made, a.pos(1)
				if d.Way != "made" && d.Way != "received" {
					return errors.New("part36 offer made|received £AMOUNT, e.g. part36 offer received £40,000 --days 21")
				}
				d.Days = Part36MinDays
				return a.offerTerms(e, 2)
			case "accept", "withdraw", "change":
				e.Kind = map[string]string{"accept": EventPart36Accepted, "withdraw": EventPart36Withdrawn, "change": EventPart36Changed}[sub]
				from := 1
				if id, err := strconv.ParseInt(a.pos(1), 10, 64); err == nil && id > 0 && !strings.ContainsAny(a.pos(1), "£.,") {
					e.Data.Refers, from = id, 2
				}
				if sub != "change" {
					if len(a.positional) > from {
						return fmt.Errorf("part36 %s [OFFER]: %q is not an offer number", sub, a.positional[from])
					}
					return nil
				}
				return a.offerTerms(e, from)
			}
			return errors.New("part36 offer, accept, withdraw or change")
		})},
	{Verb: "decision", Args: "propose settle|defend REASONS | approve [note]",
		Help: "settle or defend: propose with reasons (revisits any earlier decision), or approve (someone other than who proposed)",
		parse: litParse([]string{"reasons", "text"}, func(a litArgs, e *Event) error {
			switch a.pos(0) {
			case "propose":
				e.Kind, e.Data.Litigation.Decision = EventDecision, a.pos(1)
				e.Data.Text = a.text(2, "reasons")
				if !slices.Contains(Recommendations, e.Data.Litigation.Decision) {
					return errors.New("decision propose settle|defend REASONS")
				}
			case "approve":
				e.Kind, e.Data.Text = EventDecisionApproved, a.text(1, "text")
			default:
				return errors.New("decision propose or approve")
			}
			return nil
		})},
	{Verb: "authority", Args: "request £AMOUNT [damages|costs] [--level L] [why] | approve|refuse [--request ID] [note]",
		Help: "financial authority to settle: ask up to an amount (the lowest level that covers it), or decide it as a holder of the level",
		parse: litParse([]string{"amount", "for", "level", "text", "request"}, func(a litArgs, e *Event) error {
			d := e.Data.Litigation
			switch a.pos(0) {
			case "request":
				e.Kind, d.Money, d.Level = EventAuthorityRequested, "damages", a.flags["level"]
				from := 1
				amount := a.flags["amount"]
				if amount == "" {
					amount, from = a.raw(1), 2
				}
				p, ok, err := ParseAmount(amount)
				if err != nil || !ok {
					return errors.New("authority request £AMOUNT [damages|costs], e.g. authority request £40,000 damages")
				}
				d.AmountPence = p
				if m := a.pos(from); slices.Contains(MoneyKinds, m) {
					d.Money, from = m, from+1
				}
				if f := a.flags["for"]; f != "" {
					d.Money = strings.ToLower(f)
				}
				e.Data.Text = a.text(from, "text")
			case "approve", "refuse":
				e.Kind = map[string]string{"approve": EventAuthorityApproved, "refuse": EventAuthorityRefused}[a.pos(0)]
				if r := a.flags["request"]; r != "" {
					id, err := strconv.ParseInt(r, 10, 64)
					if err != nil {
						return fmt.Errorf("--request: %q is not a request number", clip(r))
					}
					e.Data.Refers = id
				}
				e.Data.Text = a.text(1, "text")
			default:
				return errors.New("authority request, approve or refuse")
			}
			return nil
		})},
	{Verb: "settle", Args: "£DAMAGES [£COSTS] [terms]",
		Help: "record a settlement (closes the case); refused above the authority approved, damages and costs separately",
		parse: litParse([]string{"damages", "costs", "text"}, func(a litArgs, e *Event) error {
			e.Kind = EventSettled
			d := e.Data.Litigation
			from := 0
			for i, name := range []string{"damages", "costs"} {
				v := a.flags[name]
				if v == "" && looksLikeMoney(a.raw(from)) {
					v, from = a.raw(from), from+1
				}
				if v == "" {
					continue
				}
				p, _, err := ParseAmount(v)
				if err != nil {
					return fmt.Errorf("settle %s: %w", name, err)
				}
				if i == 0 {
					d.AmountPence = p
				} else {
					d.CostsPence = p
				}
			}
			e.Data.Text = a.text(from, "text")
			return nil
		})},
	{Verb: "instruction", Args: "send WHAT IS ASKED [--to WHO] [--due DATE] | answered [--instruction ID] [what they said]",
		Help: "instruct the government's lawyers (unanswered by --due it goes to the inbox), or record their response",
		parse: litParse([]string{"asked", "to", "due", "instruction", "text"}, func(a litArgs, e *Event) error {
			switch a.pos(0) {
			case "send":
				e.Kind, e.Data.Text, e.Data.To = EventInstructed, a.text(1, "asked"), a.flags["to"]
				if e.Data.To == "" {
					e.Data.To = "Government Legal Department"
				}
				if v := a.flags["due"]; v != "" {
					due, err := ParseDate(v)
					if err != nil {
						return fmt.Errorf("--due: %w", err)
					}
					e.Data.Due = due
				}
			case "answered":
				e.Kind, e.Data.Text = EventInstructionAnswered, a.text(1, "text")
				if r := a.flags["instruction"]; r != "" {
					id, err := strconv.ParseInt(r, 10, 64)
					if err != nil {
						return fmt.Errorf("--instruction: %q is not an instruction number", clip(r))
					}
					e.Data.Refers = id
				}
			default:
				return errors.New("instruction send or answered")
			}
			return nil
		})},
	{Verb: "time-request", Args: "DEADLINE DAYS [--firm-date DATE] [--agreed] [full explanation]",
		Help: "the defendant asks for more time; a second request on a deadline needs a full explanation and a firm date (R (Jasbir Singh) v SSHD [2013] EWHC 2873 (Admin))",
		parse: litParse([]string{"deadline", "days", "explanation", "firm-date", "agreed"}, func(a litArgs, e *Event) error {
			e.Kind = EventTimeRequested
			d := e.Data.Litigation
			from := 0
			e.Data.Deadline = a.flags["deadline"]
			if e.Data.Deadline == "" {
				e.Data.Deadline, from = strings.ReplaceAll(a.pos(0), "-", "_"), 1
			}
			days := a.flags["days"]
			if days == "" {
				days, from = a.pos(from), from+1
			}
			n, err := strconv.Atoi(days)
			if err != nil || n <= 0 || e.Data.Deadline == "" {
				return errors.New("time-request DEADLINE DAYS [explanation], e.g. time-request detailed_grounds 14 counsel is instructed…")
			}
			d.Days = n
			_, d.Agreed = a.flags["agreed"]
			e.Data.Text = a.text(from, "explanation")
			if v := a.flags["firm-date"]; v != "" {
				due, err := ParseDate(v)
				if err != nil {
					return fmt.Errorf("--firm-date: %w", err)
				}
				e.Data.Due = due
			}
			return nil
		})},
	{Verb: "brief", Args: "ministerial|media WHO WAS TOLD [--text T]",
		Help: "record who was told of ministerial or media interest (a case with ministerial interest closes only after one)",
		parse: litParse([]string{"interest", "told", "text"}, func(a litArgs, e *Event) error {
			e.Kind = EventBriefed
			d := e.Data.Litigation
			from := 0
			if d.Interest = strings.ToLower(a.flags["interest"]); d.Interest == "" {
				d.Interest, from = a.pos(0), 1
			}
			if d.Interest != "ministerial" && d.Interest != "media" {
				return errors.New("brief ministerial|media WHO, e.g. brief ministerial the Home Secretary's private office")
			}
			d.By, e.Data.Text = a.text(from, "told"), a.flags["text"]
			return nil
		})},
	{Verb: "outcome", Args: strings.Join(ClaimOutcomes, "|") + " [note]", Help: "how the claim ended, at the stage it reached (closes the case)",
		parse: litParse([]string{"text"}, func(a litArgs, e *Event) error {
			e.Kind, e.Data.Litigation.Outcome, e.Data.Text = EventOutcome, a.pos(0), a.text(1, "text")
			if !slices.Contains(ClaimOutcomes, e.Data.Litigation.Outcome) {
				return fmt.Errorf("outcome %s", strings.Join(ClaimOutcomes, "|"))
			}
			return nil
		})},
}

// litArgs are a litigation verb's words: positionals, then --flags.
type litArgs struct {
	positional []string
	flags      map[string]string
}

func (a litArgs) raw(i int) string {
	if i < len(a.positional) {
		return a.positional[i]
	}
	return ""
}

func (a litArgs) pos(i int) string { return strings.ToLower(a.raw(i)) }

// text is the positional words from i on, or the flag's value (a flag
// wins: it was asked for by name).
func (a litArgs) text(from int, flag string) string {
	if v, ok := a.flags[flag]; ok {
		return v
	}
	if from >= len(a.positional) {
		return ""
	}
	return strings.Join(a.positional[from:], " ")
}

// offerTerms reads an offer's (or a change's) amount and terms from the
// positionals from i on and the flags.
func (a litArgs) offerTerms(e *Event, i int) error {
	d := e.Data.Litigation
	amount := a.flags["amount"]
	if amount == "" && looksLikeMoney(a.raw(i)) {
		amount, i = a.raw(i), i+1
	}
	if amount != "" {
		p, ok, err := ParseAmount(amount)
		if err != nil || !ok {
			return fmt.Errorf("%q is not an amount (£40,000 or 40000)", clip(amount))
		}
		d.AmountPence = p
	}
	d.Terms, d.By = a.text(i, "terms"), a.flags["by"]
	if v := a.flags["days"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("--days: %q is not a number of days", clip(v))
		}
		d.Days = n
	} else if e.Kind == EventPart36Changed {
		d.Days = 0 // the domain gives a change 21 days (CPR 36.9(5))
	}
	if v := a.flags["served"]; v != "" {
		served, err := ParseDate(v)
		if err != nil {
			return fmt.Errorf("--served: %w", err)
		}
		d.Served = served
	}
	e.Data.Method, e.Data.Time = a.flags["method"], a.flags["time"]
	return nil
}

// looksLikeMoney: an amount typed where text may also go starts with £ or
// is a number with at most two decimals (a deadline kind or a word is not).
func looksLikeMoney(s string) bool {
	s = strings.TrimPrefix(s, "£")
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != ',' && r != '.' {
			return false
		}
	}
	return true
}

// oneWordFlags take a single word (a date, a number, an amount, a name);
// the others take text up to the next flag.
var oneWordFlags = map[string]bool{"date": true, "days": true, "served": true, "due": true, "firm-date": true, "amount": true,
	"damages": true, "costs": true, "request": true, "instruction": true, "level": true, "method": true, "time": true,
	"for": true, "interest": true, "deadline": true}

// litParse splits the words into positionals and --flags (those named,
// and --date for every verb), dates the event, then lets fill build it.
func litParse(flags []string, fill func(a litArgs, e *Event) error) func(actionArgs) (Event, error) {
	known := append([]string{"date"}, flags...)
	return func(aa actionArgs) (Event, error) {
		a := litArgs{flags: map[string]string{}}
		var cur string
		var val []string
		end := func() {
			if cur != "" {
				a.flags[cur] = strings.Join(val, " ")
			}
		}
		for _, w := range aa.words {
			if name, ok := strings.CutPrefix(w, "--"); ok && name != "" {
				name = strings.ToLower(name)
				if !slices.Contains(known, name) {
					return Event{}, fmt.Errorf("--%s is not an option here (%s)", clip(name), "--"+strings.Join(known, ", --"))
				}
				end()
				cur, val = name, nil
				if name == "agreed" { // a switch: it takes no value
					a.flags[name], cur = "yes", ""
				}
				continue
			}
			switch {
			case cur != "" && (len(val) == 0 || !oneWordFlags[cur]):
				val = append(val, w)
			default:
				// A date, number or amount is one word: what follows is
				// the positional text again.
				end()
				cur = ""
				a.positional = append(a.positional, w)
			}
		}
		end()
		e := aa.event("")
		if v := a.flags["date"]; v != "" {
			on, err := ParseDate(v)
			if err != nil {
				return Event{}, fmt.Errorf("--date: %w", err)
			}
			if on.After(aa.today) {
				return Event{}, fmt.Errorf("--date %s is in the future", on.UK())
			}
			e.On = on
		}
		e.Data.Litigation = &LitigationData{}
		if err := fill(a, &e); err != nil {
			return Event{}, err
		}
		return e, nil
	}
}

// litigationPhrases are the words after a litigation verb that the ":"
// line completes, so "part36 o" tab-completes to "part36 offer received".
var litigationPhrases = []string{
	"side defendant", "side court",
	"part36 offer received", "part36 offer made", "part36 accept", "part36 withdraw", "part36 change",
	"decision propose defend", "decision propose settle", "decision approve",
	"authority request", "authority approve", "authority refuse",
	"instruction send", "instruction answered",
	"brief ministerial", "brief media",
}

// ActionSuggestions are what the ":" line completes: every verb, and the
// litigation verbs' sub-commands and choices.
func ActionSuggestions() []string {
	out := ActionVerbs()
	out = append(out, litigationPhrases...)
	for _, o := range ClaimOutcomes {
		out = append(out, "outcome "+o)
	}
	return out
}
