package server

import (
	"context"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui"
)

// SessionStore is the store as one SSH session sees it: every write is
// made as the authenticated user (whatever the UI put in its options) and,
// once committed, published to the other sessions; the queue leaves out
// appeals other sessions hold or others own.
type SessionStore struct {
	*store.Store
	id     Identity
	hub    *Hub
	sub    int // this session's subscription: it is not told its own changes
	leases *Leases
}

var _ tui.Store = (*SessionStore)(nil)

func (s *SessionStore) as(opt store.ActOptions) store.ActOptions {
	opt.User = s.id.Name
	return opt
}

func (s *SessionStore) published(err error, kind, ref string, mail int64) {
	if err == nil {
		s.hub.Publish(s.sub, &tui.Change{By: s.id.Name, Kind: kind, Reference: ref, MailID: mail})
	}
}

// Queue is the user's queue without the appeals other sessions (on this
// server or another on the database) have on their cards.
func (s *SessionStore) Queue(ctx context.Context, limit int) ([]store.CaseRow, error) {
	extra, err := s.leases.Held(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.Store.QueueFor(ctx, s.id.Name, limit+extra)
	if err != nil {
		return nil, err
	}
	refs := make([]string, len(rows))
	for i, r := range rows {
		refs[i] = r.Reference
	}
	others, err := s.leases.HeldByOthers(ctx, s.id.Session, refs)
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		if _, held := others[r.Reference]; !held {
			out = append(out, r)
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// QueueAfter is the page of the queue screen: the appeals available or
// the user's, never those distribution (or a team leader) gave to others.
// The appeals other sessions hold are passed over by the screen's
// Reserver as they come to the card.
func (s *SessionStore) QueueAfter(ctx context.Context, received domain.Date, ref string, limit int) ([]store.CaseRow, error) {
	return s.Store.QueueAfterFor(ctx, s.id.Name, received, ref, limit)
}

// Reserve is the queue's Reserver for this session: the holds are in the
// database, shared by every server on it.
func (s *SessionStore) Reserve(ctx context.Context, refs []string, n int, keep []string) (store.Reservation, error) {
	return s.leases.Reserve(ctx, s.id.Session, s.id.Name, refs, n, keep)
}

func (s *SessionStore) Categorise(ctx context.Context, ref string, track domain.Track, opt store.CategoriseOptions) (domain.Event, error) {
	opt.ActOptions = s.as(opt.ActOptions)
	e, err := s.Store.Categorise(ctx, ref, track, opt)
	s.published(err, domain.EventAllocated, ref, 0)
	return e, err
}

func (s *SessionStore) UndoAllocation(ctx context.Context, ref string, opt store.ActOptions) (domain.Event, error) {
	e, err := s.Store.UndoAllocation(ctx, ref, s.as(opt))
	s.published(err, domain.EventAllocationUndone, ref, 0)
	return e, err
}

// Undo takes back the session user's latest action on the case.
func (s *SessionStore) Undo(ctx context.Context, ref string, opt store.ActOptions) ([]domain.Event, error) {
	es, err := s.Store.Undo(ctx, ref, s.as(opt))
	s.published(err, domain.EventUndone, ref, 0)
	return es, err
}

// SkipInQueue keeps a skip as the session user's; QueueSkipped reads
// only theirs.
func (s *SessionStore) SkipInQueue(ctx context.Context, ref string, opt store.ActOptions) error {
	return s.Store.SkipInQueue(ctx, ref, s.as(opt))
}

func (s *SessionStore) QueueSkipped(ctx context.Context, _ string, day domain.Date) ([]string, error) {
	return s.Store.QueueSkipped(ctx, s.id.Name, day)
}

// Bulk acts on the marked rows as the session user; the other sessions
// hear of each case acted on.
func (s *SessionStore) Bulk(ctx context.Context, targets []store.BulkTarget, a store.BulkAction, opt store.ActOptions) (store.Batch, error) {
	b, err := s.Store.Bulk(ctx, targets, a, s.as(opt))
	s.publishedBatch(err, b)
	return b, err
}

// UndoBatch takes back a bulk action as the session user.
func (s *SessionStore) UndoBatch(ctx context.Context, id int64, opt store.ActOptions) (store.Batch, error) {
	b, err := s.Store.UndoBatch(ctx, id, s.as(opt))
	s.publishedBatch(err, b)
	return b, err
}

func (s *SessionStore) publishedBatch(err error, b store.Batch) {
	if err != nil {
		return
	}
	for _, ref := range b.References {
		s.published(nil, b.Action, ref, 0)
	}
	if len(b.References) == 0 {
		s.published(nil, b.Action, "", 0)
	}
}

// CreateGroup groups cases as the session user.
func (s *SessionStore) CreateGroup(ctx context.Context, name, lead string, related []string, opt store.ActOptions) error {
	err := s.Store.CreateGroup(ctx, name, lead, related, s.as(opt))
	s.published(err, domain.EventLeadCase, lead, 0)
	return err
}

func (s *SessionStore) AddNote(ctx context.Context, ref, text string, opt store.ActOptions) (domain.Event, error) {
	e, err := s.Store.AddNote(ctx, ref, text, s.as(opt))
	s.published(err, domain.EventNote, ref, 0)
	return e, err
}

func (s *SessionStore) Record(ctx context.Context, ref string, e domain.Event) (domain.Event, error) {
	e.User = s.id.Name
	rec, err := s.Store.Record(ctx, ref, e)
	s.published(err, e.Kind, ref, 0)
	return rec, err
}

func (s *SessionStore) Snooze(ctx context.Context, it store.InboxItem, until domain.Date, why string, opt store.ActOptions) error {
	err := s.Store.Snooze(ctx, it, until, why, s.as(opt))
	s.published(err, "snoozed", it.Reference, 0)
	return err
}

func (s *SessionStore) Unsnooze(ctx context.Context, key string, opt store.ActOptions) (store.Snoozed, error) {
	sn, err := s.Store.Unsnooze(ctx, key, s.as(opt))
	s.published(err, "snooze-undone", "", 0)
	return sn, err
}

func (s *SessionStore) MeetDeadline(ctx context.Context, ref, deadlineKind string, on domain.Date, opt store.ActOptions) (domain.Event, error) {
	e, err := s.Store.MeetDeadline(ctx, ref, deadlineKind, on, s.as(opt))
	s.published(err, e.Kind, ref, 0)
	return e, err
}

func (s *SessionStore) Resolve(ctx context.Context, it store.InboxItem, e domain.Event, until domain.Date, why string, opt store.ActOptions) (domain.Event, error) {
	e.User = s.id.Name
	rec, err := s.Store.Resolve(ctx, it, e, until, why, s.as(opt))
	s.published(err, rec.Kind, it.Reference, 0)
	return rec, err
}

func (s *SessionStore) RecordStep(ctx context.Context, ref, kind string, opt store.ActOptions, so store.StepOptions) (domain.Event, error) {
	e, err := s.Store.RecordStep(ctx, ref, kind, s.as(opt), so)
	s.published(err, kind, ref, 0)
	return e, err
}

func (s *SessionStore) Dismiss(ctx context.Context, key string, opt store.ActOptions) error {
	err := s.Store.Dismiss(ctx, key, s.as(opt))
	s.published(err, "dismissed", "", 0)
	return err
}

func (s *SessionStore) LinkMail(ctx context.Context, id int64, ref string, opt store.ActOptions) error {
	err := s.Store.LinkMail(ctx, id, ref, s.as(opt))
	s.published(err, domain.EventCorrespondence, ref, id)
	return err
}

func (s *SessionStore) MailReplied(ctx context.Context, id int64, summary string, opt store.ActOptions) error {
	err := s.Store.MailReplied(ctx, id, summary, s.as(opt))
	s.published(err, "replied", "", id)
	return err
}

func (s *SessionStore) MailDone(ctx context.Context, id int64, opt store.ActOptions) error {
	err := s.Store.MailDone(ctx, id, s.as(opt))
	s.published(err, "done", "", id)
	return err
}

// Take, Release and Assign are the work screens' writes.
func (s *SessionStore) Take(ctx context.Context, it store.Item, opt store.ActOptions) error {
	err := s.Store.Take(ctx, it, s.as(opt))
	s.published(err, domain.EventTaken, it.Reference, it.MailID)
	return err
}

func (s *SessionStore) Release(ctx context.Context, it store.Item, opt store.ActOptions) error {
	err := s.Store.Release(ctx, it, s.as(opt))
	s.published(err, domain.EventReleased, it.Reference, it.MailID)
	return err
}

func (s *SessionStore) Assign(ctx context.Context, it store.Item, to string, opt store.ActOptions) error {
	err := s.Store.Assign(ctx, it, to, s.as(opt))
	s.published(err, domain.EventAssigned, it.Reference, it.MailID)
	return err
}

// AddQuery, UpdateQuery and UseArticle are the Queries screen's writes.
func (s *SessionStore) AddQuery(ctx context.Context, nq store.NewQuery, opt store.ActOptions) (domain.Query, error) {
	q, err := s.Store.AddQuery(ctx, nq, s.as(opt))
	s.published(err, domain.EventQuery, q.Reference, 0)
	return q, err
}

func (s *SessionStore) UpdateQuery(ctx context.Context, id int64, to domain.QueryStatus, text string, opt store.ActOptions) (domain.Query, error) {
	q, err := s.Store.UpdateQuery(ctx, id, to, text, s.as(opt))
	s.published(err, domain.EventQueryUpdated, q.Reference, 0)
	return q, err
}

func (s *SessionStore) UseArticle(ctx context.Context, id int64, article string, opt store.ActOptions) error {
	err := s.Store.UseArticle(ctx, id, article, s.as(opt))
	s.published(err, domain.EventQueryUpdated, "", 0)
	return err
}

// SaveLetter saves a letter as the session's user and tells the other
// sessions (the case's timeline has changed).
func (s *SessionStore) SaveLetter(ctx context.Context, ref string, l store.NewLetter, opt store.ActOptions) (store.Letter, error) {
	saved, err := s.Store.SaveLetter(ctx, ref, l, s.as(opt))
	s.published(err, domain.EventCorrespondence, saved.Reference, 0)
	return saved, err
}
