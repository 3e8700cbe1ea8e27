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
	// mailReplyDays is the service level for correspondence: a reply is
	// due this many working days after receipt.
	mailReplyDays int
	// authority is config.toml's [authority]: the levels of financial
	// authority and who holds them (litigation.go).
	authority domain.Authority
	// stmts holds the prepared statements of the lists read as the
	// caseworker types (see query).
	stmts statementCache
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
	// ReadOnly opens without creating or migrating (for `check` and tests
	// of old files); writes fail.
	ReadOnly bool
}

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
	if !opt.ReadOnly {
		if err := prepareFile(path); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// busy_timeout: a second caseworker's write waits (up to 10 s) instead of
	// failing with "database is locked". _txlock=immediate takes the write
	// lock at BEGIN, so two writers never deadlock upgrading read locks.
	// synchronous=FULL in WAL mode: a transaction that reported success
	// survives a power cut (NORMAL could lose the last commits); the cost
	// is one fsync per commit, small next to a caseworker's keystroke.
	dsn := "file:" + path + "?_txlock=immediate" +
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)" +
		// 4 MiB of page cache a connection keeps browsing inside the 60 MB
		// memory target; bulk writes raise it for their own transaction.
		"&_pragma=cache_size(-4000)"
	if opt.ReadOnly {
		dsn += "&mode=ro"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// A few connections are plenty: the UI's queries are short, and each
	// connection holds its own page cache.
	db.SetMaxOpenConns(4)
	s := &Store{db: db, path: path, pack: opt.Pack, cal: opt.Calendar, now: opt.Now, urgency: DefaultUrgency(),
		packs: map[string]*domain.RulePack{opt.Pack.ID: opt.Pack}, mailReplyDays: opt.MailReplyDays, authority: opt.Authority}
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
	if err := s.migrate(opt.ReadOnly); err != nil {
		db.Close()
		return nil, err
	}
	if !opt.ReadOnly && !opt.NoRecalc {
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
	return s.db.Close()
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
func SchemaVersion() int { return len(migrations()) }

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

// migrate applies forward-only migrations. It reads the version before
// changing anything, so a newer file is refused untouched.
func (s *Store) migrate(readOnly bool) error {
	ctx := context.Background()
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("%s is not a caseload database (or is damaged): %w", s.path, err)
	}
	all := migrations()
	if v > len(all) {
		return fmt.Errorf("%w: %s has schema %d, this caseload knows up to %d; upgrade caseload (the file was not changed)",
			ErrNewerSchema, s.path, v, len(all))
	}
	if readOnly {
		if v < len(all) {
			return fmt.Errorf("%s has schema %d; open it once read-write to upgrade to %d", s.path, v, len(all))
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
const bulkCache = "PRAGMA cache_size = -65536"
const normalCache = "PRAGMA cache_size = -4000"

// tx runs f in one write transaction (BEGIN IMMEDIATE), retrying when
// another process holds the lock past the busy timeout.
func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	var err error
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
	_, err := s.db.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE;")
	return err
}
