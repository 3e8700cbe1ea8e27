package store

import (
	"context"
	"slices"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/report"
)

// litigationReport is the government litigator's report (issue 19): how
// claims ended at each stage, whether letters before claim and claims were
// answered on time, requests for more time and their repeats, Part 36
// offers, and settlements by the authority they were made under.
func (s *Store) litigationReport(ctx context.Context, r *report.Report) error {
	r.Title = "Litigation: outcomes, responses on time, time requests, Part 36 offers, settlements"
	from, to := r.From.String(), r.To.String()

	// Outcomes by the stage the case was at when it ended.
	byStage := map[string]map[string]int{}
	rows, err := s.db.QueryContext(ctx, `SELECT coalesce(json_extract(data, '$.litigation.stage'), ''),
		coalesce(json_extract(data, '$.litigation.outcome'), '') FROM events
		WHERE kind IN ('outcome', 'settled') AND on_date BETWEEN ? AND ?`+scopeEvents(ctx, "case_id"), from, to)
	if err != nil {
		return err
	}
	var stages []string
	for rows.Next() {
		var stage, outcome string
		if err := rows.Scan(&stage, &outcome); err != nil {
			rows.Close()
			return err
		}
		if byStage[stage] == nil {
			byStage[stage] = map[string]int{}
			stages = append(stages, stage)
		}
		byStage[stage][outcome]++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	order := func(st string) int {
		all := append(append([]domain.Track{}, domain.Stages...), domain.LitigationStages...)
		if i := slices.Index(all, domain.Track(st)); i >= 0 {
			return i
		}
		return len(all)
	}
	slices.SortStableFunc(stages, func(a, b string) int { return order(a) - order(b) })
	outcomes := report.Table{Title: "Outcomes by stage", Columns: append(append([]string{"stage"}, domain.ClaimOutcomes...), "all"), Chart: "all"}
	totals := map[string]int{}
	for _, st := range stages {
		label := domain.Track(st).Label()
		if st == "" {
			label = "not recorded"
		}
		row, n := []string{label}, 0
		for _, o := range domain.ClaimOutcomes {
			row = append(row, itoa(byStage[st][o]))
			n += byStage[st][o]
			totals[o] += byStage[st][o]
		}
		outcomes.Rows = append(outcomes.Rows, append(row, itoa(n)))
	}
	row, n := []string{"all"}, 0
	for _, o := range domain.ClaimOutcomes {
		row, n = append(row, itoa(totals[o])), n+totals[o]
	}
	outcomes.Rows = append(outcomes.Rows, append(row, itoa(n)))

	// Responses on time: deadlines due in the range.
	onTime := report.Table{Title: "Defendant's responses due in the range", Columns: []string{"deadline", "due", "on time", "late", "outstanding", "on time %"}}
	for _, k := range []struct{ kind, label string }{
		{"pap_response", "response to letter before claim (14 days)"},
		{"acknowledgment_of_service", "acknowledgment of service"},
		{"defence", "defence"},
		{"detailed_grounds", "detailed grounds and evidence"},
	} {
		var due, ok, late, open int
		err := s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN d.status = 'met' AND d.met_on <= d.due THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN d.status = 'met' AND d.met_on > d.due THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN d.status = 'open' THEN 1 ELSE 0 END), 0)
			FROM deadlines d JOIN cases c ON c.id = d.case_id
			WHERE d.kind = ? AND d.due BETWEEN ? AND ? AND d.status != 'stopped'`+scopeCases(ctx, "c."), k.kind, from, to).
			Scan(&due, &ok, &late, &open)
		if err != nil {
			return err
		}
		onTime.Rows = append(onTime.Rows, []string{k.label, itoa(due), itoa(ok), itoa(late), itoa(open), pct(ok, ok+late)})
	}

	// Requests for more time by the defendant.
	var reqs, repeats, agreed, repeatCases int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN CAST(json_extract(data, '$.litigation.repeat') AS BIGINT) = 1 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN CAST(json_extract(data, '$.litigation.agreed') AS BIGINT) = 1 THEN 1 ELSE 0 END), 0),
		count(DISTINCT CASE WHEN CAST(json_extract(data, '$.litigation.repeat') AS BIGINT) = 1 THEN case_id END)
		FROM events WHERE kind = 'time-requested' AND on_date BETWEEN ? AND ?`+scopeEvents(ctx, "case_id"), from, to).
		Scan(&reqs, &repeats, &agreed, &repeatCases); err != nil {
		return err
	}
	requests := report.Table{Title: "Requests for more time by the defendant", Columns: []string{"requests", "repeated", "cases with a repeat", "agreed (CPR 15.5)"},
		Rows: [][]string{{itoa(reqs), itoa(repeats), itoa(repeatCases), itoa(agreed)}}}

	// Part 36 offers.
	p36 := report.Table{Title: "Part 36 offers", Columns: []string{"offers", "made in the range", "accepted in the range"}}
	for _, way := range []string{"made", "received"} {
		var offers, accepted int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE kind = 'part36-offer' AND on_date BETWEEN ? AND ?
			AND json_extract(data, '$.litigation.way') = ?`+scopeEvents(ctx, "case_id"), from, to, way).Scan(&offers); err != nil {
			return err
		}
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events a JOIN events o ON o.id = CAST(json_extract(a.data, '$.refers') AS BIGINT)
			WHERE a.kind = 'part36-accepted' AND a.on_date BETWEEN ? AND ? AND json_extract(o.data, '$.litigation.way') = ?`+
			scopeEvents(ctx, "a.case_id"), from, to, way).Scan(&accepted); err != nil {
			return err
		}
		who := map[string]string{"made": "by our side", "received": "by the other side"}[way]
		p36.Rows = append(p36.Rows, []string{who, itoa(offers), itoa(accepted)})
	}

	// Settlements by authority level.
	settled := report.Table{Title: "Settlements by authority level", Columns: []string{"level", "settlements", "damages", "costs"}, Chart: "settlements"}
	rows, err = s.db.QueryContext(ctx, `SELECT coalesce(json_extract(data, '$.litigation.level'), ''), count(*),
		coalesce(sum(CAST(json_extract(data, '$.litigation.amount_pence') AS BIGINT)), 0), coalesce(sum(CAST(json_extract(data, '$.litigation.costs_pence') AS BIGINT)), 0)
		FROM events WHERE kind = 'settled' AND on_date BETWEEN ? AND ?`+scopeEvents(ctx, "case_id")+` GROUP BY 1`, from, to)
	if err != nil {
		return err
	}
	byLevel := map[string][3]int64{}
	for rows.Next() {
		var level string
		var n, dam, costs int64
		if err := rows.Scan(&level, &n, &dam, &costs); err != nil {
			rows.Close()
			return err
		}
		byLevel[level] = [3]int64{n, dam, costs}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var levels []string
	for _, l := range s.authority.Levels {
		levels = append(levels, l.Name)
	}
	for l := range byLevel {
		if !slices.Contains(levels, l) {
			levels = append(levels, l)
		}
	}
	for _, l := range levels {
		v := byLevel[l]
		label := l
		if l == "" {
			label = "(no level recorded)"
		}
		settled.Rows = append(settled.Rows, []string{label, itoa(int(v[0])), domain.FormatPence(v[1]), domain.FormatPence(v[2])})
	}
	r.Tables = []report.Table{outcomes, onTime, requests, p36, settled}
	r.Notes = []string{
		"outcomes: 'outcome' and 'settled' events dated in the range, by the stage the case was at when it was recorded (a settlement counts as settled).",
		"responses: the defendant's deadlines (letter before claim response, acknowledgment of service, defence, detailed grounds) due in the range, as counted by the case's pack; on time = met on or before the due date; late = met after it; outstanding = not met at the time of the report; deadlines stopped by a closed or stayed case are left out; on time % = on time / (on time + late).",
		"time requests: 'time-requested' events dated in the range; repeated = a second or later request on the same deadline of a case (each needs a full explanation and a firm date: R (Jasbir Singh) v SSHD [2013] EWHC 2873 (Admin)); agreed = extensions agreed with the claimant under CPR 15.5.",
		"Part 36 offers: offers served (recorded) in the range, by whether our side made or received them; accepted = acceptances dated in the range, by who made the offer accepted, whenever it was made.",
		"settlements: 'settled' events dated in the range by the level of the damages authority approved (the costs authority's when only costs were settled); amounts are the totals recorded.",
	}
	return nil
}
