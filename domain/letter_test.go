package domain

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the letters' golden files")

// taxLetterCase is the fixed Tax Chamber case every ftt-tax template is
// rendered on. The dates were worked out by hand (England and Wales):
//   - decision Tue 1 Sep 2026; "30 days after" (TMA 1970 s31A) ends Thu 1
//     Oct 2026; received Mon 2 Nov 2026: 32 days late (30 in October + 2);
//   - allocated Complex Mon 9 Nov 2026 (the notice goes to HMRC that day):
//     statement of case 60 days after (r25) = Fri 8 Jan 2027, a working day;
//     costs opt-out 28 days after (r10(1)(c)) = Mon 7 Dec 2026;
//   - direction given Tue 10 Nov 2026, due Tue 24 Nov 2026: on Tue 1 Dec
//     2026 it is 7 days overdue;
//   - hearing Mon 15 Mar 2027; readiness check 28 days before = Mon 15 Feb
//     2027, a working day.
func taxLetterCase(t *testing.T, to string) (LetterCase, *RulePack) {
	t.Helper()
	p := MustRulePack("ftt-tax")
	cal := MustCalendar(EnglandAndWales)
	n := Notice{Reference: "TC/2026/04242", Received: MustDate("2026-11-02"), DecisionDate: MustDate("2026-09-01"),
		Appellant: "Siobhán Ó Súilleabháin", Representative: "Zoë Clarke of Clarke & Co", Respondent: "HMRC",
		Subject: "inaccuracy-penalty", AmountPence: pence(125000000), HMRCReference: "CFS/1234/5678",
		LateReason: "in hospital", AppellantAddress: "12 Harbour Row, Cobh, Cork",
		RepresentativeAddress: "Clarke & Co\n3 Bank Street\nLeeds LS1 5AB", RepresentativeEmail: "zoe@clarke.example",
		RespondentEmail: "appeals@hmrc.example"}
	events := []Event{
		{ID: 1, Kind: EventReceived, On: n.Received},
		{ID: 2, Kind: EventChecklist, On: MustDate("2026-11-03"), Data: EventData{Item: "decision-copy"}},
		{ID: 3, Kind: EventPermissionRequested, On: MustDate("2026-11-03")},
		{ID: 4, Kind: EventPermissionGranted, On: MustDate("2026-11-06")},
		{ID: 5, Kind: EventAllocated, On: MustDate("2026-11-09"), Data: EventData{Track: Complex}},
		{ID: 6, Kind: EventDirection, On: MustDate("2026-11-10"), Data: EventData{Party: "appellant",
			Text: "The appellant shall send the Tribunal and HMRC a copy of the penalty notice.", Due: MustDate("2026-11-24")}},
		{ID: 7, Kind: EventHearingListed, On: MustDate("2026-11-20"), Data: EventData{Due: MustDate("2027-03-15"), Venue: "Taylor House, London"}},
	}
	st := Replay(events)
	st.Subject = n.Subject
	f := LetterFacts{Notice: n, Track: Complex, Status: StatusAllocated, AllocatedOn: MustDate("2026-11-09"),
		// Decision Tue 1 Sep 2026: last day in time Wed 30 Sep (30 days beginning with);
		// received Mon 2 Nov 2026: 31 days to Sat 31 Oct, 2 more = 33 days late.
		Late: true, DaysLate: 33, Deadlines: p.Deadlines(cal, st), Events: events}
	c, err := NewLetterCase(p, f, to, "Priya Shah", MustDate("2026-12-01"), LetterOffice{Name: "First-tier Tribunal (Tax Chamber)",
		Address: []string{"PO Box 16972", "Birmingham", "B16 6TZ"}, Email: "taxappeals@justice.example"})
	if err != nil {
		t.Fatal(err)
	}
	return c, p
}

// jrLetterCase: an Administrative Court claim. Grounds arose Thu 1 Oct
// 2026; letter before claim Mon 2 Nov 2026 (response 14 days after = Mon 16
// Nov); claim issued Mon 16 Nov, served Tue 17 Nov (AoS 21 days after = Tue
// 8 Dec 2026); permission refused on the papers, reasons served Tue 1 Dec
// 2026: renewal 7 days after = Tue 8 Dec 2026 (CPR 54.12(3), over 5 days so
// weekends count).
func jrLetterCase(t *testing.T, pre bool, to string) LetterCase {
	t.Helper()
	p := MustRulePack("admin-court-jr")
	cal := MustCalendar(EnglandAndWales)
	n := Notice{Reference: "AC/2026/00077", Received: MustDate("2026-11-02"), DecisionDate: MustDate("2026-10-01"),
		Appellant: "Zoë Adeyemi", Representative: "Northern Law Centre", Respondent: "Secretary of State for the Home Department",
		Subject: "judicial-review", Grounds: "the refusal of 1 October 2026 to renew the claimant's licence",
		AppellantAddress: "Flat 2, 9 Mill Lane, Bradford BD1 2AA", RepresentativeEmail: "cases@nlc.example"}
	events := []Event{{ID: 1, Kind: "grounds-arose", On: n.DecisionDate}, {ID: 2, Kind: "letter-before-claim", On: n.Received}}
	if !pre {
		events = append(events, Event{ID: 3, Kind: "claim-issued", On: MustDate("2026-11-16")},
			Event{ID: 4, Kind: "claim-served", On: MustDate("2026-11-17")},
			Event{ID: 5, Kind: "paper-refusal-served", On: MustDate("2026-12-01")},
			Event{ID: 6, Kind: EventDirection, On: MustDate("2026-12-01"), Data: EventData{Party: "respondent",
				Text: "The defendant shall file the decision letter.", Due: MustDate("2026-12-15")}})
	}
	st := Replay(events)
	st.Subject = n.Subject
	st.Track = p.Stage(st)
	f := LetterFacts{Notice: n, Track: st.Track, Status: StatusAllocated, Deadlines: p.Deadlines(cal, st), Events: events}
	c, err := NewLetterCase(p, f, to, "Tom Reid", MustDate("2026-12-01"), LetterOffice{Name: "Government Legal Department",
		Address: []string{"102 Petty France", "London SW1H 9GL"}, LawyersName: "Litigation Group, Team B",
		LawyersAddress: []string{"102 Petty France", "London SW1H 9GL"}, LawyersEmail: "teamb@gld.example"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every built-in template, rendered on a fixed case, matches its golden
// file in testdata/letters (go test ./domain -run Golden -update rewrites
// them; read the diff).
func TestLetterTemplatesGolden(t *testing.T) {
	all, err := LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 15 {
		t.Errorf("%d templates, want the starting set of 15", len(all))
	}
	for _, tm := range all {
		t.Run(tm.ID(), func(t *testing.T) {
			var c LetterCase
			switch {
			case tm.For("ftt-tax"):
				c, _ = taxLetterCase(t, tm.To)
			case tm.Pack == "government":
				c = jrLetterCase(t, tm.Name == "pap-response", tm.To)
			default:
				c = jrLetterCase(t, false, tm.To)
			}
			l, err := tm.Render(c)
			if err != nil {
				t.Fatal(err)
			}
			got := l.Markdown()
			if strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
				t.Errorf("unfilled field in:\n%s", got)
			}
			file := filepath.Join("testdata", "letters", strings.ReplaceAll(tm.ID(), "/", "_")+".md")
			if *updateGolden {
				os.MkdirAll(filepath.Dir(file), 0o755)
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./domain -run Golden -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n%s", tm.ID(), file, got)
			}
		})
	}
}

// The facts a caseworker copies by hand today are in the letters: the
// hand-worked dates of taxLetterCase and jrLetterCase.
func TestLettersStateTheDates(t *testing.T) {
	all, _ := LoadTemplates(nil)
	render := func(name string, c LetterCase) string {
		t.Helper()
		tm, err := FindTemplate(all, name, "")
		if err != nil {
			t.Fatal(err)
		}
		l, err := tm.Render(c)
		if err != nil {
			t.Fatal(err)
		}
		return l.Text()
	}
	tax, _ := taxLetterCase(t, "appellant")
	jr := jrLetterCase(t, false, "appellant")
	pre := jrLetterCase(t, true, "appellant")
	for _, tc := range []struct {
		name string
		c    LetterCase
		want []string
	}{
		{"allocation", tax, []string{"Complex", "Friday 8 January 2027", "(rule 25", "Monday 7 December 2026", "rule 10(1)(c)", "rule 27(2)", "rule 23"}},
		// Decision Tue 1 Sep 2026 + 29 = Wed 30 Sep 2026, the last day in time (TMA 1970 s49G(5)(a)).
		{"acknowledgement", tax, []string{"Monday 2 November 2026", "Wednesday 30 September 2026", "33 days", "r20(4)"}},
		{"incomplete-notice", tax, []string{"a copy of the written decision", "rule 20"}},
		{"late-decision", tax, []string{"Permission has been granted", "Friday 6 November 2026"}},
		{"chaser", tax, []string{"Tuesday 24 November 2026", "7 days ago"}},
		{"chaser-referral", tax, []string{"referred to a judge", "rule 8"}},
		{"readiness", tax, []string{"Monday 15 March 2027", "Taylor House, London", "Monday 15 February 2027"}},
		{"hearing", tax, []string{"Monday 15 March 2027"}},
		{"direction", tax, []string{"copy of the penalty notice", "Tuesday 24 November 2026"}},
		{"paper-decision", jr, []string{"Permission has been refused", "Tuesday 8 December 2026", "54.12(3)"}},
		{"claim-acknowledgment", jr, []string{"Tuesday 8 December 2026", "54.8"}},
		{"directions", jr, []string{"Tuesday 15 December 2026", "decision letter"}},
		{"pap-response", pre, []string{"Monday 16 November 2026", "the refusal of 1 October 2026", "Thursday 1 October 2026"}},
		{"instructions", jr, []string{"Renewal to an oral hearing: Tuesday 8 December 2026", "Zoë Adeyemi"}},
	} {
		got := render(tc.name, tc.c)
		for _, w := range tc.want {
			if !strings.Contains(strings.Join(strings.Fields(got), " "), w) {
				t.Errorf("%s: no %q in:\n%s", tc.name, w, got)
			}
		}
	}
}

// An unknown field is an error when the template is loaded, even inside a
// branch no case takes, naming the template and its line.
func TestTemplateUnknownFieldNamesFileAndLine(t *testing.T) {
	text := "---\ntitle: T\nto: appellant\nchannel: letter\nevent: correspondence\n---\nDear {{.To.Name}},\n\n" +
		"{{if .Hearing}}{{.Hearing.Venu}}{{end}}\n"
	_, err := ParseTemplate("ftt-tax/mine", []byte(text), "/home/x/.config/caseload/templates/ftt-tax/mine.md")
	if err == nil || !strings.Contains(err.Error(), "/home/x/.config/caseload/templates/ftt-tax/mine.md:9:") ||
		!strings.Contains(err.Error(), "Venu") {
		t.Fatalf("got %v, want the file, line 9 and the field", err)
	}
	for _, tc := range []struct{ body, want string }{
		{"{{range .Deadlines}}{{.Dew.Full}}{{end}}", "Dew"},
		{"{{with .Due \"x\"}}{{.Due.Ful}}{{end}}", "Ful"},
		{"{{.Appelant.Name}}", "Appelant"},
		{"{{range .Missing}}{{.Label}}{{end}}", "Label"},
		{"{{nosuch .Reference}}", "nosuch"},
	} {
		_, err := ParseTemplate("ftt-tax/x", []byte("---\ntitle: T\nto: appellant\nchannel: letter\nevent: correspondence\n---\n"+tc.body), "")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "ftt-tax/x.md:7") {
			t.Errorf("%s: got %v", tc.body, err)
		}
	}
	ok := "{{range $i, $d := .Deadlines}}{{$d.Due.UK}} {{$.Reference}}{{end}}{{with .Direction}}{{.Text}}{{end}}{{list .Missing}}"
	if _, err := ParseTemplate("ftt-tax/x", []byte("---\ntitle: T\nto: appellant\nchannel: letter\nevent: correspondence\n---\n"+ok), ""); err != nil {
		t.Errorf("a good template refused: %v", err)
	}
}

func TestTemplateFrontMatter(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Dear", "starts with front matter"},
		{"---\ntitle: T\n", "no closing ---"},
		{"---\nto: appellant\nchannel: letter\nevent: correspondence\n---\n", "title is required"},
		{"---\ntitle: T\nto: judge\nchannel: letter\nevent: correspondence\n---\n", "to must be one of"},
		{"---\ntitle: T\nto: appellant\nchannel: fax\nevent: correspondence\n---\n", "channel must be letter or email"},
		{"---\ntitle: T\nto: appellant\nchannel: letter\nevent: allocated\n---\n", "event must be"},
		{"---\ntitle: T\ncolour: red\n---\n", ":3: unknown front matter key"},
		{"---\ntitle: T\nto: appellant\nchannel: letter\nevent: correspondence\njurisdictions: mars\n---\n", "not a rule pack"},
	} {
		if _, err := ParseTemplate("ftt-tax/x", []byte(tc.text), ""); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.text, err, tc.want)
		}
	}
}

// A user's copy wins over the built-in template of the same name; a new
// name adds one.
func TestTemplateOverride(t *testing.T) {
	mine := "---\ntitle: Our own acknowledgement\nto: appellant\nchannel: email\nevent: correspondence\n---\nHello {{.Appellant.Name}}\n"
	all, err := LoadTemplates([]TemplateOverride{{ID: "ftt-tax/acknowledgement", Text: []byte(mine), Source: "/cfg/a.md"},
		{ID: "ftt-tax/thanks", Text: []byte(mine), Source: "/cfg/t.md"}})
	if err != nil {
		t.Fatal(err)
	}
	tm, err := FindTemplate(all, "acknowledgement", "ftt-tax")
	if err != nil || tm.Title != "Our own acknowledgement" || tm.Source != "/cfg/a.md" {
		t.Fatalf("override not used: %+v %v", tm, err)
	}
	if _, err := FindTemplate(all, "thanks", "ftt-tax"); err != nil {
		t.Error(err)
	}
	if _, err := FindTemplate(all, "allocation", "admin-court-jr"); err == nil {
		t.Error("a Tax template offered for a judicial review")
	}
	bad := "---\ntitle: T\nto: appellant\nchannel: letter\nevent: correspondence\n---\n{{.Nope}}"
	if _, err := LoadTemplates([]TemplateOverride{{ID: "ftt-tax/bad", Text: []byte(bad), Source: "/cfg/bad.md"}}); err == nil ||
		!strings.Contains(err.Error(), "/cfg/bad.md:7") {
		t.Errorf("bad override: %v", err)
	}
}

func TestLetterAddressChecked(t *testing.T) {
	all, _ := LoadTemplates(nil)
	alloc, _ := FindTemplate(all, "allocation", "ftt-tax")
	c, p := taxLetterCase(t, "respondent")
	if err := alloc.CheckAddress(c); !errors.Is(err, ErrNoAddress) || !strings.Contains(err.Error(), "HMRC") ||
		!strings.Contains(err.Error(), "respondent_address") {
		t.Errorf("HMRC has only an email: got %v", err)
	}
	c, _ = taxLetterCase(t, "representative")
	if err := alloc.CheckAddress(c); err != nil {
		t.Errorf("the representative has an address: %v", err)
	}
	f := LetterFacts{Notice: Notice{Reference: "TC/2026/00001", Appellant: "A N Other"}}
	if _, err := NewLetterCase(p, f, "representative", "x", MustDate("2026-12-01"), LetterOffice{}); err == nil {
		t.Error("a letter to a representative the case does not have")
	}
	if got := AddressLines("1 High St, Leeds,  LS1 1AA "); strings.Join(got, "|") != "1 High St|Leeds|LS1 1AA" {
		t.Errorf("AddressLines: %q", got)
	}
}

func TestLetterText(t *testing.T) {
	l := Letter{Reference: "TC/2026/1", Subject: "TC/2026/1: Notice", Dated: MustDate("2026-12-01"),
		To:   LetterParty{Name: "Zoë", Address: []string{"1 Road"}},
		Body: "Dear Zoë,\n\n## Dates\n\n- one\n  two\n- **three**\n\n> quoted\n\nYours,\\\nPriya\\\nOffice\n"}
	want := "Zoë\n1 Road\n\n1 December 2026\n\nOur reference: TC/2026/1\n\nTC/2026/1: Notice\n=================\n\n" +
		"Dear Zoë,\n\nDates\n-----\n\n  - one two\n  - three\n\n    quoted\n\nYours,\nPriya\nOffice\n"
	if got := l.Text(); got != want {
		t.Errorf("Text:\n%s\nwant:\n%s", got, want)
	}
}

// A letter that does not fit the case yet is refused, saying what is
// lacking: the notice of allocation before an allocation, a chaser with
// no overdue direction.
func TestTemplateNeeds(t *testing.T) {
	all, _ := LoadTemplates(nil)
	p := MustRulePack("ftt-tax")
	queued := LetterFacts{Notice: Notice{Reference: "TC/2026/00009", Appellant: "A N Other", Received: MustDate("2026-11-02")},
		Status: StatusNew, Events: []Event{{ID: 1, Kind: EventReceived, On: MustDate("2026-11-02")},
			{ID: 2, Kind: EventReturned, On: MustDate("2026-11-03"), Data: EventData{Reasons: []string{"grounds", "other"}, Text: "the notice is not signed"}}}}
	c, err := NewLetterCase(p, queued, "appellant", "x", MustDate("2026-11-16"), LetterOffice{})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"allocation":      "has not been allocated yet",
		"chaser":          "no direction on the case is overdue",
		"hearing":         "no hearing is listed",
		"late-reasons":    "the appeal is not late",
		"late-decision":   "the appeal is not late; no decision on permission",
		"direction":       "no direction has been given",
		"chaser-referral": "no direction on the case is overdue",
	} {
		tm, _ := FindTemplate(all, name, "ftt-tax")
		if err := tm.Ready(c); err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "TC/2026/00009: ") {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
	tm, _ := FindTemplate(all, "incomplete-notice", "ftt-tax")
	if err := tm.Ready(c); err != nil {
		t.Errorf("incomplete notice on a returned notice: %v", err)
	}
	if strings.Join(c.Missing, "|") != "the grounds of appeal|the notice is not signed" {
		t.Errorf("missing: %q", c.Missing)
	}
	tax, _ := taxLetterCase(t, "appellant")
	for _, tm := range all {
		if tm.For("ftt-tax") && tm.Name != "incomplete-notice" {
			if err := tm.Ready(tax); err != nil {
				t.Errorf("%s on the fixed case: %v", tm.ID(), err)
			}
		}
	}
	if _, err := ParseTemplate("ftt-tax/x", []byte("---\ntitle: T\nto: appellant\nchannel: letter\nevent: correspondence\nneeds: moon\n---\n"), ""); err == nil ||
		!strings.Contains(err.Error(), "ftt-tax/x.md:6: needs") {
		t.Errorf("unknown need: %v", err)
	}
}

// BenchmarkRenderAllocation: drafting one notice of allocation from the
// case view (a batch drafts one per case allocated that day).
func BenchmarkRenderAllocation(b *testing.B) {
	all, _ := LoadTemplates(nil)
	tm, _ := FindTemplate(all, "allocation", "ftt-tax")
	c, _ := taxLetterCase(&testing.T{}, "appellant")
	for b.Loop() {
		if _, err := tm.Render(c); err != nil {
			b.Fatal(err)
		}
	}
}
