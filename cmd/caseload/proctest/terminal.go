package proctest

import (
	"io"
	"sync"

	"github.com/charmbracelet/x/vt"
	"golang.org/x/crypto/ssh"
)

// Terminal is what a real terminal would show of an SSH session with a
// pty: the session's output drawn by a terminal emulator, which also
// answers the program's terminal queries (background colour, …) as a
// terminal would.
type Terminal struct {
	mu    sync.Mutex
	term  *vt.Emulator
	Stdin io.WriteCloser
}

// StartTerminal asks for a w×h pty on sess, starts its shell and draws
// what it writes.
func StartTerminal(sess *ssh.Session, w, h int) (*Terminal, error) {
	if err := sess.RequestPty("xterm-256color", h, w, ssh.TerminalModes{ssh.ECHO: 0}); err != nil {
		return nil, err
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	t := &Terminal{term: vt.NewEmulator(w, h), Stdin: stdin}
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := stdout.Read(buf)
			if n > 0 {
				t.mu.Lock()
				t.term.Write(buf[:n])
				t.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	go io.Copy(stdin, t.term)
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	return t, nil
}

// Text is the screen as it stands.
func (t *Terminal) Text() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.term.String()
}
