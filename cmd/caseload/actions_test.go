package main

import (
	"slices"
	"testing"

	"github.com/caseload/caseload/domain"
)

// The UI's ":" grammar and the casework commands come from one table of
// actions: every action has its command, and every casework command its
// action, so the two cannot drift apart.
func TestCaseworkCommandsMatchTheActionTable(t *testing.T) {
	var cmds []string
	for _, c := range caseworkCmds(&globals{}) {
		cmds = append(cmds, c.Name())
	}
	// Steps and notes are commands of their own, reachable from ":" too.
	g := &globals{}
	steps := []string{eventCmd(g).Name(), noteCmd(g).Name(), undoCmd(g).Name(), groupCmd(g).Name(), queryCmd(g).Name()}
	var actions []string
	for _, a := range domain.Actions {
		if !slices.Contains(cmds, a.CommandName()) && !slices.Contains(steps, a.CommandName()) {
			t.Errorf("the : action %q has no command %q", a.Verb, a.CommandName())
		}
		actions = append(actions, a.CommandName())
	}
	for _, c := range append(cmds, steps...) {
		if !slices.Contains(actions, c) {
			t.Errorf("command %q has no : action in domain.Actions", c)
		}
	}
}
