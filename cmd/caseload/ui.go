package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/adrg/xdg"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui"
	"github.com/caseload/caseload/tui/letter"
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
	notice := sentence(recalcNotice(s.store.RecalcAtOpen()))
	// A broken template of the office's own turns letters off, not the UI:
	// the day's other work goes on, and the status line says why.
	var desk letter.Desk
	if all, err := loadTemplates(); err != nil {
		notice = strings.TrimSpace(notice + " Letters are off: " + err.Error())
	} else {
		desk = s.desk(all)
	}
	editor, noEditor := uiEditor()
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
		Notice:       notice,
		Knowledge:    kb,
		Letters:      desk,
		Editor:       editor,
		NoEditor:     noEditor,
	})
}

// exportDirFor is where the Reports screen's export writes: the default
// database's exports stay in $XDG_DATA_HOME/caseload/exports; any other
// (--db, $CASELOAD_DB, the demo) writes beside itself, in a folder named
// after it, so one caseload's reports never land in another's folder. A
// PostgreSQL URL is no place on this machine (a folder named after it would
// land in the working directory, its password in the name): its exports
// are the user's own, in $XDG_DATA_HOME/caseload/exports.
func exportDirFor(db string) string {
	if store.IsURL(db) || filepath.Clean(db) == filepath.Join(xdg.DataHome, "caseload", "caseload.db") {
		return filepath.Join(xdg.DataHome, "caseload", "exports")
	}
	return strings.TrimSuffix(db, filepath.Ext(db)) + "-exports"
}

// uiEditor is the command the UI edits a letter's draft with: $EDITOR,
// else $VISUAL, else vi or nano if installed; with none, why says what to
// do (the draft can still be saved as drafted).
func uiEditor() (editor, why string) {
	for _, e := range []string{os.Getenv("EDITOR"), os.Getenv("VISUAL")} {
		if strings.TrimSpace(e) != "" {
			return e, ""
		}
	}
	for _, e := range []string{"vi", "nano"} {
		if _, err := exec.LookPath(e); err == nil {
			return e, ""
		}
	}
	return "", "no editor found: set $EDITOR; enter saves the draft as it is"
}

// sentence starts a line for the status bar with a capital.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
