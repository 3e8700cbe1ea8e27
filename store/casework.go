package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/caseload/caseload/domain"
)

// OldCases lists open cases with no event for the pack's stale_days, or
// received more than old_weeks ago, oldest activity first.
// Limited to one jurisdiction, that pack's thresholds apply.
func (s *Store) OldCases(ctx context.Context, today domain.Date, offset, limit int) ([]CaseRow, error) {
	j := scope(ctx)
	p := s.PackOf(j)
	stale := today.AddDays(-staleDays(p))
	old := today.AddDays(-7 * oldWeeks(p))
	if j != "" {
		return scanCaseRows(s.db.QueryContext(ctx, selectCaseBy("cases_jurisdiction_stale")+`
			WHERE c.status IN ('new', 'allocated', 'stayed') AND c.jurisdiction = ? AND (c.last_event < ? OR c.received < ?)
			ORDER BY c.last_event, c.id LIMIT ? OFFSET ?`, j, stale.String(), old.String(), limit, offset))
	}
	return scanCaseRows(s.db.QueryContext(ctx, selectCaseBy("cases_stale")+`
		WHERE c.status IN ('new', 'allocated', 'stayed') AND (c.last_event < ? OR c.received < ?)
		ORDER BY c.last_event, c.id LIMIT ? OFFSET ?`, stale.String(), old.String(), limit, offset))
}

func staleDays(p *domain.RulePack) int {
	if d := p.Casework.StaleDays; d > 0 {
		return d
	}
	return 90
}

func oldWeeks(p *domain.RulePack) int {
	if w := p.Casework.OldWeeks; w > 0 {
		return w
	}
	return 52
}

// GroupSuggestion is a set of open cases that may raise common issues
// (r18), with the evidence for thinking so.
type GroupSuggestion struct {
	Evidence   string   `json:"evidence"`
	Subject    string   `json:"subject"`
	References []string `json:"references"`
}

// SuggestGroups proposes potential lead/related groups among open cases:
// the same subject and the same HMRC reference, or the same representative
// and subject with closely similar grounds (most words in common).
func (s *Store) SuggestGroups(ctx context.Context, limit int) ([]GroupSuggestion, error) {
	var out []GroupSuggestion
	// Every order is total (ties broken by name, then reference): a
	// subquery's order does not reach an aggregate in PostgreSQL, nor
	// does either database promise one order of equal rows.
	rows, err := s.db.QueryContext(ctx, `SELECT subject, hmrc_reference, group_concat(reference, ',' ORDER BY received, reference) FROM cases
		WHERE status IN ('new', 'allocated') AND hmrc_reference != ''
		GROUP BY subject, hmrc_reference HAVING count(*) > 1 ORDER BY count(*) DESC, subject, hmrc_reference LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var subject, hmrc, refs string
		if err := rows.Scan(&subject, &hmrc, &refs); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, GroupSuggestion{Subject: subject, References: strings.Split(refs, ","),
			Evidence: fmt.Sprintf("same subject (%s) and HMRC reference %s", domain.Subject(subject).Label(), hmrc)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Same representative and subject: compare grounds by shared words.
	reps, err := s.db.QueryContext(ctx, `SELECT representative, subject FROM cases
		WHERE status IN ('new', 'allocated') AND representative != ''
		GROUP BY representative, subject HAVING count(*) BETWEEN 2 AND 200 ORDER BY count(*) DESC, representative, subject LIMIT ?`, limit*4)
	if err != nil {
		return nil, err
	}
	type pair struct{ rep, subject string }
	var pairs []pair
	for reps.Next() {
		var p pair
		if err := reps.Scan(&p.rep, &p.subject); err != nil {
			reps.Close()
			return nil, err
		}
		pairs = append(pairs, p)
	}
	reps.Close()
	for _, p := range pairs {
		if len(out) >= limit {
			break
		}
		cases, err := scanCaseRows(s.db.QueryContext(ctx, selectCase+
			` WHERE c.status IN ('new', 'allocated') AND c.representative = ? AND c.subject = ? ORDER BY c.received, c.reference LIMIT 200`, p.rep, p.subject))
		if err != nil {
			return nil, err
		}
		used := map[int]bool{}
		for i := range cases {
			if used[i] {
				continue
			}
			group := []string{cases[i].Reference}
			wi := words(cases[i].Grounds)
			for j := i + 1; j < len(cases); j++ {
				if !used[j] && similar(wi, words(cases[j].Grounds)) {
					used[j] = true
					group = append(group, cases[j].Reference)
				}
			}
			if len(group) > 1 && !covered(out, group) {
				out = append(out, GroupSuggestion{Subject: p.subject, References: group,
					Evidence: fmt.Sprintf("same representative (%s) and subject (%s), grounds closely similar", p.rep, domain.Subject(p.subject).Label())})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].References) > len(out[j].References) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func covered(groups []GroupSuggestion, refs []string) bool {
	for _, g := range groups {
		n := 0
		for _, r := range refs {
			for _, x := range g.References {
				if x == r {
					n++
				}
			}
		}
		if n == len(refs) {
			return true
		}
	}
	return false
}

// words are the grounds' significant words (four letters or more).
func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 4 {
			out[w] = true
		}
	}
	return out
}

// similar: at least 60% of the smaller set of words in common.
func similar(a, b map[string]bool) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	common := 0
	for w := range a {
		if b[w] {
			common++
		}
	}
	return common*10 >= 6*min(len(a), len(b))
}

// CreateGroup makes lead the lead case of a group and stays each related
// case behind it (r18), in one transaction.
func (s *Store) CreateGroup(ctx context.Context, name, lead string, related []string, opt ActOptions) error {
	if len(related) == 0 {
		return errors.New("a group needs at least one related case to stay behind the lead")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		apply := func(ref string, e domain.Event) error {
			id, err := caseID(ctx, tx, ref)
			if err != nil {
				return err
			}
			var late bool
			if err := tx.QueryRowContext(ctx, "SELECT late FROM cases WHERE id = ?", id).Scan(&late); err != nil {
				return err
			}
			events, err := loadEvents(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := s.prepare(ctx, tx, id, events, late, &e); err != nil {
				return fmt.Errorf("%s: %w", ref, err)
			}
			if err := s.insertEvent(ctx, tx, id, &e); err != nil {
				return err
			}
			return s.refresh(ctx, tx, id)
		}
		leadRef := normRef(lead)
		if err := apply(lead, domain.Event{Kind: domain.EventLeadCase, On: opt.On, User: opt.User,
			Data: domain.EventData{Group: name}}); err != nil {
			return err
		}
		for _, r := range related {
			if normRef(r) == leadRef {
				continue
			}
			if err := apply(r, domain.Event{Kind: domain.EventStayed, On: opt.On, User: opt.User,
				Data: domain.EventData{Lead: leadRef, Group: name}}); err != nil {
				return err
			}
		}
		return nil
	})
}
