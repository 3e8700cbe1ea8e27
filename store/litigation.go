package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/caseload/caseload/domain"
)

// The party's side of a case (issue 19). Litigation events are recorded
// like any other (Record): the domain checks them against the case in the
// transaction that writes them. The case row keeps the side it is held
// from, so the inbox can tell the defendant's own duties from the
// claimant's steps without replaying events.

// prepareLitigation checks a litigation event (and a closure of a case
// with ministerial interest) in the case's pack. ok is false for events
// that are not litigation ones: casework checks them as before.
func (s *Store) prepareLitigation(ctx context.Context, q querier, c CaseRow, events []domain.Event, e *domain.Event) (ok bool, err error) {
	p := s.PackOf(c.Jurisdiction)
	cal := s.calFor(p, caseDivisionOf(ctx, q, c.ID))
	st := s.replayIn(p, cal, events, string(c.Subject))
	return p.PrepareLitigation(cal, st, s.authorityIn(ctx, q), e)
}

// authorityIn is the [authority] configuration with the team's roles
// (the users table): a level held by a role ("role:team-leader", or the
// role's name) is held by every current user with that role.
func (s *Store) authorityIn(ctx context.Context, q querier) domain.Authority {
	a := s.authority
	a.RolesOf = func(user string) []string {
		var role string
		err := q.QueryRowContext(ctx, "SELECT role FROM users WHERE name = ? AND removed IS NULL", user).Scan(&role)
		if err != nil {
			return nil // no such user, or one person's caseload: only names in [authority] hold a level
		}
		return []string{role}
	}
	return a
}

// AuthorityHolders are the current users holding each level through a
// role, for `caseload authority levels`.
func (s *Store) AuthorityHolders(ctx context.Context) (map[string][]string, error) {
	out := map[string][]string{}
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	a := s.authorityIn(ctx, s.db)
	for _, l := range a.Levels {
		for _, u := range users {
			if a.HoldsByRole(u.Name, l.Name) {
				out[l.Name] = append(out[l.Name], u.Name)
			}
		}
	}
	return out, nil
}

// writeSide stores the side the case is held from, in refresh's
// transaction.
func writeSide(ctx context.Context, tx *sql.Tx, caseID int64, p *domain.RulePack, st domain.CaseState) error {
	var revisit any
	if t := domain.RevisitFrom(st); t != "" {
		revisit = string(t)
	}
	_, err := tx.ExecContext(ctx, "UPDATE cases SET side = ?, revisit_stage = ? WHERE id = ?", p.SideOf(st), revisit, caseID)
	return err
}

// revisitItems are the settle-or-defend decisions made at a stage the case
// has since left, read through cases_revisit. The key names the stage the
// case is at now, so a snooze lasts for this stage only.
func (s *Store) revisitItems(ctx context.Context, today domain.Date, limit int) ([]InboxItem, error) {
	j := scope(ctx)
	rows, err := s.db.QueryContext(ctx, `SELECT reference, appellant, revisit_stage, coalesce(track, ''), last_event, side
		FROM cases INDEXED BY cases_revisit WHERE revisit_stage IS NOT NULL AND (? = '' OR jurisdiction = ?)
		ORDER BY last_event LIMIT ?`, j, j, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []InboxItem
	for rows.Next() {
		var ref, appellant, from, now, last, side string
		if err := rows.Scan(&ref, &appellant, &from, &now, &last, &side); err != nil {
			return nil, err
		}
		since := mustDate(last)
		waited := max(since.DaysUntil(today), 0)
		out = append(out, InboxItem{Key: "revisit:" + ref + ":" + now, Kind: "revisit", Reference: ref, Appellant: appellant, Side: side,
			Parts: []UrgencyPart{{"decision to revisit", s.urgency.Revisit}, {plural(waited, "day") + " since the last step", float64(min(waited, 20))}},
			Reason: fmt.Sprintf("settle or defend: the decision made at %s is to be revisited now the case is at %s (decision propose, or snooze)",
				domain.Track(from).Label(), domain.Track(now).Label())})
	}
	return out, rows.Err()
}

// sideOrder marks the other side's deadlines as items to watch and, from
// the defendant's side, puts the caseworker's own duties before them; the
// queue is named as the defendant's new work. items are sorted by urgency;
// cases are the items' cases (liftByCase). The deadlines' parties are read
// in batches, not one query an item: at a million cases the per-item
// query was most of the inbox's time.
func (s *Store) sideOrder(ctx context.Context, items []InboxItem, cases map[string]inboxCase) ([]InboxItem, error) {
	kindOf := func(it InboxItem) string {
		// deadline:REF:KIND:DUE — the kind may itself hold colons (part36:12).
		rest := strings.TrimPrefix(it.Key, "deadline:"+it.Reference+":")
		return rest[:max(0, strings.LastIndex(rest, ":"))]
	}
	var ids []int64
	var kinds []string
	seenID, seenKind := map[int64]bool{}, map[string]bool{}
	for _, it := range items {
		if it.Kind == "queue" || !strings.HasPrefix(it.Key, "deadline:") || it.Reference == "" {
			continue
		}
		c, ok := cases[strings.ToUpper(it.Reference)]
		if !ok {
			continue
		}
		if !seenID[c.id] {
			seenID[c.id] = true
			ids = append(ids, c.id)
		}
		if k := kindOf(it); !seenKind[k] {
			seenKind[k] = true
			kinds = append(kinds, k)
		}
	}
	parties, err := s.deadlineParties(ctx, ids, kinds)
	if err != nil {
		return nil, err
	}
	for i := range items {
		it := &items[i]
		if it.Kind == "queue" {
			if j := scope(ctx); j != "" && s.PackOf(j).Side == domain.SideDefendant {
				it.Reason = strings.NewReplacer("new letters before claim and claims to triage", domain.QueueTitle(domain.SideDefendant),
					"new letter before claim or claim to triage", "letter before claim or claim served, to triage").Replace(it.Reason)
			}
			continue
		}
		if !strings.HasPrefix(it.Key, "deadline:") || it.Reference == "" {
			continue
		}
		c, ok := cases[strings.ToUpper(it.Reference)]
		if !ok {
			continue
		}
		d, ok := parties[caseKind{c.id, kindOf(*it)}]
		if !ok {
			continue
		}
		side := c.side
		if side == "" {
			// Written by a bulk load, or before schema 10: the pack's.
			if side = s.PackOf(c.jurisdiction).Side; side == "" {
				side = domain.SideCourt
			}
		}
		it.Side = side
		if domain.Watched(side, d.party) {
			it.Watch = true
			it.Reason = "watch: " + it.Reason
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return !items[i].Watch && items[j].Watch })
	return items, nil
}

// caseKind names a case's deadlines of one kind.
type caseKind struct {
	caseID int64
	kind   string
}

// deadlineParty is whose step a deadline is.
type deadlineParty struct {
	id    int64
	party string
}

// deadlineParties reads the party of the deadlines of the kinds kinds of
// the cases ids through deadlines_case (not deadlines_kind_due, which
// would walk every case's deadlines of a kind). Where a case has two
// deadlines of one kind the first written is taken, as the query of one
// item at a time did.
func (s *Store) deadlineParties(ctx context.Context, ids []int64, kinds []string) (map[caseKind]deadlineParty, error) {
	out := map[caseKind]deadlineParty{}
	const batch = 400
	for at := 0; at < len(ids); at += batch {
		part := ids[at:min(at+batch, len(ids))]
		args := make([]any, 0, len(part)+len(kinds))
		for _, id := range part {
			args = append(args, id)
		}
		for _, k := range kinds {
			args = append(args, k)
		}
		rows, err := s.db.QueryContext(ctx, `SELECT id, case_id, kind, party FROM deadlines INDEXED BY deadlines_case
			WHERE case_id IN (?`+strings.Repeat(", ?", len(part)-1)+`) AND kind IN (?`+strings.Repeat(", ?", len(kinds)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k caseKind
			var d deadlineParty
			if err := rows.Scan(&d.id, &k.caseID, &k.kind, &d.party); err != nil {
				rows.Close()
				return nil, err
			}
			if was, ok := out[k]; !ok || d.id < was.id {
				out[k] = d
			}
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, err
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OfferView is one Part 36 offer in the register with where it stands.
type OfferView struct {
	ID          int64       `json:"id"`
	Way         string      `json:"way"` // made or received
	By          string      `json:"by"`
	Amount      string      `json:"amount,omitempty"` // £1,234.56
	AmountPence int64       `json:"amount_pence,omitempty"`
	Terms       string      `json:"terms,omitempty"`
	Served      domain.Date `json:"served"`
	ServedHow   string      `json:"served_how,omitempty"`
	Days        int         `json:"relevant_period_days"`
	PeriodEnds  domain.Date `json:"relevant_period_ends"`
	State       string      `json:"state"` // open, expired (period ended, not accepted or withdrawn), accepted, withdrawn
	StateOn     domain.Date `json:"state_on,omitzero"`
	Changes     []string    `json:"changes,omitempty"`
}

// LitigationView is the party's side of one case: what the litigator
// records and the deadlines split into the side's own duties and the
// other side's steps to watch.
type LitigationView struct {
	Reference    string                    `json:"reference"`
	Side         string                    `json:"side"`
	Stage        domain.Track              `json:"stage,omitempty"`
	Own          []domain.Deadline         `json:"own"`   // the side's own duties first
	Watch        []domain.Deadline         `json:"watch"` // the other side's steps
	Offers       []OfferView               `json:"offers"`
	Decisions    []domain.Decision         `json:"decisions"`
	Revisit      bool                      `json:"revisit"` // the stage moved on since the latest settle-or-defend decision
	Authority    []domain.AuthorityRequest `json:"authority"`
	Instructions []domain.Instruction      `json:"instructions"`
	TimeRequests []domain.TimeRequest      `json:"time_requests"`
	Briefings    []domain.Briefing         `json:"briefings"`
	Flags        []string                  `json:"flags"`
	Outcome      string                    `json:"outcome,omitempty"`
	OutcomeStage domain.Track              `json:"outcome_stage,omitempty"`
}

// Litigation returns the party's side of the case ref on a day.
func (s *Store) Litigation(ctx context.Context, ref string, today domain.Date) (*LitigationView, error) {
	c, err := s.Case(ctx, ref)
	if err != nil {
		return nil, err
	}
	p := s.PackOf(c.Jurisdiction)
	cal := s.calFor(p, caseDivisionOf(ctx, s.db, c.ID))
	st := s.replayIn(p, cal, c.Events, string(c.Subject))
	l := st.Litigation
	v := &LitigationView{Reference: c.Reference, Side: p.SideOf(st), Stage: st.Track, Own: []domain.Deadline{}, Watch: []domain.Deadline{},
		Offers: []OfferView{}, Decisions: orEmpty(l.Decisions), Authority: orEmpty(l.Authority), Instructions: orEmpty(l.Instructions),
		TimeRequests: orEmpty(l.TimeRequests), Briefings: orEmpty(l.Briefings), Flags: orEmpty(st.Flags),
		Outcome: l.Outcome, OutcomeStage: l.OutcomeStage}
	for _, d := range c.Deadlines {
		if domain.Watched(v.Side, d.Party) {
			v.Watch = append(v.Watch, d)
		} else {
			v.Own = append(v.Own, d)
		}
	}
	for _, o := range l.Offers {
		ends := p.PeriodEnds(cal, o)
		ov := OfferView{ID: o.ID, Way: o.Way, By: o.By, AmountPence: o.AmountPence, Terms: o.Terms, Served: o.Served,
			ServedHow: o.ServedHow, Days: o.Days, PeriodEnds: ends, State: domain.OfferState(o, today, ends), StateOn: o.StateOn, Changes: o.Changes}
		if o.AmountPence > 0 {
			ov.Amount = domain.FormatPence(o.AmountPence)
		}
		v.Offers = append(v.Offers, ov)
	}
	v.Revisit = domain.RevisitFrom(st) != ""
	return v, nil
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// ErrNoSuchOffer: the offer named is not on the case.
var ErrNoSuchOffer = errors.New("no such Part 36 offer")

// CheckOffer reports whether id is one of the case's Part 36 offers (its
// number in the register, the event that made it).
func (s *Store) CheckOffer(ctx context.Context, ref string, id int64) error {
	st, err := s.Replayed(ctx, ref)
	if err != nil {
		return err
	}
	var ids []string
	for _, o := range st.Litigation.Offers {
		if o.ID == id {
			return nil
		}
		ids = append(ids, fmt.Sprint(o.ID))
	}
	return fmt.Errorf("%s: there is no Part 36 offer %d (offers: %s): %w", normRef(ref), id, strings.Join(append(ids, "none")[:max(1, len(ids))], ", "), ErrNoSuchOffer)
}

// Authority is the [authority] configuration the store checks approvals
// against; SetAuthority replaces it (the demo's levels, when the
// configuration has none).
func (s *Store) Authority() domain.Authority { return s.authority }

// SetAuthority sets the authority levels approvals are checked against.
func (s *Store) SetAuthority(a domain.Authority) { s.authority = a }

// revisitWant is a case whose latest decision is to be revisited, and the
// stage it was made at.
type revisitWant struct{ ref, stage string }

// checkRevisit compares the stored decisions to revisit with those the
// events give (Check), both ways.
func checkRevisit(ctx context.Context, tx *sql.Tx, want map[int64]revisitWant) ([]CheckProblem, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, reference, revisit_stage FROM cases INDEXED BY cases_revisit WHERE revisit_stage IS NOT NULL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CheckProblem
	seen := map[int64]bool{}
	for rows.Next() {
		var id int64
		var ref, stage string
		if err := rows.Scan(&id, &ref, &stage); err != nil {
			return nil, err
		}
		seen[id] = true
		if w, ok := want[id]; !ok || w.stage != stage {
			out = append(out, CheckProblem{ref, fmt.Sprintf("stored decision to revisit (made at %s) does not match its events (%q)", stage, want[id].stage)})
		}
	}
	for id, w := range want {
		if !seen[id] {
			out = append(out, CheckProblem{w.ref, fmt.Sprintf("the decision made at %s is to be revisited, but is not stored so", w.stage)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Reference < out[j].Reference })
	return out, rows.Err()
}
