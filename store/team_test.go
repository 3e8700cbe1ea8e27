package store

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/mailfile"
)

func newKey(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " test@host"
}

func as(user string) ActOptions { return ActOptions{User: user, On: today} }

// team: the three sample appeals, a team leader (lead), two caseworkers,
// a judge and a read-only user.
func team(t *testing.T) *Store {
	t.Helper()
	s := imported(t)
	if err := s.AddUser(ctx, "bob", domain.Caseworker, "", as("tester")); err == nil ||
		!strings.Contains(err.Error(), "first user must be a team leader") {
		t.Fatalf("first user a caseworker: %v", err)
	}
	if err := s.AddUser(ctx, "lead", domain.TeamLeader, newKey(t), as("tester")); err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]domain.Role{"alice": domain.Caseworker, "bob": domain.Caseworker,
		"jj": domain.Judge, "ro": domain.ReadOnly} {
		if err := s.AddUser(ctx, name, role, newKey(t), as("lead")); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestNoUsersKeepsOnePersonMode(t *testing.T) {
	s := imported(t)
	if team, _ := s.Team(ctx); team {
		t.Fatal("a new caseload is a team")
	}
	// Anyone may do anything, as before teams existed.
	if _, err := s.Categorise(ctx, "TC/2026/05001", domain.Paper, CategoriseOptions{ActOptions: as("whoever")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Take(ctx, Item{Reference: "TC/2026/05001"}, as("whoever")); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
}

func TestUsersAndKeys(t *testing.T) {
	s := team(t)
	if err := s.AddUser(ctx, "mallory", domain.Caseworker, "", as("alice")); err == nil || !errors.Is(err, ErrNotPermitted) {
		t.Errorf("a caseworker added a user: %v", err)
	}
	if err := s.AddUser(ctx, "someone", domain.Caseworker, "", as("stranger")); err == nil || !strings.Contains(err.Error(), "only a team leader") {
		t.Errorf("a stranger added a user: %v", err)
	}
	if err := s.AddUser(ctx, "bad name", domain.Caseworker, "", as("lead")); err == nil {
		t.Error("a name with a space was accepted")
	}
	if err := s.AddUser(ctx, "carol", domain.Caseworker, "ssh-ed25519 nonsense", as("lead")); err == nil || !strings.Contains(err.Error(), "not an SSH public key") {
		t.Errorf("a bad key: %v", err)
	}
	if us, _ := s.Users(ctx); len(us) != 5 {
		t.Errorf("the failed add left a user behind: %d users", len(us))
	}
	key := newKey(t)
	if err := s.AddKey(ctx, "alice", key, as("lead")); err != nil {
		t.Fatal(err)
	}
	if err := s.AddKey(ctx, "bob", key, as("lead")); err == nil || !strings.Contains(err.Error(), "already alice's") {
		t.Errorf("one key for two users: %v", err)
	}
	pk, _, _ := ParseKey(key)
	u, err := s.UserByKey(ctx, pk)
	if err != nil || u.Name != "alice" || u.Role != domain.Caseworker {
		t.Errorf("by key: %+v %v", u, err)
	}
	if err := s.RemoveKey(ctx, "alice", ssh.FingerprintSHA256(pk), as("lead")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByKey(ctx, pk); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("a removed key still logs in: %v", err)
	}
	if err := s.Take(ctx, Item{Reference: "TC/2026/05001"}, as("bob")); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveUser(ctx, "bob", as("lead")); err == nil || !strings.Contains(err.Error(), "still owns 1") {
		t.Errorf("removed a user who owns work: %v", err)
	}
	if err := s.RemoveUser(ctx, "alice", as("lead")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Paper, CategoriseOptions{ActOptions: as("alice")}); err == nil ||
		!strings.Contains(err.Error(), "not a user") {
		t.Errorf("a removed user still writes: %v", err)
	}
	if err := s.RemoveUser(ctx, "lead", as("lead")); err == nil || !strings.Contains(err.Error(), "last team leader") {
		t.Errorf("removed the last team leader: %v", err)
	}
}

func TestRolesEnforcedOnWrites(t *testing.T) {
	s := team(t)
	ref := "TC/2026/05001"
	_, err := s.Categorise(ctx, ref, domain.Paper, CategoriseOptions{ActOptions: as("ro")})
	if !errors.Is(err, ErrNotPermitted) || !strings.Contains(err.Error(), "TC/2026/05001: ro is read-only") {
		t.Errorf("read-only categorised: %v", err)
	}
	if _, err := s.AddNote(ctx, ref, "hello", as("ro")); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("read-only added a note: %v", err)
	}
	if err := s.Dismiss(ctx, "queue", as("ro")); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("read-only dismissed: %v", err)
	}
	if _, err := s.Categorise(ctx, ref, domain.Paper, CategoriseOptions{ActOptions: as("jj")}); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("a judge categorised: %v", err)
	}
	if _, err := s.AddNote(ctx, ref, "seen", as("jj")); err != nil {
		t.Errorf("a judge may add a note: %v", err)
	}
	if err := s.Take(ctx, Item{Reference: ref}, as("alice")); err != nil {
		t.Fatal(err)
	}
	_, err = s.Categorise(ctx, ref, domain.Paper, CategoriseOptions{ActOptions: as("bob")})
	if !errors.Is(err, ErrNotPermitted) || !strings.Contains(err.Error(), "owned by alice") {
		t.Errorf("bob worked alice's case: %v", err)
	}
	if _, err := s.Categorise(ctx, ref, domain.Paper, CategoriseOptions{ActOptions: as("alice")}); err != nil {
		t.Errorf("alice works her own case: %v", err)
	}
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Paper, CategoriseOptions{ActOptions: as("bob")}); err != nil {
		t.Errorf("bob works an available case: %v", err)
	}
	// Nothing refused was written.
	c, _ := s.Case(ctx, ref)
	for _, e := range c.Events {
		if e.User == "ro" || (e.User == "jj" && e.Kind != domain.EventNote) || (e.User == "bob") {
			t.Errorf("a refused change was recorded: %+v", e)
		}
	}
	mustCheck(t, s)
}

func TestTakeReleaseAssign(t *testing.T) {
	s := team(t)
	it := Item{Reference: "tc/2026/05002"}
	if err := s.Take(ctx, it, as("alice")); err != nil {
		t.Fatal(err)
	}
	if err := s.Take(ctx, it, as("bob")); err == nil || !strings.Contains(err.Error(), "already taken by alice") {
		t.Errorf("second take: %v", err)
	}
	if err := s.Release(ctx, it, as("bob")); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("bob released alice's case: %v", err)
	}
	if err := s.Assign(ctx, it, "bob", as("alice")); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("a caseworker assigned: %v", err)
	}
	if err := s.Assign(ctx, it, "nobody", as("lead")); err == nil || !strings.Contains(err.Error(), "not a user") {
		t.Errorf("assigned to a stranger: %v", err)
	}
	if err := s.Assign(ctx, it, "bob", as("lead")); err != nil {
		t.Fatal(err)
	}
	if o, _ := s.Owner(ctx, it); o != "bob" {
		t.Errorf("owner %q, want bob", o)
	}
	mine, err := s.Work(ctx, WorkFilter{Scope: WorkMine, User: "bob"}, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Reference != "TC/2026/05002" || mine[0].What != "to categorise" {
		t.Errorf("bob's work: %+v", mine)
	}
	if err := s.Release(ctx, it, as("bob")); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Case(ctx, it.Reference)
	var kinds []string
	for _, e := range c.Events {
		kinds = append(kinds, e.Kind+":"+e.User)
	}
	if got := strings.Join(kinds, " "); got != "received:tester taken:alice reassigned:lead released:bob" {
		t.Errorf("timeline %s", got)
	}
	wl, err := s.Workload(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range wl {
		if (l.Owner == "alice" || l.Owner == "bob") && l.Reassignments != 1 {
			t.Errorf("workload %+v: one reassignment expected", l)
		}
	}
	mustCheck(t, s)
}

// TestClaimRace: many caseworkers take one case at once; exactly one wins,
// the others are told who.
func TestClaimRace(t *testing.T) {
	s := team(t)
	for i := 0; i < 6; i++ {
		s.AddUser(ctx, "cw"+string(rune('a'+i)), domain.Caseworker, "", as("lead"))
	}
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = s.Take(ctx, Item{Reference: "TC/2026/05003"}, as("cw"+string(rune('a'+i))))
		}(i)
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if !strings.Contains(err.Error(), "already taken by cw") {
			t.Errorf("loser told: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d claims won, want exactly 1", won)
	}
}

func TestDistributionAndQueueFor(t *testing.T) {
	s := team(t)
	n, err := s.Distribute(ctx, DistributionRoundRobin, 100, today)
	if err != nil || n != 3 {
		t.Fatalf("distributed %d: %v", n, err)
	}
	a, _ := s.QueueFor(ctx, "alice", 10)
	b, _ := s.QueueFor(ctx, "bob", 10)
	if len(a) != 2 || len(b) != 1 {
		t.Errorf("round robin: alice %d, bob %d; want 2 and 1", len(a), len(b))
	}
	if lead, _ := s.QueueFor(ctx, "lead", 10); len(lead) != 0 {
		t.Errorf("the leader's queue holds others' appeals: %d", len(lead))
	}
	if _, err := ParseDistribution("sideways"); err == nil {
		t.Error("a bad distribution setting was accepted")
	}
	mustCheck(t, s)
}

func TestSessionsAppendOnly(t *testing.T) {
	s := team(t)
	if err := s.SessionStarted(ctx, "abc", "alice", "127.0.0.1:5000", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SessionEnded(ctx, "abc", "alice", "127.0.0.1:5000", "", 90e9); err != nil {
		t.Fatal(err)
	}
	rs, _ := s.Sessions(ctx, 10)
	if len(rs) != 2 || rs[0].Kind != "end" || rs[0].Seconds == nil || *rs[0].Seconds != 90 {
		t.Errorf("sessions %+v", rs)
	}
	if _, err := s.db.Exec("DELETE FROM sessions"); err == nil {
		t.Error("the session log was deleted")
	}
}

func TestMailOwnership(t *testing.T) {
	s := open(t)
	mon := ActOptions{User: "tester", On: domain.MustDate("2026-11-23")}
	if _, err := s.Import(ctx, []string{write(t, "cases.csv", mailCasesCSV)}, ImportOptions{ActOptions: mon}); err != nil {
		t.Fatal(err)
	}
	msgs, err := mailfile.Read(filepath.Join("mailfile", "testdata", "morning"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportMail(ctx, msgs, mon); err != nil {
		t.Fatal(err)
	}
	s.AddUser(ctx, "lead", domain.TeamLeader, "", as("lead"))
	s.AddUser(ctx, "alice", domain.Caseworker, "", as("lead"))
	s.AddUser(ctx, "bob", domain.Caseworker, "", as("lead"))
	ms, _ := s.MailList(ctx, MailFilter{Status: MailOpen}, 0, 50)
	id := ms[0].ID
	on := func(u string) ActOptions { return ActOptions{User: u, On: mon.On} }
	if err := s.Take(ctx, Item{MailID: id}, on("alice")); err != nil {
		t.Fatal(err)
	}
	if err := s.Take(ctx, Item{MailID: id}, on("bob")); err == nil || !strings.Contains(err.Error(), "already taken by alice") {
		t.Errorf("second take of a message: %v", err)
	}
	if err := s.MailDone(ctx, id, on("bob")); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("bob filed alice's message: %v", err)
	}
	if err := s.Assign(ctx, Item{MailID: id}, "bob", on("lead")); err != nil {
		t.Fatal(err)
	}
	mine, _ := s.Work(ctx, WorkFilter{Scope: WorkMine, User: "bob"}, 50)
	if len(mine) != 1 || mine[0].MailID != id || mine[0].What != "reply due" {
		t.Errorf("bob's work: %+v", mine)
	}
	if err := s.MailDone(ctx, id, on("bob")); err != nil {
		t.Errorf("bob files his message: %v", err)
	}
	var kinds []string
	rows, _ := s.db.Query("SELECT kind || ':' || user FROM mail_events WHERE mail_id = ? ORDER BY id", id)
	for rows.Next() {
		var k string
		rows.Scan(&k)
		kinds = append(kinds, k)
	}
	rows.Close()
	if got := strings.Join(kinds, " "); got != "taken:alice reassigned:lead" {
		t.Errorf("the message's history: %s", got)
	}
	if _, err := s.db.Exec("DELETE FROM mail_events"); err == nil {
		t.Error("a message's history was deleted")
	}
}

// TestTakeNext: claiming the next appeal takes the oldest waiting that no
// one owns, and says so when none is left; appeals already owned, or held
// on another caseworker's queue card, are passed over.
func TestTakeNext(t *testing.T) {
	s := team(t)
	if err := s.Take(ctx, Item{Reference: "TC/2026/05001"}, as("bob")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TakeNext(ctx, as("ro")); err == nil {
		t.Error("a read-only user took an appeal")
	}
	// 05002 is on another caseworker's queue card: passed over while held.
	card := Holder{Session: "s9", User: "jj", Server: "a"}
	if r, err := s.ReserveQueue(ctx, card, []string{"TC/2026/05002"}, 1, nil, time.Now(), time.Minute); err != nil || len(r.Held) != 1 {
		t.Fatalf("reserve: %+v %v", r, err)
	}
	if it, err := s.TakeNext(ctx, as("alice")); err != nil || it.Reference != "TC/2026/05003" {
		t.Fatalf("take next beside a held appeal = %v %v, want TC/2026/05003", it, err)
	}
	if err := s.ReleaseSession(ctx, card.Session); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"TC/2026/05002"} {
		it, err := s.TakeNext(ctx, as("alice"))
		if err != nil || it.Reference != want {
			t.Fatalf("take next = %v %v, want %s", it, err, want)
		}
		if owner, _ := s.Owner(ctx, it); owner != "alice" {
			t.Errorf("%s owned by %q after alice took it", want, owner)
		}
	}
	if _, err := s.TakeNext(ctx, as("alice")); !errors.Is(err, ErrNothingToTake) {
		t.Errorf("take next of an empty queue: %v", err)
	}
	mustCheck(t, s)
}
