// Package server serves one caseload to a team over SSH: every caseworker
// connects with their key and gets the full terminal UI (or runs a CLI
// command), as the user that key belongs to. One server process owns the
// SQLite file, so there is one writer and never "database is locked".
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui"
	"github.com/caseload/caseload/tui/queue"
)

// DefaultListen is where a server listens unless told: this machine only.
const DefaultListen = "127.0.0.1:23234"

// Identity is who a session is: the user the SSH key belongs to.
type Identity struct {
	Name    string
	Role    domain.Role
	Session string // the SSH session id
	Remote  string // the client's address
}

// Commands a plain `ssh host COMMAND` may run, for scripts: reading, and
// the work a caseworker does. The rest (import, backup, restore, user, …)
// are for whoever runs the server, on the server.
var Commands = []string{"queue", "find", "show", "due", "inbox", "work", "workload", "take", "release", "assign",
	"categorise", "note"}

// Config is what the command line gives the server.
type Config struct {
	Store       *store.Store
	Listen      string // default DefaultListen
	HostKeyPath string // generated (ed25519, 0600) if missing
	LeaseTTL    time.Duration
	// Name is this server's in the queue reservations every server on
	// the database shares (default: host, process id and address).
	Name string
	// UI builds the model for a session, on st (the session's store,
	// which is also the queue's Reserver). ctx ends when the session's
	// program does (quit, ctrl+c, or the client gone): the model's
	// commands run under it, so a read still in flight is cancelled.
	UI func(ctx context.Context, id Identity, st *SessionStore, r queue.Reserver, env []string) (tea.Model, error)
	// Command runs one CLI command for a session and returns its exit status.
	Command func(ctx context.Context, id Identity, args []string, stdout, stderr io.Writer) int
	// Log gets a line per connection (nil: discarded).
	Log *log.Logger
	// Poll is how often another process's writes are looked for (default 250 ms).
	Poll time.Duration
}

// Server is a running team server.
type Server struct {
	cfg    Config
	ssh    *ssh.Server
	hub    *Hub
	leases *Leases
	wg     sync.WaitGroup
	// sessions are the session handlers running: Serve returns only when
	// they have recorded their end, so nothing touches the file after.
	sessions sync.WaitGroup
}

type identityKey struct{}

// New prepares a server: the host key is read, or generated on first start.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.UI == nil || cfg.Command == nil {
		return nil, errors.New("server: Store, UI and Command are required")
	}
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 250 * time.Millisecond
	}
	if cfg.Log == nil {
		cfg.Log = log.New(io.Discard, "", 0)
	}
	if cfg.Name == "" {
		host, _ := os.Hostname()
		cfg.Name = fmt.Sprintf("%s pid %d %s", host, os.Getpid(), cfg.Listen)
	}
	s := &Server{cfg: cfg, hub: NewHub(), leases: NewLeases(cfg.Store, cfg.Name, cfg.LeaseTTL, nil)}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Listen),
		wish.WithHostKeyPath(cfg.HostKeyPath),
		// Only keys of users get in: an unknown key is refused during the
		// handshake, before any session (or screen) exists.
		wish.WithPublicKeyAuth(func(ctx ssh.Context, key ssh.PublicKey) bool {
			_, err := cfg.Store.UserByKey(ctx, key)
			if err != nil && !errors.Is(err, store.ErrUnknownUser) {
				cfg.Log.Printf("key check: %v", err)
			}
			return err == nil
		}),
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(s.program),
			s.uiContext,
			s.command,
			s.identify,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// Hub is the server's broadcaster (for tests and benchmarks).
func (s *Server) Hub() *Hub { return s.hub }

// Serve answers connections on ln until ctx ends, watching the file for
// other processes' writes meanwhile.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	watchCtx, stop := context.WithCancel(ctx)
	defer stop()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.cfg.Store.Watch(watchCtx, s.cfg.Poll, func() { s.hub.Publish(0, nil) })
	}()
	shut := make(chan struct{})
	go func() {
		defer close(shut)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := s.ssh.Shutdown(sctx); err != nil {
			s.ssh.Close()
		}
	}()
	err := s.ssh.Serve(ln)
	stop()
	s.wg.Wait()
	defer func() {
		// Whatever a session left held (it could not record its end) is
		// let go rather than left to lapse.
		if err := s.leases.EndServer(context.Background()); err != nil {
			s.cfg.Log.Printf("queue reservations: %v", err)
		}
	}()
	if ctx.Err() != nil {
		// Stopping: the connections are closed by now (or forced shut), so
		// each session's program has ended; wait for their handlers to
		// record the session's end, briefly.
		<-shut
		ended := make(chan struct{})
		go func() { s.sessions.Wait(); close(ended) }()
		select {
		case <-ended:
		case <-time.After(2 * time.Second):
			s.cfg.Log.Printf("stopping with sessions still ending")
		}
	}
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on the configured address.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return err
	}
	s.cfg.Log.Printf("caseload serving %s on %s", s.cfg.Store.Path(), ln.Addr())
	return s.Serve(ctx, ln)
}

// identify finds the user of the key the session authenticated with (the
// key proven, not merely offered) and records the session's start and end.
func (s *Server) identify(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.sessions.Add(1)
		defer s.sessions.Done()
		ctx := sess.Context()
		if sess.PublicKey() == nil {
			wish.Fatalln(sess, "caseload: log in with your SSH key")
			return
		}
		u, err := s.cfg.Store.UserByKey(ctx, sess.PublicKey())
		if err != nil {
			wish.Fatalln(sess, "caseload: this key belongs to no user of this caseload")
			return
		}
		id := Identity{Name: u.Name, Role: u.Role, Session: sess.Context().SessionID(), Remote: sess.RemoteAddr().String()}
		ctx.SetValue(identityKey{}, id)
		command := strings.Join(sess.Command(), " ")
		start := time.Now()
		if err := s.cfg.Store.SessionStarted(context.Background(), id.Session, id.Name, id.Remote, command); err != nil {
			s.cfg.Log.Printf("session log: %v", err)
		}
		s.cfg.Log.Printf("%s (%s) connected from %s %s", id.Name, id.Role, id.Remote, command)
		defer func() {
			if err := s.leases.EndSession(context.Background(), id.Session); err != nil {
				s.cfg.Log.Printf("queue reservations: %v", err)
			}
			lasted := time.Since(start)
			if err := s.cfg.Store.SessionEnded(context.Background(), id.Session, id.Name, id.Remote, command, lasted); err != nil {
				s.cfg.Log.Printf("session log: %v", err)
			}
			s.cfg.Log.Printf("%s left after %s", id.Name, lasted.Round(time.Second))
		}()
		next(sess)
	}
}

type uiContextKey struct{}

// uiContext gives the session's program a context that ends as soon as
// the program does: the Bubble Tea middleware returns then, before the
// session itself is closed and torn down.
func (s *Server) uiContext(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel()
		sess.Context().SetValue(uiContextKey{}, ctx)
		next(sess)
	}
}

func identityOf(sess ssh.Session) Identity {
	id, _ := sess.Context().Value(identityKey{}).(Identity)
	return id
}

// command runs `ssh host COMMAND` as the session's user; a session with no
// command goes on to the UI.
func (s *Server) command(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		args := sess.Command()
		if len(args) == 0 {
			next(sess)
			return
		}
		if !slices.Contains(Commands, args[0]) && args[0] != "--help" && args[0] != "help" {
			fmt.Fprintf(sess.Stderr(), "caseload: %q cannot be run over SSH; use one of %s (or no command for the UI)\n",
				args[0], strings.Join(Commands, ", "))
			sess.Exit(2)
			return
		}
		code := s.cfg.Command(sess.Context(), identityOf(sess), args, sess, sess.Stderr())
		sess.Exit(code)
	}
}

// program makes the session's Bubble Tea program: the full UI at the
// client's size and colours, live updates from the hub, and ctrl+c ending
// only this session.
func (s *Server) program(sess ssh.Session) *tea.Program {
	id := identityOf(sess)
	ctx, ok := sess.Context().Value(uiContextKey{}).(context.Context)
	if !ok {
		ctx = sess.Context()
	}
	st := &SessionStore{Store: s.cfg.Store, id: id, hub: s.hub, leases: s.leases}
	m, err := s.cfg.UI(ctx, id, st, st, sess.Environ())
	if err != nil {
		wish.Fatalln(sess, "caseload: "+err.Error())
		return nil
	}
	opts := append(bm.MakeOptions(sess), tea.WithFPS(60), tea.WithoutSignalHandler())
	p := tea.NewProgram(m, opts...)
	sub, cancel := s.hub.Subscribe(func(msg tui.LiveMsg) { p.Send(msg) })
	st.sub = sub
	go func() {
		<-sess.Context().Done()
		cancel()
	}()
	return p
}
