package tui

import (
	"context"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// listStore is what the lists need to say "12 of 1,966" and read their
// end: counts, end pages and the inbox's views by kind.
type listStore interface {
	CaseCount(ctx context.Context, f store.CaseFilter) (int, error)
	CasesBack(ctx context.Context, f store.CaseFilter, skip, limit int) ([]store.CaseRow, error)
	OldCaseCount(ctx context.Context, today domain.Date) (int, error)
	OldCasesBack(ctx context.Context, today domain.Date, skip, limit int) ([]store.CaseRow, error)
	DueCount(ctx context.Context, today domain.Date, within int) (int, error)
	DueBack(ctx context.Context, today domain.Date, within, skip, limit int) ([]store.DueItem, error)
	InboxOf(ctx context.Context, today domain.Date, kind string, limit int) ([]store.InboxItem, error)
	InboxCounts(ctx context.Context, today domain.Date) (store.InboxCounts, error)
}

func (s scoped) CaseCount(ctx context.Context, f store.CaseFilter) (int, error) {
	return s.Store.CaseCount(s.in(ctx), f)
}

func (s scoped) CasesBack(ctx context.Context, f store.CaseFilter, skip, limit int) ([]store.CaseRow, error) {
	return s.Store.CasesBack(s.in(ctx), f, skip, limit)
}

func (s scoped) OldCaseCount(ctx context.Context, today domain.Date) (int, error) {
	return s.Store.OldCaseCount(s.in(ctx), today)
}

func (s scoped) OldCasesBack(ctx context.Context, today domain.Date, skip, limit int) ([]store.CaseRow, error) {
	return s.Store.OldCasesBack(s.in(ctx), today, skip, limit)
}

func (s scoped) DueCount(ctx context.Context, today domain.Date, within int) (int, error) {
	return s.Store.DueCount(s.in(ctx), today, within)
}

func (s scoped) DueBack(ctx context.Context, today domain.Date, within, skip, limit int) ([]store.DueItem, error) {
	return s.Store.DueBack(s.in(ctx), today, within, skip, limit)
}

func (s scoped) InboxOf(ctx context.Context, today domain.Date, kind string, limit int) ([]store.InboxItem, error) {
	return s.Store.InboxOf(s.in(ctx), today, kind, limit)
}

func (s scoped) InboxCounts(ctx context.Context, today domain.Date) (store.InboxCounts, error) {
	return s.Store.InboxCounts(s.in(ctx), today)
}
