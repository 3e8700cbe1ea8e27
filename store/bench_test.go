package store_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/report"
	"github.com/caseload/caseload/store/synthetic"
)

// The benchmarks run on CASELOAD_BENCH_DB when it is set (bench/run.sh
// generates a 1,000,000-case file), else on a 20,000-case database made
// once in a temporary directory, so `go test -bench . ./store` works
// anywhere.

var benchToday = domain.MustDate("2026-11-23")

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

func benchStore(b *testing.B) *store.Store {
	b.Helper()
	benchOnce.Do(func() {
		if p := os.Getenv("CASELOAD_BENCH_DB"); p != "" {
			benchPath = p
			return
		}
		dir, err := os.MkdirTemp("", "caseload-bench")
		if err != nil {
			benchErr = err
			return
		}
		benchPath = filepath.Join(dir, "bench.db")
		s, err := store.Open(benchPath, store.Options{})
		if err != nil {
			benchErr = err
			return
		}
		_, benchErr = synthetic.Generate(context.Background(), s, synthetic.Options{Cases: 20000, Seed: 1, Today: benchToday})
		s.Close()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	s, err := store.Open(benchPath, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// percentiles reports p50 and p99 of the timed calls.
func percentiles(b *testing.B, d []time.Duration) {
	percentilesAs(b, d, "")
}

func percentilesAs(b *testing.B, d []time.Duration, prefix string) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	if len(d) == 0 {
		return
	}
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, prefix+"p50-ms")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, prefix+"p99-ms")
}

// cpuTimer times calls in wall time and in the CPU time of the thread
// (cpu-p50-ms, cpu-p99-ms: on a loaded machine the wall-time tail is other
// processes' turn on the core; the CPU time is the query's own).
type cpuTimer struct {
	wall, cpu []time.Duration
	c0        time.Duration
	start     time.Time
}

func newCPUTimer(b *testing.B) *cpuTimer {
	runtime.LockOSThread()
	b.Cleanup(runtime.UnlockOSThread)
	return &cpuTimer{}
}

func (t *cpuTimer) begin() { t.start, t.c0 = time.Now(), threadCPU() }

func (t *cpuTimer) end() {
	t.wall = append(t.wall, time.Since(t.start))
	t.cpu = append(t.cpu, threadCPU()-t.c0)
}

func (t *cpuTimer) report(b *testing.B) {
	percentiles(b, t.wall)
	percentilesAs(b, t.cpu, "cpu-")
}

// Lookup as you type: each prefix of each query, as a caseworker types it.
func BenchmarkFind(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	var queries []string
	for _, q := range findQueries {
		for i := 2; i <= len(q); i++ {
			queries = append(queries, q[:i])
		}
	}
	tm := newCPUTimer(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q, _ := store.ParseSearch(queries[i%len(queries)])
		tm.begin()
		if _, err := s.Find(ctx, q, 50); err != nil {
			b.Fatal(err)
		}
		tm.end()
	}
	tm.report(b)
}

// findQueries are BenchmarkFind's queries, each typed a letter at a time
// (every prefix from two characters).
var findQueries = []string{"TC/2026/00042", "smith", "carter lowe", "okafor vat", "northgate", "track:basic jones", "loss relief film"}

// BenchmarkFindPrefixes times every prefix BenchmarkFind types, b.N times
// each, and logs the slowest by their worst CPU time, so a tail in
// BenchmarkFind's p99 can be traced to the prefix that causes it.
func BenchmarkFindPrefixes(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	var prefixes []string
	for _, q := range findQueries {
		for i := 2; i <= len(q); i++ {
			prefixes = append(prefixes, q[:i])
		}
	}
	type times struct {
		prefix    string
		wall, cpu []time.Duration
	}
	all := make([]times, len(prefixes))
	tm := newCPUTimer(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, p := range prefixes {
			q, _ := store.ParseSearch(p)
			tm.begin()
			if _, err := s.Find(ctx, q, 50); err != nil {
				b.Fatal(err)
			}
			tm.end()
			all[j].prefix = p
			all[j].wall = append(all[j].wall, tm.wall[len(tm.wall)-1])
			all[j].cpu = append(all[j].cpu, tm.cpu[len(tm.cpu)-1])
		}
	}
	b.StopTimer()
	tm.report(b)
	for i := range all {
		slices.Sort(all[i].wall)
		slices.Sort(all[i].cpu)
	}
	sort.Slice(all, func(i, j int) bool { return slices.Max(all[i].cpu) > slices.Max(all[j].cpu) })
	for _, t := range all[:min(15, len(all))] {
		b.Logf("%-20q wall p50 %6.3f max %6.3f ms, cpu p50 %6.3f max %6.3f ms", t.prefix,
			ms(t.wall[len(t.wall)/2]), ms(t.wall[len(t.wall)-1]), ms(t.cpu[len(t.cpu)/2]), ms(t.cpu[len(t.cpu)-1]))
	}
}

// BenchmarkFindLongWord: words longer than the longest prefix index,
// each of which starts a common name or word of the grounds.
func BenchmarkFindLongWord(b *testing.B) {
	s := benchStore(b)
	benchFindEach(b, s, "macdona", "advisers", "reasona", "consult", "northgat")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func BenchmarkDue7(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	var times []time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := s.Due(ctx, benchToday, 7, 0, 10000); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	percentiles(b, times)
}

func BenchmarkQueuePage(b *testing.B) {
	s := benchStore(b)
	for i := 0; i < b.N; i++ {
		if _, err := s.Queue(context.Background(), 60); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCounts(b *testing.B) {
	s := benchStore(b)
	for i := 0; i < b.N; i++ {
		if _, err := s.Counts(context.Background(), benchToday); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInbox(b *testing.B) {
	s := benchStore(b)
	for i := 0; i < b.N; i++ {
		if _, err := s.Inbox(context.Background(), benchToday, 200); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCasesPage(b *testing.B) {
	s := benchStore(b)
	for i := 0; i < b.N; i++ {
		if _, err := s.Cases(context.Background(), store.CaseFilter{Track: domain.Standard}, (i%50)*200, 200); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCaseDetail(b *testing.B) {
	s := benchStore(b)
	rows, err := s.Cases(context.Background(), store.CaseFilter{}, 0, 500)
	if err != nil || len(rows) == 0 {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Case(context.Background(), rows[i%len(rows)].Reference); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReportFlow(b *testing.B) {
	s := benchStore(b)
	for i := 0; i < b.N; i++ {
		if _, err := s.Report(context.Background(), "flow", benchToday.AddDays(-83), benchToday, "week"); err != nil {
			b.Fatal(err)
		}
	}
}

// writeNotices writes n notices for the import benchmarks, received in
// year (a past year: later dates are refused as implausible) with sequence
// numbers from 900001, which a generated caseload does not reach.
func writeNotices(b *testing.B, path string, year, n int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	io.WriteString(f, "reference,received,decision_date,appellant,representative,subject,amount,grounds\n")
	subjects := []string{"vat", "income-tax", "late-filing-penalty", "surcharge", "corporation-tax"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(f, "TC/%d/%06d,%d-06-%02d,%d-05-%02d,Appellant %d Smith%d,Rep %d LLP,%s,%d.00,Grounds for appeal number %d about scheme %d\n",
			year, 900001+i, year, i%28+1, year, i%28+1, i, i%500, i%300, subjects[i%5], (i*37)%100000, i, i%50)
	}
}

// BenchmarkImportEmpty: notices per second into an empty database, with
// the lookup index and everything else an import writes.
func BenchmarkImportEmpty(b *testing.B) {
	const n = 50000
	csv := filepath.Join(b.TempDir(), "in.csv")
	writeNotices(b, csv, 2019, n)
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		s, err := store.Open(filepath.Join(b.TempDir(), fmt.Sprintf("e%d.db", i)), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := s.Import(context.Background(), []string{csv}, store.ImportOptions{ActOptions: store.ActOptions{User: "bench", On: benchToday}}); err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
		s.Close()
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "notices/s")
}

// BenchmarkImportInto: notices per second into a copy of the benchmark
// database.
func BenchmarkImportInto(b *testing.B) {
	src := benchStore(b)
	const n = 20000
	csv := filepath.Join(b.TempDir(), "in.csv")
	writeNotices(b, csv, 2018, n)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		dest := filepath.Join(b.TempDir(), fmt.Sprintf("copy%d.db", i))
		if err := src.Backup(context.Background(), dest); err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(dest, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := s.Import(context.Background(), []string{csv}, store.ImportOptions{ActOptions: store.ActOptions{User: "bench", On: benchToday}}); err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
		s.Close()
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "notices/s")
}

// BenchmarkFindOne times single queries that bench/run.sh also runs in the
// sqlite3 shell, for the comparison.
func BenchmarkFindOne(b *testing.B) {
	s := benchStore(b)
	benchFindEach(b, s, "smi", "carter lowe")
}

// BenchmarkFindTyped: each query typed a letter at a time (every prefix
// from two characters), p50 and p99 per query, so a slow tail can be
// traced to the words that cause it.
func BenchmarkFindTyped(b *testing.B) {
	s := benchStore(b)
	for _, q := range []string{"TC/2026/00042", "smi", "smith", "carter lowe", "okafor vat", "northgate", "track:basic jones", "loss relief film"} {
		var prefixes []string
		for i := 2; i <= len(q); i++ {
			prefixes = append(prefixes, q[:i])
		}
		b.Run(q, func(b *testing.B) {
			tm := newCPUTimer(b)
			for i := 0; i < b.N; i++ {
				search, _ := store.ParseSearch(prefixes[i%len(prefixes)])
				tm.begin()
				if _, err := s.Find(context.Background(), search, 50); err != nil {
					b.Fatal(err)
				}
				tm.end()
			}
			tm.report(b)
		})
	}
}

// BenchmarkReports: every report over its default range (the last 12
// weeks, by week), and the workload report, one sub-benchmark each. At 10M
// cases each must stay within a second.
func BenchmarkReports(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for _, name := range append(report.AllNames(), "workload") {
		b.Run(name, func(b *testing.B) {
			var times []time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				var err error
				if name == "workload" {
					_, err = s.WorkloadReport(ctx, benchToday)
				} else {
					_, err = s.Report(ctx, name, benchToday.AddDays(-83), benchToday, "week")
				}
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
			percentiles(b, times)
		})
	}
}

// benchFindEach times Find, 50 rows, for each query as a sub-benchmark of
// its own, with the CPU timer's percentiles.
func benchFindEach(b *testing.B, s *store.Store, queries ...string) {
	for _, q := range queries {
		b.Run(q, func(b *testing.B) {
			search, _ := store.ParseSearch(q)
			tm := newCPUTimer(b)
			for i := 0; i < b.N; i++ {
				tm.begin()
				if _, err := s.Find(context.Background(), search, 50); err != nil {
					b.Fatal(err)
				}
				tm.end()
			}
			tm.report(b)
		})
	}
}
