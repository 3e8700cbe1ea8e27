package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/caseload/caseload/domain"
)

// serviceCentreItems are the inbox's queries and fees: open queries rise
// as their service level nears and passes, like mail; a fee with money
// still owed waits until it is paid or remitted. The weights are the
// inbox's own, so an office tunes one set: a query weighs as a message
// waiting (mail), a complaint adds the urgent flag's points, and an
// overdue answer counts like an overdue reply. A query that came as an
// email is left to the message's own item, so it is not shown twice.
func (s *Store) serviceCentreItems(ctx context.Context, today domain.Date, limit int) ([]InboxItem, error) {
	w := s.urgency
	qs, err := s.Queries(ctx, QueryFilter{Open: true}, 0, limit)
	if err != nil {
		return nil, err
	}
	var out []InboxItem
	for _, q := range qs {
		if q.MailID != 0 {
			continue
		}
		it := InboxItem{Key: fmt.Sprintf("query:%d", q.ID), Kind: "query", QueryID: q.ID, Reference: q.Reference, Due: q.Due,
			Parts: []UrgencyPart{{"query waiting", w.Mail}}}
		left := today.DaysUntil(q.Due)
		switch {
		case left < 0:
			it.Parts = append(it.Parts, UrgencyPart{"answer overdue " + plural(-left, "day"), w.OverduePerDay*float64(min(-left, 30)) + w.Overdue/2})
		case left <= 2:
			it.Parts = append(it.Parts, UrgencyPart{"answer due in " + plural(left, "day"), float64(3-left) * 5})
		}
		what := "query"
		if q.Complaint != nil {
			what = fmt.Sprintf("complaint (stage %d)", q.Complaint.Stage)
			it.Kind = "complaint"
			it.Parts = append(it.Parts, UrgencyPart{"complaint", w.Urgent})
		}
		it.Reason = fmt.Sprintf("%s %s from %s, %s: %s (answer by %s)", q.Channel, what, q.Contact.Name, q.Status,
			oneLine(q.Summary), q.Due.Long())
		out = append(out, it)
	}
	fees, err := s.UnpaidFees(ctx, limit)
	if err != nil {
		return nil, err
	}
	for _, f := range fees {
		waited := f.DueOn.DaysUntil(today)
		what := "unpaid"
		if f.PaidPence > 0 {
			what = "under-paid"
		}
		out = append(out, InboxItem{Key: fmt.Sprintf("fee:%d", f.ID), Kind: "fee", Reference: f.Reference, Due: f.DueOn,
			Parts:  []UrgencyPart{{"fee " + what, w.Mail}, {plural(waited, "day") + " owed", float64(min(max(waited, 0), 20))}},
			Reason: fmt.Sprintf("fee %s %s: %s owed of %s (%s)", f.Code, what, domain.FormatPence(f.BalancePence), domain.FormatPence(f.AmountPence), f.Application)})
	}
	return out, nil
}

// annotateHearingNeeds adds to each hearing readiness item the support
// needs that matter at the hearing, so the check covers interpreters,
// loops and access as well as the parties' readiness. The needs of all
// the items' cases are read in batches, not one query an item.
func (s *Store) annotateHearingNeeds(ctx context.Context, items []InboxItem) error {
	readiness := func(it InboxItem) bool {
		return it.Reference != "" && strings.HasPrefix(it.Key, "deadline:") && strings.Contains(it.Key, ":readiness_check:")
	}
	var refs []string
	seen := map[string]bool{}
	for _, it := range items {
		if r := normRef(it.Reference); readiness(it) && !seen[r] {
			seen[r] = true
			refs = append(refs, r)
		}
	}
	byRef, err := s.hearingNeedsOf(ctx, refs)
	if err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		if !readiness(*it) {
			continue
		}
		needs := byRef[normRef(it.Reference)]
		if len(needs) == 0 {
			continue
		}
		var what []string
		for _, n := range needs {
			what = append(what, fmt.Sprintf("%s %s (%s, %s)", n.Code, n.Label, n.Party, n.Status))
		}
		it.Reason += "; at the hearing: " + strings.Join(what, ", ")
	}
	return nil
}

// hearingNeedsOf is HearingNeeds for each of the cases refs (normalised),
// keyed by normalised reference, oldest need first.
func (s *Store) hearingNeedsOf(ctx context.Context, refs []string) (map[string][]domain.SupportNeed, error) {
	out := map[string][]domain.SupportNeed{}
	const batch = 400
	for at := 0; at < len(refs); at += batch {
		part := refs[at:min(at+batch, len(refs))]
		args := make([]any, len(part))
		for i, r := range part {
			args[i] = r
		}
		rows, err := s.db.QueryContext(ctx, "SELECT "+supportColumns+` FROM support_needs n JOIN cases c ON c.id = n.case_id
			WHERE c.reference IN (?`+strings.Repeat(", ?", len(part)-1)+") ORDER BY n.id", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			n, err := scanSupport(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if n.Hearing && (n.Status == domain.SupportActive || n.Status == domain.SupportRequested) {
				r := normRef(n.Reference)
				out[r] = append(out[r], n)
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
