// Command caseload is a keyboard-driven triage tool for caseworkers in UK
// tribunals. This package only reads flags and wires the domain, the store
// and the terminal UI together.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// exitError carries an exit status with a message already printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// run executes the command line and returns the exit status. Errors are
// printed as one plain sentence on stderr; a panic is reported without a
// stack trace, since a caseworker cannot act on one.
func run(ctx context.Context, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "caseload: internal error: %v\nPlease report this; your data has not been changed by the failed command.\n", r)
			code = 70
		}
	}()
	// The XDG directories are read from the environment as it is now (the
	// library reads them once, at start; tests run many commands in one process).
	xdg.Reload()
	// CASELOAD_CPUPROFILE=FILE writes a CPU profile of the whole command
	// (BENCHMARKS.md: profile before optimising).
	if path := os.Getenv("CASELOAD_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	root := newRootForArgs(&globals{}, args)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	// Errors quote file names, message headers and case text: never let
	// them reach the terminal raw.
	fmt.Fprintln(os.Stderr, "caseload:", safeLines(err.Error()))
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// usageError marks a mistake in how the command was called.
type usageError struct{ error }

func newRoot() *cobra.Command { return newRootFor(&globals{}) }

// newRootFor builds the command line on g (serve.go runs it for SSH users
// with g.shared set).
func newRootFor(g *globals) *cobra.Command {
	root := newBareRoot(g)
	root.AddCommand(
		importCmd(g), queueCmd(g), categoriseCmd(g), undoCmd(g), eventCmd(g), noteCmd(g), showCmd(g),
		findCmd(g), dueCmd(g), exportCmd(g), backupCmd(g), restoreCmd(g), copyCmd(g), rulesCmd(g), checkCmd(g), recalcCmd(g), demoCmd(g),
		generateCmd(g),
	)
	root.AddCommand(caseworkCmds(g)...)
	root.AddCommand(inboxCmd(g), oldCmd(g), groupCmd(g), reportCmd(g), mailCmd(g))
	root.AddCommand(serviceCentreCmds(g)...)
	root.AddCommand(letterCmd(g))
	root.AddCommand(litigationCmds(g)...)
	root.AddCommand(teamCmds(g)...)
	root.AddCommand(bulkCmd(g))
	usageArgs(root)
	return root
}

// standalone are the read commands a command line may build alone: the
// whole tree is some seventy commands and their flags, a thirtieth of a
// short command's run. TestStandaloneCommandIsTheTreesCommand keeps each
// the same as in the whole tree.
var standalone = map[string]func(*globals) *cobra.Command{
	"find": findCmd, "due": dueCmd, "show": showCmd, "queue": queueCmd, "inbox": inboxCmd,
	"export": exportCmd, "check": checkCmd, "rules": rulesCmd, "report": reportCmd,
}

// newRootForArgs is newRootFor, or the root with only the command args
// run when that is one of standalone and nothing before it but the global
// flags (anything else, help and mistakes included, gets the whole tree).
func newRootForArgs(g *globals, args []string) *cobra.Command {
	if build := standalone[commandName(args)]; build != nil {
		root := newBareRoot(g)
		root.AddCommand(build(g))
		usageArgs(root)
		return root
	}
	return newRootFor(g)
}

// commandName is the command args name, when only global flags come
// before it ("" otherwise).
func commandName(args []string) string {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--db" || a == "--today" || a == "--user" || a == "--jurisdiction":
			i++ // the flag's value
		case a == "--plain" || a == "--no-color" || strings.HasPrefix(a, "--db=") || strings.HasPrefix(a, "--today=") ||
			strings.HasPrefix(a, "--user=") || strings.HasPrefix(a, "--jurisdiction="):
		case strings.HasPrefix(a, "-"):
			return ""
		default:
			return a
		}
	}
	return ""
}

// newBareRoot is the root command with its flags and no subcommands.
func newBareRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "caseload",
		Short: "Triage and case progression for UK tribunal caseworkers",
		Long: `caseload keeps a tribunal caseload in one local SQLite file: categorise new notices of appeal,
see what is due, look any case up as you type, and never lose a step of its history.

Run with no command to open the terminal UI on your database.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runUI(cmd.Context(), g, "")
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	g.register(root)
	root.CompletionOptions.DisableDefaultCmd = true
	return root
}

// usageArgs makes a wrong number of arguments, or an unknown command, a
// usage error (exit 2, as the README says) on every command.
func usageArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
}
