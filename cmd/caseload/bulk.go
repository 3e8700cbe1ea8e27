package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/marks"
)

// bulkCmd does one piece of casework to several cases at once, as the
// UI's marked rows do: an event on each case, all in one transaction, and
// one undo for the lot.
func bulkCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "bulk",
		Short: "Flag, refer, assign or allocate several cases in one transaction, with one undo",
		Long: `Flag, refer, assign or allocate several cases at once: each case gets its own event, all in one
transaction, so one refusal refuses the lot (naming the case and the reason) and nothing is written.
It prints the batch's number: 'caseload bulk undo BATCH' compensates every event of it, again in one
transaction. (Snoozing several inbox items at once is the UI's: mark them, then z.)`,
	}
	var asJSON bool
	run := func(a func(args []string) (store.BulkAction, []string, error)) func(*cobra.Command, []string) error {
		return g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			action, refs, err := a(args)
			if err != nil {
				return usageError{err}
			}
			var ts []store.BulkTarget
			for _, r := range refs {
				ts = append(ts, store.BulkTarget{Reference: r})
			}
			b, err := s.store.Bulk(cmd.Context(), ts, action, s.act())
			if err != nil {
				return fmt.Errorf("nothing done: %w", err)
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), b)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s; batch %d (caseload bulk undo %d undoes it)\n", safe(marks.Done(action, b)), b.ID, b.ID)
			return nil
		})
	}
	verb := func(use, short string, min int, parse func(args []string) (store.BulkAction, []string, error)) *cobra.Command {
		sub := &cobra.Command{Use: use, Short: short, Args: cobra.MinimumNArgs(min), RunE: run(parse)}
		sub.Flags().BoolVar(&asJSON, "json", false, "print the batch as JSON")
		return sub
	}
	var note, reason string
	refer := verb("refer judge|registrar REF... --note TEXT", "refer every case to the judge or registrar with one note", 2,
		func(args []string) (store.BulkAction, []string, error) {
			a, err := marks.Parse(append([]string{"refer", args[0]}, strings.Fields(note)...))
			return a, args[1:], err
		})
	refer.Flags().StringVar(&note, "note", "", "the note for the judge or registrar (required)")
	allocate := verb("allocate TRACK REF... [--reason TEXT]", "allocate every case to a track (re-categorising needs --reason)", 2,
		func(args []string) (store.BulkAction, []string, error) {
			t, err := domain.ParseTrack(args[0])
			return store.BulkAction{Kind: store.BulkAllocate, Track: t, Why: reason}, args[1:], err
		})
	allocate.Flags().StringVar(&reason, "reason", "", "why, when a case already has a track")
	undo := &cobra.Command{
		Use:   "undo BATCH",
		Short: "undo every event of a bulk action, in one transaction",
		Args:  cobra.ExactArgs(1),
		RunE: g.withSession(func(cmd *cobra.Command, args []string, s *session) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageError{errors.New("BATCH is the number bulk printed")}
			}
			b, err := s.store.UndoBatch(cmd.Context(), id, s.act())
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), b)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Undid the bulk %s (batch %d): %d cases (%s)\n", b.Action, id, len(b.References), safe(marks.Refs(b.References)))
			return nil
		}),
	}
	undo.Flags().BoolVar(&asJSON, "json", false, "print what was undone as JSON")
	c.AddCommand(
		verb("flag FLAG REF...", "set a flag on every case", 2, func(args []string) (store.BulkAction, []string, error) {
			a, err := marks.Parse([]string{"flag", args[0]})
			return a, args[1:], err
		}),
		refer,
		verb("assign USER REF...", "give every case to a user", 2, func(args []string) (store.BulkAction, []string, error) {
			a, err := marks.Parse([]string{"assign", args[0]})
			return a, args[1:], err
		}),
		allocate, undo)
	return c
}
