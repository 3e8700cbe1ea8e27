// Package store keeps the caseload in one embedded SQLite file: cases, their
// append-only event history, the deadlines derived from it, and a full-text
// index for lookup. Every write is one transaction.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/caseload/caseload/domain"

	_ "modernc.org/sqlite" // registers the "sqlite" driver: pure Go, no cgo
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is an open caseload database.
type Store struct {
	db   *sql.DB
	path string
	// readOnly: the file may be read but not written (opened so).
	readOnly bool
	// lock is the shared use lock held while the store is open (see
	// OwnDatabase).
	lock *UseLock
	pack *domain.RulePack // the default: notices that name no jurisdiction
	// packs holds every rule pack by id; a case's jurisdiction names its pack.
	packs map[string]*domain.RulePack
	cal   *domain.Calendar
	// cals are the calendars of every division (rules.go: calFor).
	cals map[domain.Division]*domain.Calendar
	// recalcAtOpen is what the recomputation run when the database was
	// opened changed (nil: the rules had not changed).
	recalcAtOpen *RecalcResult
	now          func() time.Time
	// urgency weighs inbox items.
	urgency UrgencyWeights
	// inboxCountMost is where the inbox counts stop (0: InboxCountMost);
	// tests set it low.
	inboxCountMost int
	// mailReplyDays is the service level for correspondence: a reply is
	// due this many working days after receipt.
	mailReplyDays int
	// snoozeOverdueMax caps the snooze of a missed deadline, in days.
	snoozeOverdueMax int
	// queries holds the service centre's settings (queries.go).
	queries queryConfig
	// authority is config.toml's [authority]: the levels of financial
	// authority and who holds them (litigation.go).
	authority domain.Authority
	// stmts holds the prepared statements of the lists read as the
	// caseworker types (see query).
	stmts statementCache
	// pg: the database is PostgreSQL (path is its URL); dialect holds
	// what differs (dialect.go).
	pg      bool
	dialect dialect
	// pgConns is the connection each PostgreSQL transaction runs on (by
	// its *sql.Tx), so a bulk load inside one reaches pgx's COPY protocol
	// (pgCopyFrom).
	pgConns sync.Map
	// filesDir is Options.FilesDir.
	filesDir string
}

// Options configure a Store. Zero values take the FTT (Tax) pack, the
// England and Wales calendar and the system clock.
type Options struct {
	Pack *domain.RulePack
	// Packs are the other jurisdictions this database may hold; every
	// built-in pack is loaded when nil.
	Packs []*domain.RulePack
	// MailReplyDays is the correspondence service level in working days
	// (0: DefaultMailReplyDays).
	MailReplyDays int
	// SnoozeOverdueMaxDays caps how far ahead a missed deadline may be
	// snoozed (0: domain.DefaultSnoozeOverdueMaxDays).
	SnoozeOverdueMaxDays int
	// Calendar is the default division's (config.toml division, else the
	// default pack's); Calendars holds those of the other divisions, loaded
	// from the same bank-holiday data (the embedded data when missing).
	Calendar  *domain.Calendar
	Calendars map[domain.Division]*domain.Calendar
	// Now gives the time recorded on events; its date part is replaced by
	// the acting date (--today) where one is given.
	Now func() time.Time
	// Urgency weighs inbox items; zero means DefaultUrgency.
	Urgency *UrgencyWeights
	// Authority is the [authority] configuration: financial authority
	// levels for settlements and who may approve at each.
	Authority domain.Authority
	// NoRecalc opens without recomputing deadlines when the rules changed
	// (Recalc does it on demand, or as a dry run).
	NoRecalc bool
	// Queries configures service levels, topics and fee tables.
	Queries QueryOptions
	// ReadOnly opens without creating or migrating (for `check` and tests
	// of old files); writes fail.
	ReadOnly bool
	// MustExist refuses to create a database: every command but import,
	// demo and generate expects one, and an empty file silently standing
	// in for a lost one hides the loss.
	MustExist bool
	// Owned says the caller holds the database's use lock exclusively
	// (restore), so Open does not take it shared.
	Owned bool
	// BusyTimeout is how long SQLite waits for another process's write
	// lock before a write is retried (0: 10 s). Writers wait for a notice
	// import at the write gate instead, however long it takes.
	BusyTimeout time.Duration
	// FilesDir is where mail attachments and letters are kept (default:
	// the database file's name + ".files"). A PostgreSQL database has no
	// file beside it: without FilesDir it refuses attachments and letters.
	FilesDir string
}

// ErrNoDatabase is returned by Open with MustExist when there is no file.
var ErrNoDatabase = errors.New("no caseload database")

// ErrNewerSchema is returned for a file written by a newer caseload.
var ErrNewerSchema = errors.New("database is from a newer version of caseload")

// Open opens (creating if needed) the database at path and brings its
// schema up to date. The directory is created 0700 and the file 0600: it
// holds personal data.
func Open(path string, opt Options) (*Store, error) {
	if opt.Pack == nil {
		opt.Pack = domain.MustRulePack("ftt-tax")
	}
	if opt.Calendar == nil {
		div, _ := domain.ParseDivision(opt.Pack.Division)
		opt.Calendar = domain.MustCalendar(div)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if IsURL(path) {
		return openPostgresStore(path, opt)
	}
	if opt.MustExist {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s: create one with `caseload import FILE` (or `caseload demo`), or give --db", ErrNoDatabase, path)
		}
	}
	readOnly := opt.ReadOnly
	var lock *UseLock
	if !opt.Owned && !opt.ReadOnly {
		if !fileExists(path) {
			os.MkdirAll(filepath.Dir(path), 0o700)
		}
		l, err := shareDatabase(path)
		if err != nil {
			return nil, err
		}
		lock = l
	}
	st, err := openFile(path, opt, readOnly)
	if err != nil {
		lock.Release()
		return nil, err
	}
	st.lock = lock
	return st, nil
}

func openFile(path string, opt Options, readOnly bool) (*Store, error) {
	if !readOnly {
		err := prepareFile(path)
		if errors.Is(err, fs.ErrPermission) && fileExists(path) {
			// A file the user may read but not write (0400, a read-only
			// share) is still worth reading: writes say why they fail.
			readOnly = true
		} else if err != nil {
			return nil, diskFull(err, path)
		}
	}
	if readOnly {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s is not a regular file", path)
		}
	}
	// busy_timeout: a second caseworker's write waits (up to 10 s) instead of
	// failing with "database is locked". _txlock=immediate takes the write
	// lock at BEGIN, so two writers never deadlock upgrading read locks.
	// synchronous=FULL in WAL mode: a transaction that reported success
	// survives a power cut (NORMAL could lose the last commits); the cost
	// is one fsync per commit, small next to a caseworker's keystroke.
	uri, err := fileURI(path)
	if err != nil {
		return nil, err
	}
	busy := opt.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	dsn := uri + "?_txlock=immediate" +
		fmt.Sprintf("&_pragma=busy_timeout(%d)", busy.Milliseconds()) +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)" +
		// 2 MiB of page cache a connection (SQLite's default): at ten
		// million cases the start-up's concurrent reads fill every
		// connection's cache, and four of 4 MiB took browsing to 70 MB
		// (target 60); bulk writes raise it for their own transaction.
		"&_pragma=cache_size(" + normalCacheKiB + ")"
	if readOnly {
		dsn += "&mode=ro"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A few connections are plenty: the UI's queries are short, and each
	// connection holds its own page cache.
	db.SetMaxOpenConns(4)
	s := newStore(db, path, readOnly && !opt.ReadOnly, opt)
	s.dialect = sqlite{}
	return s.start(readOnly, opt)
}

// newStore is a Store on db, set up from opt, before migration.
func newStore(db *sql.DB, path string, readOnly bool, opt Options) *Store {
	s := &Store{db: db, path: path, readOnly: readOnly, pack: opt.Pack, cal: opt.Calendar, now: opt.Now, urgency: DefaultUrgency(),
		packs: map[string]*domain.RulePack{opt.Pack.ID: opt.Pack}, mailReplyDays: opt.MailReplyDays, authority: opt.Authority,
		snoozeOverdueMax: opt.SnoozeOverdueMaxDays, filesDir: opt.FilesDir}
	if s.mailReplyDays <= 0 {
		s.mailReplyDays = DefaultMailReplyDays
	}
	if opt.Packs == nil {
		for _, id := range domain.PackIDs() {
			if id != opt.Pack.ID {
				opt.Packs = append(opt.Packs, domain.MustRulePack(id))
			}
		}
	}
	for _, p := range opt.Packs {
		if _, ok := s.packs[p.ID]; !ok {
			s.packs[p.ID] = p
		}
	}
	if opt.Urgency != nil {
		s.urgency = *opt.Urgency
	}
	s.loadCalendars(opt.Calendars)
	s.queries = newQueryConfig(opt.Queries)
	return s
}

// start migrates and checks the database, and recomputes deadlines whose
// rules changed; it closes the database if any of that fails.
func (s *Store) start(readOnly bool, opt Options) (*Store, error) {
	db, path := s.db, s.path
	if err := s.migrate(readOnly); err != nil {
		db.Close()
		return nil, diskFull(err, path)
	}
	if err := s.sameFile(); err != nil {
		db.Close()
		return nil, err
	}
	if !readOnly && !opt.NoRecalc {
		// On start: deadlines counted from rules that have changed since are
		// recomputed before anyone reads them (rules.go).
		r, err := s.RecalcIfChanged(context.Background())
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("recompute deadlines under the changed rules: %w", err)
		}
		s.recalcAtOpen = r
	}
	return s, nil
}

// fileURI writes path as an SQLite URI: a '#', '?' or '%' in a folder name
// would otherwise end the path early or be decoded, and SQLite would open
// (and create) some other file.
func fileURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", path, err)
	}
	var b strings.Builder
	b.WriteString("file:")
	for i := 0; i < len(abs); i++ {
		c := abs[i]
		if c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

// sameFile checks that SQLite opened the file the caseworker named, not one
// it derived from a misread name.
func (s *Store) sameFile() error {
	if s.pg {
		return nil
	}
	var seq int
	var name, file string
	if err := s.db.QueryRow("PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	want, err := os.Stat(s.path)
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	got, err := os.Stat(file)
	if err != nil || !os.SameFile(want, got) {
		return fmt.Errorf("%s: SQLite opened %q instead; not using it", s.path, file)
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// ReadOnly reports that the file could only be opened for reading.
func (s *Store) ReadOnly() bool { return s.readOnly }

// ErrDiskFull marks a failure caused by a full disk.
var ErrDiskFull = errors.New("disk full")

// diskFull names a full disk as the cause where it is one: SQLite reports
// it as "disk I/O error" when the WAL index cannot grow, which reads like
// a damaged file.
func diskFull(err error, path string) error {
	if err == nil || errors.Is(err, ErrDiskFull) {
		return err
	}
	msg := err.Error()
	full := errors.Is(err, syscall.ENOSPC) || strings.Contains(msg, "SQLITE_FULL") ||
		strings.Contains(msg, "database or disk is full")
	if !full && (strings.Contains(msg, "disk I/O error") || strings.Contains(msg, "SQLITE_IOERR")) {
		full = noSpaceLeft(filepath.Dir(path))
	}
	if !full {
		return err
	}
	return fmt.Errorf("%w: the disk holding %s has no space left; nothing was changed by this command (free some space and run it again): %v",
		ErrDiskFull, path, err)
}

// prepareFile creates the directory (0700) and an empty file (0600) before
// SQLite sees the path, so the file never exists with wider permissions.
func prepareFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	return f.Close()
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmts.close()
	err := s.db.Close()
	s.lock.Release()
	return err
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// DefaultMailReplyDays is the correspondence service level when none is set [U].
const DefaultMailReplyDays = 10

// Pack is the default rule pack (notices that name no jurisdiction).
func (s *Store) Pack() *domain.RulePack { return s.pack }

// Packs lists every rule pack the store knows, the default first.
func (s *Store) Packs() []*domain.RulePack {
	out := []*domain.RulePack{s.pack}
	for _, id := range slices.Sorted(maps.Keys(s.packs)) {
		if id != s.pack.ID {
			out = append(out, s.packs[id])
		}
	}
	return out
}

// PackOf returns the rule pack of a jurisdiction; an unknown one (a pack
// removed from the config) falls back to the default so a case still opens.
func (s *Store) PackOf(jurisdiction string) *domain.RulePack {
	if p, ok := s.packs[jurisdiction]; ok {
		return p
	}
	return s.pack
}

type scopeKey struct{}

// InJurisdiction limits every list the store returns under ctx (queue,
// due, cases, inbox, lookup, counts) to one jurisdiction; "" means all.
func InJurisdiction(ctx context.Context, jurisdiction string) context.Context {
	return context.WithValue(ctx, scopeKey{}, jurisdiction)
}

// scope is the jurisdiction ctx is limited to, "" for all.
func scope(ctx context.Context) string {
	j, _ := ctx.Value(scopeKey{}).(string)
	return j
}

// Calendar is the working-day calendar in use.
func (s *Store) Calendar() *domain.Calendar { return s.cal }

// DB exposes the handle for tests and benchmarks in other packages.
func (s *Store) DB() *sql.DB { return s.db }

// SchemaVersion is the schema this build writes.
func SchemaVersion() int { return migrationCount() }

func migrations() []string {
	entries, _ := fs.ReadDir(migrationFiles, "migrations")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, _ := migrationFiles.ReadFile("migrations/" + n)
		out[i] = string(b)
	}
	return out
}

// migrationCount is how many migrations there are, read from the file
// names alone: every start asks, and only an upgrade needs their text.
func migrationCount() int {
	entries, _ := fs.ReadDir(migrationFiles, "migrations")
	return len(entries)
}

// migrate applies forward-only migrations. It reads the version before
// changing anything, so a newer file is refused untouched.
func (s *Store) migrate(readOnly bool) error {
	ctx := context.Background()
	if s.pg {
		return s.migratePostgres(ctx, readOnly)
	}
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		if err := diskFull(err, s.path); errors.Is(err, ErrDiskFull) {
			return err
		}
		return fmt.Errorf("%s is not a caseload database (or is damaged): %w", s.path, err)
	}
	if v < 0 {
		return fmt.Errorf("%s is not a caseload database (or is damaged): schema version %d; not touching it", s.path, v)
	}
	latest := migrationCount()
	if v > latest {
		return fmt.Errorf("%w: %s has schema %d, this caseload knows up to %d; upgrade caseload (the file was not changed)",
			ErrNewerSchema, s.path, v, latest)
	}
	if readOnly {
		if v < latest {
			return fmt.Errorf("%s has schema %d; open it once read-write to upgrade to %d", s.path, v, latest)
		}
		return nil
	}
	if v == 0 {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
			return fmt.Errorf("%s is not a caseload database (or is damaged): %w", s.path, err)
		}
		if n > 0 {
			return fmt.Errorf("%s is an SQLite database but not a caseload one; not touching it", s.path)
		}
	}
	// WAL lets readers (the UI, a backup) work while one writer commits.
	if _, err := s.db.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	var all []string
	if v < latest {
		all = migrations()
	}
	for i := v; i < len(all); i++ {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, all[i]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("upgrade %s to schema %d: %w", s.path, i+1, err)
		}
	}
	return nil
}

// bulkCache is the page cache a bulk load uses (64 MiB): an import touches
// many index pages. It is set on the transaction's connection and put back.
const bulkCache = "PRAGMA cache_size = -16384"
const normalCache = "PRAGMA cache_size = " + normalCacheKiB

// normalCacheKiB is every connection's page cache outside bulk loads
// (negative: KiB), in the DSN and restored after a bulk load.
const normalCacheKiB = "-2000"

// tx runs f in one write transaction (BEGIN IMMEDIATE), retrying when
// another process holds the lock past the busy timeout.
func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%s can only be read (its file mode or folder does not let you write): this command changes it", s.path)
	}
	err := s.tx1(ctx, false, f)
	return diskFull(err, s.path)
}

// longTx is tx for a transaction that may hold the write lock for longer
// than the busy timeout (a notice import of any size): it takes the write
// gate exclusively, so other writers wait for it at the gate, however long,
// instead of timing out inside SQLite.
func (s *Store) longTx(ctx context.Context, f func(*sql.Tx) error) error {
	if s.readOnly {
		return s.tx(ctx, f)
	}
	return diskFull(s.tx1(ctx, true, f), s.path)
}

func (s *Store) tx1(ctx context.Context, exclusive bool, f func(*sql.Tx) error) error {
	if s.pg {
		return s.pgTx(ctx, exclusive, f)
	}
	gate, err := writeGate(ctx, s.path, exclusive)
	if err != nil {
		return err
	}
	defer gate.Release()
	for attempt := 0; attempt < 5; attempt++ {
		var tx *sql.Tx
		tx, err = s.db.BeginTx(ctx, nil)
		if err == nil {
			if err = f(tx); err == nil {
				err = tx.Commit()
			} else {
				tx.Rollback()
			}
		}
		if err == nil || !isBusy(err) {
			return err
		}
		time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
	}
	return fmt.Errorf("the database is busy with another caseworker's change; try again: %w", err)
}

func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked") ||
		strings.Contains(msg, "(5)") || strings.Contains(msg, "(517)")
}

// Analyze refreshes the query planner's statistics (approximately: a
// bounded sample per index, so it takes milliseconds). Run after bulk
// loads: without statistics SQLite can pick an index that reads every open
// case where another would read a handful.
func (s *Store) Analyze(ctx context.Context) error {
	if s.pg {
		_, err := s.db.ExecContext(ctx, "ANALYZE")
		return err
	}
	_, err := s.db.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE;")
	return err
}

// sqlitePragma sets an SQLite tuning pragma on tx's connection; PostgreSQL
// has none to set (and an unknown statement would end its transaction).
func (s *Store) sqlitePragma(ctx context.Context, tx *sql.Tx, pragma string) {
	if !s.pg {
		tx.ExecContext(ctx, pragma)
	}
}
