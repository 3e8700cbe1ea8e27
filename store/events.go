package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caseload/caseload/domain"
)

// stamp is the time recorded on an event: the acting date (--today) with
// the clock's time of day, so that a reproducible --today still orders a
// day's events as they happened.
func (s *Store) stamp(on domain.Date) time.Time {
	now := s.now()
	if on.IsZero() {
		return now
	}
	return time.Date(on.Year(), on.Month(), on.Day(), now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), now.Location())
}

// caseID finds a case by reference (any case).
func caseID(ctx context.Context, q querier, ref string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM cases WHERE reference = ?", normRef(ref)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%s: %w", ref, ErrNotFound)
	}
	return id, err
}

func normRef(ref string) string { return strings.ToUpper(strings.TrimSpace(ref)) }

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// insertEvent appends an event; the triggers make it permanent.
func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, caseID int64, e *domain.Event) error {
	if err := permitEvent(ctx, tx, caseID, e); err != nil {
		return err
	}
	// Bulk work tags each event with its batch, so one undo finds them all.
	if b := batchOf(ctx); b != 0 && e.Data.Batch == 0 {
		e.Data.Batch = b
	}
	if b := undoBatchOf(ctx); b != 0 {
		e.Data.UndoesBatch = b
	}
	var data any
	if !e.Data.IsZero() {
		b, err := json.Marshal(e.Data)
		if err != nil {
			return err
		}
		data = string(b)
	}
	if e.At.IsZero() {
		e.At = s.stamp(e.On)
	}
	newID, err := insertID(ctx, tx,
		"INSERT INTO events(case_id, at, on_date, kind, user, detail, data) VALUES (?,?,?,?,?,?,?)",
		caseID, e.At.Format(time.RFC3339Nano), e.On.String(), e.Kind, e.User, e.Detail, data)
	if err != nil {
		return err
	}
	e.ID = newID
	return nil
}

const eventColumns = "case_id, id, at, on_date, kind, user, detail, data"

// scanEvent reads one row of eventColumns.
func scanEvent(r scanner) (int64, domain.Event, error) {
	var e domain.Event
	var caseID int64
	var at, on string
	var data sql.NullString
	if err := r.Scan(&caseID, &e.ID, &at, &on, &e.Kind, &e.User, &e.Detail, &data); err != nil {
		return 0, e, err
	}
	e.At, _ = time.Parse(time.RFC3339Nano, at)
	e.On, _ = domain.ParseDate(on)
	if data.Valid {
		if err := json.Unmarshal([]byte(data.String), &e.Data); err != nil {
			return 0, e, fmt.Errorf("event %d: %w", e.ID, err)
		}
	}
	return caseID, e, nil
}

// loadEvents reads a case's timeline, oldest first.
func loadEvents(ctx context.Context, q querier, caseID int64) ([]domain.Event, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+eventColumns+" FROM events WHERE case_id = ? ORDER BY id", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Event
	for rows.Next() {
		_, e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// refresh replays a case's events and writes the state and deadlines they
// imply, in the caller's transaction. It is the one place derived data is
// written, so stored state always matches the history (`caseload check`
// verifies this).
func (s *Store) refresh(ctx context.Context, tx *sql.Tx, caseID int64) error {
	events, err := loadEvents(ctx, tx, caseID)
	if err != nil {
		return err
	}
	var oldStatus, jurisdiction, subject, division string
	var oldTrack sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT status, jurisdiction, subject, division, track FROM cases WHERE id = ?", caseID).
		Scan(&oldStatus, &jurisdiction, &subject, &division, &oldTrack); err != nil {
		return err
	}
	p := s.PackOf(jurisdiction)
	cal := s.calFor(p, division)
	st := s.replayIn(p, cal, events, subject)
	if err := writeState(ctx, tx, caseID, st); err != nil {
		return err
	}
	if (string(st.Status) != oldStatus || string(st.Track) != oldTrack.String) && !isReindexing(ctx, caseID) {
		// The lookup index holds the track and status as qualifier terms.
		if err := s.dialect.retag(ctx, tx, caseID, lookupTags(oldTrack.String, oldStatus, subject, jurisdiction)); err != nil {
			return err
		}
	}
	if err := s.adjustCounters(ctx, tx, jurisdiction, domain.Status(oldStatus), st.Status); err != nil {
		return err
	}
	if err := writeSide(ctx, tx, caseID, p, st); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM deadlines WHERE case_id = ?", caseID); err != nil {
		return err
	}
	return insertDeadlines(ctx, tx, caseID, p.Deadlines(cal, st))
}

// reindexingKey marks a context in which case id's lookup entry is out of
// the index (unindexCase, or not yet written by an import) and is written
// afresh after refresh: refresh then leaves the qualifier terms to that.
type reindexingKey struct{ id int64 }

func reindexing(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, reindexingKey{id}, true)
}

func isReindexing(ctx context.Context, id int64) bool {
	return ctx.Value(reindexingKey{id}) != nil
}

// replayIn is the pack's replay (deemed service, act cut-off) with what
// the case row adds: its subject, and the stage its pack derives from the
// events.
func (s *Store) replayIn(p *domain.RulePack, cal *domain.Calendar, events []domain.Event, subject string) domain.CaseState {
	st := p.ReplayIn(cal, events)
	st.Subject = domain.Subject(subject)
	st.Track = p.Stage(st)
	return st
}

// addCounter adds d to a kept count, in total and for the jurisdiction.
func addCounter(ctx context.Context, tx *sql.Tx, name, jurisdiction string, d int) error {
	if _, err := tx.ExecContext(ctx, "UPDATE counters SET value = value + ? WHERE name = ?", d, name); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO counters(name, value) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET value = counters.value + excluded.value`, name+"@"+jurisdiction, d)
	return err
}

// writeState stores what the events add up to on the case row.
func writeState(ctx context.Context, tx *sql.Tx, caseID int64, st domain.CaseState) error {
	_, err := tx.ExecContext(ctx, `UPDATE cases SET track = ?, status = ?, allocated_on = ?, last_event = ?, flags = ?,
		open_referrals = ? WHERE id = ?`, append(stateArgs(st), caseID)...)
	return err
}

// stateArgs are the case columns derived from its events: track, status,
// allocated_on, last_event, flags, open_referrals.
func stateArgs(st domain.CaseState) []any {
	var track any
	if st.Track != "" {
		track = string(st.Track)
	}
	return []any{track, string(st.Status), nullDate(st.AllocatedOn), st.LastEvent.String(),
		strings.Join(st.Flags, ","), len(st.OpenReferrals())}
}

const insertDeadlineSQL = `INSERT INTO deadlines(case_id, kind, label, party, due, rule, provisional,
	optional, status, met_on, anchor, days, moved, citation, previous_due, warn, warning) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

func insertDeadlines(ctx context.Context, tx *sql.Tx, caseID int64, ds []domain.Deadline) error {
	for _, d := range ds {
		if _, err := tx.ExecContext(ctx, insertDeadlineSQL, deadlineArgs(caseID, d)...); err != nil {
			return err
		}
	}
	return nil
}

func deadlineArgs(caseID int64, d domain.Deadline) []any {
	var previous []string
	for _, p := range d.PreviousDue {
		previous = append(previous, p.String())
	}
	return []any{caseID, d.Kind, d.Label, d.Party, d.Due.String(), d.Rule, d.Provisional, d.Optional, d.Status,
		nullDate(d.MetOn), d.Anchor.String(), d.Days, d.Moved, d.Citation, strings.Join(previous, ","),
		nullDate(d.Warn), d.Warning}
}

// adjustCounters keeps the header counts current as a case changes status.
// Each count is kept in total and for the case's jurisdiction (name@id).
func (s *Store) adjustCounters(ctx context.Context, tx *sql.Tx, jurisdiction string, from, to domain.Status) error {
	if from == to {
		return nil
	}
	delta := func(name string, d int) error {
		return addCounter(ctx, tx, name, jurisdiction, d)
	}
	if from == domain.StatusNew {
		if err := delta("queue", -1); err != nil {
			return err
		}
	}
	if to == domain.StatusNew {
		if err := delta("queue", 1); err != nil {
			return err
		}
	}
	if from.Open() && !to.Open() {
		return delta("open", -1)
	}
	if !from.Open() && to.Open() {
		return delta("open", 1)
	}
	return nil
}

func nullDate(d domain.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// record appends an event to the case ref and refreshes its derived state,
// all in one transaction. check, if not nil, runs first inside the same
// transaction with the case's current row, and can refuse.
func (s *Store) record(ctx context.Context, ref string, e *domain.Event, check func(CaseRow, []domain.Event) error) (CaseRow, error) {
	var row CaseRow
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		row, err = s.recordIn(ctx, tx, ref, e, check)
		return err
	})
	return row, err
}

// recordIn is record in the caller's transaction, so that several cases'
// events can be written all or none (bulk.go).
func (s *Store) recordIn(ctx context.Context, tx *sql.Tx, ref string, e *domain.Event, check func(CaseRow, []domain.Event) error) (CaseRow, error) {
	id, err := caseID(ctx, tx, ref)
	if err != nil {
		return CaseRow{}, err
	}
	r, err := scanCaseRow(tx.QueryRowContext(ctx, selectCase+" WHERE c.id = ?", id))
	if err != nil {
		return CaseRow{}, err
	}
	if check != nil {
		events, err := loadEvents(ctx, tx, id)
		if err != nil {
			return CaseRow{}, err
		}
		if err := check(r, events); err != nil {
			return CaseRow{}, err
		}
	}
	if err := s.insertEvent(ctx, tx, id, e); err != nil {
		return CaseRow{}, err
	}
	// A step that needs a fee makes it due (support_fees.go).
	if err := s.feesForStep(ctx, tx, id, r.Jurisdiction, e); err != nil {
		return CaseRow{}, err
	}
	if err := s.refresh(ctx, tx, id); err != nil {
		return CaseRow{}, err
	}
	return scanCaseRow(tx.QueryRowContext(ctx, selectCase+" WHERE c.id = ?", id))
}

// Categorise allocates the case to a track (r23). Re-categorising a case
// that already has a track needs a reason. With ExpectNew, a case someone
// else categorised meanwhile is refused with ErrAlreadyDecided.
func (s *Store) Categorise(ctx context.Context, ref string, track domain.Track, opt CategoriseOptions) (domain.Event, error) {
	if _, err := domain.ParseTrack(string(track)); err != nil {
		return domain.Event{}, err
	}
	e := domain.Event{Kind: domain.EventAllocated, On: opt.On, User: opt.User}
	_, err := s.record(ctx, ref, &e, s.allocationCheck(track, opt, &e))
	return e, err
}

// allocationCheck refuses an allocation the case cannot take and fills in
// the event from the case as it stands (Categorise and bulk allocation).
func (s *Store) allocationCheck(track domain.Track, opt CategoriseOptions, e *domain.Event) func(CaseRow, []domain.Event) error {
	return func(c CaseRow, events []domain.Event) error {
		// A judicial review has a stage before triage (what arrived), so
		// "decided" is the status, not whether a track is set.
		decided := c.Status != domain.StatusNew && c.Track != nil
		p := s.PackOf(c.Jurisdiction)
		switch {
		case c.Status == domain.StatusReturned || c.Status == domain.StatusClosed:
			return fmt.Errorf("%s is %s: it cannot be categorised", c.Reference, c.Status)
		case !p.Offers(track):
			return fmt.Errorf("%s is a case of the %s: choose one of %s", c.Reference, p.Name, trackList(p.Tracks))
		case opt.On.Before(c.Received):
			return fmt.Errorf("%s: an allocation dated %s is before the notice was received (%s): check --today", c.Reference, opt.On.UK(), c.Received.UK())
		case c.Late && opt.AskIfLate && !opt.LateConfirmed && !decided && permissionUndecided(events):
			return fmt.Errorf("%s is %d days late and permission to appeal late (%s) is not decided: %w",
				c.Reference, c.DaysLate, p.AppealLimit.PermissionRule, ErrLateUndecided)
		case decided && opt.ExpectNew:
			return fmt.Errorf("%s was categorised by %s (%s): %w", c.Reference, allocatedBy(events), c.Track.Label(), ErrAlreadyDecided)
		case decided && *c.Track == track:
			return fmt.Errorf("%s is already on the %s track (allocated by %s)", c.Reference, track.Label(), allocatedBy(events))
		case decided && strings.TrimSpace(opt.Reason) == "":
			return fmt.Errorf("%s is already allocated to %s by %s: re-categorising needs a reason (--reason)", c.Reference, c.Track.Label(), allocatedBy(events))
		}
		e.Data = domain.EventData{Track: track, Suggested: c.SuggestedTrack, Override: track != c.SuggestedTrack,
			Reason: strings.TrimSpace(opt.Reason)}
		if decided {
			e.Data.Previous = *c.Track
		}
		e.Detail = domain.DescribeAllocation(e.Data)
		return nil
	}
}

// prepare checks a casework event and writes its timeline line in the
// words of the case's pack, with the case's calendar.
func (s *Store) prepare(ctx context.Context, q querier, caseID int64, events []domain.Event, late bool, e *domain.Event) error {
	var jurisdiction, division string
	if err := q.QueryRowContext(ctx, "SELECT jurisdiction, division FROM cases WHERE id = ?", caseID).Scan(&jurisdiction, &division); err != nil {
		return err
	}
	p := s.PackOf(jurisdiction)
	return p.PrepareCaseworkIn(s.calFor(p, division), domain.Replay(events), late, e)
}

// ErrLateUndecided: a late appeal whose permission is not decided; confirm
// the allocation or record the permission request first.
var ErrLateUndecided = errors.New("confirm the allocation, or record the permission request first")

func permissionUndecided(events []domain.Event) bool {
	p := domain.Replay(events).Permission
	return p != "granted" && p != "refused"
}

func allocatedBy(events []domain.Event) string {
	st := domain.Replay(events)
	for _, e := range events {
		if e.ID == st.AllocatedBy {
			return e.User
		}
	}
	return "someone else"
}

// UndoAllocation undoes the case's allocation when it is the
// caseworker's latest action (Undo's rule, domain.UndoTarget): the case
// goes back to its previous track, or to the queue if it had none. An
// allocation under a later action (a disposal, a return, a refusal) is
// refused naming that action.
func (s *Store) UndoAllocation(ctx context.Context, ref string, opt ActOptions) (domain.Event, error) {
	es, err := s.undo(ctx, ref, opt, domain.EventAllocated)
	if err != nil {
		return domain.Event{}, err
	}
	return es[0], nil
}

// RecordEvent records a dated step the rule pack counts from or that meets
// a deadline, such as the respondent's statement of case.
func (s *Store) RecordEvent(ctx context.Context, ref, kind string, opt ActOptions, detail string) (domain.Event, error) {
	return s.RecordStep(ctx, ref, kind, opt, StepOptions{Detail: detail})
}

// StepOptions are what a step may record beyond its date: how a document
// was served and when (deemed service: CPR 6.14, 6.26; UT r29(1)), the time
// an act was done (UT r12(1): by 5pm), and for a refusal of permission
// whether it was recorded as totally without merit (no renewal).
type StepOptions struct {
	Detail              string
	Method              string // first-class-post, dx, delivered, email, fax, personal
	Time                string // HH:MM
	TotallyWithoutMerit bool
}

// RecordStep is RecordEvent with the service method, time of day and
// totally-without-merit marker. Without a method the date is the date of
// service, as before.
func (s *Store) RecordStep(ctx context.Context, ref, kind string, opt ActOptions, so StepOptions) (domain.Event, error) {
	detail := so.Detail
	e := domain.Event{Kind: kind, On: opt.On, User: opt.User,
		Data: domain.EventData{Method: so.Method, TotallyWithoutMerit: so.TotallyWithoutMerit}}
	if so.Time != "" {
		t, err := domain.ParseClock(so.Time)
		if err != nil {
			return e, fmt.Errorf("--time: %w", err)
		}
		e.Data.Time = t
	}
	_, err := s.record(ctx, ref, &e, func(c CaseRow, _ []domain.Event) error {
		p := s.PackOf(c.Jurisdiction)
		if known := p.AnchorEvents(); !slices.Contains(known, kind) {
			return fmt.Errorf("%q is not an event of the %s: use one of %s", kind, p.Name, strings.Join(known, ", "))
		}
		// A judicial review's steps count from whenever they happen; a
		// tribunal appeal's only once it is on a track.
		if c.Track == nil && len(p.StageAfter) == 0 {
			return fmt.Errorf("%s has not been categorised yet: allocate a track first", c.Reference)
		}
		if opt.On.Before(c.Received) {
			return fmt.Errorf("%s: %s is before the notice was received (%s)", c.Reference, opt.On.UK(), c.Received.UK())
		}
		if so.Method != "" && p.Service[kind] == "" {
			return fmt.Errorf("%s: %s is not a step of service in the %s: no method of service to record", c.Reference, kind, p.Name)
		}
		if so.TotallyWithoutMerit && !twmAnchor(p, kind) {
			return fmt.Errorf("%s: only a refusal of permission can be recorded as totally without merit, not %s", c.Reference, kind)
		}
		cal := s.calFor(p, caseDivisionOf(ctx, s.db, c.ID))
		deemed, how, ok, err := p.DeemedService(cal, kind, opt.On, so.Method, e.Data.Time)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Reference, err)
		}
		if detail == "" {
			detail = strings.ReplaceAll(kind, "-", " ") + " on " + opt.On.Long()
			if e.Data.Time != "" {
				detail += " at " + e.Data.Time
			}
			if ok && !deemed.Equal(opt.On) {
				detail += "; " + how
			} else if ok {
				detail += " (" + how + ")"
			}
			if so.TotallyWithoutMerit {
				detail += "; recorded as totally without merit: no renewal"
			}
		}
		e.Detail = detail
		return nil
	})
	return e, err
}

func twmAnchor(p *domain.RulePack, kind string) bool {
	for _, r := range p.DeadlineRules {
		if r.NotIfTotallyWithoutMerit && r.Anchor == kind {
			return true
		}
	}
	return false
}

// AddNote adds a note to the timeline and to the lookup index.
func (s *Store) AddNote(ctx context.Context, ref, text string, opt ActOptions) (domain.Event, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return domain.Event{}, errors.New("the note is empty")
	}
	detail := text
	if i := strings.IndexByte(detail, '\n'); i >= 0 {
		detail = detail[:i] + " …"
	}
	e := domain.Event{Kind: domain.EventNote, On: opt.On, User: opt.User, Detail: detail, Data: domain.EventData{Text: text}}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		id, err := caseID(ctx, tx, ref)
		if err != nil {
			return err
		}
		if err := s.dialect.unindexCase(ctx, tx, id); err != nil {
			return err
		}
		if err := s.insertEvent(ctx, tx, id, &e); err != nil {
			return err
		}
		if err := s.refresh(reindexing(ctx, id), tx, id); err != nil {
			return err
		}
		return s.dialect.indexCase(ctx, tx, id)
	})
	return e, err
}

// Record adds a casework event (a return, a direction, a referral, ...) to
// a case. The domain decides whether it makes sense for the case as it
// stands, in the same transaction that writes it.
func (s *Store) Record(ctx context.Context, ref string, e domain.Event) (domain.Event, error) {
	_, err := s.record(ctx, ref, &e, s.caseworkCheck(ctx, &e))
	return e, err
}

// caseworkCheck asks the domain whether a casework event makes sense for
// the case as it stands, and writes its timeline line (Record, bulk work).
func (s *Store) caseworkCheck(ctx context.Context, e *domain.Event) func(CaseRow, []domain.Event) error {
	return func(c CaseRow, events []domain.Event) error {
		if ok, err := s.prepareLitigation(ctx, s.db, c, events, e); ok || err != nil {
			if err != nil {
				return fmt.Errorf("%s: %w", c.Reference, err)
			}
			return nil
		}
		if err := s.prepare(ctx, s.db, c.ID, events, c.Late, e); err != nil {
			return fmt.Errorf("%s: %w", c.Reference, err)
		}
		return nil
	}
}

func trackList(ts []domain.Track) string {
	var out []string
	for _, t := range ts {
		out = append(out, string(t))
	}
	return strings.Join(out, ", ")
}

// Replayed returns the state a case's events add up to, for commands that
// need casework detail beyond the case row (the permission decision).
func (s *Store) Replayed(ctx context.Context, ref string) (domain.CaseState, error) {
	id, err := caseID(ctx, s.db, ref)
	if err != nil {
		return domain.CaseState{}, err
	}
	events, err := loadEvents(ctx, s.db, id)
	if err != nil {
		return domain.CaseState{}, err
	}
	return domain.Replay(events), nil
}
