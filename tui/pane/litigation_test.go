package pane

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/uitest"
)

// A judicial review held from the defendant's side at 40 columns: own
// duties, then the claimant's steps marked watch, and the Litigation
// section with a decision made at pre-action to revisit now the claim is
// issued; every line within the width. With an empty register the ":"
// line's part36 accept is refused naming the case.
func TestPaneShowsTheDefendantsSide(t *testing.T) {
	st := uitest.Store(t, "jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,grounds\n"+
		"admin-court-jr,pre-action,2026-11-02,2026-10-20,R (Okafor),Bindmans LLP,SSHD,judicial-review,Refusal of leave.\n")
	const ref = "AC-2026-LON-000001"
	ctx := context.Background()
	rec := func(kind string, d domain.EventData) {
		t.Helper()
		if d.Litigation == nil {
			d.Litigation = &domain.LitigationData{}
		}
		if _, err := st.Record(ctx, ref, domain.Event{Kind: kind, On: domain.MustDate("2026-11-10"), User: "tester", Data: d}); err != nil {
			t.Fatal(err)
		}
	}
	rec(domain.EventSideSet, domain.EventData{Litigation: &domain.LitigationData{Side: domain.SideDefendant}})
	rec(domain.EventDecision, domain.EventData{Text: "the refusal followed the policy", Litigation: &domain.LitigationData{Decision: "defend"}})
	if _, err := st.RecordEvent(ctx, ref, "claim-issued", store.ActOptions{User: "tester", On: domain.MustDate("2026-11-12")}, ""); err != nil {
		t.Fatal(err)
	}
	d := uitest.Deps(t, st, nil)
	m := New(d, st)
	m.SetSize(40, 200)
	m = feed(d, m, m.OpenCase(ref))
	view := ansi.Strip(m.View())
	for _, l := range strings.Split(view, "\n") {
		if ansi.StringWidth(l) > 40 {
			t.Errorf("line wider than 40: %q", l)
		}
	}
	flat := strings.Join(strings.Fields(view), " ")
	for _, want := range []string{"Litigation", "Held from the defendant's side, stage Claim issued", "Settle or defend",
		"defend at Pre-action, proposed by tester; not yet approved", "the case is now at Claim issued: revisit the decision"} {
		if !strings.Contains(flat, want) {
			t.Errorf("pane lacks %q:\n%s", want, view)
		}
	}
	if own, watch := strings.Index(flat, "Own duties"), strings.Index(flat, "Watch: the other side's steps"); own < 0 || watch < 0 || own > watch {
		t.Errorf("own duties not before the watch items:\n%s", view)
	}
	// ":" part36 accept with no offer: refused by the store, naming the case.
	_, cmd := m.Update(uitest.Key(":"))
	ask, ok := uitest.Find[screen.Ask](uitest.Run(d, cmd))
	if !ok || !strings.Contains(ask.Label, ref) {
		t.Fatalf(": asked %+v", ask)
	}
	msgs := uitest.Run(d, ask.Submit("part36 accept"))
	acted, ok := uitest.Find[screen.Acted](msgs)
	if !ok || acted.Err == nil || !strings.Contains(acted.Err.Error(), ref+": there are no Part 36 offers on the case") {
		t.Errorf("part36 accept on an empty register: %+v", acted)
	}
}
