package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// The government litigator's commands (issue 19): the side a case is held
// from, the Part 36 register, settle-or-defend decisions, financial
// authority, instructions, requests for more time, briefings and outcomes.
// Each records one event on the case it names.
func litigationCmds(g *globals) []*cobra.Command {
	one := cobra.ExactArgs(1)
	lit := func(e *domain.Event) *domain.LitigationData {
		if e.Data.Litigation == nil {
			e.Data.Litigation = &domain.LitigationData{}
		}
		return e.Data.Litigation
	}
	money := func(c *cobra.Command, name string) (int64, error) {
		v := text(c, name)
		if v == "" {
			return 0, nil
		}
		p, _, err := domain.ParseAmount(v)
		if err != nil {
			return 0, usageError{fmt.Errorf("--%s: %w", name, err)}
		}
		return p, nil
	}
	intFlag := func(c *cobra.Command, name string) int { v, _ := c.Flags().GetInt(name); return v }
	boolFlag := func(c *cobra.Command, name string) bool { v, _ := c.Flags().GetBool(name); return v }
	offerID := func(s *session, c *cobra.Command, ref, arg string) (int64, error) {
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			return 0, usageError{fmt.Errorf("%q is not an offer number (see caseload litigation %s)", arg, ref)}
		}
		return id, s.store.CheckOffer(c.Context(), ref, id)
	}
	serviceFlags := func(c *cobra.Command) {
		c.Flags().String("served", "", "the date it was served (default --date)")
		c.Flags().String("method", "", "how it was served, for deemed service (CPR 6.26): "+strings.Join(domain.ServiceMethods, ", "))
		c.Flags().String("time", "", "the time it was sent, HH:MM (email, fax, delivery: after 4.30pm it is served the next business day)")
	}
	served := func(c *cobra.Command, e *domain.Event) error {
		d, err := dateFlag(c, "served")
		if err != nil {
			return err
		}
		lit(e).Served = d
		e.Data.Method, e.Data.Time = text(c, "method"), text(c, "time")
		return nil
	}

	side := casework(g, "side REF court|defendant", "Hold a case from the court's side or the defendant's (own duties first, the claimant's steps watched)", cobra.ExactArgs(2), nil,
		func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
			e.Kind, lit(e).Side = domain.EventSideSet, args[1]
			return nil
		})

	part36 := &cobra.Command{Use: "part36", Short: "Part 36 offers: the register of offers made and received (CPR 36)"}
	part36.AddCommand(
		casework(g, "offer REF made|received --amount £|--terms TEXT [--days 21]", "Record a Part 36 offer made or received; its relevant period ends --days after service (not less than 21: CPR 36.5(1)(c))", cobra.ExactArgs(2),
			func(c *cobra.Command) {
				c.Flags().String("amount", "", "the amount offered, in pounds")
				c.Flags().String("terms", "", "the terms, when not (only) money")
				c.Flags().String("by", "", "who made it (a party or their lawyers)")
				c.Flags().Int("days", domain.Part36MinDays, "the relevant period in days (not less than 21)")
				serviceFlags(c)
			},
			func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
				e.Kind = domain.EventPart36Made
				d := lit(e)
				d.Way, d.By, d.Terms, d.Days = args[1], text(c, "by"), text(c, "terms"), intFlag(c, "days")
				var err error
				if d.AmountPence, err = money(c, "amount"); err != nil {
					return err
				}
				return served(c, e)
			}),
		casework(g, "accept REF OFFER", "Record that a Part 36 offer was accepted (CPR 36.11)", cobra.ExactArgs(2), nil,
			func(c *cobra.Command, args []string, s *session, e *domain.Event) error {
				e.Kind = domain.EventPart36Accepted
				var err error
				e.Data.Refers, err = offerID(s, c, args[0], args[1])
				return err
			}),
		casework(g, "withdraw REF OFFER", "Record that a Part 36 offer was withdrawn (CPR 36.9, 36.10)", cobra.ExactArgs(2), nil,
			func(c *cobra.Command, args []string, s *session, e *domain.Event) error {
				e.Kind = domain.EventPart36Withdrawn
				var err error
				e.Data.Refers, err = offerID(s, c, args[0], args[1])
				return err
			}),
		casework(g, "change REF OFFER --amount £|--terms TEXT", "Record a change to a Part 36 offer's terms (CPR 36.9)", cobra.ExactArgs(2),
			func(c *cobra.Command) {
				c.Flags().String("amount", "", "the new amount, in pounds")
				c.Flags().String("terms", "", "the new terms")
				c.Flags().Int("days", 0, "the relevant period of the changed offer (default 21: CPR 36.9(5))")
				serviceFlags(c)
			},
			func(c *cobra.Command, args []string, s *session, e *domain.Event) error {
				e.Kind = domain.EventPart36Changed
				d := lit(e)
				d.Terms, d.Days = text(c, "terms"), intFlag(c, "days")
				var err error
				if d.AmountPence, err = money(c, "amount"); err != nil {
					return err
				}
				if e.Data.Refers, err = offerID(s, c, args[0], args[1]); err != nil {
					return err
				}
				return served(c, e)
			}),
		litigationList(g, "list REF", "List a case's Part 36 offers with their relevant periods and state", func(w io.Writer, v *store.LitigationView) {
			printOffers(w, v)
		}, func(v *store.LitigationView) any { return v.Offers }),
	)

	decision := &cobra.Command{Use: "decision", Short: "Settle or defend: a decision with reasons, proposed and approved, revisited at each stage"}
	decision.AddCommand(
		casework(g, "propose REF settle|defend --reasons TEXT", "Propose settling or defending, with the reasons (revisits any earlier decision)", cobra.ExactArgs(2),
			func(c *cobra.Command) { c.Flags().String("reasons", "", "why (required)") },
			func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
				e.Kind, lit(e).Decision, e.Data.Text = domain.EventDecision, args[1], text(c, "reasons")
				return nil
			}),
		casework(g, "approve REF", "Approve the latest settle-or-defend decision (someone other than who proposed it)", one,
			func(c *cobra.Command) { c.Flags().String("text", "", "a note") },
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Text = domain.EventDecisionApproved, text(c, "text")
				return nil
			}),
	)

	authority := &cobra.Command{Use: "authority", Short: "Financial authority to settle: request, approve or refuse by a user of the level ([authority] in config.toml)"}
	authority.AddCommand(
		casework(g, "request REF --amount £ --for damages|costs [--level L]", "Ask for authority to settle up to an amount (the lowest level that covers it, unless --level)", one,
			func(c *cobra.Command) {
				c.Flags().String("amount", "", "the most the settlement may be, in pounds")
				c.Flags().String("for", "damages", "damages or costs")
				c.Flags().String("level", "", "the authority level asked (default: the lowest whose limit covers the amount)")
				c.Flags().String("text", "", "why")
			},
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind = domain.EventAuthorityRequested
				d := lit(e)
				d.Money, d.Level, e.Data.Text = text(c, "for"), text(c, "level"), text(c, "text")
				var err error
				d.AmountPence, err = money(c, "amount")
				return err
			}),
		authorityDecision(g, "approve", domain.EventAuthorityApproved),
		authorityDecision(g, "refuse", domain.EventAuthorityRefused),
		authorityLevelsCmd(g),
	)

	settle := casework(g, "settle REF --damages £ [--costs £]", "Record a settlement; refused above the authority approved (damages and costs separately). Closes the case", one,
		func(c *cobra.Command) {
			c.Flags().String("damages", "", "damages agreed, in pounds")
			c.Flags().String("costs", "", "costs agreed, in pounds")
			c.Flags().String("text", "", "the terms")
		},
		func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
			e.Kind, e.Data.Text = domain.EventSettled, text(c, "text")
			d := lit(e)
			var err error
			if d.AmountPence, err = money(c, "damages"); err != nil {
				return err
			}
			d.CostsPence, err = money(c, "costs")
			return err
		})

	instruct := &cobra.Command{Use: "instruction", Short: "Instructions to the government's lawyers: what was asked, the response due and received"}
	instruct.AddCommand(
		casework(g, "send REF --asked TEXT [--to GLD] [--due DATE]", "Record an instruction; unanswered by --due it goes to the inbox", one,
			func(c *cobra.Command) {
				c.Flags().String("asked", "", "what the lawyers are asked (required)")
				c.Flags().String("to", "Government Legal Department", "who is instructed")
				c.Flags().String("due", "", "the date the response is due")
			},
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Text, e.Data.To = domain.EventInstructed, text(c, "asked"), text(c, "to")
				var err error
				e.Data.Due, err = dateFlag(c, "due")
				return err
			}),
		casework(g, "answered REF [--instruction ID]", "Record the lawyers' response to an instruction (the latest unanswered, unless --instruction)", one,
			func(c *cobra.Command) {
				c.Flags().Int64("instruction", 0, "the instruction answered (its number on the timeline)")
				c.Flags().String("text", "", "what they said")
			},
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Text = domain.EventInstructionAnswered, text(c, "text")
				e.Data.Refers, _ = c.Flags().GetInt64("instruction")
				return nil
			}),
	)

	timeReq := casework(g, "time-request REF --deadline KIND --days N", "The defendant asks for more time; a second request on a deadline needs --explanation and --firm-date (Jasbir Singh)", one,
		func(c *cobra.Command) {
			c.Flags().String("deadline", "", "the deadline kind, e.g. pap_response, acknowledgment_of_service, defence")
			c.Flags().Int("days", 0, "how many more days")
			c.Flags().String("explanation", "", "why: a full explanation, required for a second request (R (Jasbir Singh) v SSHD [2013] EWHC 2873 (Admin))")
			c.Flags().String("firm-date", "", "the firm date the step will be taken by (required for a second request)")
			c.Flags().Bool("agreed", false, "agreed with the claimant (CPR 15.5: a defence, up to 28 days in all): moves the deadline")
		},
		func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
			e.Kind, e.Data.Deadline, e.Data.Text = domain.EventTimeRequested, text(c, "deadline"), text(c, "explanation")
			d := lit(e)
			d.Days, d.Agreed = intFlag(c, "days"), boolFlag(c, "agreed")
			var err error
			e.Data.Due, err = dateFlag(c, "firm-date")
			return err
		})

	brief := casework(g, "brief REF --interest ministerial|media --told WHO", "Record who was told of ministerial or media interest, and when (--date); a case with ministerial interest closes only after one", one,
		func(c *cobra.Command) {
			c.Flags().String("interest", "ministerial", "ministerial or media")
			c.Flags().String("told", "", "who was told (a private office, the press office)")
			c.Flags().String("text", "", "what they were told")
		},
		func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
			e.Kind, e.Data.Text = domain.EventBriefed, text(c, "text")
			d := lit(e)
			d.Interest, d.By = text(c, "interest"), text(c, "told")
			return nil
		})

	outcome := casework(g, "outcome REF "+strings.Join(domain.ClaimOutcomes, "|"), "Record how a claim ended, at the stage it reached; closes the case", cobra.ExactArgs(2),
		func(c *cobra.Command) { c.Flags().String("text", "", "a note") },
		func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
			e.Kind, e.Data.Text, lit(e).Outcome = domain.EventOutcome, text(c, "text"), args[1]
			return nil
		})

	view := litigationList(g, "litigation REF", "The party's side of a case: own duties and the other side's steps, offers, decisions, authority, instructions, time requests, briefings",
		func(w io.Writer, v *store.LitigationView) { printLitigation(w, v) }, func(v *store.LitigationView) any { return v })

	return []*cobra.Command{side, part36, decision, authority, settle, instruct, timeReq, brief, outcome, view}
}

func authorityDecision(g *globals, verb, kind string) *cobra.Command {
	return casework(g, verb+" REF [--request ID]", "Decide the pending authority request (the latest, unless --request); the user must hold its level", cobra.ExactArgs(1),
		func(c *cobra.Command) {
			c.Flags().Int64("request", 0, "the request decided (its number on the timeline)")
			c.Flags().String("text", "", "a note")
		},
		func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
			e.Kind, e.Data.Text = kind, text(c, "text")
			e.Data.Refers, _ = c.Flags().GetInt64("request")
			return nil
		})
}

func authorityLevelsCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "levels",
		Short: "List the authority levels, their limits and who holds them",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			a, err := authorityOf(s.cfg)
			if err != nil {
				return err
			}
			byRole, err := s.store.AuthorityHolders(cmd.Context())
			if err != nil {
				return err
			}
			type level struct {
				Level      string   `json:"level"`
				Limit      string   `json:"limit"`
				LimitPence int64    `json:"limit_pence"`
				Holders    []string `json:"holders"`
				// ByRole are the team's users holding the level through
				// their role (the users table).
				ByRole []string `json:"by_role"`
			}
			out := []level{}
			for _, l := range a.Levels {
				out = append(out, level{l.Name, domain.FormatPence(l.LimitPence), l.LimitPence, append([]string{}, a.Holders[l.Name]...),
					append([]string{}, byRole[l.Name]...)})
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), out)
			}
			if len(out) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "No authority levels: add [authority.LEVEL] limit and holders to config.toml")
			}
			for _, l := range out {
				roles := ""
				if len(l.ByRole) > 0 {
					roles = " (by role: " + strings.Join(l.ByRole, ", ") + ")"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%-14s %12s  %s%s\n", safe(l.Level), l.Limit, safe(strings.Join(l.Holders, ", ")), safe(roles))
			}
			return nil
		}),
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

// authorityOf reads config.toml's [authority] table. The team's roles
// (issue 16) are connected by the store, in the transaction that checks an
// approval: a holder "role:team-leader" (or "team-leader") is every
// current user with that role in the users table.
func authorityOf(cfg config) (domain.Authority, error) {
	a, err := domain.ParseAuthority(cfg.Authority)
	if err != nil {
		return a, fmt.Errorf("%s: %w", configFile(), err)
	}
	return a, nil
}

func litigationList(g *globals, use, short string, print func(io.Writer, *store.LitigationView), pick func(*store.LitigationView) any) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			v, err := s.store.Litigation(cmd.Context(), args[0], s.today)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), pick(v))
			}
			print(cmd.OutOrStdout(), v)
			return nil
		}),
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

func printOffers(w io.Writer, v *store.LitigationView) {
	if len(v.Offers) == 0 {
		fmt.Fprintf(w, "%s: no Part 36 offers\n", v.Reference)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tPart 36 offers\n", v.Reference)
	for _, o := range v.Offers {
		what := o.Amount
		if o.Terms != "" {
			what = strings.TrimSpace(what + " " + o.Terms)
		}
		fmt.Fprintf(tw, "  %d\t%s by %s\t%s\tserved %s\t%d days, ends %s\t%s\n", o.ID, o.Way, safe(o.By), safeClip(what, 40),
			o.Served.UK(), o.Days, o.PeriodEnds.UK(), o.State)
	}
	tw.Flush()
}

func printLitigation(w io.Writer, v *store.LitigationView) {
	fmt.Fprintf(w, "%s held from the %s's side, stage %s\n", v.Reference, v.Side, v.Stage.Label())
	if v.Outcome != "" {
		fmt.Fprintf(w, "Outcome: %s at %s\n", v.Outcome, v.OutcomeStage.Label())
	}
	list := func(title string, ds []domain.Deadline) {
		if len(ds) == 0 {
			return
		}
		fmt.Fprintln(w, "\n"+title)
		for _, d := range ds {
			state := d.Status
			if d.Status == domain.DeadlineMet {
				state = "met " + d.MetOn.UK()
			}
			fmt.Fprintf(w, "  %-50s %s  %-22s %s\n", safeClip(d.Label, 50), d.Due.UK(), safeClip(d.Rule, 22), state)
		}
	}
	list("Own duties", v.Own)
	list("Watch (the other side's steps)", v.Watch)
	if len(v.Offers) > 0 {
		fmt.Fprintln(w)
		printOffers(w, v)
	}
	if len(v.Decisions) > 0 {
		fmt.Fprintln(w, "\nSettle or defend")
		for _, d := range v.Decisions {
			approved := "not yet approved"
			if d.ApprovedBy != "" {
				approved = "approved by " + d.ApprovedBy + " " + d.ApprovedOn.UK()
			}
			fmt.Fprintf(w, "  %s  %s at %s, proposed by %s; %s: %s\n", d.On.UK(), d.Decision, d.Stage.Label(), safe(d.ProposedBy), approved, safeClip(d.Reasons, 60))
		}
		if v.Revisit {
			fmt.Fprintf(w, "  the case has moved to %s since: revisit the decision\n", v.Stage.Label())
		}
	}
	for _, a := range v.Authority {
		fmt.Fprintf(w, "Authority %d: %s up to %s, level %s, %s", a.ID, a.Money, domain.FormatPence(a.AmountPence), safe(a.Level), a.State)
		if a.DecidedBy != "" {
			fmt.Fprintf(w, " by %s %s", safe(a.DecidedBy), a.DecidedOn.UK())
		}
		fmt.Fprintln(w)
	}
	for _, in := range v.Instructions {
		state := "response due " + in.Due.UK()
		switch {
		case !in.Answered.IsZero():
			state = "answered " + in.Answered.UK()
		case in.Due.IsZero():
			state = "no response date"
		}
		fmt.Fprintf(w, "Instruction %d to %s, %s: %s (%s)\n", in.ID, safe(in.To), in.On.UK(), safeClip(in.Asked, 60), state)
	}
	for _, t := range v.TimeRequests {
		rep := ""
		if t.Repeat {
			rep = ", repeated, firm date " + t.FirmDate.UK()
		}
		if t.Agreed {
			rep += ", agreed"
		}
		fmt.Fprintf(w, "More time asked %s: %d days for %s%s\n", t.On.UK(), t.Days, strings.ReplaceAll(t.Deadline, "_", " "), rep)
	}
	for _, b := range v.Briefings {
		fmt.Fprintf(w, "Briefed (%s interest): %s on %s\n", b.Interest, safe(b.Told), b.On.UK())
	}
}

// sideOrdered puts a case's deadlines in the order its side reads them:
// from the defendant's side its own duties first, then the claimant's
// steps, marked to watch.
func sideOrdered(s *session, c *store.Case) (own, watch []domain.Deadline) {
	v, err := s.store.Litigation(context.Background(), c.Reference, s.today)
	if err != nil || v.Side != domain.SideDefendant {
		return c.Deadlines, nil
	}
	return v.Own, v.Watch
}
