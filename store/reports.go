package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/report"
)

// Report computes a named report over from..to (inclusive), grouped by
// week or month. Every figure comes from the cases and their events, the
// same data the caseworker sees; Notes say exactly what is counted.
func (s *Store) Report(ctx context.Context, name string, from, to domain.Date, by string) (*report.Report, error) {
	if by != "week" && by != "month" {
		return nil, fmt.Errorf("--by %q: use week or month", by)
	}
	if to.Before(from) {
		return nil, fmt.Errorf("the range ends (%s) before it starts (%s)", to.UK(), from.UK())
	}
	r := &report.Report{Name: name, From: from, To: to, By: by}
	periods := report.Periods(from, to, by)
	var err error
	switch name {
	case "rejections":
		err = s.rejections(ctx, r, periods)
	case "extensions":
		err = s.extensions(ctx, r, periods)
	case "ageing":
		err = s.ageing(ctx, r)
	case "flow":
		err = s.flow(ctx, r, periods)
	case "categorisation":
		err = s.categorisation(ctx, r)
	case "directions":
		err = s.directions(ctx, r)
	case "litigation":
		err = s.litigationReport(ctx, r)
	default:
		var ok bool
		if ok, err = s.serviceReport(ctx, name, r); ok {
			break
		}
		return nil, fmt.Errorf("no report called %q (there are: %s)", name, strings.Join(report.AllNames(), ", "))
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// scopeCases is a WHERE term keeping the cases (column prefix "" or "c.")
// of the context's jurisdiction, "" for all. The id is written as a quoted
// literal so that it never shifts the numbered parameters of a report.
func scopeCases(ctx context.Context, prefix string) string {
	j := scope(ctx)
	if j == "" {
		return ""
	}
	return " AND " + prefix + "jurisdiction = " + quote(j)
}

// scopeEvents keeps the events (case id column col) of those cases.
func scopeEvents(ctx context.Context, col string) string {
	j := scope(ctx)
	if j == "" {
		return ""
	}
	return " AND " + col + " IN (SELECT id FROM cases WHERE jurisdiction = " + quote(j) + ")"
}

// scopeTracks are the tracks (or, for judicial review, stages) of the
// packs a report covers, in each pack's order: one pack when limited to a
// jurisdiction, else every pack's, the default first.
func (s *Store) scopeTracks(ctx context.Context) []string {
	var out []string
	for _, p := range s.scopePacks(ctx) {
		for _, t := range p.Tracks {
			if !slices.Contains(out, string(t)) {
				out = append(out, string(t))
			}
		}
	}
	return out
}

func (s *Store) scopePacks(ctx context.Context) []*domain.RulePack {
	if j := scope(ctx); j != "" {
		return []*domain.RulePack{s.PackOf(j)}
	}
	// All jurisdictions: the default pack and those that hold cases.
	var out []*domain.RulePack
	for i, p := range s.Packs() {
		var one int
		// From the case tally (schema 7): a jurisdiction with no cases
		// was a full scan of the cases.
		if i == 0 || s.db.QueryRowContext(ctx, "SELECT 1 FROM case_tally WHERE jurisdiction = ? AND cases > 0 LIMIT 1", p.ID).Scan(&one) == nil {
			out = append(out, p)
		}
	}
	return out
}

// scopeCitations are the permission rule for a late case and the power to
// extend time, from the packs the report covers.
func (s *Store) scopeCitations(ctx context.Context) (permission, extension string) {
	var ps, es []string
	for _, p := range s.scopePacks(ctx) {
		c := p.Citations()
		if !slices.Contains(ps, c.PermissionRule) {
			ps = append(ps, c.PermissionRule)
		}
		if !slices.Contains(es, c.ExtensionRule) {
			es = append(es, c.ExtensionRule)
		}
	}
	return strings.Join(ps, "; "), strings.Join(es, "; ")
}

// scopeLimits are the time limits of the packs the report covers.
func (s *Store) scopeLimits(ctx context.Context) string {
	var out []string
	for _, p := range s.scopePacks(ctx) {
		if !slices.Contains(out, p.AppealLimit.Citation) {
			out = append(out, p.AppealLimit.Citation)
		}
	}
	return strings.Join(out, "; ")
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (s *Store) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

func pct(n, d int) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
}

func itoa(n int) string { return strconv.Itoa(n) }

func median(xs []float64) string {
	if len(xs) == 0 {
		return "–"
	}
	sort.Float64s(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	return strconv.FormatFloat(m, 'f', -1, 64)
}

func (s *Store) rejections(ctx context.Context, r *report.Report, periods []report.Period) error {
	r.Title = "Rejection rates: notices returned"
	t := report.Table{Title: "By " + r.By, Columns: []string{r.By, "received", "returned", "rejection rate"},
		// The bar beside the rate charts the rate: two weeks of one return
		// each at 2.3% and 7.1% are not the same.
		Chart: "rejection rate"}
	sc, se := scopeCases(ctx, ""), scopeEvents(ctx, "case_id")
	for _, p := range periods {
		// Receipts from the case tally (schema 7), the cases returned from
		// events_returned alone (schema 8): neither reads a row per case.
		received, err := s.count(ctx, "SELECT coalesce(sum(cases), 0) FROM case_tally WHERE received BETWEEN ? AND ?"+sc, p.From.String(), p.To.String())
		if err != nil {
			return err
		}
		returned, err := s.count(ctx, "SELECT count(DISTINCT case_id) FROM events INDEXED BY events_returned WHERE kind = 'returned' AND on_date BETWEEN ? AND ?"+notUndone("")+se,
			p.From.String(), p.To.String())
		if err != nil {
			return err
		}
		t.Rows = append(t.Rows, []string{p.Label, itoa(received), itoa(returned), pct(returned, received)})
	}
	reasons := report.Table{Title: "Returns by reason", Columns: []string{"reason", "notices"}, Chart: "notices"}
	// From the return tally (schema 8, undone returns already left out): a
	// sum over the range's days, not a read of every return's event.
	rows, err := s.db.QueryContext(ctx, `SELECT reason, sum(events) FROM return_tally WHERE on_date BETWEEN ? AND ?`+sc+`
		GROUP BY reason HAVING sum(events) > 0 ORDER BY sum(events) DESC, reason`,
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

func (s *Store) extensions(ctx context.Context, r *report.Report, periods []report.Period) error {
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
		FROM cases c INDEXED BY cases_late_received WHERE c.received BETWEEN ? AND ? AND c.late = 1`+scopeCases(ctx, "c."))
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
		// From the case and event tallies (schema 7; undone events already
		// left out): a sum over the period's days, where counting the cases
		// read the row of every case received in the period.
		var la, ex int
		err := s.db.QueryRowContext(ctx, `SELECT
			(SELECT coalesce(sum(late), 0) FROM case_tally WHERE received BETWEEN ?1 AND ?2`+scopeCases(ctx, "")+`),
			(SELECT coalesce(sum(events), 0) FROM event_tally WHERE kind = 'extension-requested' AND on_date BETWEEN ?1 AND ?2`+scopeCases(ctx, "")+`)`,
			p.From.String(), p.To.String()).Scan(&la, &ex)
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

func (s *Store) ageing(ctx context.Context, r *report.Report) error {
	r.Title = "Ageing: open caseload"
	to := r.To.String()
	bands := []struct {
		label    string
		min, max int // weeks, [min, max)
	}{{"0–13 weeks", 0, 13}, {"13–26 weeks", 13, 26}, {"26–52 weeks", 26, 52}, {"52+ weeks", 52, 100000}}
	cols := []string{"track"}
	for _, b := range bands {
		cols = append(cols, b.label)
	}
	cols = append(cols, "total")
	t := report.Table{Title: "Open cases by track and age on " + r.To.UK(), Columns: cols, Chart: "total"}
	for _, tr := range append([]string{""}, s.scopeTracks(ctx)...) {
		label := "not yet allocated"
		if tr != "" {
			label = domain.Track(tr).Label()
		}
		row := []string{label}
		total := 0
		for _, b := range bands {
			// From the case tally (schema 7, track '' before allocation):
			// a sum over days, not a count over every open case.
			n, err := s.count(ctx, `SELECT coalesce(sum(cases), 0) FROM case_tally WHERE status IN ('new', 'allocated', 'stayed')
				AND track = ? AND received <= ? AND received > ? AND received <= ?`+scopeCases(ctx, ""), tr, to,
				r.To.AddDays(-7*b.max).String(), r.To.AddDays(-7*b.min).String())
			if err != nil {
				return err
			}
			row = append(row, itoa(n))
			total += n
		}
		t.Rows = append(t.Rows, append(row, itoa(total)))
	}
	oldest := report.Table{Title: "Oldest open cases", Columns: []string{"reference", "received", "weeks", "track", "status", "last activity"}}
	// The front of cases_open_received (schema 7), not a sort of every open case.
	rows, err := scanCaseRows(s.db.QueryContext(ctx, "SELECT "+caseColumns+" FROM cases c INDEXED BY cases_open_received"+` WHERE c.status IN ('new', 'allocated', 'stayed')
		AND c.received <= ?`+scopeCases(ctx, "c.")+` ORDER BY c.received, c.id LIMIT 10`, to))
	if err != nil {
		return err
	}
	for _, c := range rows {
		tr := "not yet allocated"
		if c.Track != nil {
			tr = c.Track.Label()
		}
		oldest.Rows = append(oldest.Rows, []string{c.Reference, c.Received.UK(), itoa(c.Received.DaysUntil(r.To) / 7), tr, string(c.Status), c.LastEvent.UK()})
	}
	r.Tables = []report.Table{t, oldest}
	r.Notes = []string{
		"open: cases now new, allocated or stayed (not closed or returned) whose notice was received on or before the end date.",
		"age: whole weeks from the received date to the end date; a case of exactly 13 weeks is in 13–26.",
	}
	return nil
}

func (s *Store) flow(ctx context.Context, r *report.Report, periods []report.Period) error {
	r.Title = "Flow: receipts, disposals and outstanding"
	t := report.Table{Title: "By " + r.By, Columns: []string{r.By, "receipts", "disposals", "outstanding at end", "median weeks to clear"}, Chart: "receipts"}
	// Outstanding is counted once, at the day before the range, and then
	// carried forward period by period. Every count is a sum over days of
	// the case and event tallies (schema 7, undone events already left
	// out), so the history before the range is a few thousand rows, not
	// every case and event since the first.
	sc := scopeCases(ctx, "")
	moves := func(from, to string) (in, out int, err error) {
		err = s.db.QueryRowContext(ctx, `SELECT
			(SELECT coalesce(sum(cases), 0) FROM case_tally WHERE received BETWEEN ?1 AND ?2`+sc+`),
			(SELECT coalesce(sum(events), 0) FROM event_tally WHERE kind IN ('disposed', 'permission-refused') AND on_date BETWEEN ?1 AND ?2`+sc+`)
			+ (SELECT coalesce(sum(events), 0) FROM event_tally WHERE kind = 'returned' AND on_date BETWEEN ?1 AND ?2`+sc+`)
			- (SELECT coalesce(sum(events), 0) FROM event_tally WHERE kind = 'reopened' AND on_date BETWEEN ?1 AND ?2`+sc+`)`, from, to).Scan(&in, &out)
		return in, out, err
	}
	in, out, err := moves("0000-00-00", r.From.AddDays(-1).String())
	if err != nil {
		return err
	}
	outstanding := in - out
	for _, p := range periods {
		from, to := p.From.String(), p.To.String()
		receipts, left, err := moves(from, to)
		if err != nil {
			return err
		}
		disposals, err := s.count(ctx, `SELECT coalesce(sum(events), 0) FROM event_tally WHERE kind IN ('disposed', 'permission-refused')
			AND on_date BETWEEN ? AND ?`+sc, from, to)
		if err != nil {
			return err
		}
		outstanding += receipts - left
		// The histogram of weeks to clear (disposal_tally, schema 7), not a
		// read of every disposal's case.
		var weeks []weekCount
		rows, err := s.db.QueryContext(ctx, `SELECT weeks, sum(events) FROM disposal_tally WHERE on_date BETWEEN ? AND ?`+sc+`
			GROUP BY weeks HAVING sum(events) > 0 ORDER BY weeks`, from, to)
		if err != nil {
			return err
		}
		for rows.Next() {
			var w weekCount
			if err := rows.Scan(&w.weeks, &w.n); err != nil {
				rows.Close()
				return err
			}
			weeks = append(weeks, w)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		t.Rows = append(t.Rows, []string{p.Label, itoa(receipts), itoa(disposals), itoa(outstanding), medianOfCounts(weeks)})
	}
	r.Tables = []report.Table{t}
	r.Notes = []string{
		"receipts: notices whose received date falls in the period.",
		"disposals: cases closed in the period (decided, withdrawn, struck out, settled, or a late appeal not admitted), by the date of the closing event.",
		"outstanding at end: notices received by the period's last day, less those disposed of and those returned (and not reopened) by then.",
		"median weeks to clear: for cases disposed of in the period, the middle value of whole weeks from receipt to disposal (how HMCTS measures timeliness).",
	}
	return nil
}

// weekCount is n disposals that took weeks to clear.
type weekCount struct{ weeks, n int }

// medianOfCounts is median over the values a histogram (in ascending
// order) counts: the middle value, or the mean of the middle two.
func medianOfCounts(h []weekCount) string {
	total := 0
	for _, w := range h {
		total += w.n
	}
	if total == 0 {
		return "–"
	}
	// at is the i-th value (from 0) of the sorted values.
	at := func(i int) float64 {
		for _, w := range h {
			if i < w.n {
				return float64(w.weeks)
			}
			i -= w.n
		}
		return 0
	}
	m := at(total / 2)
	if total%2 == 0 {
		m = (at(total/2-1) + at(total/2)) / 2
	}
	return strconv.FormatFloat(m, 'f', -1, 64)
}

func (s *Store) categorisation(ctx context.Context, r *report.Report) error {
	r.Title = "Categorisation: suggestions accepted and overridden"
	// One pass over the range's allocation tally (schema 7: allocations
	// undone already left out); the three tables are summed from it.
	rows, err := s.db.QueryContext(ctx, `SELECT on_date, user, suggested, track, override, sum(events) FROM allocation_tally
		WHERE on_date BETWEEN ? AND ?`+scopeCases(ctx, "")+` GROUP BY on_date, user, suggested, track, override HAVING sum(events) > 0`,
		r.From.String(), r.To.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	type tally struct{ n, accepted int }
	perDay, perUser := map[string]*tally{}, map[string]*tally{}
	matrix := map[[2]string]int{}
	bump := func(m map[string]*tally, k string, accepted bool, n int) {
		t := m[k]
		if t == nil {
			t = &tally{}
			m[k] = t
		}
		t.n += n
		if accepted {
			t.accepted += n
		}
	}
	for rows.Next() {
		var day, user, sug, chosen string
		var override bool
		var n int
		if err := rows.Scan(&day, &user, &sug, &chosen, &override, &n); err != nil {
			return err
		}
		bump(perDay, day, !override, n)
		bump(perUser, user, !override, n)
		matrix[[2]string{sug, chosen}] += n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	grid := func(title, key string, m map[string]*tally, label func(string) string) report.Table {
		t := report.Table{Title: title, Columns: []string{key, "categorised", "accepted", "overridden", "accepted %"}, Chart: "categorised"}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			x := m[k]
			t.Rows = append(t.Rows, []string{label(k), itoa(x.n), itoa(x.accepted), itoa(x.n - x.accepted), pct(x.accepted, x.n)})
		}
		return t
	}
	offered := []domain.Track{}
	for _, t := range s.scopeTracks(ctx) {
		offered = append(offered, domain.Track(t))
	}
	cols := []string{"suggested"}
	for _, t := range offered {
		cols = append(cols, t.Label())
	}
	m := report.Table{Title: "Suggested track (rows) against chosen track (columns)", Columns: cols}
	for _, sug := range offered {
		row := []string{sug.Label()}
		for _, ch := range offered {
			row = append(row, itoa(matrix[[2]string{string(sug), string(ch)}]))
		}
		m.Rows = append(m.Rows, row)
	}
	r.Tables = []report.Table{
		grid("Per day", "day", perDay, func(d string) string { return mustDate(d).Long() }),
		grid("Per caseworker", "user", perUser, func(u string) string { return u }),
		m,
	}
	r.Notes = []string{
		"categorised: allocations (first or re-allocations) dated in the range, leaving out any later undone.",
		"accepted: the chosen track was the one caseload suggested; overridden: the caseworker chose another. Use the matrix to tune the rule pack.",
	}
	return nil
}

func (s *Store) directions(ctx context.Context, r *report.Report) error {
	r.Title = "Directions compliance"
	t := report.Table{Title: "Directions issued in the range, by party", Columns: []string{"party", "issued", "complied on time", "complied late", "outstanding, overdue", "outstanding, not yet due"}, Chart: "issued"}
	rows, err := s.db.QueryContext(ctx, `SELECT json_extract(d.data, '$.party'), json_extract(d.data, '$.due'),
		(SELECT min(c.on_date) FROM events c WHERE c.case_id = d.case_id AND c.kind = 'complied'
			AND CAST(json_extract(c.data, '$.refers') AS BIGINT) = d.id AND c.on_date <= ?1`+notUndone("c.")+`)
		FROM events d WHERE d.kind = 'direction' AND d.on_date BETWEEN ?2 AND ?1`+notUndone("d.")+scopeEvents(ctx, "d.case_id"), r.To.String(), r.From.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	type tally struct{ issued, onTime, late, overdue, notDue int }
	by := map[string]*tally{}
	for rows.Next() {
		var party, due string
		var complied sql.NullString
		if err := rows.Scan(&party, &due, &complied); err != nil {
			return err
		}
		t := by[party]
		if t == nil {
			t = &tally{}
			by[party] = t
		}
		t.issued++
		switch {
		case complied.Valid && complied.String <= due:
			t.onTime++
		case complied.Valid:
			t.late++
		case due < r.To.String():
			t.overdue++
		default:
			t.notDue++
		}
	}
	var all tally
	for _, p := range domain.Parties {
		x := by[p]
		if x == nil {
			x = &tally{}
		}
		t.Rows = append(t.Rows, []string{p, itoa(x.issued), itoa(x.onTime), itoa(x.late), itoa(x.overdue), itoa(x.notDue)})
		all.issued, all.onTime, all.late, all.overdue, all.notDue = all.issued+x.issued, all.onTime+x.onTime, all.late+x.late, all.overdue+x.overdue, all.notDue+x.notDue
	}
	t.Rows = append(t.Rows, []string{"all", itoa(all.issued), itoa(all.onTime), itoa(all.late), itoa(all.overdue), itoa(all.notDue)})
	r.Tables = []report.Table{t}
	r.Notes = []string{
		"issued: directions dated in the range. Compliance is judged as at the end date.",
		"on time: a compliance recorded on or before the due date; late: after it; outstanding: no compliance recorded by the end date, overdue if its due date is before the end date.",
	}
	return rows.Err()
}

// notUndone leaves out events taken back by the general undo (an
// "undone" event naming them): a disposal undone was never a disposal.
// alias is the events table's ("e.", or "" unaliased).
func notUndone(alias string) string {
	// events_undone (schema 7) holds what every "undone" event names, kept
	// by a trigger: one primary-key probe per row, where collecting the
	// undos from the events grew with the whole history.
	return " AND " + alias + `id NOT IN (SELECT event_id FROM events_undone)`
}
