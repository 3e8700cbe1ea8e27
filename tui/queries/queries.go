// Package queries is the service centre's Queries screen: open queries by
// service-level urgency, filtered by channel, topic and status, and the
// fast call-entry form (N): the caller found as they are typed, a topic
// from the taxonomy, a summary, saved with one key.
//
// It is a component for the root model to embed: New, Update, View
// (exactly the size given by SetSize) and a KeyMap that implements
// help.KeyMap. It reads and writes only through Store, in tea.Cmds.
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
	"github.com/caseload/caseload/tui/sanitize"
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

// KeyMap are the screen's keys; every one can be rebound.
type KeyMap struct {
	Up, Down      key.Binding
	New           key.Binding
	Resolve       key.Binding
	Wait          key.Binding
	Pass          key.Binding // pass to a team, after the article's qualifying questions
	Article       key.Binding // search the knowledge base for the selected query
	Channel       key.Binding // filter: cycle the channel
	Topic         key.Binding // filter: cycle the topic
	Status        key.Binding // filter: cycle the status
	Refresh       key.Binding
	Next, Prev    key.Binding // form: next and previous field
	Pick          key.Binding // form: cycle the query's channel
	Save          key.Binding
	SaveResolved  key.Binding // form: save, resolved there and then
	Cancel        key.Binding
	SuggestUp     key.Binding
	SuggestDown   key.Binding
	formShortHelp bool
}

// DefaultKeyMap: vim keys and arrows to move, N for a new query.
func DefaultKeyMap() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return KeyMap{
		Up:           b("up", "k", "up"),
		Down:         b("down", "j", "down"),
		New:          b("new query", "N"),
		Resolve:      b("resolve", "r"),
		Wait:         b("waiting on user", "w"),
		Pass:         b("pass to a team", "p"),
		Article:      b("knowledge base", "a"),
		Channel:      b("channel filter", "c"),
		Topic:        b("topic filter", "t"),
		Status:       b("status filter", "s"),
		Refresh:      b("refresh", "g"),
		Next:         b("next field", "tab"),
		Prev:         b("previous field", "shift+tab"),
		Pick:         b("channel", "ctrl+o"),
		Save:         b("save", "enter"),
		SaveResolved: b("save resolved", "ctrl+s"),
		Cancel:       b("back", "esc"),
		SuggestUp:    b("previous match", "up"),
		SuggestDown:  b("next match", "down"),
	}
}

// ShortHelp is the list's keys, or the form's while it is open.
func (k KeyMap) ShortHelp() []key.Binding {
	if k.formShortHelp {
		return []key.Binding{k.Next, k.Pick, k.Save, k.SaveResolved, k.Cancel}
	}
	return []key.Binding{k.New, k.Article, k.Resolve, k.Pass, k.Wait, k.Channel, k.Topic, k.Status}
}

// FullHelp is every key, by group.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Refresh},
		{k.New, k.Article, k.Resolve, k.Pass, k.Wait},
		{k.Channel, k.Topic, k.Status},
		{k.Next, k.Prev, k.SuggestUp, k.SuggestDown, k.Pick, k.Save, k.SaveResolved, k.Cancel},
	}
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
	st      Store
	act     store.ActOptions
	keys    KeyMap
	rows    []domain.Query
	cursor  int
	filter  store.QueryFilter
	loading bool
	gen     int
	form    *form
	prompt  *textinput.Model // resolving, waiting or passing: the line typed
	action  domain.QueryStatus
	// questions are the qualifying questions shown above the pass prompt.
	questions []string
	kb        *domain.KnowledgeBase
	// search is the knowledge-base search line; hits what it finds.
	search *textinput.Model
	hits   []domain.Article
	hit    int
	width  int
	height int
	// Status is a line for the root's status bar.
	Status string
	// Changed tells the root the database changed (refresh counts, inbox).
	Changed bool
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
func New(st Store, act store.ActOptions, km KeyMap, kb *domain.KnowledgeBase) Model {
	return Model{st: st, act: act, keys: km, kb: kb, filter: store.QueryFilter{Open: true}}
}

// Init loads the open queries.
func (m Model) Init() tea.Cmd { return m.load() }

func (m *Model) load() tea.Cmd {
	m.loading = true
	m.gen++
	st, f, gen := m.st, m.filter, m.gen
	return func() tea.Msg {
		rows, err := st.Queries(context.Background(), f, 0, Page)
		return loadedMsg{gen, rows, err}
	}
}

// SetSize tells the screen its size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Keys is the key map in force, for the root's help (it follows the form).
func (m Model) Keys() KeyMap {
	k := m.keys
	k.formShortHelp = m.form != nil
	return k
}

// Typing reports whether a text field has the keyboard, so the root
// does not take q or a tab key for itself.
func (m Model) Typing() bool { return m.form != nil || m.prompt != nil || m.search != nil }

// Rows are the queries listed.
func (m Model) Rows() []domain.Query { return m.rows }

// Update handles keys and the results of the screen's commands.
//
// Status holds until the next key; Changed is set by the message that
// saved something and the reload it starts.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg.(type) {
	case tea.KeyPressMsg:
		m.Status, m.Changed = "", false
	case loadedMsg, callersMsg:
	default:
		m.Changed = false
	}
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading = false
		if msg.err != nil {
			m.Status = "Could not read the queries: " + sanitize.Line(msg.err.Error())
			return m, nil
		}
		m.rows = msg.rows
		m.cursor = min(m.cursor, max(len(m.rows)-1, 0))
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
				m.Status = "Not saved: the number or address matches an earlier contact; pick them from the matches"
			} else {
				m.Status = "Not saved: " + sanitize.Line(msg.err.Error())
			}
			return m, nil
		}
		m.form = nil
		m.Changed = true
		m.Status = describeSaved(msg.q)
		return m, m.load()
	case movedMsg:
		if msg.err != nil {
			m.Status = "Not saved: " + sanitize.Line(msg.err.Error())
			return m, nil
		}
		m.Changed = true
		m.Status = fmt.Sprintf("query %d %s", msg.q.ID, msg.q.Status)
		if msg.q.Reference != "" {
			m.Status = fmt.Sprintf("%s: query %d %s", msg.q.Reference, msg.q.ID, msg.q.Status)
		}
		if msg.q.FirstContact {
			m.Status += " at first contact"
		}
		return m, m.load()
	case articleMsg:
		if msg.err != nil {
			m.Status = "Not saved: " + sanitize.Line(msg.err.Error())
			return m, nil
		}
		m.Changed = true
		m.Status = fmt.Sprintf("query %d answered from %s", msg.id, sanitize.Line(msg.article.Title))
		if len(msg.article.Questions) > 0 {
			m.Status += "; before passing it on, ask: " + sanitize.Line(strings.Join(msg.article.Questions, " "))
		}
		return m, m.load()
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
	case key.Matches(msg, m.keys.Cancel):
		m.search, m.hits = nil, nil
		return m, nil
	case key.Matches(msg, m.keys.SuggestDown):
		m.hit = min(m.hit+1, max(len(m.hits)-1, 0))
		return m, nil
	case key.Matches(msg, m.keys.SuggestUp):
		m.hit = max(m.hit-1, 0)
		return m, nil
	case key.Matches(msg, m.keys.Save):
		q, ok := m.selected()
		if !ok || m.hit >= len(m.hits) {
			return m, nil
		}
		a := m.hits[m.hit]
		m.search, m.hits = nil, nil
		st, act := m.st, m.act
		return m, func() tea.Msg {
			return articleMsg{q.ID, a, st.UseArticle(context.Background(), q.ID, a.ID, act)}
		}
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
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, k.Down):
		m.cursor = min(m.cursor+1, max(len(m.rows)-1, 0))
	case key.Matches(msg, k.New):
		return m.openForm()
	case key.Matches(msg, k.Refresh):
		return m, m.load()
	case key.Matches(msg, k.Channel):
		m.filter.Channel = cycle(domain.Channels, m.filter.Channel)
		m.cursor = 0
		return m, m.load()
	case key.Matches(msg, k.Topic):
		m.filter.Topic = cycle(m.st.Topics().Slugs(), m.filter.Topic)
		m.cursor = 0
		return m, m.load()
	case key.Matches(msg, k.Status):
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
		if m.kb == nil {
			m.Status = "no knowledge base"
			return m, nil
		}
		if _, ok := m.selected(); !ok {
			return m, nil
		}
		m.search = input("Search articles ", 200)
		m.search.SetWidth(max(m.width-18, 10))
		m.hits, m.hit = m.searchHits(), 0
		return m, m.search.Focus()
	case key.Matches(msg, k.Resolve), key.Matches(msg, k.Wait), key.Matches(msg, k.Pass):
		q, ok := m.selected()
		if !ok || !q.Status.Open() {
			return m, nil
		}
		m.action, m.questions = domain.QueryResolved, nil
		label := fmt.Sprintf("Query %d resolved how? ", q.ID)
		switch {
		case key.Matches(msg, k.Wait):
			m.action, label = domain.QueryWaiting, fmt.Sprintf("Query %d waiting for? ", q.ID)
		case key.Matches(msg, k.Pass):
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
	case key.Matches(msg, m.keys.Cancel):
		m.prompt, m.questions = nil, nil
		return m, nil
	case key.Matches(msg, m.keys.Save):
		text := strings.TrimSpace(m.prompt.Value())
		m.prompt, m.questions = nil, nil
		q, ok := m.selected()
		if !ok {
			return m, nil
		}
		st, act, to := m.st, m.act, m.action
		return m, func() tea.Msg {
			r, err := st.UpdateQuery(context.Background(), q.ID, to, text, act)
			return movedMsg{r, err}
		}
	}
	in, cmd := m.prompt.Update(msg)
	*m.prompt = in
	return m, cmd
}

func (m Model) openForm() (Model, tea.Cmd) {
	f := &form{channel: domain.ChannelPhone, caller: input("Caller  ", 200), topic: input("Topic   ", 40),
		summary: input("Summary ", 2000), topics: m.st.Topics()}
	w := max(m.width-10, 10)
	f.caller.SetWidth(w)
	f.topic.SetWidth(w)
	f.summary.SetWidth(w)
	m.form = f
	return m, f.caller.Focus()
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
	f, k := m.form, m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		if f.resolving {
			f.resolving = false
			return m, f.summary.Focus()
		}
		m.form = nil
		m.Status = "new query dropped"
		return m, nil
	case key.Matches(msg, k.Pick):
		f.channel = cycle(domain.Channels, f.channel)
		if f.channel == "" {
			f.channel = domain.Channels[0]
		}
		return m, nil
	case key.Matches(msg, k.Next):
		return m.moveField(+1)
	case key.Matches(msg, k.Prev):
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
	case key.Matches(msg, k.Save):
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
	return func() tea.Msg {
		cs, err := st.FindCallers(context.Background(), typed, 5)
		return callersMsg{gen, cs, err}
	}
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
			m.Status = "say how it was resolved, or esc to save it open"
			return m, nil
		}
	}
	switch {
	case nq.Contact.ID == 0 && nq.Contact.Name == "":
		m.Status = "Who is calling? Type a name (or \"unknown caller\")"
		return m, nil
	case nq.Topic == "" || !f.topics.Has(nq.Topic):
		m.Status = "Pick a topic: " + strings.Join(f.topics.Slugs(), ", ")
		return m, nil
	case nq.Summary == "":
		m.Status = "Say in a line what the call was about"
		return m, nil
	}
	st, act := m.st, m.act
	return m, func() tea.Msg {
		q, err := st.AddQuery(context.Background(), nq, act)
		return savedMsg{q, err}
	}
}
