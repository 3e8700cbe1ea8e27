// Package proctest runs the caseload binary as several processes, for the
// tests of cmd/caseload (on SQLite) and of cmd/caseload/pgprocess (on
// PostgreSQL): one build, one notice file, one contention run, whichever
// database the processes share.
package proctest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Binary builds caseload once for the test binary that asks, into a
// temporary folder.
func Binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "caseload-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "caseload")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/caseload/caseload/cmd/caseload").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// WriteNotices writes n tax appeals numbered from, received in year, as CSV.
func WriteNotices(t testing.TB, path string, year, from, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("reference,received,decision_date,appellant,representative,subject,amount,grounds\n")
	subjects := []string{"vat", "income-tax", "late-filing-penalty", "surcharge", "corporation-tax", "inaccuracy-penalty"}
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "TC/%d/%06d,%d-06-%02d,%d-05-%02d,Appellant %d Smith%d,Rep %d LLP,%s,%d.00,Grounds number %d\n",
			year, i, year, i%28+1, year, i%28+1, i, i%500, i%300, subjects[i%len(subjects)], (i*37)%100000, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// EnvInt is the positive integer in the environment variable name, else def.
func EnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// FourWorkersOneQueue runs four caseworkers (processes) on the queue of
// the database db at once, each going for its head until it is empty, and
// fails t unless every one of the appeals was allocated exactly once, each
// loser was told it was already allocated, and no output held any of
// never (the database's own words for contention: "locked", "SQLSTATE", a
// stack trace). It returns who allocated each appeal.
func FourWorkersOneQueue(t testing.TB, bin, db string, appeals int, never ...string) map[string]string {
	t.Helper()
	never = append(never, "goroutine")
	const workers = 4
	var mu sync.Mutex
	won := map[string]string{}
	var problems []string
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			user := fmt.Sprintf("worker%d", w)
			tracks := []string{"paper", "basic", "standard", "complex"}
			for {
				out, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "--user", user, "queue", "--json", "--limit", "3").Output()
				if err != nil {
					mu.Lock()
					problems = append(problems, "queue: "+err.Error())
					mu.Unlock()
					return
				}
				var q []struct{ Reference string }
				json.Unmarshal(out, &q)
				if len(q) == 0 {
					return
				}
				// Everyone goes for the head of the queue: the most contention.
				ref := q[0].Reference
				combined, err := exec.Command(bin, "--db", db, "--today", "2026-11-16", "--user", user, "categorise", ref, tracks[w]).CombinedOutput()
				msg := string(combined)
				mu.Lock()
				for _, bad := range never {
					if strings.Contains(msg, bad) {
						problems = append(problems, msg)
						break
					}
				}
				if err == nil {
					if prev, ok := won[ref]; ok {
						problems = append(problems, ref+" allocated by "+prev+" and "+user)
					}
					won[ref] = user
				} else if !strings.Contains(msg, "already allocated") && !strings.Contains(msg, "already on the") {
					problems = append(problems, "unexpected: "+msg)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(problems) > 0 {
		t.Fatalf("%d problems, first: %s", len(problems), problems[0])
	}
	if len(won) != appeals {
		t.Errorf("%d appeals allocated, want %d", len(won), appeals)
	}
	return won
}

// PerWorker counts the allocations of each worker, for the log.
func PerWorker(won map[string]string) map[string]int {
	per := map[string]int{}
	for _, u := range won {
		per[u]++
	}
	return per
}
