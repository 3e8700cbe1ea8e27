package main

import (
	"bytes"
	"slices"
	"testing"

	"github.com/spf13/cobra"
)

// A command built alone must be the whole tree's command of that name:
// the same help, flags, arguments check and usage errors.
func TestStandaloneCommandIsTheTreesCommand(t *testing.T) {
	full := newRoot()
	for name := range standalone {
		args := []string{"--db", "/nonexistent/x.db", "--today=2026-11-23", "--plain", name}
		if got := commandName(args); got != name {
			t.Fatalf("commandName(%q) = %q", args, got)
		}
		alone := newRootForArgs(&globals{}, args)
		if n := len(alone.Commands()); n != 1 || alone.Commands()[0].Name() != name {
			t.Fatalf("%s: built %d commands", name, n)
		}
		var inTree *cobra.Command
		for _, c := range full.Commands() {
			if c.Name() == name {
				inTree = c
			}
		}
		if inTree == nil {
			t.Fatalf("%s is not a command of the whole tree", name)
		}
		if a, b := alone.Commands()[0].UsageString(), inTree.UsageString(); a != b {
			t.Errorf("%s: usage alone\n%s\nin the tree\n%s", name, a, b)
		}
		for _, extra := range [][]string{{"--help"}, {"--no-such-flag"}, {"a", "b", "c", "d"}} {
			line := append(slices.Clone(args), extra...)
			outA, codeA := runCaptured(newRootForArgs(&globals{}, line), line)
			outB, codeB := runCaptured(newRoot(), line)
			if outA != outB || codeA != codeB {
				t.Errorf("%v: alone (%v)\n%s\nin the tree (%v)\n%s", line, codeA, outA, codeB, outB)
			}
		}
	}
}

func runCaptured(root *cobra.Command, args []string) (string, string) {
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	code := ""
	if err != nil {
		code = err.Error()
	}
	return out.String(), code
}

// Only global flags may come before a command built alone; anything else
// (a command's own flag, help, a mistake) builds the whole tree.
func TestCommandNameOnlyAfterGlobalFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"find", "smi"}, "find"},
		{[]string{"--db", "x.db", "--user", "u", "--jurisdiction", "ftt-tax", "--no-color", "due"}, "due"},
		{[]string{"--db=find", "show"}, "show"},
		{[]string{"--db", "find"}, ""},
		{[]string{"--limit", "5", "find"}, ""},
		{[]string{"-h", "find"}, ""},
		{[]string{"help", "find"}, "help"},
		{[]string{}, ""},
	} {
		if got := commandName(c.args); got != c.want {
			t.Errorf("commandName(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}
