// Package tui is caseload's terminal UI: the root model routes messages
// between the screens, draws the header, tabs and status line, and runs
// every database call as a command so a keystroke never waits on disk.
package tui

import (
	"context"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/report"
	"github.com/caseload/caseload/tui/marks"
	"github.com/caseload/caseload/tui/queries"
)

// Store is all the UI needs of the database. *store.Store implements it.
type Store interface {
	Counts(ctx context.Context, today domain.Date) (store.Counts, error)
	Queue(ctx context.Context, limit int) ([]store.CaseRow, error)
	QueueAfter(ctx context.Context, received domain.Date, ref string, limit int) ([]store.CaseRow, error)
	Categorise(ctx context.Context, ref string, track domain.Track, opt store.CategoriseOptions) (domain.Event, error)
	UndoAllocation(ctx context.Context, ref string, opt store.ActOptions) (domain.Event, error)
	AddNote(ctx context.Context, ref, text string, opt store.ActOptions) (domain.Event, error)
	Case(ctx context.Context, ref string) (*store.Case, error)
	Find(ctx context.Context, q store.Search, limit int) ([]store.CaseRow, error)
	Due(ctx context.Context, today domain.Date, within, offset, limit int) ([]store.DueItem, error)
	Cases(ctx context.Context, f store.CaseFilter, offset, limit int) ([]store.CaseRow, error)
	Inbox(ctx context.Context, today domain.Date, limit int) ([]store.InboxItem, error)
	Snooze(ctx context.Context, it store.InboxItem, until domain.Date, why string, opt store.ActOptions) error
	SnoozedItems(ctx context.Context, today domain.Date, limit int) ([]store.Snoozed, error)
	Unsnooze(ctx context.Context, key string, opt store.ActOptions) (store.Snoozed, error)
	MeetDeadline(ctx context.Context, ref, deadlineKind string, on domain.Date, opt store.ActOptions) (domain.Event, error)
	Resolve(ctx context.Context, it store.InboxItem, e domain.Event, until domain.Date, why string, opt store.ActOptions) (domain.Event, error)
	Dismiss(ctx context.Context, key string, opt store.ActOptions) error
	DoneToday(ctx context.Context, opt store.ActOptions) (int, error)
	Record(ctx context.Context, ref string, e domain.Event) (domain.Event, error) // a casework event
	RecordStep(ctx context.Context, ref, kind string, opt store.ActOptions, so store.StepOptions) (domain.Event, error)
	Report(ctx context.Context, name string, from, to domain.Date, by string) (*report.Report, error)
	OldCases(ctx context.Context, today domain.Date, offset, limit int) ([]store.CaseRow, error)
	MailItem(ctx context.Context, id int64) (*store.Mail, error)
	LinkMail(ctx context.Context, id int64, ref string, opt store.ActOptions) error
	MailReplied(ctx context.Context, id int64, summary string, opt store.ActOptions) error
	MailDone(ctx context.Context, id int64, opt store.ActOptions) error
	SupportNeeds(ctx context.Context, ref string) ([]domain.SupportNeed, error)
	// Undo takes back the caseworker's latest action on a case (u).
	Undo(ctx context.Context, ref string, opt store.ActOptions) ([]domain.Event, error)
	CreateGroup(ctx context.Context, name, lead string, related []string, opt store.ActOptions) error
	SkipInQueue(ctx context.Context, ref string, opt store.ActOptions) error
	QueueSkipped(ctx context.Context, user string, day domain.Date) ([]string, error)
	// Litigation is the party's side of a case (issue 19), for the pane.
	Litigation(ctx context.Context, ref string, today domain.Date) (*store.LitigationView, error)
	queries.Store // the service centre's queries and callers
	listStore     // counts and end pages (scope_lists.go)
	marks.Store   // bulk work on marked rows
}

var _ Store = (*store.Store)(nil)
