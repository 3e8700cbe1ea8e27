package store

// The bulk load (SQLite): a generated or migrated caseload written with
// the bulk import's method (bulkimport.go) instead of a statement per row.
// Each seed's state and deadlines are derived in Go with the same domain
// code as the row path (Load); the rows then go into each table many to a
// statement, in key order; the secondary indexes are dropped and built
// again when the load brings more cases than the table holds; the lookup
// index is written in one INSERT … SELECT per transaction. It writes what
// Load writes (TestBulkLoadWritesWhatTheRowPathWrites, and synthetic's
// TestGenerateBulkWritesWhatTheRowPathWrites).
//
// Each table has its own writer (loadTables): a table or column added to
// what a new case holds needs its own line there and in Load.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caseload/caseload/domain"
)

// LoadStream is Load for a caseload too large to hold in memory: the
// seeds are read from seeds as they are written, all in one transaction.
// expected is about how many seeds will come (it decides whether the
// indexes are dropped and built again). On SQLite it takes the bulk path;
// on PostgreSQL the row path.
func (s *Store) LoadStream(ctx context.Context, expected int, seeds iter.Seq[Seed], opt ActOptions) error {
	return s.longTx(ctx, func(tx *sql.Tx) error {
		s.sqlitePragma(ctx, tx, bulkCache)
		defer s.sqlitePragma(ctx, tx, normalCache)
		if s.pg {
			return s.loadRowsInChunks(ctx, tx, seeds, opt)
		}
		return s.loadBulk(ctx, tx, expected, seeds, opt)
	})
}

// loadRowsInChunks is the row path for a stream: PostgreSQL numbers rows
// from sequences, and a chunk whose size is known asks them for exactly the
// ids it uses, so a load leaves no gap in the numbering (the same ids as
// SQLite's max + 1, which the parity test compares) however it streams.
func (s *Store) loadRowsInChunks(ctx context.Context, tx *sql.Tx, seeds iter.Seq[Seed], opt ActOptions) error {
	const chunkSize = 1000
	chunk := make([]Seed, 0, chunkSize)
	write := func() error {
		events := 0
		for _, sd := range chunk {
			events += 1 + len(sd.Events)
		}
		err := s.loadRows(ctx, tx, len(chunk), events, slices.Values(chunk), opt)
		chunk = chunk[:0]
		return err
	}
	for sd := range seeds {
		if chunk = append(chunk, sd); len(chunk) == chunkSize {
			if err := write(); err != nil {
				return err
			}
		}
	}
	if len(chunk) == 0 {
		return nil
	}
	return write()
}

// loadBatch rows go in one INSERT: a statement per batch instead of one
// per row is most of what the bulk path saves (binding through
// database/sql, a statement's start and end, a goroutine per statement).
// The widest table (cases, 27 columns) stays under SQLite's 32,766
// variables.
const loadBatch = 256

// multiInsert writes rows into one table, loadBatch to a statement.
type multiInsert struct {
	tx    *sql.Tx
	table string
	cols  []string
	full  *sql.Stmt
	args  []any
}

func newMultiInsert(ctx context.Context, tx *sql.Tx, table string, cols ...string) (*multiInsert, error) {
	m := &multiInsert{tx: tx, table: table, cols: cols}
	var err error
	m.full, err = tx.PrepareContext(ctx, m.sql(loadBatch))
	return m, err
}

func (m *multiInsert) sql(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(m.cols)), ",") + ")"
	return "INSERT INTO " + m.table + "(" + strings.Join(m.cols, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

// add holds a row for take.
func (m *multiInsert) add(vals ...any) error {
	if len(vals) != len(m.cols) {
		return fmt.Errorf("bulk load: %d values for the %d columns of %s", len(vals), len(m.cols), m.table)
	}
	m.args = append(m.args, vals...)
	return nil
}

func (m *multiInsert) rows() int { return len(m.args) / len(m.cols) }

// exec writes rows taken from add's buffer (loadTables.take): the writer
// never touches the buffer the preparing goroutine fills.
func (m *multiInsert) exec(ctx context.Context, rest []any) error {
	full := loadBatch * len(m.cols)
	for len(rest) >= full {
		if _, err := m.full.ExecContext(ctx, rest[:full]...); err != nil {
			return fmt.Errorf("%s: %w", m.table, err)
		}
		rest = rest[full:]
	}
	if len(rest) > 0 {
		if _, err := m.tx.ExecContext(ctx, m.sql(len(rest)/len(m.cols)), rest...); err != nil {
			return fmt.Errorf("%s: %w", m.table, err)
		}
	}
	return nil
}

func (m *multiInsert) close() {
	if m.full != nil {
		m.full.Close()
	}
}

// loadTables are the writers of the tables a loaded case enters.
type loadTables struct {
	cases, events, deadlines, contacts *multiInsert
}

func newLoadTables(ctx context.Context, tx *sql.Tx) (*loadTables, error) {
	t := &loadTables{}
	var err error
	// The columns of loader.insCase (newCase's values), then revisit_stage.
	if t.cases, err = newMultiInsert(ctx, tx, "cases", "id", "reference", "jurisdiction", "received", "decision_date",
		"appellant", "representative", "respondent", "subject", "amount_pence", "grounds", "hmrc_reference", "late_reason",
		"content_hash", "suggested_track", "suggestion_reason", "late", "days_late", "search_key",
		"track", "status", "allocated_on", "last_event", "flags", "open_referrals", "division", "revisit_stage"); err != nil {
		return t, err
	}
	if t.events, err = newMultiInsert(ctx, tx, "events", "id", "case_id", "at", "on_date", "kind", "user", "detail", "data"); err != nil {
		return t, err
	}
	// insertDeadlineSQL's columns, then what deadlines_carry_case copies
	// from the case (the trigger is off during the load: loadBulk).
	if t.deadlines, err = newMultiInsert(ctx, tx, "deadlines", "case_id", "kind", "label", "party", "due", "rule", "provisional",
		"optional", "status", "met_on", "anchor", "days", "moved", "citation", "previous_due", "warn", "warning",
		"case_reference", "case_appellant", "case_track", "case_status", "case_jurisdiction"); err != nil {
		return t, err
	}
	t.contacts, err = newMultiInsert(ctx, tx, "case_contacts", "case_id", "appellant_address", "appellant_email",
		"representative_address", "representative_email", "respondent_address", "respondent_email")
	return t, err
}

func (t *loadTables) all() []*multiInsert {
	return []*multiInsert{t.cases, t.events, t.deadlines, t.contacts}
}

// take hands over the rows held (a block of whole cases), to be written
// by write while the next block is prepared.
func (t *loadTables) take() [][]any {
	var b [][]any
	for _, m := range t.all() {
		b = append(b, m.args)
		m.args = nil
	}
	return b
}

// write writes a block from take, cases first (the others name them, and
// foreign keys are checked at each statement). The rows of a case are held
// until its case row is written, so only the case table's batches decide
// when a block ends.
func (t *loadTables) write(ctx context.Context, b [][]any) error {
	for i, m := range t.all() {
		if err := m.exec(ctx, b[i]); err != nil {
			return err
		}
	}
	return nil
}

func (t *loadTables) close() {
	for _, m := range t.all() {
		if m != nil {
			m.close()
		}
	}
}

// bulkLoadKeptIndexes are indexes the bulk load leaves in place: new rows
// enter them in key order (a case's events and deadlines, by case id, and
// new cases have the highest ids), or seldom (partial indexes of referred,
// flagged, owned, litigation cases, decisions to revisit), so keeping them
// costs little while building them again would read the whole table.
var bulkLoadKeptIndexes = map[string]bool{"events_case": true, "deadlines_case": true, "cases_referrals": true,
	"cases_flagged": true, "cases_owner": true, "cases_side": true, "cases_revisit": true, "events_litigation": true}

// bulkLoadTriggers are turned off during the bulk load, which writes what
// they would: deadlines_carry_case copies the case's columns onto each new
// deadline, an UPDATE of the row just inserted (and of its entry in the
// due index) for every deadline.
var bulkLoadTriggers = []string{"deadlines_carry_case"}

func (s *Store) loadBulk(ctx context.Context, tx *sql.Tx, expected int, seeds iter.Seq[Seed], opt ActOptions) error {
	var firstCase, firstEvent int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM cases").Scan(&firstCase); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM events").Scan(&firstEvent); err != nil {
		return err
	}
	var restore []string
	if firstCase-1 < int64(expected) {
		var err error
		if restore, err = dropSchemaObjects(ctx, tx, "index", []string{"cases", "events", "deadlines"}, bulkLoadKeptIndexes); err != nil {
			return err
		}
	}
	for _, name := range bulkLoadTriggers {
		q, err := dropSchemaObject(ctx, tx, "trigger", name)
		if err != nil {
			return err
		}
		restore = append(restore, q...)
	}

	t, err := newLoadTables(ctx, tx)
	defer t.close()
	if err != nil {
		return err
	}
	// The rows are prepared (state replayed, deadlines computed, values
	// formatted) on one goroutine while this one writes the block before:
	// on two cores the Go half and SQLite's half run side by side.
	blocks := make(chan [][]any, 4)
	stop := make(chan struct{})
	prepared := make(chan loadPrepared, 1)
	go func() {
		defer close(blocks)
		prepared <- s.prepareLoad(t, firstCase, firstEvent, seeds, opt, func(b [][]any) bool {
			select {
			case blocks <- b:
				return true
			case <-stop:
				return false
			}
		})
	}()
	var werr error
	for b := range blocks {
		if werr == nil {
			if werr = t.write(ctx, b); werr != nil {
				close(stop)
			}
		}
	}
	prep := <-prepared
	if werr != nil {
		return werr
	}
	if prep.err != nil {
		return prep.err
	}
	nextCase, delta := prep.nextCase, prep.delta
	if nextCase > firstCase {
		// The lookup entries of the new cases in one pass, in key order,
		// with exactly the values ftsSelect reads (ftsDelete must name
		// them later).
		q := strings.Replace(ftsSelect, "WHERE c.id = ?", "WHERE c.id >= ? ORDER BY c.search_key", 1)
		if q == ftsSelect {
			return fmt.Errorf("bulk load: ftsSelect has changed shape")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_fts(rowid, reference, appellant, representative, hmrc_reference, grounds, notes, tags) `+q, firstCase); err != nil {
			return fmt.Errorf("lookup index: %w", err)
		}
	}
	for _, q := range restore {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	for name, d := range delta {
		if _, err := tx.ExecContext(ctx, `INSERT INTO counters(name, value) VALUES (?, ?)
			ON CONFLICT(name) DO UPDATE SET value = counters.value + excluded.value`, name, d); err != nil {
			return err
		}
	}
	return nil
}

// loadPrepared is what prepareLoad leaves for the writer: the next free
// case id and the counters' changes.
type loadPrepared struct {
	nextCase int64
	delta    map[string]int
	err      error
}

// prepareLoad derives the rows of each seed into t's buffers and hands
// them to send a block of loadBatch cases at a time (send says false when
// the writer has stopped). It reads the store's rule packs and nothing
// else: no SQL.
func (s *Store) prepareLoad(t *loadTables, firstCase, firstEvent int64, seeds iter.Seq[Seed], opt ActOptions, send func([][]any) bool) loadPrepared {
	at := s.stamp(opt.On).Format(time.RFC3339Nano)
	nextCase, nextEvent := firstCase, firstEvent
	var ids []int64 // of this seed's events, received first
	var events []domain.Event
	delta := map[string]int{}
	for sd := range seeds {
		n := sd.Notice
		p := s.PackOf(n.Jurisdiction)
		n.Jurisdiction = p.ID
		if n.Respondent == "" {
			n.Respondent = p.DefaultRespondent
		}
		receivedID := nextEvent
		nextEvent++
		ids = append(ids[:0], receivedID)
		events = append(events[:0], domain.Event{ID: receivedID, Kind: domain.EventReceived, On: n.Received})
		for _, e := range sd.Events {
			e.ID = nextEvent
			nextEvent++
			ids = append(ids, e.ID)
			if e.Kind == domain.EventAllocationUndone && e.Data.Undoes > 0 && int(e.Data.Undoes) < len(ids) {
				e.Data.Undoes = ids[e.Data.Undoes]
			}
			events = append(events, e)
		}
		cal := s.calFor(p, s.divisionFor(p, n.Division))
		st := s.replayIn(p, cal, events, string(n.Subject))
		id := nextCase
		nextCase++
		args, detail, _ := s.newCase(n, contentHash(n), id, st)
		var revisit any
		if r := domain.RevisitFrom(st); r != "" {
			revisit = string(r)
		}
		if err := t.cases.add(append(args, revisit)...); err != nil {
			return loadPrepared{err: err}
		}
		if c := contactsOf(n); !c.empty() {
			if err := t.contacts.add(id, c.AppellantAddress, c.AppellantEmail, c.RepresentativeAddress,
				c.RepresentativeEmail, c.RespondentAddress, c.RespondentEmail); err != nil {
				return loadPrepared{err: err}
			}
		}
		if err := t.events.add(receivedID, id, at, n.Received.String(), domain.EventReceived, opt.User, detail,
			`{"source":`+strconv.Quote(sd.Source)+`}`); err != nil {
			return loadPrepared{err: err}
		}
		for _, e := range events[1:] {
			if err := t.events.add(append([]any{e.ID, id}, seededEventArgs(e)...)...); err != nil {
				return loadPrepared{err: err}
			}
		}
		if len(sd.Events) > 0 {
			var track string
			if st.Track != "" {
				track = string(st.Track)
			}
			for _, d := range p.Deadlines(cal, st) {
				if err := t.deadlines.add(append(deadlineArgs(id, d), n.Reference, n.Appellant, track, string(st.Status), p.ID)...); err != nil {
					return loadPrepared{err: err}
				}
			}
		}
		if t.cases.rows() == loadBatch && !send(t.take()) {
			return loadPrepared{}
		}
		delta["cases@"+p.ID]++
		delta["cases"]++
		if st.Status == domain.StatusNew {
			delta["queue"]++
			delta["queue@"+p.ID]++
		}
		if st.Status.Open() {
			delta["open"]++
			delta["open@"+p.ID]++
		}
	}
	if !send(t.take()) {
		return loadPrepared{}
	}
	return loadPrepared{nextCase: nextCase, delta: delta}
}

// seededEventArgs are an event's values after its id and case id, as Load
// writes a seeded event: at its recorded time, or ten in the morning of
// its day.
func seededEventArgs(e domain.Event) []any {
	var data any
	if !e.Data.IsZero() {
		b, _ := json.Marshal(e.Data)
		data = string(b)
	}
	at := e.At
	if at.IsZero() {
		at = time.Date(e.On.Year(), e.On.Month(), e.On.Day(), 10, 0, 0, 0, time.UTC)
	}
	return []any{at.Format(time.RFC3339Nano), e.On.String(), e.Kind, e.User, e.Detail, data}
}

// dropSchemaObjects drops the indexes (or triggers) of the tables, less
// those kept, and returns the statements that create them again, for the
// caller to run in the same transaction (a crash or error rolls the drop
// back with everything else).
func dropSchemaObjects(ctx context.Context, tx *sql.Tx, kind string, tables []string, kept map[string]bool) ([]string, error) {
	var names, restore []string
	for _, table := range tables {
		rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", kind, table)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var name, q string
			if err := rows.Scan(&name, &q); err != nil {
				rows.Close()
				return nil, err
			}
			if !kept[name] {
				names = append(names, name)
				restore = append(restore, q)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, "DROP "+strings.ToUpper(kind)+` "`+name+`"`); err != nil {
			return nil, err
		}
	}
	return restore, nil
}

// dropSchemaObject drops one index or trigger if it exists, returning the
// statement that creates it again.
func dropSchemaObject(ctx context.Context, tx *sql.Tx, kind, name string) ([]string, error) {
	var q string
	err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = ? AND name = ?", kind, name).Scan(&q)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "DROP "+strings.ToUpper(kind)+` "`+name+`"`); err != nil {
		return nil, err
	}
	return []string{q}, nil
}
