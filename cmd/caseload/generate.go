package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/synthetic"
)

func generateCmd(g *globals) *cobra.Command {
	var cases int
	var seed int64
	c := &cobra.Command{
		Use:   "generate --cases N [--seed S]",
		Short: "Write a deterministic synthetic caseload of N cases into --db (for benchmarks and trials)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cases <= 0 {
				return usageError{errors.New("--cases must be a positive number")}
			}
			g.create = true
			s, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.store.Close()
			start := time.Now()
			sum, err := synthetic.Generate(cmd.Context(), s.store, synthetic.Options{Cases: cases, Seed: seed, Today: s.today, User: s.user,
				Progress: func(done int) {
					fmt.Fprintf(os.Stderr, "\r%d of %d cases", done, cases)
				}})
			fmt.Fprintln(os.Stderr)
			if err != nil {
				return err
			}
			took := time.Since(start)
			fmt.Fprintf(cmd.OutOrStdout(), "generated %d cases (%d events) in %s: %.0f cases/s\n", sum.Cases, sum.Events,
				took.Round(time.Millisecond), float64(sum.Cases)/took.Seconds())
			return nil
		},
	}
	c.Flags().IntVar(&cases, "cases", 0, "how many cases")
	c.Flags().Int64Var(&seed, "seed", 1, "the same seed gives the same caseload")
	return c
}

func demoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Open the UI on a fresh demo caseload (a temporary database unless --db is given)",
		Long: `Open the UI on a demo caseload of about 2,000 First-tier Tribunal (Tax) cases: a morning's new appeals
in the queue (some late), deadlines due this week and overdue, old cases going stale, and casework of
every kind; beside them a judicial review caseload in the Administrative Court and the Upper Tribunal
(IAC) (press J to switch jurisdiction), a morning's mail in the inbox, and a service centre's morning of
calls, webchats and emails with a complaint, support needs and an unpaid fee (caseload query list). The database is a temporary file, removed on exit, unless --db names one (which must not
already hold cases).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := g.db
			if path == "" && store.IsURL(os.Getenv("CASELOAD_DB")) {
				// A PostgreSQL database named in the environment is one
				// set up for the purpose (no one's caseload is a default
				// URL); a file there would be someone's caseload, and a
				// demo without --db stays a temporary file.
				path = os.Getenv("CASELOAD_DB")
			}
			made := ""
			if store.IsURL(path) {
				var err error
				if made, err = demoFilesFolder(); err != nil {
					return err
				}
			}
			if path == "" {
				dir, err := os.MkdirTemp("", "caseload-demo-")
				if err != nil {
					return err
				}
				path = filepath.Join(dir, "demo.db")
				defer removeDemo(cmd.ErrOrStderr(), dir, exportDirFor(path))
			}
			g.create = true
			s, err := g.openAt(cmd.Context(), path)
			if err != nil {
				return err
			}
			counts, err := s.store.Counts(cmd.Context(), s.today)
			if err == nil && counts.Open > 0 {
				s.store.Close()
				if made != "" {
					os.Remove(made)
				}
				return fmt.Errorf("%s already holds cases: give a new file for the demo", path)
			}
			if made != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "caseload: the demo's attachments and letters are kept in %s (CASELOAD_FILES=%s to see them again)\n", made, made)
			}
			_, err = synthetic.Demo(cmd.Context(), s.store, s.today, s.user)
			s.store.Close()
			if err != nil {
				return err
			}
			return runUI(cmd.Context(), g, path)
		},
	}
}

// demoFilesFolder gives a demo on PostgreSQL the files folder its mail
// attachments and letters need, when none is configured: a new 0700 folder
// (CASELOAD_FILES for this process and the UI it opens), kept, as the
// database is, so the attachments are there again with CASELOAD_FILES set
// to it. It returns the folder made ("" when one was configured).
func demoFilesFolder() (string, error) {
	cfg, err := loadConfig()
	if err != nil {
		return "", err
	}
	if filesDir(cfg) != "" {
		return "", nil
	}
	dir, err := os.MkdirTemp("", "caseload-demo-files-")
	if err != nil {
		return "", err
	}
	return dir, os.Setenv("CASELOAD_FILES", dir)
}

// removeDemo removes a temporary demo database, keeping the reports
// exported from it (and saying where): an export is never lost silently.
func removeDemo(w io.Writer, dir, exports string) {
	if files, _ := os.ReadDir(exports); len(files) > 0 {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if p := filepath.Join(dir, e.Name()); p != exports {
				os.RemoveAll(p)
			}
		}
		fmt.Fprintf(w, "The demo's database is removed; its exported reports are kept in %s\n", exports)
		return
	}
	os.RemoveAll(dir)
}
