package tui

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/synthetic"
)

// benchStore is CASELOAD_BENCH_DB (the 1,000,000-case file bench/run.sh
// makes, or a postgres:// URL: the same cases copied into PostgreSQL, as
// bench/run.sh does when BENCH_POSTGRES is set) or else 5,000 synthetic
// cases in a temporary file.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	path := os.Getenv("CASELOAD_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
		s, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := synthetic.Generate(context.Background(), s, synthetic.Options{Cases: 5000, Seed: 1, Today: today}); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	s, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkKeypress is the time from a key press to a new frame (Update
// then View) on each screen, with the screen's data loaded. The database is
// never touched in Update or View, so this is the UI's own cost.
func BenchmarkKeypress(b *testing.B) {
	st := benchStore(b)
	for _, tc := range []struct {
		name  string
		setup []string
		keys  []string
	}{
		{"inbox", nil, []string{"j", "k"}},
		{"queue", []string{"2"}, []string{"space"}},
		{"due", []string{"3"}, []string{"j", "k"}},
		{"cases", []string{"4"}, []string{"j", "j", "k"}},
		{"search-results", []string{"/", "s", "m", "i"}, []string{"down", "down"}},
		{"search-typing", []string{"/"}, []string{"a", "backspace"}},
		{"detail", []string{"4", "enter"}, []string{"j", "k"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			h := &harness{st: st}
			m, err := New(Config{Store: st, Packs: st.Packs(), Today: today, User: "bench", NoColor: true})
			if err != nil {
				b.Fatal(err)
			}
			h.m = m
			h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
			h.run(m.Init())
			for _, k := range tc.setup {
				h.press(k)
			}
			msgs := make([]tea.KeyPressMsg, len(tc.keys))
			for i, k := range tc.keys {
				msgs[i] = keyMsg(k)
				if k == "backspace" {
					msgs[i] = tea.KeyPressMsg{Code: tea.KeyBackspace}
				}
			}
			times := make([]time.Duration, 0, b.N)
			// CPU time of this thread too: on a shared machine the wall
			// p99 is mostly the time other processes held the core.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0, c0 := time.Now(), threadCPU()
				h.m, _ = h.m.Update(msgs[i%len(msgs)])
				_ = h.m.View()
				times = append(times, time.Since(t0))
				cpu = append(cpu, threadCPU()-c0)
			}
			b.StopTimer()
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
			if cpu[len(cpu)-1] > 0 {
				b.ReportMetric(float64(cpu[len(cpu)*99/100].Microseconds())/1000, "cpu-p99-ms")
			}
		})
	}
}

// BenchmarkStartup is start-up to the first complete frame: the model,
// its first queries (counts, inbox, queue), and the first View; for every
// jurisdiction, and limited to one that holds few of the cases.
func BenchmarkStartup(b *testing.B) {
	st := benchStore(b)
	for _, jur := range []string{"", "admin-court-jr"} {
		name := "all"
		if jur != "" {
			name = jur
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m, err := New(Config{Store: st, Packs: st.Packs(), Today: today, User: "bench", Jurisdiction: jur, NoColor: true})
				if err != nil {
					b.Fatal(err)
				}
				h := &harness{m: m, st: st}
				h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
				h.run(m.Init())
				_ = h.m.View()
			}
		})
	}
}
