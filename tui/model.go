package tui

import (
	"context"
	"errors"
	"slices"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/cases"
	"github.com/caseload/caseload/tui/due"
	"github.com/caseload/caseload/tui/helpview"
	"github.com/caseload/caseload/tui/inbox"
	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/letter"
	"github.com/caseload/caseload/tui/marks"
	"github.com/caseload/caseload/tui/pane"
	"github.com/caseload/caseload/tui/prompt"
	"github.com/caseload/caseload/tui/queries"
	"github.com/caseload/caseload/tui/queue"
	"github.com/caseload/caseload/tui/reports"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/search"
	"github.com/caseload/caseload/tui/theme"
	"github.com/caseload/caseload/tui/work"
)

// Config is what the command line hands the UI.
type Config struct {
	Store    Store
	Packs    []*domain.RulePack // every jurisdiction, the default first
	Calendar *domain.Calendar
	Today    domain.Date
	User     string
	// Jurisdiction limits the UI to one pack's cases at start ("" all);
	// the Jurisdiction key switches.
	Jurisdiction string
	Plain        bool                // --plain: no borders, no spinners, one column, state in words
	NoColor      bool                // NO_COLOR or --no-color
	Keys         map[string][]string // [keys] from config.toml
	ExportDir    string              // where the Export key on the Reports screen writes CSV (created 0700)
	// Notice is a line for the status bar at start: what the caseworker
	// must know before working, such as deadlines recomputed under
	// changed rules.
	Notice string
	// Reserver, on a team server, keeps the queue card's appeal this
	// session's alone (live.go has the messages a server sends).
	Reserver queue.Reserver
	// Work, when set, adds the team's work screens (team.go), shown at
	// start; Leader says the user sees all work and assigns.
	Work      work.Store
	Leader    bool
	Knowledge *domain.KnowledgeBase // searched from a query on the Queries screen (nil: none)
	// Letters drafts and saves letters from templates (the Letter key; nil:
	// none). Editor is the command that edits a draft ("": no editing,
	// NoEditor says why).
	Letters          letter.Desk
	Editor, NoEditor string
}

// Model is the root of the UI: the header, tabs, status line and footer,
// and the overlays (pane, prompt, help). It only routes: each message goes
// to the screen or component that owns it, and global keys apply only when
// nothing is taking typed text.
type Model struct {
	cfg  Config
	d    screen.Deps
	base Store  // every jurisdiction
	st   Store  // limited to jur
	jur  string // the jurisdiction shown, "" for all

	width, height int
	tab           screen.ID
	backTab       screen.ID
	counts        store.Counts

	inbox   inbox.Model
	queue   queue.Model
	due     due.Model
	cases   cases.Model
	search  search.Model
	reports reports.Model
	queries queries.Model
	pane    pane.Model
	prompt  prompt.Model
	help    helpview.Model
	footer  *help.Model // by pointer: 4.6 KB, and the model is copied on every message
	// footerDrawn is the last footer line and what it was drawn from, shared
	// by the model's copies: it changes only with the keys shown and the
	// width, and drawing it measures every key.
	footerDrawn *footerMemo

	status string
	// refusalSeen: a key was pressed since the last refusal, so the footer
	// is back in the line its reason ran on into (refusalLines).
	refusalSeen bool
	// start is the first commands, made in New: making them marks the
	// lists as loading, which Init (on a copy) could not keep.
	start tea.Cmd
	// searching: the query has the keyboard (the Search screen is shown
	// and no case has been opened from it since).
	searching bool
	// work is the team's work screens (nil without Config.Work: team.go).
	work *workScreen
	// lastBatch is the last bulk action of this session, which the undo
	// key for bulk work undoes (bulk.go).
	lastBatch store.Batch
	// letters is the letter component, over the body while open (letters.go).
	letters writing
}

type countsMsg struct {
	jur string
	c   store.Counts
	err error
}

// New builds the root model; its commands run under the background
// context (Run gives them the program's).
func New(cfg Config) (Model, error) { return newModel(context.Background(), cfg) }

// NewWithContext builds the root model with its commands under ctx: a
// team server's session gives one that ends when the session's program
// does, so quitting cancels the reads still in flight.
func NewWithContext(ctx context.Context, cfg Config) (Model, error) { return newModel(ctx, cfg) }

func newModel(ctx context.Context, cfg Config) (Model, error) {
	km := keys.DefaultKeyMap()
	if err := km.Apply(cfg.Keys); err != nil {
		return Model{}, err
	}
	if cfg.Calendar == nil {
		cfg.Calendar = domain.MustCalendar(domain.EnglandAndWales)
	}
	if len(cfg.Packs) == 0 {
		cfg.Packs = []*domain.RulePack{domain.MustRulePack("ftt-tax")}
	}
	styles := theme.New(cfg.NoColor, cfg.Plain, true)
	d := screen.Deps{Keys: &km, Styles: &styles, Today: cfg.Today, Act: store.ActOptions{User: cfg.User, On: cfg.Today},
		Calendar: cfg.Calendar, Packs: cfg.Packs, Requests: screen.NewRequests(ctx), RefWidth: 14}
	for _, p := range cfg.Packs {
		d.RefWidth = max(d.RefWidth, len(p.Reference(cfg.Today.Year(), 1))+1)
	}
	m := Model{cfg: cfg, d: d, base: cfg.Store, jur: cfg.Jurisdiction, width: 80, height: 24}
	m.st = scopeStore(m.base, m.jur)
	m.status = cfg.Notice
	m.inbox = inbox.New(d, m.st)
	m.queue = queue.New(d, m.st)
	if cfg.Reserver != nil {
		m.queue.SetReserver(cfg.Reserver)
	}
	m.due = due.New(d, m.st)
	m.cases = cases.New(d, m.st)
	m.search = search.New(d, m.st)
	m.reports = reports.New(d, m.st, cfg.ExportDir)
	if w, ok := cfg.Work.(reports.WorkloadStore); ok && cfg.Leader {
		// The workload report is a team leader's (issue 16).
		m.reports.ShowWorkload(w)
	}
	// Queries are the service centre's, not one jurisdiction's: many are
	// about no case yet.
	m.queries = queries.New(d, m.base, cfg.Knowledge)
	m.pane = pane.New(d, m.st)
	m.prompt = prompt.New(&km)
	m.help = helpview.New(d)
	m.newWork()
	m.newLetters()
	footer := help.New()
	m.footer = &footer
	m.footerDrawn = &footerMemo{}
	m.footer.ShortSeparator = " · "
	m.restyle()
	m.layout()
	m.start = tea.Batch(m.loadCounts(), m.inbox.Load(), m.queue.Init(), tea.RequestBackgroundColor, m.initWork())
	return m, nil
}

// Run runs the UI until the user quits; quitting cancels work in flight.
func Run(ctx context.Context, cfg Config) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m, err := newModel(ctx, cfg)
	if err != nil {
		return err
	}
	// 120 frames a second: a key press reaches the screen within one short
	// frame (the frame pacing, not the model, is the floor of the latency).
	_, err = tea.NewProgram(m, tea.WithContext(ctx), tea.WithFPS(120)).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// Init loads the header counts, the inbox and the queue.
func (m Model) Init() tea.Cmd { return m.start }

func (m Model) loadCounts() tea.Cmd {
	st, today, jur := m.st, m.cfg.Today, m.jur
	return m.d.Requests.Go(screen.Root, func(ctx context.Context) tea.Msg {
		c, err := st.Counts(ctx, today)
		return countsMsg{jur, c, err}
	})
}

func (m *Model) restyle() {
	st := m.d.Styles
	m.footer.Styles = help.Styles{ShortKey: st.Key.Style, ShortDesc: st.Help.Style, ShortSeparator: st.Help.Style, Ellipsis: st.Help.Style,
		FullKey: st.Key.Style, FullDesc: st.Help.Style, FullSeparator: st.Help.Style}
	*m.footerDrawn = footerMemo{}
}

// Busy reports whether a request is in flight (the "working…" indicator).
func (m Model) Busy() bool { return m.d.Requests.Busy() }

// Update routes every message. It never touches the database or a file:
// that happens in the commands it returns.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		*m.d.Styles = theme.New(m.cfg.NoColor, m.cfg.Plain, msg.IsDark())
		m.restyle()
		return m, nil
	case screen.Result:
		m.d.Requests.Done(msg.Req)
		return m.route(msg.Screen, msg.Msg)
	case tea.KeyPressMsg:
		m.refusalSeen = true
		return m.updateKey(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	case LiveMsg:
		return m.onLive(msg)
	}
	if cmd, ok := m.letterMsg(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.upward(msg); ok {
		return m, cmd
	}
	// Anything else (a search's debounce tick) belongs to the screen shown.
	return m.route(m.tab, msg)
}

// route hands a message to the screen or component that owns it.
func (m Model) route(to screen.ID, msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch to {
	case screen.Root:
		return m.updateRoot(msg)
	case screen.Inbox:
		m.inbox, cmd = m.inbox.Update(msg)
		m.pane.SetUrgency(m.urgencyOfPane())
	case screen.Queue:
		m.queue, cmd = m.queue.Update(msg)
	case screen.Due:
		m.due, cmd = m.due.Update(msg)
	case screen.Cases:
		m.cases, cmd = m.cases.Update(msg)
	case screen.Search:
		m.search, cmd = m.search.Update(msg)
	case screen.Reports:
		m.reports, cmd = m.reports.Update(msg)
	case screen.Queries:
		m.queries, cmd = m.queries.Update(msg)
	case screen.Pane:
		m.pane, cmd = m.pane.Update(msg)
		m.pane.SetUrgency(m.urgencyOfPane())
	case screen.Work:
		cmd = m.updateWork(msg)
	}
	return m, cmd
}

func (m Model) urgencyOfPane() string {
	if c := m.pane.Case(); c != nil {
		return m.inbox.Urgency(c.Reference)
	}
	return ""
}

// updateRoot takes the results of the root's own commands and of writes.
func (m Model) updateRoot(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case countsMsg:
		if msg.err == nil && msg.jur == m.jur {
			m.counts = msg.c
			m.queue.SetLeft(msg.c.Queue)
		}
		return m, nil
	case screen.Acted:
		if msg.Err != nil {
			m.status, m.refusalSeen = "Not saved: "+sanitize.Line(msg.Err.Error()), false
			return m, nil
		}
		m.status = sanitize.Line(msg.What)
		return m, tea.Batch(m.loadCounts(), m.inbox.Load(), m.pane.Refresh(), m.due.Reload(), m.queries.Reload())
	}
	if cmd, ok := m.letterMsg(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.upward(msg); ok {
		return m, cmd
	}
	return m, nil
}

// upward handles the messages screens send the root.
func (m *Model) upward(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case screen.Status:
		m.status = sanitize.Line(msg.Text)
	case screen.Acted:
		mm, cmd := m.updateRoot(msg)
		*m = mm.(Model)
		return cmd, true
	case marks.Acted:
		return m.onBulk(msg), true
	case screen.Changed:
		if m.cfg.Reserver != nil && m.tab != screen.Inbox {
			// A team server session reads the inbox when it is shown:
			// reading it after every decision cost the server a tenth
			// of its time. One person's UI keeps it fresh all along.
			return tea.Batch(m.loadCounts(), m.queries.Reload()), true
		}
		return tea.Batch(m.loadCounts(), m.inbox.Load(), m.queries.Reload()), true
	case screen.OpenQuery:
		m.queries.Show(msg.ID)
		return m.switchTab(screen.Queries), true
	case screen.OpenCase:
		m.blurSearch()
		cmd := m.pane.OpenCase(msg.Ref)
		m.layout()
		return cmd, true
	case screen.OpenMail:
		cmd := m.pane.OpenMail(msg.ID)
		m.layout()
		return cmd, true
	case screen.NewCall:
		// A query about the case open (":query"): the call form, the
		// case as the caller's.
		cmd := m.switchTab(screen.Queries)
		return tea.Batch(cmd, m.queries.NewCallAbout(msg.Ref)), true
	case screen.Ask:
		return m.prompt.Open(msg), true
	case screen.Link:
		m.pane.Close()
		if m.tab != screen.Search {
			m.backTab = m.tab
		}
		m.tab, m.searching = screen.Search, true
		m.layout()
		return m.search.Link(msg.MailID), true
	case screen.ShowHelp:
		m.openHelp()
	case screen.Goto:
		return m.switchTab(msg.Screen), true
	case screen.Leave:
		m.blurSearch()
		m.tab = m.backTab
		m.layout()
		return m.shown(), true
	default:
		return nil, false
	}
	return nil, true
}

func (m *Model) blurSearch() {
	m.searching = false
	m.search.Blur()
}

// capturing reports whether the focused component takes typed text, so
// global keys are letters.
func (m Model) capturing() bool {
	return m.prompt.Active() || (m.tab == screen.Search && m.searching && !m.pane.IsOpen()) || m.typingQuery()
}

// typingQuery reports whether the Queries screen's form or a line of it
// has the keyboard.
func (m Model) typingQuery() bool {
	return m.tab == screen.Queries && m.queries.Typing() && !m.pane.IsOpen()
}

func (m Model) paste(msg tea.PasteMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch {
	case m.prompt.Active():
		m.prompt, cmd = m.prompt.Update(msg)
	case m.typingQuery():
		m.queries, cmd = m.queries.Update(msg)
	case m.capturing():
		m.search, cmd = m.search.Update(msg)
	default:
		m.status = "Nothing here takes a paste: " + m.d.Keys.Search.Help().Key + " searches"
	}
	return m, cmd
}

func (m Model) updateKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.d.Keys
	if key.Matches(msg, k.ForceQuit) {
		return m, tea.Quit
	}
	if cmd, ok := m.bulkTypingKey(msg); ok {
		return m, cmd
	}
	var cmd tea.Cmd
	switch {
	case m.help.IsOpen():
		m.help, cmd = m.help.Update(msg)
		return m, cmd
	case m.prompt.Active():
		m.prompt, cmd = m.prompt.Update(msg)
		return m, cmd
	case m.typingQuery():
		m.queries, cmd = m.queries.Update(msg)
		return m, cmd
	case m.capturing():
		m.search, cmd = m.search.Update(msg)
		return m, cmd
	}
	if cmd, ok := m.letterKey(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.workKey(msg); ok {
		return m, cmd
	}
	if cmd, ok := m.bulkKey(msg); ok {
		return m, cmd
	}
	switch {
	case key.Matches(msg, k.Help):
		m.openHelp()
		return m, nil
	case key.Matches(msg, k.Jurisdiction):
		return m.switchJurisdiction()
	case key.Matches(msg, k.Back, k.Quit) && m.pane.IsOpen():
		m.pane.Close()
		m.layout()
		return m, nil
	case key.Matches(msg, k.Back):
		if m.tab == screen.Search {
			return m, screen.Send(screen.Leave{})
		}
		if m.tab == screen.Inbox && m.inbox.InSnoozed() {
			return m.route(screen.Inbox, msg)
		}
		return m, nil
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Search):
		return m, m.switchTab(screen.Search)
	case key.Matches(msg, k.Inbox):
		return m, m.switchTab(screen.Inbox)
	case key.Matches(msg, k.Queue):
		return m, m.switchTab(screen.Queue)
	case key.Matches(msg, k.Due):
		return m, m.switchTab(screen.Due)
	case key.Matches(msg, k.Cases):
		return m, m.switchTab(screen.Cases)
	case key.Matches(msg, k.Reports):
		return m, m.switchTab(screen.Reports)
	case key.Matches(msg, k.Queries):
		return m, m.switchTab(screen.Queries)
	case key.Matches(msg, k.NewQuery):
		// A call comes in whatever the caseworker is looking at.
		cmd := m.switchTab(screen.Queries)
		return m, tea.Batch(cmd, m.queries.NewCall())
	case key.Matches(msg, k.NextTab):
		return m, m.switchTab((m.tab + 1) % screen.ID(len(screen.Names)))
	case key.Matches(msg, k.PrevTab):
		return m, m.switchTab((m.tab + screen.ID(len(screen.Names)) - 1) % screen.ID(len(screen.Names)))
	}
	if m.pane.IsOpen() && (!m.beside() || m.pane.Takes(msg)) {
		m.pane, cmd = m.pane.Update(msg)
		m.layout()
		return m, cmd
	}
	if key.Matches(msg, k.Action) {
		// No case is open: the words typed next must not act as keys.
		return m, m.prompt.Open(screen.Ask{Label: "No case is open (" + k.Open.Help().Key + " opens one): ", Submit: func(string) tea.Cmd {
			return screen.StatusCmd("Nothing done: no case is open; open one with " + k.Open.Help().Key + ", then " + k.Action.Help().Key)
		}})
	}
	if m.tab == screen.Search && !key.Matches(msg, k.Open) {
		m.search.Move(msg)
		return m, m.followSelection()
	}
	mm, cmd := m.route(m.tab, msg)
	m = mm.(Model)
	return m, tea.Batch(cmd, m.followSelection())
}

// followSelection keeps the pane on the selected case when it is beside
// the list: a case the caseworker can no longer see selected is never the
// one acted on.
func (m *Model) followSelection() tea.Cmd {
	if !m.pane.IsOpen() || !m.beside() {
		return nil
	}
	ref, mail := m.selected()
	shownRef, shownMail := m.pane.Shows()
	switch {
	case mail != 0 && mail != shownMail:
		return m.pane.OpenMail(mail)
	case mail == 0 && ref != "" && (ref != shownRef || shownMail != 0):
		return m.pane.OpenCase(ref)
	case mail == 0 && ref == "":
		m.pane.Close()
		m.layout()
	}
	return nil
}

// selected is the case (or message) selected on the screen shown.
func (m Model) selected() (string, int64) {
	switch m.tab {
	case screen.Inbox:
		return m.inbox.Selected()
	case screen.Queue:
		return m.queue.Selected()
	case screen.Due:
		return m.due.Selected()
	case screen.Cases:
		return m.cases.Selected()
	case screen.Search:
		return m.search.Selected()
	case screen.Work:
		return m.work.Selected()
	case screen.Queries:
		return m.queries.Selected()
	}
	return m.reports.Selected()
}

// switchTab shows another screen; the pane closes.
func (m *Model) switchTab(tab screen.ID) tea.Cmd {
	if tab == screen.Search && m.tab != screen.Search {
		m.backTab = m.tab
	}
	if tab != m.tab {
		m.status = "" // what it said was about the screen left
	}
	m.tab, m.searching = tab, tab == screen.Search
	m.pane.Close()
	m.layout()
	return m.shown()
}

// shown is what a screen needs when it comes into view.
func (m *Model) shown() tea.Cmd {
	switch m.tab {
	case screen.Inbox:
		return m.inbox.Load()
	case screen.Due:
		return m.due.Shown()
	case screen.Cases:
		return m.cases.Shown()
	case screen.Search:
		return m.search.Focus()
	case screen.Reports:
		return m.reports.Shown()
	case screen.Work:
		return m.work.Refresh()
	case screen.Queries:
		return m.queries.Shown()
	}
	return nil
}

// switchJurisdiction moves to the next jurisdiction (then all) and reloads
// every list through the store limited to it.
func (m Model) switchJurisdiction() (tea.Model, tea.Cmd) {
	order := []string{""}
	for _, p := range m.cfg.Packs {
		order = append(order, p.ID)
	}
	m.jur = order[(max(slices.Index(order, m.jur), 0)+1)%len(order)]
	m.st = scopeStore(m.base, m.jur)
	m.pane.Close()
	m.pane.SetStore(m.st)
	m.due.SetStore(m.st)
	m.cases.SetStore(m.st)
	m.reports.SetStore(m.st)
	m.status = "Showing " + m.jurisdictionName()
	m.layout()
	cmds := []tea.Cmd{m.loadCounts(), m.inbox.SetStore(m.st), m.queue.SetStore(m.st), m.search.SetStore(m.st), m.shown()}
	return m, tea.Batch(cmds...)
}

// jurisdictionName is what the header calls the jurisdiction shown.
func (m Model) jurisdictionName() string {
	for _, p := range m.cfg.Packs {
		if p.ID == m.jur {
			return p.Name
		}
	}
	if len(m.cfg.Packs) == 1 {
		return m.cfg.Packs[0].Name
	}
	return "all jurisdictions"
}

// openHelp shows every screen's keys, the one shown first.
func (m *Model) openHelp() {
	k := m.d.Keys
	paneSection := helpview.Section{Title: "Open case or message", Keys: m.pane.Keys()}
	var sections []helpview.Section
	if m.letters.open {
		sections = append(sections, m.letterHelp())
	}
	if m.pane.IsOpen() {
		sections = append(sections, paneSection)
	}
	sections = append(sections, helpview.Section{Title: m.screenName(m.tab), Keys: m.screenKeys(m.tab)})
	for id := range screen.ID(len(screen.Names)) {
		if id != m.tab {
			sections = append(sections, helpview.Section{Title: screen.Names[id], Keys: m.screenKeys(id)})
		}
	}
	if m.work != nil && m.tab != screen.Work {
		sections = append(sections, helpview.Section{Title: m.screenName(screen.Work), Keys: m.screenKeys(screen.Work)})
	}
	if !m.pane.IsOpen() {
		sections = append(sections, paneSection)
	}
	sections = append(sections,
		helpview.Section{Title: "Everywhere", Keys: m.globalKeys()},
		helpview.Section{Title: "Lists", Keys: pagedlistKeys(k)},
		helpview.Section{Title: "Bulk work (Inbox, Due, Cases, Search)", Keys: bulkKeys(k)},
		helpview.Section{Title: "Questions", Keys: m.prompt.KeyMap})
	if !m.letters.open && m.cfg.Letters != nil {
		sections = append(sections, m.letterHelp())
	}
	m.help.Open(sections)
}
