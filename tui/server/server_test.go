package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/crypto/ssh"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/queue"
	"github.com/caseload/caseload/tui/uitest"
)

// slowUI is a session's program whose first command is a read that only
// ends when its context does (a read the database is still busy with).
type slowUI struct{ ctx context.Context }

type readEnded struct{ err error }

func (m slowUI) Init() tea.Cmd {
	ctx := m.ctx
	return func() tea.Msg {
		<-ctx.Done()
		return readEnded{ctx.Err()}
	}
}

func (m slowUI) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "q" {
		return m, tea.Quit
	}
	return m, nil
}

func (m slowUI) View() tea.View { return tea.NewView("reading…") }

// TestQuitCancelsReadsInFlight: the context a session's UI is built with
// ends when the caseworker quits, so a read still running is cancelled
// rather than left working for a session that is gone; until then it runs.
func TestQuitCancelsReadsInFlight(t *testing.T) {
	st := uitest.Store(t, "")
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk, _ := ssh.NewPublicKey(pub)
	if err := st.AddUser(context.Background(), "lead", domain.TeamLeader, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk))),
		store.ActOptions{User: "lead"}); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	srv, err := New(Config{Store: st, HostKeyPath: filepath.Join(t.TempDir(), "host_key"),
		UI: func(ctx context.Context, _ Identity, _ *SessionStore, _ queue.Reserver, _ []string) (tea.Model, error) {
			go func() {
				<-ctx.Done()
				ended <- ctx.Err()
			}()
			return slowUI{ctx}, nil
		},
		Command: func(context.Context, Identity, []string, io.Writer, io.Writer) int { return 0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })

	signer, _ := ssh.NewSignerFromKey(priv)
	c, err := ssh.Dial("tcp", ln.Addr().String(), &ssh.ClientConfig{User: "lead", Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 24, 80, ssh.TerminalModes{ssh.ECHO: 0}); err != nil {
		t.Fatal(err)
	}
	stdin, _ := sess.StdinPipe()
	stdout, _ := sess.StdoutPipe()
	go io.Copy(io.Discard, stdout)
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-ended:
		t.Fatalf("the session's context ended before the caseworker quit: %v", err)
	case <-time.After(500 * time.Millisecond):
	}
	io.WriteString(stdin, "q")
	select {
	case err := <-ended:
		if err != context.Canceled {
			t.Errorf("the context ended with %v, want cancelled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("quitting left the session's reads running")
	}
}
