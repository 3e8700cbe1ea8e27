package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/store"
)

func (s *session) ctx() context.Context {
	return store.InJurisdiction(context.Background(), s.jurisdiction)
}

// safe makes text from the database harmless on a terminal: control
// characters, bidi overrides and zero-width characters become visible
// placeholders instead of being obeyed.
func safe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return '�'
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || (r >= 0x200b && r <= 0x200f) || r == 0xfeff:
			return '�'
		case !unicode.IsPrint(r) && !unicode.IsSpace(r):
			return '�'
		}
		return r
	}, s)
}

// safeClip is safe with a cap on length, for table columns.
func safeClip(s string, n int) string {
	r := []rune(safe(s))
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return string(r)
}

// restore replaces the database with a checked backup, keeping the old file.
func restore(cmd *cobra.Command, g *globals, backup string) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	packs, cal, err := loadRules(cfg)
	if err != nil {
		return err
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
	today, err := g.todayDate()
	if err != nil {
		return err
	}
	path := g.dbPath(cfg)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".restoring"
	if err := copyFile(backup, tmp); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		kept := fmt.Sprintf("%s.before-restore-%s", path, today)
		// Fold the old WAL into the old file first so the kept copy is whole.
		if old, err := store.Open(path, store.Options{Pack: packs[0], Packs: packs[1:], Calendar: cal}); err == nil {
			old.DB().Exec("PRAGMA wal_checkpoint(TRUNCATE)")
			old.Close()
		}
		if err := os.Rename(path, kept); err != nil {
			return err
		}
		if _, err := os.Stat(path + ".files"); err == nil {
			if err := os.Rename(path+".files", kept+".files"); err != nil {
				return err
			}
		}
		fmt.Fprintf(cmd.OutOrStdout(), "kept the previous database as %s\n", kept)
	}
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if err := store.CopyAttachments(backup, path); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "restored %d cases from %s to %s\n", n, backup, path)
	return nil
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
