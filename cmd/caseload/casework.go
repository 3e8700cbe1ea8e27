package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// casework builds a command that records one casework event on REF. build
// fills the event from the flags; the domain validates it in the store's
// transaction.
func casework(g *globals, use, short string, args cobra.PositionalArgs, setup func(*cobra.Command),
	build func(cmd *cobra.Command, args []string, s *session, e *domain.Event) error) *cobra.Command {
	var date string
	var asJSON bool
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  args,
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			on := s.today
			if date != "" {
				var err error
				if on, err = domain.ParseDate(date); err != nil {
					return usageError{fmt.Errorf("--date: %w", err)}
				}
				if on.After(s.today) {
					return usageError{fmt.Errorf("--date %s is in the future", on.UK())}
				}
			}
			e := domain.Event{On: on, User: s.user}
			if err := build(cmd, args, s, &e); err != nil {
				return err
			}
			e, err := s.store.Record(cmd.Context(), args[0], e)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), e)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", strings.ToUpper(args[0]), safe(e.Detail))
			return nil
		}),
	}
	c.Flags().StringVar(&date, "date", "", "the date it happened (default today)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the recorded event as JSON")
	if setup != nil {
		setup(c)
	}
	return c
}

func text(cmd *cobra.Command, name string) string { v, _ := cmd.Flags().GetString(name); return v }

func dateFlag(cmd *cobra.Command, name string) (domain.Date, error) {
	v := text(cmd, name)
	if v == "" {
		return domain.Date{}, nil
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		return d, usageError{fmt.Errorf("--%s: %w", name, err)}
	}
	return d, nil
}

func caseworkCmds(g *globals) []*cobra.Command {
	one := cobra.ExactArgs(1)
	return []*cobra.Command{
		casework(g, "return REF --reason CODE...", "Return an incomplete notice to the appellant (r20); it leaves the queue", one,
			func(c *cobra.Command) {
				c.Flags().StringSlice("reason", nil, "checklist item(s) missing, or no-jurisdiction, duplicate, other (repeatable)")
				c.Flags().String("text", "", "what is wrong, in words (required with other)")
				c.Long = "Return an incomplete notice (r20). Reasons: appellant, representative, address-for-documents, decision,\nresult-sought, grounds, decision-copy, no-jurisdiction, duplicate, other. A corrected notice imported again\nunder the same reference reopens the case."
			},
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind = domain.EventReturned
				e.Data.Reasons, _ = c.Flags().GetStringSlice("reason")
				e.Data.Text = text(c, "text")
				return nil
			}),
		casework(g, "reopen REF", "Reopen a returned notice (a corrected notice arrived)", one,
			func(c *cobra.Command) { c.Flags().String("text", "", "a note") },
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Text = domain.EventReopened, text(c, "text")
				return nil
			}),
		casework(g, "checklist REF ITEM", "Tick a completeness item as present, or --missing (r20)", cobra.ExactArgs(2),
			func(c *cobra.Command) { c.Flags().Bool("missing", false, "mark the item missing instead") },
			func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
				missing, _ := c.Flags().GetBool("missing")
				e.Kind, e.Data.Item, e.Data.Done = domain.EventChecklist, args[1], !missing
				return nil
			}),
		casework(g, "permission REF request|grant|refuse", "Late appeal: record the request for permission and the decision (under the rule the case's pack cites)", cobra.ExactArgs(2),
			func(c *cobra.Command) { c.Flags().String("text", "", "the reason given, or the decision's note") },
			func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
				kinds := map[string]string{"request": domain.EventPermissionRequested, "grant": domain.EventPermissionGranted, "refuse": domain.EventPermissionRefused}
				if e.Kind = kinds[args[1]]; e.Kind == "" {
					return usageError{errors.New("use request, grant or refuse")}
				}
				e.Data.Text = text(c, "text")
				return nil
			}),
		casework(g, "extension REF request|grant|refuse", "Extension of time on a deadline: who asked, how long, the decision", cobra.ExactArgs(2),
			func(c *cobra.Command) {
				c.Flags().String("deadline", "", "the deadline kind, e.g. statement_of_case")
				c.Flags().String("party", "", "who asked: appellant or respondent")
				c.Flags().Int("days", 0, "how many more days were asked for")
				c.Flags().String("to", "", "grant: the new due date")
				c.Flags().String("text", "", "the reason, or the decision's note")
			},
			func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
				kinds := map[string]string{"request": domain.EventExtensionRequested, "grant": domain.EventExtensionGranted, "refuse": domain.EventExtensionRefused}
				if e.Kind = kinds[args[1]]; e.Kind == "" {
					return usageError{errors.New("use request, grant or refuse")}
				}
				e.Data.Deadline, e.Data.Party, e.Data.Text = text(c, "deadline"), text(c, "party"), text(c, "text")
				e.Data.Days, _ = c.Flags().GetInt("days")
				var err error
				e.Data.Due, err = dateFlag(c, "to")
				return err
			}),
		casework(g, "direction REF --text T --party P (--due DATE | --days N)", "Issue a direction: a party to do something by a date", one,
			func(c *cobra.Command) {
				c.Flags().String("text", "", "what the party must do")
				c.Flags().String("party", "", "appellant, respondent or both")
				c.Flags().String("due", "", "the date it is due")
				c.Flags().Int("days", 0, "or: due this many days after today, counted as the case's rules count a period set by a direction (r12 in a tribunal; CPR 2.8 in a court: clear days, 5 days or less skip non-working days)")
			},
			func(c *cobra.Command, _ []string, s *session, e *domain.Event) error {
				e.Kind, e.Data.Text, e.Data.Party = domain.EventDirection, text(c, "text"), text(c, "party")
				due, err := dateFlag(c, "due")
				if err != nil {
					return err
				}
				if days, _ := c.Flags().GetInt("days"); days > 0 {
					if !due.IsZero() {
						return usageError{errors.New("give --due or --days, not both")}
					}
					e.Data.Days = days // counted by the case's pack, in the transaction
				}
				e.Data.Due = due
				return nil
			}),
		casework(g, "comply REF", "Record compliance with a direction (the oldest outstanding, or --direction ID)", one,
			func(c *cobra.Command) { c.Flags().Int64("direction", 0, "the direction's event id (see show --json)") },
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind = domain.EventComplied
				e.Data.Refers, _ = c.Flags().GetInt64("direction")
				return nil
			}),
		casework(g, "hearing REF --on DATE [--venue V]", "Record a hearing listed; a readiness check falls due before it", one,
			func(c *cobra.Command) {
				c.Flags().String("on", "", "the hearing date")
				c.Flags().String("venue", "", "venue, or video")
				c.Flags().Bool("force", false, "list it on a non-working day anyway (needs --reason)")
				c.Flags().String("reason", "", "why the hearing is on a non-working day")
			},
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Venue = domain.EventHearingListed, text(c, "venue")
				e.Data.Force, _ = c.Flags().GetBool("force")
				e.Data.Reason = text(c, "reason")
				var err error
				e.Data.Due, err = dateFlag(c, "on")
				return err
			}),
		casework(g, "ready REF --party P", "Record a party's confirmation that it is ready for the hearing", one,
			func(c *cobra.Command) { c.Flags().String("party", "", "appellant or respondent") },
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Party = domain.EventReadinessConfirmed, text(c, "party")
				return nil
			}),
		casework(g, "flag REF FLAG", "Set a flag (bespoke, urgent, high-profile, vulnerable, ministerial, media); --clear removes it", cobra.ExactArgs(2),
			func(c *cobra.Command) { c.Flags().Bool("clear", false, "clear the flag") },
			func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Flag = domain.EventFlagSet, args[1]
				if clear, _ := c.Flags().GetBool("clear"); clear {
					e.Kind = domain.EventFlagCleared
				}
				return nil
			}),
		casework(g, "refer REF --to judge|registrar [--note TEXT]", "Refer a case with a note; without --note, $EDITOR opens", one,
			func(c *cobra.Command) {
				c.Flags().String("to", "judge", "judge or registrar")
				c.Flags().String("note", "", "the note (multi-line; default: write it in $EDITOR)")
			},
			func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.To, e.Data.Text = domain.EventReferred, text(c, "to"), text(c, "note")
				if e.Data.Text == "" {
					note, err := editNote(fmt.Sprintf("# Note for the %s on %s. Lines starting with # are left out.\n", e.Data.To, args[0]))
					if err != nil {
						return err
					}
					e.Data.Text = note
				}
				return nil
			}),
		casework(g, "answer REF --text RESPONSE", "Record the response to the oldest waiting referral", one,
			func(c *cobra.Command) {
				c.Flags().String("text", "", "the response")
				c.Flags().Int64("referral", 0, "the referral's event id, if not the oldest")
			},
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Text = domain.EventReferralAnswered, text(c, "text")
				e.Data.Refers, _ = c.Flags().GetInt64("referral")
				return nil
			}),
		casework(g, "log REF --channel phone|email|letter --in|--out --summary TEXT", "Log correspondence on the timeline", one,
			func(c *cobra.Command) {
				c.Flags().String("channel", "", "phone, email or letter")
				c.Flags().Bool("in", false, "it came in")
				c.Flags().Bool("out", false, "it went out")
				c.Flags().String("summary", "", "one line")
			},
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				in, _ := c.Flags().GetBool("in")
				out, _ := c.Flags().GetBool("out")
				if in == out {
					return usageError{errors.New("give --in or --out")}
				}
				e.Kind, e.Data.Channel, e.Data.Text, e.Data.Way = domain.EventCorrespondence, text(c, "channel"), text(c, "summary"), "in"
				if out {
					e.Data.Way = "out"
				}
				return nil
			}),
		casework(g, "dispose REF --how TEXT", "Close a case: decided, withdrawn, struck out or settled", one,
			func(c *cobra.Command) { c.Flags().String("how", "", "how it ended") },
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Text = domain.EventDisposed, text(c, "how")
				return nil
			}),
		casework(g, "recommend REF settle|defend --note TEXT", "Judicial review: recommend settling or defending, with a note saying why",
			cobra.ExactArgs(2),
			func(c *cobra.Command) { c.Flags().String("note", "", "why (one line or more)") },
			func(c *cobra.Command, args []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Reason, e.Data.Text = domain.EventRecommended, strings.ToLower(args[1]), text(c, "note")
				return nil
			}),
		casework(g, "unstay REF", "Lift the stay on a case", one,
			func(c *cobra.Command) { c.Flags().String("text", "", "why") },
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Text = domain.EventStayLifted, text(c, "text")
				return nil
			}),
		casework(g, "progress REF [--text T]", "Mark an old case as reviewed and moved on (clears the old-case flag)", one,
			func(c *cobra.Command) { c.Flags().String("text", "", "what was done") },
			func(c *cobra.Command, _ []string, _ *session, e *domain.Event) error {
				e.Kind, e.Data.Text = domain.EventProgressed, text(c, "text")
				return nil
			}),
	}
}

// editNote opens $EDITOR (else vi) on a temporary file and returns what was
// written, without comment lines.
func editNote(header string) (string, error) {
	f, err := os.CreateTemp("", "caseload-note-*.md")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	f.WriteString(header)
	f.Close()
	editor := os.Getenv("EDITOR")
	if editor == "" {
		editor = "vi"
	}
	cmd := exec.Command("sh", "-c", editor+` "$1"`, "editor", f.Name())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("editor %s: %w", editor, err)
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		return "", err
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	note := strings.TrimSpace(strings.Join(lines, "\n"))
	if note == "" {
		return "", errors.New("the note is empty: nothing referred")
	}
	return note, nil
}

// printNotes writes a case's notes and referrals as Markdown for pasting
// into a file for a judge.
func printNotes(w io.Writer, c *store.Case) {
	fmt.Fprintf(w, "# %s — %s\n\n", c.Reference, safe(c.Appellant))
	track := "not yet categorised"
	if c.Track != nil {
		track = c.Track.Label()
	}
	fmt.Fprintf(w, "%s; %s; received %s", c.Subject.Label(), track, c.Received.Long())
	if c.AmountPence != nil {
		fmt.Fprintf(w, "; %s in dispute", domain.FormatPence(*c.AmountPence))
	}
	fmt.Fprint(w, "\n")
	for _, e := range c.Events {
		switch e.Kind {
		case domain.EventNote, domain.EventReferred, domain.EventReferralAnswered:
			title := map[string]string{domain.EventNote: "Note", domain.EventReferred: "Referral to the " + e.Data.To,
				domain.EventReferralAnswered: "Response"}[e.Kind]
			body := e.Data.Text
			if body == "" {
				body = e.Detail
			}
			fmt.Fprintf(w, "\n## %s — %s, %s\n\n%s\n", title, e.On.Long(), safeClip(e.User, 30), safeBlock(body))
		}
	}
}

// safeBlock is safe for multi-line text: line breaks are kept.
func safeBlock(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safe(l)
	}
	return strings.Join(lines, "\n")
}

func inboxCmd(g *globals) *cobra.Command {
	var asJSON bool
	var limit int
	c := &cobra.Command{
		Use:   "inbox",
		Short: "What needs action today, most urgent first, with what each urgency is made of",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			items, err := s.store.Inbox(cmd.Context(), s.today, readLimit(limit))
			if err != nil {
				return err
			}
			items = cut(cmd, items, limit, -1, "items")
			if asJSON {
				return printJSON(cmd.OutOrStdout(), items)
			}
			for _, it := range items {
				ref := it.Reference
				switch {
				case it.Kind == "mail" && ref == "":
					ref = fmt.Sprintf("mail %d", it.MailID)
				case it.QueryID != 0 && ref == "":
					ref = fmt.Sprintf("query %d", it.QueryID)
				case ref == "":
					ref = "queue"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%5.0f  %-14s %s\n", it.Urgency, ref, safe(it.Reason))
			}
			return nil
		}),
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON (with each item's urgency parts)")
	c.Flags().IntVar(&limit, "limit", 50, "at most this many items (0: all)")
	return c
}

func oldCmd(g *globals) *cobra.Command {
	var asJSON bool
	var limit int
	c := &cobra.Command{
		Use:   "old",
		Short: "Open cases with no activity for a while, or received long ago, oldest activity first",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			rows, err := s.store.OldCases(cmd.Context(), s.today, 0, readLimit(limit))
			if err != nil {
				return err
			}
			rows = cut(cmd, rows, limit, -1, "old cases")
			if asJSON {
				return printJSON(cmd.OutOrStdout(), rows)
			}
			for _, r := range rows {
				fmt.Fprintf(cmd.OutOrStdout(), "%s  last activity %s  received %s  %s\n", r.Reference, r.LastEvent.UK(),
					r.Received.UK(), safeClip(r.Appellant, 40))
			}
			return nil
		}),
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().IntVar(&limit, "limit", 100, "at most this many (0: all)")
	return c
}

func groupCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "group", Short: "Lead cases and groups (r18): suggest, create"}
	var asJSON bool
	var limit int
	suggest := &cobra.Command{
		Use:   "suggest",
		Short: "Suggest potential groups among open cases, with the evidence",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			groups, err := s.store.SuggestGroups(cmd.Context(), limit)
			if err != nil {
				return err
			}
			if asJSON {
				if groups == nil {
					groups = []store.GroupSuggestion{}
				}
				return printJSON(cmd.OutOrStdout(), groups)
			}
			for _, gr := range groups {
				fmt.Fprintf(cmd.OutOrStdout(), "%d cases: %s\n  %s\n", len(gr.References), safe(gr.Evidence), strings.Join(gr.References, " "))
			}
			return nil
		}),
	}
	suggest.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	suggest.Flags().IntVar(&limit, "limit", 20, "at most this many groups")
	var name string
	create := &cobra.Command{
		Use:   "create LEAD RELATED...",
		Short: "Make LEAD the lead case and stay each RELATED case behind it",
		Args:  cobra.MinimumNArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			if err := s.store.CreateGroup(cmd.Context(), name, args[0], args[1:], s.act()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s is the lead case; stayed behind it: %s\n", strings.ToUpper(args[0]), strings.ToUpper(strings.Join(args[1:], " ")))
			return nil
		}),
	}
	create.Flags().StringVar(&name, "name", "", "a name for the group, e.g. the scheme")
	c.AddCommand(suggest, create)
	return c
}

func reportCmd(g *globals) *cobra.Command {
	var from, to, by, format, output string
	c := &cobra.Command{
		Use:   "report NAME",
		Short: "Reports: rejections, extensions, ageing, flow, categorisation, directions, queries, complaints, support-needs, fees",
		Long: `Reports over a date range (default the last 12 weeks to today), grouped by week or month.
Each report ends with the definition of every figure (README: "Reports").

  rejections      notices received and returned (by reason), and the rejection rate
  extensions      late appeals and deadline extension requests by track: granted, refused, pending
  ageing          open caseload by track and age band, and the oldest cases
  flow            receipts, disposals, outstanding, median weeks to clear
  categorisation  categorised per day and per caseworker, suggestions accepted or overridden
  directions      directions issued, complied on time, late, outstanding, by party

Service centre:
  queries         queries by channel and topic: resolved, within service level, first-contact
                  resolution, median working days to resolve, open past service level
  complaints      complaints by stage reached and outcome, responses within the stage's service level
  support-needs   support needs requested, by code and status now, and how many matter at a hearing
  fees            fees due by code: unpaid, under-paid, paid or remitted, over-paid, owed; each
                  under- and over-payment`,
		Args: cobra.MaximumNArgs(1),
		RunE: listReportsOr(g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			var err error
			end := s.today
			if to != "" {
				if end, err = domain.ParseDate(to); err != nil {
					return usageError{fmt.Errorf("--to: %w", err)}
				}
			}
			start := end.AddDays(-83) // 12 weeks, inclusive of both ends
			if from != "" {
				if start, err = domain.ParseDate(from); err != nil {
					return usageError{fmt.Errorf("--from: %w", err)}
				}
			}
			r, err := s.store.Report(cmd.Context(), args[0], start, end, by)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if output != "" {
				f, err := os.OpenFile(output, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			return r.Write(w, format)
		})),
	}
	c.Flags().StringVar(&from, "from", "", "first day (default 12 weeks before --to)")
	c.Flags().StringVar(&to, "to", "", "last day (default today)")
	c.Flags().StringVar(&by, "by", "week", "week or month")
	c.Flags().StringVar(&format, "format", "table", "table, csv, json or md")
	c.Flags().StringVarP(&output, "output", "o", "", "write to this new file (0600) instead of stdout")
	return c
}
