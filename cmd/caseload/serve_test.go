package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caseload/caseload/cmd/caseload/proctest"
	"golang.org/x/crypto/ssh"
)

// A team server on 127.0.0.1:0 with real SSH clients (x/crypto/ssh, with a
// pty, read through a terminal emulator): what each caseworker's screen
// shows, as they would see it.

type teamServer struct {
	t     *testing.T
	cli   *cli
	addr  string
	keys  map[string]ssh.Signer
	store *session
}

func signer(t testing.TB) (ssh.Signer, string) {
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

// startTeam imports the contract's three sample appeals, adds a team
// leader (lead), two caseworkers (alice, bob) and a read-only user (ro),
// and serves the file.
func startTeam(t *testing.T) *teamServer {
	t.Helper()
	c := newCLI(t)
	notices := filepath.Join(t.TempDir(), "sample.csv")
	if err := os.WriteFile(notices, []byte(sampleCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := c.run("import", notices); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	ts := &teamServer{t: t, cli: c, keys: map[string]ssh.Signer{}}
	for _, u := range []struct{ name, role string }{{"lead", "team-leader"}, {"alice", "caseworker"}, {"bob", "caseworker"}, {"ro", "read-only"}} {
		s, line := signer(t)
		ts.keys[u.name] = s
		if _, errOut, code := c.run("--user", "lead", "user", "add", u.name, "--role", u.role, "--key", line); code != 0 {
			t.Fatalf("user add %s: %s", u.name, errOut)
		}
	}
	ts.keys["stranger"], _ = signer(t)
	g := &globals{db: c.db, today: "2026-11-16"}
	s, err := g.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ts.store = s
	hostKey := filepath.Join(t.TempDir(), "keys", "host_ed25519")
	srv, err := newServer(g, s, "127.0.0.1:0", hostKey, log.New(testLog{t}, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("the server did not stop")
		}
		s.store.Close()
	})
	if fi, err := os.Stat(hostKey); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("host key %v: mode %v, want 0600", err, fi)
	}
	return ts
}

func (ts *teamServer) dial(user string) (*ssh.Client, error) {
	return ssh.Dial("tcp", ts.addr, &ssh.ClientConfig{
		User:            user,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(ts.keys[user])},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

// run is `ssh host ARGS…` as user.
func (ts *teamServer) run(user string, args ...string) (string, string, int) {
	ts.t.Helper()
	c, err := ts.dial(user)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		ts.t.Fatal(err)
	}
	defer sess.Close()
	var out, errOut strings.Builder
	sess.Stdout, sess.Stderr = &out, &errOut
	err = sess.Run(strings.Join(args, " "))
	var exit *ssh.ExitError
	switch {
	case err == nil:
		return out.String(), errOut.String(), 0
	case errors.As(err, &exit):
		return out.String(), errOut.String(), exit.ExitStatus()
	}
	ts.t.Fatalf("%v: %v", args, err)
	return "", "", -1
}

// screen is one interactive session: its output drawn by a terminal
// emulator, which also answers the program's terminal queries.
type screen struct {
	*proctest.Terminal
	t     testing.TB
	sess  *ssh.Session
	conn  *ssh.Client
	ended chan error
}

func (ts *teamServer) open(user string, w, h int) *screen {
	ts.t.Helper()
	sc, err := openScreen(ts.t, ts, user, w, h)
	if err != nil {
		ts.t.Fatal(err)
	}
	return sc
}

func openScreen(t testing.TB, ts *teamServer, user string, w, h int) (*screen, error) {
	c, err := ts.dial(user)
	if err != nil {
		return nil, err
	}
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	term, err := proctest.StartTerminal(sess, w, h)
	if err != nil {
		return nil, err
	}
	sc := &screen{Terminal: term, t: t, sess: sess, conn: c, ended: make(chan error, 1)}
	go func() { sc.ended <- sess.Wait() }()
	if tt, ok := t.(*testing.T); ok {
		tt.Cleanup(func() { sess.Close(); c.Close() })
	}
	return sc, nil
}

func (sc *screen) text() string { return sc.Text() }

func (sc *screen) keys(s string) {
	if _, err := io.WriteString(sc.Stdin, s); err != nil {
		sc.t.Fatalf("keys: %v", err)
	}
}

// waitFor waits up to d for the screen to show want; it fails the test
// with the screen otherwise.
func (sc *screen) waitFor(want string, d time.Duration) string {
	sc.t.Helper()
	deadline := time.Now().Add(d)
	for {
		s := sc.text()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			sc.t.Fatalf("the screen never showed %q within %s; it shows:\n%s", want, d, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var refOnCard = regexp.MustCompile(`(?m)^(TC/\d{4}/\d{5})  `)

// card is the reference on the queue card, "" if none.
func (sc *screen) card() string {
	m := refOnCard.FindStringSubmatch(sc.text())
	if m == nil {
		return ""
	}
	return m[1]
}

// The three appeals of the command-line contract's sample.
const sampleCSV = "reference,received,decision_date,appellant,representative,respondent,subject,amount,grounds,hmrc_reference,late_reason\n" +
	"TC/2026/05001,2026-11-09,2026-10-30,Example Person,,HMRC,late-filing-penalty,100.00,Return was filed on time.,SA-9,\n" +
	"TC/2026/05002,2026-11-10,2026-09-15,Sample Trading Ltd,Sample & Co,HMRC,vat,25000,Input tax disallowed.,VAT-9,Illness.\n" +
	"TC/2026/05003,2026-11-11,2026-10-20,Test Holdings plc,,HMRC,corporation-tax,3000000,Important principle.,CT-9,\n"

func TestServeLoginByKeyAndUnknownKeyRefused(t *testing.T) {
	ts := startTeam(t)
	alice := ts.open("alice", 80, 24)
	s := alice.waitFor("queue 3", 10*time.Second)
	if !strings.Contains(s, "alice") {
		t.Errorf("the header does not name the user logged in by key:\n%s", s)
	}
	if _, err := ts.dial("stranger"); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("an unknown key got in: %v", err)
	}
	// ctrl+c ends only that session: another one carries on.
	bob := ts.open("bob", 60, 20)
	bob.waitFor("queue 3", 10*time.Second)
	alice.keys("\x03")
	select {
	case <-alice.ended:
	case <-time.After(5 * time.Second):
		t.Fatal("ctrl+c did not end the session")
	}
	bob.keys("2")
	bob.waitFor("TC/2026/", 5*time.Second)
	rs, err := ts.store.store.Sessions(context.Background(), 10)
	if err != nil || len(rs) < 3 || rs[0].User != "alice" || rs[0].Kind != "end" || rs[0].Remote == "" {
		t.Errorf("session log %+v %v: want alice's end first", rs, err)
	}
}

// TestServeTwoSessionsNeverShownTheSameAppeal: alice and bob work one queue;
// at no moment do their cards show the same appeal, and each decision is
// recorded as the one who made it.
func TestServeTwoSessionsNeverShownTheSameAppeal(t *testing.T) {
	ts := startTeam(t)
	// A session holds its card and the next one ready (queue reservations,
	// store/reservations.go): alice's card is drawn before bob connects, so
	// of the three appeals she holds two and bob the third, whatever order
	// a loaded machine runs the two sessions in.
	alice := ts.open("alice", 80, 24)
	alice.waitFor("queue 3", 10*time.Second)
	alice.keys("2")
	alice.waitFor("Suggested", 5*time.Second)
	bob := ts.open("bob", 80, 24)
	bob.waitFor("queue 3", 10*time.Second)
	bob.keys("2")
	bob.waitFor("Suggested", 5*time.Second)
	a, b := alice.card(), bob.card()
	if a == "" || b == "" || a == b {
		t.Fatalf("cards: alice %q, bob %q", a, b)
	}
	decided := map[string]string{a: "alice"}
	alice.keys("a")
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if x, y := alice.card(), bob.card(); x != "" && x == y {
			t.Fatalf("both cards show %s", x)
		}
		time.Sleep(10 * time.Millisecond)
	}
	a2 := alice.card()
	if a2 == a || a2 == b || a2 == "" {
		t.Fatalf("alice's next card %q (had %s, bob has %s)", a2, a, b)
	}
	bob.keys("a")
	decided[b] = "bob"
	bob.waitFor(b+": ", 5*time.Second)
	if c := bob.card(); c == a2 {
		t.Errorf("bob was shown alice's card %s", c)
	}
	// The last appeal is on alice's card: bob is told, not that the queue is done.
	bob.waitFor("on other caseworkers' cards", 5*time.Second)
	for ref, who := range decided {
		var c struct {
			Events []struct{ Kind, User string }
		}
		out, errOut, code := ts.run("lead", "show", ref, "--json")
		if code != 0 {
			t.Fatalf("show: %s", errOut)
		}
		json.Unmarshal([]byte(out), &c)
		last := c.Events[len(c.Events)-1]
		if last.Kind != "allocated" || last.User != who {
			t.Errorf("%s: last event %+v, want allocated by %s", ref, last, who)
		}
	}
}

// TestServeClaimRace: two sessions take one case at once; exactly one wins.
func TestServeClaimRace(t *testing.T) {
	ts := startTeam(t)
	winners := map[string]string{}
	for round, ref := range []string{"TC/2026/05001", "TC/2026/05002", "TC/2026/05003"} {
		var wg sync.WaitGroup
		type result struct {
			user, errOut string
			code         int
		}
		results := make([]result, 2)
		for i, user := range []string{"alice", "bob"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errOut, code := ts.run(user, "take", ref)
				results[i] = result{user, errOut, code}
			}()
		}
		wg.Wait()
		won := 0
		for _, r := range results {
			if r.code == 0 {
				won++
				winners[ref] = r.user
			} else if !strings.Contains(r.errOut, "already taken by") {
				t.Errorf("round %d: %s was told %q", round, r.user, r.errOut)
			}
		}
		if won != 1 {
			t.Errorf("round %d: %d claims won: %+v", round, won, results)
		}
	}
	out, _, _ := ts.run("lead", "work", "--all", "--json")
	var items []struct{ Reference, Owner string }
	json.Unmarshal([]byte(out), &items)
	if len(items) != 3 {
		t.Errorf("owned after the races: %s", out)
	}
	// show names the owner (--json as "owner"), and nobody once released.
	for ref, who := range winners {
		var c struct{ Owner *string }
		out, errOut, _ := ts.run("lead", "show", ref, "--json")
		if err := json.Unmarshal([]byte(out), &c); err != nil || c.Owner == nil || *c.Owner != who {
			t.Errorf("show %s --json: owner %v (%v), want %s: %s", ref, c.Owner, err, who, errOut)
		}
		if out, _, _ := ts.run("lead", "show", ref); !regexp.MustCompile(`(?m)^Owner +` + who + `$`).MatchString(out) {
			t.Errorf("show %s does not name %s as the owner:\n%s", ref, who, out)
		}
	}
	if _, errOut, code := ts.run(winners["TC/2026/05001"], "release", "TC/2026/05001"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ = ts.run("lead", "show", "TC/2026/05001", "--json")
	if !strings.Contains(out, `"owner": ""`) {
		t.Errorf("a released case's owner is not empty in show --json: %s", out)
	}
}

func TestServeReadOnlyRefusedAWrite(t *testing.T) {
	ts := startTeam(t)
	_, errOut, code := ts.run("ro", "categorise", "TC/2026/05001", "paper")
	if code != 1 || !strings.Contains(errOut, "ro is read-only") {
		t.Errorf("read-only categorised over ssh: %d %q", code, errOut)
	}
	if _, errOut, code := ts.run("ro", "import", "x.csv"); code != 2 || !strings.Contains(errOut, "cannot be run over SSH") {
		t.Errorf("import over ssh: %d %q", code, errOut)
	}
	// Through the UI: the accept key on the queue card is refused, the
	// refusal stays on the status line (the optimistic "accepted" line
	// once raced it and hid it) and the appeal stays on the card.
	ro := ts.open("ro", 100, 30)
	ro.waitFor("queue 3", 10*time.Second)
	ro.keys("2")
	ro.waitFor("Suggested", 5*time.Second)
	ro.keys("a")
	ro.waitFor("TC/2026/05001: not saved: ro is read-only", 5*time.Second)
	time.Sleep(300 * time.Millisecond)
	if s := ro.text(); !strings.Contains(s, "not saved: ro is read-only") || ro.card() != "TC/2026/05001" {
		t.Errorf("the refusal did not stay, or the appeal left the card:\n%s", s)
	}
	out, _, _ := ts.run("lead", "queue", "--json")
	var q []struct{ Reference string }
	json.Unmarshal([]byte(out), &q)
	if len(q) != 3 {
		t.Errorf("a read-only user's key press changed the queue: %s", out)
	}
}

// TestServeLiveCounts: the leader watches the inbox; a caseworker's
// decision reaches the leader's header without a key press, within a second.
func TestServeLiveCounts(t *testing.T) {
	ts := startTeam(t)
	lead, alice := ts.open("lead", 80, 24), ts.open("alice", 80, 24)
	lead.waitFor("queue 3", 10*time.Second)
	alice.waitFor("queue 3", 10*time.Second)
	alice.keys("2")
	alice.waitFor("Suggested", 5*time.Second)
	decided := alice.card()
	alice.keys("a")
	alice.waitFor("queue 2", 5*time.Second)
	start := time.Now()
	lead.waitFor("queue 2", time.Second)
	t.Logf("the leader's header changed %s after alice's did", time.Since(start).Round(time.Millisecond))
	// A change by another process (the CLI on the same file) is noticed
	// too: an appeal still waiting (the leader's session holds two, the
	// card's and the next, so alice's may have been any of the three).
	other := "TC/2026/05003"
	if decided == other {
		other = "TC/2026/05002"
	}
	if _, errOut, code := ts.cli.run("--user", "lead", "categorise", other, "complex"); code != 0 {
		t.Fatal(errOut)
	}
	lead.waitFor("queue 1", time.Second+300*time.Millisecond)
	alice.waitFor("queue 1", time.Second+300*time.Millisecond)
}

type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
