package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// serviceCentreCmds are the service centre's commands: queries,
// complaints, contacts, the knowledge base, support needs, fees and
// payments.
func serviceCentreCmds(g *globals) []*cobra.Command {
	return []*cobra.Command{queryCmd(g), complaintCmd(g), contactCmd(g), kbCmd(g), supportCmd(g), feeCmd(g), paymentCmd(g)}
}

// serviceCentreOptions reads the office's service levels (config.toml
// [queries]) and fee tables ($XDG_CONFIG_HOME/caseload/fees/PACK.toml).
func serviceCentreOptions(cfg config) (store.QueryOptions, error) {
	topics, err := officeTaxonomy(cfg)
	if err != nil {
		return store.QueryOptions{}, err
	}
	o := store.QueryOptions{Topics: topics, Fees: map[string]*domain.FeeTable{}}
	if cfg.Queries != nil {
		l := cfg.Queries.Merge(domain.DefaultServiceLevels())
		if err := l.Validate(o.Topics); err != nil {
			return o, fmt.Errorf("%s: %w", configFile(), err)
		}
		o.Levels = &l
	}
	for _, id := range domain.PackIDs() {
		src := filepath.Join(configDir(), "fees", id+".toml")
		b, err := os.ReadFile(src)
		if errors.Is(err, os.ErrNotExist) {
			continue // the built-in table, which the store reads at first use
		} else if err != nil {
			return o, err
		}
		t, err := domain.LoadFeeTable(id, b, src)
		if err != nil {
			return o, err
		}
		o.Fees[id] = t
	}
	return o, nil
}

// officeTaxonomy is the built-in topics and the office's own
// ([[topics]] in config.toml).
func officeTaxonomy(cfg config) (domain.Taxonomy, error) {
	t, err := domain.DefaultTaxonomy().Extend(cfg.Topics)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", configFile(), err)
	}
	return t, nil
}

// officeKnowledgeBase loads the config and the knowledge base on its
// taxonomy, for commands that need no database.
func officeKnowledgeBase() (*domain.KnowledgeBase, error) {
	cfg, err := loadConfig()
	if err != nil {
		return nil, err
	}
	t, err := officeTaxonomy(cfg)
	if err != nil {
		return nil, err
	}
	return loadKnowledgeBase(t)
}

// loadKnowledgeBase reads the built-in articles and the office's folder
// ($XDG_CONFIG_HOME/caseload/kb/*.md).
func loadKnowledgeBase(topics domain.Taxonomy) (*domain.KnowledgeBase, error) {
	dir := filepath.Join(configDir(), "kb")
	office := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		office[e.Name()] = b
	}
	return domain.LoadKnowledgeBase(topics, office, dir)
}

func numberArg(s, what string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError{fmt.Errorf("%q is not a %s number", s, what)}
	}
	return id, nil
}

func dateOption(s string, def domain.Date, name string) (domain.Date, error) {
	if s == "" {
		return def, nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return d, usageError{fmt.Errorf("--%s: %w", name, err)}
	}
	return d, nil
}

func queryCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "query",
		Short: "Queries: calls, webchats, emails, letters and visits, answered within a service level",
		Long: `A query is one contact from a member of the public or a professional user. It has a channel (phone,
webchat, email, letter, in-person), who got in touch (name, role, phone, email), the case it is about (or
none yet), a topic from the knowledge base's taxonomy (caseload kb topics), a summary and a status (open,
waiting on the user, passed to a team, escalated, resolved). Its service level is counted in working days
by channel and topic ([queries] in config.toml; defaults: email and letter 10, phone and webchat 2,
in person 5, a hearing query 1). Linked to a case, it goes on the case's timeline. Every email imported
with "caseload mail import" becomes a query too, with its message attached.`,
	}
	var nq store.NewQuery
	var channel, role, received string
	var contactID int64
	var addJSON bool
	add := &cobra.Command{
		Use:   "add [SUMMARY...] --channel CH --name NAME --topic TOPIC",
		Short: "Record a query (with --resolve TEXT, resolved there and then: first-contact resolution)",
		Args:  cobra.ArbitraryArgs,
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			ch, err := domain.ParseChannel(channel)
			if err != nil {
				return usageError{fmt.Errorf("--channel: %w", err)}
			}
			r, err := domain.ParsePartyRole(role)
			if err != nil {
				return usageError{fmt.Errorf("--role: %w", err)}
			}
			if len(args) > 0 {
				nq.Summary = strings.Join(args, " ")
			}
			nq.Channel, nq.Contact.Role, nq.Contact.ID = ch, r, contactID
			if nq.Received, err = dateOption(received, s.today, "received"); err != nil {
				return err
			}
			if nq.Article != "" {
				kb, err := loadKnowledgeBase(s.store.Topics())
				if err != nil {
					return err
				}
				if _, ok := kb.Article(nq.Article); !ok {
					return usageError{fmt.Errorf("--article: no article %q (see caseload kb search)", nq.Article)}
				}
			}
			q, err := s.store.AddQuery(cmd.Context(), nq, s.act())
			var cm *store.ContactMatchError
			if errors.As(err, &cm) {
				for _, m := range cm.Matches {
					fmt.Fprintf(cmd.ErrOrStderr(), "  contact %d: %s (%s) %s %s, %d queries, last %s (same %s)\n", m.ID, safe(m.Name), m.Role,
						safe(m.Phone), safe(m.Email), m.Queries, m.LastSeen.UK(), m.By)
				}
				return usageError{errors.New("this may be someone who has been in touch before: re-run with --contact ID if it is, or --new-contact if not")}
			}
			if err != nil {
				return err
			}
			if addJSON {
				return printJSON(cmd.OutOrStdout(), q)
			}
			on := ""
			if q.Reference != "" {
				on = " on " + q.Reference
			}
			fmt.Fprintf(cmd.OutOrStdout(), "query %d%s: %s %s from %s (contact %d), %s; answer by %s (%s)\n", q.ID, on, q.Channel, q.Topic,
				safe(q.Contact.Name), q.Contact.ID, q.Status, q.Due.Long(), q.Rule)
			if q.FirstContact {
				fmt.Fprintln(cmd.OutOrStdout(), "  resolved at first contact")
			}
			return nil
		}),
	}
	f := add.Flags()
	f.StringVar(&channel, "channel", "phone", "phone, webchat, email, letter or in-person")
	f.StringVar(&nq.Contact.Name, "name", "", "who got in touch")
	f.StringVar(&role, "role", "public", "appellant, representative, respondent, public or other")
	f.StringVar(&nq.Contact.Phone, "phone", "", "their phone number")
	f.StringVar(&nq.Contact.Email, "email", "", "their email address")
	f.Int64Var(&contactID, "contact", 0, "an earlier contact this is (see the matches offered)")
	f.BoolVar(&nq.NewContact, "new-contact", false, "this is not any earlier contact that matches")
	f.StringVar(&nq.Reference, "case", "", "the case it is about")
	f.StringVar(&nq.Topic, "topic", "other", "a topic of the taxonomy (caseload kb topics)")
	f.StringVar(&nq.Summary, "summary", "", "what it was about, in a line")
	f.StringVar(&nq.Article, "article", "", "the knowledge-base article it was answered from")
	f.BoolVar(&nq.Complaint, "complaint", false, "it is a complaint (the complaints procedure's service levels apply)")
	f.StringVar(&nq.Resolution, "resolve", "", "resolved as it was recorded: how")
	f.StringVar(&received, "received", "", "the day it came (default today)")
	f.BoolVar(&addJSON, "json", false, "print the query as JSON")

	var lf store.QueryFilter
	var all, listJSON bool
	var status, lchannel string
	var limit, offset int
	list := &cobra.Command{
		Use:   "list",
		Short: "List open queries, the nearest service level first (--all for every query, newest first)",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			lf.Open = !all && status == ""
			var err error
			if status != "" {
				if lf.Status, err = domain.ParseQueryStatus(status); err != nil {
					return usageError{fmt.Errorf("--status: %w", err)}
				}
			}
			if lchannel != "" {
				if lf.Channel, err = domain.ParseChannel(lchannel); err != nil {
					return usageError{fmt.Errorf("--channel: %w", err)}
				}
			}
			qs, err := s.store.Queries(cmd.Context(), lf, offset, limit)
			if err != nil {
				return err
			}
			if listJSON {
				return printJSON(cmd.OutOrStdout(), qs)
			}
			printQueries(cmd.OutOrStdout(), qs, s.today)
			return nil
		}),
	}
	lfl := list.Flags()
	lfl.BoolVar(&all, "all", false, "every query, resolved too")
	lfl.StringVar(&status, "status", "", "only this status: open, waiting, passed, escalated, resolved")
	lfl.StringVar(&lchannel, "channel", "", "only this channel")
	lfl.StringVar(&lf.Topic, "topic", "", "only this topic")
	lfl.StringVar(&lf.Reference, "case", "", "only queries about this case")
	lfl.BoolVar(&lf.Complaint, "complaints", false, "only complaints")
	lfl.IntVar(&limit, "limit", 100, "at most this many")
	lfl.IntVar(&offset, "offset", 0, "skip this many (the next page)")
	lfl.BoolVar(&listJSON, "json", false, "print as JSON")

	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show a query: who, what, its service level, the article used and its history",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := numberArg(args[0], "query")
			if err != nil {
				return err
			}
			d, err := s.store.Query(cmd.Context(), id)
			if err != nil {
				return err
			}
			if showJSON {
				return printJSON(cmd.OutOrStdout(), d)
			}
			printQuery(cmd.OutOrStdout(), d, s)
			return nil
		}),
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print as JSON")

	move := func(use, short string, to domain.QueryStatus, needText bool) *cobra.Command {
		var asJSON bool
		nargs := cobra.ExactArgs(1)
		if needText {
			nargs = cobra.MinimumNArgs(2)
		}
		c := &cobra.Command{
			Use:   use,
			Short: short,
			Args:  nargs,
			RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
				id, err := numberArg(args[0], "query")
				if err != nil {
					return err
				}
				q, err := s.store.UpdateQuery(cmd.Context(), id, to, strings.Join(args[1:], " "), s.act())
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), q)
				}
				on := ""
				if q.Reference != "" {
					on = " (" + q.Reference + ")"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "query %d%s %s\n", q.ID, on, q.Status)
				return nil
			}),
		}
		c.Flags().BoolVar(&asJSON, "json", false, "print the query as JSON")
		return c
	}
	resolve := move("resolve ID RESOLUTION...", "Resolve a query, saying how", domain.QueryResolved, true)
	wait := move("wait ID [NOTE...]", "Mark a query waiting on the user", domain.QueryWaiting, false)
	wait.Args = cobra.MinimumNArgs(1)
	pass := move("pass ID TEAM...", "Pass a query to a team (ask the article's qualifying questions first)", domain.QueryPassed, true)
	escalate := move("escalate ID TEAM...", "Escalate a query to a manager or team", domain.QueryEscalated, true)
	reopen := move("reopen ID", "Put a waiting, passed or escalated query back to open", domain.QueryOpen, false)

	link := &cobra.Command{
		Use:   "link ID REF",
		Short: "Link a query to the case it turned out to be about (it goes on the case's timeline)",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := numberArg(args[0], "query")
			if err != nil {
				return err
			}
			q, err := s.store.LinkQuery(cmd.Context(), id, args[1], s.act())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "query %d linked to %s\n", q.ID, q.Reference)
			return nil
		}),
	}
	article := &cobra.Command{
		Use:   "article ID ARTICLE",
		Short: "Record the knowledge-base article a query was answered from",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := numberArg(args[0], "query")
			if err != nil {
				return err
			}
			kb, err := loadKnowledgeBase(s.store.Topics())
			if err != nil {
				return err
			}
			a, ok := kb.Article(args[1])
			if !ok {
				return usageError{fmt.Errorf("no article %q (see caseload kb search)", args[1])}
			}
			if err := s.store.UseArticle(cmd.Context(), id, a.ID, s.act()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "query %d answered from %s (%s)\n", id, safe(a.ID), safe(a.Title))
			for _, q := range a.Questions {
				fmt.Fprintf(cmd.OutOrStdout(), "  before passing it on, ask: %s\n", safe(q))
			}
			return nil
		}),
	}
	topic := &cobra.Command{
		Use:   "topic ID TOPIC",
		Short: "File a query under a topic (an imported email starts as other); its service level follows",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := numberArg(args[0], "query")
			if err != nil {
				return err
			}
			q, err := s.store.SetTopic(cmd.Context(), id, args[1], s.act())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "query %d filed under %s; answer by %s (%s)\n", q.ID, q.Topic, q.Due.Long(), q.Rule)
			return nil
		}),
	}
	c.AddCommand(add, list, show, resolve, wait, pass, escalate, reopen, link, article, topic)
	return c
}

func printQueries(w io.Writer, qs []domain.Query, today domain.Date) {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRECEIVED\tANSWER BY\tSERVICE LEVEL\tSTATUS\tCHANNEL\tTOPIC\tCASE\tWHO\tSUMMARY")
	for _, q := range qs {
		st := string(q.Status)
		if q.Complaint != nil {
			st += fmt.Sprintf(" (complaint %d)", q.Complaint.Stage)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", q.ID, q.Received.UK(), q.Due.UK(), domain.ServiceLevelState(q, today),
			st, q.Channel, q.Topic, orText(q.Reference, "–"), safe(clipText(q.Contact.Name, 24)), safe(clipText(q.Summary, 40)))
	}
	tw.Flush()
}

func printQuery(w io.Writer, d store.QueryDetail, s *session) {
	q := d.Query
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "Query %d\t%s %s, %s\n", q.ID, q.Channel, s.store.Topics().Label(q.Topic), q.Status)
	fmt.Fprintf(tw, "Who\t%s (%s), contact %d %s %s\n", safe(q.Contact.Name), q.Contact.Role, q.Contact.ID, safe(q.Contact.Phone), safe(q.Contact.Email))
	fmt.Fprintf(tw, "Case\t%s\n", orText(q.Reference, "none yet"))
	fmt.Fprintf(tw, "Summary\t%s\n", safe(q.Summary))
	fmt.Fprintf(tw, "Received\t%s\n", q.Received.Long())
	fmt.Fprintf(tw, "Answer by\t%s (%s): %s\n", q.Due.Long(), q.Rule, domain.ServiceLevelState(q, s.today))
	if q.PassedTo != "" {
		fmt.Fprintf(tw, "With\t%s\n", safe(q.PassedTo))
	}
	if q.Article != "" {
		fmt.Fprintf(tw, "Article\t%s\n", safe(q.Article))
	}
	if q.MailID != 0 {
		fmt.Fprintf(tw, "Message\t%d (caseload mail show %d)\n", q.MailID, q.MailID)
	}
	if c := q.Complaint; c != nil {
		fmt.Fprintf(tw, "Complaint\t%s, from %s, due %s\n", domain.StageName(c.Stage), c.StageFrom.UK(), c.Due.UK())
		if c.Responded() {
			fmt.Fprintf(tw, "Response\t%s on %s: %s\n", c.Outcome, c.RespondedOn.UK(), safe(c.Response))
		}
	}
	if !q.Status.Open() {
		fc := ""
		if q.FirstContact {
			fc = " (first contact)"
		}
		fmt.Fprintf(tw, "Resolved\t%s%s: %s\n", q.ResolvedOn.Long(), fc, safe(q.Resolution))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nHistory:")
	for _, h := range d.History {
		fmt.Fprintf(w, "  %s  %-10s %s (%s)\n", h.On.UK(), h.Action, safe(h.Detail), safe(h.User))
	}
}

func complaintCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "complaint",
		Short: "Complaints: a query marked as a complaint follows the complaints procedure's stages",
		Long: `A complaint is a query marked as one. Stage 1 is the office's response, stage 2 a senior manager's
review, stage 3 an appeal to the Customer Investigations Team; HMCTS publishes 10, 10 and 15 working days
(GOV.UK, HMCTS complaints procedure), settings in config.toml [queries.complaints]. A complaint is never
resolved without a recorded response.`,
	}
	step := func(use, short string, nargs int, do func(cmd *cobra.Command, s *session, id int64, args []string) (domain.Query, error)) *cobra.Command {
		var asJSON bool
		sc := &cobra.Command{
			Use:   use,
			Short: short,
			Args:  cobra.MinimumNArgs(nargs),
			RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
				id, err := numberArg(args[0], "query")
				if err != nil {
					return err
				}
				q, err := do(cmd, s, id, args[1:])
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), q)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "query %d: complaint at %s, due %s", q.ID, domain.StageName(q.Complaint.Stage), q.Complaint.Due.Long())
				if q.Complaint.Responded() {
					fmt.Fprintf(cmd.OutOrStdout(), "; responded %s (%s)", q.Complaint.RespondedOn.UK(), q.Complaint.Outcome)
				}
				fmt.Fprintln(cmd.OutOrStdout())
				return nil
			}),
		}
		sc.Flags().BoolVar(&asJSON, "json", false, "print the query as JSON")
		return sc
	}
	mark := step("mark ID", "Mark a query as a complaint (stage 1 from the day it was received)", 1,
		func(cmd *cobra.Command, s *session, id int64, _ []string) (domain.Query, error) {
			return s.store.MarkComplaint(cmd.Context(), id, s.act())
		})
	respond := step("respond ID OUTCOME RESPONSE...", "Record the response to the current stage: upheld, partly-upheld, not-upheld or withdrawn", 3,
		func(cmd *cobra.Command, s *session, id int64, args []string) (domain.Query, error) {
			return s.store.RespondComplaint(cmd.Context(), id, args[0], strings.Join(args[1:], " "), s.act())
		})
	review := step("review ID", "The complainant asked for the next stage (review, then appeal), today", 1,
		func(cmd *cobra.Command, s *session, id int64, _ []string) (domain.Query, error) {
			return s.store.EscalateComplaint(cmd.Context(), id, s.act())
		})
	var listJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List open complaints, the nearest due first",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			qs, err := s.store.Queries(cmd.Context(), store.QueryFilter{Open: true, Complaint: true}, 0, 500)
			if err != nil {
				return err
			}
			if listJSON {
				return printJSON(cmd.OutOrStdout(), qs)
			}
			printQueries(cmd.OutOrStdout(), qs, s.today)
			return nil
		}),
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print as JSON")
	c.AddCommand(mark, respond, review, list)
	return c
}

func contactCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "contact", Short: "People who get in touch: find them, and see what was said last time"}
	var findJSON bool
	find := &cobra.Command{
		Use:   "find TEXT",
		Short: "Find earlier contacts by name, email or phone (and cases by party), as the fast entry form does",
		Args:  cobra.MinimumNArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			cs, err := s.store.FindCallers(cmd.Context(), strings.Join(args, " "), 20)
			if err != nil {
				return err
			}
			if findJSON {
				if cs == nil {
					cs = []store.Caller{}
				}
				return printJSON(cmd.OutOrStdout(), cs)
			}
			for _, c := range cs {
				if c.By == "case" {
					fmt.Fprintf(cmd.OutOrStdout(), "case %s\t%s\n", c.Reference, safe(c.Contact.Name))
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "contact %d\t%s (%s) %s %s\n", c.Contact.ID, safe(c.Contact.Name), c.Contact.Role,
					safe(c.Contact.Phone), safe(c.Contact.Email))
			}
			return nil
		}),
	}
	find.Flags().BoolVar(&findJSON, "json", false, "print as JSON")
	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "A contact's history: every query and message from them, newest first, and who else may be them",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := numberArg(args[0], "contact")
			if err != nil {
				return err
			}
			ct, hist, err := s.store.ContactHistory(cmd.Context(), id, 200)
			if err != nil {
				return err
			}
			matches, err := s.store.MatchContacts(cmd.Context(), ct.Email, ct.Phone)
			if err != nil {
				return err
			}
			var others []store.ContactMatch
			for _, m := range matches {
				if m.ID != ct.ID {
					others = append(others, m)
				}
			}
			if showJSON {
				if others == nil {
					others = []store.ContactMatch{}
				}
				return printJSON(cmd.OutOrStdout(), struct {
					Contact  domain.Contact       `json:"contact"`
					History  []store.HistoryItem  `json:"history"`
					Possible []store.ContactMatch `json:"possibly_same_person"`
				}{ct, hist, others})
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "contact %d: %s (%s) %s %s\n", ct.ID, safe(ct.Name), ct.Role, safe(ct.Phone), safe(ct.Email))
			for _, m := range others {
				fmt.Fprintf(w, "  possibly the same person: contact %d %s (same %s) — not merged\n", m.ID, safe(m.Name), m.By)
			}
			tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "ON\tWHAT\tID\tCHANNEL\tCASE\tSTATUS\tSUMMARY")
			for _, h := range hist {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", h.On.UK(), h.Kind, h.ID, h.Channel, orText(h.Reference, "–"), h.Status, safe(clipText(h.Summary, 60)))
			}
			return tw.Flush()
		}),
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print as JSON")
	c.AddCommand(find, show)
	return c
}

func kbCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "kb",
		Short: "The knowledge base: built-in articles and the office's own ($XDG_CONFIG_HOME/caseload/kb/*.md)",
		Long: `Articles are Markdown files with a front matter between two --- lines:

  ---
  title: Appealing late to the Tax Tribunal
  jurisdiction: ftt-tax          (optional: a rule pack; none means every jurisdiction)
  topic: late                    (a topic of the taxonomy: caseload kb topics)
  tags: late appeal, permission
  questions:
  - What is the date on HMRC's decision letter?
  ---

The questions are the qualifying questions shown before a query on the article is passed on. An office
article replaces a built-in one of the same file name.`,
	}
	var jur, topic string
	var limit int
	var searchJSON bool
	search := &cobra.Command{
		Use:   "search [WORDS...]",
		Short: "Search the articles (every word; the last may be the start of one)",
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			kb, err := officeKnowledgeBase()
			if err != nil {
				return err
			}
			as := kb.Search(strings.Join(args, " "), jur, topic, limit)
			if searchJSON {
				if as == nil {
					as = []domain.Article{}
				}
				return printJSON(cmd.OutOrStdout(), as)
			}
			for _, a := range as {
				fmt.Fprintf(cmd.OutOrStdout(), "%-28s %-15s %-10s %s\n", safe(a.ID), safe(orText(a.Jurisdiction, "all")), a.Topic, safe(a.Title))
			}
			return nil
		},
	}
	search.Flags().StringVar(&jur, "in", "", "only articles for this jurisdiction (and those for all)")
	search.Flags().StringVar(&topic, "topic", "", "put this topic's articles first")
	search.Flags().IntVar(&limit, "limit", 20, "at most this many")
	search.Flags().BoolVar(&searchJSON, "json", false, "print as JSON")
	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Print an article, its qualifying questions first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kb, err := officeKnowledgeBase()
			if err != nil {
				return err
			}
			a, ok := kb.Article(args[0])
			if !ok {
				return fmt.Errorf("no article %q (see caseload kb search)", args[0])
			}
			if showJSON {
				return printJSON(cmd.OutOrStdout(), a)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s\n(%s; topic %s; %s)\n\n", safe(a.Title), safe(orText(a.Jurisdiction, "all jurisdictions")), a.Topic, safe(a.Source))
			if len(a.Questions) > 0 {
				fmt.Fprintln(w, "Ask before passing it on:")
				for _, q := range a.Questions {
					fmt.Fprintf(w, "  - %s\n", safe(q))
				}
				fmt.Fprintln(w)
			}
			for _, l := range strings.Split(a.Body, "\n") {
				fmt.Fprintln(w, safe(l))
			}
			return nil
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print as JSON")
	var topicsJSON bool
	topics := &cobra.Command{
		Use:   "topics",
		Short: "List the taxonomy queries and articles are filed under (the built-in topics, then config.toml [[topics]])",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kb, err := officeKnowledgeBase()
			if err != nil {
				return err
			}
			t := kb.Taxonomy()
			if topicsJSON {
				return printJSON(cmd.OutOrStdout(), t)
			}
			for _, x := range t {
				fmt.Fprintf(cmd.OutOrStdout(), "%-15s %s\n", x.Slug, x.Label)
			}
			return nil
		},
	}
	topics.Flags().BoolVar(&topicsJSON, "json", false, "print as JSON")
	c.AddCommand(search, show, topics)
	return c
}

func supportCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "support",
		Short: "Support needs and reasonable adjustments: HMCTS-coded flags on a party, with a lifecycle",
		Long: `A support need is a coded flag on a party of a case: a reasonable adjustment (RA0001-RA0047), a language
interpreter (PF0015), a confidential address (PF0004), or assisted digital support (CL-AD01, caseload's own
code). It is requested, then active or not-approved; an active need can become inactive and active again.
Each has a comment and whether it matters at a hearing. Short names: sign-language (RA0042), hearing-loop
(RA0043), interpreter (PF0015), confidential-address (PF0004), assisted-digital.`,
	}
	var n store.NewSupportNeed
	var addJSON bool
	add := &cobra.Command{
		Use:   "add REF CODE --party WHO",
		Short: "Record a requested support need on a party of a case",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			n.Reference, n.Code = args[0], args[1]
			need, err := s.store.AddSupportNeed(cmd.Context(), n, s.act())
			if err != nil {
				return err
			}
			if addJSON {
				return printJSON(cmd.OutOrStdout(), need)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: support need %d: %s\n", need.Reference, need.ID, safe(need.Describe()))
			return nil
		}),
	}
	add.Flags().StringVar(&n.Party, "party", "appellant", "who needs it")
	add.Flags().StringVar(&n.Comment, "comment", "", "detail (a language, what was agreed)")
	add.Flags().BoolVar(&n.Hearing, "hearing", false, "it matters at a hearing")
	add.Flags().BoolVar(&addJSON, "json", false, "print as JSON")
	var listJSON bool
	list := &cobra.Command{
		Use:   "list REF",
		Short: "List a case's support needs",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			ns, err := s.store.SupportNeeds(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if listJSON {
				return printJSON(cmd.OutOrStdout(), ns)
			}
			for _, n := range ns {
				fmt.Fprintf(cmd.OutOrStdout(), "%d\t%s\n", n.ID, safe(n.Describe()))
			}
			return nil
		}),
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print as JSON")
	var comment string
	set := &cobra.Command{
		Use:   "set ID STATUS",
		Short: "Move a support need: active, not-approved, inactive (or requested again)",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := numberArg(args[0], "support need")
			if err != nil {
				return err
			}
			st, err := domain.ParseSupportStatus(args[1])
			if err != nil {
				return usageError{err}
			}
			need, err := s.store.SetSupportStatus(cmd.Context(), id, st, comment, s.act())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: support need %d: %s\n", need.Reference, need.ID, safe(need.Describe()))
			return nil
		}),
	}
	set.Flags().StringVar(&comment, "comment", "", "why, or what was arranged")
	referral := &cobra.Command{
		Use:   "referral ID OUTCOME...",
		Short: "Record a referral to an assisted digital support provider and its outcome",
		Args:  cobra.MinimumNArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := numberArg(args[0], "support need")
			if err != nil {
				return err
			}
			need, err := s.store.SupportReferral(cmd.Context(), id, strings.Join(args[1:], " "), s.act())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: support need %d: referral recorded: %s\n", need.Reference, need.ID, safe(need.Referral))
			return nil
		}),
	}
	var codesJSON bool
	codes := &cobra.Command{
		Use:   "codes",
		Short: "List the support codes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if codesJSON {
				return printJSON(cmd.OutOrStdout(), domain.SupportCodes)
			}
			for _, c := range domain.SupportCodes {
				fmt.Fprintf(cmd.OutOrStdout(), "%-8s %s\n", c.Code, c.Label)
			}
			return nil
		},
	}
	codes.Flags().BoolVar(&codesJSON, "json", false, "print as JSON")
	c.AddCommand(add, list, set, referral, codes)
	return c
}

func feeCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "fee",
		Short: "Fees: each pack's fee table (a cited setting), fees due on cases, help with fees",
		Long: `Each rule pack has a fee table: application, amount, and the fees order and date it comes from.
Amounts change by statutory instrument, so the built-in tables are defaults marked with how sure they are
(P, S, U as in the domain reference); an office puts its own in $XDG_CONFIG_HOME/caseload/fees/PACK.toml.
The First-tier Tribunal (Tax Chamber) table is empty: no fee is charged to appeal [U].`,
	}
	var tableJSON bool
	table := &cobra.Command{
		Use:   "table [PACK]",
		Short: "Print a pack's fee table with the order each amount comes from (default: every pack)",
		Args:  cobra.MaximumNArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			var ts []*domain.FeeTable
			for _, p := range s.store.Packs() {
				if len(args) == 0 || args[0] == p.ID {
					ts = append(ts, s.store.FeeTable(p.ID))
				}
			}
			if len(ts) == 0 {
				return usageError{fmt.Errorf("%q is not a rule pack (use %s)", args[0], strings.Join(domain.PackIDs(), ", "))}
			}
			if tableJSON {
				return printJSON(cmd.OutOrStdout(), ts)
			}
			for _, t := range ts {
				fmt.Fprintf(cmd.OutOrStdout(), "%s (%s)\n", t.Pack, safe(t.Source))
				if len(t.Fees) == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "  no fees")
				}
				for _, f := range t.Fees {
					fmt.Fprintf(cmd.OutOrStdout(), "  %-16s %10s  %s [%s]\n  %16s %10s  %s, from %s\n", safe(f.Code), domain.FormatPence(f.AmountPence),
						safe(f.Application), f.Confidence, "", "", safe(f.Order), f.OrderDate)
				}
			}
			return nil
		}),
	}
	table.Flags().BoolVar(&tableJSON, "json", false, "print as JSON")
	var addJSON bool
	add := &cobra.Command{
		Use:   "add REF CODE",
		Short: "Make a fee from the case's pack table due on a case (today)",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			f, err := s.store.AddFee(cmd.Context(), args[0], args[1], s.act())
			if err != nil {
				return err
			}
			if addJSON {
				return printJSON(cmd.OutOrStdout(), f)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: fee %d due: %s %s, %s (%s)\n", f.Reference, f.ID, safe(f.Code), safe(f.Application),
				domain.FormatPence(f.AmountPence), safe(f.Order))
			return nil
		}),
	}
	add.Flags().BoolVar(&addJSON, "json", false, "print as JSON")
	var unpaid, listJSON bool
	list := &cobra.Command{
		Use:   "list [REF]",
		Short: "List a case's fees, or every fee still owed (--unpaid)",
		Args:  cobra.MaximumNArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			var fs []store.CaseFee
			var err error
			switch {
			case len(args) == 1:
				fs, err = s.store.Fees(cmd.Context(), args[0])
			case unpaid:
				fs, err = s.store.UnpaidFees(cmd.Context(), 1000)
			default:
				return usageError{errors.New("name a case, or --unpaid for every fee still owed")}
			}
			if err != nil {
				return err
			}
			if listJSON {
				return printJSON(cmd.OutOrStdout(), fs)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "FEE\tCASE\tCODE\tDUE\tAMOUNT\tREMISSION\tPAID\tOWED")
			for _, f := range fs {
				rem := "–"
				if f.Remission != nil {
					rem = f.Remission.Reference
					if f.Remission.Full {
						rem += " (full)"
					} else {
						rem += " (" + domain.FormatPence(f.Remission.Pence) + ")"
					}
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.ID, f.Reference, safe(f.Code), f.DueOn.UK(), domain.FormatPence(f.AmountPence),
					safe(rem), domain.FormatPence(f.PaidPence), signedPence(f.BalancePence))
			}
			return tw.Flush()
		}),
	}
	list.Flags().BoolVar(&unpaid, "unpaid", false, "every fee with something still owed, oldest first")
	list.Flags().BoolVar(&listJSON, "json", false, "print as JSON")
	var hwf, part string
	var full bool
	remit := &cobra.Command{
		Use:   "remit FEE --hwf REF (--full | --amount £)",
		Short: "Record help with fees against a fee: a full or part remission",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := numberArg(args[0], "fee")
			if err != nil {
				return err
			}
			r := domain.Remission{Reference: hwf, Full: full}
			if !full {
				p, ok, err := domain.ParseAmount(part)
				if err != nil || !ok {
					return usageError{errors.New("--amount: give the part remitted (e.g. £100), or --full")}
				}
				r.Pence = p
			}
			f, err := s.store.Remit(cmd.Context(), id, r, s.act())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: fee %d: help with fees %s; %s owed\n", f.Reference, f.ID, f.Remission.Reference, signedPence(f.BalancePence))
			return nil
		}),
	}
	remit.Flags().StringVar(&hwf, "hwf", "", "the help with fees reference (HWF-...)")
	remit.Flags().BoolVar(&full, "full", false, "a full remission")
	remit.Flags().StringVar(&part, "amount", "", "a part remission: the amount remitted")
	c.AddCommand(table, add, list, remit)
	return c
}

func signedPence(p int64) string {
	if p < 0 {
		return "-" + domain.FormatPence(-p)
	}
	return domain.FormatPence(p)
}

func paymentCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "payment", Short: "Payments: record, allocate to a fee on a case, verify"}
	var p store.Payment
	var amount, paid string
	var addJSON bool
	add := &cobra.Command{
		Use:   "add --amount £ --reference REF --method METHOD",
		Short: "Record a payment (--fee allocates it at once)",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			pence, ok, err := domain.ParseAmount(amount)
			if err != nil || !ok {
				return usageError{fmt.Errorf("--amount: %q is not an amount (e.g. £154.00)", amount)}
			}
			p.AmountPence = pence
			if p.PaidOn, err = dateOption(paid, s.today, "date"); err != nil {
				return err
			}
			rec, err := s.store.RecordPayment(cmd.Context(), p, s.act())
			if err != nil {
				return err
			}
			if addJSON {
				return printJSON(cmd.OutOrStdout(), rec)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "payment %d: %s %s %s on %s", rec.ID, domain.FormatPence(rec.AmountPence), rec.Method, safe(rec.Reference), rec.PaidOn.UK())
			if rec.FeeID != 0 {
				fmt.Fprintf(cmd.OutOrStdout(), ", allocated to fee %d on %s", rec.FeeID, rec.Case)
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		}),
	}
	f := add.Flags()
	f.StringVar(&amount, "amount", "", "how much")
	f.StringVar(&p.Reference, "reference", "", "the payment's reference")
	f.StringVar(&p.Method, "method", "card", strings.Join(domain.PaymentMethods, ", "))
	f.StringVar(&paid, "date", "", "the day it was paid (default today)")
	f.StringVar(&p.Case, "case", "", "the case it is for")
	f.Int64Var(&p.FeeID, "fee", 0, "the fee it pays")
	f.BoolVar(&addJSON, "json", false, "print as JSON")
	allocate := &cobra.Command{
		Use:   "allocate PAYMENT FEE",
		Short: "Allocate a payment to a fee (and so to its case)",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			pid, err := numberArg(args[0], "payment")
			if err != nil {
				return err
			}
			fid, err := numberArg(args[1], "fee")
			if err != nil {
				return err
			}
			rec, err := s.store.AllocatePayment(cmd.Context(), pid, fid, s.act())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "payment %d allocated to fee %d on %s\n", rec.ID, rec.FeeID, rec.Case)
			return nil
		}),
	}
	verify := &cobra.Command{
		Use:   "verify PAYMENT",
		Short: "Mark a payment verified against the bank or card record",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			pid, err := numberArg(args[0], "payment")
			if err != nil {
				return err
			}
			rec, err := s.store.VerifyPayment(cmd.Context(), pid, s.act())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "payment %d verified by %s\n", rec.ID, safe(rec.VerifiedBy))
			return nil
		}),
	}
	var unallocated, listJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List payments, newest first (--unallocated: not yet allocated to a fee)",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			ps, err := s.store.Payments(cmd.Context(), unallocated, 0, 1000)
			if err != nil {
				return err
			}
			if listJSON {
				return printJSON(cmd.OutOrStdout(), ps)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "PAYMENT\tPAID\tAMOUNT\tMETHOD\tREFERENCE\tCASE\tFEE\tVERIFIED")
			for _, p := range ps {
				fee, v := "–", "no"
				if p.FeeID != 0 {
					fee = strconv.FormatInt(p.FeeID, 10)
				}
				if p.Verified {
					v = "by " + safe(p.VerifiedBy)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.PaidOn.UK(), domain.FormatPence(p.AmountPence), p.Method, safe(p.Reference),
					orText(p.Case, "–"), fee, v)
			}
			return tw.Flush()
		}),
	}
	list.Flags().BoolVar(&unallocated, "unallocated", false, "only payments not yet allocated to a fee")
	list.Flags().BoolVar(&listJSON, "json", false, "print as JSON")
	c.AddCommand(add, allocate, verify, list)
	return c
}

// printServiceCentre adds a case's support needs, fees owed and open
// queries to `caseload show`, so whoever picks the case up sees them.
func printServiceCentre(w io.Writer, s *session, ref string) {
	ctx := s.ctx()
	needs, _ := s.store.SupportNeeds(ctx, ref)
	fees, _ := s.store.Fees(ctx, ref)
	queries, _ := s.store.Queries(ctx, store.QueryFilter{Open: true, Reference: ref}, 0, 20)
	if len(needs)+len(fees)+len(queries) == 0 {
		return
	}
	fmt.Fprintln(w)
	for _, n := range needs {
		if n.Status == domain.SupportActive || n.Status == domain.SupportRequested {
			fmt.Fprintf(w, "Support need %d: %s\n", n.ID, safe(n.Describe()))
		}
	}
	for _, f := range fees {
		if f.BalancePence != 0 {
			state := "owed"
			if f.BalancePence < 0 {
				state = "over-paid"
			}
			fmt.Fprintf(w, "Fee %d: %s %s, %s %s\n", f.ID, safe(f.Code), safe(f.Application), signedPence(f.BalancePence), state)
		}
	}
	for _, q := range queries {
		fmt.Fprintf(w, "Open query %d: %s from %s, %s, answer by %s: %s\n", q.ID, q.Channel, safe(q.Contact.Name), q.Status, q.Due.UK(), safe(q.Summary))
	}
}
