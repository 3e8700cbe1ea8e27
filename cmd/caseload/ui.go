package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/adrg/xdg"

	"github.com/caseload/caseload/tui"
)

// runUI opens the terminal UI on the database at path ("" = the configured
// one).
func runUI(ctx context.Context, g *globals, path string) error {
	s, err := g.openAt(ctx, path)
	if err != nil {
		return err
	}
	defer s.store.Close()
	kb, err := officeKnowledgeBase()
	if err != nil {
		return err
	}
	return tui.Run(ctx, tui.Config{
		Store:        s.store,
		Packs:        s.store.Packs(),
		Calendar:     s.store.Calendar(),
		Today:        s.today,
		User:         s.user,
		Jurisdiction: s.jurisdiction,
		Plain:        g.plain || s.cfg.Plain,
		NoColor:      g.noColor || os.Getenv("NO_COLOR") != "",
		Keys:         s.cfg.Keys,
		ExportDir:    exportDirFor(s.store.Path()),
		Notice:       sentence(recalcNotice(s.store.RecalcAtOpen())),
		Knowledge:    kb,
	})
}

// exportDirFor is where the Reports screen's export writes: the default
// database's exports stay in $XDG_DATA_HOME/caseload/exports; any other
// (--db, $CASELOAD_DB, the demo) writes beside itself, in a folder named
// after it, so one caseload's reports never land in another's folder.
func exportDirFor(db string) string {
	if filepath.Clean(db) == filepath.Join(xdg.DataHome, "caseload", "caseload.db") {
		return filepath.Join(xdg.DataHome, "caseload", "exports")
	}
	return strings.TrimSuffix(db, filepath.Ext(db)) + "-exports"
}

// sentence starts a line for the status bar with a capital.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
