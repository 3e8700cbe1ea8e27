package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/mailfile"
)

// mailCmd is the correspondence inbox: import messages, link them to
// cases, record replies.
func mailCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "mail",
		Short: "The correspondence inbox: import email, link it to cases, record replies",
		Long: `Email arrives as .eml files, a Maildir or an mbox file. Each message becomes an inbox item; one that
names a known case reference (TC/2026/01234, AC-2026-LON-000123, JR/00042/2026) in its subject or body is
linked to that case and goes on its timeline as correspondence in. A reply is due within the service level
(mail_reply_days in config.toml, default 10 working days) of the day it arrived.`,
	}
	var asJSON, skipInvalid bool
	imp := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import .eml files, a directory of them, a Maildir or an mbox file (the same message twice is skipped)",
		Long: `Import .eml files, a directory of them, a Maildir or an mbox file. Messages are read one at a time
and committed in batches; a message already held is skipped, so an import that stopped part-way is
finished by running it again. By default a bad message (empty, not an email, over the size limit, MIME
nested deeper than mail_max_depth or with more parts than mail_max_parts) stops the import before
anything is added; --skip-invalid imports the rest and lists each one skipped. Symbolic links inside a
folder are not followed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			lim := mailfile.Limits{MaxDepth: s.cfg.MailMaxDepth, MaxParts: s.cfg.MailMaxParts}
			var skipped []string
			if !skipInvalid {
				// All or nothing: find every bad message before adding any.
				if err := mailfile.Scan(mailfile.Options{Limits: lim}, args, func(mailfile.Message) error { return nil }); err != nil {
					return errors.New(safe(err.Error()) + "\nnothing imported (--skip-invalid imports the rest)")
				}
			}
			im := s.store.NewMailImport(s.act())
			opt := mailfile.Options{Limits: lim}
			var changed error
			opt.Problem = func(err error) {
				if skipInvalid {
					skipped = append(skipped, err.Error())
				} else if changed == nil {
					changed = fmt.Errorf("%w (the files changed while being read)", err)
				}
			}
			err := mailfile.Scan(opt, args, func(m mailfile.Message) error {
				if changed != nil {
					return changed
				}
				return im.Add(cmd.Context(), m)
			})
			if err == nil {
				err = changed
			}
			if err != nil {
				return errors.New(safe(err.Error()))
			}
			res, err := im.Finish(cmd.Context())
			if err != nil {
				return errors.New(safe(err.Error()))
			}
			res.Skipped = skipped
			for _, n := range res.Notes {
				fmt.Fprintln(cmd.ErrOrStderr(), "caseload: note:", safe(n))
			}
			for _, sk := range skipped {
				fmt.Fprintln(cmd.ErrOrStderr(), "caseload: skipped:", safe(sk))
			}
			if asJSON {
				if res.References == nil {
					res.References = []string{}
				}
				return printJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "imported %d messages (%d linked to cases, %d unlinked); %d already held",
				res.Imported, res.Linked, res.Unlinked, res.Duplicates)
			if len(skipped) > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "; %d skipped as invalid", len(skipped))
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		}),
	}
	imp.Flags().BoolVar(&skipInvalid, "skip-invalid", false, "import the good messages and list each bad one skipped (default: a bad message stops the import before anything is added)")
	imp.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")

	var all, unlinked, listJSON bool
	var ref string
	list := &cobra.Command{
		Use:   "list",
		Short: "List messages waiting for a reply, most pressing first (--all for every message)",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			f := store.MailFilter{Status: store.MailOpen, Unlinked: unlinked, Reference: ref}
			if all {
				f.Status = ""
			}
			ms, err := s.store.MailList(cmd.Context(), f, 0, 1000)
			if err != nil {
				return err
			}
			if listJSON {
				return printJSON(cmd.OutOrStdout(), ms)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tRECEIVED\tREPLY BY\tSTATUS\tCASE\tFROM\tSUBJECT")
			for _, m := range ms {
				c := m.Reference
				if c == "" {
					c = "unlinked"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Received.UK(), m.ReplyDue.UK(), m.Status, c,
					safe(clipText(m.From, 30)), safe(clipText(m.Subject, 50)))
			}
			return tw.Flush()
		}),
	}
	list.Flags().BoolVar(&all, "all", false, "every message, replied and done too")
	list.Flags().BoolVar(&unlinked, "unlinked", false, "only messages not linked to a case")
	list.Flags().StringVar(&ref, "case", "", "only messages linked to this case")
	list.Flags().BoolVar(&listJSON, "json", false, "print as JSON")

	var showJSON bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one message: sender, dates, case, text and attachments",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := mailID(args[0])
			if err != nil {
				return err
			}
			m, err := s.store.MailItem(cmd.Context(), id)
			if err != nil {
				return err
			}
			if showJSON {
				return printJSON(cmd.OutOrStdout(), m)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "From:     %s\nSubject:  %s\nReceived: %s (reply by %s)\nCase:     %s\nStatus:   %s\n",
				safe(m.From), safe(m.Subject), m.Received.Long(), m.ReplyDue.Long(), orText(m.Reference, "unlinked"), m.Status)
			if m.Summary != "" {
				fmt.Fprintf(w, "Reply:    %s (%s)\n", safe(m.Summary), m.RepliedOn.UK())
			}
			for _, a := range m.Attachments {
				fmt.Fprintf(w, "Attached: %s (%s) %s\n", safe(a.Name), domain.FormatSize(a.Size), safe(a.Path))
			}
			fmt.Fprintln(w)
			for _, line := range strings.Split(m.Body, "\n") {
				fmt.Fprintln(w, safe(line))
			}
			return nil
		}),
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print as JSON")

	// act builds a command that does one thing to message ID and says so.
	act := func(use, short string, nargs int, do func(cmd *cobra.Command, s *session, id int64, args []string) (string, error)) *cobra.Command {
		return &cobra.Command{
			Use:   use,
			Short: short,
			Args:  cobra.ExactArgs(nargs),
			RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
				id, err := mailID(args[0])
				if err != nil {
					return err
				}
				said, err := do(cmd, s, id, args)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "message %d %s\n", id, said)
				return nil
			}),
		}
	}
	link := act("link ID REF", "Link a message to a case (it goes on the case's timeline as correspondence in)", 2,
		func(cmd *cobra.Command, s *session, id int64, args []string) (string, error) {
			return "linked to " + strings.ToUpper(args[1]), s.store.LinkMail(cmd.Context(), id, args[1], s.act())
		})
	var summary string
	replied := act("replied ID --summary TEXT", "Mark a message replied to, with a one-line summary (on a linked case: correspondence out)", 1,
		func(cmd *cobra.Command, s *session, id int64, _ []string) (string, error) {
			return "replied", s.store.MailReplied(cmd.Context(), id, summary, s.act())
		})
	replied.Flags().StringVar(&summary, "summary", "", "one line saying what the reply said")
	done := act("done ID", "Mark a message as needing nothing more", 1,
		func(cmd *cobra.Command, s *session, id int64, _ []string) (string, error) {
			return "done", s.store.MailDone(cmd.Context(), id, s.act())
		})
	c.AddCommand(imp, list, show, link, replied, done)
	return c
}

func mailID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError{fmt.Errorf("%q is not a message number (see caseload mail list)", s)}
	}
	return id, nil
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
