package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
)

// A defendant's caseload on a real file: a damages claim served on the
// Home Office (KB-2026-000001, received Tue 20 Oct 2026) and a judicial
// review at the pre-action stage (AC-2026-LON-000001, Mon 2 Nov 2026),
// with [authority]: tester up to £10,000, lead up to £50,000.
const litigationCSV = "jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,grounds\n" +
	"damages-claim,claim-issued,2026-10-20,2022-05-01,Mr A Claimant,Deighton Pierce Glynn,,damages-claim,False imprisonment: detention 2022.\n" +
	"admin-court-jr,pre-action,2026-11-02,2026-10-20,R (Okafor),Bindmans LLP,SSHD,judicial-review,Refusal of leave.\n"

const litClaim, litJR = "KB-2026-000001", "AC-2026-LON-000001"

func litigationStore(t *testing.T) *store.Store {
	t.Helper()
	auth, err := domain.ParseAuthority(map[string]domain.AuthorityConfig{
		"caseworker":  {Limit: "£10,000", Holders: []string{"tester"}},
		"team-leader": {Limit: "£50,000", Holders: []string{"lead"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fixed := time.Date(2026, 11, 16, 9, 30, 0, 0, time.UTC)
	s, err := store.Open(filepath.Join(dir, "c.db"), store.Options{Now: func() time.Time { return fixed }, Authority: auth})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(p, []byte(litigationCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(context.Background(), []string{p}, store.ImportOptions{ActOptions: store.ActOptions{User: "import", On: today}}); err != nil {
		t.Fatal(err)
	}
	return s
}

func startAs(t *testing.T, st *store.Store, user string, w, h int) *harness {
	t.Helper()
	return startWith(t, Config{Store: st, Packs: st.Packs(), Today: today, User: user, NoColor: true}, w, h)
}

// colon types a ":" line on the case the pane shows and answers y when
// the action asks once (settle, outcome).
func (h *harness) colon(line string, confirm bool) {
	h.t.Helper()
	h.press(":")
	h.typeText(line)
	h.press("enter")
	if confirm {
		h.mustShow("y to confirm")
		h.press("y")
	}
}

func (h *harness) events(ref string) []domain.Event {
	h.t.Helper()
	c, err := h.st.Case(context.Background(), ref)
	if err != nil {
		h.t.Fatal(err)
	}
	return c.Events
}

// statusHas checks the status line: the whole text on the model, and its
// start on the screen.
func (h *harness) statusHas(want ...string) {
	h.t.Helper()
	s := h.model().status
	for _, w := range want {
		if !strings.Contains(s, w) {
			h.t.Fatalf("status %q lacks %q", s, w)
		}
	}
	if !strings.Contains(h.screen(), s[:min(len(s), 40)]) {
		h.t.Fatalf("status %q not on screen:\n%s", s, h.screen())
	}
}

// refused runs a ":" line that must be refused with reason, naming the
// case, and change nothing on it.
func (h *harness) refused(ref, line, reason string, confirm bool) {
	h.t.Helper()
	before := len(h.events(ref))
	h.colon(line, confirm)
	h.statusHas(ref, reason)
	if after := len(h.events(ref)); after != before {
		h.t.Fatalf("%q refused but wrote %d events", line, after-before)
	}
}

// accepted runs a ":" line that must record one event of kind on ref,
// the status line naming the case.
func (h *harness) accepted(ref, line, kind string, confirm bool, status ...string) domain.Event {
	h.t.Helper()
	before := len(h.events(ref))
	h.colon(line, confirm)
	h.statusHas(append([]string{ref + ": "}, status...)...)
	evs := h.events(ref)
	if len(evs) != before+1 || evs[len(evs)-1].Kind != kind {
		h.t.Fatalf("%q: %d new events, last %q; want one %s", line, len(evs)-before, evs[len(evs)-1].Kind, kind)
	}
	return evs[len(evs)-1]
}

// Every litigation verb from the ":" line on the case the pane shows:
// recorded through the store as one event naming the case, or refused
// with the reason and nothing written (approval without the authority
// level, a second time request without a full explanation and a firm
// date, an action on an empty list, a wrong date, an unknown verb).
func TestLitigationColonVerbs(t *testing.T) {
	st := litigationStore(t)
	h := startAs(t, st, "tester", 120, 40)
	h.press("4", "enter", "j") // Cases, newest first: the JR, then the claim
	h.mustShow(litClaim + "  Mr A Claimant")

	h.accepted(litClaim, "side defendant", domain.EventSideSet, false, "held from the defendant's side")
	// Empty lists: no offer, decision, request or instruction to act on.
	h.refused(litClaim, "part36 accept", "there are no Part 36 offers on the case", false)
	h.refused(litClaim, "part36 withdraw", "there are no Part 36 offers on the case", false)
	h.refused(litClaim, "decision approve", "there is no settle-or-defend decision to approve", false)
	h.refused(litClaim, "authority approve", "there is no pending authority request to decide", false)
	h.refused(litClaim, "instruction answered", "there is no instruction waiting for a response", false)
	// Mistakes in the words.
	h.refused(litClaim, "part36 offer received £40,000 --served 31/02/2026", "nothing done: --served", false)
	h.refused(litClaim, "part36 offer received £40,000 --days 14", "not less than 21 days (CPR 36.5(1)(c))", false)
	h.refused(litClaim, "haggle £5", `"haggle" is not an action`, false)

	// Part 36: received Mon 16 Nov 2026, 21 days: ends Mon 7 Dec 2026 (CPR 36.5(1)(c), counted as CPR 2.8).
	offer := h.accepted(litClaim, "part36 offer received £40,000 --by Deighton Pierce Glynn", domain.EventPart36Made, false,
		"Part 36 offer received by Deighton Pierce Glynn, £40,000.00", "ends Mon 7 Dec 2026")
	h.mustShow("Litigation", "Part 36 offers (CPR 36)", "received by Deighton Pierce Glynn: £40,000.00")
	h.accepted(litClaim, "part36 change £35,000", domain.EventPart36Changed, false, "changed to £35,000.00")
	h.accepted(litClaim, "part36 withdraw", domain.EventPart36Withdrawn, false, "withdrawn (CPR 36.9)")
	h.refused(litClaim, "part36 accept", "no Part 36 offer on the case is open", false)
	_ = offer

	// Settle or defend: proposed by tester, approved by someone else.
	h.accepted(litClaim, "decision propose defend the detention was lawful throughout", domain.EventDecision, false, "proposed to defend at Claim issued")
	h.refused(litClaim, "decision approve", "tester proposed the decision: someone else must approve it", false)
	h.refused(litClaim, "decision propose maybe", "decision propose settle|defend", false)

	// Authority: £30,000 needs the team leader's level; tester holds only the caseworker's.
	h.accepted(litClaim, "authority request £30,000 damages", domain.EventAuthorityRequested, false, "level team-leader")
	h.refused(litClaim, "authority approve", "tester does not hold authority at level team-leader", false)
	h.refused(litClaim, "settle £30,000", "no authority approved to settle damages", true)

	// Instructions and their response.
	h.accepted(litClaim, "instruction send advise on quantum --due 30/11/2026", domain.EventInstructed, false, "response due Mon 30 Nov 2026")
	h.refused(litClaim, "instruction send advise --due 2026-13-01", "nothing done: --due", false)
	h.accepted(litClaim, "instruction answered counsel values the claim at £25,000", domain.EventInstructionAnswered, false, "answered the instruction")

	// More time: the second request on the same deadline needs a full explanation and a firm date (Jasbir Singh).
	h.accepted(litClaim, "time-request defence 14", domain.EventTimeRequested, false, "asked for 14 days more for defence")
	h.refused(litClaim, "time-request defence 7 need more time", "needs a full explanation", false)
	h.accepted(litClaim, "time-request defence 7 the medical records arrived only yesterday and run to 900 pages --firm-date 04/12/2026",
		domain.EventTimeRequested, false, "request 2; firm date Fri 4 Dec 2026")

	// The team leader approves, on the same file from another session.
	lead := startAs(t, st, "lead", 120, 40)
	lead.press("4", "enter", "j")
	lead.accepted(litClaim, "decision approve", domain.EventDecisionApproved, false, "approved")
	lead.accepted(litClaim, "authority approve", domain.EventAuthorityApproved, false, "up to £30,000.00 approved (level team-leader)")
	lead.refused(litClaim, "authority refuse", "there is no pending authority request to decide", false)

	// Settlement: above the authority approved is refused; within it closes the case (asked once).
	h.refused(litClaim, "settle £40,000", "above the authority approved", true)
	before := len(h.events(litClaim))
	h.colon("settle £30,000", true)
	h.statusHas(litClaim, "settled at")
	if evs := h.events(litClaim); len(evs) != before+1 || evs[len(evs)-1].Kind != domain.EventSettled {
		t.Fatalf("settle within authority not recorded")
	}

	// The JR: ministerial interest, a briefing before it can close, then the outcome.
	h.press("k")
	h.mustShow(litJR + "  R (Okafor)")
	h.accepted(litJR, "flag ministerial", domain.EventFlagSet, false, "ministerial")
	h.refused(litJR, "outcome conceded", "record the briefing", true)
	h.refused(litJR, "brief cabinet the Prime Minister", "brief ministerial|media", false)
	h.accepted(litJR, "brief ministerial the Home Secretary's private office", domain.EventBriefed, false, "ministerial interest: the Home Secretary's private office told")
	h.accepted(litJR, "brief media press office --text lines to take agreed", domain.EventBriefed, false, "media interest: press office told")
	// The confirmation can be declined: nothing recorded.
	n := len(h.events(litJR))
	h.colon("outcome conceded", false)
	h.mustShow("y to confirm")
	h.press("n")
	h.statusHas(litJR, "nothing done")
	if len(h.events(litJR)) != n {
		t.Fatal("declined outcome was recorded")
	}
	h.accepted(litJR, "outcome conceded the decision is withdrawn", domain.EventOutcome, true, "conceded at")
	if c, _ := st.Case(context.Background(), litJR); c.Status != domain.StatusClosed {
		t.Errorf("after the outcome the JR is %s", c.Status)
	}
	h.refused(litJR, "side court --date 17/11/2026", "in the future", false)
}

// The pane and inbox from the defendant's side: own duties first, the
// claimant's steps (an offer we made: the claimant's relevant period)
// marked to watch; a decision to revisit in the inbox once the stage
// moves on, out only with an event (a new decision).
func TestLitigationWatchAndRevisitInTheInbox(t *testing.T) {
	st := litigationStore(t)
	h := startAs(t, st, "tester", 120, 40)
	h.press("4", "enter", "j")
	h.accepted(litClaim, "side defendant", domain.EventSideSet, false)
	h.accepted(litClaim, "event particulars-served 02/11/2026", "particulars-served", false)
	// Our offer served Wed 28 Oct 2026, 21 days: the claimant's period ends Wed 18 Nov 2026, in 2 days.
	h.accepted(litClaim, "part36 offer made £10,000 --served 28/10/2026", domain.EventPart36Made, false, "ends Wed 18 Nov 2026")
	h.mustShow("Own duties", "Watch: the other side's steps", "watch Wed 18 Nov 2026")
	h.accepted(litClaim, "decision propose defend the detention was lawful", domain.EventDecision, false)

	h.press("1")
	h.lineShows("w  "+litClaim, "watch: part 36 offer made by our side")
	items, _ := st.Inbox(context.Background(), today, 50)
	for _, it := range items {
		if it.Kind == "revisit" {
			t.Fatalf("a decision to revisit before the stage changed: %+v", it)
		}
	}
	// The defence is filed: the claim is defended, and the decision made at claim issued is to be revisited.
	h.press("4", "enter", "j")
	h.accepted(litClaim, "event defence-filed", "defence-filed", false)
	h.mustShow("decision to revisit +30")
	h.press("1")
	h.lineShows("?  "+litClaim, "settle or defend: the decision made at Claim issued is to be revisited")
	h.press("4", "enter", "j")
	h.accepted(litClaim, "decision propose defend still lawful: the defence is filed", domain.EventDecision, false, "revisits defend at Claim issued")
	h.press("1")
	if strings.Contains(h.screen(), "is to be revisited") {
		t.Errorf("the revisit item stayed after a new decision:\n%s", h.screen())
	}
}

// lineShows: one line of the screen has every part.
func (h *harness) lineShows(parts ...string) {
	h.t.Helper()
	for _, l := range strings.Split(h.screen(), "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return
		}
	}
	h.t.Fatalf("no line has %q:\n%s", parts, h.screen())
}

// At 60 columns a refusal's reason does not fit the status line: it runs
// on into the footer's line, whole, until the next key brings the footer
// back; nothing is written.
func TestLitigationRefusalReadableAtSixtyColumns(t *testing.T) {
	st := litigationStore(t)
	h := startAs(t, st, "tester", 60, 20)
	h.press("4", "j", "enter")
	h.mustShow(litClaim)
	h.refused(litClaim, "authority approve", "there is no pending authority request to decide", false)
	lines := strings.Split(h.screen(), "\n")
	got := strings.Join(strings.Fields(lines[len(lines)-2]+" "+lines[len(lines)-1]), " ")
	if !strings.Contains(got, "Not saved: "+litClaim+": there is no pending authority request to decide") {
		t.Fatalf("the refusal is not whole on the last two lines:\n%s", h.screen())
	}
	for _, l := range lines {
		if w := len([]rune(l)); w > 60 {
			t.Errorf("line of %d cells: %q", w, l)
		}
	}
	if strings.Contains(lines[len(lines)-1], "? help") {
		t.Error("the footer is shown over the refusal")
	}
	h.press("k")
	h.mustShow("? help")
}
