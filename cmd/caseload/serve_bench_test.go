package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// BenchmarkServe20Sessions: twenty people on one server, each pressing a
// key every 100 ms: eighteen browse the Cases screen (j/k), two work the
// queue (a: accept), so every decision is published live to the others.
// It measures key press to the first bytes of the next frame at the client,
// per session, over loopback SSH, and the process's peak RSS while the
// sessions run (server and clients: they share the process).
//
// The database is a copy of CASELOAD_BENCH_DB, or else 20,000 generated
// cases; CASELOAD_BENCH_SECONDS (default 10) is how long the sessions type.
// Run it once: go test -run '^$' -bench Serve20 -benchtime 1x ./cmd/caseload
func BenchmarkServe20Sessions(b *testing.B) {
	seconds := envInt("CASELOAD_BENCH_SECONDS", 10)
	dir := b.TempDir()
	b.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "cfg"))
	b.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	b.Setenv("CASELOAD_TODAY", "")
	db := filepath.Join(dir, "bench.db")
	if src := os.Getenv("CASELOAD_BENCH_DB"); src != "" {
		if err := copyFile(src, db); err != nil {
			b.Fatal(err)
		}
	} else if code := run(context.Background(), []string{"--db", db, "--today", "2026-11-16", "generate", "--cases", "20000", "--seed", "1"}); code != 0 {
		b.Fatalf("generate: exit %d", code)
	}
	cl := func(args ...string) {
		if code := run(context.Background(), append([]string{"--db", db, "--today", "2026-11-16", "--user", "lead"}, args...)); code != 0 {
			b.Fatalf("%v: exit %d", args, code)
		}
	}
	const sessions, writers = 20, 2
	_, leadKey := signer(b)
	cl("user", "add", "lead", "--role", "team-leader", "--key", leadKey)
	signers := make([]ssh.Signer, sessions)
	for i := range signers {
		var line string
		signers[i], line = signer(b)
		cl("user", "add", fmt.Sprintf("cw%02d", i), "--role", "caseworker", "--key", line)
	}
	g := &globals{db: db, today: "2026-11-16"}
	s, err := g.open(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer s.store.Close()
	srv, err := newServer(g, s, "127.0.0.1:0", filepath.Join(dir, "host_key"), log.New(io.Discard, "", 0))
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	defer func() { cancel(); <-served }()

	type result struct {
		lat      []time.Duration
		errors   int // a session that failed
		timeouts int // a key press with no frame within 2 s
	}
	results := make([]result, sessions)
	var wg sync.WaitGroup
	// Peak RSS from here on: generating the database used a bulk cache.
	runtime.GC()
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0o200)
	var waiting int
	s.store.DB().QueryRow("SELECT value FROM counters WHERE name = 'queue'").Scan(&waiting)
	b.Logf("%d appeals waiting in the queue", waiting)
	load, _ := os.ReadFile("/proc/loadavg")
	b.Logf("load average before: %s", strings.TrimSpace(string(load)))
	b.ResetTimer()
	for i := 0; i < sessions; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := &results[i]
			c, err := ssh.Dial("tcp", ln.Addr().String(), &ssh.ClientConfig{User: "x", Auth: []ssh.AuthMethod{ssh.PublicKeys(signers[i])},
				HostKeyCallback: ssh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
			if err != nil {
				r.errors++
				return
			}
			defer c.Close()
			sess, _ := c.NewSession()
			sess.RequestPty("xterm-256color", 24, 80, ssh.TerminalModes{})
			stdin, _ := sess.StdinPipe()
			stdout, _ := sess.StdoutPipe()
			frames := make(chan time.Time, 4096)
			go func() {
				buf := make([]byte, 64*1024)
				for {
					n, err := stdout.Read(buf)
					if n > 0 {
						select {
						case frames <- time.Now():
						default:
						}
					}
					if err != nil {
						close(frames)
						return
					}
				}
			}()
			if err := sess.Shell(); err != nil {
				r.errors++
				return
			}
			settle := func() {
				for {
					select {
					case <-frames:
					case <-time.After(300 * time.Millisecond):
						return
					}
				}
			}
			settle()
			keys := []string{"j", "k"}
			io.WriteString(stdin, "4")
			if i < writers {
				keys = []string{"a"}
				io.WriteString(stdin, "2")
			}
			settle()
			end := time.Now().Add(time.Duration(seconds) * time.Second)
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for n := 0; time.Now().Before(end); n++ {
				<-tick.C
				for len(frames) > 0 {
					<-frames
				}
				t0 := time.Now()
				if _, err := io.WriteString(stdin, keys[n%len(keys)]); err != nil {
					r.errors++
					return
				}
				select {
				case t1, ok := <-frames:
					if !ok {
						r.errors++
						return
					}
					r.lat = append(r.lat, t1.Sub(t0))
				case <-time.After(2 * time.Second):
					r.timeouts++
				}
			}
			io.WriteString(stdin, "\x03")
			sess.Wait()
		}(i)
	}
	wg.Wait()
	b.StopTimer()
	var all []time.Duration
	worst, errors, timeouts := time.Duration(0), 0, 0
	for _, r := range results {
		errors += r.errors
		timeouts += r.timeouts
		all = append(all, r.lat...)
		if p := percentile(r.lat, 99); p > worst {
			worst = p
		}
	}
	b.ReportMetric(float64(percentile(all, 50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(all, 99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-session-p99-ms")
	b.ReportMetric(float64(len(all)), "presses")
	b.ReportMetric(float64(errors), "errors")
	b.ReportMetric(float64(timeouts), "no-frame-2s")
	b.ReportMetric(float64(peakRSS())/1024, "peak-rss-MB")
	var decided int
	s.store.DB().QueryRow("SELECT count(*) FROM events WHERE kind = 'allocated' AND user LIKE 'cw%'").Scan(&decided)
	b.ReportMetric(float64(decided), "decisions")
	if errors > 0 {
		b.Errorf("%d errors", errors)
	}
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, len(s)*p/100)]
}

// peakRSS is VmHWM in KiB (Linux).
func peakRSS() int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return n
		}
	}
	return 0
}
