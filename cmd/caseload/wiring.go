package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

func (s *session) ctx() context.Context {
	return store.InJurisdiction(context.Background(), s.jurisdiction)
}

// safe makes text from the database harmless on a terminal, by the one
// rule set the UI uses too (domain.SafeLine).
func safe(s string) string { return domain.SafeLine(s) }

// safeLines is safe for text of several lines (errors joined from many
// problems): each line is made safe, the line breaks kept.
func safeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = domain.SafeLine(l)
	}
	return strings.Join(lines, "\n")
}

// safeClip is safe with a cap on length, for table columns.
func safeClip(s string, n int) string {
	r := []rune(safe(s))
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return string(r)
}

// restore replaces the database with a checked backup, keeping the old
// file (and its attachments) under a name never used before. It is all or
// nothing: until the backup is in place the old database stays where it was,
// and any step that fails puts back what earlier steps moved.
func restore(cmd *cobra.Command, g *globals, backup string) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	packs, cal, err := loadRules(cfg)
	if err != nil {
		return err
	}
	today, err := g.todayDate()
	if err != nil {
		return err
	}
	path, err := g.dbPath(cfg)
	if err != nil {
		return err
	}
	if store.IsURL(path) || store.IsURL(backup) {
		return errors.New("not supported on PostgreSQL: restore; use pg_restore (e.g. pg_restore --clean --if-exists --dbname 'URL' caseload.dump), " +
			"then `caseload check --db URL`; or `caseload copy --from BACKUP.db --to URL` into an empty database")
	}
	if same, err := sameFile(backup, path); err != nil {
		return err
	} else if same {
		return fmt.Errorf("%s is the database itself: nothing to restore (name a backup made by `caseload backup`)", backup)
	}
	b, err := store.Open(backup, store.Options{Pack: packs[0], Packs: packs[1:], Calendar: cal, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("backup %s: %w", backup, err)
	}
	probs, n, err := b.Check(cmd.Context())
	b.Close()
	if err != nil {
		return fmt.Errorf("backup %s: %w", backup, err)
	}
	if len(probs) > 0 {
		return fmt.Errorf("backup %s fails its check (%d problems, first: %s %s); not restored", backup, len(probs), probs[0].Reference, probs[0].Problem)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	lock, free, err := store.OwnDatabase(path)
	if err != nil {
		return err
	}
	if !free {
		return fmt.Errorf("%s is in use (the caseload UI or a command has it open): close caseload everywhere on this database, then restore; nothing was changed", path)
	}
	defer lock.Release()

	// Stage the backup and its attachments beside the database, so the
	// moves into place are renames on one file system.
	stage, err := os.MkdirTemp(dir, ".restoring-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	newDB := filepath.Join(stage, "db")
	if err := copyFile(backup, newDB); err != nil {
		return err
	}
	newFiles := filepath.Join(stage, "files")
	if err := store.CopyAttachments(backup, newDB); err != nil {
		return err
	}
	hasNewFiles := exists(newDB + ".files")
	if hasNewFiles {
		if err := os.Rename(newDB+".files", newFiles); err != nil {
			return err
		}
	}

	var undo []func()
	rollback := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	kept := ""
	if exists(path) {
		// Fold the old WAL into the old file first so the kept copy is whole.
		old, err := store.Open(path, store.Options{Pack: packs[0], Packs: packs[1:], Calendar: cal, Owned: true})
		if err != nil {
			return fmt.Errorf("%s: %w; not restored", path, err)
		}
		_, err = old.DB().Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		old.Close()
		if err != nil {
			return fmt.Errorf("%s: %w; not restored", path, err)
		}
		if kept, err = keepAside(path, today.String()); err != nil {
			return err
		}
		undo = append(undo, func() { os.Remove(kept) })
		if exists(path + ".files") {
			if err := os.Rename(path+".files", kept+".files"); err != nil {
				rollback()
				return fmt.Errorf("keep %s.files: %w; not restored", path, err)
			}
			undo = append(undo, func() { os.Rename(kept+".files", path+".files") })
		}
	}
	if hasNewFiles {
		if err := os.Rename(newFiles, path+".files"); err != nil {
			rollback()
			return fmt.Errorf("put attachments in place: %w; not restored", err)
		}
		undo = append(undo, func() { os.Rename(path+".files", newFiles) })
	}
	// The old WAL was checkpointed and truncated, and nobody else has the
	// file open (the lock): the WAL holds nothing the kept copy lacks.
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	if err := os.Rename(newDB, path); err != nil {
		rollback()
		return fmt.Errorf("put %s in place: %w; not restored", path, err)
	}
	syncDir(dir)
	if kept != "" {
		fmt.Fprintf(cmd.OutOrStdout(), "kept the previous database as %s\n", kept)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "restored %d cases from %s to %s\n", n, backup, path)
	return nil
}

// keepAside makes a second name for the database, never one already used
// (a hard link cannot replace a file), so every kept copy survives however
// many restores follow. Where links are not supported the file is copied.
func keepAside(path, date string) (string, error) {
	for i := 1; i < 1000; i++ {
		kept := fmt.Sprintf("%s.before-restore-%s", path, date)
		if i > 1 {
			kept = fmt.Sprintf("%s-%d", kept, i)
		}
		if exists(kept + ".files") {
			continue
		}
		err := os.Link(path, kept)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			f, cerr := os.OpenFile(kept, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if errors.Is(cerr, fs.ErrExist) {
				continue
			}
			if cerr != nil {
				return "", fmt.Errorf("keep %s: %w; not restored", path, cerr)
			}
			f.Close()
			if err := copyFile(path, kept); err != nil {
				os.Remove(kept)
				return "", fmt.Errorf("keep %s: %w; not restored", path, err)
			}
		}
		return kept, nil
	}
	return "", fmt.Errorf("keep %s: too many kept copies; move some away", path)
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// sameFile reports whether a and b name one file (a missing b is not a).
func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, fmt.Errorf("backup %s: %w", a, err)
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, nil
	}
	return os.SameFile(fa, fb), nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
