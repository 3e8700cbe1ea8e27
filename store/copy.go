package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// copyTables are the tables Copy moves, parents before the rows that
// refer to them. The lookup indexes (case_fts on SQLite, case_lookup on
// PostgreSQL) are rebuilt at the destination from what was copied.
var copyTables = []string{
	"users", "user_keys", "cases", "events", "deadlines", "inbox_actions", "case_contacts",
	"mail", "mail_attachments", "mail_events", "letters", "rules_audit", "sessions",
	"contacts", "contact_fts", "queries", "query_history", "support_needs", "fees", "payments", "counters",
}

// replacedTables hold what the destination wrote for itself when it was
// created (its zero counters, its first rules fingerprint): they are
// replaced by the source's rather than added to.
var replacedTables = []string{"counters", "rules_audit"}

// rowidTables number their rows with SQLite's implicit rowid, which a
// copy keeps (contact_fts: it is the contact's id; mail_attachments: the
// order of a message's attachments).
var rowidTables = []string{"contact_fts", "mail_attachments"}

// CopiedTable is what Copy did with one table.
type CopiedTable struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
	// Skipped: the destination already held the same number of rows (an
	// earlier copy that was interrupted after this table).
	Skipped bool `json:"skipped,omitempty"`
}

// Copy copies every case, event, deadline, message, attachment record,
// letter record, query and user from s into to, one transaction per table,
// and rebuilds to's lookup index. The destination must be empty or hold
// what an interrupted copy from the same source left: a table whose rows
// already number the source's is skipped, so running it again resumes; a
// table holding some other number of rows is refused, changing nothing
// more. Afterwards the row counts of both are compared; run Check on
// both. Attachment and letter files are not moved (see the README).
func (s *Store) Copy(ctx context.Context, to *Store, progress func(CopiedTable)) ([]CopiedTable, error) {
	if s.SchemaVersionOf(ctx) != to.SchemaVersionOf(ctx) {
		return nil, fmt.Errorf("the two databases have different schemas (%d and %d): open both with this caseload first",
			s.SchemaVersionOf(ctx), to.SchemaVersionOf(ctx))
	}
	files, err := s.rowsIn(ctx, "mail_attachments")
	if err != nil {
		return nil, err
	}
	letters, err := s.rowsIn(ctx, "letters")
	if err != nil {
		return nil, err
	}
	if files+letters > 0 {
		if err := to.filesRefused("copying attachments and letters"); err != nil {
			return nil, fmt.Errorf("the source has %d attachment(s) and %d letter(s), which are files: %w", files, letters, err)
		}
	}
	var out []CopiedTable
	for _, table := range copyTables {
		ct, err := s.copyTable(ctx, to, table)
		if err != nil {
			return out, fmt.Errorf("copy %s: %w", table, err)
		}
		out = append(out, ct)
		if progress != nil {
			progress(ct)
		}
	}
	if files+letters > 0 {
		n, err := copyMissingFiles(s.FilesDir(), to.FilesDir())
		if err != nil {
			return out, fmt.Errorf("copy the attachment and letter files: %w", err)
		}
		out = append(out, CopiedTable{Table: "files", Rows: n})
	}
	if err := to.longTx(ctx, func(tx *sql.Tx) error { return to.dialect.rebuildIndex(ctx, tx) }); err != nil {
		return out, fmt.Errorf("rebuild the lookup index: %w", err)
	}
	// Statistics for the planner, as after any bulk load.
	if err := to.Analyze(ctx); err != nil {
		return out, err
	}
	for _, ct := range out {
		if ct.Table == "files" {
			continue
		}
		n, err := to.rowsIn(ctx, ct.Table)
		if err != nil {
			return out, err
		}
		if n != ct.Rows {
			return out, fmt.Errorf("after the copy %s has %d rows at the destination, %d at the source", ct.Table, n, ct.Rows)
		}
	}
	return out, nil
}

func (s *Store) rowsIn(ctx context.Context, table string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n)
	return n, err
}

func (s *Store) copyTable(ctx context.Context, to *Store, table string) (CopiedTable, error) {
	ct := CopiedTable{Table: table}
	n, err := s.rowsIn(ctx, table)
	if err != nil {
		return ct, err
	}
	ct.Rows = n
	have, err := to.rowsIn(ctx, table)
	if err != nil {
		return ct, err
	}
	replace := slices.Contains(replacedTables, table)
	switch {
	case replace:
	case have == n && n > 0:
		ct.Skipped = true
		return ct, nil
	case have != 0:
		return ct, fmt.Errorf("the destination already has %d rows (the source %d): it is not an empty caseload, nor an interrupted copy of this one", have, n)
	}
	cols, err := columnsOf(ctx, to.db, table)
	if err != nil {
		return ct, err
	}
	if slices.Contains(rowidTables, table) && !slices.Contains(cols, "rowid") {
		cols = append([]string{"rowid"}, cols...)
	}
	order := "rowid"
	if slices.Contains(cols, "id") {
		order = "id"
	} else if !slices.Contains(cols, "rowid") {
		order = cols[0]
	}
	if s.pg && order == "rowid" && !slices.Contains(cols, "rowid") {
		order = cols[0]
	}
	err = to.longTx(ctx, func(tx *sql.Tx) error {
		if replace {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
				return err
			}
		}
		rows, err := s.db.QueryContext(ctx, "SELECT "+strings.Join(quoted(cols), ", ")+" FROM "+table+" ORDER BY "+order)
		if err != nil {
			return err
		}
		defer rows.Close()
		if to.pg {
			return to.pgCopyTable(ctx, tx, table, cols, rows)
		}
		// A hundred rows to a statement: a round trip per row would make
		// a million events an hour's copy.
		const batch = 100
		one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
		insert := func(k int, args []any) error {
			q := "INSERT INTO " + table + "(" + strings.Join(quoted(cols), ", ") + ") VALUES " +
				strings.TrimSuffix(strings.Repeat(one+",", k), ",")
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}
		var args []any
		k := 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			args = append(args, vals...)
			if k++; k == batch {
				if err := insert(k, args); err != nil {
					return err
				}
				args, k = args[:0], 0
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if k > 0 {
			if err := insert(k, args); err != nil {
				return err
			}
		}
		return to.dialect.afterCopy(ctx, tx, table, cols)
	})
	return ct, err
}

// columnsOf lists a table's columns as a query of it returns them.
func columnsOf(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+table+" LIMIT 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// quoted quotes the column names (user is a reserved word in PostgreSQL;
// "user" means the column in both).
func quoted(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = `"` + c + `"`
	}
	return out
}

// SchemaVersionOf is the schema the open database is at.
func (s *Store) SchemaVersionOf(ctx context.Context) int {
	var v int
	if s.pg {
		s.db.QueryRowContext(ctx, "SELECT version FROM caseload_schema").Scan(&v)
		return v
	}
	s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v
}

// copyMissingFiles copies the files under src that dest lacks (a resumed
// copy finds some there already, of the same size), in folders made 0700,
// files 0600 created exclusively without following links. It returns how
// many files dest holds from src.
func copyMissingFiles(src, dest string) (int64, error) {
	var n int64
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == src {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dest, rel)
		if d.IsDir() {
			if err := os.MkdirAll(to, 0o700); err != nil {
				return err
			}
			return privateDir(to)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if have, err := os.Lstat(to); err == nil {
			if !have.Mode().IsRegular() || have.Size() != fi.Size() {
				return fmt.Errorf("%s is already there and differs from %s", to, path)
			}
			n++
			return nil
		}
		if err := copyNew(path, to); err != nil {
			return err
		}
		n++
		return nil
	})
	return n, err
}
