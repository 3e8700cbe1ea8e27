// Package queries is the service centre's Queries screen: open queries by
// service-level urgency, filtered by channel, topic and status, and the
// fast call-entry form (N): the caller found as they are typed, a topic
// from the taxonomy, a summary, saved with one key.
//
// It follows the screens' contract (tui/screen): built with screen.Deps,
// its reads and writes run through Deps.Requests and come back as results
// routed to screen.Queries, tagged with a generation so a stale answer is
// dropped; it tells the root what happened with upward messages (Status,
// Acted, Changed). Its keys are the UI's key map.
package queries

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/domain"
	"github.com/caseload/caseload/store"
	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/pagedlist"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
)

// Store is what the screen needs of the database.
type Store interface {
	Queries(ctx context.Context, f store.QueryFilter, offset, limit int) ([]domain.Query, error)
	FindCallers(ctx context.Context, typed string, limit int) ([]store.Caller, error)
	AddQuery(ctx context.Context, nq store.NewQuery, opt store.ActOptions) (domain.Query, error)
	UpdateQuery(ctx context.Context, id int64, to domain.QueryStatus, text string, opt store.ActOptions) (domain.Query, error)
	UseArticle(ctx context.Context, id int64, article string, opt store.ActOptions) error
	Topics() domain.Taxonomy
}

// KeyMap is the screen's keys, from the UI's key map (so every one is
// rebound by config.toml); the form's while the form is open.
type KeyMap struct {
	k    *keys.KeyMap
	form bool
	line bool // a line is being typed: how it was resolved, for what it waits, to whom it passes
	kb   bool // the knowledge base is being searched
}

// ShortHelp implements help.KeyMap.
func (m KeyMap) ShortHelp() []key.Binding {
	k := m.k
	switch {
	case m.form:
		return []key.Binding{k.NextField, k.PickChannel, saveKey(k), k.SaveResolved, k.Cancel}
	case m.kb:
		return []key.Binding{pagedlist.Move(k.SuggestDown, k.SuggestUp, "choose"), k.Submit, k.Cancel}
	case m.line:
		return []key.Binding{saveKey(k), k.Cancel}
	}
	return []key.Binding{pagedlist.Move(k.Down, k.Up, "move"), k.NewQuery, k.Article, k.Resolve, k.PassOn, k.Waiting,
		k.FilterChannel, k.FilterTopic, k.FilterQueryStatus}
}

// FullHelp implements help.KeyMap: every key, by group.
func (m KeyMap) FullHelp() [][]key.Binding {
	k := m.k
	save := saveKey(k)
	return [][]key.Binding{
		{k.NewQuery, k.Article, k.Resolve, k.PassOn, k.Waiting},
		{k.FilterChannel, k.FilterTopic, k.FilterQueryStatus},
		{k.NextField, k.PrevField, k.SuggestUp, k.SuggestDown, k.PickChannel, save, k.SaveResolved, k.Cancel},
	}
}

// saveKey is the answer key, which saves the form (its help says so).
func saveKey(k *keys.KeyMap) key.Binding {
	b := k.Submit
	b.SetHelp(k.Submit.Help().Key, "save")
	return b
}

// Page is how many queries the list holds; the screen shows what fits.
const Page = 200

type field int

const (
	fieldCaller field = iota
	fieldTopic
	fieldSummary
)

// form is the fast call-entry form.
type form struct {
	channel    domain.Channel
	caller     *textinput.Model
	topic      *textinput.Model
	summary    *textinput.Model
	focus      field
	callers    []store.Caller
	chosen     *store.Caller // the suggestion the officer took, if any
	suggestion int
	typedGen   int // bumps as the caller is typed: stale look-ups are dropped
	topics     domain.Taxonomy
	topicPick  int
	resolving  bool // the summary is followed by a resolution
	resolution *textinput.Model
}

// Model is the Queries screen.
type Model struct {
	d       screen.Deps
	st      Store
	rows    []domain.Query
	cursor  int
	filter  store.QueryFilter
	loading bool
	loaded  bool
	gen     int
	// want is a query to select when the list arrives (opened from the
	// inbox).
	want   int64
	form   *form
	prompt *textinput.Model // resolving, waiting or passing: the line typed
	action domain.QueryStatus
	// questions are the qualifying questions shown above the pass prompt.
	questions []string
	kb        *domain.KnowledgeBase
	// search is the knowledge-base search line; hits what it finds.
	search *textinput.Model
	hits   []domain.Article
	hit    int
	width  int
	height int
}

type (
	loadedMsg struct {
		gen  int
		rows []domain.Query
		err  error
	}
	callersMsg struct {
		gen     int
		callers []store.Caller
		err     error
	}
	savedMsg struct {
		q   domain.Query
		err error
	}
	movedMsg struct {
		q   domain.Query
		err error
	}
	articleMsg struct {
		id      int64
		ref     string
		article domain.Article
		err     error
	}
)

func input(prompt string, limit int) *textinput.Model {
	ti := textinput.New()
	ti.Prompt = prompt
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	ti.CharLimit = limit
	return &ti
}

// New makes the screen. kb is the knowledge base searched from a query
// (nil: none).
func New(d screen.Deps, st Store, kb *domain.KnowledgeBase) Model {
	return Model{d: d, st: st, kb: kb, filter: store.QueryFilter{Open: true}}
}

// Init loads the open queries.
func (m *Model) Init() tea.Cmd { return m.load() }

// Shown is called when the screen comes into view: the list is read
// again (the queries change from every screen, by N).
func (m *Model) Shown() tea.Cmd { return m.load() }

// Reload reads the list again if it has been read (something changed).
func (m *Model) Reload() tea.Cmd {
	if !m.loaded {
		return nil
	}
	return m.load()
}

func (m *Model) load() tea.Cmd {
	m.loading = true
	m.gen++
	st, f, gen := m.st, m.filter, m.gen
	return m.d.Requests.Go(screen.Queries, func(ctx context.Context) tea.Msg {
		rows, err := st.Queries(ctx, f, 0, Page)
		return loadedMsg{gen, rows, err}
	})
}

// SetSize tells the screen its size; the lines being typed follow it.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	if f := m.form; f != nil {
		for _, in := range []*textinput.Model{f.caller, f.topic, f.summary} {
			in.SetWidth(max(w-10, 10))
		}
		if f.resolution != nil {
			f.resolution.SetWidth(max(w-11, 10))
		}
	}
	if m.prompt != nil {
		m.prompt.SetWidth(max(w-sanitize.Width(m.prompt.Prompt)-2, 10))
	}
	if m.search != nil {
		m.search.SetWidth(max(w-18, 10))
	}
}

// Keys is the key map in force, for the root's help (it follows the form).
func (m Model) Keys() KeyMap {
	return KeyMap{m.d.Keys, m.form != nil, m.prompt != nil, m.search != nil}
}

// Typing reports whether a text field has the keyboard, so the root
// does not take q or a tab key for itself.
func (m Model) Typing() bool { return m.form != nil || m.prompt != nil || m.search != nil }

// Rows are the queries listed.
func (m Model) Rows() []domain.Query { return m.rows }

// Selected is the selected query's case ("" if none), for the pane.
func (m Model) Selected() (string, int64) {
	q, _ := m.selected()
	return q.Reference, 0
}

// NewCall opens the call form (the global N); the form already open is
// kept, so a second N does not drop what was typed.
func (m *Model) NewCall() tea.Cmd {
	if m.form != nil {
		return nil
	}
	m.prompt, m.search, m.hits, m.questions = nil, nil, nil, nil
	return m.openForm()
}

// NewCallAbout opens the call form with the caller field holding ref (a
// case reference finds the case and its parties as the caller is typed).
func (m *Model) NewCallAbout(ref string) tea.Cmd {
	cmd := m.NewCall()
	if m.form == nil || m.form.caller.Value() != "" {
		return cmd
	}
	m.form.caller.SetValue(ref)
	m.form.caller.CursorEnd()
	return tea.Batch(cmd, m.lookUp())
}

// Show selects query id when the list is next read (Shown): the open
// queries with no filter, or every query if it is no longer open.
func (m *Model) Show(id int64) {
	m.form, m.prompt, m.search, m.hits, m.questions = nil, nil, nil, nil, nil
	m.filter, m.want = store.QueryFilter{Open: true}, id
}

// Update handles keys and the results of the screen's commands.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading, m.loaded = false, true
		if msg.err != nil {
			return m, screen.StatusCmd("Could not read the queries: " + sanitize.Line(msg.err.Error()))
		}
		m.rows = msg.rows
		m.cursor = min(m.cursor, max(len(m.rows)-1, 0))
		if want := m.want; want != 0 {
			for i, q := range m.rows {
				if q.ID == want {
					m.cursor, m.want = i, 0
					return m, nil
				}
			}
			if m.filter.Open {
				// Resolved since the inbox was read: look among them all.
				m.filter.Open = false
				return m, m.load()
			}
			m.want = 0
			return m, screen.StatusCmd(fmt.Sprintf("Query %d is not in the list", want))
		}
		return m, nil
	case callersMsg:
		if m.form == nil || msg.gen != m.form.typedGen {
			return m, nil
		}
		m.form.callers, m.form.suggestion = msg.callers, 0
		return m, nil
	case savedMsg:
		if msg.err != nil {
			var cm *store.ContactMatchError
			if errors.As(msg.err, &cm) {
				return m, screen.StatusCmd("Not saved: the number or address matches an earlier contact; pick them from the matches")
			}
			return m, screen.StatusCmd("Not saved: " + sanitize.Line(msg.err.Error()))
		}
		m.form = nil
		return m, tea.Batch(m.load(), screen.Send(screen.Acted{What: describeSaved(msg.q)}))
	case movedMsg:
		if msg.err != nil {
			return m, screen.StatusCmd("Not saved: " + sanitize.Line(msg.err.Error()))
		}
		what := fmt.Sprintf("query %d %s", msg.q.ID, msg.q.Status)
		if msg.q.Reference != "" {
			what = fmt.Sprintf("%s: query %d %s", msg.q.Reference, msg.q.ID, msg.q.Status)
		}
		if msg.q.FirstContact {
			what += " at first contact"
		}
		return m, tea.Batch(m.load(), screen.Send(screen.Acted{What: what}))
	case articleMsg:
		if msg.err != nil {
			return m, screen.StatusCmd("Not saved: " + sanitize.Line(msg.err.Error()))
		}
		what := fmt.Sprintf("query %d answered from %s", msg.id, sanitize.Line(msg.article.Title))
		if msg.ref != "" {
			what = msg.ref + ": " + what
		}
		if len(msg.article.Questions) > 0 {
			what += "; before passing it on, ask: " + sanitize.Line(strings.Join(msg.article.Questions, " "))
		}
		return m, tea.Batch(m.load(), screen.Send(screen.Acted{What: what}))
	case tea.PasteMsg:
		return m.paste(msg)
	case tea.KeyPressMsg:
		switch {
		case m.form != nil:
			return m.updateForm(msg)
		case m.prompt != nil:
			return m.updatePrompt(msg)
		case m.search != nil:
			return m.updateSearch(msg)
		}
		return m.updateList(msg)
	}
	return m, nil
}

// paste puts pasted text into the field being typed, on one line: a
// paste of several lines must not save the form (enter) half-way.
func (m Model) paste(msg tea.PasteMsg) (Model, tea.Cmd) {
	var in *textinput.Model
	switch {
	case m.form != nil:
		in = m.form.focused()
	case m.prompt != nil:
		in = m.prompt
	case m.search != nil:
		in = m.search
	default:
		return m, nil
	}
	text := strings.Join(strings.Fields(sanitize.Line(msg.Content)), " ")
	before := in.Value()
	updated, cmd := in.Update(tea.PasteMsg{Content: text})
	*in = updated
	switch {
	case m.form != nil && m.form.focus == fieldCaller && in.Value() != before:
		m.form.chosen = nil
		return m, tea.Batch(cmd, m.lookUp())
	case m.form != nil && m.form.focus == fieldTopic:
		m.form.topicPick = 0
	case m.search != nil:
		m.hits, m.hit = m.searchHits(), 0
	}
	return m, cmd
}

// jurisdictionOf guesses a query's pack from its case reference, so the
// search leaves out other jurisdictions' articles.
func jurisdictionOf(ref string) string {
	switch {
	case strings.HasPrefix(ref, "TC/"):
		return "ftt-tax"
	case strings.HasPrefix(ref, "AC-"):
		return "admin-court-jr"
	case strings.HasPrefix(ref, "JR/"):
		return "ut-iac-jr"
	}
	return ""
}

func (m Model) searchHits() []domain.Article {
	q, _ := m.selected()
	return m.kb.Search(m.search.Value(), jurisdictionOf(q.Reference), q.Topic, 8)
}

// updateSearch searches the knowledge base as the officer types; enter
// records the highlighted article on the query.
func (m Model) updateSearch(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.d.Keys.Cancel):
		m.search, m.hits = nil, nil
		return m, nil
	case key.Matches(msg, m.d.Keys.SuggestDown):
		m.hit = min(m.hit+1, max(len(m.hits)-1, 0))
		return m, nil
	case key.Matches(msg, m.d.Keys.SuggestUp):
		m.hit = max(m.hit-1, 0)
		return m, nil
	case key.Matches(msg, m.d.Keys.Submit):
		q, ok := m.selected()
		if !ok || m.hit >= len(m.hits) {
			return m, nil
		}
		a := m.hits[m.hit]
		m.search, m.hits = nil, nil
		st, act := m.st, m.d.Act
		return m, m.d.Requests.Go(screen.Queries, func(ctx context.Context) tea.Msg {
			return articleMsg{q.ID, q.Reference, a, st.UseArticle(ctx, q.ID, a.ID, act)}
		})
	}
	in, cmd := m.search.Update(msg)
	*m.search = in
	m.hits, m.hit = m.searchHits(), 0
	return m, cmd
}

func describeSaved(q domain.Query) string {
	s := fmt.Sprintf("query %d saved: %s %s, answer by %s", q.ID, q.Channel, q.Topic, q.Due.Long())
	if q.Reference != "" {
		s = q.Reference + ": " + s
	}
	if q.FirstContact {
		s += "; resolved at first contact"
	}
	return s
}

func (m Model) selected() (domain.Query, bool) {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return domain.Query{}, false
	}
	return m.rows[m.cursor], true
}

func (m Model) updateList(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.d.Keys
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, k.Down):
		m.cursor = min(m.cursor+1, max(len(m.rows)-1, 0))
	case key.Matches(msg, k.Top):
		m.cursor = 0
	case key.Matches(msg, k.Bottom):
		m.cursor = max(len(m.rows)-1, 0)
	case key.Matches(msg, k.NewQuery):
		return m, m.NewCall()
	case key.Matches(msg, k.FilterChannel):
		m.filter.Channel = cycle(domain.Channels, m.filter.Channel)
		m.cursor = 0
		return m, m.load()
	case key.Matches(msg, k.FilterTopic):
		m.filter.Topic = cycle(m.st.Topics().Slugs(), m.filter.Topic)
		m.cursor = 0
		return m, m.load()
	case key.Matches(msg, k.FilterQueryStatus):
		// open (all open) → each status → every query.
		switch {
		case m.filter.Open && m.filter.Status == "":
			m.filter.Open, m.filter.Status = false, domain.QueryOpen
		case m.filter.Status == domain.QueryResolved:
			m.filter.Status = ""
		case m.filter.Status == "":
			m.filter.Open = true
		default:
			m.filter.Status = cycle(domain.QueryStatuses, m.filter.Status)
		}
		m.cursor = 0
		return m, m.load()
	case key.Matches(msg, k.Article):
		if _, ok := m.selected(); !ok {
			return m, screen.StatusCmd("No query selected: " + k.NewQuery.Help().Key + " records a call")
		}
		if m.kb == nil {
			return m, screen.StatusCmd("No knowledge base")
		}
		m.search = input("Search articles ", 200)
		m.search.SetWidth(max(m.width-18, 10))
		m.hits, m.hit = m.searchHits(), 0
		return m, m.search.Focus()
	case key.Matches(msg, k.Resolve, k.Waiting, k.PassOn):
		q, ok := m.selected()
		if !ok {
			return m, screen.StatusCmd("No query selected: " + k.NewQuery.Help().Key + " records a call")
		}
		if !q.Status.Open() {
			return m, screen.StatusCmd(fmt.Sprintf("Query %d is %s already", q.ID, q.Status))
		}
		m.action, m.questions = domain.QueryResolved, nil
		label := fmt.Sprintf("Query %d resolved how? ", q.ID)
		switch {
		case key.Matches(msg, k.Waiting):
			m.action, label = domain.QueryWaiting, fmt.Sprintf("Query %d waiting for? ", q.ID)
		case key.Matches(msg, k.PassOn):
			m.action, label = domain.QueryPassed, fmt.Sprintf("Pass query %d to which team? ", q.ID)
			// The article's qualifying questions come first: the team
			// should not have to ring the user back to ask them.
			if m.kb != nil && q.Article != "" {
				if a, ok := m.kb.Article(q.Article); ok {
					m.questions = a.Questions
				}
			}
		}
		m.prompt = input(label, 500)
		m.prompt.SetWidth(max(m.width-sanitize.Width(label)-2, 10))
		return m, m.prompt.Focus()
	}
	return m, nil
}

// cycle returns the element after cur, "" after the last (no filter).
func cycle[T ~string](all []T, cur T) T {
	if cur == "" {
		return all[0]
	}
	for i, x := range all {
		if x == cur && i+1 < len(all) {
			return all[i+1]
		}
	}
	return ""
}

func (m Model) updatePrompt(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.d.Keys.Cancel):
		m.prompt, m.questions = nil, nil
		return m, nil
	case key.Matches(msg, m.d.Keys.Submit):
		text := strings.TrimSpace(m.prompt.Value())
		m.prompt, m.questions = nil, nil
		q, ok := m.selected()
		if !ok {
			return m, nil
		}
		st, act, to := m.st, m.d.Act, m.action
		return m, m.d.Requests.Go(screen.Queries, func(ctx context.Context) tea.Msg {
			r, err := st.UpdateQuery(ctx, q.ID, to, text, act)
			return movedMsg{r, err}
		})
	}
	in, cmd := m.prompt.Update(msg)
	*m.prompt = in
	return m, cmd
}

func (m *Model) openForm() tea.Cmd {
	f := &form{channel: domain.ChannelPhone, caller: input("Caller  ", 200), topic: input("Topic   ", 40),
		summary: input("Summary ", 2000), topics: m.st.Topics()}
	w := max(m.width-10, 10)
	f.caller.SetWidth(w)
	f.topic.SetWidth(w)
	f.summary.SetWidth(w)
	m.form = f
	return f.caller.Focus()
}

func (f *form) focused() *textinput.Model {
	switch f.focus {
	case fieldTopic:
		return f.topic
	case fieldSummary:
		if f.resolving {
			return f.resolution
		}
		return f.summary
	}
	return f.caller
}

// matchingTopics are the taxonomy's topics for what was typed.
func (f *form) matchingTopics() domain.Taxonomy { return f.topics.Match(f.topic.Value()) }

func (m Model) updateForm(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	f, k := m.form, m.d.Keys
	switch {
	case key.Matches(msg, k.Cancel):
		if f.resolving {
			f.resolving = false
			return m, f.summary.Focus()
		}
		m.form = nil
		return m, screen.StatusCmd("New query dropped: nothing saved")
	case key.Matches(msg, k.PickChannel):
		f.channel = cycle(domain.Channels, f.channel)
		if f.channel == "" {
			f.channel = domain.Channels[0]
		}
		return m, nil
	case key.Matches(msg, k.NextField):
		return m.moveField(+1)
	case key.Matches(msg, k.PrevField):
		return m.moveField(-1)
	case f.focus == fieldCaller && key.Matches(msg, k.SuggestDown):
		// One past the matches is "someone new".
		f.suggestion = min(f.suggestion+1, len(f.callers))
		return m, nil
	case f.focus == fieldCaller && key.Matches(msg, k.SuggestUp):
		f.suggestion = max(f.suggestion-1, 0)
		return m, nil
	case f.focus == fieldTopic && key.Matches(msg, k.SuggestDown):
		f.topicPick = min(f.topicPick+1, max(len(f.matchingTopics())-1, 0))
		return m, nil
	case f.focus == fieldTopic && key.Matches(msg, k.SuggestUp):
		f.topicPick = max(f.topicPick-1, 0)
		return m, nil
	case key.Matches(msg, k.SaveResolved) && !f.resolving:
		// The caller's question was answered: say how, then save.
		f.focus, f.resolving = fieldSummary, true
		f.resolution = input("Resolved ", 500)
		f.resolution.SetWidth(max(m.width-11, 10))
		f.caller.Blur()
		f.topic.Blur()
		f.summary.Blur()
		return m, f.resolution.Focus()
	case key.Matches(msg, k.Submit):
		return m.save()
	}
	in := f.focused()
	before := f.caller.Value()
	updated, cmd := in.Update(msg)
	*in = updated
	if f.focus == fieldTopic {
		f.topicPick = 0
	}
	if f.focus == fieldCaller && f.caller.Value() != before {
		f.chosen = nil
		return m, tea.Batch(cmd, m.lookUp())
	}
	return m, cmd
}

// lookUp finds callers for what has been typed so far.
func (m Model) lookUp() tea.Cmd {
	f := m.form
	f.typedGen++
	typed, gen, st := f.caller.Value(), f.typedGen, m.st
	if strings.TrimSpace(typed) == "" {
		f.callers = nil
		return nil
	}
	return m.d.Requests.Go(screen.Queries, func(ctx context.Context) tea.Msg {
		cs, err := st.FindCallers(ctx, typed, 5)
		return callersMsg{gen, cs, err}
	})
}

// moveField goes to the next or previous field, taking the highlighted
// caller or topic on the way out of its field.
func (m Model) moveField(d int) (Model, tea.Cmd) {
	f := m.form
	if f.resolving {
		return m, nil
	}
	switch f.focus {
	case fieldCaller:
		if d > 0 && f.chosen == nil && f.suggestion < len(f.callers) {
			c := f.callers[f.suggestion]
			f.chosen = &c
			f.caller.SetValue(c.Contact.Name)
			f.caller.CursorEnd()
		}
	case fieldTopic:
		if ts := f.matchingTopics(); d > 0 && f.topicPick < len(ts) {
			f.topic.SetValue(ts[f.topicPick].Slug)
			f.topic.CursorEnd()
		}
	}
	f.focused().Blur()
	f.focus = field((int(f.focus) + d + 3) % 3)
	return m, f.focused().Focus()
}

// save sends the form to the store: one key from any field.
func (m Model) save() (Model, tea.Cmd) {
	f := m.form
	nq := store.NewQuery{Channel: f.channel, Contact: domain.Contact{Name: strings.TrimSpace(f.caller.Value()), Role: domain.RolePublic},
		Summary: strings.TrimSpace(f.summary.Value())}
	topic := strings.TrimSpace(f.topic.Value())
	if !f.topics.Has(topic) {
		if ts := f.matchingTopics(); topic != "" && len(ts) > 0 {
			topic = ts[min(f.topicPick, len(ts)-1)].Slug
		}
	}
	nq.Topic = topic
	switch {
	case f.chosen != nil && f.chosen.By == "contact":
		nq.Contact = domain.Contact{ID: f.chosen.Contact.ID, Role: f.chosen.Contact.Role}
	case f.chosen != nil:
		// A party named on a case: a new contact about that case.
		nq.Contact.Role, nq.Reference, nq.NewContact = f.chosen.Contact.Role, f.chosen.Reference, true
	default:
		// The officer saw the matches and took none: someone new.
		nq.NewContact = true
	}
	if f.resolving {
		nq.Resolution = strings.TrimSpace(f.resolution.Value())
		if nq.Resolution == "" {
			return m, screen.StatusCmd("Say how it was resolved, or " + m.d.Keys.Cancel.Help().Key + " to save it open")
		}
	}
	switch {
	case nq.Contact.ID == 0 && nq.Contact.Name == "":
		return m, screen.StatusCmd("Not saved: who is calling? Type a name (or \"unknown caller\")")
	case nq.Topic == "" || !f.topics.Has(nq.Topic):
		return m, screen.StatusCmd("Not saved: pick a topic: " + strings.Join(f.topics.Slugs(), ", "))
	case nq.Summary == "":
		return m, screen.StatusCmd("Not saved: say in a line what the call was about")
	}
	st, act := m.st, m.d.Act
	return m, m.d.Requests.Go(screen.Queries, func(ctx context.Context) tea.Msg {
		q, err := st.AddQuery(ctx, nq, act)
		return savedMsg{q, err}
	})
}
