package store

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/domain"
)

// A defendant's caseload: a damages claim served Tue 20 Oct 2026 and a
// letter before claim received Mon 2 Nov 2026.
const litCSV = "jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,grounds\n" +
	"damages-claim,claim-issued,2026-10-20,2020-05-01,Mr A Claimant,Deighton Pierce Glynn,,damages-claim,False imprisonment: detention 2020.\n" +
	"admin-court-jr,pre-action,2026-11-02,2026-10-20,R (Okafor),Bindmans LLP,Secretary of State for the Home Department,judicial-review,Refusal of leave.\n"

func openLit(t *testing.T) *Store {
	t.Helper()
	auth, err := domain.ParseAuthority(map[string]domain.AuthorityConfig{
		"caseworker":  {Limit: "£10,000", Holders: []string{"asha"}},
		"team-leader": {Limit: "£50,000", Holders: []string{"tomas"}},
		"director":    {Limit: "£250,000", Holders: []string{"dara"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(testDB(t), Options{Authority: auth})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	res, err := s.Import(ctx, []string{write(t, "lit.csv", litCSV)}, ImportOptions{ActOptions: act()})
	if err != nil || res.Imported != 2 {
		t.Fatalf("import: %+v %v", res, err)
	}
	return s
}

func lit(kind, on, user string, data domain.EventData) domain.Event {
	if data.Litigation == nil {
		data.Litigation = &domain.LitigationData{}
	}
	return domain.Event{Kind: kind, On: domain.MustDate(on), User: user, Data: data}
}

func TestDefendantsCaseload(t *testing.T) {
	s := openLit(t)
	const claim, jr = "KB-2026-000001", "AC-2026-LON-000001"
	do := func(ref string, e domain.Event) (domain.Event, error) { return s.Record(ctx, ref, e) }
	must := func(ref string, e domain.Event) domain.Event {
		t.Helper()
		out, err := do(ref, e)
		if err != nil {
			t.Fatalf("%s %s: %v", ref, e.Kind, err)
		}
		return out
	}
	if _, err := s.RecordEvent(ctx, claim, "particulars-served", ActOptions{User: "asha", On: domain.MustDate("2026-11-02")}, ""); err != nil {
		t.Fatal(err)
	}
	// Offer made by us, served Mon 26 Oct 2026: 21 days = Mon 16 Nov 2026, the claimant's to consider (watch).
	made := must(claim, lit(domain.EventPart36Made, "2026-10-26", "asha", domain.EventData{Litigation: &domain.LitigationData{Way: "made", By: "GLD", AmountPence: 1000000, Days: 21}}))
	// Offer received, served Tue 3 Nov 2026: 21 days = Tue 24 Nov 2026.
	recv := must(claim, lit(domain.EventPart36Made, "2026-11-03", "asha", domain.EventData{Litigation: &domain.LitigationData{Way: "received", By: "Deighton Pierce Glynn", AmountPence: 4000000, Days: 21}}))
	if _, err := do(claim, lit(domain.EventPart36Made, "2026-11-03", "asha", domain.EventData{Litigation: &domain.LitigationData{Way: "received", AmountPence: 1, Days: 14}})); err == nil {
		t.Error("a 14-day relevant period was accepted")
	}

	// The inbox on Mon 16 Nov 2026: the defendant's own duties (acknowledgment and defence due today, the PAP
	// response due today) come before the claimant's step to watch (the relevant period of our offer).
	items, err := s.Inbox(ctx, today, 50)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	seenWatch := false
	for _, it := range items {
		if !strings.HasPrefix(it.Key, "deadline:") {
			continue
		}
		kinds = append(kinds, it.Key)
		if it.Watch {
			seenWatch = true
			if !strings.HasPrefix(it.Reason, "watch: ") || it.Side != domain.SideDefendant {
				t.Errorf("watch item %+v", it)
			}
		} else if seenWatch {
			t.Errorf("own duty %s after a watch item: %v", it.Key, kinds)
		}
	}
	want := map[string]bool{"deadline:KB-2026-000001:acknowledgment_of_service:2026-11-16": false, "deadline:KB-2026-000001:defence:2026-11-16": false,
		"deadline:AC-2026-LON-000001:pap_response:2026-11-16": false, "deadline:KB-2026-000001:part36:" + itoa(int(made.ID)) + ":2026-11-16": true}
	for _, it := range items {
		if w, ok := want[it.Key]; ok {
			if it.Watch != w {
				t.Errorf("%s: watch %v, want %v", it.Key, it.Watch, w)
			}
			delete(want, it.Key)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing from the inbox: %v (have %v)", want, kinds)
	}
	scoped, err := s.Inbox(InJurisdiction(ctx, "damages-claim"), today, 50)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(queueReason(scoped), "letter before claim or claim served, to triage") {
		t.Errorf("defendant's queue not named: %q", queueReason(scoped))
	}

	// The register: our offer's period ended on Mon 16 Nov; on Tue 17 Nov it is expired; accept theirs.
	must(claim, lit(domain.EventPart36Accepted, "2026-11-10", "asha", domain.EventData{Refers: recv.ID}))
	v, err := s.Litigation(ctx, claim, domain.MustDate("2026-11-17"))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Offers) != 2 || v.Offers[0].State != "expired" || v.Offers[0].PeriodEnds.String() != "2026-11-16" ||
		v.Offers[1].State != "accepted" || v.Offers[1].PeriodEnds.String() != "2026-11-24" || v.Side != domain.SideDefendant {
		t.Errorf("register: %+v", v.Offers)
	}
	if err := s.CheckOffer(ctx, claim, 999); err == nil {
		t.Error("offer 999 found")
	}

	// Authority: £30,000 damages at team-leader; asha cannot approve, tomas can; settlement above refused.
	must(claim, lit(domain.EventAuthorityRequested, "2026-11-11", "asha", domain.EventData{Litigation: &domain.LitigationData{AmountPence: 3000000, Money: "damages"}}))
	if _, err := do(claim, lit(domain.EventAuthorityApproved, "2026-11-12", "asha", domain.EventData{})); err == nil {
		t.Error("approved by a user without the level")
	}
	must(claim, lit(domain.EventAuthorityApproved, "2026-11-12", "tomas", domain.EventData{}))
	if _, err := s.RecordEvent(ctx, claim, "aos-filed", ActOptions{User: "asha", On: domain.MustDate("2026-11-17")}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := do(claim, lit(domain.EventSettled, "2026-11-18", "asha", domain.EventData{Litigation: &domain.LitigationData{AmountPence: 3500000}})); err == nil ||
		!strings.Contains(err.Error(), "KB-2026-000001") || !strings.Contains(err.Error(), "above the authority approved") {
		t.Errorf("settlement above authority: %v", err)
	}
	must(claim, lit(domain.EventSettled, "2026-11-18", "asha", domain.EventData{Litigation: &domain.LitigationData{AmountPence: 2500000}}))

	// The JR: PAP response on time; two requests for time (the second with Jasbir Singh's explanation); ministerial
	// interest needs a briefing before the case closes.
	if _, err := s.RecordEvent(ctx, jr, "pap-response", ActOptions{User: "asha", On: domain.MustDate("2026-11-13")}, ""); err != nil {
		t.Fatal(err)
	}
	must(jr, lit(domain.EventTimeRequested, "2026-11-05", "asha", domain.EventData{Deadline: "pap_response", Litigation: &domain.LitigationData{Days: 7}}))
	if _, err := do(jr, lit(domain.EventTimeRequested, "2026-11-09", "asha", domain.EventData{Deadline: "pap_response", Litigation: &domain.LitigationData{Days: 7}})); err == nil {
		t.Error("a second request without an explanation")
	}
	must(jr, lit(domain.EventTimeRequested, "2026-11-09", "asha", domain.EventData{Deadline: "pap_response", Text: "the caseworker who made the decision returns from leave on 11 November",
		Due: domain.MustDate("2026-11-13"), Litigation: &domain.LitigationData{Days: 7}}))
	rec(t, s, jr, domain.Event{Kind: domain.EventFlagSet, Data: domain.EventData{Flag: "ministerial"}})
	if _, err := do(jr, lit(domain.EventOutcome, "2026-11-16", "asha", domain.EventData{Litigation: &domain.LitigationData{Outcome: "conceded"}})); err == nil {
		t.Error("closed with ministerial interest and no briefing")
	}
	if _, err := do(jr, domain.Event{Kind: domain.EventDisposed, On: today, User: "asha", Data: domain.EventData{Text: "withdrawn"}}); err == nil {
		t.Error("disposed with ministerial interest and no briefing")
	}
	must(jr, lit(domain.EventBriefed, "2026-11-16", "asha", domain.EventData{Litigation: &domain.LitigationData{Interest: "ministerial", By: "SpAd"}}))
	must(jr, lit(domain.EventOutcome, "2026-11-16", "asha", domain.EventData{Litigation: &domain.LitigationData{Outcome: "conceded"}}))
	mustCheck(t, s)

	// The report, counted by hand from the steps above.
	r, err := s.Report(ctx, "litigation", domain.MustDate("2026-10-01"), domain.MustDate("2026-11-30"), "month")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tab := range r.Tables {
		for _, row := range tab.Rows {
			got[tab.Title+"/"+row[0]] = strings.Join(row[1:], " ")
		}
	}
	wantRows := map[string]string{
		// outcomes: conceded, settled, withdrawn, won, lost, all
		"Outcomes by stage/Pre-action":   "1 0 0 0 0 1", // the JR conceded before a claim
		"Outcomes by stage/Claim issued": "0 1 0 0 0 1", // the damages claim settled
		"Outcomes by stage/all":          "1 1 0 0 0 2",
		// due, on time, late, outstanding, on time %: PAP response 13 Nov for 16 Nov; AoS 17 Nov for 16 Nov;
		// the defence (28 days after the acknowledgment: Mon 30 Nov) stopped when the claim settled.
		"Defendant's responses due in the range/response to letter before claim (14 days)": "1 1 0 0 100.0%",
		"Defendant's responses due in the range/acknowledgment of service":                 "1 0 1 0 0.0%",
		"Defendant's responses due in the range/defence":                                   "0 0 0 0 –",
		"Requests for more time by the defendant/2":                                        "1 1 0",
		"Part 36 offers/by our side":                                                       "1 0",
		"Part 36 offers/by the other side":                                                 "1 1",
		"Settlements by authority level/team-leader":                                       "1 £25,000.00 £0.00",
		"Settlements by authority level/caseworker":                                        "0 £0.00 £0.00",
	}
	for k, w := range wantRows {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if len(r.Notes) != 5 {
		t.Errorf("notes: %d", len(r.Notes))
	}
}

func queueReason(items []InboxItem) string {
	for _, it := range items {
		if it.Kind == "queue" {
			return it.Reason
		}
	}
	return ""
}

// [authority] holders may be roles of the team (the users table): a level
// held by "role:team-leader" is held by every current team leader, and a
// bare role name ("caseworker") is a role too. Without a user of that role
// the approval is refused and nothing is written.
func TestLitigationAuthorityFromTheTeamsRoles(t *testing.T) {
	auth, err := domain.ParseAuthority(map[string]domain.AuthorityConfig{
		"caseworker":  {Limit: "£10,000", Holders: []string{"caseworker"}},
		"team-leader": {Limit: "£50,000", Holders: []string{"role:team-leader"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(t.TempDir(), "data", "caseload.db"), Options{Authority: auth})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Import(ctx, []string{write(t, "lit.csv", litCSV)}, ImportOptions{ActOptions: act()}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, "lead", domain.TeamLeader, newKey(t), as("tester")); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, "cw", domain.Caseworker, newKey(t), as("lead")); err != nil {
		t.Fatal(err)
	}
	const claim = "KB-2026-000001"
	rec := func(user, kind string, d domain.LitigationData) (domain.Event, error) {
		return s.Record(ctx, claim, lit(kind, "2026-11-16", user, domain.EventData{Litigation: &d}))
	}
	if _, err := rec("cw", domain.EventAuthorityRequested, domain.LitigationData{AmountPence: 3_000_000, Money: "damages"}); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Case(ctx, claim)
	if _, err := rec("cw", domain.EventAuthorityApproved, domain.LitigationData{}); err == nil ||
		!strings.Contains(err.Error(), "cw does not hold authority at level team-leader") || !strings.Contains(err.Error(), claim) {
		t.Fatalf("a caseworker approved £30,000: %v", err)
	}
	if after, _ := s.Case(ctx, claim); len(after.Events) != len(before.Events) {
		t.Errorf("the refusal wrote %d events", len(after.Events)-len(before.Events))
	}
	if _, err := rec("lead", domain.EventAuthorityApproved, domain.LitigationData{}); err != nil {
		t.Errorf("a team leader (by role) could not approve: %v", err)
	}
	// A bare role name: any caseworker holds the caseworker level.
	if _, err := rec("cw", domain.EventAuthorityRequested, domain.LitigationData{AmountPence: 500_000, Money: "costs"}); err != nil {
		t.Fatal(err)
	}
	if _, err := rec("cw", domain.EventAuthorityApproved, domain.LitigationData{}); err != nil {
		t.Errorf("a caseworker (by role) could not approve £5,000: %v", err)
	}
	holders, err := s.AuthorityHolders(ctx)
	if err != nil || strings.Join(holders["team-leader"], ",") != "lead" || strings.Join(holders["caseworker"], ",") != "cw,lead" {
		t.Errorf("holders by role: %v %v", holders, err)
	}
}

// A settle-or-defend decision made at one stage is in the inbox once the
// case moves to another, and leaves it only with an event: a new decision
// (or a snooze, which is one).
func TestDecisionToRevisitAtAStageChange(t *testing.T) {
	s := openLit(t)
	const jr = "AC-2026-LON-000001"
	today := domain.MustDate("2026-11-20")
	revisit := func() *InboxItem {
		t.Helper()
		items, err := s.Inbox(ctx, today, 50)
		if err != nil {
			t.Fatal(err)
		}
		for i := range items {
			if items[i].Kind == "revisit" && items[i].Reference == jr {
				return &items[i]
			}
		}
		return nil
	}
	if _, err := s.Record(ctx, jr, lit(domain.EventDecision, "2026-11-10", "asha",
		domain.EventData{Text: "the refusal followed the policy", Litigation: &domain.LitigationData{Decision: "defend"}})); err != nil {
		t.Fatal(err)
	}
	if it := revisit(); it != nil {
		t.Fatalf("revisit before any stage change: %+v", it)
	}
	// The claim is issued (pre-action -> claim issued): the decision is to be revisited.
	if _, err := s.RecordEvent(ctx, jr, "claim-issued", ActOptions{User: "asha", On: domain.MustDate("2026-11-18")}, ""); err != nil {
		t.Fatal(err)
	}
	it := revisit()
	if it == nil {
		t.Fatal("no revisit item after the stage changed")
	}
	if it.Key != "revisit:"+jr+":claim-issued" || !strings.Contains(it.Reason, "made at Pre-action") || !strings.Contains(it.Reason, "now the case is at Claim issued") {
		t.Errorf("revisit item: %+v", it)
	}
	if v, _ := s.Litigation(ctx, jr, today); !v.Revisit {
		t.Error("the case view does not say revisit")
	}
	// check compares the stored column with the events, both ways.
	if probs, _, err := s.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("check: %v %v", probs, err)
	}
	s.db.Exec("UPDATE cases SET revisit_stage = NULL WHERE reference = ?", jr)
	if probs, _, _ := s.Check(ctx); len(probs) != 1 || probs[0].Reference != jr || !strings.Contains(probs[0].Problem, "not stored so") {
		t.Errorf("check after the column was cleared: %+v", probs)
	}
	s.db.Exec("UPDATE cases SET revisit_stage = 'substantive' WHERE reference = ?", jr)
	if probs, _, _ := s.Check(ctx); len(probs) != 1 || !strings.Contains(probs[0].Problem, "does not match its events") {
		t.Errorf("check after the column was changed: %+v", probs)
	}
	s.db.Exec("UPDATE cases SET revisit_stage = 'pre-action' WHERE reference = ?", jr)
	// A new decision at this stage takes it out.
	if _, err := s.Record(ctx, jr, lit(domain.EventDecision, "2026-11-20", "asha",
		domain.EventData{Text: "still defend: grounds unarguable", Litigation: &domain.LitigationData{Decision: "defend"}})); err != nil {
		t.Fatal(err)
	}
	if it := revisit(); it != nil {
		t.Errorf("still in the inbox after a new decision: %+v", it)
	}
	if probs, _, err := s.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("check: %v %v", probs, err)
	}
}

// TestSideOrderInBatchesAsOneItemAtATime checks the batched reading of the
// deadlines' parties against the query of one item at a time it replaced,
// over more cases than one batch holds, with the defendant's cases among
// them.
func TestSideOrderInBatchesAsOneItemAtATime(t *testing.T) {
	s := openLit(t)
	var b strings.Builder
	b.WriteString("jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,grounds\n")
	for i := 1; i <= 450; i++ {
		fmt.Fprintf(&b, "admin-court-jr,pre-action,2026-11-%02d,2026-10-20,R (Claimant %d),Bindmans LLP,Home Office,judicial-review,Refusal %d.\n", i%12+1, i, i)
	}
	if res, err := s.Import(ctx, []string{write(t, "many.csv", b.String())}, ImportOptions{ActOptions: act()}); err != nil || res.Imported != 450 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if _, err := s.RecordEvent(ctx, "KB-2026-000001", "particulars-served", ActOptions{User: "asha", On: domain.MustDate("2026-11-02")}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, "KB-2026-000001", lit(domain.EventPart36Made, "2026-10-26", "asha",
		domain.EventData{Litigation: &domain.LitigationData{Way: "made", By: "GLD", AmountPence: 1000000, Days: 21}})); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT c.reference, d.kind, d.due FROM deadlines d JOIN cases c ON c.id = d.case_id ORDER BY d.id")
	if err != nil {
		t.Fatal(err)
	}
	var items []InboxItem
	refs := map[string]bool{}
	for rows.Next() {
		var ref, kind, due string
		if err := rows.Scan(&ref, &kind, &due); err != nil {
			t.Fatal(err)
		}
		items = append(items, InboxItem{Key: "deadline:" + ref + ":" + kind + ":" + due, Kind: "due-soon", Reference: ref, Reason: kind})
		refs[ref] = true
	}
	rows.Close()
	// An item whose case has no deadline of its kind any more is left as it is.
	items = append(items, InboxItem{Key: "deadline:KB-2026-000001:gone:2026-11-16", Kind: "due-soon", Reference: "KB-2026-000001", Reason: "gone"})
	if len(refs) <= 400 {
		t.Fatalf("%d cases: not more than one batch", len(refs))
	}
	// What the query of one item at a time gave.
	type seen struct {
		side  string
		watch bool
	}
	want := map[string]seen{}
	for _, it := range items {
		rest := strings.TrimPrefix(it.Key, "deadline:"+it.Reference+":")
		kind := rest[:strings.LastIndex(rest, ":")]
		var party, side, jurisdiction string
		err := s.db.QueryRowContext(ctx, `SELECT d.party, c.side, c.jurisdiction FROM deadlines d JOIN cases c ON c.id = d.case_id
			WHERE c.reference = ? AND d.kind = ? ORDER BY d.id LIMIT 1`, it.Reference, kind).Scan(&party, &side, &jurisdiction)
		if errors.Is(err, sql.ErrNoRows) {
			want[it.Key] = seen{}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if side == "" {
			if side = s.PackOf(jurisdiction).Side; side == "" {
				side = domain.SideCourt
			}
		}
		want[it.Key] = seen{side, domain.Watched(side, party)}
	}
	cases, err := s.liftByCase(ctx, today, items, refs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.sideOrder(ctx, items, cases)
	if err != nil {
		t.Fatal(err)
	}
	watched, defendant, watching := 0, 0, false
	for _, it := range got {
		w := want[it.Key]
		if it.Side != w.side || it.Watch != w.watch || it.Watch != strings.HasPrefix(it.Reason, "watch: ") {
			t.Errorf("%s: side %q watch %v (%q), want side %q watch %v", it.Key, it.Side, it.Watch, it.Reason, w.side, w.watch)
		}
		if it.Watch {
			watched++
			watching = true
		} else if watching {
			t.Errorf("%s: own duty after a watch item", it.Key)
		}
		if it.Side == domain.SideDefendant {
			defendant++
		}
	}
	if len(got) != len(items) || watched == 0 || defendant == 0 {
		t.Errorf("%d items of %d, %d watched, %d from the defendant's side", len(got), len(items), watched, defendant)
	}
}
