package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// allRows stands for --limit 0 (all) where the store needs a number.
const allRows = 1 << 30

// readLimit is what to ask the store for: one more than --limit, so a
// cut can be told from an exact fit; everything for --limit 0.
func readLimit(limit int) int {
	if limit <= 0 {
		return allRows
	}
	return limit + 1
}

// cut keeps the first limit rows and says on stderr, never silently, how
// many were left out (total is the exact count when known, else -1) and
// how to see them.
func cut[T any](cmd *cobra.Command, rows []T, limit, total int, what string) []T {
	if limit <= 0 || len(rows) <= limit {
		return rows
	}
	left := "more"
	if total > limit {
		left = fmt.Sprintf("%d more", total-limit)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%s: showing the first %d %s; %s left out: --limit N shows more, --limit 0 shows all\n",
		cmd.Name(), limit, what, left)
	return rows[:limit]
}

// listReportsOr lists the reports (from the command's help) when no name
// is given, and runs run otherwise.
func listReportsOr(run func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return run(cmd, args)
		}
		long := cmd.Long
		if i := strings.Index(long, "\n\n"); i >= 0 {
			long = long[i+2:]
		}
		fmt.Fprintln(cmd.OutOrStdout(), "Reports (caseload report NAME):")
		fmt.Fprintln(cmd.OutOrStdout(), long)
		return nil
	}
}
