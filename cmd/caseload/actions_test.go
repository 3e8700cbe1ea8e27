package main

import (
	"slices"
	"strings"
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
	// The litigator's commands (issue 19), but for the read-only view.
	for _, c := range litigationCmds(&globals{}) {
		if c.Name() != "litigation" {
			cmds = append(cmds, c.Name())
		}
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

// Each subcommand of a litigation command that records an event is a word
// of its ":" action (part36 offer|accept|withdraw|change, …).
func TestLitigationSubcommandsAreInTheirAction(t *testing.T) {
	for _, c := range litigationCmds(&globals{}) {
		i := slices.IndexFunc(domain.Actions, func(a domain.Action) bool { return a.CommandName() == c.Name() })
		if i < 0 {
			continue // the read-only view
		}
		for _, sub := range c.Commands() {
			if sub.Name() == "list" || sub.Name() == "levels" {
				continue
			}
			if !strings.Contains(domain.Actions[i].Args, sub.Name()) {
				t.Errorf("%s %s: not in the : action's words %q", c.Name(), sub.Name(), domain.Actions[i].Args)
			}
		}
	}
}
