package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/caseload/caseload/domain"
)

// Calendars. A case counts with its pack's division, except in a pack
// whose cases carry their own (a tax appeal: case_division), where the
// case's division applies, defaulting to the configured one.

var divisions = []domain.Division{domain.EnglandAndWales, domain.Scotland, domain.NorthernIreland}

func (s *Store) loadCalendars(extra map[domain.Division]*domain.Calendar) {
	s.cals = map[domain.Division]*domain.Calendar{s.cal.Division(): s.cal}
	for d, c := range extra {
		if _, ok := s.cals[d]; !ok && c != nil {
			s.cals[d] = c
		}
	}
	for _, d := range divisions {
		if _, ok := s.cals[d]; !ok {
			s.cals[d] = domain.MustCalendar(d)
		}
	}
}

// calFor is the calendar a case of pack p in division (its column; ""
// for the default) counts with.
func (s *Store) calFor(p *domain.RulePack, division string) *domain.Calendar {
	if !p.CaseDivision {
		if c, ok := s.cals[domain.Division(p.Division)]; ok {
			return c
		}
		return s.cal
	}
	if c, ok := s.cals[domain.Division(division)]; ok {
		return c
	}
	return s.cal
}

// CalendarFor is the calendar of a case of the jurisdiction in the
// division ("" for the default): what the UI counts a direction's days with.
func (s *Store) CalendarFor(jurisdiction, division string) *domain.Calendar {
	return s.calFor(s.PackOf(jurisdiction), division)
}

// DivisionOf is the division whose bank holidays a case counts with.
func (s *Store) DivisionOf(jurisdiction, division string) domain.Division {
	return s.CalendarFor(jurisdiction, division).Division()
}

// divisionColumn is c.division, or ” in a database opened read-only
// before schema 5 added it (a backup being checked).
func divisionColumn(ctx context.Context, q querier) string {
	if rows, err := q.QueryContext(ctx, "SELECT division FROM cases LIMIT 0"); err == nil {
		rows.Close()
		return "c.division"
	}
	return "''"
}

// divisionFor is the division stored on a new case of pack p: the one
// given, else the default; none for packs whose division is their own.
func (s *Store) divisionFor(p *domain.RulePack, given string) string {
	if !p.CaseDivision {
		return ""
	}
	if given != "" {
		return given
	}
	return string(s.cal.Division())
}

// caseDivisionOf is caseDivision outside a transaction.
func caseDivisionOf(ctx context.Context, q querier, caseID int64) string {
	return caseDivision(ctx, q, caseID)
}

// caseDivision reads a case's division column ("" when not set).
func caseDivision(ctx context.Context, q querier, caseID int64) string {
	var d string
	q.QueryRowContext(ctx, "SELECT division FROM cases WHERE id = ?", caseID).Scan(&d)
	return d
}

// RulesFingerprint identifies everything stored deadlines are counted
// from: the counting code's version, every pack (closure days included),
// every division's bank holidays and the default division.
func (s *Store) RulesFingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "counting %d\ndefault %s\n", domain.CountingVersion, s.cal.Division())
	for _, id := range slices.Sorted(maps.Keys(s.packs)) {
		fmt.Fprintf(&b, "pack %s %s\n", id, s.packs[id].Fingerprint())
	}
	for _, d := range divisions {
		fmt.Fprintf(&b, "holidays %s %s\n", d, s.cals[d].Fingerprint())
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:12])
}

// RecalcChange is one thing a recomputation changed on a case.
type RecalcChange struct {
	Reference    string      `json:"reference"`
	Jurisdiction string      `json:"jurisdiction"`
	Kind         string      `json:"kind"` // the deadline's kind, or "late" for the appeal's lateness
	Label        string      `json:"label"`
	Change       string      `json:"change"` // moved, added, removed, status, late
	Was          domain.Date `json:"was,omitzero"`
	Now          domain.Date `json:"now,omitzero"`
	Detail       string      `json:"detail,omitempty"`
}

// RecalcResult is what a recomputation found (and, unless a dry run, wrote).
type RecalcResult struct {
	At          time.Time      `json:"at"`
	Fingerprint string         `json:"fingerprint"`
	Previous    string         `json:"previous"` // "" when the deadlines predate fingerprints
	DryRun      bool           `json:"dry_run"`
	Checked     int            `json:"checked"` // cases looked at
	Cases       int            `json:"cases"`   // cases rewritten
	Changes     []RecalcChange `json:"changes"`
	// Truncated counts changes left out of Changes (more than maxChanges).
	Truncated int `json:"truncated,omitempty"`
}

// Moved counts the changes to a deadline's date or lateness.
func (r *RecalcResult) Moved() int {
	n := r.Truncated
	for _, c := range r.Changes {
		if c.Change != "status" {
			n++
		}
	}
	return n
}

const maxChanges = 10000

var errDryRun = errors.New("dry run")

// storedFingerprint is the fingerprint of the last recomputation.
func storedFingerprint(ctx context.Context, q querier) (string, error) {
	var f string
	err := q.QueryRowContext(ctx, "SELECT fingerprint FROM rules_audit ORDER BY id DESC LIMIT 1").Scan(&f)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return f, err
}

// RulesChanged reports whether the deadlines were stored under other rules
// than those loaded now.
func (s *Store) RulesChanged(ctx context.Context) (bool, error) {
	f, err := storedFingerprint(ctx, s.db)
	return f != s.RulesFingerprint(), err
}

// RecalcIfChanged recomputes every deadline when the rules changed, and
// returns what moved; nil when nothing had changed.
func (s *Store) RecalcIfChanged(ctx context.Context) (*RecalcResult, error) {
	changed, err := s.RulesChanged(ctx)
	if err != nil || !changed {
		return nil, err
	}
	r, err := s.Recalc(ctx, false)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// RecalcAtOpen is what the recomputation run when the store was opened
// changed, nil if the rules had not changed: for a one-line notice.
func (s *Store) RecalcAtOpen() *RecalcResult { return s.recalcAtOpen }

// Recalc recomputes every case's deadlines and lateness from its events
// under the rules loaded now, in one transaction, and lists what moved.
// A dry run changes nothing. Cases are compared in one streamed pass
// (as `caseload check` does); only those that differ are rewritten.
func (s *Store) Recalc(ctx context.Context, dryRun bool) (RecalcResult, error) {
	res := RecalcResult{At: s.now().UTC(), Fingerprint: s.RulesFingerprint(), DryRun: dryRun}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res.Checked, res.Cases, res.Changes, res.Truncated = 0, 0, nil, 0
		prev, err := storedFingerprint(ctx, tx)
		if err != nil {
			return err
		}
		res.Previous = prev
		type redo struct {
			id        int64
			late      bool
			daysLate  int
			lateAgain bool
		}
		var todo []redo
		if err := s.compareAll(ctx, tx, func(c CaseRow, division string, events []domain.Event, have []domain.Deadline) {
			res.Checked++
			p := s.PackOf(c.Jurisdiction)
			cal := s.calFor(p, division)
			st := s.replayIn(p, cal, events, string(c.Subject))
			fresh := p.Deadlines(cal, st)
			n := domain.Notice{Subject: c.Subject, DecisionDate: c.DecisionDate, Received: c.Received, Stage: intakeStage(p, events, c.Received)}
			late := p.LatenessOf(n, cal)
			lateChanged := late.Late != c.Late || late.DaysLate != c.DaysLate
			changes := diffDeadlines(c, have, fresh)
			if !sameStored(have, fresh) || lateChanged {
				res.Cases++
				todo = append(todo, redo{c.ID, late.Late, late.DaysLate, lateChanged})
			}
			if lateChanged {
				changes = append(changes, RecalcChange{Reference: c.Reference, Jurisdiction: c.Jurisdiction, Kind: "late",
					Label: "late appeal", Change: "late", Was: late.Limit,
					Detail: fmt.Sprintf("days late %d -> %d (%s)", c.DaysLate, late.DaysLate, p.AppealLimit.Citation)})
			}
			for _, ch := range changes {
				if len(res.Changes) < maxChanges {
					res.Changes = append(res.Changes, ch)
				} else {
					res.Truncated++
				}
			}
		}); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		for _, r := range todo {
			if err := s.refresh(ctx, tx, r.id); err != nil {
				return err
			}
			if r.lateAgain {
				if _, err := tx.ExecContext(ctx, "UPDATE cases SET late = ?, days_late = ? WHERE id = ?", r.late, r.daysLate, r.id); err != nil {
					return err
				}
			}
		}
		changes, _ := json.Marshal(res.Changes)
		_, err = tx.ExecContext(ctx, "INSERT INTO rules_audit(at, fingerprint, previous, cases, changes) VALUES (?, ?, ?, ?, ?)",
			res.At.Format(time.RFC3339), res.Fingerprint, res.Previous, res.Cases, string(changes))
		return err
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if res.Changes == nil {
		res.Changes = []RecalcChange{}
	}
	return res, err
}

// LastRecalc is the latest recomputation recorded, with what moved; ok is
// false when there has been none.
func (s *Store) LastRecalc(ctx context.Context) (r RecalcResult, ok bool, err error) {
	var at, changes string
	err = s.db.QueryRowContext(ctx, "SELECT at, fingerprint, previous, cases, changes FROM rules_audit ORDER BY id DESC LIMIT 1").
		Scan(&at, &r.Fingerprint, &r.Previous, &r.Cases, &changes)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, err
	}
	r.At, _ = time.Parse(time.RFC3339, at)
	if err := json.Unmarshal([]byte(changes), &r.Changes); err != nil {
		return r, true, err
	}
	if r.Changes == nil {
		r.Changes = []RecalcChange{}
	}
	return r, true, nil
}

// compareAll streams every case with its division, events and stored
// deadlines, in id order, in one pass (three cursors, never the whole
// caseload in memory).
func (s *Store) compareAll(ctx context.Context, tx *sql.Tx, f func(CaseRow, string, []domain.Event, []domain.Deadline)) error {
	qs, done, err := s.alongside(ctx, tx, 2)
	if err != nil {
		return err
	}
	defer done()
	q := tx
	cases, err := q.QueryContext(ctx, "SELECT "+caseColumns+", "+divisionColumn(ctx, q)+" FROM cases c ORDER BY c.id")
	if err != nil {
		return err
	}
	defer cases.Close()
	events, err := qs[0].QueryContext(ctx, "SELECT "+eventColumns+" FROM events ORDER BY case_id, id")
	if err != nil {
		return err
	}
	defer events.Close()
	deadlines, err := qs[1].QueryContext(ctx, "SELECT "+deadlineColumns+" FROM deadlines ORDER BY case_id, due, id")
	if err != nil {
		return err
	}
	defer deadlines.Close()
	evs := &caseStream[domain.Event]{rows: events, scan: scanEvent}
	dls := &caseStream[domain.Deadline]{rows: deadlines, scan: scanDeadline}
	for cases.Next() {
		var division string
		c, err := scanCaseRow(rowWithTail{cases, &division})
		if err != nil {
			return err
		}
		ev, err := evs.next(c.ID)
		if err != nil {
			return err
		}
		have, err := dls.next(c.ID)
		if err != nil {
			return err
		}
		f(c, division, ev, have)
	}
	return cases.Err()
}

// rowWithTail scans a case row followed by one more column.
type rowWithTail struct {
	rows *sql.Rows
	tail any
}

func (r rowWithTail) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.tail)...) }

// intakeStage is the stage a judicial review notice arrived at: the intake
// event recorded on the day received.
func intakeStage(p *domain.RulePack, events []domain.Event, received domain.Date) domain.Track {
	for _, stage := range slices.Sorted(maps.Keys(p.Intake)) {
		for _, e := range events {
			if e.Kind == p.Intake[stage] && e.On.Equal(received) {
				return domain.Track(stage)
			}
		}
	}
	return ""
}

// sameStored compares everything a deadline row stores, so stale text (a
// corrected citation) is rewritten too.
func sameStored(a, b []domain.Deadline) bool {
	key := func(d domain.Deadline) string {
		return fmt.Sprintf("%s|%s|%s|%s|%s|%v|%v|%s|%s|%s|%d|%s|%s|%v|%s|%s", d.Kind, d.Label, d.Party, d.Due, d.Rule,
			d.Provisional, d.Optional, d.Status, d.MetOn, d.Anchor, d.Days, d.Moved, d.Citation, d.PreviousDue, d.Warn, d.Warning)
	}
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, d := range a {
		seen[key(d)]++
	}
	for _, d := range b {
		seen[key(d)]--
	}
	for _, v := range seen {
		if v != 0 {
			return false
		}
	}
	return true
}

// diffDeadlines lists the deadlines whose date or status the fresh count
// changes, by kind.
func diffDeadlines(c CaseRow, have, fresh []domain.Deadline) []RecalcChange {
	old := map[string]domain.Deadline{}
	for _, d := range have {
		old[d.Kind] = d
	}
	var out []RecalcChange
	seen := map[string]bool{}
	for _, d := range fresh {
		seen[d.Kind] = true
		ch := RecalcChange{Reference: c.Reference, Jurisdiction: c.Jurisdiction, Kind: d.Kind, Label: d.Label, Now: d.Due, Detail: d.Moved}
		o, ok := old[d.Kind]
		switch {
		case !ok:
			ch.Change = "added"
		case !o.Due.Equal(d.Due):
			ch.Change, ch.Was = "moved", o.Due
		case o.Status != d.Status:
			ch.Change, ch.Was, ch.Detail = "status", o.Due, o.Status+" -> "+d.Status
		default:
			continue
		}
		if ch.Detail == "" {
			ch.Detail = d.Citation
		}
		out = append(out, ch)
	}
	for _, d := range have {
		if !seen[d.Kind] {
			out = append(out, RecalcChange{Reference: c.Reference, Jurisdiction: c.Jurisdiction, Kind: d.Kind, Label: d.Label,
				Change: "removed", Was: d.Due, Detail: "no longer due under the current rules"})
		}
	}
	return out
}
