package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// postgres is the PostgreSQL dialect: the store's SQL is written for
// SQLite and rewritten here, statement by statement, on its way to the
// server (rebind), so the rest of the store has one copy of every query.
// The schema (migrations/postgres) supplies the few SQLite functions the
// queries use (json_extract, group_concat, julianday) and a case-blind
// collation named nocase.
type postgres struct{}

func (postgres) name() string { return "PostgreSQL" }

func (postgres) unindexCase(context.Context, *sql.Tx, int64) error { return nil }

// indexCase writes the case's tsvector from the same values SQLite's index
// is fed (ftsSelect), replacing what was there.
func (postgres) indexCase(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_lookup(case_id, k, doc)
		SELECT ?, f.k, caseload_doc(f.r, f.a, f.rp, f.h, f.g, f.n) || caseload_tags(f.t) FROM (`+ftsSelect+`) AS f(k, r, a, rp, h, g, n, t)
		ON CONFLICT (case_id) DO UPDATE SET k = excluded.k, doc = excluded.doc`, id, id)
	return err
}

func (p postgres) retag(ctx context.Context, tx *sql.Tx, id int64, _ string) error {
	return p.indexCase(ctx, tx, id)
}

// checkTags compares each case's '#' lexemes with those its row gives.
func (postgres) checkTags(ctx context.Context, tx *sql.Tx, _ map[string][]string) ([]CheckProblem, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.reference FROM cases c LEFT JOIN case_lookup l ON l.case_id = c.id
		WHERE l.case_id IS NULL OR ARRAY(SELECT x FROM unnest(tsvector_to_array(l.doc)) AS x WHERE left(x, 1) = '#' ORDER BY x)
			IS DISTINCT FROM ARRAY(SELECT x FROM unnest(tsvector_to_array(caseload_tags(`+lookupTagsSQL+`))) AS x ORDER BY x)
		ORDER BY c.id LIMIT 100`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CheckProblem
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		out = append(out, CheckProblem{ref, "the lookup index does not hold its track, status, subject and jurisdiction as its row has them"})
	}
	return out, rows.Err()
}

// lookupJoins: the words through the lookup configuration, the qualifier
// terms as they are (caseload_tags: #statusnew, …), which no word can
// reach (a word's lexemes start with a letter or a digit).
//
// GIN does not read its matches in key order, so no one plan is bounded
// for every query. Walking the key index newest first stops at the page
// for common words but walks the whole table for a word on a few cases or
// none; the GIN index answers a rare word at once, but unions the entries
// of every lexeme a short prefix ('re':*, 'j':*) or a common qualifier
// covers, and visits the heap row of every match. The planner chooses
// from the lexeme statistics, which cannot tell a prefix that matches
// nothing from a common one ("trac", "loss relief" at 1M: 300–500 ms
// walked). So:
//   - the walk comes first, bounded to the lookupWalk newest entries (a
//     few ms; a query on one case in lookupWalk/page fills the page), the
//     query a sub-select, hidden from the planner, so it plans at once;
//   - when it does not fill the page, each word is counted in the
//     lookupSample newest entries: those found in none are rare,
//     and the GIN index is asked for them alone (fenced, OFFSET 0, so the
//     planner cannot walk instead), the whole query checked on each match;
//   - when every word is common and only their combination rare, the
//     planner's statement (plainLookupJoin), whose estimates of common
//     lexemes are right, over the entries older than the walk's.
func (postgres) lookupJoins(ctx context.Context, s *Store, words, tags []string, _ map[string][]string, try func(string, []any, bool) (bool, error)) (bool, error) {
	q := tsQuery(words)
	if q == "" {
		return false, nil
	}
	plain, plainArgs, _ := plainLookupJoin(words, tags)
	if lookupPlain {
		_, err := try(plain, plainArgs, false)
		return true, err
	}
	match := "to_tsquery('caseload_lookup', ?)"
	if len(tags) > 0 {
		match = "(to_tsquery('caseload_lookup', ?) && CAST(? AS tsquery))"
	}
	if full, err := try(" JOIN (SELECT case_id, k, doc FROM case_lookup ORDER BY k DESC LIMIT "+fmt.Sprint(lookupWalk)+
		") f ON f.case_id = c.id AND f.doc @@ (SELECT "+match+")", plainArgs, false); full || err != nil {
		return true, err
	}
	// Each word its own tsquery. The qualifiers are not counted: the
	// newest cases are new, with no track, so the sample would call a
	// track rare that the GIN index holds for a third of the cases; the
	// planner knows their frequency (whole lexemes, in its statistics).
	var terms, counts []string
	var termArgs []any
	for _, part := range tsQueryParts(words) {
		terms, termArgs = append(terms, "to_tsquery('caseload_lookup', ?)"), append(termArgs, part)
	}
	for _, t := range terms {
		counts = append(counts, "count(*) FILTER (WHERE doc @@ "+t+")")
	}
	rows, err := s.query(ctx, "SELECT "+strings.Join(counts, ", ")+" FROM (SELECT doc FROM case_lookup ORDER BY k DESC LIMIT "+
		fmt.Sprint(lookupSample)+") f", termArgs...)
	if err != nil {
		return true, err
	}
	n := make([]int64, len(terms))
	dest := make([]any, len(terms))
	for i := range n {
		dest[i] = &n[i]
	}
	for rows.Next() {
		err = rows.Scan(dest...)
	}
	if err = errors.Join(err, rows.Close(), rows.Err()); err != nil {
		return true, err
	}
	var rare []string
	var rareArgs []any
	for i, c := range n {
		if c == 0 {
			rare, rareArgs = append(rare, terms[i]), append(rareArgs, termArgs[i])
		}
	}
	if len(rare) == 0 {
		// On from where the walk stopped, not again from the newest.
		_, err := try(plain+" AND f.k < (SELECT min(k) FROM (SELECT k FROM case_lookup ORDER BY k DESC LIMIT "+
			fmt.Sprint(lookupWalk)+") w)", plainArgs, true)
		return true, err
	}
	_, err = try(" JOIN (SELECT case_id, k FROM case_lookup WHERE doc @@ ("+strings.Join(rare, " && ")+") AND ts_match_vq(doc, "+match+
		") OFFSET 0) f ON f.case_id = c.id", append(rareArgs, plainArgs...), false)
	return true, err
}

// lookupWalk is how many of the newest entries the first lookup join
// walks (0.3 µs an entry at 1M), lookupSample how many the terms are
// counted in; variables for the test that makes every join answer.
var lookupWalk, lookupSample = 10000, 2000

// lookupPlain makes lookupJoins the one statement the planner chooses
// for (plainLookupJoin), for the test that compares the two.
var lookupPlain = false

// plainLookupJoin is the lookup as one statement, the planner choosing
// between the key index and the GIN index.
func plainLookupJoin(words, tags []string) (string, []any, bool) {
	q := tsQuery(words)
	if q == "" {
		return "", nil, false
	}
	if len(tags) == 0 {
		return " JOIN case_lookup f ON f.case_id = c.id AND f.doc @@ to_tsquery('caseload_lookup', ?)", []any{q}, true
	}
	return " JOIN case_lookup f ON f.case_id = c.id AND f.doc @@ (to_tsquery('caseload_lookup', ?) && CAST(? AS tsquery))",
		[]any{q, pgTags(tags)}, true
}

// pgTags is the tsquery of the qualifier terms, every one required.
func pgTags(tags []string) string {
	var t []string
	for _, tag := range tags {
		t = append(t, "'#"+strings.ReplaceAll(tag, "'", "''")+"'")
	}
	return strings.Join(t, " & ")
}

// tsQuery is ftsQuery for PostgreSQL: every word a prefix (its last part
// :*), all required. A word is cut into runs of letters and digits, as
// the index was (caseload_words): "TC/2026/01" is the phrase tc <-> 2026
// <-> 01:*. Only letters and digits reach to_tsquery, each part quoted, so
// nothing typed is read as an operator.
func tsQuery(words []string) string {
	return strings.Join(tsQueryParts(words), " & ")
}

// tsQueryParts are tsQuery's words, one tsquery each.
func tsQueryParts(words []string) []string {
	long := false
	for _, w := range words {
		long = long || len([]rune(w)) >= 2
	}
	var parts []string
	for _, w := range words {
		if long && len([]rune(w)) < 2 {
			continue
		}
		toks := strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(toks) == 0 {
			continue
		}
		for i, t := range toks {
			toks[i] = "'" + strings.ToLower(t) + "'"
		}
		parts = append(parts, "("+strings.Join(toks, " <-> ")+":*)")
	}
	return parts
}

// nextIDs takes ids from the table's sequence: other servers inserting at
// the same moment take theirs from the same sequence, so no two rows are
// ever given one id. The first batch is what the caller wants (one for a
// letter, a load's size), the rest a thousand at a time; the unused rest
// of a batch is a gap in the numbers, which SQLite's max + 1 does not
// leave, so a load that says its size numbers its rows as SQLite does.
func (postgres) nextIDs(ctx context.Context, tx *sql.Tx, table string, want int) (func() (int64, error), error) {
	var buf []int64
	batch := max(want, 1)
	return func() (int64, error) {
		if len(buf) == 0 {
			rows, err := tx.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)", table, batch)
			batch = 1000
			if err != nil {
				return 0, err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return 0, err
				}
				buf = append(buf, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return 0, err
			}
		}
		id := buf[0]
		buf = buf[1:]
		return id, nil
	}, nil
}

func (postgres) rebuildIndex(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM case_lookup"); err != nil {
		return err
	}
	// The GIN index and the key index are built once from the whole table.
	restore, err := pgDropIndexes(ctx, tx, "case_lookup", nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_lookup(case_id, k, doc) `+lookupRebuildSelect); err != nil {
		return err
	}
	for _, q := range restore {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// lookupRebuildSelect is ftsSelect for every case at once, written as
// one join: the cases beside their notes, each case's notes gathered by
// one grouped pass over the note events (in id order, as ftsSelect's
// subquery reads them through events_case) with the undone ones left out
// by one anti-join. ftsSelect as a subquery per case was an index probe
// (two with the undo test) per case: 79 of the 186 s that copying
// 100,000 cases took, when the planner had no statistics for the events
// just copied. TestPostgreSQLLookupRebuildAsIndexCase holds the two equal.
var lookupRebuildSelect = `SELECT c.search_key % ` + fmt.Sprint(keySpan) + `, c.search_key,
		caseload_doc(c.reference, c.appellant, c.representative, c.hmrc_reference, c.grounds, coalesce(n.text, '')) ||
		caseload_tags(` + lookupTagsSQL + `)
	FROM cases c LEFT JOIN (SELECT e.case_id, group_concat(json_extract(e.data, '$.text'), ' ' ORDER BY e.id) AS text
		FROM events e WHERE e.kind = 'note' AND NOT EXISTS (SELECT 1 FROM events u
			WHERE u.case_id = e.case_id AND u.kind = 'undone' AND CAST(json_extract(u.data, '$.undoes') AS BIGINT) = e.id)
		GROUP BY e.case_id) n ON n.case_id = c.id`

// afterCopy moves the sequences of the copied table past the ids it was
// given, so the next row PostgreSQL numbers does not take one of them.
func (postgres) afterCopy(ctx context.Context, tx *sql.Tx, table string, cols []string) error {
	for _, c := range []string{"id", "rowid"} {
		if !slices.Contains(cols, c) {
			continue
		}
		var seq sql.NullString
		if err := tx.QueryRowContext(ctx, "SELECT pg_get_serial_sequence(?, ?)", table, c).Scan(&seq); err != nil {
			return err
		}
		if !seq.Valid {
			continue
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval(?, max("`+c+`")) FROM `+table+` HAVING count(*) > 0`, seq.String); err != nil {
			return err
		}
	}
	return nil
}

// skipLocked locks the appeals a reservation takes for its transaction;
// one another server's transaction has locked (reserving it, or deciding
// it) is passed over, not waited for: SELECT … FOR UPDATE SKIP LOCKED.
func (postgres) skipLocked(alias string) string { return " FOR UPDATE OF " + alias + " SKIP LOCKED" }

// lockRow: SELECT … FOR UPDATE, the row locked until the transaction ends.
func (postgres) lockRow(alias string) string { return " FOR UPDATE OF " + alias }

// openPostgres connects to the database a postgres:// URL names.
func openPostgres(url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redactURL(url), err)
	}
	db := sql.OpenDB(rebindConnector{stdlib.GetConnector(*cfg)})
	db.SetMaxOpenConns(8)
	return db, nil
}

// redactURL hides a password in a URL shown in a message.
func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return u
	}
	cred := u[scheme+3 : at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return u[:scheme+3] + cred[:i] + ":***" + u[at:]
	}
	return u
}

// rebindConnector hands out connections that rewrite each statement.
type rebindConnector struct{ driver.Connector }

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn.(*stdlib.Conn)}, nil
}

type rebindConn struct{ *stdlib.Conn }

func (c *rebindConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(context.Background(), rebind(query))
}

func (c *rebindConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c *rebindConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(query), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(query), args)
}

// CheckNamedValue stores a Go bool as SQLite does, 1 or 0: the flags are
// integer columns in both schemas.
func (c *rebindConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		if b {
			nv.Value = int64(1)
		} else {
			nv.Value = int64(0)
		}
	}
	return nil
}

// rebind rewrites one statement of the store's SQLite SQL for PostgreSQL:
// ? and ?N placeholders become $N; the column name user (a reserved word
// there) is quoted; LIKE, which SQLite matches without regard to ASCII
// case, becomes ILIKE; SQLite's INDEXED BY hints are dropped. String
// literals, quoted names and comments are copied as they are.
func rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	next := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j + 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '$' && i+1 < len(q) && q[i+1] == '$':
			// A function body in a migration: copied whole.
			j := strings.Index(q[i+2:], "$$")
			if j < 0 {
				b.WriteString(q[i:])
				return b.String()
			}
			b.WriteString(q[i : i+2+j+2])
			i += 2 + j + 2
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			n := next + 1
			if j > i+1 {
				fmt.Sscan(q[i+1:j], &n)
			}
			next = max(next, n)
			fmt.Fprintf(&b, "$%d", n)
			i = j
		case isIdentStart(c):
			j := i
			for j < len(q) && isIdentPart(q[j]) {
				j++
			}
			w := q[i:j]
			switch {
			case strings.EqualFold(w, "user"):
				b.WriteString(`"user"`)
			case strings.EqualFold(w, "LIKE"):
				b.WriteString("ILIKE")
			case strings.EqualFold(w, "char") && j < len(q) && q[j] == '(':
				b.WriteString("chr")
			case strings.EqualFold(w, "CROSS"):
				// SQLite's CROSS JOIN … ON is an inner join in a fixed
				// order; PostgreSQL allows no ON after CROSS JOIN.
				j++
				for j < len(q) && (q[j] == ' ' || q[j] == '\t' || q[j] == '\n') {
					j++
				}
			case strings.EqualFold(w, "INDEXED"):
				// INDEXED BY name: skip the three words.
				k := j
				for n := 0; n < 2; n++ {
					for k < len(q) && (q[k] == ' ' || q[k] == '\t' || q[k] == '\n') {
						k++
					}
					for k < len(q) && isIdentPart(q[k]) {
						k++
					}
				}
				j = k
			default:
				b.WriteString(w)
			}
			i = j
		case isIdentPart(c):
			// A number: copied (so 1e9 is not split into a name).
			j := i
			for j < len(q) && isIdentPart(q[j]) {
				j++
			}
			b.WriteString(q[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

//go:embed migrations/postgres/*.sql
var postgresMigrations embed.FS

// postgresSchemas are the PostgreSQL migrations by the schema version each
// brings the database to (the number its file name starts with).
func postgresSchemas() (versions []int, texts []string) {
	entries, _ := fs.ReadDir(postgresMigrations, "migrations/postgres")
	for _, e := range entries {
		var v int
		if _, err := fmt.Sscanf(e.Name(), "%04d_", &v); err != nil {
			continue
		}
		b, _ := postgresMigrations.ReadFile("migrations/postgres/" + e.Name())
		versions, texts = append(versions, v), append(texts, string(b))
	}
	return versions, texts
}

// openPostgresStore opens the PostgreSQL database url names, bringing its
// schema up to date. There is no file: no use lock, no write gate;
// PostgreSQL's own locks order the writers of every server.
func openPostgresStore(url string, opt Options) (*Store, error) {
	db, err := openPostgres(url)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", redactURL(url), err)
	}
	s := newStore(db, url, false, opt)
	s.pg, s.dialect = true, postgres{}
	if opt.MustExist {
		var exists bool
		if err := db.QueryRowContext(ctx, "SELECT to_regclass('caseload_schema') IS NOT NULL").Scan(&exists); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", redactURL(url), err)
		}
		if !exists {
			db.Close()
			return nil, fmt.Errorf("%w at %s: create one with `caseload import FILE --db URL` (or `caseload copy --from FILE --to URL`)",
				ErrNoDatabase, redactURL(url))
		}
	}
	return s.start(opt.ReadOnly, opt)
}

// migrationLock is the advisory lock (an arbitrary number) held while a
// server migrates, so two starting at once do not both try.
const migrationLock = 7_317_001

// importLock is held by a long transaction (an import): imports from two
// servers take turns, as they do at SQLite's write gate.
const importLock = 7_317_002

func (s *Store) migratePostgres(ctx context.Context, readOnly bool) error {
	name := redactURL(s.path)
	versions, texts := postgresSchemas()
	latest := versions[len(versions)-1]
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLock)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, "SELECT to_regclass('caseload_schema') IS NOT NULL").Scan(&exists); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	v := 0
	if exists {
		if err := tx.QueryRowContext(ctx, "SELECT version FROM caseload_schema").Scan(&v); err != nil {
			return fmt.Errorf("%s is not a caseload database (or is damaged): %w", name, err)
		}
	} else {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").Scan(&n); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if n > 0 {
			return fmt.Errorf("%s has tables but is not a caseload database; not touching it", name)
		}
	}
	if v > latest {
		return fmt.Errorf("%w: %s has schema %d, this caseload knows up to %d; upgrade caseload (the database was not changed)",
			ErrNewerSchema, name, v, latest)
	}
	if v == latest {
		return nil
	}
	if readOnly {
		return fmt.Errorf("%s has schema %d; open it once read-write to upgrade to %d", name, v, latest)
	}
	for i, text := range texts {
		if versions[i] <= v {
			continue
		}
		if _, err := tx.ExecContext(ctx, text); err != nil {
			return fmt.Errorf("upgrade %s to schema %d: %w", name, versions[i], err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM caseload_schema"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO caseload_schema(version) VALUES (?)", latest); err != nil {
		return err
	}
	return tx.Commit()
}

// pgTx runs f in one SERIALIZABLE transaction, again when PostgreSQL
// chose it as the one to give way (a serialisation failure or deadlock).
// Serializable is what SQLite's one writer at a time gives every command
// for free: each reads what it decides on (is the case still new? who owns
// it?) and PostgreSQL guarantees the outcome is that of some order of the
// transactions one at a time, so two servers never both take one case.
// exclusive: an import, which waits for any other server's import first.
func (s *Store) pgTx(ctx context.Context, exclusive bool, f func(*sql.Tx) error) error {
	return s.pgTxAt(ctx, sql.LevelSerializable, exclusive, f)
}

// pgLockTx is pgTx at READ COMMITTED, for the queue reservations
// (reservations.go): row locks taken with SKIP LOCKED and ON CONFLICT
// decide who holds what there. Under SERIALIZABLE every two reservations
// read the same few rows of the small table, so PostgreSQL made most of
// them (and the decisions whose trigger lets a reservation go) give way
// and retry, until decisions failed as busy.
func (s *Store) pgLockTx(ctx context.Context, f func(*sql.Tx) error) error {
	return s.pgTxAt(ctx, sql.LevelReadCommitted, false, f)
}

func (s *Store) pgTxAt(ctx context.Context, level sql.IsolationLevel, exclusive bool, f func(*sql.Tx) error) error {
	var err error
	// Several servers' caseworkers deciding at once all add to the same
	// counters, so all but one give way each round: a decision keeps
	// trying for a few seconds (ten tries were used up by six caseworkers
	// on two servers working one queue) before it is refused as busy.
	giveUp := time.Now().Add(pgRetryFor)
	for attempt := 0; attempt == 0 || time.Now().Before(giveUp); attempt++ {
		err = s.pgTx1(ctx, level, exclusive, f)
		var pe *pgconn.PgError
		if err == nil || !errors.As(err, &pe) || (pe.Code != "40001" && pe.Code != "40P01") {
			return err
		}
		// Jittered, so the transactions that gave way do not meet again.
		time.Sleep(time.Duration(min(5*(attempt+1), 50)+rand.IntN(min(20*(attempt+1), 200))) * time.Millisecond)
	}
	return fmt.Errorf("the database is busy with another caseworker's change; try again: %w", err)
}

// pgTx1 is one attempt of pgTx, on a connection of its own that
// pgCopyFrom finds by the transaction.
func (s *Store) pgTx1(ctx context.Context, level sql.IsolationLevel, exclusive bool, f func(*sql.Tx) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: level})
	if err != nil {
		return err
	}
	s.pgConns.Store(tx, conn)
	defer s.pgConns.Delete(tx)
	if exclusive {
		_, err = tx.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", importLock))
	}
	if err == nil {
		err = f(tx)
	}
	if err == nil {
		// Delivered at commit, to every server's Watch.
		_, err = tx.ExecContext(ctx, "SELECT pg_notify('"+changesChannel+"', '')")
	}
	if err == nil {
		return tx.Commit()
	}
	tx.Rollback()
	return err
}

// pgRetryFor is how long a transaction PostgreSQL made give way is tried
// again before it is refused as busy.
const pgRetryFor = 8 * time.Second

// changesChannel is the LISTEN/NOTIFY channel every committed write is
// announced on.
const changesChannel = "caseload_changes"

// watchPostgres is Watch on PostgreSQL: it listens on a connection of its
// own for the notice every write transaction sends at commit, from this
// server or any other, and calls changed at most once per interval.
func (s *Store) watchPostgres(ctx context.Context, interval time.Duration, changed func()) error {
	cfg, err := pgx.ParseConfig(s.path)
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		err := listen(ctx, cfg, interval, changed)
		if ctx.Err() != nil {
			return nil
		}
		// The server went away (a failover, a restart): listen again, and
		// refresh, since changes may have been missed meanwhile.
		_ = err
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
		changed()
	}
	return nil
}

func listen(ctx context.Context, cfg *pgx.ConnConfig, interval time.Duration, changed func()) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return err
	}
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		// A burst of commits is one refresh: drain what arrives within
		// the interval (a timeout leaves the connection usable).
		burst, cancel := context.WithTimeout(ctx, interval)
		for {
			if _, err := conn.WaitForNotification(burst); err != nil {
				break
			}
		}
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		changed()
	}
}
