package synthetic_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/synthetic"
)

var today = domain.MustDate("2026-11-23")

// fixedClock makes the time of day recorded on events the same in every run.
func fixedClock() time.Time { return time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC) }

func open(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// exported is the database content as the export and every case's
// timeline and deadlines show it.
func exported(t *testing.T, s *store.Store) []byte {
	t.Helper()
	ctx := context.Background()
	var buf bytes.Buffer
	if err := s.Export(ctx, &buf, "json"); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Cases(ctx, store.CaseFilter{Sort: "reference"}, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, r := range rows {
		c, err := s.Case(ctx, r.Reference)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range c.Events {
			e.ID = 0 // ids follow insertion order, which is the same anyway
			h.Write([]byte(e.On.String() + e.Kind + e.User + e.Detail + e.At.String() + "\n"))
		}
		for _, d := range c.Deadlines {
			h.Write([]byte(d.Kind + d.Due.String() + d.Rule + "\n"))
		}
	}
	buf.Write(h.Sum(nil))
	return buf.Bytes()
}

func TestGenerateDeterministic(t *testing.T) {
	ctx := context.Background()
	opt := synthetic.Options{Cases: 1500, Seed: 42, Today: today, User: "gen", Batch: 400}
	a, b := open(t), open(t)
	var progress []int
	opt.Progress = func(done int) { progress = append(progress, done) }
	sa, err := synthetic.Generate(ctx, a, opt)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{400, 800, 1200, 1500}; len(progress) != len(want) || progress[3] != 1500 {
		t.Errorf("progress %v, want %v", progress, want)
	}
	opt.Progress = nil
	sb, err := synthetic.Generate(ctx, b, opt)
	if err != nil {
		t.Fatal(err)
	}
	if sa != sb || sa.Cases != 1500 {
		t.Errorf("summaries differ or wrong size: %+v %+v", sa, sb)
	}
	if !bytes.Equal(exported(t, a), exported(t, b)) {
		t.Fatal("two runs with the same seed wrote different caseloads")
	}
	c := open(t)
	opt.Seed = 43
	if _, err := synthetic.Generate(ctx, c, opt); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(exported(t, a), exported(t, c)) {
		t.Error("a different seed wrote the same caseload")
	}
}

func TestGenerateRealistic(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	const n = 3000
	if _, err := synthetic.Generate(ctx, s, synthetic.Options{Cases: n, Seed: 1, Today: today}); err != nil {
		t.Fatal(err)
	}
	probs, checked, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) > 0 || checked != n {
		t.Fatalf("check: %d cases checked, problems %v", checked, probs[:min(len(probs), 5)])
	}
	rows, err := s.Cases(ctx, store.CaseFilter{}, 0, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n {
		t.Fatalf("%d cases, want %d", len(rows), n)
	}
	status := map[domain.Status]int{}
	tracks := map[domain.Track]int{}
	subjects := map[domain.Subject]bool{}
	surnames, reps, refs := map[string]int{}, map[string]int{}, map[string]bool{}
	late, small, big := 0, 0, 0
	oldest := today
	for _, c := range rows {
		status[c.Status]++
		tracks[c.TrackOrNone()]++
		subjects[c.Subject] = true
		if f := strings.Fields(c.Appellant); len(f) == 2 {
			surnames[f[1]]++
		}
		if c.Representative != "" {
			reps[c.Representative]++
		}
		if refs[c.Reference] {
			t.Errorf("reference %s twice", c.Reference)
		}
		refs[c.Reference] = true
		if !strings.HasPrefix(c.Reference, "TC/"+c.Received.String()[:4]+"/") {
			t.Errorf("reference %s not of its received year %s", c.Reference, c.Received)
		}
		if c.Late {
			late++
			if c.LateReason == "" {
				t.Errorf("%s late without a reason", c.Reference)
			}
		}
		if c.AmountPence != nil && *c.AmountPence <= 50000 {
			small++
		}
		if c.AmountPence != nil && *c.AmountPence >= 100000000 {
			big++
		}
		if c.Received.Before(oldest) {
			oldest = c.Received
		}
		if c.Received.After(today) {
			t.Errorf("%s received after today", c.Reference)
		}
	}
	for _, tr := range domain.Tracks {
		if tracks[tr] == 0 {
			t.Errorf("no case on the %s track", tr)
		}
	}
	for _, st := range []domain.Status{domain.StatusNew, domain.StatusAllocated, domain.StatusClosed, domain.StatusReturned} {
		if status[st] == 0 {
			t.Errorf("no case with status %s (%v)", st, status)
		}
	}
	if len(subjects) < 15 {
		t.Errorf("only %d subjects", len(subjects))
	}
	if pct := float64(late) / n * 100; pct < 0.8 || pct > 3 {
		t.Errorf("%.1f%% late, want 1–2%%", pct)
	}
	if small < n/10 || big == 0 {
		t.Errorf("amounts: %d small penalties, %d over £1m", small, big)
	}
	if oldest.DaysUntil(today) < 9*365 {
		t.Errorf("oldest received %s: not spread over ten years", oldest)
	}
	if surnames["Smith"] < 10 {
		t.Errorf("surnames not shared: %d Smiths", surnames["Smith"])
	}
	shared := 0
	for _, k := range reps {
		if k >= 10 {
			shared++
		}
	}
	if shared < 20 || len(reps) > 300 {
		t.Errorf("%d representatives, %d acting in 10+ cases", len(reps), shared)
	}
	if status[domain.StatusClosed] < n/3 {
		t.Errorf("only %d closed of %d", status[domain.StatusClosed], n)
	}
	// Lookup finds shared surnames.
	q, _ := store.ParseSearch("smi")
	found, err := s.Find(ctx, q, 50)
	if err != nil || len(found) == 0 {
		t.Errorf("lookup smi: %d found, %v", len(found), err)
	}
}

func TestDemo(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	start := time.Now()
	sum, err := synthetic.Demo(ctx, s, today, "demo")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo: %+v in %s", sum, time.Since(start))
	if sum.Cases < 1800 || sum.Cases > 2500 {
		t.Errorf("demo has %d cases, want about 2,000", sum.Cases)
	}
	probs, _, err := s.Check(ctx)
	if err != nil || len(probs) > 0 {
		t.Fatalf("check: %v %v", err, probs[:min(len(probs), 5)])
	}
	queue, err := s.Queue(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	recent, lateQ, million := 0, 0, 0
	for _, c := range queue {
		if c.Received.DaysUntil(today) <= 3 {
			recent++
		}
		if c.Late {
			lateQ++
		}
		if c.AmountPence != nil && *c.AmountPence > 100000000 {
			million++
		}
	}
	if recent < 20 || recent > 40 || lateQ < 2 || million < 2 {
		t.Errorf("queue: %d received in the last three days, %d late, %d over £1m", recent, lateQ, million)
	}
	due, err := s.Due(ctx, today, 7, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	overdue, thisWeek := 0, 0
	for _, d := range due {
		if d.DaysLeft < 0 {
			overdue++
		} else {
			thisWeek++
		}
	}
	if overdue == 0 || thisWeek < 3 {
		t.Errorf("due: %d overdue, %d this week", overdue, thisWeek)
	}
	old, err := s.OldCases(ctx, today, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	stale := 0
	for _, c := range old {
		if c.LastEvent.DaysUntil(today) > 90 {
			stale++
		}
	}
	if stale == 0 {
		t.Error("no stale cases")
	}
	// Every track and the main statuses.
	for _, tr := range domain.Tracks {
		rows, err := s.Cases(ctx, store.CaseFilter{Track: tr}, 0, 1)
		if err != nil || len(rows) == 0 {
			t.Errorf("no demo case on the %s track", tr)
		}
	}
	for _, st := range []domain.Status{domain.StatusNew, domain.StatusAllocated, domain.StatusClosed, domain.StatusReturned, domain.StatusStayed} {
		rows, err := s.Cases(ctx, store.CaseFilter{Status: st}, 0, 1)
		if err != nil || len(rows) == 0 {
			t.Errorf("no demo case with status %s", st)
		}
	}
	// A judicial review caseload in both packs: claims and letters to triage,
	// and deadlines around today.
	for _, j := range []string{"admin-court-jr", "ut-iac-jr"} {
		jctx := store.InJurisdiction(ctx, j)
		q, _ := s.Queue(jctx, 100)
		d, _ := s.Due(jctx, today, 14, 0, 100)
		if len(q) == 0 || len(d) == 0 {
			t.Errorf("%s: %d to triage, %d due within 14 days", j, len(q), len(d))
		}
	}
	// The morning's mail: linked to the cases it names, one unlinked.
	mail, _ := s.MailList(ctx, store.MailFilter{Status: store.MailOpen}, 0, 100)
	linked := 0
	for _, m := range mail {
		if m.Reference != "" {
			linked++
		}
	}
	if len(mail) != 7 || linked != 6 {
		t.Errorf("demo mail: %d messages, %d linked; want 7 and 6", len(mail), linked)
	}
	// The same day gives the same demo.
	s2 := open(t)
	if _, err := synthetic.Demo(ctx, s2, today, "demo"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(exported(t, s), exported(t, s2)) {
		t.Error("two demos for the same day differ")
	}
}

// BenchmarkGenerate: cases per second through store.Load into an empty
// database (20,000 cases a run).
func BenchmarkGenerate(b *testing.B) {
	const n = 20000
	var took time.Duration
	for i := 0; i < b.N; i++ {
		s, err := store.Open(filepath.Join(b.TempDir(), "g.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := synthetic.Generate(context.Background(), s, synthetic.Options{Cases: n, Seed: int64(i), Today: today}); err != nil {
			b.Fatal(err)
		}
		took += time.Since(t0)
		s.Close()
	}
	b.ReportMetric(float64(n*b.N)/took.Seconds(), "cases/s")
}

// tables is every row the generator writes, keyed by what does not depend
// on insertion order, with the lookup index read back through queries.
func tables(t *testing.T, s *store.Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range map[string]string{
		"cases":     `SELECT * FROM cases ORDER BY id`,
		"events":    `SELECT * FROM events ORDER BY id`,
		"deadlines": `SELECT * FROM deadlines ORDER BY id`,
		"contacts":  `SELECT * FROM case_contacts ORDER BY case_id`,
		"counters":  `SELECT * FROM counters ORDER BY name`,
		"lookup":    `SELECT rowid FROM case_fts WHERE case_fts MATCH 'smith OR northgate OR "spoke" OR llp OR vat*' ORDER BY rowid`,
		"lookup2":   `SELECT rowid FROM case_fts WHERE case_fts MATCH 'bun* AND appellant' ORDER BY rowid`,
		"lookup3":   `SELECT rowid FROM case_fts WHERE case_fts MATCH 'reference:tc AND "2026"'  ORDER BY rowid`,
		"schema":    `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name`,
	} {
		rows, err := s.DB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], fmt.Sprint(vals...))
		}
		rows.Close()
	}
	return out
}

// The bulk load writes exactly what the row path writes for the same seed:
// every column of cases, events, deadlines and contacts (ids too), the
// counters, the lookup index's answers and the schema (indexes and
// triggers dropped during the load are back), in several transactions (the
// first into an empty file drops the indexes, the later ones keep them),
// and check finds nothing.
func TestGenerateBulkWritesWhatTheRowPathWrites(t *testing.T) {
	ctx := context.Background()
	var dumps []map[string][]string
	for _, rowPath := range []bool{true, false} {
		s := open(t)
		opt := synthetic.Options{Cases: 2500, Seed: 7, Today: today, User: "gen", Batch: 1000, RowPath: rowPath}
		if _, err := synthetic.Generate(ctx, s, opt); err != nil {
			t.Fatal(err)
		}
		if probs, checked, err := s.Check(ctx); err != nil || len(probs) > 0 || checked != opt.Cases {
			t.Fatalf("row path %v: check %d cases: %v %v", rowPath, checked, err, probs[:min(len(probs), 5)])
		}
		dumps = append(dumps, tables(t, s))
	}
	for name, rows := range dumps[0] {
		bulk := dumps[1][name]
		if len(rows) != len(bulk) {
			t.Errorf("%s: %d rows by the row path, %d by the bulk path", name, len(rows), len(bulk))
		}
		for i := range min(len(rows), len(bulk)) {
			if rows[i] != bulk[i] {
				t.Errorf("%s: first difference:\nrow  %s\nbulk %s", name, rows[i], bulk[i])
				break
			}
		}
	}
	for _, name := range []string{"deadlines", "lookup", "lookup2", "lookup3"} {
		if len(dumps[1][name]) < 10 {
			t.Errorf("the comparison compares too little: %d %s rows", len(dumps[1][name]), name)
		}
	}
}
