package pgprocess

import (
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caseload/caseload/cmd/caseload/proctest"
	"golang.org/x/crypto/ssh"
	_ "modernc.org/sqlite"

	"github.com/caseload/caseload/store/pgtest"
)

// Two `caseload serve` processes on one database, each on its own
// loopback port, with real SSH clients (x/crypto/ssh with a pty, drawn by
// a terminal emulator) split between them, all working the queue card
// until the queue is empty.

// TestTwoServersOneQueuePostgres: on PostgreSQL, the service's set-up:
// every appeal is decided exactly once, by the caseworker whose card it
// was on, no appeal is ever on two cards at once, a card on one server
// moves on when its appeal is decided through the other, and check is
// clean.
func TestTwoServersOneQueuePostgres(t *testing.T) {
	twoServersOneQueue(t, pgtest.Fresh(t))
}

// TestTwoServersOneQueueSQLite: the same two servers on one SQLite file
// (the reservations are in the file, the write gate orders the writers).
func TestTwoServersOneQueueSQLite(t *testing.T) {
	twoServersOneQueue(t, filepath.Join(t.TempDir(), "data", "caseload.db"))
}

const (
	appeals   = 36
	perServer = 3 // caseworkers on each server
	today     = "2026-11-16"
)

func twoServersOneQueue(t *testing.T, db string) {
	bin := binary(t)
	dir := t.TempDir()
	csv := filepath.Join(dir, "in.csv")
	writeNotices(t, csv, 2026, 1, appeals)
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, append([]string{"--db", db, "--today", today}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("caseload %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("import", csv)
	users := []string{"lead"}
	for i := range 2 * perServer {
		users = append(users, fmt.Sprintf("cw%d", i+1))
	}
	keys := map[string]ssh.Signer{}
	for _, u := range users {
		role := "caseworker"
		if u == "lead" {
			role = "team-leader"
		}
		var line string
		keys[u], line = newKey(t)
		run("--user", "lead", "user", "add", u, "--role", role, "--key", line)
	}
	addrs := []string{startServe(t, bin, db, dir, "a"), startServe(t, bin, db, dir, "b")}

	// Each caseworker on their server: cw1..3 on a, cw4..6 on b.
	screens := make([]*screen, 2*perServer)
	for i := range screens {
		u := users[i+1]
		screens[i] = openScreen(t, addrs[i/perServer], u, keys[u])
		screens[i].name = u
	}
	for _, sc := range screens {
		sc.waitFor(t, fmt.Sprintf("queue %d", appeals), 20*time.Second)
		sc.keys(t, "2")
	}
	for _, sc := range screens {
		sc.waitFor(t, "Suggested", 10*time.Second)
	}

	// A card on server b moves on when its appeal is decided through
	// server a (a command over SSH, as a script would).
	onB := screens[perServer]
	gone := onB.waitCard(t, 10*time.Second)
	if out, err := sshRun(addrs[0], "lead", keys["lead"], "categorise", gone, "paper"); err != nil {
		t.Fatalf("categorise %s through server a: %v %s", gone, err, out)
	}
	onB.waitFor(t, gone+": categorised by lead; moved on", 10*time.Second)

	// Watch every card while they work: no appeal on two at once.
	var mu sync.Mutex
	var twice []string
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			on := map[string]string{}
			for _, sc := range screens {
				ref := sc.card()
				if ref == "" {
					continue
				}
				if other, ok := on[ref]; ok {
					mu.Lock()
					twice = append(twice, fmt.Sprintf("%s on %s's and %s's cards", ref, other, sc.name))
					mu.Unlock()
				}
				on[ref] = sc.name
			}
		}
	}()

	decided := make([][]string, len(screens))
	errs := make([]error, len(screens))
	var wg sync.WaitGroup
	for i, sc := range screens {
		wg.Go(func() { decided[i], errs[i] = sc.work(time.Now().Add(3 * time.Minute)) })
	}
	wg.Wait()
	close(stop)
	<-watched
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v\n%s", screens[i].name, err, screens[i].text())
		}
	}
	if len(twice) > 0 {
		t.Fatalf("%d times an appeal was on two cards at once, first: %s", len(twice), twice[0])
	}

	// Every appeal decided exactly once, by whoever had it on their card.
	by := map[string]string{gone: "lead"}
	perUser := map[string]int{}
	for i, refs := range decided {
		for _, ref := range refs {
			if prev, ok := by[ref]; ok {
				t.Errorf("%s was decided on %s's card and on %s's", ref, prev, screens[i].name)
			}
			by[ref] = screens[i].name
			perUser[screens[i].name]++
		}
	}
	if len(by) != appeals {
		t.Errorf("%d appeals decided on the cards (and one by command), want %d", len(by), appeals)
	}
	allocated := allocations(t, db)
	if len(allocated) != appeals {
		t.Errorf("%d appeals have an allocation, want %d", len(allocated), appeals)
	}
	for ref, who := range allocated {
		if len(who) != 1 || who[0] != by[ref] {
			t.Errorf("%s: allocated by %v, want once by %s", ref, who, by[ref])
		}
	}
	if out := run("queue", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("the queue is not empty: %s", out)
	}
	run("check")
	t.Logf("%d appeals, two servers, %d caseworkers on each: decided per caseworker %v", appeals, perServer, perUser)
}

// allocations are the users who allocated each case, from the database.
func allocations(t *testing.T, db string) map[string][]string {
	t.Helper()
	driver, dsn := "sqlite", "file:"+db+"?mode=ro"
	if strings.HasPrefix(db, "postgres") {
		driver, dsn = "pgx", db
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT c.reference, e."user" FROM events e JOIN cases c ON c.id = e.case_id
		WHERE e.kind = 'allocated' ORDER BY e.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var ref, user string
		if err := rows.Scan(&ref, &user); err != nil {
			t.Fatal(err)
		}
		out[ref] = append(out[ref], user)
	}
	return out
}

func newKey(t *testing.T) (ssh.Signer, string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pk, _ := ssh.NewPublicKey(pub)
	return s, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk)))
}

// startServe runs `caseload serve` on a free loopback port until the test
// ends, and returns its address once it answers.
func startServe(t *testing.T, bin, db, dir, name string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logPath := filepath.Join(dir, "serve-"+name+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--db", db, "--today", today, "serve", "--listen", addr,
		"--host-key", filepath.Join(dir, "host-"+name))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); logFile.Close(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("server %s's log:\n%s", name, b)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return addr
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(logPath)
			t.Fatalf("server %s ended: %s", name, b)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s never listened on %s", name, addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func dial(addr, user string, key ssh.Signer) (*ssh.Client, error) {
	return ssh.Dial("tcp", addr, &ssh.ClientConfig{User: user, Auth: []ssh.AuthMethod{ssh.PublicKeys(key)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
}

// sshRun is `ssh host ARGS…` as user.
func sshRun(addr, user string, key ssh.Signer, args ...string) (string, error) {
	c, err := dial(addr, user, key)
	if err != nil {
		return "", err
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		return "", err
	}
	defer sess.Close()
	out, err := sess.CombinedOutput(strings.Join(args, " "))
	return string(out), err
}

// screen is one caseworker's interactive session, drawn by a terminal
// emulator that also answers the program's terminal queries.
type screen struct {
	*proctest.Terminal
	name string
}

func openScreen(t *testing.T, addr, user string, key ssh.Signer) *screen {
	t.Helper()
	c, err := dial(addr, user, key)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close(); c.Close() })
	term, err := proctest.StartTerminal(sess, 80, 24)
	if err != nil {
		t.Fatal(err)
	}
	sc := &screen{Terminal: term, name: user}
	return sc
}

func (sc *screen) text() string { return sc.Text() }

func (sc *screen) keys(t *testing.T, s string) {
	if _, err := io.WriteString(sc.Stdin, s); err != nil {
		t.Fatalf("%s: keys: %v", sc.name, err)
	}
}

func (sc *screen) waitFor(t *testing.T, want string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !strings.Contains(sc.text(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("%s's screen never showed %q within %s; it shows:\n%s", sc.name, want, d, sc.text())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var refOnCard = regexp.MustCompile(`(?m)^(TC/\d{4}/\d+)  \S`)

// card is the reference on the queue card, "" if none.
func (sc *screen) card() string {
	m := refOnCard.FindStringSubmatch(sc.text())
	if m == nil {
		return ""
	}
	return m[1]
}

func (sc *screen) waitCard(t *testing.T, d time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		if ref := sc.card(); ref != "" {
			return ref
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s's card never showed an appeal:\n%s", sc.name, sc.text())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// work accepts the suggested track of each appeal on the card until the
// queue is empty, and returns what was decided, in order.
func (sc *screen) work(deadline time.Time) ([]string, error) {
	var decided []string
	for time.Now().Before(deadline) {
		s := sc.text()
		ref := sc.card()
		if ref == "" {
			if strings.Contains(s, "queue 0 ") {
				return decided, nil
			}
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if _, err := io.WriteString(sc.Stdin, "a"); err != nil {
			return decided, err
		}
		decided = append(decided, ref)
		// The card moves on (the next appeal, or none) before the next key.
		for sc.card() == ref {
			if time.Now().After(deadline) {
				return decided, errors.New(ref + " stayed on the card after it was accepted")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return decided, errors.New("the queue was not empty in time")
}
