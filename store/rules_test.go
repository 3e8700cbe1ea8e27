package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

func deadlineIn(t *testing.T, s *Store, ref, kind string) domain.Deadline {
	t.Helper()
	c, err := s.Case(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	return deadline(t, c, kind)
}

// A changed pack, a newer bank-holiday file and an old caseload's stored
// lateness are all noticed, recomputed in one go, and listed.
func TestRecalcWhenRulesChange(t *testing.T) {
	path := testDB(t)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, []string{write(t, "sample.csv", sampleCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	// Standard, allocated Mon 16 Nov 2026: statement of case 60 days = 14 to 30 Nov, 31 to 31 Dec (45), 15 to
	// Fri 15 Jan 2027.
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Standard, CategoriseOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	if d := deadlineIn(t, s, "TC/2026/05002", "statement_of_case"); d.Due.String() != "2027-01-15" {
		t.Fatalf("before: %s", d.Due)
	}
	s.Close()

	// A local pack with 56 days for Standard: 16 Nov + 56 = Mon 11 Jan 2027 (14 + 31 + 11).
	text, _ := domain.EmbeddedPack("ftt-tax")
	changed := strings.Replace(string(text), "days = 60", "days = 56", 1)
	pack, err := domain.LoadRulePack("ftt-tax", []byte(changed), "local copy")
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{Pack: pack, NoRecalc: true})
	if err != nil {
		t.Fatal(err)
	}
	if ch, _ := s.RulesChanged(ctx); !ch {
		t.Error("a changed pack was not noticed")
	}
	dry, err := s.Recalc(ctx, true)
	if err != nil || dry.Cases != 1 || len(dry.Changes) != 1 || dry.Changes[0].Change != "moved" ||
		dry.Changes[0].Was.String() != "2027-01-15" || dry.Changes[0].Now.String() != "2027-01-11" {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if d := deadlineIn(t, s, "TC/2026/05002", "statement_of_case"); d.Due.String() != "2027-01-15" {
		t.Errorf("a dry run changed the stored deadline: %s", d.Due)
	}
	res, err := s.Recalc(ctx, false)
	if err != nil || res.Cases != 1 || res.Moved() != 1 {
		t.Fatalf("recalc: %+v %v", res, err)
	}
	if d := deadlineIn(t, s, "TC/2026/05002", "statement_of_case"); d.Due.String() != "2027-01-11" {
		t.Errorf("after recalc: %s, want 2027-01-11", d.Due)
	}
	if last, ok, err := s.LastRecalc(ctx); err != nil || !ok || len(last.Changes) != 1 || last.Changes[0].Reference != "TC/2026/05002" {
		t.Errorf("last recalc: %+v %v %v", last, ok, err)
	}
	if ch, _ := s.RulesChanged(ctx); ch {
		t.Error("still changed after the recomputation")
	}
	mustCheck(t, s)
	s.Close()

	// A newer bank-holiday file with a new holiday on Mon 11 Jan 2027, opened normally: recomputed at open,
	// the deadline runs to Tue 12 Jan 2027 (r12), and the explanation names the day.
	newer := []byte(`{"england-and-wales":{"division":"england-and-wales","events":[
		{"title":"New Year's Day","date":"2027-01-01","notes":""},
		{"title":"Extra bank holiday","date":"2027-01-11","notes":""}]},
		"scotland":{"division":"scotland","events":[]},"northern-ireland":{"division":"northern-ireland","events":[]}}`)
	cal, err := domain.LoadCalendar(domain.EnglandAndWales, newer)
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{Pack: pack, Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	r := s.RecalcAtOpen()
	if r == nil || r.Moved() != 1 {
		t.Fatalf("at open: %+v", r)
	}
	if d := deadlineIn(t, s, "TC/2026/05002", "statement_of_case"); d.Due.String() != "2027-01-12" || !strings.Contains(d.Moved, "Extra bank holiday") {
		t.Errorf("new holiday: %s (%s), want 2027-01-12", d.Due, d.Moved)
	}
	mustCheck(t, s)
	// What an older caseload stored: 26 days late under "30 days after"; and no fingerprint yet.
	s.db.Exec("UPDATE cases SET days_late = 26 WHERE reference = 'TC/2026/05002'")
	s.db.Exec("DELETE FROM rules_audit")
	s.Close()
	s, err = Open(path, Options{Pack: pack, Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r = s.RecalcAtOpen()
	if r == nil || r.Cases != 1 || r.Changes[0].Kind != "late" {
		t.Fatalf("old lateness: %+v", r)
	}
	// Decision 15 Sep 2026 + 29 = Wed 14 Oct; received 10 Nov: 27 days late.
	if c, _ := s.Case(ctx, "TC/2026/05002"); c.DaysLate != 27 {
		t.Errorf("days late %d, want 27", c.DaysLate)
	}
	s.Close()
	s, _ = Open(path, Options{Pack: pack, Calendar: cal})
	if s.RecalcAtOpen() != nil {
		t.Errorf("recomputed again with nothing changed: %+v", s.RecalcAtOpen())
	}
}

// Item 7: what cannot be right is refused.
func TestRefusals(t *testing.T) {
	s := imported(t)
	// TC/2026/05001 was received Mon 9 Nov 2026.
	_, err := s.Categorise(ctx, "TC/2026/05001", domain.Paper, CategoriseOptions{ActOptions: ActOptions{User: "t", On: domain.MustDate("2026-11-08")}})
	if err == nil || !strings.Contains(err.Error(), "before the notice was received") {
		t.Errorf("allocation before receipt: %v", err)
	}
	// TC/2026/05002 is 27 days late, permission undecided.
	ask := CategoriseOptions{ActOptions: act(), AskIfLate: true}
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Standard, ask); !errors.Is(err, ErrLateUndecided) || !strings.Contains(err.Error(), "r20(4)") {
		t.Errorf("late, undecided: %v", err)
	}
	rec(t, s, "TC/2026/05002", domain.Event{Kind: domain.EventPermissionRequested, Data: domain.EventData{Text: "Illness"}})
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Standard, ask); !errors.Is(err, ErrLateUndecided) {
		t.Errorf("late, requested but not decided: %v", err)
	}
	ask.LateConfirmed = true
	if _, err := s.Categorise(ctx, "TC/2026/05002", domain.Standard, ask); err != nil {
		t.Errorf("confirmed: %v", err)
	}
	// A hearing on Sat 5 Dec 2026 is refused; forced with a reason it is listed and says why.
	h := domain.Event{Kind: domain.EventHearingListed, On: today, User: "t", Data: domain.EventData{Due: domain.MustDate("2026-12-05")}}
	if _, err := s.Record(ctx, "TC/2026/05002", h); err == nil || !strings.Contains(err.Error(), "Sat 5 Dec 2026 (Saturday) is not a working day") {
		t.Errorf("hearing on a Saturday: %v", err)
	}
	h.Data.Force = true
	if _, err := s.Record(ctx, "TC/2026/05002", h); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Errorf("forced without a reason: %v", err)
	}
	h.Data.Reason = "weekend list for a vulnerable appellant"
	e, err := s.Record(ctx, "TC/2026/05002", h)
	if err != nil || !strings.Contains(e.Detail, "non-working day") {
		t.Errorf("forced: %v %q", err, e.Detail)
	}
	mustCheck(t, s)
}

// Directions given as a number of days count as the pack counts; calendars
// belong to the pack or, for tax, to the case; deemed service from the
// method recorded.
func TestDirectionsCalendarsAndService(t *testing.T) {
	path := testDB(t)
	// config.toml says division = "scotland": the default calendar is Scotland's.
	s, err := Open(path, Options{Calendar: domain.MustCalendar(domain.Scotland)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	csv := "reference,jurisdiction,stage,received,decision_date,appellant,subject,division\n" +
		"TC/2026/07001,ftt-tax,,2026-09-30,2026-09-20,Scottish Trader,vat,scotland\n" +
		"TC/2026/07002,ftt-tax,,2026-09-30,2026-09-20,English Trader,vat,england-and-wales\n" +
		"TC/2026/07003,ftt-tax,,2026-09-30,2026-09-20,Default Trader,vat,\n" +
		",admin-court-jr,claim-issued,2026-11-02,2026-10-20,R (Adams),judicial-review,\n"
	if _, err := s.Import(ctx, []string{write(t, "n.csv", csv)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	// Standard allocated Thu 1 Oct 2026 + 60 = Mon 30 Nov 2026 (30 days of October, 30 of November): St
	// Andrew's Day, a Scottish bank holiday. Scotland: Tue 1 Dec 2026; England and Wales: Mon 30 Nov; the
	// default (config: Scotland): Tue 1 Dec.
	for ref, want := range map[string]string{"TC/2026/07001": "2026-12-01", "TC/2026/07002": "2026-11-30", "TC/2026/07003": "2026-12-01"} {
		if _, err := s.Categorise(ctx, ref, domain.Standard, CategoriseOptions{ActOptions: ActOptions{User: "t", On: domain.MustDate("2026-10-01")}}); err != nil {
			t.Fatal(err)
		}
		if d := deadlineIn(t, s, ref, "statement_of_case"); d.Due.String() != want {
			t.Errorf("%s: %s (%s), want %s", ref, d.Due, d.Moved, want)
		}
	}
	if c, _ := s.Case(ctx, "TC/2026/07001"); c.Division != domain.Scotland {
		t.Errorf("division shown %q", c.Division)
	}
	// The Administrative Court counts England and Wales holidays whatever the config says: claim served Mon 9
	// Nov 2026 + 21 = Mon 30 Nov 2026, open in London.
	ac := "AC-2026-LON-000001"
	if _, err := s.RecordStep(ctx, ac, "claim-served", ActOptions{User: "t", On: domain.MustDate("2026-11-09")}, StepOptions{}); err != nil {
		t.Fatal(err)
	}
	if d := deadlineIn(t, s, ac, "acknowledgment_of_service"); d.Due.String() != "2026-11-30" {
		t.Errorf("AC acknowledgment: %s (%s), want 2026-11-30 (no St Andrew's Day)", d.Due, d.Moved)
	}
	if c, _ := s.Case(ctx, ac); c.Division != domain.EnglandAndWales {
		t.Errorf("AC division %q", c.Division)
	}
	// Served again, by post on Thu 24 Dec 2026: deemed served Wed 30 Dec (CPR 6.14); AoS + 21 = Wed 20 Jan 2027.
	e, err := s.RecordStep(ctx, ac, "claim-served", ActOptions{User: "t", On: domain.MustDate("2026-12-24")}, StepOptions{Method: "first-class-post"})
	if err != nil || !strings.Contains(e.Detail, "Wed 30 Dec 2026") {
		t.Fatalf("service by post: %v %q", err, e.Detail)
	}
	if d := deadlineIn(t, s, ac, "acknowledgment_of_service"); d.Due.String() != "2027-01-20" || d.Anchor.String() != "2026-12-30" {
		t.Errorf("AoS from deemed service: %s from %s", d.Due, d.Anchor)
	}
	if _, err := s.RecordStep(ctx, ac, "aos-served", ActOptions{User: "t", On: domain.MustDate("2027-01-04")}, StepOptions{Method: "email"}); err == nil {
		t.Error("service by email without a time was accepted")
	}
	if _, err := s.RecordStep(ctx, ac, "claim-issued", ActOptions{User: "t", On: domain.MustDate("2026-11-03")}, StepOptions{TotallyWithoutMerit: true}); err == nil {
		t.Error("totally without merit accepted on a step that is not a refusal")
	}
	// CPR 2.8(4) for a direction of 2 days given Fri 18 Dec 2026 in the court: Sat, Sun not counted, Mon 21
	// (1), Tue 22 Dec 2026 (2). In the tribunal (r12): 18 Dec + 2 = Sun 20 Dec -> Mon 21 Dec 2026.
	fri := domain.MustDate("2026-12-18")
	for ref, want := range map[string]string{ac: "2026-12-22", "TC/2026/07002": "2026-12-21"} {
		e, err := s.Record(ctx, ref, domain.Event{Kind: domain.EventDirection, On: fri, User: "t",
			Data: domain.EventData{Text: "File a skeleton", Party: "both", Days: 2}})
		if err != nil || e.Data.Due.String() != want || e.Data.Counted == "" {
			t.Errorf("%s direction: %v due %s (%s), want %s", ref, err, e.Data.Due, e.Data.Counted, want)
		}
	}
	// The tribunal over Christmas (r12): Mon 16 Nov 2026 + 40 = Sat 26 Dec; Sun 27, Mon 28 (Boxing Day
	// substitute) closed -> Tue 29 Dec 2026. As the UI's ":direction both 40 ..." records it.
	e, err = s.Record(ctx, "TC/2026/07002", domain.Event{Kind: domain.EventDirection, On: domain.MustDate("2026-11-16"), User: "t",
		Data: domain.EventData{Text: "Agree a bundle", Party: "both", Days: 40}})
	if err != nil || e.Data.Due.String() != "2026-12-29" {
		t.Errorf("40-day direction over Christmas: %v due %s (%s), want 2026-12-29", err, e.Data.Due, e.Data.Counted)
	}
	mustCheck(t, s)
}

// Reports limited to a judicial review pack speak of its stages and cite
// its rules, not the tax chamber's.
func TestReportsSpeakThePacksWords(t *testing.T) {
	s := imported(t)
	if _, err := s.Import(ctx, []string{write(t, "jr.csv", jrCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	jr := InJurisdiction(ctx, "admin-court-jr")
	r, err := s.Report(jr, "extensions", domain.MustDate("2026-11-02"), domain.MustDate("2026-11-29"), "week")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Tables[0].Title, "CPR 3.1(2)(a)") || strings.Contains(r.Tables[0].Title, "r20(4)") ||
		!strings.Contains(r.Tables[1].Title, "CPR 3.1(2)(a)") {
		t.Errorf("titles: %q, %q", r.Tables[0].Title, r.Tables[1].Title)
	}
	if got := r.Tables[0].Rows[0][0]; got != domain.PreAction.Label() {
		t.Errorf("first row %q, want the first stage", got)
	}
	a, err := s.Report(jr, "ageing", domain.MustDate("2026-11-02"), domain.MustDate("2026-11-29"), "week")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, row := range a.Tables[0].Rows {
		labels = append(labels, row[0])
	}
	if joined := strings.Join(labels, "|"); strings.Contains(joined, "Default Paper") || !strings.Contains(joined, "Claim issued") {
		t.Errorf("ageing rows for a JR pack: %v", labels)
	}
	c := s.PackOf("ut-iac-jr").Citations()
	if !c.IsJudicialReview || c.ExtensionRule != "UT r5(3)(a)" || c.Tracks[0].Track != domain.PreAction {
		t.Errorf("citations: %+v", c)
	}
}
