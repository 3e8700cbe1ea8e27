package store

import (
	"context"
	"database/sql"
	"slices"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/report"
)

// serviceReport fills one of the service centre's reports; ok is false
// for a name that is not one of them.
func (s *Store) serviceReport(ctx context.Context, name string, r *report.Report) (ok bool, err error) {
	switch name {
	case "queries":
		return true, s.queriesReport(ctx, r)
	case "complaints":
		return true, s.complaintsReport(ctx, r)
	case "support-needs":
		return true, s.supportReport(ctx, r)
	case "fees":
		return true, s.feesReport(ctx, r)
	}
	return false, nil
}

// scopeQueries keeps queries (alias q) on the context's jurisdiction's
// cases, and those on no case.
func scopeQueries(ctx context.Context) string {
	j := scope(ctx)
	if j == "" {
		return ""
	}
	return " AND (q.case_id IS NULL OR q.case_id IN (SELECT id FROM cases WHERE jurisdiction = " + quote(j) + "))"
}

type queryFacts struct {
	received, resolved, within, first, overdue int
	days                                       []float64
}

func (s *Store) queriesReport(ctx context.Context, r *report.Report) error {
	r.Title = "Service centre queries"
	rows, err := s.db.QueryContext(ctx, `SELECT q.channel, q.topic, q.status, q.received, q.due, q.resolved_on, q.first_contact
		FROM queries q INDEXED BY queries_received WHERE q.received BETWEEN ? AND ?`+scopeQueries(ctx), r.From.String(), r.To.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	byChannel, byTopic := map[string]*queryFacts{}, map[string]*queryFacts{}
	total := &queryFacts{}
	for rows.Next() {
		var ch, topic, status, received, due string
		var resolved sql.NullString
		var first bool
		if err := rows.Scan(&ch, &topic, &status, &received, &due, &resolved, &first); err != nil {
			return err
		}
		for _, m := range []struct {
			by  map[string]*queryFacts
			key string
		}{{byChannel, ch}, {byTopic, topic}, {nil, ""}} {
			f := total
			if m.by != nil {
				if m.by[m.key] == nil {
					m.by[m.key] = &queryFacts{}
				}
				f = m.by[m.key]
			}
			f.received++
			if resolved.Valid {
				f.resolved++
				if resolved.String <= due {
					f.within++
				}
				if first {
					f.first++
				}
				f.days = append(f.days, float64(domain.WorkingDaysBetween(s.cal, mustDate(received), mustDate(resolved.String))))
			} else if r.To.String() > due {
				f.overdue++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	cols := []string{"", "received", "resolved", "within service level", "first-contact resolution", "median working days to resolve", "open past service level"}
	row := func(label string, f *queryFacts) []string {
		return []string{label, itoa(f.received), itoa(f.resolved), pct(f.within, f.resolved), pct(f.first, f.resolved), median(f.days), itoa(f.overdue)}
	}
	ch := report.Table{Title: "By channel", Columns: append([]string{"channel"}, cols[1:]...), Chart: "received"}
	for _, c := range domain.Channels {
		if f := byChannel[string(c)]; f != nil {
			ch.Rows = append(ch.Rows, row(string(c), f))
		}
	}
	ch.Rows = append(ch.Rows, row("all", total))
	tp := report.Table{Title: "By topic", Columns: append([]string{"topic"}, cols[1:]...), Chart: "received"}
	topics := s.queries.topics.Slugs()
	for t := range byTopic {
		if !slices.Contains(topics, t) {
			topics = append(topics, t)
		}
	}
	for _, t := range topics {
		if f := byTopic[t]; f != nil {
			tp.Rows = append(tp.Rows, row(t, f))
		}
	}
	r.Tables = []report.Table{ch, tp}
	r.Notes = []string{
		"received: queries whose received date falls in the range (calls, webchats, emails, letters and visits; an imported email is a query).",
		"resolved: of those, the queries resolved by now, whenever that was.",
		"within service level: resolved on or before the last day of the query's service level (by channel and topic, in working days; a complaint's by its stage), ÷ resolved.",
		"first-contact resolution: resolved on the day it was received, never having waited on the user or been passed or escalated, ÷ resolved.",
		"median working days to resolve: working days after the day received up to the day resolved (0: the same day), over resolved queries.",
		"open past service level: still open and past the last day of its service level at the end of the range.",
	}
	return nil
}

func (s *Store) complaintsReport(ctx context.Context, r *report.Report) error {
	r.Title = "Complaints by stage and outcome"
	outcomes := append(slices.Clone(domain.Outcomes), "awaiting response")
	t := report.Table{Title: "By stage reached", Columns: append(append([]string{"stage"}, outcomes...), "responded within service level", "all"), Chart: "all"}
	rows, err := s.db.QueryContext(ctx, `SELECT q.complaint_stage, q.outcome, q.responded_on, q.complaint_due FROM queries q INDEXED BY queries_received
		WHERE q.complaint_stage IS NOT NULL AND q.received BETWEEN ? AND ?`+scopeQueries(ctx), r.From.String(), r.To.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	counts := map[int]map[string]int{}
	ontime, all := map[int]int{}, map[int]int{}
	for rows.Next() {
		var stage int
		var outcome, due string
		var responded sql.NullString
		if err := rows.Scan(&stage, &outcome, &responded, &due); err != nil {
			return err
		}
		if counts[stage] == nil {
			counts[stage] = map[string]int{}
		}
		if !responded.Valid {
			outcome = "awaiting response"
		} else if responded.String <= due {
			ontime[stage]++
		}
		counts[stage][outcome]++
		all[stage]++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for stage := 1; stage <= 3; stage++ {
		if all[stage] == 0 {
			continue
		}
		row := []string{domain.StageName(stage)}
		for _, o := range outcomes {
			row = append(row, itoa(counts[stage][o]))
		}
		responded := all[stage] - counts[stage]["awaiting response"]
		t.Rows = append(t.Rows, append(row, pct(ontime[stage], responded), itoa(all[stage])))
	}
	r.Tables = []report.Table{t}
	r.Notes = []string{
		"complaints: queries marked as complaints and received in the range, each counted once, at the stage it has reached now.",
		"outcome: the response recorded at that stage (upheld, partly upheld, not upheld, withdrawn); awaiting response: none recorded yet.",
		"responded within service level: responses recorded on or before the stage's last day (HMCTS published defaults: 10, 10 and 15 working days, settings), ÷ responses at that stage.",
	}
	return nil
}

func (s *Store) supportReport(ctx context.Context, r *report.Report) error {
	r.Title = "Support needs by type"
	statuses := []string{"requested", "active", "inactive", "not-approved"}
	t := report.Table{Title: "By code", Columns: append(append([]string{"code", "need"}, statuses...), "matter at hearing", "all"), Chart: "all"}
	rows, err := s.db.QueryContext(ctx, `SELECT n.code, n.status, n.hearing FROM support_needs n
		WHERE n.requested BETWEEN ? AND ?`+scopeEvents(ctx, "n.case_id")+` ORDER BY n.code`, r.From.String(), r.To.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	type facts struct {
		by             map[string]int
		hearing, total int
	}
	byCode := map[string]*facts{}
	var codes []string
	for rows.Next() {
		var code, status string
		var hearing bool
		if err := rows.Scan(&code, &status, &hearing); err != nil {
			return err
		}
		f := byCode[code]
		if f == nil {
			f = &facts{by: map[string]int{}}
			byCode[code] = f
			codes = append(codes, code)
		}
		f.by[status]++
		f.total++
		if hearing {
			f.hearing++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range codes {
		f := byCode[c]
		label := c
		if sc, err := domain.LookupSupportCode(c); err == nil {
			label = sc.Label
		}
		row := []string{c, label}
		for _, st := range statuses {
			row = append(row, itoa(f.by[st]))
		}
		t.Rows = append(t.Rows, append(row, itoa(f.hearing), itoa(f.total)))
	}
	r.Tables = []report.Table{t}
	r.Notes = []string{
		"support needs: needs requested in the range, by HMCTS reference code (RA: reasonable adjustment, PF: party flag; CL-AD01 is caseload's code for assisted digital support), counted at their status now.",
		"matter at hearing: of those, needs marked as mattering at a hearing (shown in the hearing readiness check).",
	}
	return nil
}

func (s *Store) feesReport(ctx context.Context, r *report.Report) error {
	r.Title = "Fees unpaid, under-paid and over-paid"
	// The range's fees from fees_due (schema 8), then their cases: with
	// few fees the planner read every case and probed its fees (5 ms at
	// 100,000 cases, growing with the caseload).
	rows, err := s.db.QueryContext(ctx, "SELECT "+feeColumns+` FROM fees f INDEXED BY fees_due CROSS JOIN cases c ON c.id = f.case_id
		WHERE f.due_on BETWEEN ? AND ?`+scopeCases(ctx, "c.")+` ORDER BY f.due_on, f.id`, r.From.String(), r.To.String())
	if err != nil {
		return err
	}
	fees, err := scanFees(rows, nil)
	if err != nil {
		return err
	}
	summary := report.Table{Title: "By fee", Columns: []string{"fee", "due", "unpaid", "under-paid", "paid or remitted", "over-paid", "owed"}, Chart: "due"}
	type facts struct{ due, unpaid, under, settled, over, owed int64 }
	byCode := map[string]*facts{}
	var codes []string
	detail := report.Table{Title: "Under- and over-payments", Columns: []string{"fee", "case", "code", "amount", "remitted", "paid", "balance"}}
	for _, f := range fees {
		x := byCode[f.Code]
		if x == nil {
			x = &facts{}
			byCode[f.Code] = x
			codes = append(codes, f.Code)
		}
		x.due++
		switch {
		case f.BalancePence > 0 && f.PaidPence == 0:
			x.unpaid++
			x.owed += f.BalancePence
		case f.BalancePence > 0:
			x.under++
			x.owed += f.BalancePence
		case f.BalancePence < 0:
			x.over++
		default:
			x.settled++
		}
		if f.PaidPence > 0 && f.BalancePence != 0 {
			remitted := "–"
			if f.Remission != nil {
				remitted = f.Remission.Reference
			}
			detail.Rows = append(detail.Rows, []string{itoa(int(f.ID)), f.Reference, f.Code, domain.FormatPence(f.AmountPence), remitted,
				domain.FormatPence(f.PaidPence), signedPence(f.BalancePence)})
		}
	}
	for _, c := range codes {
		x := byCode[c]
		summary.Rows = append(summary.Rows, []string{c, itoa(int(x.due)), itoa(int(x.unpaid)), itoa(int(x.under)), itoa(int(x.settled)),
			itoa(int(x.over)), domain.FormatPence(x.owed)})
	}
	r.Tables = []report.Table{summary, detail}
	r.Notes = []string{
		"due: fees made due on a case in the range, by the code in the pack's fee table (the amount is the table's, citing its fees order).",
		"unpaid: nothing paid and something owed; under-paid: something paid, something still owed; over-paid: more paid than owed.",
		"owed: the fee less any help with fees remission and the payments allocated to it, for unpaid and under-paid fees.",
		"under- and over-payments: each fee with a payment and a balance other than nil; balance negative when over-paid.",
	}
	return nil
}

func signedPence(p int64) string {
	if p < 0 {
		return "-" + domain.FormatPence(-p)
	}
	return domain.FormatPence(p)
}
