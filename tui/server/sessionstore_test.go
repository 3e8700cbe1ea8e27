package server

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/mailfile"
	"github.com/caseload/caseload/tui"
	"github.com/caseload/caseload/tui/uitest"
	"github.com/caseload/caseload/tui/work"
)

// The UI's store methods that only read. Every other method of tui.Store
// and work.Store is a write, and must be listed in the writes below.
var uiReads = []string{"Counts", "Queue", "QueueAfter", "Case", "Find", "Due", "Cases", "Inbox", "SnoozedItems",
	"DoneToday", "Report", "OldCases", "MailItem", "SupportNeeds", "Queries", "FindCallers", "Topics", "Work",
	"CaseCount", "CasesBack", "DueBack", "DueCount", "InboxCounts", "InboxOf", "OldCaseCount", "OldCasesBack",
	"QueueSkipped", "Litigation"}

// TestReadOnlySessionRefusedEveryWrite makes every write the UI can make
// through a read-only user's session store, each on an item a team leader
// could change, and expects the role rules' refusal and no change. A
// method added to the UI's store interfaces fails here until it is listed
// as a read or given a write case.
func TestReadOnlySessionRefusedEveryWrite(t *testing.T) {
	ctx := context.Background()
	on := uitest.Today
	st := uitest.Store(t, uitest.Sample)
	as := func(u string) store.ActOptions { return store.ActOptions{User: u, On: on} }
	msg := mailfile.Message{Source: "test", MessageID: "m1@example.com", From: "A Writer <a@example.com>", FromAddr: "a@example.com",
		Subject: "About my appeal", Date: time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC), Text: "Dear Sir"}
	if _, err := st.ImportMail(ctx, []mailfile.Message{msg}, as("import")); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name string
		role domain.Role
	}{{"lead", domain.TeamLeader}, {"alice", domain.Caseworker}, {"ro", domain.ReadOnly}} {
		if err := st.AddUser(ctx, u.name, u.role, "", as("lead")); err != nil {
			t.Fatal(err)
		}
	}
	// What a team leader could change: a decided appeal (to undo), an
	// owned case (to release), a query, a snoozed item, a message.
	if _, err := st.Categorise(ctx, "TC/2026/05003", domain.Complex, store.CategoriseOptions{ActOptions: as("lead")}); err != nil {
		t.Fatal(err)
	}
	if err := st.Assign(ctx, store.Item{Reference: "TC/2026/05003"}, "alice", as("lead")); err != nil {
		t.Fatal(err)
	}
	q, err := st.AddQuery(ctx, store.NewQuery{Channel: domain.ChannelPhone, Contact: domain.Contact{Name: "Jane Doe",
		Role: domain.RoleAppellant, Phone: "01632 960001"}, NewContact: true, Topic: "hearing", Summary: "When is my hearing?"}, as("lead"))
	if err != nil {
		t.Fatal(err)
	}
	items, err := st.Inbox(ctx, on, 100)
	if err != nil {
		t.Fatal(err)
	}
	var onCase, noCase, mail store.InboxItem
	for _, it := range items {
		switch {
		case it.Kind == "mail":
			mail = it
		case it.Reference == "" && noCase.Key == "":
			noCase = it
		case it.Reference != "" && onCase.Key == "":
			onCase = it
		}
	}
	if onCase.Key == "" || noCase.Key == "" || mail.MailID == 0 {
		t.Fatalf("the inbox lacks an item of a case, one of none, or a message: %+v", items)
	}
	// The queue's item (no case) snoozed: its refusals cannot come from a
	// case's events.
	if err := st.Snooze(ctx, noCase, on.AddDays(3), "waiting", as("lead")); err != nil {
		t.Fatalf("snooze %s: %v", noCase.Key, err)
	}
	// A team leader's bulk flag on 05002, for the read-only user to try to
	// take back.
	batch, err := st.Bulk(ctx, []store.BulkTarget{{Reference: "TC/2026/05002"}}, store.BulkAction{Kind: store.BulkFlag, Flag: "urgent"}, as("lead"))
	if err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, st)

	ro := &SessionStore{Store: st, id: Identity{Name: "ro", Role: domain.ReadOnly, Session: "s1"}, hub: NewHub(),
		leases: NewLeases(st, "test", time.Minute, nil)}
	act := as("ro")
	case1 := store.Item{Reference: "TC/2026/05001"}
	writes := map[string]func() error{
		"Categorise": func() error {
			_, err := ro.Categorise(ctx, "TC/2026/05001", domain.Paper, store.CategoriseOptions{ActOptions: act, ExpectNew: true})
			return err
		},
		"UndoAllocation": func() error { _, err := ro.UndoAllocation(ctx, "TC/2026/05003", act); return err },
		"AddNote":        func() error { _, err := ro.AddNote(ctx, "TC/2026/05001", "a note", act); return err },
		"Snooze": func() error {
			if err := ro.Snooze(ctx, onCase, on.AddDays(2), "", act); err == nil || !strings.Contains(err.Error(), "ro is read-only") {
				return err
			}
			return ro.Snooze(ctx, noCase, on.AddDays(5), "", act)
		},
		"Unsnooze": func() error { _, err := ro.Unsnooze(ctx, noCase.Key, act); return err },
		"MeetDeadline": func() error {
			_, err := ro.MeetDeadline(ctx, "TC/2026/05003", "statement_of_case", on, act)
			return err
		},
		"Resolve": func() error {
			_, err := ro.Resolve(ctx, onCase, domain.Event{Kind: domain.EventInboxDone}, domain.Date{}, "", act)
			return err
		},
		"Dismiss": func() error { return ro.Dismiss(ctx, noCase.Key, act) },
		"Record": func() error {
			_, err := ro.Record(ctx, "TC/2026/05001", domain.Event{Kind: domain.EventFlagSet, On: on, Data: domain.EventData{Flag: "urgent"}})
			return err
		},
		"RecordStep": func() error {
			_, err := ro.RecordStep(ctx, "TC/2026/05003", "statement-of-case", act, store.StepOptions{})
			return err
		},
		"LinkMail":    func() error { return ro.LinkMail(ctx, mail.MailID, "TC/2026/05001", act) },
		"MailReplied": func() error { return ro.MailReplied(ctx, mail.MailID, "answered", act) },
		"MailDone":    func() error { return ro.MailDone(ctx, mail.MailID, act) },
		"AddQuery": func() error {
			_, err := ro.AddQuery(ctx, store.NewQuery{Channel: domain.ChannelPhone, Contact: domain.Contact{Name: "John Roe",
				Role: domain.RoleAppellant, Phone: "01632 960002"}, NewContact: true, Topic: "progress", Summary: "A question"}, act)
			return err
		},
		"UpdateQuery": func() error {
			_, err := ro.UpdateQuery(ctx, q.ID, domain.QueryResolved, "told them", act)
			return err
		},
		"UseArticle": func() error { return ro.UseArticle(ctx, q.ID, "tax-hearing-dates", act) },
		"Bulk": func() error {
			_, err := ro.Bulk(ctx, []store.BulkTarget{{Reference: "TC/2026/05001"}}, store.BulkAction{Kind: store.BulkFlag, Flag: "urgent"}, act)
			return err
		},
		"UndoBatch": func() error { _, err := ro.UndoBatch(ctx, batch.ID, act); return err },
		"Undo":      func() error { _, err := ro.Undo(ctx, "TC/2026/05003", act); return err },
		"CreateGroup": func() error {
			return ro.CreateGroup(ctx, "group", "TC/2026/05001", []string{"TC/2026/05002"}, act)
		},
		"SkipInQueue": func() error { return ro.SkipInQueue(ctx, "TC/2026/05001", act) },
		"Take":        func() error { return ro.Take(ctx, case1, act) },
		"Release":     func() error { return ro.Release(ctx, store.Item{Reference: "TC/2026/05003"}, act) },
		"Assign":      func() error { return ro.Assign(ctx, case1, "alice", act) },
	}

	var methods []string
	for _, typ := range []reflect.Type{reflect.TypeFor[tui.Store](), reflect.TypeFor[work.Store]()} {
		for i := range typ.NumMethod() {
			name := typ.Method(i).Name
			methods = append(methods, name)
			if _, w := writes[name]; !w && !slices.Contains(uiReads, name) {
				t.Errorf("%s.%s is neither a listed read nor a write tested here: list it, and if it writes, test its refusal", typ, name)
			}
		}
	}
	names := slices.Sorted(maps.Keys(writes)) // one order, so a failure repeats
	for _, name := range names {
		write := writes[name]
		if !slices.Contains(methods, name) {
			t.Errorf("%s is no longer a method of the UI's store: drop it here", name)
			continue
		}
		if err := write(); err == nil || !strings.Contains(err.Error(), "ro is read-only") {
			t.Errorf("%s as a read-only user: %v, want the read-only refusal", name, err)
		}
	}
	if after := fingerprint(t, st); after != before {
		t.Errorf("a read-only user's refused writes changed the file:\nbefore %s\nafter  %s", before, after)
	}
}

// fingerprint is what the writes above could change: each case's events,
// owner and status, the inbox, the snoozed items, the queries, the message.
func fingerprint(t *testing.T, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, ref := range []string{"TC/2026/05001", "TC/2026/05002", "TC/2026/05003"} {
		c, err := st.Case(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(ref + " " + string(c.Status) + " " + c.Owner + " ")
		for _, e := range c.Events {
			b.WriteString(e.Kind + ",")
		}
		b.WriteString("; ")
	}
	items, err := st.Inbox(ctx, uitest.Today, 100)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("inbox ")
	for _, it := range items {
		b.WriteString(it.Key + ",")
	}
	sn, err := st.SnoozedItems(ctx, uitest.Today, 100)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("; snoozed ")
	for _, s := range sn {
		b.WriteString(s.Key + ",")
	}
	qs, err := st.Queries(ctx, store.QueryFilter{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("; queries ")
	for _, q := range qs {
		b.WriteString(string(q.Status) + q.Article + ",")
	}
	return b.String()
}

// TestSessionQueueLeavesOutOthersAppeals: the queue screen pages with
// QueueAfter; in a session it holds the appeals available or the user's,
// never one given to someone else, on the first page or the next.
func TestSessionQueueLeavesOutOthersAppeals(t *testing.T) {
	ctx := context.Background()
	st := uitest.Store(t, uitest.Sample)
	lead := store.ActOptions{User: "lead", On: uitest.Today}
	for _, u := range []struct {
		name string
		role domain.Role
	}{{"lead", domain.TeamLeader}, {"alice", domain.Caseworker}, {"bob", domain.Caseworker}} {
		if err := st.AddUser(ctx, u.name, u.role, "", lead); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Assign(ctx, store.Item{Reference: "TC/2026/05002"}, "bob", lead); err != nil {
		t.Fatal(err)
	}
	session := func(name string) *SessionStore {
		return &SessionStore{Store: st, id: Identity{Name: name, Role: domain.Caseworker, Session: name}, hub: NewHub(), leases: NewLeases(st, "test", time.Minute, nil)}
	}
	refs := func(s *SessionStore, after store.CaseRow) string {
		rows, err := s.QueueAfter(ctx, after.Received, after.Reference, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Reference)
		}
		return strings.Join(out, " ")
	}
	first, err := st.Case(ctx, "TC/2026/05001")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who   string
		after store.CaseRow
		want  string
	}{
		{"alice", store.CaseRow{}, "TC/2026/05001 TC/2026/05003"},
		{"alice", first.CaseRow, "TC/2026/05003"},
		{"bob", store.CaseRow{}, "TC/2026/05001 TC/2026/05002 TC/2026/05003"},
		{"bob", first.CaseRow, "TC/2026/05002 TC/2026/05003"},
	} {
		if got := refs(session(c.who), c.after); got != c.want {
			t.Errorf("%s's queue after %q: %s, want %s", c.who, c.after.Reference, got, c.want)
		}
	}
}

// TestSessionWritesAsItsUserAndTellsTheOthers: a query recorded through a
// session is the key's owner's whatever the UI put in its options, and the
// other sessions hear of it.
func TestSessionWritesAsItsUserAndTellsTheOthers(t *testing.T) {
	ctx := context.Background()
	st := uitest.Store(t, uitest.Sample)
	lead := store.ActOptions{User: "lead", On: uitest.Today}
	if err := st.AddUser(ctx, "lead", domain.TeamLeader, "", lead); err != nil {
		t.Fatal(err)
	}
	if err := st.AddUser(ctx, "alice", domain.Caseworker, "", lead); err != nil {
		t.Fatal(err)
	}
	hub := NewHub()
	heard := make(chan tui.LiveMsg, 4)
	_, cancel := hub.Subscribe(func(m tui.LiveMsg) { heard <- m })
	defer cancel()
	alice := &SessionStore{Store: st, id: Identity{Name: "alice", Role: domain.Caseworker, Session: "a"}, hub: hub,
		leases: NewLeases(st, "test", time.Minute, nil), sub: -1}
	q, err := alice.AddQuery(ctx, store.NewQuery{Channel: domain.ChannelPhone, Contact: domain.Contact{Name: "Jane Doe",
		Role: domain.RoleAppellant, Phone: "01632 960001"}, NewContact: true, Topic: "hearing", Reference: "TC/2026/05001",
		Summary: "When is my hearing?"}, store.ActOptions{User: "lead", On: uitest.Today})
	if err != nil {
		t.Fatal(err)
	}
	if q.User != "alice" {
		t.Errorf("the query was recorded as %q, not the session's user", q.User)
	}
	select {
	case m := <-heard:
		if len(m.Changes) != 1 || m.Changes[0].By != "alice" || m.Changes[0].Reference != "TC/2026/05001" {
			t.Errorf("the others heard %+v", m)
		}
	case <-time.After(2 * time.Second):
		t.Error("no other session heard of the query")
	}
}

// TestSessionBulkAsItsUserAndTellsTheOthers: a bulk flag and its undo made
// through a session are the session user's whatever the UI put in its
// options, and the other sessions hear of each case acted on.
func TestSessionBulkAsItsUserAndTellsTheOthers(t *testing.T) {
	ctx := context.Background()
	st := uitest.Store(t, uitest.Sample)
	lead := store.ActOptions{User: "lead", On: uitest.Today}
	if err := st.AddUser(ctx, "lead", domain.TeamLeader, "", lead); err != nil {
		t.Fatal(err)
	}
	if err := st.AddUser(ctx, "alice", domain.Caseworker, "", lead); err != nil {
		t.Fatal(err)
	}
	hub := NewHub()
	heard := make(chan tui.LiveMsg, 8)
	_, cancel := hub.Subscribe(func(m tui.LiveMsg) { heard <- m })
	defer cancel()
	alice := &SessionStore{Store: st, id: Identity{Name: "alice", Role: domain.Caseworker, Session: "a"}, hub: hub,
		leases: NewLeases(st, "test", time.Minute, nil), sub: -1}
	hear := func(what string) {
		t.Helper()
		select {
		case m := <-heard:
			if len(m.Changes) == 0 || m.Changes[0].By != "alice" || m.Changes[0].Reference != "TC/2026/05001" {
				t.Errorf("%s: the others heard %+v", what, m)
			}
		case <-time.After(2 * time.Second):
			t.Errorf("%s: no other session heard of it", what)
		}
	}
	b, err := alice.Bulk(ctx, []store.BulkTarget{{Reference: "TC/2026/05001"}}, store.BulkAction{Kind: store.BulkFlag, Flag: "urgent"}, lead)
	if err != nil {
		t.Fatal(err)
	}
	hear("bulk")
	if _, err := alice.UndoBatch(ctx, b.ID, lead); err != nil {
		t.Fatal(err)
	}
	hear("undo")
	c, err := st.Case(ctx, "TC/2026/05001")
	if err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, e := range c.Events[len(c.Events)-2:] {
		users = append(users, e.Kind+" by "+e.User)
	}
	if got := strings.Join(users, ", "); got != "flag-set by alice, flag-cleared by alice" {
		t.Errorf("the batch and its undo were recorded as %s, not the session's user", got)
	}
}
