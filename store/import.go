package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
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
}

// ImportResult says what an import did.
type ImportResult struct {
	Imported   int                  `json:"imported"`
	Unchanged  int                  `json:"unchanged"`
	Rejected   int                  `json:"rejected"`
	Reopened   int                  `json:"reopened"`   // returned notices resubmitted corrected
	References []string             `json:"references"` // of the cases created, in file order
	Problems   []noticefile.Problem `json:"-"`
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
	for _, p := range paths {
		rows, probs := noticefile.ParseFile(p)
		all = append(all, fileRows{p, rows})
		res.Problems = append(res.Problems, probs...)
	}
	res.Rejected = countLines(res.Problems)
	if len(res.Problems) > 0 && !opt.SkipInvalid {
		return res, fmt.Errorf("%w: %d problem(s) found", ErrInvalidImport, len(res.Problems))
	}
	var dbProblems []noticefile.Problem
	err := s.tx(ctx, func(tx *sql.Tx) error {
		tx.ExecContext(ctx, bulkCache)
		defer tx.ExecContext(ctx, normalCache)
		r, probs, err := s.importRows(ctx, tx, all, opt)
		if err != nil {
			return err
		}
		dbProblems = probs
		if len(probs) > 0 && !opt.SkipInvalid {
			return ErrInvalidImport
		}
		res.Imported, res.Unchanged, res.Reopened, res.References = r.Imported, r.Unchanged, r.Reopened, r.References
		return nil
	})
	res.Problems = append(res.Problems, dbProblems...)
	res.Rejected += countLines(dbProblems)
	if errors.Is(err, ErrInvalidImport) {
		return res, fmt.Errorf("%w: %d problem(s) found", ErrInvalidImport, len(res.Problems))
	}
	if err == nil && res.Imported >= 1000 {
		err = s.Analyze(ctx)
	}
	return res, err
}

type fileRows struct {
	path string
	rows []noticefile.Row
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
	for _, f := range []string{n.Received.String(), n.DecisionDate.String(), n.Appellant, n.Representative,
		n.Respondent, string(n.Subject), amount, n.Grounds, n.HMRCReference, n.LateReason} {
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
	nextID                               int64
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
}

func (s *Store) newLoader(ctx context.Context, tx *sql.Tx, on domain.Date) (*loader, error) {
	l := &loader{s: s, tx: tx, at: s.stamp(on).Format(time.RFC3339Nano)}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM cases").Scan(&l.nextID); err != nil {
		return nil, err
	}
	var err error
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
		track, status, allocated_on, last_event, flags, open_referrals)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	l.insEvent = prep(`INSERT INTO events(id, case_id, at, on_date, kind, user, detail, data) VALUES (?,?,?,?,'received',?,?,?)`)
	l.insEvent2 = prep(`INSERT INTO events(id, case_id, at, on_date, kind, user, detail, data) VALUES (?,?,?,?,?,?,?,?)`)
	l.insFTS = prep(`INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference, grounds, notes)
		VALUES (?,?,?,?,?,?,?)`)
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
	p := l.s.pack
	sug := p.Suggest(n)
	late := p.Lateness(n.DecisionDate, n.Received)
	id := l.nextID
	key := searchKey(n.Received, id)
	var amount any
	if n.AmountPence != nil {
		amount = *n.AmountPence
	}
	args := append([]any{id, n.Reference, p.ID, n.Received.String(), nullDate(n.DecisionDate),
		n.Appellant, n.Representative, n.Respondent, string(n.Subject), amount, n.Grounds, n.HMRCReference,
		n.LateReason, hash, string(sug.Track), sug.Reason, late.Late, late.DaysLate, key}, stateArgs(st)...)
	if _, err := l.insCase.ExecContext(ctx, args...); err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return 0, errDuplicate
		}
		return 0, err
	}
	l.nextID++
	detail := "notice of appeal received"
	if late.Late {
		detail += fmt.Sprintf(" (%d days late: needs permission, %s)", late.DaysLate, p.AppealLimit.PermissionRule)
	}
	data := `{"source":` + strconv.Quote(source) + `}`
	if _, err := l.insEvent.ExecContext(ctx, eventID, id, l.at, n.Received.String(), user, detail, data); err != nil {
		return 0, err
	}
	l.pending = append(l.pending, pendingFTS{key: key, id: id, fromCase: fromCase, reference: n.Reference,
		appellant: n.Appellant, rep: n.Representative, hmrc: n.HMRCReference, grounds: n.Grounds})
	return id, nil
}

// flush writes the pending lookup entries in key order. Call it before
// the transaction commits and before anything reads the lookup index.
func (l *loader) flush(ctx context.Context) error {
	sort.Slice(l.pending, func(i, j int) bool { return l.pending[i].key < l.pending[j].key })
	for _, f := range l.pending {
		notes := ""
		if f.fromCase {
			if err := l.ftsValues.QueryRowContext(ctx, f.id).Scan(&f.key, &f.reference, &f.appellant, &f.rep,
				&f.hmrc, &f.grounds, &notes); err != nil {
				return err
			}
		}
		if _, err := l.insFTS.ExecContext(ctx, f.key, f.reference, f.appellant, f.rep, f.hmrc, f.grounds, notes); err != nil {
			return err
		}
	}
	l.pending = l.pending[:0]
	return nil
}

var errDuplicate = errors.New("duplicate reference")

func (s *Store) importRows(ctx context.Context, tx *sql.Tx, files []fileRows, opt ImportOptions) (ImportResult, []noticefile.Problem, error) {
	var res ImportResult
	var probs []noticefile.Problem
	l, err := s.newLoader(ctx, tx, opt.On)
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

	for _, f := range files {
		for _, r := range f.rows {
			n := r.Notice
			if n.Respondent == "" {
				n.Respondent = s.pack.DefaultRespondent
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
						res.References = append(res.References, n.Reference)
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
				if n.Reference, err = s.nextReference(ctx, tx, n.Received.Year()); err != nil {
					return res, nil, err
				}
			}
			if _, err := l.add(ctx, n, hash, opt.User, f.path); err != nil {
				if errors.Is(err, errDuplicate) {
					probs = append(probs, noticefile.Problem{File: f.path, Line: r.Line, Field: "reference",
						Msg: n.Reference + " appears twice"})
					continue
				}
				return res, nil, err
			}
			res.Imported++
			res.References = append(res.References, n.Reference)
		}
	}
	if err := l.flush(ctx); err != nil {
		return res, nil, err
	}
	if res.Imported > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE counters SET value = value + ? WHERE name IN ('queue', 'open', 'cases')`, res.Imported); err != nil {
			return res, nil, err
		}
	}
	return res, probs, nil
}

// reopen replaces a returned notice with its corrected version and puts
// the case back in the queue; the reopened event keeps the history.
func (s *Store) reopen(ctx context.Context, tx *sql.Tx, id int64, n domain.Notice, hash string, opt ImportOptions, source string) error {
	sug := s.pack.Suggest(n)
	late := s.pack.Lateness(n.DecisionDate, n.Received)
	var amount any
	if n.AmountPence != nil {
		amount = *n.AmountPence
	}
	if err := ftsDelete(ctx, tx, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET decision_date = ?, appellant = ?, representative = ?, respondent = ?,
		subject = ?, amount_pence = ?, grounds = ?, hmrc_reference = ?, late_reason = ?, content_hash = ?,
		suggested_track = ?, suggestion_reason = ?, late = ?, days_late = ? WHERE id = ?`,
		nullDate(n.DecisionDate), n.Appellant, n.Representative, n.Respondent, string(n.Subject), amount, n.Grounds,
		n.HMRCReference, n.LateReason, hash, string(sug.Track), sug.Reason, late.Late, late.DaysLate, id); err != nil {
		return err
	}
	e := domain.Event{Kind: domain.EventReopened, On: opt.On, User: opt.User,
		Detail: "corrected notice resubmitted (" + source + "): back in the queue", Data: domain.EventData{Source: source}}
	if err := s.insertEvent(ctx, tx, id, &e); err != nil {
		return err
	}
	if err := s.refresh(ctx, tx, id); err != nil {
		return err
	}
	return ftsInsert(ctx, tx, id)
}

// nextReference assigns the next PREFIX/YYYY/NNNNN for the received year:
// one more than the highest held (including those this transaction has
// added), read from the reference index each time so that explicit
// references imported meanwhile are never reused.
func (s *Store) nextReference(ctx context.Context, tx *sql.Tx, year int) (string, error) {
	prefix := fmt.Sprintf("%s/%04d/", s.pack.ReferencePrefix, year)
	var last sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT max(reference) FROM cases WHERE reference >= ? AND reference < ?`,
		prefix, prefix+"\uffff").Scan(&last)
	if err != nil {
		return "", err
	}
	n := 1
	if last.Valid {
		v, _ := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(last.String), strings.ToUpper(prefix)))
		n = v + 1
	}
	return fmt.Sprintf("%s%05d", prefix, n), nil
}

func mustDate(s string) domain.Date {
	d, _ := domain.ParseDate(s)
	return d
}
