package domain

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// LetterDate is a date as a letter writes it.
type LetterDate struct{ d Date }

// NewLetterDate wraps a date for a letter.
func NewLetterDate(d Date) LetterDate { return LetterDate{d} }

// Full is "Monday 23 November 2026", the form a letter uses in a sentence.
func (d LetterDate) Full() string {
	if d.d.IsZero() {
		return ""
	}
	return d.d.Time().Format("Monday 2 January 2006")
}

// UK is 23/11/2026.
func (d LetterDate) UK() string { return d.d.UK() }

// IsZero reports a date not known.
func (d LetterDate) IsZero() bool { return d.d.IsZero() }

// Date is the date itself.
func (d LetterDate) Date() Date { return d.d }

// LetterParty is someone a letter names or is addressed to.
type LetterParty struct {
	Role    string // appellant, representative, respondent, lawyers
	Name    string
	Address []string // postal address, one line each
	Email   string
}

// Known reports whether the case names this party.
func (p LetterParty) Known() bool { return p.Name != "" }

// LetterTrack is the track (or judicial review stage) with its label.
type LetterTrack struct {
	Code  string
	Label string
}

// LetterDeadline is an open deadline as a letter states it.
type LetterDeadline struct {
	Kind     string
	Label    string
	Party    string
	Due      LetterDate
	Rule     string
	Citation string
	Overdue  bool
	Optional bool
	// Provisional: a holiday past the published data decided the date.
	Provisional bool
	// Casework: a direction or the office's readiness check, not a step
	// the rule pack sets.
	Casework bool
}

// LetterDirection is a direction given on the case.
type LetterDirection struct {
	ID          int64 // the direction's own number (its deadline is "direction:ID")
	Text        string
	Party       string
	Given       LetterDate
	Due         LetterDate
	Complied    LetterDate
	Overdue     bool
	DaysOverdue int
}

// ChooseDirection makes direction id the one the letter is about (a
// chaser sent from that direction's row is about that direction, not the
// earliest); false if the case has no such direction.
func (c *LetterCase) ChooseDirection(id int64) bool {
	for i := range c.Directions {
		if c.Directions[i].ID == id {
			c.Direction = &c.Directions[i]
			return true
		}
	}
	return false
}

// LetterHearing is the listed hearing.
type LetterHearing struct {
	Date  LetterDate
	Venue string
}

// LetterOffice is the sending office, from config.toml [office]; the
// government's lawyers' details sit beside it (instructions go to them).
type LetterOffice struct {
	Name           string   `toml:"name"`
	Address        []string `toml:"address"`
	Email          string   `toml:"email"`
	Phone          string   `toml:"phone"`
	LawyersName    string   `toml:"lawyers_name"`
	LawyersAddress []string `toml:"lawyers_address"`
	LawyersEmail   string   `toml:"lawyers_email"`
}

// LetterReplaced is the saved letter a correction replaces.
type LetterReplaced struct {
	ID    int64
	Title string
	Dated LetterDate
}

// LetterCase is everything a template can say about a case: the fields a
// template names ({{.Reference}}, {{range .Deadlines}}...). A field that
// is not here is an error when the template is loaded.
type LetterCase struct {
	Reference      string
	Jurisdiction   string // the rule pack's name: "First-tier Tribunal (Tax Chamber)"
	Rules          string // the procedure rules' title
	Appellant      LetterParty
	Representative LetterParty
	Respondent     LetterParty
	Lawyers        LetterParty
	To             LetterParty // the recipient
	HMRCReference  string
	Subject        string
	Amount         string // "£1,234.56", or "" if not given
	Grounds        string
	LateReason     string
	Received       LetterDate
	DecisionDate   LetterDate
	Track          LetterTrack // track, or stage for judicial review
	AllocatedOn    LetterDate
	Status         string
	Late           bool
	DaysLate       int
	AppealLimit    LetterDate
	LimitCitation  string // the statute or rule of the appeal limit
	PermissionRule string
	Permission     string // late appeals: "", requested, granted, refused
	PermissionOn   LetterDate
	Deadlines      []LetterDeadline // every open deadline, earliest first
	Missing        []string         // checklist items marked missing, and other reasons a notice was returned
	Direction      *LetterDirection // the earliest direction not complied with, else the latest; nil if none
	Directions     []LetterDirection
	Hearing        *LetterHearing // nil if none is listed
	Caseworker     string
	Today          LetterDate
	Office         LetterOffice
	Replaces       *LetterReplaced // a correction: the letter it replaces

	occurred map[string]Date
}

// On is the latest date of an event of the kind on the case
// (paper-refusal-served, claim-issued, ...); zero if none.
func (c LetterCase) On(kind string) LetterDate { return LetterDate{c.occurred[kind]} }

// Due returns the open deadline of a kind (statement_of_case, ...), or nil.
func (c LetterCase) Due(kind string) *LetterDeadline {
	for i := range c.Deadlines {
		if c.Deadlines[i].Kind == kind {
			return &c.Deadlines[i]
		}
	}
	return nil
}

// Overdue lists the open deadlines already past.
func (c LetterCase) Overdue() []LetterDeadline {
	var out []LetterDeadline
	for _, d := range c.Deadlines {
		if d.Overdue {
			out = append(out, d)
		}
	}
	return out
}

// LetterFacts are what the store knows of a case, handed to NewLetterCase.
type LetterFacts struct {
	Notice      Notice // parties, contacts, subject, dates
	Track       Track
	Status      Status
	AllocatedOn Date
	Late        bool
	DaysLate    int
	Deadlines   []Deadline
	Events      []Event
}

// NewLetterCase builds the view a template is rendered over. to is the
// recipient role.
func NewLetterCase(p *RulePack, f LetterFacts, to, caseworker string, today Date, office LetterOffice) (LetterCase, error) {
	n := f.Notice
	st := Replay(f.Events)
	if office.Name == "" {
		office.Name = p.Name
	}
	c := LetterCase{
		Reference: n.Reference, Jurisdiction: p.Name, Rules: p.Rules,
		Appellant:      LetterParty{Role: "appellant", Name: n.Appellant, Address: AddressLines(n.AppellantAddress), Email: n.AppellantEmail},
		Representative: LetterParty{Role: "representative", Name: n.Representative, Address: AddressLines(n.RepresentativeAddress), Email: n.RepresentativeEmail},
		Respondent:     LetterParty{Role: "respondent", Name: n.Respondent, Address: AddressLines(n.RespondentAddress), Email: n.RespondentEmail},
		Lawyers:        LetterParty{Role: "lawyers", Name: office.LawyersName, Address: office.LawyersAddress, Email: office.LawyersEmail},
		HMRCReference:  n.HMRCReference, Subject: n.Subject.Label(), Grounds: n.Grounds, LateReason: n.LateReason,
		Received: LetterDate{n.Received}, DecisionDate: LetterDate{n.DecisionDate},
		Track:       LetterTrack{Code: string(f.Track), Label: f.Track.Label()},
		AllocatedOn: LetterDate{f.AllocatedOn}, Status: string(f.Status),
		Late: f.Late, DaysLate: f.DaysLate, LimitCitation: p.AppealLimit.Citation, PermissionRule: p.AppealLimit.PermissionRule,
		Permission: st.Permission, PermissionOn: LetterDate{st.PermissionOn},
		Caseworker: caseworker, Today: LetterDate{today}, Office: office, occurred: st.Occurred,
	}
	if n.AmountPence != nil {
		c.Amount = FormatPence(*n.AmountPence)
	}
	if c.Lawyers.Name == "" {
		c.Lawyers.Name = "Government Legal Department"
	}
	if f.Late {
		c.AppealLimit = LetterDate{p.LatenessOf(n, nil).Limit}
	}
	directionText := map[string]string{}
	for _, d := range st.Directions {
		directionText[fmt.Sprintf("direction:%d", d.ID)] = d.Text
	}
	for _, d := range f.Deadlines {
		if d.Status != DeadlineOpen {
			continue
		}
		if text, ok := directionText[d.Kind]; ok {
			// The timeline's label is cut to fit a screen; a letter says it all.
			d.Label = "Direction: " + strings.TrimRight(strings.TrimSpace(text), ".")
		}
		c.Deadlines = append(c.Deadlines, LetterDeadline{Kind: d.Kind, Label: d.Label, Party: d.Party,
			Due: LetterDate{d.Due}, Rule: d.Rule, Citation: d.Citation, Optional: d.Optional,
			Overdue: d.Due.Before(today) && !d.Optional, Provisional: d.Provisional,
			Casework: strings.HasPrefix(d.Kind, "direction:") || d.Kind == "readiness_check"})
	}
	slices.SortStableFunc(c.Deadlines, func(a, b LetterDeadline) int { return a.Due.d.Compare(b.Due.d) })
	for _, it := range ChecklistItems {
		if done, checked := st.Checklist[it.Code]; checked && !done {
			c.Missing = append(c.Missing, it.Label)
		}
	}
	for _, r := range st.Returned {
		if label := checklistLabel(r); label != "" {
			if !slices.Contains(c.Missing, label) {
				c.Missing = append(c.Missing, label)
			}
			continue
		}
		switch r {
		case "other":
			// The return's own words say what else is wrong.
			for i := len(f.Events) - 1; i >= 0; i-- {
				if e := f.Events[i]; e.Kind == EventReturned {
					if e.Data.Text != "" {
						c.Missing = append(c.Missing, e.Data.Text)
					}
					break
				}
			}
		case "no-jurisdiction":
			c.Missing = append(c.Missing, "an appeal the Tribunal has power to hear (the decision is not one that can be appealed to it)")
		case "duplicate":
			c.Missing = append(c.Missing, "a new appeal (this appeal has already been made)")
		}
	}
	for _, d := range st.Directions {
		ld := LetterDirection{ID: d.ID, Text: d.Text, Party: d.Party, Given: LetterDate{d.Given}, Due: LetterDate{d.Due},
			Complied: LetterDate{d.Complied}}
		if d.Complied.IsZero() && d.Due.Before(today) {
			ld.Overdue, ld.DaysOverdue = true, d.Due.DaysUntil(today)
		}
		c.Directions = append(c.Directions, ld)
	}
	for i := range c.Directions {
		if c.Directions[i].Complied.IsZero() && (c.Direction == nil || c.Directions[i].Due.d.Before(c.Direction.Due.d)) {
			c.Direction = &c.Directions[i]
		}
	}
	if c.Direction == nil && len(c.Directions) > 0 {
		c.Direction = &c.Directions[len(c.Directions)-1]
	}
	if !st.Hearing.IsZero() {
		c.Hearing = &LetterHearing{Date: LetterDate{st.Hearing}, Venue: st.Venue}
	}
	switch to {
	case "appellant":
		c.To = c.Appellant
	case "representative":
		c.To = c.Representative
		if !c.To.Known() {
			return c, fmt.Errorf("%s has no representative on file: address the letter to the appellant (--to appellant)", n.Reference)
		}
	case "respondent":
		c.To = c.Respondent
	case "lawyers":
		c.To = c.Lawyers
	default:
		return c, fmt.Errorf("--to: %q is not a party (use %s)", clip(to), strings.Join(LetterParties, ", "))
	}
	return c, nil
}

// AddressLines splits an address as imported: one line per line of the
// field, or per comma when it was given on one line.
func AddressLines(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	sep := "\n"
	if !strings.Contains(s, "\n") {
		sep = ","
	}
	var out []string
	for _, l := range strings.Split(s, sep) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// ErrNoAddress means the recipient has no address for the template's
// channel: the caseworker is told before anything is drafted.
var ErrNoAddress = errors.New("no address on file")

// CheckAddress says whether the recipient can be reached on the
// template's channel.
func (t *LetterTemplate) CheckAddress(c LetterCase) error { return CheckAddress(c, t.Channel) }

// CheckAddress says whether the recipient can be reached by channel
// (letter: a postal address; email: an email address).
func CheckAddress(c LetterCase, channel string) error {
	who := c.To.Role
	if c.To.Name != "" {
		who = fmt.Sprintf("the %s (%s)", c.To.Role, c.To.Name)
	}
	switch {
	case channel == "letter" && len(c.To.Address) == 0:
		return fmt.Errorf("%s: %w: %s has no postal address; import the notice again with %s_address, or address it to another party (--to)", c.Reference, ErrNoAddress, who, c.To.Role)
	case channel == "email" && c.To.Email == "":
		return fmt.Errorf("%s: %w: %s has no email address; import the notice again with %s_email, or address it to another party (--to)", c.Reference, ErrNoAddress, who, c.To.Role)
	}
	return nil
}

// Letter is a drafted letter: the heading a renderer lays out, and the
// body as Markdown.
type Letter struct {
	Template  string // PACK/NAME
	Title     string
	Channel   string
	Reference string
	Subject   string // the email subject and the letter's heading: title and reference
	To        LetterParty
	Dated     Date
	Office    LetterOffice
	Replaces  *LetterReplaced
	Body      string // Markdown, from the template
}

// Render drafts the letter. It fails on a template error (naming the
// template and line), never on a missing address (see CheckAddress).
func (t *LetterTemplate) Render(c LetterCase) (Letter, error) {
	var b bytes.Buffer
	if err := t.body.Execute(&b, c); err != nil {
		return Letter{}, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: "))
	}
	body := tidyMarkdown(printable(b.String()))
	if c.Replaces != nil {
		body = fmt.Sprintf("**This letter replaces our letter of %s (%s), which it corrects. Please disregard the earlier letter.**\n\n%s",
			c.Replaces.Dated.Full(), c.Replaces.Title, body)
	}
	to := c.To
	to.Name, to.Email = printable(to.Name), printable(to.Email)
	to.Address = slices.Clone(to.Address)
	for i := range to.Address {
		to.Address[i] = printable(to.Address[i])
	}
	return Letter{Template: t.ID(), Title: t.Title, Channel: t.Channel, Reference: c.Reference,
		Subject: c.Reference + ": " + t.Title, To: to, Dated: c.Today.d, Office: c.Office, Replaces: c.Replaces,
		Body: body}, nil
}

// tidyMarkdown trims what template actions leave: leading blank lines,
// trailing spaces, and runs of more than one blank line.
func tidyMarkdown(s string) string {
	var out []string
	blank := true
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}

// Heading is the block above the body: the recipient, the date and the
// references, one line each.
func (l Letter) Heading() []string {
	var out []string
	if l.To.Name != "" {
		out = append(out, l.To.Name)
	}
	if l.Channel == "email" && l.To.Email != "" {
		out = append(out, l.To.Email)
	} else {
		out = append(out, l.To.Address...)
	}
	out = append(out, "", l.Dated.Time().Format("2 January 2006"), "", "Our reference: "+l.Reference)
	return out
}

// Markdown is the whole letter as Markdown: the heading, then the body.
func (l Letter) Markdown() string {
	var b strings.Builder
	for _, h := range l.Heading() {
		if h == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(h + "  \n")
	}
	b.WriteString("\n# " + l.Subject + "\n\n" + l.Body)
	return b.String()
}

// Text is the letter as plain text: Markdown marks taken out, paragraphs
// wrapped at 72 columns (an email body, a .txt file).
func (l Letter) Text() string {
	var b strings.Builder
	for _, h := range l.Heading() {
		b.WriteString(h + "\n")
	}
	b.WriteString("\n" + l.Subject + "\n" + strings.Repeat("=", min(72, len([]rune(l.Subject)))) + "\n\n")
	prev := ""
	for _, blk := range MarkdownBlocks(l.Body) {
		if prev == "item" && blk.Kind != "item" {
			b.WriteString("\n")
		}
		prev = blk.Kind
		switch blk.Kind {
		case "heading":
			b.WriteString(blk.Text + "\n" + strings.Repeat("-", min(72, len([]rune(blk.Text)))) + "\n\n")
		case "item":
			b.WriteString(indentWrap(blk.Text, 72, "  - ", "    ") + "\n")
		case "quote":
			b.WriteString(indentWrap(blk.Text, 72, "    ", "    ") + "\n\n")
		default:
			b.WriteString(indentWrap(blk.Text, 72, "", "") + "\n\n")
		}
	}
	return strings.ReplaceAll(strings.TrimRight(b.String(), "\n")+"\n", "\n\n\n", "\n\n")
}

// MarkdownBlock is one block of the letters' Markdown: a heading, a list
// item or a paragraph, with emphasis marks removed (Bold says the block
// was wholly emphasised).
type MarkdownBlock struct {
	Kind string // heading, item, paragraph
	Text string
	Bold bool
}

// MarkdownBlocks reads the small Markdown the templates use: # headings,
// "- " list items, "> " quotations, paragraphs (lines joined; a line
// ending in a backslash breaks the line) and **bold**.
func MarkdownBlocks(s string) []MarkdownBlock {
	var out []MarkdownBlock
	var para strings.Builder
	kind := ""
	flush := func() {
		if kind != "" {
			out = append(out, plainBlock(kind, para.String()))
		}
		para.Reset()
		kind = ""
	}
	add := func(k, text string) {
		if kind != k || k == "item" {
			flush()
			kind = k
		} else if !strings.HasSuffix(para.String(), "\n") {
			para.WriteString(" ")
		}
		if strings.HasSuffix(text, "\\") {
			text = strings.TrimSuffix(text, "\\") + "\n"
		}
		para.WriteString(text)
	}
	for _, l := range strings.Split(s, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "#"):
			flush()
			out = append(out, plainBlock("heading", strings.TrimSpace(strings.TrimLeft(t, "#"))))
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
			add("item", strings.TrimSpace(t[2:]))
		case strings.HasPrefix(t, ">"):
			add("quote", strings.TrimSpace(t[1:]))
		case kind == "item" && strings.HasPrefix(l, "  "):
			// A continuation line of a list item.
			para.WriteString(" " + t)
		default:
			add("paragraph", t)
		}
	}
	flush()
	return out
}

func plainBlock(kind, s string) MarkdownBlock {
	s = strings.TrimRight(s, "\n ")
	bold := strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**") && len(s) > 4 && strings.Count(s, "**") == 2
	return MarkdownBlock{Kind: kind, Text: strings.ReplaceAll(s, "**", ""), Bold: bold}
}

// indentWrap wraps each line of s at width, the first line starting with
// first and the others with rest.
func indentWrap(s string, width int, first, rest string) string {
	var lines []string
	for i, l := range strings.Split(s, "\n") {
		if i == 0 {
			lines = append(lines, wrapLine(l, width, first, rest))
		} else {
			lines = append(lines, wrapLine(l, width, rest, rest))
		}
	}
	return strings.Join(lines, "\n")
}

func wrapLine(s string, width int, first, rest string) string {
	var b strings.Builder
	line := first
	n := len([]rune(first))
	for i, w := range strings.Fields(s) {
		wl := len([]rune(w))
		if i > 0 && n+1+wl > width {
			b.WriteString(line + "\n")
			line, n = rest+w, len([]rune(rest))+wl
			continue
		}
		if i > 0 {
			line += " "
			n++
		}
		line += w
		n += wl
	}
	b.WriteString(line)
	return b.String()
}

// printable keeps a letter free of what a notice's text could smuggle in:
// control characters, bidi overrides and zero-width characters become
// U+FFFD, visible on the page; line breaks and tabs stay.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0),
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r >= 0x200b && r <= 0x200f, r == 0xfeff:
			return '\ufffd'
		}
		return r
	}, s)
}
