package tui

import (
	"context"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/report"
)

// scoped is the store seen through one jurisdiction: every call carries
// it in its context, so a command made before the caseworker switched
// jurisdiction still asks what it was made to ask.
type scoped struct {
	Store
	jurisdiction string
}

// scopeStore limits st to a jurisdiction ("" for all).
func scopeStore(st Store, jurisdiction string) Store {
	if s, ok := st.(scoped); ok {
		st = s.Store
	}
	if jurisdiction == "" {
		return st
	}
	return scoped{st, jurisdiction}
}

// Jurisdiction is the pack the store is limited to: screens that offer
// the pack's own tracks or stages ask for it.
func (s scoped) Jurisdiction() string { return s.jurisdiction }

func (s scoped) in(ctx context.Context) context.Context {
	return store.InJurisdiction(ctx, s.jurisdiction)
}

func (s scoped) Counts(ctx context.Context, today domain.Date) (store.Counts, error) {
	return s.Store.Counts(s.in(ctx), today)
}

func (s scoped) Queue(ctx context.Context, limit int) ([]store.CaseRow, error) {
	return s.Store.Queue(s.in(ctx), limit)
}

func (s scoped) Find(ctx context.Context, q store.Search, limit int) ([]store.CaseRow, error) {
	return s.Store.Find(s.in(ctx), q, limit)
}

func (s scoped) Due(ctx context.Context, today domain.Date, within, offset, limit int) ([]store.DueItem, error) {
	return s.Store.Due(s.in(ctx), today, within, offset, limit)
}

func (s scoped) Cases(ctx context.Context, f store.CaseFilter, offset, limit int) ([]store.CaseRow, error) {
	return s.Store.Cases(s.in(ctx), f, offset, limit)
}

func (s scoped) Inbox(ctx context.Context, today domain.Date, limit int) ([]store.InboxItem, error) {
	return s.Store.Inbox(s.in(ctx), today, limit)
}

func (s scoped) Report(ctx context.Context, name string, from, to domain.Date, by string) (*report.Report, error) {
	return s.Store.Report(s.in(ctx), name, from, to, by)
}

func (s scoped) OldCases(ctx context.Context, today domain.Date, offset, limit int) ([]store.CaseRow, error) {
	return s.Store.OldCases(s.in(ctx), today, offset, limit)
}

func (s scoped) SnoozedItems(ctx context.Context, today domain.Date, limit int) ([]store.Snoozed, error) {
	return s.Store.SnoozedItems(s.in(ctx), today, limit)
}

func (s scoped) QueueAfter(ctx context.Context, received domain.Date, ref string, limit int) ([]store.CaseRow, error) {
	return s.Store.QueueAfter(s.in(ctx), received, ref, limit)
}
