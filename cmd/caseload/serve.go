package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"path/filepath"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/adrg/xdg"
	"github.com/caseload/caseload/store"
	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/letterdesk"
	"github.com/caseload/caseload/tui"
	"github.com/caseload/caseload/tui/queue"
	"github.com/caseload/caseload/tui/server"
)

func serveCmd(g *globals) *cobra.Command {
	var listen, hostKey string
	c := &cobra.Command{
		Use:   "serve [--listen ADDR] [--host-key PATH]",
		Short: "Serve this caseload to the team over SSH: each user connects with their key",
		Long: `caseload serve lets a team work one caseload: each caseworker runs ssh -p 23234 HOST and gets the full
UI as the user their key belongs to (add users with caseload user add); ssh HOST queue --json (or find,
show, work, take, …) runs that command instead. An unknown key is refused before anything is shown. Every
change made in one session reaches the others within a second, and the appeal on a caseworker's queue
card is reserved for them (lease_minutes in config.toml, default 10).

The server is the only program that should write the file while it runs; backups (caseload backup) are
safe meanwhile. It listens on 127.0.0.1:23234 unless told otherwise; the host key is generated (0600) on
first start next to the database.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.store.Close()
			if team, err := s.store.Team(cmd.Context()); err != nil {
				return err
			} else if !team {
				return errors.New("this caseload has no users, so no one could log in: add a team leader first (caseload user add NAME --role team-leader --key 'ssh-ed25519 …')")
			}
			if hostKey == "" && store.IsURL(s.path) {
				// No database folder: the key is this machine's.
				hostKey = filepath.Join(xdg.DataHome, "caseload", "ssh_host_ed25519_key")
			} else if hostKey == "" {
				hostKey = filepath.Join(filepath.Dir(s.path), "ssh_host_ed25519_key")
			}
			srv, err := newServer(g, s, listen, hostKey, log.New(cmd.ErrOrStderr(), "", log.LstdFlags))
			if err != nil {
				return err
			}
			return srv.ListenAndServe(cmd.Context())
		},
	}
	c.Flags().StringVar(&listen, "listen", server.DefaultListen, "address to listen on (HOST:PORT)")
	c.Flags().StringVar(&hostKey, "host-key", "", "the server's SSH host key (default ssh_host_ed25519_key beside the database; generated if missing)")
	return c
}

// newServer wires the store, the UI and the command line into an SSH server.
func newServer(g *globals, s *session, listen, hostKey string, logger *log.Logger) (*server.Server, error) {
	lease := time.Duration(s.cfg.LeaseMinutes) * time.Minute
	templates, err := loadTemplates()
	if err != nil {
		return nil, err
	}
	return server.New(server.Config{
		Store:       s.store,
		Listen:      listen,
		HostKeyPath: hostKey,
		LeaseTTL:    lease,
		Log:         logger,
		UI: func(ctx context.Context, id server.Identity, st *server.SessionStore, r queue.Reserver, env []string) (tea.Model, error) {
			today, err := g.todayDate()
			if err != nil {
				return nil, err
			}
			return tui.NewWithContext(ctx, tui.Config{
				Store:        st,
				Packs:        s.store.Packs(),
				Calendar:     s.store.Calendar(),
				Today:        today,
				User:         id.Name,
				Jurisdiction: s.jurisdiction,
				Plain:        g.plain || s.cfg.Plain,
				NoColor:      g.noColor || slices.ContainsFunc(env, func(e string) bool { return strings.HasPrefix(e, "NO_COLOR=") }),
				Keys:         s.cfg.Keys,
				ExportDir:    filepath.Join(xdg.DataHome, "caseload", "exports", id.Name),
				Reserver:     r,
				// My work is the first screen a team member sees.
				Work:   st,
				Leader: id.Role == domain.TeamLeader,
				// Drafted and saved as the session's user, on the
				// session store, so a save is refused to a read-only
				// user and reaches the other sessions. No editor: it
				// would run on the server, with the server's rights.
				Letters:  &letterdesk.Desk{Store: st, Templates: templates, Office: s.cfg.Office, User: id.Name, Today: today},
				NoEditor: "no $EDITOR over SSH: enter saves the draft as it is",
			})
		},
		Command: func(ctx context.Context, id server.Identity, args []string, stdout, stderr io.Writer) int {
			return runShared(ctx, g, s, id, args, stdout, stderr)
		},
	})
}

// runShared runs one CLI command for an SSH user on the server's store,
// as that user: --db and --user are ignored.
func runShared(ctx context.Context, server0 *globals, s *session, id server.Identity, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "caseload: internal error: %v\n", r)
			code = 70
		}
	}()
	// The server's --today is the default; the remote command may give its own.
	g := &globals{today: server0.today, shared: &session{path: s.path, user: id.Name}}
	root := newRootFor(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetIn(strings.NewReader(""))
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintln(stderr, "caseload:", safe(err.Error()))
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}
