// Package synthetic writes a deterministic, realistic First-tier Tribunal
// (Tax) caseload through the store's normal loading path: for the demo, for
// trials, and for the benchmarks at a million cases.
package synthetic

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// Options shape a generated caseload.
type Options struct {
	Cases int
	Seed  int64
	Today domain.Date
	User  string
	Years int // received dates spread over this many years back from Today (default 10)
	Batch int // cases per transaction (default DefaultBatch; 20,000 on the row path)
	// RowPath writes through Load, a statement per row (the path the bulk
	// load is compared with in the tests).
	RowPath  bool
	Progress func(done int)
}

// Summary says what was written.
type Summary struct {
	Cases, Events, Queued int
}

var (
	forenames = []string{"Amelia", "Oliver", "Priya", "Mohammed", "Olivia", "George", "Isla", "Harry", "Ava", "Jack",
		"Sophie", "Arjun", "Grace", "Thomas", "Fatima", "James", "Chloe", "William", "Emily", "Daniel", "Aisha",
		"Samuel", "Zoë", "Ioan", "Siobhán", "Kwame", "Mei", "Tomasz", "Eilidh", "Rhys", "Niamh", "Hamza", "Ewa"}
	surnames = []string{"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Roberts",
		"Johnson", "Lewis", "Walker", "Robinson", "Wood", "Thompson", "White", "Watson", "Jackson", "Wright",
		"Green", "Harris", "Cooper", "King", "Lee", "Martin", "Clarke", "James", "Morgan", "Hughes", "Edwards",
		"Hill", "Moore", "Clark", "Harrison", "Scott", "Young", "Morris", "Hall", "Ward", "Turner", "Carter",
		"Patel", "Khan", "Singh", "Ahmed", "Okafor", "Nowak", "Kowalski", "O'Brien", "MacDonald", "Llewellyn"}
	businessWords = []string{"Northgate", "Harbour", "Kestrel", "Meridian", "Oakfield", "Riverside", "Ashford", "Beacon",
		"Summit", "Castle", "Brightwater", "Fenwick", "Granite", "Highland", "Pennine", "Severn", "Thames", "Westbury"}
	businessKinds = []string{"Trading Ltd", "Holdings plc", "Property Ltd", "Haulage Ltd", "Builders Ltd", "Cafe Ltd",
		"Consulting LLP", "Motors Ltd", "Developments Ltd", "Logistics Ltd", "Foods Ltd", "Care Homes Ltd"}
	repFirms   = []string{"LLP", "& Co", "Tax Advisers", "Chartered Accountants", "Solicitors", "Tax Consultants"}
	users      = []string{"a.okafor", "b.hughes", "c.nowak", "d.patel", "e.morgan", "f.clarke"}
	schemes    = []string{"Alpha Film Partnership", "Beacon Loan Scheme", "Castle Employee Benefit Trust", "Delta Remuneration Trust", "Eagle Gilt Strip"}
	lateReason = []string{"I was in hospital when the decision arrived.", "The letter went to my old address.",
		"My agent failed to appeal in time.", "I was caring for a relative.", "I did not understand I had to appeal to the Tribunal."}
)

type subjectMix struct {
	s        domain.Subject
	weight   int
	min, max float64 // pounds; a penalty's range, or where a long tail starts and is cut off
	tail     bool
	common   []float64 // pounds: the usual fixed penalties, chosen half the time
}

var mix = []subjectMix{
	{"late-filing-penalty", 22, 100, 1600, false, []float64{100, 100, 100, 200, 300, 400}},
	{"late-payment-penalty", 8, 50, 3000, false, []float64{100, 150, 250, 300}},
	{"late-notification-penalty", 4, 100, 2500, false, nil},
	{"daily-penalty", 4, 300, 900, false, []float64{900}},
	{"surcharge", 3, 50, 2000, false, []float64{100, 200, 500}},
	{"inaccuracy-penalty", 8, 500, 80000, true, nil},
	{"deliberate-inaccuracy-penalty", 2, 2000, 500000, true, nil},
	{"information-notice", 3, 0, 0, false, nil},
	{"cis-gross-payment-status", 2, 0, 0, false, nil},
	{"income-tax", 12, 1000, 3000000, true, nil},
	{"corporation-tax", 6, 5000, 20000000, true, nil},
	{"vat", 14, 1000, 10000000, true, nil},
	{"customs-duty", 2, 2000, 2000000, true, nil},
	{"excise-duty", 2, 2000, 2000000, true, nil},
	{"capital-gains-tax", 3, 2000, 3000000, true, nil},
	{"inheritance-tax", 1, 10000, 5000000, true, nil},
	{"stamp-duty-land-tax", 2, 5000, 2000000, true, nil},
	{"national-insurance", 2, 500, 200000, true, nil},
	{"paye-coding-notice", 1, 0, 0, false, nil},
	{"restoration", 1, 1000, 50000, true, nil},
	{"other", 1, 0, 0, false, nil},
}

type gen struct {
	r       *rand.Rand
	pack    *domain.RulePack
	cal     *domain.Calendar
	today   domain.Date
	refs    map[int]int // next reference number per year
	reps    []string
	hmrcSeq int
}

func newGen(s *store.Store, seed int64, today domain.Date) *gen {
	g := &gen{r: rand.New(rand.NewPCG(uint64(seed), 0x5eed)), pack: s.Pack(), cal: s.Calendar(), today: today, refs: map[int]int{}}
	for i := 0; i < 300; i++ {
		g.reps = append(g.reps, fmt.Sprintf("%s %s %s", pick(g.r, surnames), pick(g.r, surnames), pick(g.r, repFirms)))
	}
	return g
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (g *gen) subject() subjectMix {
	total := 0
	for _, m := range mix {
		total += m.weight
	}
	n := g.r.IntN(total)
	for _, m := range mix {
		if n < m.weight {
			return m
		}
		n -= m.weight
	}
	return mix[0]
}

func (g *gen) amount(m subjectMix) *int64 {
	if m.max == 0 || g.r.IntN(20) == 0 {
		return nil
	}
	var pounds float64
	switch {
	case len(m.common) > 0 && g.r.IntN(2) == 0:
		pounds = pick(g.r, m.common)
	case m.tail:
		// Pareto (alpha 0.6) from min, cut off at max: most disputes are a
		// few thousand pounds, about one in fifty is over a million.
		pounds = math.Round(min(m.max, m.min/math.Pow(1-g.r.Float64(), 1/0.6)))
	default:
		pounds = m.min + g.r.Float64()*(m.max-m.min)
		pounds = math.Round(pounds/10) * 10
	}
	p := int64(pounds * 100)
	return &p
}

func (g *gen) appellant() string {
	if g.r.IntN(3) == 0 {
		return pick(g.r, businessWords) + " " + pick(g.r, businessKinds)
	}
	return pick(g.r, forenames) + " " + pick(g.r, surnames)
}

func (g *gen) reference(year int) string {
	g.refs[year]++
	return fmt.Sprintf("%s/%04d/%05d", g.pack.ReferencePrefix, year, g.refs[year])
}

// notice makes one notice received on a date; late makes it out of time.
func (g *gen) notice(received domain.Date, late bool) domain.Notice {
	m := g.subject()
	n := domain.Notice{Reference: g.reference(received.Year()), Received: received, Appellant: g.appellant(),
		Subject: m.s, AmountPence: g.amount(m)}
	if g.r.IntN(3) > 0 {
		n.Representative = g.reps[int(math.Pow(g.r.Float64(), 2)*float64(len(g.reps)))] // a few firms act for many
	}
	days := 3 + g.r.IntN(26)
	if late {
		days = 31 + g.r.IntN(90)
		n.LateReason = pick(g.r, lateReason)
	}
	n.DecisionDate = received.AddDays(-days)
	g.hmrcSeq++
	n.HMRCReference = fmt.Sprintf("%s-%06d", map[bool]string{true: "VAT", false: "SA"}[m.s == "vat"], 100000+g.hmrcSeq%900000)
	n.Grounds = g.grounds(m.s)
	if g.r.IntN(25) == 0 {
		scheme := pick(g.r, schemes)
		n.Grounds = "Relief claimed through the " + scheme + " was wrongly denied; the arrangements had a commercial purpose."
		n.HMRCReference = "SCHEME-" + scheme[:4]
	}
	return n
}

func (g *gen) grounds(s domain.Subject) string {
	switch s {
	case "late-filing-penalty", "late-payment-penalty", "late-notification-penalty", "daily-penalty", "surcharge":
		return pick(g.r, []string{"I have a reasonable excuse: I was seriously ill at the time.",
			"The return was filed on time online; HMRC's records are wrong.", "I posted the return before the deadline and have proof of postage.",
			"My agent was responsible and I relied on them.", "Special circumstances: a bereavement in the family."})
	case "inaccuracy-penalty", "deliberate-inaccuracy-penalty":
		return pick(g.r, []string{"The inaccuracy was not careless; I took reasonable care and relied on my accountant.",
			"The behaviour was not deliberate; the figures came from third-party statements.", "HMRC should have suspended the penalty."})
	}
	return pick(g.r, []string{"HMRC's assessment is wrong in law and in amount.", "The discovery assessment is out of time.",
		"The closure notice misapplies the legislation to the facts.", "Input tax was properly recoverable on taxable supplies.",
		"The transaction qualified for the relief claimed.", "The decision failed to take account of evidence supplied at review."})
}

// history makes the events after receipt for a case whose notice arrived
// age days ago: allocation, the statement of case, disposal, and now and
// then casework, all dated on or before today.
func (g *gen) history(n domain.Notice, age int, users []string) []domain.Event {
	var ev []domain.Event
	user := pick(g.r, users)
	on := func(d domain.Date, kind string, data domain.EventData, detail string) bool {
		if d.After(g.today) {
			return false
		}
		ev = append(ev, domain.Event{On: d, Kind: kind, User: user, Data: data, Detail: detail})
		return true
	}
	late := g.pack.Lateness(n.DecisionDate, n.Received).Late
	if g.r.IntN(33) == 0 && age > 5 { // about 3% returned incomplete
		reason := pick(g.r, []string{"grounds", "decision-copy", "address-for-documents", "result-sought"})
		on(n.Received.AddDays(2+g.r.IntN(5)), domain.EventReturned, domain.EventData{Reasons: []string{reason}}, "notice returned to the appellant: "+reason)
		return ev
	}
	alloc := n.Received.AddDays(1 + g.r.IntN(8))
	if age < 4 || alloc.After(g.today) {
		return ev // still in the queue
	}
	if late {
		on(n.Received.AddDays(1), domain.EventPermissionRequested, domain.EventData{Text: n.LateReason}, "permission to appeal late requested ("+g.pack.AppealLimit.PermissionRule+")")
		if g.r.IntN(5) == 0 {
			on(alloc, domain.EventPermissionRefused, domain.EventData{}, "permission to appeal late refused: not admitted, case closed")
			return ev
		}
		on(alloc, domain.EventPermissionGranted, domain.EventData{}, "permission to appeal late granted: the case proceeds")
	}
	sug := g.pack.Suggest(n).Track
	track := sug
	if g.r.IntN(8) == 0 {
		track = pick(g.r, domain.Tracks)
	}
	data := domain.EventData{Track: track, Suggested: sug, Override: track != sug}
	on(alloc, domain.EventAllocated, data, domain.DescribeAllocation(data))
	if track == domain.Paper || track == domain.Standard || track == domain.Complex {
		days := 42
		if track != domain.Paper {
			days = 60
		}
		// Statements mostly arrive in time; one in thirty is late (chased,
		// then sent), so only recent ones are still overdue.
		soc := alloc.AddDays(days - 10 + g.r.IntN(14))
		if g.r.IntN(30) == 0 {
			soc = alloc.AddDays(days + 3 + g.r.IntN(90))
		}
		if on(soc, domain.EventStatementOfCase, domain.EventData{}, "statement of case on "+soc.Long()) && track != domain.Paper {
			lists := soc.AddDays(30 + g.r.IntN(16))
			if g.r.IntN(20) == 0 {
				lists = soc.AddDays(45 + g.r.IntN(60))
			}
			on(lists, domain.EventListsOfDocuments, domain.EventData{}, "lists of documents on "+lists.Long())
		}
	}
	if g.r.IntN(20) == 0 {
		on(alloc.AddDays(g.r.IntN(30)), domain.EventNote, domain.EventData{Text: "Spoke to the appellant about the bundle."}, "Spoke to the appellant about the bundle.")
	}
	// Older cases are mostly decided, withdrawn or settled.
	if age > 120 && g.r.Float64() < math.Min(0.995, float64(age)/300) {
		end := alloc.AddDays(90 + g.r.IntN(min(age, 700)))
		how := pick(g.r, []string{"decided: appeal allowed", "decided: appeal dismissed", "withdrawn", "settled by agreement", "struck out"})
		on(end, domain.EventDisposed, domain.EventData{Text: how}, "case closed: "+how)
	}
	return ev
}

// Generate writes opt.Cases cases in batches, each batch one transaction.
// The seeds are made on one goroutine while the store writes the ones
// before on another (the two halves cost about the same), a few thousand
// held between them, never the whole caseload.
func Generate(ctx context.Context, s *store.Store, opt Options) (Summary, error) {
	if opt.Years <= 0 {
		opt.Years = 10
	}
	if opt.Batch <= 0 {
		opt.Batch = DefaultBatch
		if opt.RowPath {
			opt.Batch = 20000
		}
	}
	if opt.User == "" {
		opt.User = "generator"
	}
	g := newGen(s, opt.Seed, opt.Today)
	var sum Summary
	span := opt.Years * 365
	// Cases are written in the order they were received, as a real
	// caseload grows: references run in receipt order within each year, and
	// every index (received date, lookup key, case id) grows at its end.
	// More recent years hold more cases: the power skews towards today.
	ages := make([]int32, opt.Cases)
	for i := range ages {
		ages[i] = int32(math.Pow(g.r.Float64(), 1.5) * float64(span))
	}
	slices.SortFunc(ages, func(a, b int32) int { return cmp.Compare(b, a) })
	seed := func(i int) store.Seed {
		age := int(ages[i])
		received := opt.Today.AddDays(-age)
		late := g.r.IntN(67) == 0 // about 1.5%
		notice := g.notice(received, late)
		events := g.history(notice, age, users)
		return store.Seed{Notice: notice, Events: events, Source: "synthetic"}
	}
	count := func(sd store.Seed) {
		sum.Events += len(sd.Events) + 1
		if len(sd.Events) == 0 {
			sum.Queued++
		}
	}
	if opt.RowPath {
		for done := 0; done < opt.Cases; {
			n := min(opt.Batch, opt.Cases-done)
			seeds := make([]store.Seed, 0, n)
			for i := 0; i < n; i++ {
				seeds = append(seeds, seed(done+i))
				count(seeds[i])
			}
			if err := s.Load(ctx, seeds, store.ActOptions{User: opt.User, On: opt.Today}); err != nil {
				return sum, err
			}
			done += n
			sum.Cases = done
			if opt.Progress != nil {
				opt.Progress(done)
			}
		}
		return sum, s.Analyze(ctx)
	}

	chunks := make(chan []store.Seed, 4)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(chunks)
		for done := 0; done < opt.Cases; {
			n := min(seedChunk, opt.Cases-done)
			c := make([]store.Seed, n)
			for i := range c {
				c[i] = seed(done + i)
			}
			done += n
			select {
			case chunks <- c:
			case <-stop:
				return
			}
		}
	}()
	var pending []store.Seed
	for done := 0; done < opt.Cases; {
		n := min(opt.Batch, opt.Cases-done)
		seeds := func(yield func(store.Seed) bool) {
			for i := 0; i < n; i++ {
				if len(pending) == 0 {
					pending = <-chunks
				}
				sd := pending[0]
				pending = pending[1:]
				count(sd)
				if !yield(sd) {
					return
				}
				if k := done + i + 1; opt.Progress != nil && k%progressEvery == 0 && i+1 < n {
					opt.Progress(k)
				}
			}
		}
		if err := s.LoadStream(ctx, n, seeds, store.ActOptions{User: opt.User, On: opt.Today}); err != nil {
			return sum, err
		}
		done += n
		sum.Cases = done
		if opt.Progress != nil {
			opt.Progress(done)
		}
	}
	return sum, s.Analyze(ctx)
}

// DefaultBatch is how many generated cases go in one transaction: the
// whole caseload up to a million (the indexes dropped and built once, when
// the file starts empty), so that a larger one's write-ahead log stays at
// a few gigabytes between checkpoints.
const DefaultBatch = 1_000_000

const (
	seedChunk     = 1024  // seeds handed from the generating goroutine at a time
	progressEvery = 20000 // cases between progress reports within a batch
)
