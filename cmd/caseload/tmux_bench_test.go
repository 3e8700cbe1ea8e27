package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkTmuxKeyToScreen is the time from tmux receiving a key to the
// program's new frame reaching tmux, end to end through a real terminal.
//
// It talks to tmux through one control-mode client (tmux -C) kept open for
// the whole run: the command and the pane's output travel over that client's
// pipes. Polling with `tmux send-keys` and `tmux capture-pane` instead costs
// two process starts a sample (about 8 ms each on this machine), which is
// more than the thing being measured. The "floor" cases run bench/floor, the
// smallest Bubble Tea program that redraws on a key, at Bubble Tea's default
// 60 frames a second and at the 120 caseload asks for, and "tmux-echo" a
// terminal that echoes bytes back, so the figure can be read against what
// tmux and frame pacing cost on their own.
//
// The database is CASELOAD_BENCH_DB, or else 2,000 generated cases.
func BenchmarkTmuxKeyToScreen(b *testing.B) {
	if _, err := exec.LookPath("tmux"); err != nil {
		b.Skip("tmux is not installed")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "caseload")
	floor := filepath.Join(dir, "floor")
	for out, pkg := range map[string]string{bin: ".", floor: "../../bench/floor"} {
		if msg, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			b.Fatalf("build %s: %v\n%s", pkg, err, msg)
		}
	}
	db := os.Getenv("CASELOAD_BENCH_DB")
	if db == "" {
		db = filepath.Join(dir, "bench.db")
		if msg, err := exec.Command(bin, "--db", db, "generate", "--cases", "2000", "--seed", "1").CombinedOutput(); err != nil {
			b.Fatalf("generate: %v\n%s", err, msg)
		}
	}
	// A tmux server of the benchmark's own (its own socket), kept alive by a
	// session that outlives the cases. On the default server two things
	// ended a case's control client mid-run ("write |1: broken pipe" at 1M):
	// the server exits when its last session is killed, so the next case's
	// new-session could land on a server already on its way out, and any
	// other tmux user on the machine (tests that kill-server) shares it.
	tmuxSocket = fmt.Sprintf("caseload-bench-%d", os.Getpid())
	if msg, err := tmuxCmd("new-session", "-d", "-s", "keep", "sleep 86400").CombinedOutput(); err != nil {
		b.Fatalf("tmux: %v %s", err, msg)
	}
	tmuxCmd("set-option", "-g", "exit-empty", "off").Run()
	b.Cleanup(func() { tmuxCmd("kill-server").Run() })
	home := filepath.Join(dir, "home")
	env := []string{"NO_COLOR=1", "HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_STATE_HOME=" + filepath.Join(home, "state")}
	for _, tc := range []struct {
		name, command string
		setup         []string // keys sent once before timing
	}{
		{"floor", floor, nil},
		// tmux alone: a raw terminal that echoes each byte back.
		{"tmux-echo", `sh -c "stty raw -echo; sleep 0.5; echo Inbox; exec cat"`, nil},
		{"floor-120fps", "FLOOR_FPS=120 " + floor, nil},
		// The Cases screen, j and k: the list moves, the detail pane follows.
		{"cases", fmt.Sprintf("%s --db %s --today 2026-11-23 --user bench", bin, db), []string{"4"}},
		// The inbox: the most urgent work first.
		{"inbox", fmt.Sprintf("%s --db %s --today 2026-11-23 --user bench", bin, db), nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c := startControl(b, tc.command, env)
			c.waitText(b, "Inbox", 10*time.Second)
			for _, k := range tc.setup {
				c.send(b, k)
			}
			c.quiet(300 * time.Millisecond)
			var lat []time.Duration
			rng := rand.New(rand.NewPCG(1, 2))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := "j"
				if i%3 == 2 {
					k = "k"
				}
				start := time.Now()
				c.sendKey(b, k)
				if !c.waitOutput(2 * time.Second) {
					b.Fatalf("no new frame within 2 s of %q; %s", k, c.why())
				}
				lat = append(lat, time.Since(start))
				b.StopTimer()
				// Let the frame finish, then wait a random part of a frame
				// more: a person's key press does not keep time with the
				// program's frame ticker, and a fixed gap would measure
				// one phase of it only.
				c.quiet(40 * time.Millisecond)
				time.Sleep(time.Duration(rng.Int64N(int64(20 * time.Millisecond))))
				b.StartTimer()
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			ms := func(q float64) float64 { return float64(lat[int(float64(len(lat)-1)*q)].Microseconds()) / 1000 }
			b.ReportMetric(ms(0.5), "p50-ms")
			b.ReportMetric(ms(0.9), "p90-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// tmuxSocket names the benchmark's own tmux server (tmux -L).
var tmuxSocket = "caseload-bench"

func tmuxCmd(args ...string) *exec.Cmd {
	return exec.Command("tmux", append([]string{"-L", tmuxSocket}, args...)...)
}

// control is a tmux session with one control-mode client attached.
type control struct {
	session string
	in      io.WriteCloser
	lines   chan string
	mu      sync.Mutex
	last    []string // the client's last lines, to say why it ended
	ended   chan struct{}
}

func startControl(b *testing.B, command string, env []string) *control {
	b.Helper()
	name := fmt.Sprintf("caseload-bench-%d", time.Now().UnixNano())
	args := []string{"new-session", "-d", "-s", name, "-x", "100", "-y", "30"}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	if msg, err := tmuxCmd(append(args, command)...).CombinedOutput(); err != nil {
		b.Fatalf("tmux: %v %s", err, msg)
	}
	// The session stays when the program in it ends, so a program that
	// fails is reported with its last screen instead of ending the client.
	tmuxCmd("set-option", "-t", name, "remain-on-exit", "on").Run()
	b.Cleanup(func() { tmuxCmd("kill-session", "-t", name).Run() })
	// A control client would otherwise shrink the window to 80×24.
	tmuxCmd("set-option", "-t", name, "window-size", "manual").Run()
	cmd := tmuxCmd("-C", "attach", "-t", name)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { in.Close(); cmd.Wait() })
	c := &control{session: name, in: in, lines: make(chan string, 4096), ended: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			l := sc.Text()
			if !strings.HasPrefix(l, "%output ") {
				c.mu.Lock()
				c.last = append(c.last[max(0, len(c.last)-5):], l)
				c.mu.Unlock()
			}
			c.lines <- l
		}
		close(c.lines)
		close(c.ended)
	}()
	return c
}

func (c *control) sendKey(b *testing.B, key string) {
	if _, err := fmt.Fprintf(c.in, "send-keys -t %s %s\n", c.session, key); err != nil {
		b.Fatalf("sending %q: %v; %s", key, err, c.why())
	}
}

// why says what ended the control client: its last lines (tmux's %exit
// reason) and the pane's last screen.
func (c *control) why() string {
	select {
	case <-c.ended:
	case <-time.After(time.Second):
	}
	screen, _ := tmuxCmd("capture-pane", "-p", "-t", c.session).CombinedOutput()
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprintf("control client's last lines %q; pane:\n%s", c.last, screen)
}

// send sends a key and waits for the screen to settle.
func (c *control) send(b *testing.B, key string) {
	c.sendKey(b, key)
	c.waitOutput(2 * time.Second)
	c.quiet(200 * time.Millisecond)
}

// waitOutput waits for the pane to write anything.
func (c *control) waitOutput(d time.Duration) bool { return c.waitFor("", d) }

// waitText waits for the pane's output to contain s (the first frame).
// A quick program may have drawn it before the client attached, so the
// pane is read first (the client is attached by now, so anything drawn
// after this read reaches waitFor).
func (c *control) waitText(b *testing.B, s string, d time.Duration) {
	if screen, err := tmuxCmd("capture-pane", "-p", "-t", c.session).Output(); err == nil && strings.Contains(string(screen), s) {
		return
	}
	if !c.waitFor(s, d) {
		b.Fatalf("%q did not appear within %s; %s", s, d, c.why())
	}
}

// waitFor reads the client's lines until the pane writes output containing
// s, or d passes, or the client ends.
func (c *control) waitFor(s string, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				return false
			}
			if strings.HasPrefix(l, "%output ") && strings.Contains(l, s) {
				return true
			}
		case <-t.C:
			return false
		}
	}
}

// quiet drains output until none has arrived for d.
func (c *control) quiet(d time.Duration) {
	for {
		select {
		case _, ok := <-c.lines:
			if !ok {
				return
			}
		case <-time.After(d):
			return
		}
	}
}
