package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// teamCmds are the commands of a team on one caseload: users and their
// keys, ownership of work, the work lists, the workload report and the
// SSH server.
func teamCmds(g *globals) []*cobra.Command {
	return []*cobra.Command{userCmd(g), takeCmd(g), releaseCmd(g), assignCmd(g), workCmd(g), workloadCmd(g),
		distributeCmd(g), serveCmd(g)}
}

func roleList() string {
	names := make([]string, len(domain.Roles))
	for i, r := range domain.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func userCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "user",
		Short: "The team: users, their roles and SSH keys (for caseload serve)",
		Long: `A caseload with no users is one person's: everything is allowed, as always. Once a user exists the
caseload is a team's: every change is checked against the role of the user making it (--user here, the
SSH key's owner under caseload serve). The first user must be a team leader; after that only a team
leader adds and removes users and keys.

Roles: caseworker (works their own and available cases), team-leader (assigns, reassigns, sees
everyone's work and the workload report), judge and registrar (read, answer referrals, give directions,
add notes), read-only (sees, changes nothing).`,
	}
	var role, key string
	add := &cobra.Command{
		Use:   "add NAME --role ROLE [--key 'ssh-ed25519 AAAA…']",
		Short: "Add a user with a role (" + roleList() + ") and optionally a first key",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			r, err := domain.ParseRole(role)
			if err != nil {
				return usageError{fmt.Errorf("--role: %w", err)}
			}
			if err := s.store.AddUser(cmd.Context(), args[0], r, readKeyArg(key), s.act()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "added %s (%s)\n", args[0], r)
			return nil
		}),
	}
	add.Flags().StringVar(&role, "role", "", "the user's role: "+roleList())
	add.Flags().StringVar(&key, "key", "", "an SSH public key line, or @FILE to read it from a .pub file")
	add.MarkFlagRequired("role")

	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the users, their roles and key fingerprints",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			us, err := s.store.Users(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				if us == nil {
					us = []store.User{}
				}
				return printJSON(cmd.OutOrStdout(), us)
			}
			if len(us) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no users: this caseload is one person's (caseload user add NAME --role team-leader starts a team)")
				return nil
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tKEYS")
			for _, u := range us {
				var fps []string
				for _, k := range u.Keys {
					fps = append(fps, k.Fingerprint+" "+safeClip(k.Comment, 30))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.Role, strings.Join(fps, "; "))
			}
			return tw.Flush()
		}),
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print as JSON")

	remove := &cobra.Command{
		Use:   "remove NAME",
		Short: "End a user's access (their name stays on every event they recorded)",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			if err := s.store.RemoveUser(cmd.Context(), args[0], s.act()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed %s\n", args[0])
			return nil
		}),
	}
	keyCmd := &cobra.Command{Use: "key", Short: "Add or remove a user's SSH keys"}
	keyAdd := &cobra.Command{
		Use:   "add NAME 'ssh-ed25519 AAAA…' | @FILE.pub",
		Short: "Give a user another key",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			if err := s.store.AddKey(cmd.Context(), args[0], readKeyArg(args[1]), s.act()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "added a key for %s\n", args[0])
			return nil
		}),
	}
	keyRemove := &cobra.Command{
		Use:   "remove NAME KEY|SHA256:FINGERPRINT",
		Short: "Take a key from a user",
		Args:  cobra.ExactArgs(2),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			if err := s.store.RemoveKey(cmd.Context(), args[0], readKeyArg(args[1]), s.act()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed the key from %s\n", args[0])
			return nil
		}),
	}
	keyCmd.AddCommand(keyAdd, keyRemove)
	var limit int
	sessions := &cobra.Command{
		Use:   "sessions",
		Short: "The session log: who connected, when, from where, for how long (newest first)",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			rs, err := s.store.Sessions(cmd.Context(), limit)
			if err != nil {
				return err
			}
			if asJSON {
				if rs == nil {
					rs = []store.SessionRecord{}
				}
				return printJSON(cmd.OutOrStdout(), rs)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "AT\tUSER\tFROM\tWHAT\tLASTED")
			for _, r := range rs {
				what := r.Kind
				if r.Command != "" {
					what += " " + safeClip(r.Command, 40)
				}
				lasted := ""
				if r.Seconds != nil {
					lasted = fmt.Sprintf("%ds", *r.Seconds)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.At.Local().Format("02/01/2006 15:04:05"), r.User, r.Remote, what, lasted)
			}
			return tw.Flush()
		}),
	}
	sessions.Flags().IntVar(&limit, "limit", 50, "at most this many records")
	sessions.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.AddCommand(add, list, remove, keyCmd, sessions)
	return c
}

// readKeyArg takes a key line, or @FILE for the contents of a .pub file.
func readKeyArg(s string) string {
	if name, ok := strings.CutPrefix(s, "@"); ok {
		if b, err := os.ReadFile(name); err == nil {
			return string(b)
		}
	}
	return s
}

func itemArg(arg string, mail int64) (store.Item, error) {
	if mail != 0 {
		return store.Item{MailID: mail}, nil
	}
	it, err := store.ParseItem(arg)
	if err != nil {
		return it, usageError{err}
	}
	return it, nil
}

func ownershipCmd(g *globals, use, short string, args cobra.PositionalArgs, run func(cmd *cobra.Command, s *session, it store.Item, args []string) (string, error)) *cobra.Command {
	var mail int64
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  args,
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			first := ""
			if len(args) > 0 && mail == 0 {
				first = args[0]
				args = args[1:]
			}
			it, err := itemArg(first, mail)
			if err != nil {
				return err
			}
			msg, err := run(cmd, s, it, args)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), msg)
			return nil
		}),
	}
	c.Flags().Int64Var(&mail, "mail", 0, "act on this message of the mail inbox instead of a case")
	return c
}

func takeCmd(g *globals) *cobra.Command {
	c := ownershipCmd(g, "take REF | --mail ID | --next", "Claim an available case or message: it becomes yours (fails if someone was first)",
		cobra.MaximumNArgs(1), func(cmd *cobra.Command, s *session, it store.Item, _ []string) (string, error) {
			if err := s.store.Take(cmd.Context(), it, s.act()); err != nil {
				return "", err
			}
			return fmt.Sprintf("%s: taken by %s", it, s.user), nil
		})
	var next bool
	c.Flags().BoolVar(&next, "next", false, "claim the oldest appeal waiting in the queue that no one owns or holds on a queue card (another's claim at the same moment takes a different one)")
	named := c.RunE
	takeNext := g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
		if len(args) > 0 || cmd.Flags().Changed("mail") {
			return usageError{fmt.Errorf("take --next chooses the appeal itself: name no reference or message")}
		}
		it, err := s.store.TakeNext(cmd.Context(), s.act())
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s: taken by %s\n", it, s.user)
		return nil
	})
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if next {
			return takeNext(cmd, args)
		}
		return named(cmd, args)
	}
	return c
}

func releaseCmd(g *globals) *cobra.Command {
	return ownershipCmd(g, "release REF | --mail ID", "Give a case or message back to the available work",
		cobra.MaximumNArgs(1), func(cmd *cobra.Command, s *session, it store.Item, _ []string) (string, error) {
			if err := s.store.Release(cmd.Context(), it, s.act()); err != nil {
				return "", err
			}
			return fmt.Sprintf("%s: released, available to the team", it), nil
		})
}

func assignCmd(g *globals) *cobra.Command {
	return ownershipCmd(g, "assign REF USER | --mail ID USER", "Give a case or message to a user (team leaders; reassigns an owned one)",
		cobra.RangeArgs(1, 2), func(cmd *cobra.Command, s *session, it store.Item, args []string) (string, error) {
			if len(args) != 1 {
				return "", usageError{fmt.Errorf("assign needs the item and the user: caseload assign REF USER")}
			}
			if err := s.store.Assign(cmd.Context(), it, args[0], s.act()); err != nil {
				return "", err
			}
			return fmt.Sprintf("%s: assigned to %s", it, args[0]), nil
		})
}

func workCmd(g *globals) *cobra.Command {
	var available, all, asJSON bool
	var owner string
	var limit int
	c := &cobra.Command{
		Use:   "work",
		Short: "My work: the cases and messages you own, most urgent first (--available, --all [--owner NAME])",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			f := store.WorkFilter{Scope: store.WorkMine, User: s.user}
			switch {
			case available && all:
				return usageError{fmt.Errorf("--available and --all: choose one")}
			case available:
				f = store.WorkFilter{Scope: store.WorkAvailable}
			case all:
				f = store.WorkFilter{Scope: store.WorkAll, User: owner}
			case owner != "":
				return usageError{fmt.Errorf("--owner goes with --all")}
			}
			items, err := s.store.Work(cmd.Context(), f, limit)
			if err != nil {
				return err
			}
			if asJSON {
				if items == nil {
					items = []store.WorkItem{}
				}
				return printJSON(cmd.OutOrStdout(), items)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "ITEM\tTITLE\tNEXT\tDUE\tOWNER")
			for _, w := range items {
				due := ""
				if !w.Due.IsZero() {
					due = w.Due.UK()
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", w.Item(), safeClip(w.Title, 30), safeClip(w.What, 30), due, w.Owner)
			}
			return tw.Flush()
		}),
	}
	c.Flags().BoolVar(&available, "available", false, "work no one owns, that you may take")
	c.Flags().BoolVar(&all, "all", false, "everyone's work (team leaders)")
	c.Flags().StringVar(&owner, "owner", "", "with --all: one owner's work")
	c.Flags().IntVar(&limit, "limit", 200, "at most this many")
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

func workloadCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "workload",
		Short: "Workload report: open items per owner, oldest item, decided today, reassignments today",
		Args:  cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			if role, err := s.store.Role(cmd.Context(), s.user); err != nil {
				return err
			} else if role != "" && role != domain.TeamLeader {
				return fmt.Errorf("%s is a %s: the workload report is for team leaders", s.user, role)
			}
			lines, err := s.store.Workload(cmd.Context(), s.today)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), lines)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "OWNER\tROLE\tCASES\tMAIL\tOLDEST\tDECIDED TODAY\tREASSIGNED TODAY")
			for _, l := range lines {
				name, oldest := l.Owner, ""
				if name == "" {
					name = "(available)"
				}
				if !l.Oldest.IsZero() {
					oldest = l.Oldest.UK() + " " + l.OldestItem
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%d\t%d\n", name, l.Role, l.OpenCases, l.OpenMail, oldest, l.DecidedToday, l.Reassignments)
			}
			return tw.Flush()
		}),
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

func distributeCmd(g *globals) *cobra.Command {
	var mode string
	var limit int
	c := &cobra.Command{
		Use:   "distribute",
		Short: "Give waiting appeals no one owns to the caseworkers (round-robin or least-loaded)",
		Long: `With distribution = "round-robin" or "least-loaded" in config.toml, import does this for every new
appeal; this command does it for those already waiting. Each is an assigned event by "distribution".`,
		Args: cobra.NoArgs,
		RunE: g.withSession(func(cmd *cobra.Command, _ []string, s *session) error {
			if mode == "" {
				mode = s.cfg.Distribution
			}
			m, err := store.ParseDistribution(mode)
			if err != nil {
				return usageError{err}
			}
			if m == store.DistributionOff {
				return usageError{fmt.Errorf("distribution is off: give --mode round-robin or least-loaded, or set distribution in %s", configFile())}
			}
			if role, err := s.store.Role(cmd.Context(), s.user); err != nil {
				return err
			} else if role != "" && role != domain.TeamLeader {
				return fmt.Errorf("%s is a %s: distributing work is for team leaders", s.user, role)
			}
			n, err := s.store.Distribute(cmd.Context(), m, limit, s.today)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "distributed %d appeals (%s)\n", n, m)
			return nil
		}),
	}
	c.Flags().StringVar(&mode, "mode", "", "round-robin or least-loaded (default the config's distribution)")
	c.Flags().IntVar(&limit, "limit", 10000, "at most this many appeals")
	return c
}

// distributeNew runs the configured distribution after an import.
func distributeNew(cmd *cobra.Command, s *session) error {
	m, err := store.ParseDistribution(s.cfg.Distribution)
	if err != nil {
		return fmt.Errorf("%s: %w", configFile(), err)
	}
	if m == store.DistributionOff {
		return nil
	}
	n, err := s.store.Distribute(cmd.Context(), m, 100000, s.today)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "distributed %d new appeals (%s)\n", n, m)
	}
	return nil
}
