package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/sanitize"
)

// View draws the screen: header, tabs, the screen's body (with the case
// detail beside it on wide terminals), the status line and key help. Every
// line is cut to the width, so nothing ever wraps.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "caseload"
	return v
}

func (m Model) render() string {
	w, h := max(m.width, 20), max(m.height, 6)
	st := m.styles
	lines := make([]string, 0, h)
	lines = append(lines, m.header(w), m.tabs(w))
	body := m.body(w)
	if m.showHelp {
		body = m.helpLines(w)
	}
	bh := m.bodyHeight()
	for i := 0; i < bh; i++ {
		if i < len(body) {
			lines = append(lines, body[i])
		} else {
			lines = append(lines, "")
		}
	}
	// Status line, then the prompt or the short help.
	status := m.status
	if m.busy > 0 && status == "" {
		status = "working…"
	}
	lines = append(lines, st.Status.Render(sanitize.Fit(status, w)))
	switch {
	case m.prompt.active:
		lines = append(lines, sanitize.Cut(m.prompt.input.View(), w))
	default:
		lines = append(lines, st.Help.Render(sanitize.Fit(m.shortHelp(), w)))
	}
	for i, l := range lines {
		if sanitize.Width(l) > w {
			lines[i] = sanitize.Cut(l, w)
		}
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

func (m Model) header(w int) string {
	c := m.counts
	right := fmt.Sprintf("queue %d · due %d · overdue %d", c.Queue, c.Due, c.Overdue)
	// The jurisdiction outlasts the long date as the width shrinks: it
	// says what every count and list is limited to.
	short := m.jur
	if short == "" {
		short = "all"
		if len(m.cfg.Packs) == 1 {
			short = m.cfg.Packs[0].ID
		}
	}
	// Built only as far as needed: this runs on every frame.
	user, name := m.cfg.User, m.jurisdictionName()
	left := "caseload · " + name + " · " + m.cfg.Today.Long() + " · " + user
	fits := func() bool { return sanitize.Width(left)+sanitize.Width(right)+1 <= w }
	for i := 0; i < 4 && !fits(); i++ {
		switch i {
		case 0:
			left = "caseload · " + name + " · " + m.cfg.Today.UK() + " · " + user
		case 1:
			left = "caseload · " + short + " · " + m.cfg.Today.Long() + " · " + user
		case 2:
			left = "caseload · " + short + " · " + m.cfg.Today.UK() + " · " + user
		case 3:
			left = short + " · " + m.cfg.Today.UK() + " · " + user
		}
	}
	if sanitize.Width(left)+sanitize.Width(right)+1 > w {
		right = fmt.Sprintf("Q %d · due %d · over %d", c.Queue, c.Due, c.Overdue)
	}
	gap := w - sanitize.Width(left) - sanitize.Width(right)
	if gap < 1 {
		return m.styles.Header.Render(sanitize.Fit(left+" · "+right, w))
	}
	return m.styles.Header.Render(sanitize.Fit(left, w)) + strings.Repeat(" ", gap) + m.styles.Header.Render(right)
}

func (m Model) tabs(w int) string {
	var parts []string
	for i, name := range tabNames {
		label := fmt.Sprintf("%d %s", i+1, name)
		if m.width < 70 {
			label = fmt.Sprintf("%d %s", i+1, name[:min(len(name), 3)])
		}
		if i == m.tab && !m.workOpen {
			if m.styles.Plain {
				parts = append(parts, "["+label+"]")
			} else {
				parts = append(parts, m.styles.ActiveTab.Render(" "+label+" "))
			}
		} else {
			parts = append(parts, m.styles.Tab.Render(" "+label+" "))
		}
	}
	if m.work != nil {
		parts = append(parts, m.workTab())
	}
	return sanitize.Cut(strings.Join(parts, " "), w)
}

func (m Model) shortHelp() string {
	switch {
	case m.workOpen && m.work != nil && !m.detailOpen && !m.searching:
		return "w close work · 1-6 screens · / search · ? help · q quit"
	case m.searching && m.linking != 0:
		return "type to find the case · ↑/↓ choose · enter link · esc cancel"
	case m.searching:
		return "type to search · ↑/↓ choose · enter open · esc back"
	case m.detailOpen && m.mail != nil:
		return "L link to a case · R replied · x done · enter open the case · j/k scroll · esc back"
	case m.detailOpen:
		return "r re-categorise · n note · : action · P progress · E refer in $EDITOR · esc back"
	case m.tab == tabInbox:
		if it, ok := m.inbox.current(); ok && it.Kind == "mail" {
			return "enter read · L link · R replied · x done · z snooze · J jurisdiction · ? help"
		}
		return "j/k move · enter open · z snooze · x done · / search · J jurisdiction · ? help · q quit"
	case m.tab == tabQueue:
		return "/ search · tab next screen · ? help · q quit"
	case m.tab == tabCases:
		return "j/k move · enter open · f track · t status · l late · o sort · v old cases · ? help"
	case m.tab == tabReports:
		return "[ ] or ←/→ report · j/k scroll · e export CSV · ? help · q quit"
	}
	return "j/k move · enter open · / search · tab next · ? help · q quit"
}

// body is the current screen, with the detail beside or over it.
func (m Model) body(w int) []string {
	open := m.detailOpen && (m.detail != nil || m.mail != nil)
	if open && !m.wide() {
		return m.paneLines(w)
	}
	lw := w
	if open {
		lw = w * 55 / 100
	}
	var left []string
	tab := m.tab
	if m.workOpen && m.work != nil {
		tab, left = -1, strings.Split(m.work.View(), "\n")
	}
	switch tab {
	case tabInbox:
		left = m.inboxLines(lw)
	case tabQueue:
		left = strings.Split(m.queue.View(), "\n")
	case tabDue:
		left = m.dueLines(lw)
	case tabCases:
		title := m.filterLine()
		if m.oldOnly {
			title = "old cases: no activity for a while, or received long ago · oldest activity first · v all cases"
		}
		left = m.caseLines(lw, &m.cases, title)
	case tabSearch:
		left = m.searchLines(lw)
	case tabReports:
		left = m.reportLines(lw)
	}
	if !open {
		return left
	}
	right := m.paneLines(w - lw - 3)
	sep := " │ "
	if m.styles.Plain {
		sep = "   "
	}
	out := make([]string, m.bodyHeight())
	for i := range out {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = padStyled(l, lw) + m.styles.Border.Render(sep) + r
	}
	return out
}

func (m Model) empty(loaded bool, what string) []string {
	if !loaded {
		return []string{m.styles.Muted.Render("Loading…")}
	}
	return []string{m.styles.Muted.Render(what)}
}

// visible returns the rows of a list that fit, for rendering only those.
func visible[T any](l *list[T], n int) (int, int) {
	end := min(l.top+n, len(l.rows))
	return l.top, end
}

// cursorLine marks the selected row with a pointer as well as reverse
// video, so the selection never depends on colour or attributes alone.
// s is already sanitised.
func (m Model) cursorLine(selected bool, s string, w int) string {
	if selected {
		if m.styles.Plain {
			return sanitize.Cut("> "+s, w)
		}
		return m.styles.Selected.Render(sanitize.Cut("▸ "+s+strings.Repeat(" ", w), w))
	}
	return sanitize.Cut("  "+s, w)
}

func (m Model) inboxLines(w int) []string {
	if len(m.inbox.rows) == 0 {
		return m.empty(m.inbox.loaded, "Nothing needs action today.")
	}
	head := fmt.Sprintf("%d items, most urgent first", len(m.inbox.rows))
	if it, ok := m.inbox.current(); ok {
		// The selected item's urgency, part by part, so the order can be checked.
		var parts []string
		for _, p := range it.Parts {
			parts = append(parts, fmt.Sprintf("%s %+.0f", p.Name, p.Points))
		}
		head = fmt.Sprintf("urgency %.0f = %s", it.Urgency, strings.Join(parts, ", "))
	}
	out := []string{m.styles.Muted.Render(sanitize.Fit(head, w))}
	from, to := visible(&m.inbox, m.listHeight())
	for i := from; i < to; i++ {
		it := m.inbox.rows[i]
		mark := "  "
		switch it.Kind {
		case "overdue", "direction-overdue":
			mark = "!!"
		case "due-today":
			mark = "! "
		}
		ref := it.Reference
		switch {
		case it.Kind == "mail" && ref == "":
			ref = fmt.Sprintf("mail %d", it.MailID)
		case it.Kind == "mail":
			mark = "@ "
		case ref == "":
			ref = "queue"
		}
		if it.Kind == "warning" {
			mark = "~ "
		}
		line := fmt.Sprintf("%s %s %s", mark, sanitize.Pad(ref, m.refW()), sanitize.Line(it.Reason))
		if it.Appellant != "" && w > 90 {
			line += " · " + sanitize.Line(it.Appellant)
		}
		l := m.cursorLine(i == m.inbox.cursor, line, w)
		if mark == "!!" && i != m.inbox.cursor {
			l = m.styles.Overdue.Render(l)
		}
		out = append(out, l)
	}
	return out
}

func daysWords(n int) string {
	switch {
	case n < -1:
		return fmt.Sprintf("%d days overdue", -n)
	case n == -1:
		return "1 day overdue"
	case n == 0:
		return "today"
	case n == 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", n)
}

func (m Model) dueLines(w int) []string {
	if len(m.due.rows) == 0 {
		return m.empty(m.due.loaded, "Nothing due in the next 14 days.")
	}
	dateW, date := 16, domain.Date.Long
	if w < 90 {
		dateW, date = 10, domain.Date.UK
	}
	out := []string{m.styles.Muted.Render(sanitize.Fit("   "+sanitize.Pad("due", dateW)+" "+sanitize.Pad("when", 16)+" "+sanitize.Pad("reference", m.refW())+" deadline (rule)", w))}
	from, to := visible(&m.due, m.listHeight())
	for i := from; i < to; i++ {
		d := m.due.rows[i]
		// A symbol as well as a colour: never colour alone.
		mark, style := "· ", m.styles.Soon
		switch {
		case d.DaysLeft < 0:
			mark, style = "!!", m.styles.Overdue
		case d.DaysLeft == 0:
			mark, style = "! ", m.styles.Today
		}
		prov := ""
		if d.Provisional {
			prov = " provisional"
		}
		line := fmt.Sprintf("%s %s %s %s %s (%s)%s", mark, sanitize.Pad(date(d.Due), dateW), sanitize.Pad(daysWords(d.DaysLeft), 16),
			sanitize.Pad(d.Reference, m.refW()), sanitize.Line(d.Label), d.Rule, prov)
		l := m.cursorLine(i == m.due.cursor, line, w)
		if i != m.due.cursor {
			l = style.Render(l)
		}
		out = append(out, l)
	}
	return out
}

func (m Model) filterLine() string {
	f := m.filter
	parts := []string{"track " + orAll(string(f.Track)), "status " + orAll(string(f.Status))}
	if f.Late != nil {
		parts = append(parts, "late only")
	}
	sort := f.Sort
	if sort == "" {
		sort = "newest"
	}
	return strings.Join(append(parts, "sort "+sort), " · ")
}

func orAll(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

func (m Model) caseLines(w int, l *list[store.CaseRow], title string) []string {
	out := []string{m.styles.Muted.Render(sanitize.Fit(title, w))}
	if len(l.rows) == 0 {
		return append(out, m.empty(l.loaded, "No cases match.")...)
	}
	from, to := visible(l, m.listHeight())
	nameW := max(w-m.refW()-11-14-6, 8)
	for i := from; i < to; i++ {
		c := l.rows[i]
		state := string(c.Status)
		if c.Track != nil {
			state = c.Track.Label()
		}
		late := " "
		if c.Late {
			late = "L"
		}
		line := fmt.Sprintf("%s %s %s %s %s", sanitize.Pad(c.Reference, m.refW()), c.Received.UK(), late,
			sanitize.Pad(c.Appellant, nameW), sanitize.Fit(state, 14))
		out = append(out, m.cursorLine(i == l.cursor, line, w))
	}
	return out
}

func (m Model) searchLines(w int) []string {
	out := []string{sanitize.Cut(m.search.View(), w)}
	if m.searchErr != "" {
		out = append(out, m.styles.Error.Render(sanitize.Fit(m.searchErr, w)))
	}
	if strings.TrimSpace(m.search.Value()) == "" {
		return append(out, m.styles.Muted.Render(sanitize.Fit("Type part of a reference, a name, a representative or any word.", w)))
	}
	title := fmt.Sprintf("%d found", len(m.results.rows))
	if len(m.results.rows) == 100 {
		title = "first 100, newest first"
	}
	return append(out, m.caseLines(w, &m.results, title)...)
}

// detailLines draws the case: parties, track, flags, deadlines with their
// rules, and the timeline.
func (m Model) detailLines(w int) []string {
	c := m.detail
	st := m.styles
	today := m.cfg.Today
	var out []string
	add := func(styled string) { out = append(out, sanitize.Cut(styled, w)) }
	field := func(label, value string) {
		out = append(out, st.Label.Render(sanitize.Pad(label, 13))+" "+sanitize.Fit(value, w-14))
	}
	add(st.Title.Render(sanitize.Fit(c.Reference+"  "+c.Appellant, w)))
	jr := m.judicialReview(c.Jurisdiction)
	track := "not yet categorised (suggested " + c.SuggestedTrack.Label() + ")"
	switch {
	case jr && c.Status == domain.StatusNew:
		track = "stage " + c.TrackOrNone().Label() + ", not yet triaged"
	case jr:
		track = "stage " + c.TrackOrNone().Label()
	case c.Track != nil:
		track = c.Track.Label()
	}
	field("Status", string(c.Status)+", "+track)
	if len(m.cfg.Packs) > 1 {
		field("Jurisdiction", m.packName(c.Jurisdiction))
	}
	if c.Representative != "" {
		field("Representative", c.Representative)
	}
	if jr {
		field("Defendant", c.Respondent)
	} else {
		field("Respondent", c.Respondent)
	}
	field("Subject", c.Subject.Label())
	if c.AmountPence != nil {
		field("Amount", domain.FormatPence(*c.AmountPence))
	}
	if jr {
		field("Grounds arose", c.DecisionDate.Long())
	} else {
		field("Decision", c.DecisionDate.Long())
	}
	field("Received", c.Received.Long())
	if c.Late {
		field("Late", fmt.Sprintf("! %d days: needs permission", c.DaysLate))
	}
	if len(c.Flags) > 0 {
		field("Flags", strings.Join(c.Flags, ", "))
	}
	if c.OpenReferrals > 0 {
		field("Referrals", fmt.Sprintf("%d waiting for a response", c.OpenReferrals))
	}
	// Its place in the inbox, part by part (the weights are settings).
	for _, it := range m.inbox.rows {
		if it.Reference == c.Reference {
			var parts []string
			for _, p := range it.Parts {
				parts = append(parts, fmt.Sprintf("%s %+.0f", p.Name, p.Points))
			}
			field("Urgency", fmt.Sprintf("%.0f = %s (%s)", it.Urgency, strings.Join(parts, ", "), it.Reason))
		}
	}
	add("")
	add(st.Title.Render("Deadlines"))
	if len(c.Deadlines) == 0 {
		add(st.Muted.Render("  none"))
	}
	for _, d := range c.Deadlines {
		state := daysWords(today.DaysUntil(d.Due))
		switch {
		case d.Status == domain.DeadlineMet:
			state = "met " + d.MetOn.UK()
		case d.Status == domain.DeadlineStopped:
			state = "stopped"
		case d.Optional && d.Due.Before(today):
			state = "lapsed"
		}
		if d.Provisional {
			state += ", provisional"
		}
		add(fmt.Sprintf("  %s  %s  %s (%s)", sanitize.Pad(d.Due.Long(), 16), sanitize.Pad(state, 16), sanitize.Line(d.Label), sanitize.Line(d.Rule)))
		if d.Warning != "" && d.Status == domain.DeadlineOpen {
			add(st.Late.Render(sanitize.Fit("    ⚠ "+d.Warning, w)))
		}
	}
	if len(m.detailMail) > 0 {
		add("")
		add(st.Title.Render("Correspondence"))
		for _, ml := range m.detailMail {
			add(fmt.Sprintf("  %s  %s  %s: %s", ml.Received.UK(), sanitize.Pad(ml.Status, 7), sanitize.Line(ml.From), sanitize.Line(ml.Subject)))
			for _, a := range ml.Attachments {
				add(st.Muted.Render(sanitize.Fit(fmt.Sprintf("      attached: %s (%s)", sanitize.Line(a.Name), domain.FormatSize(a.Size)), w)))
			}
		}
	}
	add("")
	add(st.Title.Render("Timeline"))
	for _, e := range c.Events {
		add(fmt.Sprintf("  %s %s  %s", e.At.Format("02/01/2006 15:04"), sanitize.Pad(e.User, 10), sanitize.Line(e.Detail)))
	}
	if c.Grounds != "" {
		add("")
		add(st.Title.Render("Grounds"))
		add("  " + sanitize.Line(c.Grounds))
	}
	top := min(m.detailTop, max(len(out)-m.bodyHeight(), 0))
	return out[top:]
}

// refW is the width of the reference column: the longest reference of the
// jurisdictions held (TC/2026/01234 is 13; AC-2026-LON-000123 is 18),
// worked out once in New.
func (m Model) refW() int { return m.refWidth }

// paneLines is the open message or case.
func (m Model) paneLines(w int) []string {
	if m.mail != nil {
		return m.mailLines(w)
	}
	return m.detailLines(w)
}

// mailLines draws an open message: who, when, the case, the reply due,
// attachments, then the text.
func (m Model) mailLines(w int) []string {
	ml, st := m.mail, m.styles
	var out []string
	field := func(label, value string) {
		out = append(out, st.Label.Render(sanitize.Pad(label, 10))+" "+sanitize.Fit(value, w-11))
	}
	subject := ml.Subject
	if subject == "" {
		subject = "(no subject)"
	}
	out = append(out, st.Title.Render(sanitize.Fit(fmt.Sprintf("Message %d: %s", ml.ID, subject), w)))
	field("From", ml.From)
	field("Received", ml.Received.Long())
	reply := "by " + ml.ReplyDue.Long() + " (" + daysWords(m.cfg.Today.DaysUntil(ml.ReplyDue)) + ")"
	switch ml.Status {
	case store.MailReplied:
		reply = "replied " + ml.RepliedOn.UK() + ": " + ml.Summary
	case store.MailDone:
		reply = "done " + ml.DoneOn.UK()
	}
	field("Reply", reply)
	field("Case", orText(ml.Reference, "unlinked: L links it"))
	for _, a := range ml.Attachments {
		field("Attached", fmt.Sprintf("%s (%s)", a.Name, domain.FormatSize(a.Size)))
	}
	if ml.HTML {
		out = append(out, st.Muted.Render(sanitize.Fit("(converted from HTML)", w)))
	}
	out = append(out, "")
	for _, line := range strings.Split(ml.Body, "\n") {
		out = append(out, sanitize.Fit(line, w))
	}
	top := min(m.detailTop, max(len(out)-m.bodyHeight(), 0))
	return out[top:]
}

func (m Model) packName(id string) string {
	for _, p := range m.cfg.Packs {
		if p.ID == id {
			return p.Name
		}
	}
	return id
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func (m Model) helpLines(w int) []string {
	out := []string{m.styles.Title.Render("Keys (any key closes this help)")}
	for _, group := range m.keys.Groups() {
		var parts []string
		for _, b := range group {
			if b.Enabled() {
				parts = append(parts, b.Help().Key+" "+b.Help().Desc)
			}
		}
		line := ""
		for _, p := range parts {
			if sanitize.Width(line)+sanitize.Width(p)+3 > w && line != "" {
				out = append(out, line)
				line = ""
			}
			if line != "" {
				line += " · "
			}
			line += p
		}
		out = append(out, line, "")
	}
	out = append(out, m.styles.Title.Render("Casework on an open case: press : then"))
	for _, a := range ActionHelp {
		out = append(out, sanitize.Fit("  "+a, w))
	}
	return out
}

// padStyled cuts an already styled line to width cells and pads it with
// spaces, for the left pane.
func padStyled(styled string, width int) string {
	c := sanitize.Cut(styled, width)
	if w := sanitize.Width(c); w < width {
		c += strings.Repeat(" ", width-w)
	}
	return c
}
