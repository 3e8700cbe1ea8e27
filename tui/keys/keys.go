// Package keys is the UI's key map: every binding with its help text,
// rebindable from the [keys] table of config.toml.
package keys

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// KeyMap holds every binding. Field names, lower-cased with underscores,
// are the names used in config.toml: accept = ["enter", "a"].
type KeyMap struct {
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding
	NextTab, PrevTab                        key.Binding
	Inbox, Queue, Due, Cases, Search        key.Binding
	Open, Back, Help, Quit, ForceQuit       key.Binding

	Accept, Paper, Basic, Standard, Complex key.Binding
	Undo, Note, Skip                        key.Binding

	// Judicial review triage: the stage, and priority decisions.
	PreAction, ClaimIssued, Urgent, Ministerial, Media, Recommend key.Binding
	// Jurisdiction switches the whole UI between jurisdictions and all.
	Jurisdiction key.Binding
	// Correspondence: link a message to a case, record the reply.
	Link, Replied key.Binding

	Snooze, Done key.Binding
	// Snoozed shows the inbox's snoozed items (Undo brings one back).
	Snoozed key.Binding
	// Met records the step that meets the selected deadline (Due, the case pane).
	Met key.Binding
	// CaseInFull opens the whole case behind the queue card (back with esc).
	CaseInFull key.Binding

	Recategorise, FilterTrack, FilterStatus, FilterLate, Sort key.Binding

	Action key.Binding // casework on the open case: return, flag, refer, direction, …

	Progress, Editor, OldCases              key.Binding
	Reports, NextReport, PrevReport, Export key.Binding

	// Prompts and search: answer, give up, complete a suggestion.
	Submit, Cancel, Complete key.Binding
	// Older and Newer recall the answers given before (the ":" line).
	Older, Newer key.Binding
	// Expand shows the open case or message full screen (and back).
	Expand key.Binding
	// The stages a judicial review moves to when re-categorised, beside
	// PreAction and ClaimIssued.
	StagePaper, StageOral, StageSubstantive key.Binding
	// Work opens and closes the team's work screens (team server); on
	// them, the lists (My work, Available, All work), claiming, giving
	// back and assigning, and All work narrowed to one owner.
	Work                               key.Binding
	MyWork, Available, AllWork         key.Binding
	Take, Release, Assign, FilterOwner key.Binding
	// Letter writes a letter on the case selected or open: choose a
	// template, read the draft, edit it (LetterEdit), save it (LetterSave).
	// LetterTo addresses the draft to the next party.
	Letter, LetterEdit, LetterSave, LetterTo key.Binding

	// The service centre: the Queries tab, a new call from any screen
	// (NewQuery), the query's status, the knowledge base and filters, and
	// the call form's fields.
	Queries, NewQuery                               key.Binding
	Resolve, Waiting, PassOn, Article               key.Binding
	FilterChannel, FilterTopic, FilterQueryStatus   key.Binding
	NextField, PrevField, PickChannel, SaveResolved key.Binding
	SuggestUp, SuggestDown                          key.Binding

	// InboxKind cycles the inbox's views by kind (overdue, due, mail, …);
	// DueRange cycles how far ahead the Due screen looks.
	InboxKind, DueRange key.Binding
	// Bulk work: Mark marks a row of Inbox, Due, Cases or Search; the
	// casework action key then acts on every marked row, and UndoBatch
	// undoes the last bulk action.
	Mark, UndoBatch key.Binding

	// Reports: group by week or by month, ask for the date range, move it
	// a range earlier or later, and chart the next column.
	ByWeek, ByMonth, ReportRange, EarlierRange, LaterRange, ChartColumn key.Binding
}

// DefaultKeyMap is the map a caseworker gets unless config.toml says
// otherwise: vim keys and arrows, single keys for every decision.
func DefaultKeyMap() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return KeyMap{
		Up:                b("up", "k", "up"),
		Down:              b("down", "j", "down"),
		Top:               b("first", "g", "home"),
		Bottom:            b("last", "G", "end"),
		PageUp:            b("page up", "pgup", "ctrl+b"),
		PageDown:          b("page down", "pgdown", "ctrl+f"),
		NextTab:           b("next tab", "tab"),
		PrevTab:           b("previous tab", "shift+tab"),
		Inbox:             b("inbox", "1"),
		Queue:             b("queue", "2"),
		Due:               b("due", "3"),
		Cases:             b("cases", "4"),
		Search:            b("search", "/", "5"),
		Open:              b("open", "enter"),
		Back:              b("back", "esc"),
		Help:              b("help", "?"),
		Quit:              b("quit", "q"),
		ForceQuit:         b("quit now", "ctrl+c"),
		Accept:            b("accept suggestion", "enter", "a"),
		Paper:             b("Default Paper", "p"),
		Basic:             b("Basic", "b"),
		Standard:          b("Standard", "s"),
		Complex:           b("Complex", "c"),
		Undo:              b("undo last", "u"),
		Note:              b("note", "n"),
		Skip:              b("skip for now", "space"),
		Snooze:            b("snooze", "z"),
		Done:              b("done", "x"),
		Recategorise:      b("re-categorise", "r"),
		FilterTrack:       b("filter track", "f"),
		FilterStatus:      b("filter status", "t"),
		FilterLate:        b("late only", "l"),
		Sort:              b("sort", "o"),
		Action:            b("casework action", ":"),
		Progress:          b("progress an old case", "P"),
		Editor:            b("refer to a judge, note in $EDITOR", "E"),
		OldCases:          b("old cases only", "v"),
		Reports:           b("reports", "6"),
		NextReport:        b("next report", "]", "right"),
		PrevReport:        b("previous report", "[", "left"),
		Export:            b("export report as CSV", "e"),
		PreAction:         b("JR: pre-action", "p"),
		ClaimIssued:       b("JR: claim issued", "i"),
		Urgent:            b("JR: urgent consideration", "!"),
		Ministerial:       b("JR: ministerial interest", "m"),
		Media:             b("JR: media interest", "M"),
		Recommend:         b("JR: settle or defend, with a note", "D"),
		Jurisdiction:      b("switch jurisdiction", "J"),
		Link:              b("link mail to a case", "L"),
		Replied:           b("mail replied, with a summary", "R"),
		Submit:            b("answer", "enter"),
		Cancel:            b("cancel", "esc"),
		Complete:          b("complete", "tab"),
		Expand:            b("full screen", "+"),
		StagePaper:        b("JR: permission on the papers", "a"),
		StageOral:         b("JR: oral permission", "o"),
		StageSubstantive:  b("JR: substantive", "s"),
		Queries:           b("queries", "7"),
		NewQuery:          b("new query (a call)", "N"),
		Resolve:           b("resolve query", "r"),
		Waiting:           b("waiting on the user (on hold)", "h"),
		PassOn:            b("pass to a team", "p"),
		Article:           b("knowledge base", "a"),
		FilterChannel:     b("filter channel", "c"),
		FilterTopic:       b("filter topic", "t"),
		FilterQueryStatus: b("filter status", "s"),
		NextField:         b("next field", "tab"),
		PrevField:         b("previous field", "shift+tab"),
		PickChannel:       b("change channel", "ctrl+o"),
		SaveResolved:      b("save resolved", "ctrl+s"),
		SuggestUp:         b("previous match", "up"),
		SuggestDown:       b("next match", "down"),
		Work:              b("my work, available, all work", "w"),
		MyWork:            b("my work", "m"),
		Available:         b("available", "v"),
		AllWork:           b("all work", "A"),
		Take:              b("take", "t"),
		Release:           b("release", "r"),
		Assign:            b("assign to…", "g"),
		FilterOwner:       b("filter all work by owner", "o"),
		Letter:            b("write a letter from a template", "W"),
		LetterEdit:        b("edit in $EDITOR", "e"),
		LetterSave:        b("save", "enter"),
		LetterTo:          b("to another party", "t"),
		Snoozed:           b("snoozed items", "Z"),
		Met:               b("met", "X"),
		CaseInFull:        b("open the whole case", "o"),
		Older:             b("earlier answer", "up"),
		Newer:             b("later answer", "down"),
		InboxKind:         b("kind: all, overdue, due, mail, referrals, queue, old", "f"),
		DueRange:          b("range: 7, 14, 28 days, all", "r"),
		Mark:              b("mark for bulk work", "space", "ctrl+space"),
		UndoBatch:         b("undo the last bulk action", "U"),
		ByWeek:            b("by week (12 weeks)", "W"),
		ByMonth:           b("by month (12 months)", "M"),
		ReportRange:       b("date range", "d"),
		EarlierRange:      b("range earlier", "<"),
		LaterRange:        b("range later", ">"),
		ChartColumn:       b("chart the next column", "c"),
	}
}

// configName turns a field name into its config.toml key: PageUp -> page_up.
func configName(field string) string {
	var b strings.Builder
	for i, r := range field {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r | 0x20)
	}
	return b.String()
}

// Apply rebinds keys from config.toml's [keys] table; an unknown name is an
// error naming the known ones, so a typing error is not silently ignored.
func (k *KeyMap) Apply(overrides map[string][]string) error {
	v := reflect.ValueOf(k).Elem()
	names := map[string]int{}
	for i := 0; i < v.NumField(); i++ {
		names[configName(v.Type().Field(i).Name)] = i
	}
	for name, keys := range overrides {
		i, ok := names[name]
		if !ok {
			var known []string
			for n := range names {
				known = append(known, n)
			}
			sort.Strings(known)
			return fmt.Errorf("config.toml [keys]: no action called %q (actions: %s)", name, strings.Join(known, ", "))
		}
		if len(keys) == 0 {
			return fmt.Errorf("config.toml [keys]: %s needs at least one key", name)
		}
		b := v.Field(i).Addr().Interface().(*key.Binding)
		b.SetKeys(keys...)
		b.SetHelp(keys[0], b.Help().Desc)
	}
	return nil
}
