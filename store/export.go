package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/caseload/caseload/domain"
)

// Export writes every case, streaming a row at a time so that a million
// cases never sit in memory. CSV has the import columns first, so an export
// can be read back by `caseload import`, then the state.
func (s *Store) Export(ctx context.Context, w io.Writer, format string) error {
	return s.ExportTo(ctx, w, format, false)
}

// ExportTo is Export, with every cell made safe to show (domain.SafeLine)
// when the output is a terminal. JSON strings always have the characters a
// terminal would obey escaped (the values are unchanged).
func (s *Store) ExportTo(ctx context.Context, w io.Writer, format string, terminal bool) error {
	csvSafe := csvSafe
	if terminal {
		csvSafe = func(s string) string { return domain.CSVCell(domain.SafeLine(s)) }
	}
	query := selectCase + " ORDER BY c.received, c.reference"
	if format == "csv" || format == "" {
		query = exportCSVQuery(s.packs)
	}
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	switch format {
	case "csv", "":
		cw := csv.NewWriter(w)
		cw.Write([]string{"reference", "received", "decision_date", "appellant", "representative", "respondent",
			"subject", "amount", "grounds", "hmrc_reference", "late_reason", "track", "status", "allocated_on",
			"suggested_track", "late", "days_late", "last_event",
			// Added after the state so the columns before keep their places;
			// import reads them back (a case's pack, what arrived, whose bank
			// holidays), so an export round-trips.
			"jurisdiction", "stage", "division"})
		for rows.Next() {
			var division, intake string
			c, err := scanCaseRow(extraColumns{rows, []any{&division, &intake}})
			if err != nil {
				return err
			}
			amount := ""
			if c.AmountPence != nil {
				amount = fmt.Sprintf("%d.%02d", *c.AmountPence/100, *c.AmountPence%100)
			}
			cw.Write([]string{c.Reference, c.Received.String(), c.DecisionDate.String(), csvSafe(c.Appellant),
				csvSafe(c.Representative), csvSafe(c.Respondent), string(c.Subject), amount, csvSafe(c.Grounds),
				csvSafe(c.HMRCReference), csvSafe(c.LateReason), string(c.TrackOrNone()), string(c.Status),
				c.AllocatedOn.String(), string(c.SuggestedTrack), strconv.FormatBool(c.Late), strconv.Itoa(c.DaysLate),
				c.LastEvent.String(), c.Jurisdiction, stageOf(s.PackOf(c.Jurisdiction), intake), division})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	case "json":
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		if _, err := io.WriteString(w, "["); err != nil {
			return err
		}
		first := true
		for rows.Next() {
			c, err := scanCaseRow(rows)
			if err != nil {
				return err
			}
			if !first {
				io.WriteString(w, ",")
			}
			first = false
			buf.Reset()
			if err := enc.Encode(c); err != nil {
				return err
			}
			if _, err := w.Write(domain.JSONSafe(buf.Bytes())); err != nil {
				return err
			}
		}
		if _, err := io.WriteString(w, "]\n"); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown format %q: use csv or json", format)
	}
	return rows.Err()
}

// extraColumns scans a case row followed by more columns.
type extraColumns struct {
	rows  *sql.Rows
	extra []any
}

func (x extraColumns) Scan(dest ...any) error { return x.rows.Scan(append(dest, x.extra...)...) }

// exportCSVQuery reads every case with its division and the event that
// recorded what arrived (a judicial review's letter before claim or
// claim: the pack's intake), the first of its kinds on the case.
func exportCSVQuery(packs map[string]*domain.RulePack) string {
	var kinds []string
	for _, p := range packs {
		for _, k := range p.Intake {
			if q := "'" + strings.ReplaceAll(k, "'", "''") + "'"; !slices.Contains(kinds, q) {
				kinds = append(kinds, q)
			}
		}
	}
	intake := "''"
	if len(kinds) > 0 {
		slices.Sort(kinds)
		intake = "coalesce((SELECT e.kind FROM events e WHERE e.case_id = c.id AND e.kind IN (" + strings.Join(kinds, ", ") +
			") ORDER BY e.id LIMIT 1), '')"
	}
	return "SELECT " + caseColumns + ", c.division, " + intake + " FROM cases c ORDER BY c.received, c.reference"
}

// stageOf is the stage a notice arrived at, from the event its pack
// records for it ("" for a pack with no stages at intake).
func stageOf(p *domain.RulePack, intakeKind string) string {
	for stage, kind := range p.Intake {
		if kind == intakeKind && intakeKind != "" {
			return stage
		}
	}
	return ""
}

// csvSafe is domain.CSVCell, the one CSV neutraliser (reports use it too).
func csvSafe(s string) string { return domain.CSVCell(s) }

// Backup writes a consistent copy of the database to dest while others may
// be reading and writing: VACUUM INTO reads one snapshot. The copy is
// created 0600 in a 0700 directory, and is refused if dest (or dest.files)
// exists: a backup never overwrites, nor writes through a planted link.
func (s *Store) Backup(ctx context.Context, dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("%s already exists: choose a new name (a backup never overwrites)", dest)
	}
	if _, err := os.Lstat(dest + ".files"); err == nil {
		return fmt.Errorf("%s.files already exists: choose a new name (a backup never overwrites)", dest)
	}
	if err := mkdirPrivate(filepath.Dir(dest)); err != nil {
		return err
	}
	f, err := os.OpenFile(dest, os.O_CREATE|os.O_EXCL|os.O_WRONLY|noFollow, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	uri, err := fileURI(dest)
	if err != nil {
		return err
	}
	if s.pg {
		return errors.New("not supported on PostgreSQL: backup; use pg_dump, which takes a consistent snapshot while the servers work " +
			"(e.g. pg_dump --format=custom --file=caseload.dump 'URL'), or `caseload copy --from URL --to FILE.db` for an offline SQLite copy")
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", uri); err != nil {
		os.Remove(dest)
		return diskFull(fmt.Errorf("backup to %s: %w", dest, err), dest)
	}
	// Mail attachments live beside the database: they go beside the backup.
	// Files are only ever added there, so a copy after the snapshot holds
	// every attachment the snapshot names.
	return CopyAttachments(s.path, dest)
}

// mkdirPrivate creates the missing folders of dir 0700 (MkdirAll would
// leave them to the umask's mercy only for new ones, which is what we want;
// existing folders are the caseworker's choice and left as they are).
func mkdirPrivate(dir string) error {
	return os.MkdirAll(dir, 0o700)
}

// CopyAttachments copies the attachments kept beside database file from
// (from.files) to beside database file to (to.files), for backups and
// restores. to.files must not exist yet.
func CopyAttachments(from, to string) error {
	if err := copyTree(from+".files", to+".files"); err != nil {
		return fmt.Errorf("attachments to %s.files: %w", to, err)
	}
	return nil
}

// copyTree copies a directory of files into a new directory: 0700
// directories made fresh (never an existing one, where another user could
// have planted links) and 0600 files created exclusively without following
// links; a missing source is nothing to copy, and links in the source are
// not followed.
func copyTree(src, dest string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == src {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dest, rel)
		if d.IsDir() {
			if err := os.Mkdir(to, 0o700); err != nil {
				return err
			}
			return os.Chmod(to, 0o700)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyNew(path, to)
	})
}

// Problem found by Check.
type CheckProblem struct {
	Reference string `json:"reference,omitempty"`
	Problem   string `json:"problem"`
}

// Check verifies the file and that everything derived matches the
// history: SQLite's integrity check, each case's state and deadlines
// replayed from its events, the kept counters, and each case's and
// message's owner against its ownership history. It is what a user runs
// after a crash or a disk scare; it changes nothing. It reads cases, events
// and deadlines in three ordered passes merged by case, so it is linear in
// the size of the file.
func (s *Store) Check(ctx context.Context) ([]CheckProblem, int, error) {
	var out []CheckProblem
	// Every problem SQLite finds (it stops at 100), not just the first: a
	// damaged file is listed, not merely called malformed.
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if s.pg {
		// PostgreSQL checksums its own pages; what is ours to check is
		// the history, replayed below.
		rows, err = s.db.QueryContext(ctx, "SELECT 'ok'")
	}
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		var ic string
		if err := rows.Scan(&ic); err != nil {
			rows.Close()
			return nil, 0, err
		}
		if ic != "ok" {
			out = append(out, CheckProblem{Problem: "SQLite integrity check: " + ic})
		}
	}
	if err := rows.Close(); err != nil {
		return nil, 0, err
	}
	replayed, n, err := s.checkHistory(ctx)
	if err != nil && len(out) > 0 {
		// The replay reads every table and stops at the first bad page: on
		// a damaged file, say so after what SQLite listed rather than
		// instead of it.
		return append(out, CheckProblem{Problem: "the history could not be replayed: " + err.Error()}), n, nil
	}
	return append(out, replayed...), n, err
}

// checkHistory replays every case from its events (see Check).
func (s *Store) checkHistory(ctx context.Context) ([]CheckProblem, int, error) {
	var out []CheckProblem
	// One read transaction, so the three passes see the same snapshot.
	txs, err := s.snapshot(ctx, 3)
	if err != nil {
		return nil, 0, err
	}
	defer func() {
		for _, tx := range txs {
			tx.Rollback()
		}
	}()
	tx := txs[0]
	cases, err := tx.QueryContext(ctx, "SELECT "+caseColumns+", "+divisionColumn(ctx, tx)+" FROM cases c ORDER BY c.id")
	if err != nil {
		return nil, 0, err
	}
	defer cases.Close()
	events, err := txs[1].QueryContext(ctx, "SELECT "+eventColumns+" FROM events ORDER BY case_id, id")
	if err != nil {
		return nil, 0, err
	}
	defer events.Close()
	deadlines, err := txs[2].QueryContext(ctx, "SELECT "+deadlineColumns+" FROM deadlines ORDER BY case_id, due, id")
	if err != nil {
		return nil, 0, err
	}
	defer deadlines.Close()
	evs := &caseStream[domain.Event]{rows: events, scan: scanEvent}
	dls := &caseStream[domain.Deadline]{rows: deadlines, scan: scanDeadline}
	n, queue, open := 0, 0, 0
	perJur := map[string]int{}         // queue@ID, open@ID
	revisit := map[int64]revisitWant{} // decisions to revisit, by case (few)
	for cases.Next() {
		var division string
		c, err := scanCaseRow(rowWithTail{cases, &division})
		if err != nil {
			return nil, n, err
		}
		n++
		if c.Status == domain.StatusNew {
			queue++
			perJur["queue@"+c.Jurisdiction]++
		}
		if c.Status.Open() {
			open++
			perJur["open@"+c.Jurisdiction]++
		}
		caseEvents, err := evs.next(c.ID)
		if err != nil {
			return nil, n, err
		}
		p := s.PackOf(c.Jurisdiction)
		cal := s.calFor(p, division)
		st := s.replayIn(p, cal, caseEvents, string(c.Subject))
		if t := domain.RevisitFrom(st); t != "" {
			revisit[c.ID] = revisitWant{c.Reference, string(t)}
		}
		if st.Status != c.Status || st.Track != c.TrackOrNone() || !st.AllocatedOn.Equal(c.AllocatedOn) ||
			strings.Join(st.Flags, ",") != strings.Join(c.Flags, ",") || len(st.OpenReferrals()) != c.OpenReferrals {
			out = append(out, CheckProblem{c.Reference, fmt.Sprintf("stored state %s/%s does not match its events (%s/%s)",
				c.Status, c.TrackOrNone(), st.Status, st.Track)})
		}
		have, err := dls.next(c.ID)
		if err != nil {
			return nil, n, err
		}
		if !sameDeadlines(p.Deadlines(cal, st), have) {
			out = append(out, CheckProblem{c.Reference, "stored deadlines do not match the events under the current rule pack"})
		}
	}
	if err := cases.Err(); err != nil {
		return nil, n, err
	}
	more, err := checkRevisit(ctx, tx, revisit)
	if err != nil {
		return nil, n, err
	}
	out = append(out, more...)
	// The report tallies (schema 7) are what a scan of the cases and events gives.
	if more, err = checkTallies(ctx, tx); err != nil {
		return nil, n, err
	}
	out = append(out, more...)
	// What the deadlines carry of their case (for the due list) is the case's.
	carried, err := tx.QueryContext(ctx, `SELECT c.reference, count(*) FROM deadlines d JOIN cases c ON c.id = d.case_id
		WHERE d.case_reference != c.reference OR d.case_appellant != c.appellant OR d.case_track != coalesce(c.track, '')
		OR d.case_status != c.status OR d.case_jurisdiction != c.jurisdiction GROUP BY c.id LIMIT 100`)
	if err != nil {
		return nil, n, err
	}
	for carried.Next() {
		var ref string
		var k int
		if err := carried.Scan(&ref, &k); err != nil {
			carried.Close()
			return nil, n, err
		}
		out = append(out, CheckProblem{ref, fmt.Sprintf("%d deadline(s) carry another reference, appellant, track, status or jurisdiction than the case's", k)})
	}
	if err := carried.Close(); err != nil {
		return nil, n, err
	}
	tagged, err := s.checkLookupTags(ctx, tx)
	if err != nil {
		return nil, n, err
	}
	out = append(out, tagged...)
	if evs.orphans > 0 || dls.orphans > 0 {
		out = append(out, CheckProblem{Problem: fmt.Sprintf("%d events and %d deadlines belong to no case", evs.orphans, dls.orphans)})
	}
	var cq, co int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT value FROM counters WHERE name='queue'),
		(SELECT value FROM counters WHERE name='open')`).Scan(&cq, &co); err != nil {
		return nil, n, err
	}
	if cq != queue || co != open {
		out = append(out, CheckProblem{Problem: fmt.Sprintf("kept counts (queue %d, open %d) differ from the cases (queue %d, open %d)", cq, co, queue, open)})
	}
	// And for each jurisdiction (name@id), including those counted down to nothing.
	rows, err := tx.QueryContext(ctx, "SELECT name, value FROM counters WHERE name LIKE 'queue@%' OR name LIKE 'open@%'")
	if err != nil {
		return nil, n, err
	}
	defer rows.Close()
	kept := map[string]int{}
	for rows.Next() {
		var name string
		var v int
		if err := rows.Scan(&name, &v); err != nil {
			return nil, n, err
		}
		kept[name] = v
	}
	if err := rows.Err(); err != nil {
		return nil, n, err
	}
	for _, name := range slices.Sorted(maps.Keys(perJur)) {
		if kept[name] != perJur[name] {
			out = append(out, CheckProblem{Problem: fmt.Sprintf("kept count %s is %d; the cases give %d", name, kept[name], perJur[name])})
		}
	}
	for name, v := range kept {
		if _, ok := perJur[name]; !ok && v != 0 {
			out = append(out, CheckProblem{Problem: fmt.Sprintf("kept count %s is %d; the cases give 0", name, v)})
		}
	}
	owners, err := checkOwners(ctx, tx)
	if err != nil {
		return nil, n, err
	}
	out = append(out, owners...)
	files, err := s.checkAttachments(ctx, tx)
	if err != nil {
		return nil, n, err
	}
	return append(out, files...), n, nil
}

// checkAttachments compares the attachment files with their rows both
// ways: a row whose file is missing (or the wrong size), and a file (or a
// staging folder left by a killed import) that no row names.
func (s *Store) checkAttachments(ctx context.Context, tx *sql.Tx) ([]CheckProblem, error) {
	var out []CheckProblem
	if s.pg && s.filesDir == "" {
		return nil, nil // there can be none (mailFilesDir refuses them)
	}
	rows, err := tx.QueryContext(ctx, "SELECT mail_id, size, path FROM mail_attachments ORDER BY mail_id, rowid")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	named := map[string]bool{}
	for rows.Next() {
		var id, size int64
		var rel string
		if err := rows.Scan(&id, &size, &rel); err != nil {
			return nil, err
		}
		named[filepath.Clean(rel)] = true
		fi, err := os.Lstat(filepath.Join(s.FilesDir(), rel))
		switch {
		case err != nil:
			out = append(out, CheckProblem{Problem: fmt.Sprintf("message %d: attachment %s is missing", id, rel)})
		case !fi.Mode().IsRegular():
			out = append(out, CheckProblem{Problem: fmt.Sprintf("message %d: attachment %s is not a regular file", id, rel)})
		case fi.Size() != size:
			out = append(out, CheckProblem{Problem: fmt.Sprintf("message %d: attachment %s is %d bytes, recorded as %d", id, rel, fi.Size(), size)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	orphans := 0
	var first string
	err = filepath.WalkDir(filepath.Join(s.FilesDir(), "mail"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(s.FilesDir(), path)
		if !named[rel] {
			if orphans++; first == "" {
				first = rel
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if orphans > 0 {
		out = append(out, CheckProblem{Problem: fmt.Sprintf("%d attachment file(s) belong to no message (first: %s); an import was interrupted: they can be deleted", orphans, first)})
	}
	return out, nil
}

// caseStream hands out the rows of one case at a time from a query
// ordered by case id, so Check can merge it with the cases in one pass.
type caseStream[T any] struct {
	rows    *sql.Rows
	scan    func(scanner) (int64, T, error)
	pending *T
	pendID  int64
	done    bool
	orphans int
}

func (s *caseStream[T]) next(caseID int64) ([]T, error) {
	var out []T
	for {
		if s.pending == nil && !s.done {
			if !s.rows.Next() {
				s.done = true
				if err := s.rows.Err(); err != nil {
					return nil, err
				}
			} else {
				id, v, err := s.scan(s.rows)
				if err != nil {
					return nil, err
				}
				s.pendID, s.pending = id, &v
			}
		}
		switch {
		case s.pending == nil:
			return out, nil
		case s.pendID < caseID:
			s.orphans++
			s.pending = nil
		case s.pendID == caseID:
			out = append(out, *s.pending)
			s.pending = nil
		default:
			return out, nil
		}
	}
}

func sameDeadlines(a, b []domain.Deadline) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(d domain.Deadline) string {
		return fmt.Sprintf("%s|%s|%s|%v|%s|%s", d.Kind, d.Due, d.Rule, d.Provisional, d.Status, d.MetOn)
	}
	seen := map[string]int{}
	for _, d := range a {
		seen[key(d)]++
	}
	for _, d := range b {
		seen[key(d)]--
	}
	for _, v := range seen {
		if v != 0 {
			return false
		}
	}
	return true
}

// copyNew copies the file from into a new file to (0600, never over one
// already there, never through a link), streaming so an attachment of any
// size costs no memory.
func copyNew(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
