package store

import (
	"context"
	"fmt"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/report"
)

// ReportByScan is Report for the reports schema 8 changed (extensions and
// rejections), computed as schema 7 computed them: counting the cases and
// events themselves. The tests compare the two.
func (s *Store) ReportByScan(ctx context.Context, name string, from, to domain.Date, by string) (*report.Report, error) {
	r := &report.Report{Name: name, From: from, To: to, By: by}
	periods := report.Periods(from, to, by)
	var err error
	switch name {
	case "rejections":
		err = s.rejectionsByScan(ctx, r, periods)
	case "extensions":
		err = s.extensionsByScan(ctx, r, periods)
	default:
		return nil, fmt.Errorf("no scan for the report %q", name)
	}
	return r, err
}

// The two reports exactly as schema 7 wrote them.

func (s *Store) rejectionsByScan(ctx context.Context, r *report.Report, periods []report.Period) error {
	r.Title = "Rejection rates: notices returned"
	t := report.Table{Title: "By " + r.By, Columns: []string{r.By, "received", "returned", "rejection rate"},
		// The bar beside the rate charts the rate: two weeks of one return
		// each at 2.3% and 7.1% are not the same.
		Chart: "rejection rate"}
	sc, se := scopeCases(ctx, ""), scopeEvents(ctx, "case_id")
	for _, p := range periods {
		received, err := s.count(ctx, "SELECT count(*) FROM cases WHERE received BETWEEN ? AND ?"+sc, p.From.String(), p.To.String())
		if err != nil {
			return err
		}
		returned, err := s.count(ctx, "SELECT count(DISTINCT case_id) FROM events WHERE kind = 'returned' AND on_date BETWEEN ? AND ?"+notUndone("")+se,
			p.From.String(), p.To.String())
		if err != nil {
			return err
		}
		t.Rows = append(t.Rows, []string{p.Label, itoa(received), itoa(returned), pct(returned, received)})
	}
	reasons := report.Table{Title: "Returns by reason", Columns: []string{"reason", "notices"}, Chart: "notices"}
	rows, err := s.db.QueryContext(ctx, `SELECT j.value, count(*) FROM events e, json_each(e.data, '$.reasons') j
		WHERE e.kind = 'returned' AND e.on_date BETWEEN ? AND ?`+notUndone("e.")+scopeEvents(ctx, "e.case_id")+` GROUP BY j.value ORDER BY count(*) DESC, j.value`,
		r.From.String(), r.To.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var reason string
		var n int
		if err := rows.Scan(&reason, &n); err != nil {
			return err
		}
		reasons.Rows = append(reasons.Rows, []string{reason, itoa(n)})
	}
	r.Tables = []report.Table{t, reasons}
	r.Notes = []string{
		"received: notices of appeal whose received date falls in the period (the date on the notice, not the import date).",
		"returned: cases with a 'returned' event dated in the period (a notice returned incomplete under r20); a case returned twice in one period counts once.",
		"rejection rate: returned ÷ received for the same period. A notice received in one period may be returned in the next.",
		"returns by reason: each reason given on a return in the whole range counts once; one return can give several reasons.",
	}
	return rows.Err()
}

func (s *Store) extensionsByScan(ctx context.Context, r *report.Report, periods []report.Period) error {
	r.Title = "Extension-of-time requests"
	from, to := r.From.String(), r.To.String()
	type tally struct {
		granted, refused, pending int
		days                      []float64
	}
	order := append(s.scopeTracks(ctx), "not yet allocated")
	permission, extension := s.scopeCitations(ctx)
	tables := func(title, daysCol string, q string) (report.Table, error) {
		by := map[string]*tally{}
		rows, err := s.db.QueryContext(ctx, q, to, from, to)
		if err != nil {
			return report.Table{}, err
		}
		defer rows.Close()
		for rows.Next() {
			var track, decision string
			var days float64
			if err := rows.Scan(&track, &days, &decision); err != nil {
				return report.Table{}, err
			}
			if track == "" {
				track = "not yet allocated"
			}
			t := by[track]
			if t == nil {
				t = &tally{}
				by[track] = t
			}
			switch decision {
			case "granted":
				t.granted++
			case "refused":
				t.refused++
			default:
				t.pending++
			}
			t.days = append(t.days, days)
		}
		tab := report.Table{Title: title, Columns: []string{"track", "requests", "granted", "refused", "pending", daysCol}, Chart: "requests"}
		var all tally
		for _, tr := range order {
			t := by[tr]
			if t == nil {
				t = &tally{}
			}
			label := tr
			if d, err := domain.ParseTrack(tr); err == nil {
				label = d.Label()
			}
			tab.Rows = append(tab.Rows, []string{label, itoa(t.granted + t.refused + t.pending), itoa(t.granted), itoa(t.refused), itoa(t.pending), median(t.days)})
			all.granted, all.refused, all.pending = all.granted+t.granted, all.refused+t.refused, all.pending+t.pending
			all.days = append(all.days, t.days...)
		}
		tab.Rows = append(tab.Rows, []string{"all", itoa(all.granted + all.refused + all.pending), itoa(all.granted), itoa(all.refused), itoa(all.pending), median(all.days)})
		return tab, rows.Err()
	}
	late, err := tables("Late appeals: permission to appeal late ("+permission+")", "median days late", `
		SELECT coalesce(c.track, ''), c.days_late, coalesce((SELECT replace(e.kind, 'permission-', '') FROM events e
			WHERE e.case_id = c.id AND e.kind IN ('permission-granted', 'permission-refused') AND e.on_date <= ?`+notUndone("e.")+`
			ORDER BY e.id DESC LIMIT 1), 'pending')
		FROM cases c WHERE c.received BETWEEN ? AND ? AND c.late = 1`+scopeCases(ctx, "c."))
	if err != nil {
		return err
	}
	deadlines, err := tables("Extensions of time on deadlines ("+extension+")", "median days asked", `
		SELECT coalesce(c.track, ''), coalesce(CAST(json_extract(e.data, '$.days') AS BIGINT), 0), coalesce((SELECT replace(d.kind, 'extension-', '')
			FROM events d WHERE d.case_id = e.case_id AND d.kind IN ('extension-granted', 'extension-refused')
			AND CAST(json_extract(d.data, '$.refers') AS BIGINT) = e.id AND d.on_date <= ?1`+notUndone("d.")+` LIMIT 1), 'pending')
		FROM events e JOIN cases c ON c.id = e.case_id
		WHERE e.kind = 'extension-requested' AND e.on_date BETWEEN ?2 AND ?3`+notUndone("e.")+scopeCases(ctx, "c."))
	if err != nil {
		return err
	}
	trend := report.Table{Title: "By " + r.By, Columns: []string{r.By, "late appeals", "deadline extensions asked"}, Chart: "late appeals"}
	for _, p := range periods {
		la, err := s.count(ctx, "SELECT count(*) FROM cases WHERE received BETWEEN ? AND ? AND late = 1"+scopeCases(ctx, ""), p.From.String(), p.To.String())
		if err != nil {
			return err
		}
		ex, err := s.count(ctx, "SELECT count(*) FROM events WHERE kind = 'extension-requested' AND on_date BETWEEN ? AND ?"+notUndone("")+scopeEvents(ctx, "case_id"), p.From.String(), p.To.String())
		if err != nil {
			return err
		}
		trend.Rows = append(trend.Rows, []string{p.Label, itoa(la), itoa(ex)})
	}
	r.Tables = []report.Table{late, deadlines, trend}
	r.Notes = []string{
		"late appeals: notices received in the range after the time limit (" + s.scopeLimits(ctx) + "), by the case's current track or stage.",
		"a late appeal is granted or refused by its permission decision recorded up to the end of the range; otherwise pending.",
		"extensions on deadlines: 'extension-requested' events dated in the range; decided by the grant or refusal that answers that request, up to the end of the range.",
		"median days late / days asked: the middle value of the requests counted (– where there are none).",
	}
	return nil
}
