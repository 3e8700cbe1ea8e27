package tui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/mailfile"
)

// Tax appeals, two admin court matters and a UT application, and the
// cases the morning's mail in store/mailfile/testdata names.
const mixed = "reference,jurisdiction,stage,received,decision_date,appellant,representative,respondent,subject,amount,grounds\n" +
	"TC/2026/00012,,,2026-11-02,2026-10-20,Northfield Joinery Ltd,Priya Shah,HMRC,vat,1250,Input tax.\n" +
	"TC/2026/00031,,,2026-11-03,2026-10-21,Greenway Haulage Ltd,,HMRC,corporation-tax,50000,Loss relief.\n" +
	"AC-2026-LON-000123,admin-court-jr,pre-action,2026-11-10,2026-10-01,R (Patel),Bindmans LLP,Home Office,judicial-review,,Unlawful policy.\n" +
	"AC-2026-LON-000124,admin-court-jr,claim-issued,2026-11-11,2026-10-05,Save Our Meadows Ltd,Leigh Day,Secretary of State,planning-jr,,Inspector erred.\n" +
	"JR/00042/2026,ut-iac-jr,claim-issued,2026-11-12,2026-10-15,CD (Albania),Duncan Lewis,,immigration-jr,,Fresh claim.\n"

// startAll starts the UI knowing every jurisdiction.
func startAll(t *testing.T, st *store.Store, w, h int) *harness {
	t.Helper()
	return startWith(t, Config{Store: st, Packs: st.Packs(), Today: today, User: "tester", NoColor: true}, w, h)
}

func TestJudicialReviewTriageAndJurisdictionSwitch(t *testing.T) {
	h := startAll(t, fixture(t, mixed), 140, 40)
	h.mustShow("all jurisdictions", "queue 5")
	h.press("J")
	h.mustShow("First-tier Tribunal (Tax Chamber)", "queue 2")
	h.press("J")
	h.mustShow("Administrative Court (judicial review)", "queue 2")

	h.press("2")
	h.mustShow("AC-2026-LON-000123", "Grounds arose", "Defendant", "Home Office", "► Pre-action", "p JR: pre-action")
	// A tax key on a judicial review is refused with a reason, and nothing is decided.
	h.press("s")
	h.mustShow("is a judicial review: choose its stage")
	// Priority decisions stay on the case.
	h.press("m")
	h.mustShow("ministerial")
	h.press("D")
	h.typeText("defend Decision followed the published policy")
	h.press("enter")
	h.mustShow("recommends defend")
	// The stage decides and the next matter comes up.
	h.press("a")
	h.mustShow("AC-2026-LON-000124", "Planning judicial review")
	c, err := h.st.Case(context.Background(), "AC-2026-LON-000123")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != domain.StatusAllocated || c.TrackOrNone() != domain.PreAction || !slices.Contains(c.Flags, "ministerial") {
		t.Errorf("after triage: %s %s flags %v", c.Status, c.TrackOrNone(), c.Flags)
	}
	var rec bool
	for _, e := range c.Events {
		rec = rec || e.Kind == domain.EventRecommended && e.Data.Reason == "defend"
	}
	if !rec {
		t.Error("no settle-or-defend recommendation recorded")
	}
	h.press("i")
	if got := h.track("AC-2026-LON-000124"); got != string(domain.ClaimIssued) {
		t.Errorf("stage %q, want claim-issued", got)
	}
	h.mustShow("queue 0")

	// The case detail shows its CPR deadlines with the promptly warning.
	h.press("/")
	h.typeText("patel")
	h.press("enter")
	h.mustShow("stage Pre-action", "Tue 24 Nov 2026", "Response to letter", "Mon 4 Jan 2027", "Claim form to be", "promptly")

	// Back to all jurisdictions: J goes round every pack after this one.
	h.press("esc")
	for i := 0; i < len(h.model().cfg.Packs) && !strings.Contains(h.screen(), "all jurisdictions"); i++ {
		h.press("J")
	}
	h.mustShow("all jurisdictions")
}

func TestMailInInbox(t *testing.T) {
	st := fixture(t, mixed)
	msgs, err := mailfile.Read(filepath.Join("..", "store", "mailfile", "testdata", "morning"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportMail(context.Background(), msgs, store.ActOptions{User: "import", On: domain.MustDate("2026-11-23")}); err != nil {
		t.Fatal(err)
	}
	h := startAll(t, st, 100, 30)
	h.mustShow("@ ", "email from Priya Shah")
	// Select the unlinked message and read it.
	unlinked := h.inboxIndex(func(it store.InboxItem) bool { return it.Kind == "mail" && it.Reference == "" })
	h.down(unlinked)
	h.mustShow("unlinked email")
	h.press("enter")
	h.mustShow("Café Rouge", "unlinked: L links it", "Renée")
	// Link it with the search-as-you-type picker.
	h.press("L")
	h.mustShow("Link message")
	h.typeText("greenway")
	h.mustShow("TC/2026/00031")
	h.press("enter")
	h.mustShow("linked to TC/2026/00031")
	var id int64
	for _, it := range h.model().inbox.Rows() {
		if it.Kind == "mail" && strings.Contains(it.Reason, "Café") {
			id = it.MailID
			if it.Reference != "TC/2026/00031" {
				t.Errorf("inbox still shows the message unlinked: %+v", it)
			}
		}
	}
	m, _ := st.MailItem(context.Background(), id)
	if m.Reference != "TC/2026/00031" || m.LinkedBy != "tester" {
		t.Errorf("message after linking: %+v", m)
	}
	// Reply and done from the inbox.
	h.press("esc", "1")
	i := h.inboxIndex(func(it store.InboxItem) bool { return it.MailID == id })
	h.top()
	h.down(i)
	h.press("R")
	h.typeText("Not a tribunal matter: sent to finance")
	h.press("enter")
	h.mustShow("reply recorded")
	m, _ = st.MailItem(context.Background(), id)
	if m.Status != store.MailReplied || !strings.Contains(m.Summary, "finance") {
		t.Errorf("message after the reply: %+v", m)
	}
	// A replied message leaves the inbox; another is marked done with x.
	h.top()
	other := h.model().inbox.Rows()[h.inboxIndex(func(it store.InboxItem) bool { return it.Kind == "mail" })].MailID
	h.down(h.inboxIndex(func(it store.InboxItem) bool { return it.MailID == other }))
	h.press("x")
	h.mustShow("done")
	if m, _ := st.MailItem(context.Background(), other); m.Status != store.MailDone {
		t.Errorf("message %d after x: %+v", other, m)
	}
	for _, it := range h.model().inbox.Rows() {
		if it.MailID == id || it.MailID == other {
			t.Errorf("replied or done message still in the inbox: %+v", it)
		}
	}
	// The case's detail lists its correspondence with attachments.
	h.press("/")
	h.typeText("cd albania")
	h.press("enter", "+") // the pane full screen: nothing is cut, every line wraps
	h.mustShow("Correspondence", "attached: Grounds of appeal.pdf")
	h.press("G")
	h.mustShow("email in")
}

func (h *harness) inboxIndex(match func(store.InboxItem) bool) int {
	h.t.Helper()
	for i, it := range h.model().inbox.Rows() {
		if match(it) {
			return i
		}
	}
	h.t.Fatalf("no such inbox item in %d rows:\n%s", len(h.model().inbox.Rows()), h.screen())
	return 0
}

func (h *harness) down(n int) {
	for range n {
		h.press("j")
	}
}

func (h *harness) top() { h.press("g") }

// Mail is written by strangers: escape sequences, bidi overrides and wide
// text in the sender, subject, body and attachment name never reach the
// terminal and never widen a line, in the inbox, the open message and the
// case it is linked to, at three sizes.
func TestHostileMailLeavesTheScreenIntact(t *testing.T) {
	st := fixture(t, mixed)
	raw := "From: \"Evil\x1b]0;pwned\x07 Sender\" <evil@example.org>\r\n" +
		"Subject: TC/2026/00012 \x1b[2J\u202eesrever\u202c 株式会社テスト商事株式会社テスト商事株式会社\r\n" +
		"Date: Mon, 16 Nov 2026 08:00:00 +0000\r\n" +
		"Message-ID: <hostile@example.org>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Body \x1b]52;c;aGk=\x07 with zero\u200bwidth and \x1b[31mred\x1b[0m\r\n" +
		"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"../../evil\x1b[2J.pdf\"\r\n\r\nabc\r\n--b--\r\n"
	m, err := mailfile.Parse(strings.NewReader(raw), "hostile.eml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.ImportMail(context.Background(), []mailfile.Message{m}, store.ActOptions{User: "import", On: today})
	if err != nil || res.Linked != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	ms, _ := st.MailList(context.Background(), store.MailFilter{}, 0, 10)
	for _, a := range ms[0].Attachments {
		if !strings.HasPrefix(a.Path, st.FilesDir()) || strings.Contains(filepath.Base(a.Path), "\x1b") {
			t.Errorf("attachment saved as %q", a.Path)
		}
	}
	for _, size := range [][2]int{{80, 24}, {60, 20}, {120, 40}} {
		h := startAll(t, st, size[0], size[1])
		mail := h.inboxIndex(func(it store.InboxItem) bool { return it.Kind == "mail" })
		for _, keys := range [][]string{{"1"}, {"j"}, {"enter"}, {"esc", "/"}, {"n", "o", "r", "t", "h"}, {"enter"}} {
			if len(keys) == 1 && keys[0] == "j" {
				h.top()
				h.down(mail)
				continue
			}
			h.press(keys...)
			out := h.m.View().Content
			if strings.Contains(ansi.Strip(out), "\x1b") || strings.Contains(out, "\x1b]0;") || strings.Contains(out, "\x1b]52") ||
				strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\u202e") || strings.Contains(out, "\u200b") {
				t.Fatalf("%v at %v: escape or bidi reached the terminal", keys, size)
			}
			for _, l := range strings.Split(out, "\n") {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%v at %v: line %d cells wide: %q", keys, size, w, ansi.Strip(l))
				}
			}
		}
		h.mustShow("Correspondence")
	}
}
