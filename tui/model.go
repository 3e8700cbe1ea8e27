package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/store/report"
	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/queue"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/theme"
	"github.com/caseload/caseload/tui/work"
)

// Config is what the command line hands the UI.
type Config struct {
	Store    Store
	Pack     *domain.RulePack   // the default jurisdiction's
	Packs    []*domain.RulePack // every jurisdiction, the default first (nil: just Pack)
	Calendar *domain.Calendar
	Today    domain.Date
	User     string
	// Jurisdiction limits the UI to one pack's cases at start ("" all);
	// the Jurisdiction key switches.
	Jurisdiction string
	Plain        bool                // --plain: no borders, no spinners, state in words
	NoColor      bool                // NO_COLOR or --no-color
	Keys         map[string][]string // [keys] from config.toml
	ExportDir    string              // where `e` on the Reports screen writes CSV (created 0700)
	// Reserver, on a team server, keeps the queue card's appeal this
	// session's alone (live.go has the messages a server sends).
	Reserver queue.Reserver
	// Work, when set, adds the team's work screens (team.go), opened at
	// start; Leader says the user sees all work and assigns.
	Work   work.Store
	Leader bool
}

// Tabs, in the order of the number keys.
const (
	tabInbox = iota
	tabQueue
	tabDue
	tabCases
	tabSearch
	tabReports
)

var tabNames = []string{"Inbox", "Queue", "Due", "Cases", "Search", "Reports"}

// pageSize rows are fetched at a time for the paged lists.
const pageSize = 200

// Model is the root of the UI.
type Model struct {
	cfg  Config
	st   Store  // limited to jur
	base Store  // every jurisdiction
	jur  string // the jurisdiction shown, "" for all
	// keys and the text inputs are held by pointer: the model is copied on
	// every message, and these are most of its size (31 KB by value).
	keys   *keys.KeyMap
	styles *theme.Styles
	act    store.ActOptions

	width, height int
	tab           int
	counts        store.Counts
	queue         queue.Model

	inbox   list[store.InboxItem]
	due     list[store.DueItem]
	cases   list[store.CaseRow]
	results list[store.CaseRow]
	filter  store.CaseFilter
	oldOnly bool // the Cases screen shows old cases (no activity, or received long ago)
	reports reportState

	search    *textinput.Model
	searching bool
	searchSeq int
	searchErr string
	backTab   int

	detail     *store.Case
	detailMail []store.Mail // correspondence linked to the open case
	refWidth   int          // the reference column: the longest reference of the packs
	detailOpen bool
	detailTop  int

	// mail is the message open in place of a case (from the inbox).
	mail *store.Mail
	// linking is the message being linked: the search picks its case.
	linking int64

	prompt prompt

	status   string
	statusAt time.Time
	busy     int
	showHelp bool

	// work is the team's work screens (nil without Config.Work); workOpen
	// is whether they are shown in place of the tab.
	work     *work.Model
	workOpen bool
}

// prompt is a one-line question at the bottom of the screen.
type prompt struct {
	active bool
	kind   string // snooze, reason, note, track
	label  string
	input  *textinput.Model
	ref    string
	key    string
	track  domain.Track
	mail   int64
}

// list is a paged list: rows fetched a page at a time, the cursor, and the
// first visible row. Only the visible rows are rendered.
type list[T any] struct {
	rows    []T
	cursor  int
	top     int
	more    bool // another page may follow
	loading bool
	loaded  bool
	gen     int // bumps when the query changes: stale pages are dropped
}

func (l *list[T]) current() (T, bool) {
	var zero T
	if l.cursor < 0 || l.cursor >= len(l.rows) {
		return zero, false
	}
	return l.rows[l.cursor], true
}

func (l *list[T]) move(delta, visible int) {
	if len(l.rows) == 0 {
		return
	}
	l.cursor = min(max(l.cursor+delta, 0), len(l.rows)-1)
	l.scroll(visible)
}

func (l *list[T]) scroll(visible int) {
	if l.cursor < l.top {
		l.top = l.cursor
	}
	if visible > 0 && l.cursor >= l.top+visible {
		l.top = l.cursor - visible + 1
	}
	l.top = max(l.top, 0)
}

func (l *list[T]) reset() {
	l.rows, l.cursor, l.top, l.more, l.loaded = nil, 0, 0, false, false
	l.gen++
}

// New builds the root model.
func New(cfg Config) (Model, error) {
	km := keys.DefaultKeyMap()
	if err := km.Apply(cfg.Keys); err != nil {
		return Model{}, err
	}
	if cfg.Calendar == nil {
		cfg.Calendar = domain.MustCalendar(domain.EnglandAndWales)
	}
	styles := theme.New(cfg.NoColor, cfg.Plain, true)
	act := store.ActOptions{User: cfg.User, On: cfg.Today}
	search := NewInput("/ ")
	search.Placeholder = "reference, name, representative, any word; track:basic late:yes rep:… received:<2020-01-01"
	search.CharLimit = 200
	if cfg.Packs == nil && cfg.Pack != nil {
		cfg.Packs = []*domain.RulePack{cfg.Pack}
	}
	m := Model{cfg: cfg, base: cfg.Store, jur: cfg.Jurisdiction, keys: &km, styles: &styles, act: act, search: &search,
		width: 80, height: 24}
	m.st = scopeStore(m.base, m.jur)
	m.queue = queue.New(m.st, act, cfg.Packs, &km, m.styles)
	if cfg.Reserver != nil {
		m.queue.SetReserver(cfg.Reserver)
	}
	m.newWork()
	m.refWidth = 14
	for _, p := range cfg.Packs {
		m.refWidth = max(m.refWidth, len(p.Reference(cfg.Today.Year(), 1))+1)
	}
	m.layout()
	return m, nil
}

// Run runs the UI until the user quits.
func Run(ctx context.Context, cfg Config) error {
	m, err := New(cfg)
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

// Messages from the root's commands.
type (
	countsMsg struct {
		jur string
		c   store.Counts
		err error
	}
	inboxMsg struct {
		jur  string
		rows []store.InboxItem
		err  error
	}
	dueMsg struct {
		gen, offset int
		rows        []store.DueItem
		err         error
	}
	casesMsg struct {
		gen, offset int
		rows        []store.CaseRow
		err         error
	}
	searchTickMsg struct{ seq int }
	resultsMsg    struct {
		seq  int
		rows []store.CaseRow
		err  error
	}
	detailMsg struct {
		c    *store.Case
		mail []store.Mail
		err  error
	}
	mailMsg struct {
		m   *store.Mail
		err error
	}
	actedMsg struct {
		what string
		err  error
	}
)

// Init loads the header counts, the inbox and the queue.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.loadCounts(), m.loadInbox(), m.queue.Init(), tea.RequestBackgroundColor, m.initWork())
}

func (m Model) loadCounts() tea.Cmd {
	st, today, jur := m.st, m.cfg.Today, m.jur
	return func() tea.Msg {
		c, err := st.Counts(context.Background(), today)
		return countsMsg{jur, c, err}
	}
}

func (m *Model) loadInbox() tea.Cmd {
	m.inbox.loading = true
	st, today, jur := m.st, m.cfg.Today, m.jur
	return func() tea.Msg {
		rows, err := st.Inbox(context.Background(), today, 200)
		return inboxMsg{jur, rows, err}
	}
}

func (m *Model) loadDue(offset int) tea.Cmd {
	m.due.loading = true
	st, today, gen := m.st, m.cfg.Today, m.due.gen
	return func() tea.Msg {
		rows, err := st.Due(context.Background(), today, 14, offset, pageSize)
		return dueMsg{gen, offset, rows, err}
	}
}

func (m *Model) loadCases(offset int) tea.Cmd {
	m.cases.loading = true
	st, f, gen, old, today := m.st, m.filter, m.cases.gen, m.oldOnly, m.cfg.Today
	return func() tea.Msg {
		if old {
			rows, err := st.OldCases(context.Background(), today, offset, pageSize)
			return casesMsg{gen, offset, rows, err}
		}
		rows, err := st.Cases(context.Background(), f, offset, pageSize)
		return casesMsg{gen, offset, rows, err}
	}
}

func (m *Model) openCase(ref string) tea.Cmd {
	st := m.st
	m.busy++
	return func() tea.Msg {
		c, err := st.Case(context.Background(), ref)
		if err != nil {
			return detailMsg{err: err}
		}
		return detailMsg{c, c.Mail, nil}
	}
}

func (m *Model) openMail(id int64) tea.Cmd {
	st := m.st
	m.busy++
	return func() tea.Msg {
		ml, err := st.MailItem(context.Background(), id)
		return mailMsg{ml, err}
	}
}

// switchJurisdiction moves to the next jurisdiction (then all) and reloads
// every list through the store limited to it.
func (m Model) switchJurisdiction() (tea.Model, tea.Cmd) {
	order := []string{""}
	for _, p := range m.cfg.Packs {
		order = append(order, p.ID)
	}
	m.jur = order[(indexOf(order, m.jur)+1)%len(order)]
	m.st = scopeStore(m.base, m.jur)
	m.detailOpen, m.mail = false, nil
	m.due.reset()
	m.cases.reset()
	m.results.reset()
	m.inbox.cursor, m.inbox.top = 0, 0
	m.reports.current = nil
	m.setStatus("Showing " + m.jurisdictionName())
	m.layout()
	cmds := []tea.Cmd{m.loadCounts(), m.loadInbox(), m.queue.SetStore(m.st)}
	switch m.tab {
	case tabDue:
		cmds = append(cmds, m.loadDue(0))
	case tabCases:
		cmds = append(cmds, m.loadCases(0))
	case tabSearch:
		m.searchSeq++
		cmds = append(cmds, m.runSearch())
	case tabReports:
		cmds = append(cmds, m.loadReport())
	}
	return m, tea.Batch(cmds...)
}

// judicialReview reports whether a jurisdiction's cases are triaged by stage.
func (m Model) judicialReview(jurisdiction string) bool {
	for _, p := range m.cfg.Packs {
		if p.ID == jurisdiction {
			return !p.Offers(domain.Standard)
		}
	}
	return false
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

// bodyHeight is the number of lines for the screen's own content.
func (m Model) bodyHeight() int { return max(m.height-5, 3) }

func (m *Model) layout() {
	w := m.width
	if m.wide() && m.detailOpen {
		w = m.width * 55 / 100
	}
	m.queue.SetSize(w, m.bodyHeight())
	if m.work != nil {
		m.work.SetSize(w, m.bodyHeight())
	}
	m.search.SetWidth(max(m.width-4, 10))
}

// wide terminals show the case detail beside the list.
func (m Model) wide() bool { return m.width >= 100 }

func (m *Model) setStatus(s string) {
	m.status, m.statusAt = s, time.Now()
}

// Update routes every message. It never touches the database: that happens
// in the commands it returns.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		s := theme.New(m.cfg.NoColor, m.cfg.Plain, msg.IsDark())
		*m.styles = s
		return m, nil
	case countsMsg:
		if msg.err == nil && msg.jur == m.jur {
			m.counts = msg.c
			m.queue.SetLeft(msg.c.Queue)
		}
		return m, nil
	case inboxMsg:
		if msg.jur != m.jur {
			return m, nil // asked before the jurisdiction changed
		}
		m.inbox.loading, m.inbox.loaded = false, true
		if msg.err != nil {
			m.setStatus("Could not read the inbox: " + msg.err.Error())
			return m, nil
		}
		m.inbox.rows = msg.rows
		m.inbox.cursor = min(m.inbox.cursor, max(len(msg.rows)-1, 0))
		return m, nil
	case dueMsg:
		if msg.gen != m.due.gen {
			return m, nil
		}
		m.due.loading, m.due.loaded = false, true
		if msg.err != nil {
			m.setStatus("Could not read deadlines: " + msg.err.Error())
			return m, nil
		}
		m.due.rows = append(m.due.rows[:msg.offset], msg.rows...)
		m.due.more = len(msg.rows) == pageSize
		return m, nil
	case casesMsg:
		if msg.gen != m.cases.gen {
			return m, nil
		}
		m.cases.loading, m.cases.loaded = false, true
		if msg.err != nil {
			m.setStatus("Could not read cases: " + msg.err.Error())
			return m, nil
		}
		m.cases.rows = append(m.cases.rows[:msg.offset], msg.rows...)
		m.cases.more = len(msg.rows) == pageSize
		return m, nil
	case searchTickMsg:
		if msg.seq != m.searchSeq {
			return m, nil
		}
		return m, m.runSearch()
	case resultsMsg:
		if msg.seq != m.searchSeq {
			return m, nil // a newer query is on its way
		}
		m.busy = max(m.busy-1, 0)
		m.results.loading, m.results.loaded = false, true
		if msg.err != nil {
			m.searchErr = msg.err.Error()
			return m, nil
		}
		m.searchErr = ""
		m.results.rows, m.results.cursor, m.results.top = msg.rows, 0, 0
		return m, nil
	case detailMsg:
		m.busy = max(m.busy-1, 0)
		if msg.err != nil {
			m.setStatus("Could not open the case: " + msg.err.Error())
			return m, nil
		}
		m.detail, m.detailMail, m.detailOpen, m.detailTop, m.mail = msg.c, msg.mail, true, 0, nil
		m.layout()
		return m, nil
	case mailMsg:
		m.busy = max(m.busy-1, 0)
		if msg.err != nil {
			m.setStatus("Could not open the message: " + msg.err.Error())
			return m, nil
		}
		m.mail, m.detailOpen, m.detailTop = msg.m, true, 0
		m.layout()
		return m, nil
	case reportMsg:
		m.busy = max(m.busy-1, 0)
		m.reports.loading = false
		if msg.err != nil {
			m.setStatus("Could not count the report: " + msg.err.Error())
			return m, nil
		}
		m.reports.current, m.reports.top = msg.r, 0
		return m, nil
	case exportedMsg:
		if msg.err != nil {
			m.setStatus("Not exported: " + msg.err.Error())
		} else {
			m.setStatus("Exported to " + msg.path)
		}
		return m, nil
	case editedMsg:
		return m, m.referFromEditor(msg)
	case actedMsg:
		if msg.err != nil {
			m.setStatus("Not saved: " + sanitize.Line(msg.err.Error()))
			return m, nil
		}
		m.setStatus(msg.what)
		cmds := []tea.Cmd{m.loadCounts(), m.loadInbox()}
		switch {
		case m.detailOpen && m.mail != nil:
			cmds = append(cmds, m.openMail(m.mail.ID))
		case m.detailOpen && m.detail != nil:
			cmds = append(cmds, m.openCase(m.detail.Reference))
		}
		if m.due.loaded {
			m.due.reset()
			cmds = append(cmds, m.loadDue(0))
		}
		return m, tea.Batch(cmds...)
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	case LiveMsg:
		return m.onLive(msg)
	case liveDetailMsg:
		return m.onLiveDetail(msg)
	case liveMailMsg:
		return m.onLiveMail(msg)
	case work.OpenMsg:
		return m.openWork(msg)
	}
	// Everything else belongs to the queue (its command results), or to
	// the work screens (theirs: each ignores the other's).
	var wcmd tea.Cmd
	if m.work != nil {
		wcmd = m.updateWork(msg)
	}
	var cmd tea.Cmd
	m.queue, cmd = m.queue.Update(msg)
	return m, tea.Batch(m.afterQueue(cmd), wcmd)
}

// afterQueue picks up the queue's status line and refreshes counts when it
// changed something.
func (m *Model) afterQueue(cmd tea.Cmd) tea.Cmd {
	if m.queue.Status != "" {
		m.setStatus(m.queue.Status)
	}
	if m.queue.Changed {
		// On a team server the inbox is read again when it is shown
		// (switchTab): reading it after every decision cost the server a
		// tenth of its time. One person's UI keeps it fresh all along.
		if m.tab != tabInbox && m.cfg.Reserver != nil {
			return tea.Batch(cmd, m.loadCounts())
		}
		return tea.Batch(cmd, m.loadCounts(), m.loadInbox())
	}
	return cmd
}

func (m Model) updateKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if key.Matches(msg, k.ForceQuit) {
		return m, tea.Quit
	}
	if m.showHelp {
		m.showHelp = false
		return m, nil
	}
	if m.prompt.active {
		return m.updatePrompt(msg)
	}
	if m.searching {
		return m.updateSearch(msg)
	}
	if m.queue.Typing() && m.tab == tabQueue && !m.workOpen {
		var cmd tea.Cmd
		m.queue, cmd = m.queue.Update(msg)
		return m, m.afterQueue(cmd)
	}
	if cmd, ok := m.workKey(msg); ok {
		return m, cmd
	}
	switch {
	case key.Matches(msg, k.Help):
		m.showHelp = true
		return m, nil
	case key.Matches(msg, k.Jurisdiction):
		return m.switchJurisdiction()
	case key.Matches(msg, k.Back):
		if m.detailOpen {
			m.detailOpen, m.mail = false, nil
			m.layout()
		} else if m.tab == tabSearch {
			m.tab = m.backTab
		}
		return m, nil
	case key.Matches(msg, k.Quit):
		if m.detailOpen {
			m.detailOpen, m.mail = false, nil
			m.layout()
			return m, nil
		}
		return m, tea.Quit
	case key.Matches(msg, k.Search):
		return m.startSearch()
	case key.Matches(msg, k.Inbox):
		return m.switchTab(tabInbox)
	case key.Matches(msg, k.Queue):
		return m.switchTab(tabQueue)
	case key.Matches(msg, k.Due):
		return m.switchTab(tabDue)
	case key.Matches(msg, k.Cases):
		return m.switchTab(tabCases)
	case key.Matches(msg, k.Reports):
		return m.switchTab(tabReports)
	case key.Matches(msg, k.NextTab):
		return m.switchTab((m.tab + 1) % len(tabNames))
	case key.Matches(msg, k.PrevTab):
		return m.switchTab((m.tab + len(tabNames) - 1) % len(tabNames))
	}
	if m.detailOpen && m.mail != nil {
		if mm, cmd, ok := m.updateMail(msg); ok {
			return mm, cmd
		}
		if !m.wide() {
			return m, nil
		}
	}
	if m.detailOpen && !m.wide() {
		return m.updateDetail(msg)
	}
	if m.detailOpen && (key.Matches(msg, k.Recategorise) || key.Matches(msg, k.Action) || key.Matches(msg, k.Note) ||
		key.Matches(msg, k.Progress) || key.Matches(msg, k.Editor)) {
		return m.updateDetail(msg)
	}
	switch m.tab {
	case tabQueue:
		var cmd tea.Cmd
		m.queue, cmd = m.queue.Update(msg)
		return m, m.afterQueue(cmd)
	case tabInbox:
		return m.updateInbox(msg)
	case tabDue:
		cmd := m.updateList(msg, &m.due, func() tea.Cmd { return m.loadDue(len(m.due.rows)) }, func() string {
			d, _ := m.due.current()
			return d.Reference
		})
		return m, cmd
	case tabCases:
		return m.updateCases(msg)
	case tabReports:
		switch {
		case key.Matches(msg, k.NextReport):
			m.reports.index = (m.reports.index + 1) % len(report.Names)
			return m, m.loadReport()
		case key.Matches(msg, k.PrevReport):
			m.reports.index = (m.reports.index + len(report.Names) - 1) % len(report.Names)
			return m, m.loadReport()
		case key.Matches(msg, k.Export):
			return m, m.exportReport()
		case key.Matches(msg, k.Down):
			m.reports.top++
		case key.Matches(msg, k.Up):
			m.reports.top = max(m.reports.top-1, 0)
		}
		return m, nil
	case tabSearch:
		cmd := m.updateList(msg, &m.results, nil, func() string {
			r, _ := m.results.current()
			return r.Reference
		})
		return m, cmd
	}
	return m, nil
}

func (m Model) switchTab(tab int) (tea.Model, tea.Cmd) {
	if tab == tabSearch {
		return m.startSearch()
	}
	m.tab = tab
	m.detailOpen = false
	m.layout()
	switch {
	case tab == tabDue && !m.due.loaded && !m.due.loading:
		return m, m.loadDue(0)
	case tab == tabCases && !m.cases.loaded && !m.cases.loading:
		return m, m.loadCases(0)
	case tab == tabInbox:
		return m, m.loadInbox()
	case tab == tabReports && m.reports.current == nil && !m.reports.loading:
		return m, m.loadReport()
	}
	return m, nil
}

// updateList moves through a paged list; enter opens the case.
// It works on the caller's model (m is a pointer to the caller's copy), so
// the move lands in the model the caller returns.
func (m *Model) updateList(msg tea.KeyPressMsg, l interface {
	move(int, int)
}, more func() tea.Cmd, ref func() string) tea.Cmd {
	k := m.keys
	vis := m.listHeight()
	switch {
	case key.Matches(msg, k.Up):
		l.move(-1, vis)
	case key.Matches(msg, k.Down):
		l.move(1, vis)
	case key.Matches(msg, k.PageUp):
		l.move(-vis, vis)
	case key.Matches(msg, k.PageDown):
		l.move(vis, vis)
	case key.Matches(msg, k.Top):
		l.move(-1<<30, vis)
	case key.Matches(msg, k.Bottom):
		l.move(1<<30, vis)
	case key.Matches(msg, k.Open):
		if r := ref(); r != "" {
			return m.openCase(r)
		}
		return nil
	default:
		return nil
	}
	// Fetch the next page before the cursor reaches the end.
	if more != nil {
		switch m.tab {
		case tabDue:
			if m.due.more && !m.due.loading && m.due.cursor > len(m.due.rows)-vis*2 {
				return more()
			}
		case tabCases:
			if m.cases.more && !m.cases.loading && m.cases.cursor > len(m.cases.rows)-vis*2 {
				return more()
			}
		}
	}
	return nil
}

func (m Model) listHeight() int { return max(m.bodyHeight()-1, 1) }

func (m Model) updateInbox(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	it, ok := m.inbox.current()
	switch {
	case key.Matches(msg, k.Open) && ok && it.Kind == "mail":
		return m, m.openMail(it.MailID)
	case ok && it.Kind == "mail" && (key.Matches(msg, k.Link) || key.Matches(msg, k.Replied) || key.Matches(msg, k.Done)):
		mm, cmd, _ := m.mailAction(msg, it.MailID, it.Reference != "")
		return mm, cmd
	case key.Matches(msg, k.Open) && ok:
		if it.Reference == "" {
			return m.switchTab(tabQueue)
		}
		return m, m.openCase(it.Reference)
	case key.Matches(msg, k.Snooze) && ok:
		m.ask("snooze", "Snooze until (date, or +days): ", "+1", it.Key, it.Reference)
		return m, m.prompt.input.Focus()
	case key.Matches(msg, k.Done) && ok:
		st, opt, key := m.st, m.act, it.Key
		what := "Marked done: " + sanitize.Line(it.Reason)
		m.inbox.rows = append(m.inbox.rows[:m.inbox.cursor:m.inbox.cursor], m.inbox.rows[m.inbox.cursor+1:]...)
		m.inbox.cursor = min(m.inbox.cursor, max(len(m.inbox.rows)-1, 0))
		return m, func() tea.Msg { return actedMsg{what, st.Dismiss(context.Background(), key, opt)} }
	}
	cmd := m.updateList(msg, &m.inbox, nil, func() string { return it.Reference })
	return m, cmd
}

func (m Model) updateCases(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	changed := true
	switch {
	case key.Matches(msg, k.FilterTrack):
		order := append([]domain.Track{""}, domain.Tracks...)
		m.filter.Track = order[(indexOf(order, m.filter.Track)+1)%len(order)]
	case key.Matches(msg, k.FilterStatus):
		order := []domain.Status{"", domain.StatusNew, domain.StatusAllocated, domain.StatusStayed, domain.StatusReturned, domain.StatusClosed}
		m.filter.Status = order[(indexOf(order, m.filter.Status)+1)%len(order)]
	case key.Matches(msg, k.FilterLate):
		if m.filter.Late == nil {
			yes := true
			m.filter.Late = &yes
		} else {
			m.filter.Late = nil
		}
	case key.Matches(msg, k.Sort):
		order := []string{"", "oldest", "reference", "appellant"}
		m.filter.Sort = order[(indexOf(order, m.filter.Sort)+1)%len(order)]
	case key.Matches(msg, k.OldCases):
		m.oldOnly = !m.oldOnly
	default:
		changed = false
	}
	if changed {
		m.cases.reset()
		return m, m.loadCases(0)
	}
	cmd := m.updateList(msg, &m.cases, func() tea.Cmd { return m.loadCases(len(m.cases.rows)) }, func() string {
		r, _ := m.cases.current()
		return r.Reference
	})
	return m, cmd
}

func indexOf[T comparable](xs []T, x T) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return 0
}

// updateDetail: scrolling the case, re-categorising (asks for a reason), a note.
func (m Model) updateDetail(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if m.scrollPane(msg) {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Recategorise) && m.detail != nil:
		label := "Re-categorise to (p)aper, (b)asic, (s)tandard or (c)omplex: "
		if m.judicialReview(m.detail.Jurisdiction) {
			label = "Move to stage: (p)re-action, claim (i)ssued, permission on the p(a)pers, (o)ral permission, (s)ubstantive: "
		}
		m.ask("track", label, "", "", m.detail.Reference)
		return m, m.prompt.input.Focus()
	case key.Matches(msg, k.Note) && m.detail != nil:
		m.ask("note", "Note: ", "", "", m.detail.Reference)
		return m, m.prompt.input.Focus()
	case key.Matches(msg, k.Progress) && m.detail != nil:
		st, opt, ref := m.st, m.act, m.detail.Reference
		return m, func() tea.Msg {
			rec, err := st.Record(context.Background(), ref, domain.Event{Kind: domain.EventProgressed, On: opt.On, User: opt.User})
			return actedMsg{ref + ": " + rec.Detail, err}
		}
	case key.Matches(msg, k.Editor) && m.detail != nil:
		return m, m.editReferral(m.detail.Reference)
	case key.Matches(msg, k.Action) && m.detail != nil:
		m.ask("action", ": ", "", "", m.detail.Reference)
		m.setStatus("e.g. flag urgent · refer judge NOTE · direction appellant 14 TEXT · comply · return grounds · ? lists all")
		return m, m.prompt.input.Focus()
	}
	return m, nil
}

func (m *Model) ask(kind, label, value, itemKey, ref string) {
	in := NewInput(label)
	in.SetValue(value)
	in.CharLimit = 2000
	in.SetWidth(max(m.width-len(label)-2, 10))
	m.prompt = prompt{active: true, kind: kind, label: label, input: &in, key: itemKey, ref: ref}
}

func (m Model) updatePrompt(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	p := &m.prompt
	if msg.String() == "esc" {
		p.active = false
		return m, nil
	}
	if p.kind == "track" {
		tracks := map[string]domain.Track{"p": domain.Paper, "b": domain.Basic, "s": domain.Standard, "c": domain.Complex}
		if m.detail != nil && m.judicialReview(m.detail.Jurisdiction) {
			tracks = map[string]domain.Track{"p": domain.PreAction, "i": domain.ClaimIssued, "a": domain.PermissionPaper,
				"o": domain.PermissionOral, "s": domain.Substantive}
		}
		if t, ok := tracks[msg.String()]; ok {
			ref := p.ref
			m.ask("reason", "Reason for re-categorising "+ref+" to "+t.Label()+": ", "", "", ref)
			m.prompt.track = t
			return m, m.prompt.input.Focus()
		}
		return m, nil
	}
	if msg.String() != "enter" {
		var cmd tea.Cmd
		var in textinput.Model
		in, cmd = p.input.Update(msg)
		*p.input = in
		return m, cmd
	}
	p.active = false
	value := strings.TrimSpace(p.input.Value())
	st, opt, ref, itemKey := m.st, m.act, p.ref, p.key
	switch p.kind {
	case "snooze":
		until, err := parseUntil(value, m.cfg.Today)
		if err != nil {
			m.setStatus(err.Error())
			return m, nil
		}
		return m, func() tea.Msg {
			return actedMsg{"Snoozed until " + until.Long(), st.Snooze(context.Background(), itemKey, until, opt)}
		}
	case "action":
		if value == "?" {
			m.showHelp = true
			return m, nil
		}
		e, err := parseAction(value, m.cfg.Today, m.cfg.Calendar)
		if err != nil {
			m.setStatus(err.Error())
			return m, nil
		}
		e.User = opt.User
		return m, func() tea.Msg {
			rec, err := st.Record(context.Background(), ref, e)
			return actedMsg{ref + ": " + rec.Detail, err}
		}
	case "note":
		if value == "" {
			return m, nil
		}
		return m, func() tea.Msg {
			_, err := st.AddNote(context.Background(), ref, value, opt)
			return actedMsg{ref + ": note added", err}
		}
	case "replied":
		id := p.mail
		return m, func() tea.Msg {
			return actedMsg{fmt.Sprintf("Message %d: reply recorded", id), st.MailReplied(context.Background(), id, value, opt)}
		}
	case "reason":
		if value == "" {
			m.setStatus("Re-categorising needs a reason: nothing changed")
			return m, nil
		}
		track := p.track
		return m, func() tea.Msg {
			_, err := st.Categorise(context.Background(), ref, track, store.CategoriseOptions{ActOptions: opt, Reason: value})
			return actedMsg{ref + ": re-categorised to " + track.Label(), err}
		}
	}
	return m, nil
}

// updateMail handles the keys of an open message: link, replied, done and
// scrolling; ok is false for keys it leaves to the screen behind.
func (m Model) updateMail(msg tea.KeyPressMsg) (tea.Model, tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Link), key.Matches(msg, k.Replied), key.Matches(msg, k.Done):
		return m.mailAction(msg, m.mail.ID, m.mail.Reference != "")
	case key.Matches(msg, k.Open) && m.mail.Reference != "":
		return m, m.openCase(m.mail.Reference), true
	}
	return m, nil, m.scrollPane(msg)
}

// scrollPane moves the open case or message; false if msg is not a
// scrolling key.
func (m *Model) scrollPane(msg tea.KeyPressMsg) bool {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.detailTop = max(m.detailTop-1, 0)
	case key.Matches(msg, k.Down):
		m.detailTop++
	case key.Matches(msg, k.PageDown):
		m.detailTop += m.bodyHeight() - 2
	case key.Matches(msg, k.PageUp):
		m.detailTop = max(m.detailTop-m.bodyHeight()+2, 0)
	case key.Matches(msg, k.Top):
		m.detailTop = 0
	default:
		return false
	}
	return true
}

// mailAction links (through the search picker), records a reply (asks for
// its summary) or marks a message done.
func (m Model) mailAction(msg tea.KeyPressMsg, id int64, linked bool) (tea.Model, tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Link):
		if linked {
			m.setStatus(fmt.Sprintf("Message %d is already linked to a case", id))
			return m, nil, true
		}
		m.linking = id
		mm, cmd := m.startSearch()
		model := mm.(Model)
		model.search.Prompt = fmt.Sprintf("Link message %d to: ", id)
		model.search.SetValue("")
		model.results.reset()
		return model, cmd, true
	case key.Matches(msg, k.Replied):
		m.ask("replied", "Reply sent, in one line: ", "", "", "")
		m.prompt.mail = id
		return m, m.prompt.input.Focus(), true
	case key.Matches(msg, k.Done):
		st, opt := m.st, m.act
		m.detailOpen, m.mail = false, nil
		m.layout()
		return m, func() tea.Msg {
			return actedMsg{fmt.Sprintf("Message %d done", id), st.MailDone(context.Background(), id, opt)}
		}, true
	}
	return m, nil, false
}

// parseUntil reads a snooze date: +N days, or a date.
func parseUntil(s string, today domain.Date) (domain.Date, error) {
	if strings.HasPrefix(s, "+") {
		var n int
		if _, err := fmt.Sscanf(s, "+%d", &n); err != nil || n <= 0 {
			return domain.Date{}, fmt.Errorf("%q: give +days (e.g. +3) or a date", s)
		}
		return today.AddDays(n), nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return d, err
	}
	if !d.After(today) {
		return d, fmt.Errorf("snooze until a date after today")
	}
	return d, nil
}

func (m Model) startSearch() (tea.Model, tea.Cmd) {
	if m.tab != tabSearch {
		m.backTab = m.tab
	}
	m.tab = tabSearch
	m.searching = true
	m.detailOpen = false
	m.layout()
	return m, m.search.Focus()
}

// updateSearch edits the query; results follow as you type, debounced so a
// fast typist sends one query, and stale answers are dropped by number.
func (m Model) updateSearch(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case msg.String() == "esc":
		m.searching = false
		m.search.Blur()
		m.tab = m.backTab
		if m.linking != 0 {
			m.linking = 0
			m.search.Prompt = "/ "
			m.search.SetValue("")
			m.results.reset()
			m.setStatus("Not linked")
		}
		return m, nil
	case msg.String() == "enter":
		if r, ok := m.results.current(); ok {
			m.searching = false
			m.search.Blur()
			if id := m.linking; id != 0 {
				// The picker: link the message to the chosen case.
				m.linking = 0
				m.search.Prompt = "/ "
				m.search.SetValue("")
				m.results.reset()
				m.tab = m.backTab
				st, opt, ref := m.st, m.act, r.Reference
				return m, func() tea.Msg {
					return actedMsg{fmt.Sprintf("Message %d linked to %s", id, ref), st.LinkMail(context.Background(), id, ref, opt)}
				}
			}
			return m, m.openCase(r.Reference)
		}
		return m, nil
	case key.Matches(msg, k.Up) && msg.String() != "k", key.Matches(msg, k.Down) && msg.String() != "j":
		delta := 1
		if key.Matches(msg, k.Up) {
			delta = -1
		}
		m.results.move(delta, m.listHeight()-1)
		return m, nil
	}
	before := m.search.Value()
	var cmd tea.Cmd
	var in textinput.Model
	in, cmd = m.search.Update(msg)
	*m.search = in
	if m.search.Value() == before {
		return m, cmd
	}
	m.searchSeq++
	seq := m.searchSeq
	return m, tea.Batch(cmd, tea.Tick(40*time.Millisecond, func(time.Time) tea.Msg { return searchTickMsg{seq} }))
}

func (m *Model) runSearch() tea.Cmd {
	text := m.search.Value()
	seq, st := m.searchSeq, m.st
	q, err := store.ParseSearch(text)
	if err != nil {
		m.searchErr = err.Error()
		return nil
	}
	if strings.TrimSpace(text) == "" {
		m.results.rows = nil
		return nil
	}
	m.busy++
	m.results.loading = true
	return func() tea.Msg {
		rows, err := st.Find(context.Background(), q, 100)
		return resultsMsg{seq, rows, err}
	}
}

// NewInput is a one-line text input with a steady cursor: no blinking
// (calmer, and nothing animates in --plain mode).
func NewInput(prompt string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	return in
}

// noColor reports whether NO_COLOR is set, for cmd to pass on.
func NoColorEnv() bool { return os.Getenv("NO_COLOR") != "" }
