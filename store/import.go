package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/noticefile"
)

// ImportOptions qualify an import.
type ImportOptions struct {
	ActOptions
	// SkipInvalid imports the good rows of a file that has bad ones (the bad
	// ones are still reported). Without it a file is all or nothing.
	SkipInvalid bool
	// BulkThreshold is the number of valid rows from which the import takes
	// the bulk path (0: BulkImportThreshold; below 0: never).
	BulkThreshold int
}

// ImportResult says what an import did.
type ImportResult struct {
	Imported   int                  `json:"imported"`
	Unchanged  int                  `json:"unchanged"`
	Rejected   int                  `json:"rejected"`
	Reopened   int                  `json:"reopened"`   // returned notices resubmitted corrected
	References []string             `json:"references"` // of the cases created, in file order
	Problems   []noticefile.Problem `json:"-"`
	// Ignored are the columns of an export read back that were not
	// imported: the case's state, derived from its events (noticefile.Derived).
	Ignored []string `json:"ignored_columns,omitempty"`
	at      []rowAt  // where each of References came from
}

// ErrInvalidImport means nothing was imported because of the reported
// problems.
var ErrInvalidImport = errors.New("nothing imported")

// Import reads notice-of-appeal files and adds them as new cases, in one
// transaction: if any row is bad (and SkipInvalid is off) nothing at all is
// imported. Re-importing a notice already held with the same content is a
// no-op; the same reference with different content is a problem for that
// row.
func (s *Store) Import(ctx context.Context, paths []string, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	var all []fileRows
	// A first pass finds every problem without keeping the rows; the
	// transaction then reads the files again, a row at a time, so memory
	// stays bounded however large the file.
	valid := 0
	for _, p := range paths {
		before := valid
		probs := noticefile.ScanFile(p, func(noticefile.Row) bool { valid++; return true })
		all = append(all, fileRows{p, func(yield func(noticefile.Row) bool) {
			noticefile.ScanFile(p, yield)
		}, valid - before})
		res.Problems = append(res.Problems, probs...)
		for _, col := range noticefile.Ignored(p) {
			if !slices.Contains(res.Ignored, col) {
				res.Ignored = append(res.Ignored, col)
			}
		}
	}
	res.Rejected = countLines(res.Problems)
	if len(res.Problems) > 0 && !opt.SkipInvalid {
		return res, fmt.Errorf("%w: %d problem(s) found", ErrInvalidImport, len(res.Problems))
	}
	var dbProblems []noticefile.Problem
	bulk := valid >= bulkThreshold(opt) && bulkThreshold(opt) > 0
	// One transaction however large the file (a file is all or nothing):
	// longTx makes other writers wait for it at the write gate rather than
	// time out, and memory stays bounded because nothing in it grows with
	// the file (the page cache is capped and spills to the WAL, FTS5 writes
	// its pending terms out at its hash size, and the loader's pending
	// lookup entries are written out every pendingLimit rows).
	err := s.longTx(ctx, func(tx *sql.Tx) error {
		s.sqlitePragma(ctx, tx, bulkCache)
		defer s.sqlitePragma(ctx, tx, normalCache)
		importRows := s.importRows
		if bulk {
			importRows = s.importBulk
		}
		r, probs, err := importRows(ctx, tx, all, opt)
		if err != nil {
			return err
		}
		dbProblems = probs
		if len(probs) > 0 && !opt.SkipInvalid {
			return ErrInvalidImport
		}
		res.Imported, res.Unchanged, res.Reopened, res.References = r.Imported, r.Unchanged, r.Reopened, r.References
		if bulk && r.Imported >= 1000 && !s.pg { // PostgreSQL's: movePostgres
			// Planner statistics in the same transaction: the file and the
			// statistics that suit it arrive together.
			_, err = tx.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE")
		}
		return err
	})
	if err != nil {
		// Nothing was kept: the counts the transaction gathered are not true.
		res.Imported, res.Unchanged, res.Reopened, res.References = 0, 0, 0, nil
	}
	res.Problems = append(res.Problems, dbProblems...)
	res.Rejected += countLines(dbProblems)
	if errors.Is(err, ErrInvalidImport) {
		return res, fmt.Errorf("%w: %d problem(s) found", ErrInvalidImport, len(res.Problems))
	}
	if err == nil && res.Imported >= 1000 && !bulk {
		err = s.Analyze(ctx)
	}
	return res, err
}

type fileRows struct {
	path  string
	rows  iter.Seq[noticefile.Row] // the valid rows, read from the file as they are wanted
	valid int                      // how many there are
}

func countLines(ps []noticefile.Problem) int {
	seen := map[string]bool{}
	for _, p := range ps {
		seen[fmt.Sprintf("%s:%d", p.File, p.Line)] = true
	}
	return len(seen)
}

// contentHash identifies a notice's content (everything but the
// reference), so an identical re-import is recognised.
func contentHash(n domain.Notice) string {
	amount := ""
	if n.AmountPence != nil {
		amount = strconv.FormatInt(*n.AmountPence, 10)
	}
	h := sha256.New()
	for _, f := range append([]string{n.Received.String(), n.DecisionDate.String(), n.Appellant, n.Representative,
		n.Respondent, string(n.Subject), amount, n.Grounds, n.HMRCReference, n.LateReason}, contactsHash(n)...) {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// loader inserts new cases with their received event and index entry
// through prepared statements: the one path by which cases enter the
// database, for imports and bulk loads alike.
//
// Index entries wait in pending until flush, which writes them in key
// order: FTS5 writes its pending terms out (a new segment, then merges)
// whenever a rowid is not above the last one written in the transaction,
// so entries in file order cost a flush each (27% of a bulk load's time
// before this), where in key order they cost one flush per few megabytes.
type loader struct {
	s                                    *Store
	tx                                   *sql.Tx
	nextID, nextEvent                    func() (int64, error)
	insCase, insEvent, insFTS, insEvent2 *sql.Stmt
	ftsValues, insDeadline               *sql.Stmt
	at                                   string
	pending                              []pendingFTS
}

// pendingFTS is a case's lookup entry waiting to be written. fromCase
// entries (cases with notes) are read back from the case row and its
// events, exactly as ftsDelete will read them.
type pendingFTS struct {
	key, id                                  int64
	fromCase                                 bool
	reference, appellant, rep, hmrc, grounds string
	tags                                     string // lookupTags
}

// newLoader writes cases; want is how many it will be given (0 when not
// known), each with a received event.
func (s *Store) newLoader(ctx context.Context, tx *sql.Tx, on domain.Date, want int) (*loader, error) {
	l := &loader{s: s, tx: tx, at: s.stamp(on).Format(time.RFC3339Nano)}
	var err error
	if l.nextID, err = s.dialect.nextIDs(ctx, tx, "cases", want); err != nil {
		return nil, err
	}
	if s.pg {
		// SQLite numbers a received event given no id (max + 1); a
		// PostgreSQL identity column does not number an explicit NULL.
		if l.nextEvent, err = s.dialect.nextIDs(ctx, tx, "events", want); err != nil {
			return nil, err
		}
	}
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	l.insCase = prep(`INSERT INTO cases(id, reference, jurisdiction, received, decision_date,
		appellant, representative, respondent, subject, amount_pence, grounds, hmrc_reference, late_reason,
		content_hash, suggested_track, suggestion_reason, late, days_late, search_key,
		track, status, allocated_on, last_event, flags, open_referrals, division)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(reference) DO NOTHING`)
	l.insEvent = prep(`INSERT INTO events(id, case_id, at, on_date, kind, user, detail, data) VALUES (?,?,?,?,'received',?,?,?)`)
	l.insEvent2 = prep(`INSERT INTO events(id, case_id, at, on_date, kind, user, detail, data) VALUES (?,?,?,?,?,?,?,?)`)
	if s.pg {
		// The key's low part is the case id (searchKey).
		l.insFTS = prep(`INSERT INTO case_lookup(case_id, k, doc) SELECT k % ` + strconv.Itoa(keySpan) + `, k, caseload_doc(?2, ?3, ?4, ?5, ?6, ?7) || caseload_tags(?8)
			FROM (SELECT CAST(?1 AS bigint) AS k) AS key
			ON CONFLICT (case_id) DO UPDATE SET k = excluded.k, doc = excluded.doc`)
	} else {
		l.insFTS = prep(`INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference, grounds, notes, tags)
			VALUES (?,?,?,?,?,?,?,?)`)
	}
	// Read, then inserted with insFTS: an INSERT ... SELECT into case_fts
	// opens a statement savepoint, at which FTS5 writes out its pending terms.
	l.ftsValues = prep(ftsSelect)
	l.insDeadline = prep(insertDeadlineSQL)
	if err != nil {
		l.close()
		return nil, err
	}
	return l, nil
}

func (l *loader) close() {
	for _, st := range []*sql.Stmt{l.insCase, l.insEvent, l.insEvent2, l.insFTS, l.ftsValues, l.insDeadline} {
		if st != nil {
			st.Close()
		}
	}
}

// add inserts a new case (status new) with its received event. A UNIQUE
// failure on the reference is returned as errDuplicate. The received
// event takes the next free id (nil: SQLite's max + 1).
func (l *loader) add(ctx context.Context, n domain.Notice, hash, user, source string) (int64, error) {
	st := domain.CaseState{Status: domain.StatusNew, LastEvent: n.Received}
	return l.insert(ctx, n, hash, user, source, nil, st, false)
}

// insert writes the case row with its derived state st, its received
// event (with id eventID if not nil) and queues its lookup entry (read
// back from the row and its notes at flush when fromCase).
func (l *loader) insert(ctx context.Context, n domain.Notice, hash, user, source string, eventID any, st domain.CaseState, fromCase bool) (int64, error) {
	id, err := l.nextID()
	if err != nil {
		return 0, err
	}
	args, detail, key := l.s.newCase(n, hash, id, st)
	// ON CONFLICT DO NOTHING rather than catching the failure: on
	// PostgreSQL a failed statement ends the whole transaction.
	res, err := l.insCase.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n == 0 {
		return 0, errDuplicate
	}
	if err := putContacts(ctx, l.tx, id, n, false); err != nil {
		return 0, err
	}
	data := `{"source":` + strconv.Quote(source) + `}`
	if eventID == nil && l.nextEvent != nil {
		if eventID, err = l.nextEvent(); err != nil {
			return 0, err
		}
	}
	if _, err := l.insEvent.ExecContext(ctx, eventID, id, l.at, n.Received.String(), user, detail, data); err != nil {
		return 0, err
	}
	l.pending = append(l.pending, pendingFTS{key: key, id: id, fromCase: fromCase, reference: n.Reference,
		appellant: n.Appellant, rep: n.Representative, hmrc: n.HMRCReference, grounds: n.Grounds,
		tags: lookupTags(string(st.Track), string(st.Status), string(n.Subject), l.s.PackOf(n.Jurisdiction).ID)})
	return id, nil
}

// newCase is what a new case's row holds, in insCase's column order, and
// its received event's detail: the row path and the bulk load (bulkload.go)
// both write it, so they cannot drift apart.
func (s *Store) newCase(n domain.Notice, hash string, id int64, st domain.CaseState) (args []any, detail string, key int64) {
	p := s.PackOf(n.Jurisdiction)
	sug := p.Suggest(n)
	division := s.divisionFor(p, n.Division)
	late := p.LatenessOf(n, s.calFor(p, division))
	key = searchKey(n.Received, id)
	var amount any
	if n.AmountPence != nil {
		amount = *n.AmountPence
	}
	args = append([]any{id, n.Reference, p.ID, n.Received.String(), nullDate(n.DecisionDate),
		n.Appellant, n.Representative, n.Respondent, string(n.Subject), amount, n.Grounds, n.HMRCReference,
		n.LateReason, hash, string(sug.Track), sug.Reason, late.Late, late.DaysLate, key}, append(stateArgs(st), division)...)
	detail = "notice of appeal received"
	if len(p.Intake) > 0 {
		detail = "received: " + strings.ToLower(sug.Track.Label())
		if sug.Track == domain.PreAction {
			detail = "letter before claim received"
		} else if sug.Track == domain.ClaimIssued {
			detail = "claim received"
		}
	}
	if late.Late {
		detail += fmt.Sprintf(" (%d days late: needs permission, %s)", late.DaysLate, p.AppealLimit.PermissionRule)
	}
	return args, detail, key
}

// flush writes the pending lookup entries in key order. Call it before
// the transaction commits and before anything reads the lookup index.
func (l *loader) flush(ctx context.Context) error {
	sort.Slice(l.pending, func(i, j int) bool { return l.pending[i].key < l.pending[j].key })
	for _, f := range l.pending {
		notes := ""
		if f.fromCase {
			if err := l.ftsValues.QueryRowContext(ctx, f.id).Scan(&f.key, &f.reference, &f.appellant, &f.rep,
				&f.hmrc, &f.grounds, &notes, &f.tags); err != nil {
				return err
			}
		}
		if _, err := l.insFTS.ExecContext(ctx, f.key, f.reference, f.appellant, f.rep, f.hmrc, f.grounds, notes, f.tags); err != nil {
			return err
		}
	}
	l.pending = l.pending[:0]
	return nil
}

// pendingLimit bounds the lookup entries a loader holds in memory: an
// import writes them out every so many rows (a few megabytes of text),
// which costs FTS5 one flush of its pending terms each time and keeps the
// import's memory the same for any size of file.
const pendingLimit = 8192

var errDuplicate = errors.New("duplicate reference")

// earliestDate: no notice in a caseload was received, or decided, before it.
var earliestDate = domain.NewDate(1970, time.January, 1)

// futureGrace is how far after the acting date a received date may fall: a
// notice date-stamped for the next working day, or a --today set a little
// back to replay a morning (the command-line contract's fixture does), is
// not a typing error; 2999 is.
const futureGrace = 7

// plausibleDates refuses dates that would go into the append-only history
// wrong for ever: received before 1970 or more than a week after today (the
// acting date), and a decision before 1970 or after that.
func plausibleDates(n domain.Notice, today domain.Date) *noticefile.Problem {
	latest := today.AddDays(futureGrace)
	switch {
	case n.Received.After(latest):
		return &noticefile.Problem{Field: "received", Msg: fmt.Sprintf("%s is after today (%s): not a plausible date", n.Received.UK(), today.UK())}
	case n.Received.Before(earliestDate):
		return &noticefile.Problem{Field: "received", Msg: fmt.Sprintf("%s is before 1970: not a plausible date", n.Received.UK())}
	case !n.DecisionDate.IsZero() && n.DecisionDate.Before(earliestDate):
		return &noticefile.Problem{Field: "decision_date", Msg: fmt.Sprintf("%s is before 1970: not a plausible date", n.DecisionDate.UK())}
	case n.DecisionDate.After(latest):
		return &noticefile.Problem{Field: "decision_date", Msg: fmt.Sprintf("%s is after today (%s)", n.DecisionDate.UK(), today.UK())}
	}
	return nil
}

func (s *Store) importRows(ctx context.Context, tx *sql.Tx, files []fileRows, opt ImportOptions) (ImportResult, []noticefile.Problem, error) {
	var res ImportResult
	var probs []noticefile.Problem
	want := 0
	for _, f := range files {
		want += f.valid
	}
	l, err := s.newLoader(ctx, tx, opt.On, want)
	if err != nil {
		return res, nil, err
	}
	defer l.close()
	byRef, err := tx.PrepareContext(ctx, "SELECT id, content_hash, received, status FROM cases WHERE reference = ?")
	if err != nil {
		return res, nil, err
	}
	defer byRef.Close()
	byHash, err := tx.PrepareContext(ctx, "SELECT reference FROM cases WHERE content_hash = ? LIMIT 1")
	if err != nil {
		return res, nil, err
	}
	defer byHash.Close()

	imported := map[string]int{} // by jurisdiction, for the kept counts
	for fi, f := range files {
		for r := range f.rows {
			n := r.Notice
			p, prob := s.packFor(&n)
			if prob != nil {
				prob.File, prob.Line = f.path, r.Line
				probs = append(probs, *prob)
				continue
			}
			if prob := plausibleDates(n, opt.On); prob != nil {
				prob.File, prob.Line = f.path, r.Line
				probs = append(probs, *prob)
				continue
			}
			if n.Respondent == "" {
				n.Respondent = p.DefaultRespondent
			}
			hash := contentHash(n)
			if n.Reference != "" {
				var oldHash, oldReceived, oldStatus string
				var oldID int64
				err := byRef.QueryRowContext(ctx, n.Reference).Scan(&oldID, &oldHash, &oldReceived, &oldStatus)
				if err == nil {
					if oldHash == hash {
						res.Unchanged++
					} else if oldStatus == string(domain.StatusReturned) {
						// A corrected notice under the same reference reopens the case.
						if err := s.reopen(ctx, tx, oldID, n, hash, opt, f.path); err != nil {
							return res, nil, err
						}
						res.Reopened++
						res.References = append(res.References, strings.Clone(n.Reference))
						res.at = append(res.at, rowAt{fi, r.Line, res.References[len(res.References)-1], 0})
					} else {
						probs = append(probs, noticefile.Problem{File: f.path, Line: r.Line, Field: "reference",
							Msg: fmt.Sprintf("%s already exists with different content (received %s); correct it in caseload instead of re-importing", n.Reference, mustDate(oldReceived).UK())})
					}
					continue
				} else if !errors.Is(err, sql.ErrNoRows) {
					return res, nil, err
				}
			} else {
				var ref string
				err := byHash.QueryRowContext(ctx, hash).Scan(&ref)
				if err == nil {
					res.Unchanged++
					continue
				} else if !errors.Is(err, sql.ErrNoRows) {
					return res, nil, err
				}
				if n.Reference, err = s.nextReference(ctx, tx, p, n.Received.Year()); err != nil {
					return res, nil, err
				}
			}
			id, err := l.add(ctx, n, hash, opt.User, f.path)
			if err != nil {
				if errors.Is(err, errDuplicate) {
					probs = append(probs, noticefile.Problem{File: f.path, Line: r.Line, Field: "reference",
						Msg: n.Reference + " appears twice"})
					continue
				}
				return res, nil, err
			}
			if len(p.Intake) > 0 {
				// Its stage comes from the intake events: its lookup entry
				// is read back from the row at flush.
				l.pending[len(l.pending)-1].fromCase = true
			}
			if err := s.intake(ctx, tx, p, id, n, opt); err != nil {
				return res, nil, err
			}
			imported[p.ID]++
			res.Imported++
			// A clone: n.Reference may be a slice of the CSV reader's whole
			// line, grounds and all, which References would keep for every row.
			res.References = append(res.References, strings.Clone(n.Reference))
			res.at = append(res.at, rowAt{fi, r.Line, res.References[len(res.References)-1], 0})
			if len(l.pending) >= pendingLimit {
				if err := l.flush(ctx); err != nil {
					return res, nil, err
				}
			}
		}
	}
	if err := l.flush(ctx); err != nil {
		return res, nil, err
	}
	for jur, n := range imported {
		for _, name := range []string{"queue", "open", "cases"} {
			if err := addCounter(ctx, tx, name, jur, n); err != nil {
				return res, nil, err
			}
		}
	}
	return res, probs, nil
}

// reopen replaces a returned notice with its corrected version and puts
// the case back in the queue; the reopened event keeps the history.
func (s *Store) reopen(ctx context.Context, tx *sql.Tx, id int64, n domain.Notice, hash string, opt ImportOptions, source string) error {
	p := s.PackOf(n.Jurisdiction)
	sug := p.Suggest(n)
	late := p.LatenessOf(n, s.calFor(p, caseDivision(ctx, tx, id)))
	var amount any
	if n.AmountPence != nil {
		amount = *n.AmountPence
	}
	if err := s.dialect.unindexCase(ctx, tx, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET decision_date = ?, appellant = ?, representative = ?, respondent = ?,
		subject = ?, amount_pence = ?, grounds = ?, hmrc_reference = ?, late_reason = ?, content_hash = ?,
		suggested_track = ?, suggestion_reason = ?, late = ?, days_late = ? WHERE id = ?`,
		nullDate(n.DecisionDate), n.Appellant, n.Representative, n.Respondent, string(n.Subject), amount, n.Grounds,
		n.HMRCReference, n.LateReason, hash, string(sug.Track), sug.Reason, late.Late, late.DaysLate, id); err != nil {
		return err
	}
	if err := putContacts(ctx, tx, id, n, true); err != nil {
		return err
	}
	e := domain.Event{Kind: domain.EventReopened, On: opt.On, User: opt.User,
		Detail: "corrected notice resubmitted (" + source + "): back in the queue", Data: domain.EventData{Source: source}}
	if err := s.insertEvent(ctx, tx, id, &e); err != nil {
		return err
	}
	if err := s.refresh(reindexing(ctx, id), tx, id); err != nil {
		return err
	}
	return s.dialect.indexCase(ctx, tx, id)
}

// nextReference assigns the pack's next reference for the received year:
// one more than the highest held (including those this transaction has
// added), read from the reference index each time so that explicit
// references imported meanwhile are never reused. The range on the
// pattern's literal start keeps it to the index.
func (s *Store) nextReference(ctx context.Context, tx *sql.Tx, p *domain.RulePack, year int) (string, error) {
	start, width := p.SeqRange()
	ref := p.Reference(year, 0)
	lit := ref[:start]
	like := likeEscape(lit) + strings.Repeat("_", width) + likeEscape(ref[start+width:])
	// The sequence has a fixed width, so the highest reference in the range
	// has the highest number: read the reference index backwards and stop at
	// the first that fits the pattern (the first row, when the year comes
	// before the number).
	var last string
	err := tx.QueryRowContext(ctx, `SELECT reference FROM cases
		WHERE reference >= ? AND reference < ? AND reference LIKE ? ESCAPE '\'
		ORDER BY reference DESC LIMIT 1`, lit, lit+"\uffff", like).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	n := 0
	if len(last) >= start+width {
		n, _ = strconv.Atoi(last[start : start+width])
	}
	return p.Reference(year, n+1), nil
}

// packFor finds the notice's rule pack and checks the notice against it:
// a known jurisdiction, a subject and stage the pack takes, a reference in
// its pattern. A problem names the field; the caller adds file and line.
func (s *Store) packFor(n *domain.Notice) (*domain.RulePack, *noticefile.Problem) {
	p := s.pack
	if n.Jurisdiction != "" {
		var ok bool
		if p, ok = s.packs[n.Jurisdiction]; !ok {
			return nil, &noticefile.Problem{Field: "jurisdiction", Msg: fmt.Sprintf("%q is not a rule pack here (use %s)",
				n.Jurisdiction, strings.Join(slices.Sorted(maps.Keys(s.packs)), ", "))}
		}
	}
	n.Jurisdiction = p.ID
	if !p.Accepts(n.Subject) {
		var subs []string
		for _, x := range p.Subjects {
			subs = append(subs, string(x))
		}
		return nil, &noticefile.Problem{Field: "subject", Msg: fmt.Sprintf("%s is not a subject of the %s (use %s)",
			n.Subject, p.Name, strings.Join(subs, ", "))}
	}
	if n.Stage != "" {
		if _, ok := p.Intake[string(n.Stage)]; !ok {
			return nil, &noticefile.Problem{Field: "stage", Msg: fmt.Sprintf("the %s takes no notice arriving at stage %s", p.Name, n.Stage)}
		}
	} else if len(p.Intake) > 0 {
		n.Stage = p.Tracks[0]
	}
	if n.Reference != "" {
		if !strings.HasPrefix(n.Reference, strings.ToUpper(p.ReferencePrefix)) {
			return nil, &noticefile.Problem{Field: "reference", Msg: fmt.Sprintf("%q is not a %s reference like %s",
				n.Reference, p.Name, p.Reference(2026, 1234))}
		}
	}
	return p, nil
}

// intake records what a judicial review pack counts from when a notice
// arrives: the letter before claim or the claim, dated the day received,
// and the date the grounds arose. A tribunal appeal records nothing more.
func (s *Store) intake(ctx context.Context, tx *sql.Tx, p *domain.RulePack, id int64, n domain.Notice, opt ImportOptions) error {
	kind := p.Intake[string(n.Stage)]
	if kind == "" {
		return nil
	}
	evs := []domain.Event{{Kind: kind, On: n.Received, User: opt.User, Detail: strings.ReplaceAll(kind, "-", " ") + " on " + n.Received.Long()}}
	if p.DecisionEvent != "" && !n.DecisionDate.IsZero() {
		evs = append(evs, domain.Event{Kind: p.DecisionEvent, On: n.DecisionDate, User: opt.User,
			Detail: strings.ReplaceAll(p.DecisionEvent, "-", " ") + " on " + n.DecisionDate.Long()})
	}
	for i := range evs {
		if err := s.insertEvent(ctx, tx, id, &evs[i]); err != nil {
			return err
		}
	}
	// The case's lookup entry is still pending (the loader writes it).
	return s.refresh(reindexing(ctx, id), tx, id)
}

func mustDate(s string) domain.Date {
	d, _ := domain.ParseDate(s)
	return d
}
