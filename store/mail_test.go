package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store/mailfile"
)

// The cases the morning's mail in mailfile/testdata refers to.
const mailCasesCSV = "reference,jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,grounds\n" +
	"TC/2026/00012,,,2026-11-02,2026-10-20,Northfield Joinery Ltd,Priya Shah,HMRC,vat,Input tax.\n" +
	"TC/2026/00031,,,2026-11-03,2026-10-21,Greenway Haulage Ltd,,HMRC,corporation-tax,Loss relief.\n" +
	"AC-2026-LON-000123,admin-court-jr,claim-issued,2026-11-10,2026-10-01,R (Patel),Bindmans LLP,Home Office,judicial-review,Unlawful policy.\n" +
	"JR/00042/2026,ut-iac-jr,claim-issued,2026-11-12,2026-10-15,CD (Albania),Duncan Lewis,,immigration-jr,Fresh claim.\n"

func TestMailImportLinkReply(t *testing.T) {
	s := open(t)
	mon := ActOptions{User: "tester", On: domain.MustDate("2026-11-23")}
	if _, err := s.Import(ctx, []string{write(t, "cases.csv", mailCasesCSV)}, ImportOptions{ActOptions: mon}); err != nil {
		t.Fatal(err)
	}
	msgs, err := mailfile.Read(filepath.Join("mailfile", "testdata", "morning"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportMail(ctx, msgs, mon)
	if err != nil {
		t.Fatal(err)
	}
	// Seven messages; six name a case held (in the subject or only in the body, or inside HTML), one does not.
	if res.Imported != 7 || res.Linked != 6 || res.Unlinked != 1 {
		t.Errorf("import %+v, want 7 imported, 6 linked, 1 unlinked", res)
	}
	again, err := s.ImportMail(ctx, msgs, mon)
	if err != nil || again.Imported != 0 || again.Duplicates != 7 {
		t.Errorf("second import %+v %v, want 7 duplicates and nothing imported", again, err)
	}

	open, _ := s.MailList(ctx, MailFilter{Status: MailOpen}, 0, 50)
	if len(open) != 7 {
		t.Fatalf("open mail %d", len(open))
	}
	// Received Mon 23 Nov 2026 + 10 working days: Tue 24 (1) ... Fri 27 (4), Mon 30 (5) ... Fri 4 Dec (9),
	// Mon 7 Dec 2026 (10).
	for _, m := range open {
		if m.ReplyDue.String() != "2026-12-07" || m.Received.String() != "2026-11-23" {
			t.Errorf("%q received %s reply due %s, want 23 Nov and 7 Dec", m.Subject, m.Received, m.ReplyDue)
		}
	}
	var unlinked Mail
	for _, m := range open {
		if m.Reference == "" {
			unlinked = m
		}
	}
	if !strings.Contains(unlinked.Subject, "Café") {
		t.Errorf("the unlinked message is %q, want the Latin-1 one", unlinked.Subject)
	}

	// Attachments beside the database, owner only, listed on the message.
	jr, _ := s.CaseMail(ctx, "JR/00042/2026")
	if len(jr) != 1 {
		t.Fatalf("JR mail %+v", jr)
	}
	m, err := s.MailItem(ctx, jr[0].ID)
	if err != nil || len(m.Attachments) != 2 {
		t.Fatalf("attachments %+v %v", m, err)
	}
	for _, a := range m.Attachments {
		fi, err := os.Stat(a.Path)
		if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != a.Size || !strings.HasPrefix(a.Path, s.FilesDir()) {
			t.Errorf("attachment %+v: %v %v", a, fi, err)
		}
	}

	// Linked mail is on the timeline as correspondence in.
	c, _ := s.Case(ctx, "TC/2026/00012")
	in := 0
	for _, e := range c.Events {
		if e.Kind == domain.EventCorrespondence && e.Data.Way == "in" && e.Data.Mail != 0 {
			in++
		}
	}
	if in != 2 {
		t.Errorf("TC/2026/00012 has %d correspondence-in events, want 2", in)
	}

	// The inbox shows mail, unlinked rising a little; limited to the tax chamber, the admin court's mail goes.
	items, _ := s.Inbox(ctx, mon.On, 50)
	if n := countKind(items, "mail"); n != 7 {
		t.Errorf("inbox has %d mail items, want 7", n)
	}
	tax, _ := s.Inbox(InJurisdiction(ctx, "ftt-tax"), mon.On, 50)
	if n := countKind(tax, "mail"); n != 4 { // three tax messages and the unlinked one
		t.Errorf("tax inbox has %d mail items, want 4", n)
	}
	// On Tue 8 Dec 2026 every reply is a day overdue and the mail rises above a due-soon deadline.
	late, _ := s.Inbox(ctx, domain.MustDate("2026-12-08"), 50)
	for _, it := range late {
		if it.Kind == "mail" && !strings.Contains(partsText(it), "reply overdue 1 day") {
			t.Errorf("overdue mail parts %+v", it.Parts)
		}
	}

	// Link by hand, reply, done.
	if err := s.LinkMail(ctx, unlinked.ID, "TC/2026/00031", mon); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkMail(ctx, unlinked.ID, "TC/2026/00012", mon); err == nil {
		t.Error("a linked message was linked again")
	}
	if err := s.MailReplied(ctx, unlinked.ID, "  ", mon); err == nil {
		t.Error("a reply without a summary was accepted")
	}
	if err := s.MailReplied(ctx, unlinked.ID, "Told them expenses are not a tribunal matter", mon); err != nil {
		t.Fatal(err)
	}
	c, _ = s.Case(ctx, "TC/2026/00031")
	last := c.Events[len(c.Events)-1]
	if last.Kind != domain.EventCorrespondence || last.Data.Way != "out" || !strings.Contains(last.Detail, "expenses") {
		t.Errorf("last event %+v, want the reply as correspondence out", last)
	}
	if err := s.MailDone(ctx, unlinked.ID, mon); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.MailList(ctx, MailFilter{Status: MailOpen}, 0, 50); len(open) != 6 {
		t.Errorf("open mail after done: %d, want 6", len(open))
	}
	mustCheck(t, s)
}

func countKind(items []InboxItem, kind string) int {
	n := 0
	for _, it := range items {
		if it.Kind == kind {
			n++
		}
	}
	return n
}

func partsText(it InboxItem) string {
	var out []string
	for _, p := range it.Parts {
		out = append(out, p.Name)
	}
	return strings.Join(out, "; ")
}

// BenchmarkMailImport: messages per second into the correspondence inbox,
// each searched for references (half name a case held and are linked, with
// a timeline event), 1,000 messages a run.
func BenchmarkMailImport(b *testing.B) {
	const n = 1000
	var total time.Duration
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		s, err := Open(filepath.Join(dir, "m.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		var csv strings.Builder
		csv.WriteString("reference,received,appellant,subject\n")
		for k := 1; k <= 100; k++ {
			fmt.Fprintf(&csv, "TC/2026/%05d,2026-11-02,Person %d,vat\n", k, k)
		}
		p := filepath.Join(dir, "c.csv")
		os.WriteFile(p, []byte(csv.String()), 0o600)
		on := ActOptions{User: "bench", On: domain.MustDate("2026-11-23")}
		if _, err := s.Import(ctx, []string{p}, ImportOptions{ActOptions: on}); err != nil {
			b.Fatal(err)
		}
		msgs := make([]mailfile.Message, n)
		for k := range msgs {
			ref := "no reference yet"
			if k%2 == 0 {
				ref = fmt.Sprintf("TC/2026/%05d", 1+k%100)
			}
			msgs[k] = mailfile.Message{Source: "bench", MessageID: fmt.Sprintf("%d@bench", k), Hash: fmt.Sprintf("%064d", k),
				From: "Sender <s@example.org>", Subject: "About " + ref, Text: strings.Repeat("Body text. ", 40),
				Date: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
		}
		t0 := time.Now()
		res, err := s.ImportMail(ctx, msgs, on)
		total += time.Since(t0)
		if err != nil || res.Imported != n || res.Linked != n/2 {
			b.Fatalf("%+v %v", res, err)
		}
		s.Close()
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "messages/s")
}
