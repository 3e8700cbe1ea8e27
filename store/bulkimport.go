package store

// The bulk import path (SQLite): a large notice file is staged in a
// temporary table with no index but its rowid, checked with two set queries
// (a reference twice in the file, a reference already held), then moved into
// the case, event, contact and lookup tables with one INSERT … SELECT each,
// in key order, the lookup index in one pass. It runs inside the import's
// one transaction, so a file is still all or nothing, and it writes what the
// row-at-a-time path writes (TestBulkImportWritesWhatTheRowPathWrites).

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/noticefile"
)

// BulkImportThreshold is the number of valid rows from which an import
// takes the bulk path. Measured (BENCHMARKS.md, "Bulk import"): into an
// empty file the row path is cheaper at 500 rows and the bulk path at
// 2,000; into a populated one the bulk path is already cheaper at 500.
const BulkImportThreshold = 2000

// bulkThreshold is ImportOptions.BulkThreshold, else
// CASELOAD_BULK_IMPORT_ROWS (so the command-line crash and contention tests
// can put small files through the bulk path), else BulkImportThreshold.
func bulkThreshold(opt ImportOptions) int {
	if opt.BulkThreshold != 0 {
		return opt.BulkThreshold
	}
	if v, err := strconv.Atoi(os.Getenv("CASELOAD_BULK_IMPORT_ROWS")); err == nil && v > 0 {
		return v
	}
	return BulkImportThreshold
}

// stageColumns are the staging table's columns after ord, in the order
// stage binds them. special rows (no reference, or a judicial review
// intake) are not moved by the set statements: the row-at-a-time code
// takes them after the move.
var stageColumns = []string{"ord", "file", "line", "special", "id", "search_key", "reference", "jurisdiction", "received",
	"decision_date", "appellant", "representative", "respondent", "subject", "amount_pence", "grounds",
	"hmrc_reference", "late_reason", "content_hash", "suggested_track", "suggestion_reason", "late", "days_late",
	"division", "stage", "detail", "data", "appellant_address", "appellant_email", "representative_address",
	"representative_email", "respondent_address", "respondent_email"}

// stageBatch rows go in one INSERT (32 values a row, well under SQLite's
// 32,766 variables): a statement per batch instead of one per row is most
// of what staging saves in binding.
const stageBatch = 128

type bulkImport struct {
	s        *Store
	tx       *sql.Tx
	opt      ImportOptions
	base     int64 // the first new case id
	rows     int64 // rows staged so far (the last ord)
	ord      int64 // of them, rows the set statements move
	args     []any
	insFull  *sql.Stmt
	imported map[string]int // by jurisdiction, for the kept counts
	refs     []rowAt        // the cases created or reopened, sorted into file order at the end
	special  int
}

// importBulk is importRows for large files: the same checks and problems,
// the same rows written.
func (s *Store) importBulk(ctx context.Context, tx *sql.Tx, files []fileRows, opt ImportOptions) (ImportResult, []noticefile.Problem, error) {
	var res ImportResult
	b := &bulkImport{s: s, tx: tx, opt: opt, imported: map[string]int{}}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM cases").Scan(&b.base); err != nil {
		return res, nil, err
	}
	// ord (the rowid) is file order and the only key the stage has. A
	// temporary table lives in the connection's own temporary file and goes
	// with the transaction if it rolls back.
	if s.pg {
		// bulkimport_postgres.go: a typed stage, dropped at commit.
		if err := b.createStagePostgres(ctx); err != nil {
			return res, nil, err
		}
	} else {
		if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE bulk_stage(ord INTEGER PRIMARY KEY, "+strings.Join(stageColumns[1:], ", ")+")"); err != nil {
			return res, nil, err
		}
		defer tx.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS temp.bulk_stage")
	}
	var err error
	if b.insFull, err = tx.PrepareContext(ctx, stageInsert(stageBatch)); err != nil {
		return res, nil, err
	}
	defer b.insFull.Close()

	var probs []noticefile.Problem
	for fi, f := range files {
		for r := range f.rows {
			n := r.Notice
			p, prob := s.packFor(&n)
			if prob == nil {
				prob = plausibleDates(n, opt.On)
			}
			if prob != nil {
				prob.File, prob.Line = f.path, r.Line
				probs = append(probs, *prob)
				continue
			}
			if n.Respondent == "" {
				n.Respondent = p.DefaultRespondent
			}
			if err := b.stage(ctx, fi, r.Line, f.path, p, n); err != nil {
				return res, nil, err
			}
		}
	}
	if err := b.flushStage(ctx); err != nil {
		return res, nil, err
	}

	excluded := map[int64]bool{}
	// A reference twice in the files: the first is imported, and a later
	// one is what the row path finds it to be, a notice already held
	// (unchanged if the content is the same, else a problem).
	err = b.each(ctx, `SELECT ord, file, line, reference, content_hash = first_hash, first_received FROM (
		SELECT ord, file, line, reference, content_hash,
			first_value(content_hash) OVER w AS first_hash, first_value(received) OVER w AS first_received,
			row_number() OVER w AS k
		FROM bulk_stage WHERE special = 0 WINDOW w AS (PARTITION BY reference COLLATE NOCASE ORDER BY ord)) AS dup WHERE k > 1`,
		func(rows *sql.Rows) error {
			var ord int64
			var fi, line int
			var ref, received string
			var same bool
			if err := rows.Scan(&ord, &fi, &line, &ref, &same, &received); err != nil {
				return err
			}
			excluded[ord] = true
			if same {
				res.Unchanged++
				return nil
			}
			probs = append(probs, noticefile.Problem{File: files[fi].path, Line: line, Field: "reference",
				Msg: fmt.Sprintf("%s already exists with different content (received %s); correct it in caseload instead of re-importing", ref, mustDate(received).UK())})
			return nil
		})
	if err != nil {
		return res, nil, err
	}
	// A reference already held: unchanged if the content is the same, a
	// returned case reopened by its corrected notice, else a problem.
	type held struct {
		ord      int64
		fi, line int
		id       int64
		hash     string
	}
	var reopen []held
	err = b.each(ctx, `SELECT s.ord, s.file, s.line, c.id, c.content_hash, c.received, c.status, s.content_hash, s.reference
		FROM bulk_stage s JOIN cases c ON c.reference = s.reference WHERE s.special = 0 ORDER BY s.ord`,
		func(rows *sql.Rows) error {
			var h held
			var oldHash, received, status, ref string
			if err := rows.Scan(&h.ord, &h.fi, &h.line, &h.id, &oldHash, &received, &status, &h.hash, &ref); err != nil {
				return err
			}
			if excluded[h.ord] {
				return nil
			}
			excluded[h.ord] = true
			switch {
			case oldHash == h.hash:
				res.Unchanged++
			case status == string(domain.StatusReturned):
				reopen = append(reopen, h)
			default:
				probs = append(probs, noticefile.Problem{File: files[h.fi].path, Line: h.line, Field: "reference",
					Msg: fmt.Sprintf("%s already exists with different content (received %s); correct it in caseload instead of re-importing", ref, mustDate(received).UK())})
			}
			return nil
		})
	if err != nil {
		return res, nil, err
	}
	if len(probs) > 0 && !opt.SkipInvalid {
		return res, sortProblems(probs, files), nil // the caller rolls back
	}
	for _, h := range reopen {
		n, err := b.stagedNotice(ctx, h.ord)
		if err != nil {
			return res, nil, err
		}
		if err := s.reopen(ctx, tx, h.id, n, h.hash, opt, files[h.fi].path); err != nil {
			return res, nil, err
		}
		res.Reopened++
		b.refs = append(b.refs, rowAt{h.fi, h.line, n.Reference, 0})
	}
	if len(excluded) > 0 {
		if err := b.exclude(ctx, excluded); err != nil {
			return res, nil, err
		}
	}
	if err := b.move(ctx); err != nil {
		return res, nil, err
	}
	for jur, n := range b.imported {
		res.Imported += n
		for _, name := range []string{"queue", "open", "cases"} {
			if err := addCounter(ctx, tx, name, jur, n); err != nil {
				return res, nil, err
			}
		}
	}

	// The rows the set statements do not take go through the row-at-a-time
	// code, read back from the stage in file order (after the move, so an
	// assigned reference is above every reference the file gave).
	if b.special > 0 {
		byFile := make([]fileRows, len(files))
		for fi := range files {
			byFile[fi] = fileRows{path: files[fi].path, rows: b.specialRows(ctx, fi, &err)}
		}
		r, sprobs, rerr := s.importRows(ctx, tx, byFile, opt)
		if rerr == nil {
			rerr = err
		}
		if rerr != nil {
			return res, nil, rerr
		}
		probs = append(probs, sprobs...)
		res.Imported += r.Imported
		res.Unchanged += r.Unchanged
		res.Reopened += r.Reopened
		b.refs = append(b.refs, r.at...)
	}
	probs = sortProblems(probs, files)
	slices.SortStableFunc(b.refs, func(a, c rowAt) int {
		if a.file != c.file {
			return a.file - c.file
		}
		return a.line - c.line
	})
	res.References = make([]string, len(b.refs))
	for i, r := range b.refs {
		res.References[i] = r.ref
	}
	return res, probs, nil
}

// rowAt is where in the files a created or reopened case came from (ord:
// its place in the stage, on the bulk path).
type rowAt struct {
	file, line int
	ref        string
	ord        int64
}

func stageInsert(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(stageColumns)), ",") + ")"
	return "INSERT INTO bulk_stage(" + strings.Join(stageColumns, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

// stage derives what the case row holds, as loader.insert does, and adds
// the row to the batch.
func (b *bulkImport) stage(ctx context.Context, fi, line int, path string, p *domain.RulePack, n domain.Notice) error {
	s := b.s
	var amount any
	if n.AmountPence != nil {
		amount = *n.AmountPence
	}
	c := contactsOf(n)
	hash := contentHash(n)
	special := n.Reference == "" || len(p.Intake) > 0
	var id, key, late, daysLate any
	var track, reason, detail string
	division := s.divisionFor(p, n.Division)
	if special {
		b.special++
	} else {
		sug := p.Suggest(n)
		lateness := p.LatenessOf(n, s.calFor(p, division))
		b.ord++
		id = b.base + b.ord - 1
		key = searchKey(n.Received, b.base+b.ord-1)
		track, reason, late, daysLate = string(sug.Track), sug.Reason, lateness.Late, lateness.DaysLate
		detail = "notice of appeal received"
		if lateness.Late {
			detail += fmt.Sprintf(" (%d days late: needs permission, %s)", lateness.DaysLate, p.AppealLimit.PermissionRule)
		}
		b.imported[p.ID]++
		// A clone: n.Reference may be a slice of the CSV reader's whole line.
		b.refs = append(b.refs, rowAt{fi, line, strings.Clone(n.Reference), b.rows + 1})
	}
	b.rows++
	b.args = append(b.args, b.rows, fi, line, special, id, key, n.Reference, p.ID, n.Received.String(),
		nullDate(n.DecisionDate), n.Appellant, n.Representative, n.Respondent, string(n.Subject), amount, n.Grounds,
		n.HMRCReference, n.LateReason, hash, track, reason, late, daysLate, division, string(n.Stage),
		detail, `{"source":`+strconv.Quote(path)+`}`, c.AppellantAddress, c.AppellantEmail, c.RepresentativeAddress,
		c.RepresentativeEmail, c.RespondentAddress, c.RespondentEmail)
	if len(b.args) == stageBatch*len(stageColumns) {
		if _, err := b.insFull.ExecContext(ctx, b.args...); err != nil {
			return err
		}
		b.args = b.args[:0]
	}
	return nil
}

func (b *bulkImport) flushStage(ctx context.Context) error {
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, stageInsert(len(b.args)/len(stageColumns)), b.args...)
	b.args = nil
	return err
}

func (b *bulkImport) each(ctx context.Context, q string, f func(*sql.Rows) error) error {
	rows, err := b.tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// exclude takes rows out of the stage (problems, unchanged, reopened) and
// numbers the rest again from base in file order, so new case ids have no
// gaps, as on the row-at-a-time path where a refused row takes no id.
func (b *bulkImport) exclude(ctx context.Context, excluded map[int64]bool) error {
	for ord := range excluded {
		var jur string
		if err := b.tx.QueryRowContext(ctx, "DELETE FROM bulk_stage WHERE ord = ? RETURNING jurisdiction", ord).Scan(&jur); err != nil {
			return err
		}
		b.imported[jur]--
	}
	b.refs = slices.DeleteFunc(b.refs, func(r rowAt) bool { return r.ord != 0 && excluded[r.ord] })
	_, err := b.tx.ExecContext(ctx, `UPDATE bulk_stage SET id = r.n, search_key = (bulk_stage.search_key / ?) * ? + r.n
		FROM (SELECT ord, ? + row_number() OVER (ORDER BY ord) - 1 AS n FROM bulk_stage WHERE special = 0) AS r
		WHERE r.ord = bulk_stage.ord`, keySpan, keySpan, b.base)
	return err
}

// move writes the staged set rows into the case, event, contact and lookup
// tables, one statement each, in key order.
func (b *bulkImport) move(ctx context.Context) error {
	if b.s.pg {
		return b.movePostgres(ctx) // bulkimport_postgres.go
	}
	restore, err := b.dropIndexes(ctx)
	if err != nil {
		return err
	}
	// With the indexes in place, rows go in received order: a new case
	// enters most of them (queue, received, status and track, stale, by
	// jurisdiction) at its received date, so neighbouring inserts land on
	// the same pages instead of one page each. Ids stay in file order.
	order := "ord"
	if len(restore) == 0 {
		order = "jurisdiction, received, ord"
	}
	var evBase int64
	if err := b.tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM events").Scan(&evBase); err != nil {
		return err
	}
	var user any = b.opt.User
	at := b.s.stamp(b.opt.On).Format(time.RFC3339Nano)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{stagedCases + order, nil},
		// The received events take ids in case order, as they would one at a time.
		{`INSERT INTO events(id, case_id, at, on_date, kind, user, detail, data)
		SELECT ? + id - ?, id, ?, received, 'received', ?, detail, data FROM bulk_stage WHERE special = 0 ORDER BY ` + order,
			[]any{evBase, b.base, at, user}},
		{stagedContacts, nil},
		// The values ftsSelect reads for a case with no notes, in rowid
		// order, so FTS5 writes its pending terms out only at its hash size.
		{`INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference, grounds, notes, tags)
		SELECT search_key, reference, appellant, representative, hmrc_reference, grounds, '',
			` + lookupTagsOf("NULL", "'new'", "subject", "jurisdiction") + `
		FROM bulk_stage WHERE special = 0 ORDER BY search_key`, nil},
	} {
		if _, err := b.tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return err
		}
	}
	for _, q := range restore {
		if _, err := b.tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// bulkKeptIndexes are indexes a bulk load leaves in place because its rows
// do not enter them (partial indexes of allocated, flagged, owned or
// litigation cases: new cases are none of these) or enter them in key order
// (events by case: new cases have the highest ids), so keeping them costs
// next to nothing while building them again would read the whole table.
var bulkKeptIndexes = map[string]bool{"cases_referrals": true, "cases_flagged": true, "cases_owner": true,
	"cases_allocated_on": true, "cases_side": true, "events_litigation": true, "events_case": true}

// dropIndexes drops the secondary indexes of the case and event tables
// when the file brings more rows than they hold: building an index once
// from sorted keys then costs less than inserting every new key into it
// in a random place. It returns the statements that build them again, which
// move runs in the same transaction (a crash or error rolls the drop back).
func (b *bulkImport) dropIndexes(ctx context.Context) ([]string, error) {
	var restore []string
	for _, table := range []string{"cases", "events"} {
		var held int64
		if err := b.tx.QueryRowContext(ctx, "SELECT coalesce(max(rowid), 0) FROM "+table).Scan(&held); err != nil {
			return nil, err
		}
		if held >= b.ord {
			continue
		}
		var names []string
		err := b.each(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '"+table+"' AND sql IS NOT NULL ORDER BY name",
			func(rows *sql.Rows) error {
				var name, q string
				if err := rows.Scan(&name, &q); err != nil {
					return err
				}
				if bulkKeptIndexes[name] {
					return nil
				}
				names = append(names, name)
				restore = append(restore, q)
				return nil
			})
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			if _, err := b.tx.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
				return nil, err
			}
		}
	}
	return restore, nil
}

// specialRows reads the special rows of file fi back from the stage, a
// few hundred at a time (no statement stays open while the row-at-a-time
// code writes).
func (b *bulkImport) specialRows(ctx context.Context, fi int, errp *error) func(func(noticefile.Row) bool) {
	return func(yield func(noticefile.Row) bool) {
		var after int64
		for {
			var batch []int64
			err := b.each(ctx, fmt.Sprintf("SELECT ord FROM bulk_stage WHERE special = 1 AND file = %d AND ord > %d ORDER BY ord LIMIT 512", fi, after),
				func(rows *sql.Rows) error {
					var ord int64
					if err := rows.Scan(&ord); err != nil {
						return err
					}
					batch = append(batch, ord)
					return nil
				})
			if err != nil {
				*errp = err
				return
			}
			if len(batch) == 0 {
				return
			}
			for _, ord := range batch {
				n, line, err := b.stagedRow(ctx, ord)
				if err != nil {
					*errp = err
					return
				}
				if !yield(noticefile.Row{Line: line, Notice: n}) {
					return
				}
			}
			after = batch[len(batch)-1]
		}
	}
}

// stagedNotice reads a notice back from the stage.
func (b *bulkImport) stagedNotice(ctx context.Context, ord int64) (domain.Notice, error) {
	n, _, err := b.stagedRow(ctx, ord)
	return n, err
}

func (b *bulkImport) stagedRow(ctx context.Context, ord int64) (domain.Notice, int, error) {
	var n domain.Notice
	var line int
	var received string
	var decision sql.NullString
	var amount sql.NullInt64
	err := b.tx.QueryRowContext(ctx, `SELECT line, reference, jurisdiction, received, decision_date, appellant, representative,
		respondent, subject, amount_pence, grounds, hmrc_reference, late_reason, division, stage, appellant_address,
		appellant_email, representative_address, representative_email, respondent_address, respondent_email
		FROM bulk_stage WHERE ord = ?`, ord).
		Scan(&line, &n.Reference, &n.Jurisdiction, &received, &decision, &n.Appellant, &n.Representative, &n.Respondent,
			&n.Subject, &amount, &n.Grounds, &n.HMRCReference, &n.LateReason, &n.Division, &n.Stage, &n.AppellantAddress,
			&n.AppellantEmail, &n.RepresentativeAddress, &n.RepresentativeEmail, &n.RespondentAddress, &n.RespondentEmail)
	if err != nil {
		return n, 0, err
	}
	n.Received = mustDate(received)
	if decision.Valid {
		n.DecisionDate = mustDate(decision.String)
	}
	if amount.Valid {
		v := amount.Int64
		n.AmountPence = &v
	}
	return n, line, nil
}

// sortProblems puts problems in file order, as the row path finds them
// (the bulk path's set queries find theirs after the staging pass).
func sortProblems(probs []noticefile.Problem, files []fileRows) []noticefile.Problem {
	fileIndex := map[string]int{}
	for fi := len(files) - 1; fi >= 0; fi-- {
		fileIndex[files[fi].path] = fi
	}
	slices.SortStableFunc(probs, func(a, c noticefile.Problem) int {
		if d := fileIndex[a.File] - fileIndex[c.File]; d != 0 {
			return d
		}
		return a.Line - c.Line
	})
	return probs
}

// stagedCases and stagedContacts move the staged rows into their tables,
// as both dialects' bulk imports do (stagedCases takes its ORDER BY).
const (
	stagedCases = `INSERT INTO cases(id, reference, jurisdiction, received, decision_date, appellant, representative, respondent,
	subject, amount_pence, grounds, hmrc_reference, late_reason, content_hash, suggested_track, suggestion_reason,
	late, days_late, search_key, track, status, allocated_on, last_event, flags, open_referrals, division)
	SELECT id, reference, jurisdiction, received, decision_date, appellant, representative, respondent,
	subject, amount_pence, grounds, hmrc_reference, late_reason, content_hash, suggested_track, suggestion_reason,
	late, days_late, search_key, NULL, 'new', NULL, received, '', 0, division
	FROM bulk_stage WHERE special = 0 ORDER BY `
	stagedContacts = `INSERT INTO case_contacts(case_id, appellant_address, appellant_email, representative_address, representative_email,
	respondent_address, respondent_email)
	SELECT id, appellant_address, appellant_email, representative_address, representative_email, respondent_address,
	respondent_email FROM bulk_stage WHERE special = 0 AND (appellant_address != '' OR appellant_email != ''
	OR representative_address != '' OR representative_email != '' OR respondent_address != '' OR respondent_email != '')
	ORDER BY ord`
)
