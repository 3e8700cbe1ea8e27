package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2EServeTwoSSHClients: the real binary serves the file; two people
// connect with the system ssh client (openssh-client, which CI installs),
// each in their own tmux terminal, and work one queue.
func TestE2EServeTwoSSHClients(t *testing.T) {
	for _, tool := range []string{"ssh", "ssh-keygen", "tmux"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (CI installs it)", tool)
		}
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	env := append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "cfg"), "XDG_DATA_HOME="+filepath.Join(dir, "data"), "CASELOAD_TODAY=")
	db := filepath.Join(dir, "c.db")
	cl := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--db", db, "--today", "2026-11-16", "--user", "lead"}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("caseload %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	notices := filepath.Join(dir, "sample.csv")
	os.WriteFile(notices, []byte(sampleCSV), 0o600)
	cl("import", notices)
	for _, u := range []struct{ name, role string }{{"lead", "team-leader"}, {"alice", "caseworker"}} {
		key := filepath.Join(dir, u.name)
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v %s", err, out)
		}
		cl("user", "add", u.name, "--role", u.role, "--key", "@"+key+".pub")
	}
	// A free loopback port for the server.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := exec.Command(bin, "--db", db, "--today", "2026-11-16", "serve", "--listen", addr)
	srv.Env = env
	logFile, _ := os.Create(filepath.Join(dir, "serve.log"))
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			srv.Process.Kill()
		}
	})
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Since(start) > 10*time.Second {
			b, _ := os.ReadFile(filepath.Join(dir, "serve.log"))
			t.Fatalf("the server did not listen on %s:\n%s", addr, b)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "ssh_host_ed25519_key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("host key beside the database: %v %v", err, fi)
	}
	host, port, _ := net.SplitHostPort(addr)
	sshTo := func(user string) string {
		return strings.Join([]string{"ssh", "-F", "/dev/null", "-t", "-p", port, "-i", filepath.Join(dir, user),
			"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
			"-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", user + "@" + host}, " ")
	}
	alice := startTmux(t, 80, 24, nil, sshTo("alice"))
	lead := startTmux(t, 100, 30, nil, sshTo("lead"))
	alice.waitFor("queue 3")
	lead.waitFor("queue 3")
	alice.keys("2")
	lead.keys("2")
	a := refOnCard.FindStringSubmatch(alice.waitFor("Suggested"))
	b := refOnCard.FindStringSubmatch(lead.waitFor("Suggested"))
	if a == nil || b == nil || a[1] == b[1] {
		t.Fatalf("the two cards: %v and %v", a, b)
	}
	alice.keys("a")
	alice.waitFor(a[1] + ": ")
	lead.waitFor("queue 2") // without a key press
	lead.keys("C-c")
	alice.keys("1")
	alice.waitFor("Inbox")
	if out := cl("show", a[1], "--json"); !strings.Contains(out, `"user": "alice"`) {
		t.Errorf("alice's decision is not recorded as hers:\n%s", out)
	}
	if out := cl("user", "sessions"); !strings.Contains(out, "lead") || !strings.Contains(out, "end") {
		t.Errorf("the session log lacks the leader's session:\n%s", out)
	}
}
