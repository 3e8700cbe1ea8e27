// Package pane is the open case or message: everything about it, wrapped
// to the width and scrolled on a viewport (nothing is cut off), with the
// actions that act on the case or message it shows, and only on that one.
package pane

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what the pane needs of the database.
type Store interface {
	Case(ctx context.Context, ref string) (*store.Case, error)
	MailItem(ctx context.Context, id int64) (*store.Mail, error)
	Record(ctx context.Context, ref string, e domain.Event) (domain.Event, error)
	AddNote(ctx context.Context, ref, text string, opt store.ActOptions) (domain.Event, error)
	Categorise(ctx context.Context, ref string, track domain.Track, opt store.CategoriseOptions) (domain.Event, error)
	MailReplied(ctx context.Context, id int64, summary string, opt store.ActOptions) error
	MailDone(ctx context.Context, id int64, opt store.ActOptions) error
	SupportNeeds(ctx context.Context, ref string) ([]domain.SupportNeed, error)
	MeetDeadline(ctx context.Context, ref, deadlineKind string, on domain.Date, opt store.ActOptions) (domain.Event, error)
	RecordStep(ctx context.Context, ref, kind string, opt store.ActOptions, so store.StepOptions) (domain.Event, error)
	Undoer  // u and ":undo" (undo.go)
	Grouper // ":group"
	// Litigation is the party's side of the case (issue 19): own duties
	// and the other side's steps, offers, decisions, authority.
	Litigation(ctx context.Context, ref string, today domain.Date) (*store.LitigationView, error)
}

// KeyMap is the pane's keys; which apply depends on what it shows.
type KeyMap struct {
	d    screen.Deps
	mail bool
}

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.d.Keys
	if m.mail {
		return []key.Binding{k.Link, k.Replied, k.Done, k.Open, pagedlist.Move(k.Down, k.Up, "scroll"), k.Expand, k.Back}
	}
	return []key.Binding{k.Recategorise, k.Note, k.Action, k.Progress, k.Editor, pagedlist.Move(k.Down, k.Up, "scroll"), k.Expand, k.Back}
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.d.Keys
	return [][]key.Binding{
		{k.Recategorise, k.Note, k.Action, k.Progress, k.Editor, k.Met, undoLatest(k.Undo)},
		{k.Link, k.Replied, k.Done, k.Open},
		{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom, k.Expand, k.Back},
	}
}

// Model is the pane.
type Model struct {
	d        screen.Deps
	st       Store
	vp       *viewport.Model // by pointer: the model is copied on every message
	frame    *frame          // the last View, kept until the text, size or scroll changes
	c        *store.Case
	needs    []domain.SupportNeed  // the case's support needs, every status
	lit      *store.LitigationView // the party's side of the case
	mail     *store.Mail
	opening  string // what is on its way ("TC/2026/00001", "message 4")
	urgency  string
	gen      int // bumps with every open: an older answer is dropped
	open     bool
	expanded bool
	width    int
	height   int
}

type (
	caseMsg struct {
		gen   int
		c     *store.Case
		needs []domain.SupportNeed
		lit   *store.LitigationView
		err   error
	}
	mailMsg struct {
		gen int
		m   *store.Mail
		err error
	}
	editorReadyMsg struct {
		ref, path, editor string
		err               error
	}
	editedMsg struct {
		ref, note string
		err       error
	}
)

// New is a closed pane.
func New(d screen.Deps, st Store) Model {
	vp := viewport.New()
	return Model{d: d, st: st, vp: &vp, frame: &frame{}}
}

// Keys is the key map for what the pane shows.
func (m Model) Keys() KeyMap { return KeyMap{m.d, m.mail != nil} }

// SetStore changes the store (the root limits it to a jurisdiction).
func (m *Model) SetStore(st Store) { m.st = st }

// SetSize fits the pane.
func (m *Model) SetSize(w, h int) {
	if w == m.width && h == m.height {
		return
	}
	m.width, m.height = max(w, 10), max(h, 1)
	m.vp.SetWidth(m.width)
	m.vp.SetHeight(m.height)
	m.render()
}

// IsOpen reports whether the pane is shown.
func (m Model) IsOpen() bool { return m.open }

// Expanded reports whether it fills the screen.
func (m Model) Expanded() bool { return m.expanded }

// Case is the case shown (nil while a case is on its way or a message is shown).
func (m Model) Case() *store.Case { return m.c }

// Mail is the message shown.
func (m Model) Mail() *store.Mail { return m.mail }

// Shows reports what the pane shows or is opening: a case reference or a
// message id.
func (m Model) Shows() (ref string, mailID int64) {
	switch {
	case m.mail != nil:
		return "", m.mail.ID
	case m.c != nil:
		return m.c.Reference, 0
	}
	return m.opening, 0
}

// Close hides the pane.
func (m *Model) Close() {
	m.open, m.expanded, m.c, m.mail, m.opening = false, false, nil, nil, ""
	m.gen++
}

// OpenCase shows "opening" at once, so nothing acts on the case shown
// before, and reads the case.
func (m *Model) OpenCase(ref string) tea.Cmd {
	m.gen++
	m.open, m.c, m.mail, m.opening = true, nil, nil, ref
	m.render()
	st, gen, today := m.st, m.gen, m.d.Today
	return m.d.Requests.Go(screen.Pane, func(ctx context.Context) tea.Msg {
		c, err := st.Case(ctx, ref)
		var needs []domain.SupportNeed
		var lit *store.LitigationView
		if err == nil {
			needs, err = st.SupportNeeds(ctx, ref)
		}
		if err == nil {
			lit, err = st.Litigation(ctx, ref, today)
		}
		return caseMsg{gen, c, needs, lit, err}
	})
}

// OpenMail reads a message into the pane.
func (m *Model) OpenMail(id int64) tea.Cmd {
	m.gen++
	m.open, m.c, m.mail, m.opening = true, nil, nil, fmt.Sprintf("message %d", id)
	m.render()
	st, gen := m.st, m.gen
	return m.d.Requests.Go(screen.Pane, func(ctx context.Context) tea.Msg {
		ml, err := st.MailItem(ctx, id)
		return mailMsg{gen, ml, err}
	})
}

// Refresh reads what is shown again, keeping the scroll position.
func (m *Model) Refresh() tea.Cmd {
	if !m.open {
		return nil
	}
	top := m.vp.YOffset()
	var cmd tea.Cmd
	switch {
	case m.mail != nil:
		id := m.mail.ID
		keep := m.mail
		cmd = m.OpenMail(id)
		m.mail = keep
	case m.c != nil:
		keep := m.c
		cmd = m.OpenCase(m.c.Reference)
		m.c = keep
	default:
		return nil
	}
	m.opening = ""
	m.render()
	m.vp.SetYOffset(top)
	return cmd
}

// SetUrgency is the case's place in the inbox, part by part.
func (m *Model) SetUrgency(s string) {
	if s != m.urgency {
		m.urgency = s
		m.render()
	}
}

// Update takes the pane's own results and its keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case caseMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			m.opening = ""
			return m, screen.StatusCmd("Could not open the case: " + sanitize.Line(msg.err.Error()))
		}
		top := m.vp.YOffset()
		same := m.c != nil && m.c.Reference == msg.c.Reference
		m.c, m.needs, m.lit, m.opening = msg.c, msg.needs, msg.lit, ""
		m.render()
		if same {
			m.vp.SetYOffset(top)
		}
		return m, nil
	case mailMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			m.opening = ""
			return m, screen.StatusCmd("Could not open the message: " + sanitize.Line(msg.err.Error()))
		}
		top := m.vp.YOffset()
		same := m.mail != nil && m.mail.ID == msg.m.ID
		m.mail, m.opening = msg.m, ""
		m.render()
		if same {
			m.vp.SetYOffset(top)
		}
		return m, nil
	case editorReadyMsg:
		return m, m.runEditor(msg)
	case editedMsg:
		return m, m.referEdited(msg)
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	}
	return m, nil
}

// Scroll moves the text for a movement key; false for any other key.
func (m *Model) Scroll(msg tea.KeyPressMsg) bool { return m.d.Keys.Scroll(m.vp, msg) }

// Takes reports whether the pane acts on msg (rather than the screen
// behind it), when it is beside the list.
func (m Model) Takes(msg tea.KeyPressMsg) bool {
	k := m.d.Keys
	if m.mail != nil {
		return key.Matches(msg, k.Link, k.Replied, k.Done, k.Open, k.Expand)
	}
	return key.Matches(msg, k.Recategorise, k.Note, k.Action, k.Progress, k.Editor, k.Expand, k.Met, k.Undo)
}

// undoLatest is the undo key as the pane's help names it.
func undoLatest(b key.Binding) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, "undo my last action here"))
}

func (m Model) updateKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.d.Keys
	if key.Matches(msg, k.Expand) {
		m.expanded = !m.expanded
		return m, nil
	}
	if m.Scroll(msg) {
		return m, nil
	}
	if m.mail != nil {
		return m.mailKey(msg)
	}
	if !m.Takes(msg) {
		return m, nil
	}
	c := m.c
	if c == nil {
		return m, screen.StatusCmd("Still opening " + m.opening + ": nothing done")
	}
	ref, st, act := c.Reference, m.st, m.d.Act
	switch {
	case key.Matches(msg, k.Recategorise):
		return m, screen.Send(m.recategorise(c))
	case key.Matches(msg, k.Note):
		return m, screen.Send(screen.Ask{Label: "Note on " + ref + ": ", Submit: func(v string) tea.Cmd {
			v = strings.TrimSpace(v)
			if v == "" {
				return screen.StatusCmd("The note was empty: nothing added to " + ref)
			}
			return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
				_, err := st.AddNote(ctx, ref, v, act)
				return screen.Acted{What: ref + ": note added", Err: err}
			})
		}})
	case key.Matches(msg, k.Met):
		return m, m.askMet(c)
	case key.Matches(msg, k.Undo):
		return m, UndoCmd(m.d, st, ref)
	case key.Matches(msg, k.Action):
		return m, screen.Send(screen.Ask{Label: ": " + ref + " ", Suggestions: m.actionSuggestions(c), History: "action", Submit: func(v string) tea.Cmd {
			if strings.TrimSpace(v) == "?" {
				return screen.Send(screen.ShowHelp{})
			}
			if words := strings.Fields(v); len(words) > 0 && strings.EqualFold(words[0], "note") {
				text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), words[0]))
				if text == "" {
					return screen.StatusCmd(ref + ": nothing done: note TEXT")
				}
				return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
					_, err := st.AddNote(ctx, ref, text, act)
					return screen.Acted{What: ref + ": note added", Err: err}
				})
			}
			switch words := strings.Fields(strings.ToLower(v)); {
			case len(words) == 1 && words[0] == "undo":
				return UndoCmd(m.d, st, ref)
			case len(words) > 0 && words[0] == "query":
				return screen.Send(screen.NewCall{Ref: ref})
			}
			if related, name, ok, err := domain.ParseGroupAction(v); ok {
				if err != nil {
					return screen.StatusCmd(ref + ": nothing done: " + err.Error())
				}
				return m.askGroup(ref, related, name)
			}
			if kind, on, ok, err := domain.ParseStepAction(v, m.d.Today); ok {
				if err != nil {
					return screen.StatusCmd(ref + ": nothing done: " + err.Error())
				}
				return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
					e, err := st.RecordStep(ctx, ref, kind, store.ActOptions{User: act.User, On: on}, store.StepOptions{})
					return screen.Acted{What: ref + ": " + e.Detail, Err: err}
				})
			}
			e, err := domain.ParseAction(v, m.d.Today, m.d.Calendar)
			if err != nil {
				return screen.StatusCmd(ref + ": nothing done: " + err.Error())
			}
			e.User = act.User
			if what, ok := irreversible[e.Kind]; ok {
				return screen.Send(confirm(ref, what, m.record(ref, e)))
			}
			return m.record(ref, e)
		}})
	case key.Matches(msg, k.Progress):
		return m, screen.Send(m.askProgress(ref))
	case key.Matches(msg, k.Editor):
		return m, m.startEditor(ref)
	}
	return m, nil
}

// irreversible are the actions that close a case or take it out of the
// queue: they name the case and ask once.
var irreversible = map[string]string{
	domain.EventDisposed:          "dispose of it (the case closes)",
	domain.EventReturned:          "return the notice (it leaves the queue)",
	domain.EventPermissionRefused: "refuse permission (the case closes)",
	domain.EventSettled:           "record the settlement (the case closes)",
	domain.EventOutcome:           "record the outcome (the case closes)",
}

// confirm asks "y" before do; any other key gives up and says so.
func confirm(ref, what string, do tea.Cmd) screen.Ask {
	return screen.Ask{Label: ref + ": " + what + "? y to confirm, any other key cancels ", Choose: func(kp tea.KeyPressMsg) (tea.Cmd, bool) {
		if kp.String() == "y" {
			return do, true
		}
		return screen.StatusCmd(ref + ": nothing done"), true
	}}
}

// actionSuggestions complete the ":" line: every verb of the action
// table, and the steps of the case's pack after "event".
func (m Model) actionSuggestions(c *store.Case) []string {
	out := domain.ActionSuggestions()
	for _, p := range m.d.Packs {
		if p.ID == c.Jurisdiction {
			for _, k := range p.AnchorEvents() {
				out = append(out, "event "+k)
			}
		}
	}
	// More time is asked for one of the case's own open deadlines.
	for _, d := range c.Deadlines {
		if d.Status == domain.DeadlineOpen && !strings.Contains(d.Kind, ":") {
			out = append(out, "time-request "+d.Kind)
		}
	}
	return out
}

func (m Model) record(ref string, e domain.Event) tea.Cmd {
	st := m.st
	return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
		rec, err := st.Record(ctx, ref, e)
		return screen.Acted{What: ref + ": " + rec.Detail, Err: err}
	})
}

// recategorise asks for the new track (or stage), a single key each, then
// the reason.
func (m Model) recategorise(c *store.Case) screen.Ask {
	k := m.d.Keys
	type choice struct {
		b key.Binding
		t domain.Track
	}
	choices := []choice{{k.Paper, domain.Paper}, {k.Basic, domain.Basic}, {k.Standard, domain.Standard}, {k.Complex, domain.Complex}}
	pack := m.d.Pack(c.Jurisdiction)
	if pack.JudicialReview() {
		choices = []choice{{k.PreAction, domain.PreAction}, {k.ClaimIssued, domain.ClaimIssued}, {k.StagePaper, domain.PermissionPaper},
			{k.StageOral, domain.PermissionOral}, {k.StageSubstantive, domain.Substantive}}
	}
	var opts []string
	for _, ch := range choices {
		opts = append(opts, ch.b.Help().Key+" "+ch.t.Label())
	}
	ref, st, act := c.Reference, m.st, m.d.Act
	label := fmt.Sprintf("Re-categorise %s (%s) to: %s ", ref, pack.Words().Allocation, strings.Join(opts, " · "))
	return screen.Ask{Label: label, Choose: func(msg tea.KeyPressMsg) (tea.Cmd, bool) {
		for _, ch := range choices {
			if key.Matches(msg, ch.b) {
				t := ch.t
				return screen.Send(screen.Ask{Label: "Reason for re-categorising " + ref + " to " + t.Label() + ": ", Submit: func(v string) tea.Cmd {
					v = strings.TrimSpace(v)
					if v == "" {
						return screen.StatusCmd("Re-categorising needs a reason: " + ref + " not changed")
					}
					return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
						_, err := st.Categorise(ctx, ref, t, store.CategoriseOptions{ActOptions: act, Reason: v})
						return screen.Acted{What: ref + ": re-categorised to " + t.Label(), Err: err}
					})
				}}), true
			}
		}
		return nil, false
	}}
}

func (m Model) mailKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.d.Keys
	ml, st, act := m.mail, m.st, m.d.Act
	switch {
	case key.Matches(msg, k.Link):
		return m, LinkMail(ml.ID, ml.Reference != "")
	case key.Matches(msg, k.Replied):
		return m, screen.Send(AskReplied(m.d, st, ml.ID))
	case key.Matches(msg, k.Done):
		id := ml.ID
		m.Close()
		return m, m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
			return screen.Acted{What: fmt.Sprintf("Message %d done", id), Err: st.MailDone(ctx, id, act)}
		})
	case key.Matches(msg, k.Open) && ml.Reference != "":
		return m, screen.Send(screen.OpenCase{Ref: ml.Reference})
	}
	return m, nil
}

// LinkMail asks for the search picker, unless the message is linked already.
func LinkMail(id int64, linked bool) tea.Cmd {
	if linked {
		return screen.StatusCmd(fmt.Sprintf("Message %d is already linked to a case", id))
	}
	return screen.Send(screen.Link{MailID: id})
}

// AskReplied asks for the one-line summary of the reply to a message.
func AskReplied(d screen.Deps, st interface {
	MailReplied(ctx context.Context, id int64, summary string, opt store.ActOptions) error
}, id int64) screen.Ask {
	return screen.Ask{Label: fmt.Sprintf("Reply to message %d sent, in one line: ", id), Submit: func(v string) tea.Cmd {
		return d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
			return screen.Acted{What: fmt.Sprintf("Message %d: reply recorded", id), Err: st.MailReplied(ctx, id, strings.TrimSpace(v), d.Act)}
		})
	}}
}

// startEditor writes the template in a command; the editor then has the
// terminal (editorReadyMsg), and reading the note back happens in the
// callback, so Update never touches a file.
func (m Model) startEditor(ref string) tea.Cmd {
	return m.d.Requests.Go(screen.Pane, func(context.Context) tea.Msg {
		f, err := os.CreateTemp("", "caseload-referral-*.md")
		if err != nil {
			return editorReadyMsg{ref: ref, err: err}
		}
		_, err = f.WriteString("# Note for the judge on " + ref + ". Lines starting with # are left out; an empty note refers nothing.\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		editor := os.Getenv("EDITOR")
		if editor == "" {
			editor = "vi"
		}
		return editorReadyMsg{ref, f.Name(), editor, err}
	})
}

func (m Model) runEditor(msg editorReadyMsg) tea.Cmd {
	if msg.err != nil {
		return screen.StatusCmd("Could not start the editor: " + msg.err.Error())
	}
	c := exec.Command("sh", "-c", msg.editor+` "$1"`, "editor", msg.path)
	ref, path := msg.ref, msg.path
	return tea.ExecProcess(c, func(err error) tea.Msg {
		defer os.Remove(path)
		if err != nil {
			return screen.Result{Screen: screen.Pane, Msg: editedMsg{ref: ref, err: err}}
		}
		b, err := os.ReadFile(path)
		return screen.Result{Screen: screen.Pane, Msg: editedMsg{ref, noteFrom(string(b)), err}}
	})
}

// noteFrom is the editor's text without the # lines.
func noteFrom(text string) string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func (m Model) referEdited(msg editedMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		return screen.StatusCmd("Editor failed: " + msg.err.Error() + "; " + msg.ref + " not referred")
	case msg.note == "":
		return screen.StatusCmd("The note was empty: " + msg.ref + " not referred")
	}
	return m.record(msg.ref, domain.Event{Kind: domain.EventReferred, On: m.d.Act.On, User: m.d.Act.User,
		Data: domain.EventData{To: "judge", Text: msg.note}})
}

// frame is a drawn view and what it was drawn from.
type frame struct {
	top, w, h int
	view      string // "" when the text has changed since
}

// View is exactly the pane's height, every line within its width. The
// viewport pads every line on every call, so the result is kept until the
// text, the size or the scroll position changes.
func (m Model) View() string {
	f := m.frame
	if f.view == "" || f.top != m.vp.YOffset() || f.w != m.width || f.h != m.height {
		f.view, f.top, f.w, f.h = m.vp.View(), m.vp.YOffset(), m.width, m.height
	}
	return f.view
}

// render builds the lines once per change (not per frame) and hands them
// to the viewport.
func (m *Model) render() {
	var lines []string
	switch {
	case m.mail != nil:
		lines = m.mailLines(m.width)
	case m.c != nil:
		lines = m.caseLines(m.width)
	case m.opening != "":
		lines = []string{m.d.Styles.Muted.Render(sanitize.Fit("Opening "+m.opening+"…", m.width))}
	}
	m.vp.SetContentLines(lines)
	m.frame.view = "" // the text changed
}

// wrap sanitises text and breaks it into lines of at most w cells, words
// kept whole where they fit.
func wrap(text string, w int) []string {
	return strings.Split(ansi.Wrap(sanitize.Line(text), max(w, 1), ""), "\n")
}

// fields lays out "label value" rows, the value wrapped under itself.
type fields struct {
	out    *[]string
	d      screen.Deps
	labelW int
	w      int
}

func (f fields) add(label, value string) {
	for i, l := range wrap(value, f.w-f.labelW-1) {
		lab := ""
		if i == 0 {
			lab = label
		}
		*f.out = append(*f.out, f.d.Styles.Label.Render(sanitize.Pad(lab, f.labelW))+" "+l)
	}
}

// text adds wrapped text indented by two spaces.
func text(out *[]string, s string, w int) {
	for _, l := range wrap(s, w-2) {
		*out = append(*out, "  "+l)
	}
}

// caseLines draws the case: parties, track, flags, deadlines with their
// rules, correspondence, the timeline and the grounds.
func (m Model) caseLines(w int) []string {
	c, st := m.c, m.d.Styles
	pack := m.d.Pack(c.Jurisdiction)
	words := pack.Words()
	var out []string
	f := fields{&out, m.d, 15, w}
	for _, l := range wrap(c.Reference+"  "+c.Appellant, w) {
		out = append(out, st.Title.Render(l))
	}
	track := "not yet categorised (suggested " + c.SuggestedTrack.Label() + ")"
	if c.SuggestionReason != "" {
		track = "not yet categorised (suggested " + c.SuggestedTrack.Label() + ": " + c.SuggestionReason + ")"
	}
	switch {
	case pack.JudicialReview() && c.Status == domain.StatusNew:
		track = "stage " + c.TrackOrNone().Label() + ", not yet triaged"
	case pack.JudicialReview():
		track = "stage " + c.TrackOrNone().Label()
	case c.Track != nil:
		track = c.Track.Label()
	}
	f.add("Status", string(c.Status)+", "+track)
	// Every field `caseload show` prints, in its order, so the pane and
	// the command line never disagree about what a case holds.
	// (show's Suggested line is in the status until the case is
	// categorised; its Bank holidays head the deadlines they count.)
	f.add("Jurisdiction", pack.Name)
	if c.Representative != "" {
		f.add("Representative", c.Representative)
	}
	f.add(words.Respondent, c.Respondent)
	f.add("Subject", c.Subject.Label())
	switch {
	case c.AmountPence != nil:
		f.add("Amount", domain.FormatPence(*c.AmountPence))
	case !pack.JudicialReview():
		f.add("Amount", "not given")
	}
	f.add(words.Decision, c.DecisionDate.Long())
	f.add("Received", c.Received.Long())
	switch {
	case c.Late && pack.JudicialReview():
		f.add("Late", fmt.Sprintf("! %d days after the limit (%s): needs an extension of time (%s)", c.DaysLate, pack.AppealLimit.Citation, pack.AppealLimit.PermissionRule))
	case c.Late:
		f.add("Late", fmt.Sprintf("! %d days late: needs the Tribunal's permission (%s)", c.DaysLate, pack.AppealLimit.PermissionRule))
	}
	if c.HMRCReference != "" {
		f.add("HMRC reference", c.HMRCReference)
	}
	if len(c.Flags) > 0 {
		f.add("Flags", strings.Join(c.Flags, ", "))
	}
	if c.OpenReferrals > 0 {
		f.add("Referrals", fmt.Sprintf("%d waiting for a response", c.OpenReferrals))
	}
	for i, n := range m.needs {
		label := ""
		if i == 0 {
			label = "Support"
		}
		v := n.Describe()
		if n.Referral != "" {
			v += "; assisted digital referral: " + n.Referral
		}
		f.add(label, v)
	}
	if m.urgency != "" {
		f.add("Urgency", m.urgency)
	}
	head, division := "Deadlines", " ("+string(c.Division)+" bank holidays)"
	switch {
	case c.Division == "":
		out = append(out, "", st.Title.Render(head))
	case sanitize.Width(head+division) <= w:
		out = append(out, "", st.Title.Render(head)+st.Muted.Render(division))
	default:
		out = append(out, "", st.Title.Render(head))
		for _, l := range wrap("counted with "+string(c.Division)+" bank holidays", w-2) {
			out = append(out, st.Muted.Render("  "+l))
		}
	}
	if len(c.Deadlines) == 0 {
		out = append(out, st.Muted.Render("  none"))
	}
	own, watch := c.Deadlines, []domain.Deadline(nil)
	if m.lit != nil && m.lit.Side == domain.SideDefendant {
		// From the defendant's side: its own duties first, then the
		// claimant's steps, each marked to watch rather than do.
		own, watch = m.lit.Own, m.lit.Watch
		if len(own) > 0 && len(watch) > 0 {
			out = append(out, st.Label.Render("  Own duties"))
		}
	}
	m.deadlineLines(&out, own, "", w)
	if len(watch) > 0 {
		out = append(out, st.Label.Render("  Watch: the other side's steps"))
		m.deadlineLines(&out, watch, "watch ", w)
	}
	m.litigationLines(&out, w)
	return m.caseTail(out, w)
}

// deadlineLines draws deadlines with their state and rule, each after
// mark ("watch " for the other side's steps).
func (m Model) deadlineLines(out *[]string, ds []domain.Deadline, mark string, w int) {
	st, today := m.d.Styles, m.d.Today
	for _, d := range ds {
		state := domain.DaysWords(today.DaysUntil(d.Due))
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
		text(out, fmt.Sprintf("%s%s  %s  %s (%s)", mark, sanitize.Pad(d.Due.Long(), 16), sanitize.Pad(state, 16), d.Label, d.Rule), w)
		if d.Warning != "" && d.Status == domain.DeadlineOpen {
			for _, l := range wrap("⚠ "+d.Warning, w-4) {
				*out = append(*out, st.Late.Render("    "+l))
			}
		}
	}
}

// caseTail draws the correspondence, timeline and grounds.
func (m Model) caseTail(out []string, w int) []string {
	c, st := m.c, m.d.Styles
	if len(c.Mail) > 0 {
		out = append(out, "", st.Title.Render("Correspondence"))
		for _, ml := range c.Mail {
			text(&out, fmt.Sprintf("%s  %s  %s: %s", ml.Received.UK(), sanitize.Pad(ml.Status, 7), ml.From, ml.Subject), w)
			for _, a := range ml.Attachments {
				for _, l := range wrap(fmt.Sprintf("attached: %s (%s)", a.Name, domain.FormatSize(a.Size)), w-6) {
					out = append(out, st.Muted.Render("      "+l))
				}
			}
		}
	}
	out = append(out, "", st.Title.Render("Timeline"))
	// The date the step happened, as `caseload show` prints it and in its
	// order; when it was recorded is a detail after it.
	for _, e := range c.Events {
		recorded := e.At.Format("15:04")
		if !e.At.IsZero() && e.At.Format("2006-01-02") != e.On.String() {
			recorded = e.At.Format("02/01/2006 15:04")
		}
		text(&out, fmt.Sprintf("%s  %s %s (recorded %s)", e.On.UK(), sanitize.Pad(e.User, 10), e.Detail, recorded), w)
	}
	if c.Grounds != "" {
		out = append(out, "", st.Title.Render("Grounds"))
		text(&out, c.Grounds, w)
	}
	return out
}

// mailLines draws a message: who, when, the case, the reply due,
// attachments, then the text, each line of it wrapped.
func (m Model) mailLines(w int) []string {
	ml, st := m.mail, m.d.Styles
	var out []string
	f := fields{&out, m.d, 10, w}
	subject := ml.Subject
	if subject == "" {
		subject = "(no subject)"
	}
	for _, l := range wrap(fmt.Sprintf("Message %d: %s", ml.ID, subject), w) {
		out = append(out, st.Title.Render(l))
	}
	f.add("From", ml.From)
	f.add("Received", ml.Received.Long())
	reply := "by " + ml.ReplyDue.Long() + " (" + domain.DaysWords(m.d.Today.DaysUntil(ml.ReplyDue)) + ")"
	switch ml.Status {
	case store.MailReplied:
		reply = "replied " + ml.RepliedOn.UK() + ": " + ml.Summary
	case store.MailDone:
		reply = "done " + ml.DoneOn.UK()
	}
	f.add("Reply", reply)
	if ml.Reference != "" {
		f.add("Case", ml.Reference)
	} else {
		f.add("Case", "unlinked: "+m.d.Keys.Link.Help().Key+" links it")
	}
	for _, a := range ml.Attachments {
		f.add("Attached", fmt.Sprintf("%s (%s)", a.Name, domain.FormatSize(a.Size)))
	}
	if ml.HTML {
		out = append(out, st.Muted.Render("(converted from HTML)"))
	}
	out = append(out, "")
	for _, line := range strings.Split(ml.Body, "\n") {
		out = append(out, wrap(line, w)...)
	}
	return out
}
