package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/mattn/go-isatty"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// printJSON writes v indented, with the characters a terminal would obey
// or that hide text escaped (domain.JSONSafe): the values are unchanged.
func printJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(domain.JSONSafe(b), '\n'))
	return err
}

func importCmd(g *globals) *cobra.Command {
	var skip, asJSON bool
	c := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import notices of appeal from CSV or JSON files",
		Long: `Import notices of appeal from CSV (header row) or JSON (array of objects) files.

Columns: reference (empty: the next TC/YYYY/NNNNN is assigned), received, decision_date, appellant,
representative, respondent (default HMRC), subject (code or label), amount (1234.56 or £1,234.56),
grounds, hmrc_reference, late_reason, jurisdiction, stage, division. Dates as YYYY-MM-DD or DD/MM/YYYY.
A file written by 'caseload export' is read back as it is: the columns it adds from each case's
events (track, status, allocated_on, suggested_track, late, days_late, last_event) are not
imported, and stderr says so.

All or nothing: if any row is invalid nothing is imported and every bad row is reported as
FILE:LINE: field: problem. Re-importing the same notices changes nothing.`,
		Args:   cobra.MinimumNArgs(1),
		PreRun: func(*cobra.Command, []string) { g.create = true },
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			res, err := s.store.Import(cmd.Context(), args, store.ImportOptions{ActOptions: s.act(), SkipInvalid: skip})
			for _, p := range res.Problems {
				fmt.Fprintln(cmd.ErrOrStderr(), safe(p.Error()))
			}
			if len(res.Ignored) > 0 && len(res.Problems) == 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "Not imported: %s (an export's state, derived from each case's events)\n", strings.Join(res.Ignored, ", "))
			}
			if err != nil && !errors.Is(err, store.ErrInvalidImport) {
				// The transaction did not commit: no counts, since none of
				// them came true.
				return err
			}
			if asJSON {
				if res.References == nil {
					res.References = []string{}
				}
				printJSON(cmd.OutOrStdout(), res)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "%d imported, %d unchanged, %d rejected", res.Imported, res.Unchanged, res.Rejected)
				if res.Reopened > 0 {
					fmt.Fprintf(cmd.OutOrStdout(), ", %d returned notices reopened", res.Reopened)
				}
				fmt.Fprintln(cmd.OutOrStdout())
			}
			if err != nil {
				return err
			}
			if err := distributeNew(cmd, s); err != nil {
				return err
			}
			if len(res.Problems) > 0 {
				return exitError{1}
			}
			return nil
		}),
	}
	c.Flags().BoolVar(&skip, "skip-invalid", false, "import the good rows of a file and report the bad ones")
	c.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return c
}

// queueItem is the JSON shape of `queue --json`.
type queueItem struct {
	Reference        string         `json:"reference"`
	Received         domain.Date    `json:"received"`
	DecisionDate     *domain.Date   `json:"decision_date"`
	Appellant        string         `json:"appellant"`
	Representative   string         `json:"representative"`
	Subject          domain.Subject `json:"subject"`
	AmountPence      *int64         `json:"amount_pence"`
	SuggestedTrack   domain.Track   `json:"suggested_track"`
	SuggestionReason string         `json:"suggestion_reason"`
	Late             bool           `json:"late"`
	DaysLate         int            `json:"days_late"`
	LateReason       string         `json:"late_reason"`
}

func queueCmd(g *globals) *cobra.Command {
	var asJSON bool
	var limit int
	c := &cobra.Command{
		Use:   "queue",
		Short: "List appeals waiting to be categorised, oldest received first",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			rows, err := s.store.Queue(cmd.Context(), readLimit(limit))
			if err != nil {
				return err
			}
			total := -1
			if counts, err := s.store.Counts(store.InJurisdiction(cmd.Context(), s.jurisdiction), s.today); err == nil {
				total = counts.Queue
			}
			rows = cut(cmd, rows, limit, total, "appeals")
			if asJSON {
				out := make([]queueItem, 0, len(rows))
				for _, r := range rows {
					q := queueItem{r.Reference, r.Received, nil, r.Appellant, r.Representative, r.Subject, r.AmountPence,
						r.SuggestedTrack, r.SuggestionReason, r.Late, r.DaysLate, r.LateReason}
					if !r.DecisionDate.IsZero() {
						d := r.DecisionDate
						q.DecisionDate = &d
					}
					out = append(out, q)
				}
				return printJSON(cmd.OutOrStdout(), out)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "REFERENCE\tRECEIVED\tAPPELLANT\tSUBJECT\tAMOUNT\tSUGGESTED\tLATE")
			for _, r := range rows {
				late := ""
				if r.Late {
					late = fmt.Sprintf("%d days", r.DaysLate)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Reference, r.Received.UK(), safeClip(r.Appellant, 30),
					r.Subject.Label(), amount(r.AmountPence), r.SuggestedTrack.Label(), late)
			}
			return tw.Flush()
		}),
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().IntVar(&limit, "limit", 1000, "at most this many (0: all)")
	return c
}

// isTerminal reports whether w is a terminal a person can answer at or read
// (not /dev/null, a pipe or a file: a script keeps its meaning).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

func amount(p *int64) string {
	if p == nil {
		return "not given"
	}
	return domain.FormatPence(*p)
}

func categoriseCmd(g *globals) *cobra.Command {
	var reason string
	var confirmLate bool
	c := &cobra.Command{
		Use:     "categorise REF TRACK",
		Aliases: []string{"categorize", "allocate"},
		Short:   "Allocate a case to a track: paper, basic, standard or complex (r23)",
		Long: `Allocate a case to a track: paper (Default Paper), basic, standard or complex (r23).
The allocation is dated --today and sets the deadlines the rule pack gives for the track.
Re-categorising a case that already has a track needs --reason.
A late appeal whose permission to appeal late is not decided is allocated only when confirmed: at a
terminal caseload asks; --confirm-late answers yes. Without a terminal (a script) it is allocated
with a warning, as before; record the request with: caseload permission REF request.
An allocation dated before the notice was received is refused.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			track, err := domain.ParseTrack(args[1])
			if err != nil {
				return usageError{err}
			}
			s, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.store.Close()
			opt := store.CategoriseOptions{ActOptions: s.act(), Reason: reason, AskIfLate: true, LateConfirmed: confirmLate}
			interactive := isTerminal(os.Stdin)
			if !interactive {
				opt.LateConfirmed = true
			}
			e, err := s.store.Categorise(cmd.Context(), args[0], track, opt)
			if errors.Is(err, store.ErrLateUndecided) && interactive {
				fmt.Fprintf(cmd.ErrOrStderr(), "%v\nAllocate it anyway? [y/N] ", err)
				var answer string
				fmt.Fscanln(cmd.InOrStdin(), &answer)
				if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
					return fmt.Errorf("%s not allocated; record the permission request with: caseload permission %s request", strings.ToUpper(args[0]), args[0])
				}
				opt.LateConfirmed = true
				e, err = s.store.Categorise(cmd.Context(), args[0], track, opt)
			}
			if err != nil {
				return err
			}
			if !interactive && !confirmLate {
				if c, err := s.store.Replayed(cmd.Context(), args[0]); err == nil && c.Permission != "granted" && c.Permission != "refused" {
					if row, err := s.store.Case(cmd.Context(), args[0]); err == nil && row.Late {
						fmt.Fprintf(cmd.ErrOrStderr(), "caseload: warning: %s is %d days late and permission to appeal late (%s) is not decided\n",
							row.Reference, row.DaysLate, s.store.PackOf(row.Jurisdiction).AppealLimit.PermissionRule)
					}
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", strings.ToUpper(args[0]), safe(e.Detail))
			return printDeadlines(cmd.OutOrStdout(), s, args[0])
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why the case is re-categorised (required if it already has a track)")
	c.Flags().BoolVar(&confirmLate, "confirm-late", false, "allocate a late appeal whose permission to appeal late is not decided")
	return c
}

func recalcCmd(g *globals) *cobra.Command {
	var dryRun, asJSON, last bool
	c := &cobra.Command{
		Use:   "recalc [--dry-run] [--json] [--last]",
		Short: "Recompute every stored deadline from the events under the rules loaded now, and list what moved",
		Long: `Deadlines are stored so that what is due is a quick look-up. When what they are counted from changes
(a rule pack in the config directory, a newer bank-holidays.json, a court closure day in config.toml, or
a caseload whose counting changed) caseload notices at start and on 'caseload check' and recomputes
every case's deadlines and lateness from its events, in one transaction, and says how many moved.
recalc does the same on demand (it is safe to run at any time) and lists what moved; --dry-run shows
what would move and changes nothing; --last lists what the last recomputation moved.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g.skipRecalc = true
			s, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.store.Close()
			var r store.RecalcResult
			if last {
				var ok bool
				if r, ok, err = s.store.LastRecalc(cmd.Context()); err == nil && !ok {
					err = errors.New("no recomputation has been recorded")
				}
			} else {
				r, err = s.store.Recalc(cmd.Context(), dryRun)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), r)
			}
			printRecalc(cmd.OutOrStdout(), r)
			return nil
		},
	}
	c.Flags().BoolVar(&dryRun, "dry-run", false, "show what would move; change nothing")
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().BoolVar(&last, "last", false, "list what the last recomputation moved")
	return c
}

func printRecalc(w io.Writer, r store.RecalcResult) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, ch := range r.Changes {
		dates := ch.Now.UK()
		switch ch.Change {
		case "moved":
			dates = ch.Was.UK() + " -> " + ch.Now.UK()
		case "removed":
			dates = ch.Was.UK()
		case "late":
			dates = "limit " + ch.Was.UK()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", safe(ch.Reference), safe(ch.Label), ch.Change, dates, safeClip(ch.Detail, 120))
	}
	tw.Flush()
	verb := "recomputed"
	if r.DryRun {
		verb = "would recompute"
	}
	if r.Checked > 0 {
		fmt.Fprintf(w, "%s %d of %d cases: %d change(s)", verb, r.Cases, r.Checked, r.Moved())
	} else { // a recorded run keeps what it rewrote, not how many it looked at
		fmt.Fprintf(w, "%s %d cases on %s: %d change(s)", verb, r.Cases, r.At.Format("02/01/2006 15:04"), r.Moved())
	}
	if r.Truncated > 0 {
		fmt.Fprintf(w, " (%d not listed)", r.Truncated)
	}
	fmt.Fprintln(w)
}

func printDeadlines(w io.Writer, s *session, ref string) error {
	cs, err := s.store.Case(s.ctx(), ref)
	if err != nil {
		return err
	}
	for _, d := range cs.Deadlines {
		if d.Status != domain.DeadlineOpen {
			continue
		}
		fmt.Fprintf(w, "  %s due %s (%s)%s\n", safe(d.Label), d.Due.Long(), safe(d.Rule), provisional(d.Provisional))
	}
	return nil
}

func provisional(p bool) string {
	if p {
		return " provisional: bank holidays for that year are not yet published"
	}
	return ""
}

func undoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "undo REF",
		Short: "Undo your latest action on a case (recorded as a compensating event naming it)",
		Long: `Undo takes back your latest action on the case: an allocation, a step, a note, a flag, a
referral, a disposal, a return, a permission decision, a snooze or an inbox item marked done (the
item comes back). The history keeps both: the compensating event names what it undid. Run it again
to take back the action before. It refuses, with the reason, when nothing is left to undo, when the
latest action is someone else's, or when it is kept beside the timeline (a query, a fee, ownership,
a linked message). The UI's u undoes the same way.`,
		Args: cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			es, err := s.store.Undo(cmd.Context(), args[0], s.act())
			if err != nil {
				return err
			}
			for _, e := range es {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", strings.ToUpper(args[0]), safe(e.Detail))
			}
			return nil
		}),
	}
}

func eventCmd(g *globals) *cobra.Command {
	var date, detail, method, at string
	var twm bool
	c := &cobra.Command{
		Use:   "event REF KIND --date DATE",
		Short: "Record a dated step, e.g. statement-of-case (the respondent sent its statement)",
		Long: `Record a dated step on a case. KIND is one of:
  statement-of-case    the respondent sent its statement of case (r25); starts r26/r27 periods
  appellant-reply      the appellant replied (Default Paper, r26)
  lists-of-documents   the parties sent their lists of documents (r27)
  costs-opt-out        the appellant opted out of costs shifting (Complex, r10(1)(c))
or, in a judicial review, a step of its pack (caseload rules --pack ID lists them), e.g.
  claim-served --method first-class-post     deemed served the second business day after (CPR 6.14)
  aos-filed, then aos-served                 the acknowledgment filed (CPR 54.8(2)(a)) and served (54.8(2)(b))
  aos-served --method email --time 16:45     after 4.30pm: deemed served the next business day (CPR 6.26)
  paper-refusal-served --totally-without-merit   no renewal (CPR 54.12(7); UT r30(4A))
Without --method the date given is the date of service.`,
		Args: cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			on := s.today
			if date != "" {
				var err error
				if on, err = domain.ParseDate(date); err != nil {
					return usageError{fmt.Errorf("--date: %w", err)}
				}
			}
			if on.After(s.today) {
				return usageError{fmt.Errorf("--date %s is in the future", on.UK())}
			}
			e, err := s.store.RecordStep(cmd.Context(), args[0], args[1], store.ActOptions{User: s.user, On: on},
				store.StepOptions{Detail: detail, Method: method, Time: at, TotallyWithoutMerit: twm})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", strings.ToUpper(args[0]), safe(e.Detail))
			return printDeadlines(cmd.OutOrStdout(), s, args[0])
		}),
	}
	c.Flags().StringVar(&date, "date", "", "the date it happened (default today)")
	c.Flags().StringVar(&detail, "detail", "", "a line for the timeline")
	c.Flags().StringVar(&method, "method", "", "how a document was served: "+strings.Join(domain.ServiceMethods, ", ")+" (periods then run from deemed service)")
	c.Flags().StringVar(&at, "time", "", "the time of day it was sent or done, HH:MM (4.30pm decides deemed service, CPR 6.26; 5pm an act, UT r12(1))")
	c.Flags().BoolVar(&twm, "totally-without-merit", false, "a refusal of permission recorded as totally without merit: no renewal")
	return c
}

func noteCmd(g *globals) *cobra.Command {
	var print bool
	c := &cobra.Command{
		Use:   "note REF [TEXT...]",
		Short: "Add a note to a case's timeline, or --print its notes and referrals as Markdown",
		Args:  cobra.MinimumNArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			if print {
				cs, err := s.store.Case(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				printNotes(cmd.OutOrStdout(), cs)
				return nil
			}
			text := strings.Join(args[1:], " ")
			if text == "" {
				var err error
				if text, err = editNote("# Note on " + args[0] + ". Lines starting with # are left out.\n"); err != nil {
					return err
				}
			}
			if _, err := s.store.AddNote(cmd.Context(), args[0], text, s.act()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: note added\n", strings.ToUpper(args[0]))
			return nil
		}),
	}
	c.Flags().BoolVar(&print, "print", false, "print the case's notes and referrals as Markdown")
	return c
}

func showCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "show REF",
		Short: "Show a case: parties, track, deadlines with their rules, and the timeline",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			cs, err := s.store.Case(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), cs)
			}
			printCase(cmd.OutOrStdout(), s, cs)
			printServiceCentre(cmd.OutOrStdout(), s, cs.Reference)
			return nil
		}),
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

func printCase(w io.Writer, s *session, c *store.Case) {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	track := "not yet categorised"
	if c.Track != nil {
		track = c.Track.Label()
	}
	p := s.store.PackOf(c.Jurisdiction)
	jr, words := p.JudicialReview(), p.Words()
	if jr && c.Track != nil {
		track = "stage " + c.Track.Label()
	}
	fmt.Fprintf(tw, "%s\t%s\n", c.Reference, safe(c.Appellant))
	fmt.Fprintf(tw, "Jurisdiction\t%s\n", p.Name)
	fmt.Fprintf(tw, "Status\t%s, %s\n", c.Status, track)
	if c.Owner != "" {
		fmt.Fprintf(tw, "Owner\t%s\n", safe(c.Owner))
	}
	fmt.Fprintf(tw, "Suggested\t%s: %s\n", c.SuggestedTrack.Label(), safe(c.SuggestionReason))
	if c.Representative != "" {
		fmt.Fprintf(tw, "Representative\t%s\n", safe(c.Representative))
	}
	fmt.Fprintf(tw, "%s\t%s\n", words.Respondent, safe(c.Respondent))
	fmt.Fprintf(tw, "Subject\t%s\n", c.Subject.Label())
	if !jr {
		fmt.Fprintf(tw, "Amount\t%s\n", amount(c.AmountPence))
	}
	fmt.Fprintf(tw, "%s\t%s\n", words.Decision, c.DecisionDate.Long())
	fmt.Fprintf(tw, "Received\t%s\n", c.Received.Long())
	fmt.Fprintf(tw, "Bank holidays\t%s\n", c.Division)
	switch {
	case c.Late && jr:
		fmt.Fprintf(tw, "Late\t%d days after the limit (%s): needs an extension of time (%s)\n", c.DaysLate, p.AppealLimit.Citation, p.AppealLimit.PermissionRule)
	case c.Late:
		fmt.Fprintf(tw, "Late\t%d days late: needs the Tribunal's permission (%s)\n", c.DaysLate, p.AppealLimit.PermissionRule)
	}
	if c.HMRCReference != "" {
		fmt.Fprintf(tw, "HMRC reference\t%s\n", safe(c.HMRCReference))
	}
	if c.Grounds != "" {
		fmt.Fprintf(tw, "Grounds\t%s\n", safe(c.Grounds))
	}
	tw.Flush()
	own, watch := sideOrdered(s, c)
	if len(c.Deadlines) > 0 {
		fmt.Fprintln(w, "\nDeadlines")
		tw = tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
		for i, d := range append(own, watch...) {
			if i == len(own) {
				fmt.Fprintln(tw, "  Watch (the other side's steps)\t\t\t")
			}
			state := fmt.Sprintf("%d days left", s.today.DaysUntil(d.Due))
			switch {
			case d.Status == domain.DeadlineMet:
				state = "met " + d.MetOn.UK()
			case d.Optional && d.Due.Before(s.today):
				state = "lapsed"
			case d.Due.Before(s.today):
				state = fmt.Sprintf("OVERDUE %d days", d.Due.DaysUntil(s.today))
			case d.Due.Equal(s.today):
				state = "due TODAY"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s%s\n", safe(d.Label), d.Due.Long(), safe(d.Rule), state, provisional(d.Provisional))
			if d.Warning != "" && d.Status == domain.DeadlineOpen {
				fmt.Fprintf(tw, "  \t\t\t(%s)\n", safe(d.Warning))
			}
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\nTimeline")
	for _, e := range c.Events {
		fmt.Fprintf(w, "  %s  %-10s %s: %s\n", e.On.UK(), safeClip(e.User, 10), safe(e.Kind), safe(e.Detail))
	}
	if len(c.Mail) > 0 {
		fmt.Fprintln(w, "\nCorrespondence (caseload mail show ID)")
		for _, m := range c.Mail {
			fmt.Fprintf(w, "  %d  %s  %-7s %s: %s\n", m.ID, m.Received.UK(), m.Status, safe(m.From), safe(m.Subject))
			for _, a := range m.Attachments {
				fmt.Fprintf(w, "        attached: %s (%s) %s\n", safe(a.Name), domain.FormatSize(a.Size), safe(a.Path))
			}
		}
	}
}

// findItem is the JSON shape of `find --json`.
type findItem struct {
	Reference      string         `json:"reference"`
	Appellant      string         `json:"appellant"`
	Representative string         `json:"representative"`
	Track          *domain.Track  `json:"track"`
	Status         domain.Status  `json:"status"`
	Received       domain.Date    `json:"received"`
	Subject        domain.Subject `json:"subject"`
}

func findCmd(g *globals) *cobra.Command {
	var asJSON bool
	var limit int
	c := &cobra.Command{
		Use:   "find QUERY...",
		Short: "Look cases up by reference, name, representative or any word in them",
		Long: `Look cases up as the UI does: each word matches as a prefix, accents and case ignored; an exact
reference comes first, then matches newest first. Words are searched for literally: quotes, brackets
and operators are never syntax. Qualifiers: track:basic status:new subject:vat rep:NAME late:yes
received:<DATE received:>DATE.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := store.ParseSearch(strings.Join(args, " "))
			if err != nil {
				return usageError{err}
			}
			s, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.store.Close()
			rows, err := s.store.Find(store.InJurisdiction(cmd.Context(), s.jurisdiction), q, readLimit(limit))
			if err != nil {
				return err
			}
			rows = cut(cmd, rows, limit, -1, "cases")
			if asJSON {
				out := make([]findItem, 0, len(rows))
				for _, r := range rows {
					out = append(out, findItem{r.Reference, r.Appellant, r.Representative, r.Track, r.Status, r.Received, r.Subject})
				}
				return printJSON(cmd.OutOrStdout(), out)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Reference, r.Received.UK(), safeClip(r.Appellant, 30),
					safeClip(r.Representative, 24), statusWords(r))
			}
			tw.Flush()
			if len(rows) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "no cases found")
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().IntVar(&limit, "limit", 50, "at most this many results (0: all)")
	return c
}

func statusWords(r store.CaseRow) string {
	if r.Track != nil {
		return string(r.Status) + ", " + r.Track.Label()
	}
	return string(r.Status)
}

func dueCmd(g *globals) *cobra.Command {
	var asJSON bool
	var within, limit int
	c := &cobra.Command{
		Use:   "due",
		Short: "Open deadlines due within DAYS of today, overdue first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if within < 0 {
				return usageError{errors.New("--within must not be negative")}
			}
			s, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.store.Close()
			items, err := s.store.Due(store.InJurisdiction(cmd.Context(), s.jurisdiction), s.today, within, 0, readLimit(limit))
			if err != nil {
				return err
			}
			// At national scale seven days hold more than the default
			// limit: the cut is said on stderr, never silent.
			items = cut(cmd, items, limit, -1, "deadlines")
			if asJSON {
				return printDueJSON(cmd.OutOrStdout(), items)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "\tDUE\tDAYS\tREFERENCE\tDEADLINE\tRULE")
			for _, d := range items {
				mark := "  "
				switch {
				case d.DaysLeft < 0:
					mark = "!!" // overdue: a symbol as well as any colour
				case d.DaysLeft == 0:
					mark = "! "
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s%s\n", mark, d.Due.Long(), d.DaysLeft, d.Reference, safe(d.Label), safe(d.Rule), provisional(d.Provisional))
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().IntVar(&within, "within", 7, "days ahead of today to include")
	c.Flags().IntVar(&limit, "limit", 10000, "at most this many (0: all)")
	return c
}

func exportCmd(g *globals) *cobra.Command {
	var format, output string
	c := &cobra.Command{
		Use:   "export",
		Short: "Write every case as CSV or JSON (to stdout, or --output FILE created 0600)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "csv" && format != "json" {
				return usageError{fmt.Errorf("--format %q: use csv or json", format)}
			}
			s, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.store.Close()
			w := cmd.OutOrStdout()
			// To a terminal the cells are made safe to show; to a file or
			// a pipe they are kept as held (CSV cells still neutralised).
			terminal := isTerminal(w)
			if output != "" {
				if err := os.MkdirAll(filepath.Dir(output), 0o700); err != nil {
					return err
				}
				f, err := os.OpenFile(output, os.O_CREATE|os.O_EXCL|os.O_WRONLY|syscall.O_NOFOLLOW, 0o600)
				if err != nil {
					return err
				}
				defer f.Close()
				w, terminal = f, false
				if err := s.store.ExportTo(cmd.Context(), w, format, false); err != nil {
					return err
				}
				return f.Sync()
			}
			return s.store.ExportTo(cmd.Context(), w, format, terminal)
		},
	}
	c.Flags().StringVar(&format, "format", "csv", "csv or json")
	c.Flags().StringVarP(&output, "output", "o", "", "write to this new file instead of stdout")
	return c
}

func backupCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "backup DEST",
		Short: "Write a consistent copy of the database to DEST, even while others are using it",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			if err := s.store.Backup(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backed up %s to %s\n", s.path, args[0])
			return nil
		}),
	}
}

func restoreCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "restore BACKUP",
		Short: "Replace the database with a backup, after checking the backup is sound",
		Long: `Replace the database with a backup made by 'caseload backup'. The backup is checked first; the
current database (and its attachments) is kept beside it as FILE.before-restore-DATE, or -2, -3 ... after
it: a kept copy is never overwritten. All or nothing: if any step fails the database is left as it was.
Refused while caseload (the UI or a command) has the database open, and onto the database itself.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return restore(cmd, g, args[0])
		},
	}
}

func rulesCmd(g *globals) *cobra.Command {
	var asJSON bool
	var packID string
	c := &cobra.Command{
		Use:   "rules",
		Short: "Print a rule pack: time limits, suggestions, deadlines and their citations",
		Long: "Print a rule pack (default: the default jurisdiction's, ftt-tax unless config.toml says otherwise).\n" +
			"Built in: " + strings.Join(domain.PackIDs(), ", ") + ". A copy in $XDG_CONFIG_HOME/caseload/rules/ID.toml wins.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig()
			if err != nil {
				return err
			}
			packs, cal, err := loadRules(cfg)
			if err != nil {
				return err
			}
			pack := packs[0]
			if packID == "" {
				packID = g.jurisdiction
			}
			if packID != "" {
				i := slices.IndexFunc(packs, func(p *domain.RulePack) bool { return p.ID == packID })
				if i < 0 {
					return usageError{fmt.Errorf("--pack: %q is not a rule pack (use %s)", packID, strings.Join(domain.PackIDs(), ", "))}
				}
				pack = packs[i]
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), pack)
			}
			if !pack.CaseDivision {
				// The pack's own calendar, whatever config.toml's division says.
				cals, err := loadCalendars()
				if err != nil {
					return err
				}
				cal = cals[domain.Division(pack.Division)]
			}
			printRules(cmd.OutOrStdout(), pack, cal)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().StringVar(&packID, "pack", "", "the rule pack to print: "+strings.Join(domain.PackIDs(), ", "))
	return c
}

func printRules(w io.Writer, p *domain.RulePack, cal *domain.Calendar) {
	fmt.Fprintf(w, "%s (%s)\n%s\nRead from: %s\nReferences: %s\n\n", p.Name, p.ID, p.Rules, p.Source, p.Reference(2026, 123))
	a := p.AppealLimit
	period := fmt.Sprintf("%d days", a.Days)
	if a.Months > 0 {
		period = fmt.Sprintf("%d months", a.Months)
	}
	fmt.Fprintf(w, "Time limit: %s %s the decision (%s); late needs permission (%s)\n", period, strings.ReplaceAll(a.Counting, "-", " "), a.Citation, a.PermissionRule)
	for _, v := range a.Variants {
		counting := v.Counting
		if counting == "" {
			counting = a.Counting
		}
		fmt.Fprintf(w, "  %s: %d days %s (%s)\n", subjectList(v.Subjects), v.Days, strings.ReplaceAll(counting, "-", " "), v.Citation)
	}
	switch p.WorkingDayRule {
	case "cpr-2.8":
		fmt.Fprintf(w, "Counting: CPR 2.8, clear days; a period of 5 days or less skips weekends and bank holidays; a period\n"+
			"for an act at the court office ending on a day it is closed runs to the next open day (%s bank holidays", cal.Division())
		if len(p.ClosureDays) > 0 {
			var days []string
			for _, d := range p.ClosureDays {
				days = append(days, d.UK())
			}
			fmt.Fprintf(w, "; closure days %s", strings.Join(days, ", "))
		}
		fmt.Fprintln(w, ")")
	default:
		fmt.Fprintf(w, "Working days: %s; a period ending on a non-working day runs to the next working day (%s)\n",
			cal.Division(), p.WorkingDayRule)
	}
	fmt.Fprintf(w, "Bank holidays published to the end of %d; later years are computed and shown as provisional\n\n", cal.DataThrough())
	var tracks []string
	for _, t := range p.Tracks {
		tracks = append(tracks, t.Label())
	}
	if !p.JudicialReview() {
		s := p.SuggestRules
		fmt.Fprintln(w, "Suggested track (first match wins; the caseworker decides):")
		fmt.Fprintf(w, "  1. amount at least %s -> Complex (%s)\n", domain.FormatPence(s.ComplexMinPence), s.ComplexCitation)
		fmt.Fprintf(w, "  2. %s, amount known and at most %s -> Default Paper (%s)\n", subjectList(s.PaperSubjects), domain.FormatPence(s.PaperMaxPence), s.PaperCitation)
		fmt.Fprintf(w, "  3. %s -> Basic (%s)\n", subjectList(s.BasicSubjects), s.BasicCitation)
		fmt.Fprintf(w, "  4. anything else -> Standard (%s)\n\n", s.StandardCitation)
	} else {
		fmt.Fprintf(w, "Stages: %s\n", strings.Join(tracks, ", "))
		for _, ev := range slices.Sorted(maps.Keys(p.StageAfter)) {
			fmt.Fprintf(w, "  %s -> %s\n", ev, p.StageAfter[ev].Label())
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Deadlines (counted from the anchor event as above):")
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	for _, d := range p.DeadlineRules {
		var tracks []string
		for _, t := range d.Tracks {
			tracks = append(tracks, t.Label())
		}
		if len(d.Subjects) > 0 {
			tracks = append(tracks, subjectList(d.Subjects))
		}
		opt := ""
		if d.Optional {
			opt = " (optional: lapses, never overdue)"
		}
		if d.WarnDays > 0 {
			opt += fmt.Sprintf(" (shown %d days before: %s)", d.WarnDays, d.Warning)
		}
		counting := "after"
		switch d.Counting {
		case "beginning-with":
			counting = "beginning with"
		case "clear-days-before":
			counting = "clear before"
		}
		if p.WorkingDayRule == "cpr-2.8" && !d.MovesWhenClosed() {
			opt += " (not moved when the court office is closed: not an act at the court office)"
		}
		if d.NotIfTotallyWithoutMerit {
			opt += " (none if refused as totally without merit)"
		}
		if d.IfEvent != "" {
			opt += " (if " + strings.ReplaceAll(d.IfEvent, "-", " ") + " is recorded)"
		}
		if d.UnlessEvent != "" {
			opt += " (unless " + strings.ReplaceAll(d.UnlessEvent, "-", " ") + " is recorded)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t+%s %s %s\t%s\t%s%s\n", d.Label, strings.Join(tracks, ", "), d.Period(), counting, d.Anchor, d.Rule, d.Citation, opt)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nSubjects:")
	for _, sub := range p.Subjects {
		fmt.Fprintf(w, "  %-30s %s\n", sub, sub.Label())
	}
}

func subjectList(ss []domain.Subject) string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Label())
	}
	return strings.Join(out, ", ")
}

func checkCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "check",
		Short: "Verify the database: integrity, and that every case's state and deadlines match its history",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			probs, n, err := s.store.Check(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				if probs == nil {
					probs = []store.CheckProblem{}
				}
				out := map[string]any{"cases": n, "problems": probs, "ok": len(probs) == 0}
				if r := s.store.RecalcAtOpen(); r != nil {
					out["recalculated"] = r // the rules had changed: recomputed before checking
				}
				printJSON(cmd.OutOrStdout(), out)
			} else {
				if r := s.store.RecalcAtOpen(); r != nil && r.Cases > 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "the rules changed since the deadlines were stored: recomputed first\n")
					printRecalc(cmd.OutOrStdout(), *r)
				}
				for _, p := range probs {
					fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", p.Reference, p.Problem)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "checked %d cases: %d problem(s)\n", n, len(probs))
			}
			if len(probs) > 0 {
				return exitError{1}
			}
			return nil
		}),
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}
