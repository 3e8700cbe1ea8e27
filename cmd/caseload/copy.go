package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/store"
)

func copyCmd(g *globals) *cobra.Command {
	var from, to string
	c := &cobra.Command{
		Use:   "copy --from DB --to DB",
		Short: "Copy a whole caseload between databases: an SQLite file and PostgreSQL, either way",
		Long: `Copy every case, event, deadline, mail message, attachment, letter, query and user from one caseload
database to another: an SQLite file to PostgreSQL (--to postgres://…) to share it between servers, or back
to a file for an offline copy. One transaction per table; the row counts are compared afterwards and both
sides are checked (caseload check). The destination must be empty or an interrupted copy of the same
source: run the same command again and it resumes, skipping the tables already copied. Attachment and
letter files go to the destination's files folder (files = "…" in config.toml, or CASELOAD_FILES, for
PostgreSQL); a copy that has files to move and nowhere to put them is refused before it starts.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return usageError{errors.New("name both databases: caseload copy --from caseload.db --to postgres://…")}
			}
			if from == to {
				return usageError{errors.New("--from and --to name the same database")}
			}
			src, err := g.openAt(cmd.Context(), from)
			if err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			defer src.store.Close()
			create := g.create
			g.create = true
			dst, err := g.openAt(cmd.Context(), to)
			g.create = create
			if err != nil {
				return fmt.Errorf("--to: %w", err)
			}
			defer dst.store.Close()
			out := cmd.OutOrStdout()
			// The source is checked while it is copied: the check reads it
			// (the replay is this process's work, the copy mostly the
			// destination server's), so the two share the machine instead
			// of taking turns, and the copy is not held up by it.
			ctx, cancel := context.WithCancel(cmd.Context())
			var source checked
			sourceDone := make(chan struct{})
			go func() {
				defer close(sourceDone)
				source.probs, source.n, source.err = src.store.Check(ctx)
			}()
			defer func() { cancel(); <-sourceDone }() // before the stores close
			_, err = src.store.Copy(ctx, dst.store, func(t store.CopiedTable) {
				switch {
				case t.Skipped:
					fmt.Fprintf(out, "%-16s %9d rows already there (an earlier copy): skipped\n", t.Table, t.Rows)
				default:
					fmt.Fprintf(out, "%-16s %9d rows copied\n", t.Table, t.Rows)
				}
			})
			if err != nil {
				return fmt.Errorf("copy stopped (run the same command again to resume): %w", err)
			}
			<-sourceDone
			for _, side := range []struct {
				name  string
				check func() checked
			}{
				{"source", func() checked { return source }},
				{"copy", func() checked {
					var c checked
					c.probs, c.n, c.err = dst.store.Check(ctx)
					return c
				}},
			} {
				c := side.check()
				if c.err != nil {
					return fmt.Errorf("check the %s: %w", side.name, c.err)
				}
				for _, p := range c.probs {
					fmt.Fprintf(out, "%s: %s: %s\n", side.name, p.Reference, p.Problem)
				}
				fmt.Fprintf(out, "checked the %s: %d cases, %d problem(s)\n", side.name, c.n, len(c.probs))
				if len(c.probs) > 0 {
					return exitError{1}
				}
			}
			return nil
		},
	}
	c.Flags().StringVar(&from, "from", "", "the database to copy: a file, or a postgres:// URL")
	c.Flags().StringVar(&to, "to", "", "where to copy it: a postgres:// URL, or a new file")
	return c
}

// checked is what a Check returned.
type checked struct {
	probs []store.CheckProblem
	n     int
	err   error
}
