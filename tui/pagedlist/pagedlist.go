// Package pagedlist is a list read from the store a page at a time: the
// rows held, the cursor, the first visible row, the next page fetched
// before the cursor reaches the end, and the real end once a short page
// says so. Only the visible rows are ever rendered.
package pagedlist

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/caseload/caseload/tui/keys"
	"github.com/caseload/caseload/tui/sanitize"
	"github.com/caseload/caseload/tui/screen"
	"github.com/caseload/caseload/tui/theme"
)

// KeyMap is the list's movement keys.
type KeyMap struct{ k *keys.KeyMap }

// Keys are the list keys of the UI's key map.
func Keys(k *keys.KeyMap) KeyMap { return KeyMap{k} }

// ShortHelp implements help.KeyMap: down and up as one "move".
func (m KeyMap) ShortHelp() []key.Binding { return []key.Binding{Move(m.k.Down, m.k.Up, "move")} }

// Move is one binding for two directions, shown "j/k move": the keys are
// whatever the two bindings are bound to.
func Move(down, up key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(append(down.Keys(), up.Keys()...)...),
		key.WithHelp(down.Help().Key+"/"+up.Help().Key, desc))
}

// FullHelp implements help.KeyMap.
func (m KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.k.Down, m.k.Up, m.k.Top, m.k.Bottom, m.k.PageDown, m.k.PageUp}}
}

// Model is the list of T.
type Model[T any] struct {
	KeyMap   KeyMap
	rows     []T
	cursor   int
	top      int
	height   int
	pageSize int
	more     bool // another page may follow
	loading  bool
	loaded   bool
	gen      int // bumps when the query changes: stale pages are dropped
	// base is the place of rows[0] in the whole list: after G the rows
	// held are the end of the list, read backwards from it.
	base int
	// total is the whole list's length counted by the store, -1 while
	// unknown.
	total int
}

// New is an empty list fetched pageSize rows at a time.
func New[T any](k *keys.KeyMap, pageSize int) Model[T] {
	return Model[T]{KeyMap: Keys(k), pageSize: pageSize, height: 1, total: -1}
}

// SetHeight is the number of rows shown.
func (l *Model[T]) SetHeight(h int) { l.height = max(h, 1); l.scroll() }

// Height is the number of rows shown.
func (l Model[T]) Height() int { return l.height }

// Rows are the rows held.
func (l Model[T]) Rows() []T { return l.rows }

// Len is the number of rows held.
func (l Model[T]) Len() int { return len(l.rows) }

// Cursor is the selected row's index.
func (l Model[T]) Cursor() int { return l.cursor }

// Loaded reports whether the first page has arrived.
func (l Model[T]) Loaded() bool { return l.loaded }

// Loading reports whether a page is on its way.
func (l Model[T]) Loading() bool { return l.loading }

// Current is the selected row.
func (l Model[T]) Current() (T, bool) {
	var zero T
	if l.cursor < 0 || l.cursor >= len(l.rows) {
		return zero, false
	}
	return l.rows[l.cursor], true
}

// Visible is the range of rows on screen.
func (l Model[T]) Visible() (from, to int) {
	return l.top, min(l.top+l.height, len(l.rows))
}

// Position says where the cursor is in the whole list: "12 of 1,966"
// once the store has counted it, "3 of 200+" while more pages may follow.
func (l Model[T]) Position() string {
	if len(l.rows) == 0 {
		return "none"
	}
	if l.total >= 0 {
		return Thousands(l.base+l.cursor+1) + " of " + Thousands(max(l.total, l.base+len(l.rows)))
	}
	more := ""
	if l.more {
		more = "+"
	}
	return fmt.Sprintf("%s of %s%s", Thousands(l.base+l.cursor+1), Thousands(len(l.rows)), more)
}

// Total is the whole list's length as the store counted it (-1 unknown).
func (l Model[T]) Total() int { return l.total }

// SetTotal records the store's count of the whole list.
func (l *Model[T]) SetTotal(n int) { l.total = n }

// Index is the selected row's place in the whole list (0 is the first).
func (l Model[T]) Index() int { return l.base + l.cursor }

// Thousands writes n with thousands separators: 1,966.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// Update moves the cursor for a movement key; moved is false for any other
// key. A true next means the next page should be fetched now.
func (l *Model[T]) Update(msg tea.KeyPressMsg) (moved, next bool) {
	k := l.KeyMap.k
	switch {
	case key.Matches(msg, k.Up):
		l.Move(-1)
	case key.Matches(msg, k.Down):
		l.Move(1)
	case key.Matches(msg, k.PageUp):
		l.Move(-l.height)
	case key.Matches(msg, k.PageDown):
		l.Move(l.height)
	case key.Matches(msg, k.Top):
		l.Move(-len(l.rows))
	case key.Matches(msg, k.Bottom):
		l.Move(len(l.rows))
	default:
		return false, false
	}
	return true, l.WantMore()
}

// Move moves the cursor by delta rows, within the rows held.
func (l *Model[T]) Move(delta int) {
	if len(l.rows) == 0 {
		return
	}
	l.cursor = min(max(l.cursor+delta, 0), len(l.rows)-1)
	l.scroll()
}

func (l *Model[T]) scroll() {
	if l.cursor < l.top {
		l.top = l.cursor
	}
	if l.cursor >= l.top+l.height {
		l.top = l.cursor - l.height + 1
	}
	l.top = max(l.top, 0)
}

// WantMore reports whether the next page should be fetched: the cursor is
// within two screens of the end of what is held.
func (l Model[T]) WantMore() bool {
	return l.more && !l.loading && l.cursor > len(l.rows)-l.height*2
}

// Reset empties the list for a new query; pages of the old one are dropped.
func (l *Model[T]) Reset() {
	l.rows, l.cursor, l.top, l.more, l.loaded, l.loading = nil, 0, 0, false, false, false
	l.base, l.total = 0, -1
	l.gen++
}

// Next marks a page as on its way and says which: the query's generation
// and the offset to read from.
func (l *Model[T]) Next() (gen, offset int) {
	l.loading = true
	return l.gen, l.base + len(l.rows)
}

// Page takes a page read at offset for generation gen; false if it is
// stale (the query changed since) and was dropped.
func (l *Model[T]) Page(gen, offset int, rows []T) bool {
	if gen != l.gen {
		return false
	}
	l.loading, l.loaded = false, true
	if offset < l.base {
		// Read again from the start: what was held from further on goes.
		l.rows, l.base = nil, offset
	}
	offset = min(offset-l.base, len(l.rows))
	l.rows = append(l.rows[:offset:offset], rows...)
	l.more = l.pageSize > 0 && len(rows) == l.pageSize
	l.cursor = min(l.cursor, max(len(l.rows)-1, 0))
	l.scroll()
	return true
}

// Failed marks the page asked for gen as not coming.
func (l *Model[T]) Failed(gen int) bool {
	if gen != l.gen {
		return false
	}
	l.loading, l.loaded = false, true
	return true
}

// Gen is the current query's generation.
func (l Model[T]) Gen() int { return l.gen }

// Select moves the cursor to the first row that matches; false (cursor
// unmoved) if none does.
func (l *Model[T]) Select(match func(T) bool) bool {
	for i, r := range l.rows {
		if match(r) {
			l.cursor = i
			l.scroll()
			return true
		}
	}
	return false
}

// Remove takes the selected row out (it was acted on).
func (l *Model[T]) Remove() {
	if l.cursor < 0 || l.cursor >= len(l.rows) {
		return
	}
	l.rows = append(l.rows[:l.cursor:l.cursor], l.rows[l.cursor+1:]...)
	l.cursor = min(l.cursor, max(len(l.rows)-1, 0))
	l.scroll()
}

// Row draws one row: the selection marked with the style's pointer as
// well as its selected style, the bar padded to exactly w cells (cut with
// "…" only when the text itself is too long). s is already sanitised.
func Row(st *theme.Styles, selected bool, s string, w int) string {
	if selected {
		return st.Selected.Render(fill(st.Pointer, s, w))
	}
	return fill("  ", s, w)
}

// fill is gutter+s padded or cut to w cells.
func fill(gutter, s string, w int) string {
	n := sanitize.WidthOf2(gutter, s)
	if n > w {
		return sanitize.Cut(gutter+s, w)
	}
	return gutter + s + strings.Repeat(" ", w-n)
}

// Header is a list's column header with the position at its right end:
// the columns are cut before the position is.
func Header(st *theme.Styles, cols, pos string, w int) string {
	if pos == "" {
		return st.Muted.Render(sanitize.Fit(cols, w))
	}
	pw := sanitize.Width(pos)
	if pw+2 > w {
		return st.Muted.Render(sanitize.Fit(pos, w))
	}
	left := sanitize.Fit(cols, w-pw-2)
	return st.Muted.Render(left + strings.Repeat(" ", w-pw-sanitize.Width(left)) + pos)
}

// ColumnWidth is the width of the widest text of the rows held, between
// least and most: a column takes its real width, so what is beside it is
// cut only when it must be, and it does not change as the list scrolls.
func ColumnWidth[T any](l *Model[T], text func(T) string, least, most int) int {
	w := least
	for _, r := range l.rows {
		if w >= most {
			break
		}
		w = max(w, sanitize.Width(sanitize.Line(text(r))))
	}
	return min(w, max(most, least))
}

// MarkGlyph is drawn in the gutter of a row marked for bulk work: a
// symbol, never colour alone.
const MarkGlyph = "*"

// MarkedRow is Row on a list whose rows can be marked for bulk work: a
// marked row has MarkGlyph in its gutter, beside the pointer when it is
// also the selection.
func MarkedRow(st *theme.Styles, selected, marked bool, s string, w int) string {
	if !marked {
		return Row(st, selected, s, w)
	}
	if selected {
		pointer := []rune(st.Pointer)
		return st.Selected.Render(fill(string(pointer[:1])+MarkGlyph, s, w))
	}
	return fill(" "+MarkGlyph, s, w)
}

// Empty is the line shown while the first page is on its way, or what.
func Empty(st *theme.Styles, loaded bool, what string, w int) string {
	if !loaded {
		return st.Muted.Render(sanitize.Fit("Loading…", w))
	}
	return st.Muted.Render(sanitize.Fit(what, w))
}

// PageMsg is a page read for a list: which query (Gen) and from where.
type PageMsg[T any] struct {
	Gen, Offset int
	Rows        []T
	Err         error
}

// Fetch reads the next page in a command for screen id; its PageMsg comes
// back to that screen for Take.
func (l *Model[T]) Fetch(r *screen.Requests, id screen.ID, read func(ctx context.Context, offset, limit int) ([]T, error)) tea.Cmd {
	gen, offset := l.Next()
	return l.fetch(r, id, gen, offset, read)
}

// Refetch reads the first page again; the rows held stay on screen until
// it arrives, and pages still on their way are dropped.
func (l *Model[T]) Refetch(r *screen.Requests, id screen.ID, read func(ctx context.Context, offset, limit int) ([]T, error)) tea.Cmd {
	l.gen++
	l.loading = true
	return l.fetch(r, id, l.gen, 0, read)
}

func (l *Model[T]) fetch(r *screen.Requests, id screen.ID, gen, offset int, read func(ctx context.Context, offset, limit int) ([]T, error)) tea.Cmd {
	limit := l.pageSize
	return r.Go(id, func(ctx context.Context) tea.Msg {
		rows, err := read(ctx, offset, limit)
		return PageMsg[T]{gen, offset, rows, err}
	})
}

// Take takes a page (dropped if stale); a failure of the current query
// is a status line saying what could not be read.
func (l *Model[T]) Take(msg PageMsg[T], what string) tea.Cmd {
	if msg.Err != nil {
		if l.Failed(msg.Gen) {
			return screen.StatusCmd("Could not read " + what + ": " + sanitize.Line(msg.Err.Error()))
		}
		return nil
	}
	l.Page(msg.Gen, msg.Offset, msg.Rows)
	return nil
}

// Unread reports whether no page has been read or asked for.
func (l Model[T]) Unread() bool { return !l.loaded && !l.loading }

// Source is how a list is read from the store.
type Source[T any] struct {
	// Page reads limit rows from offset, in the list's order.
	Page func(ctx context.Context, offset, limit int) ([]T, error)
	// Back reads the limit rows that come before the last skip rows, in
	// the list's order: the store reads its index backwards, so the end of
	// the list costs what its start does. nil: G goes to the last row
	// held.
	Back func(ctx context.Context, skip, limit int) ([]T, error)
	// Count is the whole list's length (an indexed count); nil: not
	// counted, and the position says "200+".
	Count func(ctx context.Context) (int, error)
}

// CountMsg is the store's count of a list.
type CountMsg[T any] struct {
	Gen, N int
	Err    error
}

// endMsg is the last page of a list, read backwards, with its count.
type endMsg[T any] struct {
	gen, total int
	rows       []T
	err        error
}

// backMsg is the page before the rows held.
type backMsg[T any] struct {
	gen, offset int
	rows        []T
	err         error
}

// Load reads the list from the start: its first page, and its count.
func (l *Model[T]) Load(r *screen.Requests, id screen.ID, src Source[T]) tea.Cmd {
	l.Reset()
	cmds := []tea.Cmd{l.Fetch(r, id, src.Page)}
	if src.Count != nil {
		gen, count := l.gen, src.Count
		cmds = append(cmds, r.Go(id, func(ctx context.Context) tea.Msg {
			n, err := count(ctx)
			return CountMsg[T]{gen, n, err}
		}))
	}
	return tea.Batch(cmds...)
}

// Key moves the cursor for a movement key and says what to read for it:
// the next page as the cursor nears the end of the rows held, the page
// before after G, the last page for G and the first for g. moved is false
// for any other key.
func (l *Model[T]) Key(msg tea.KeyPressMsg, r *screen.Requests, id screen.ID, src Source[T]) (moved bool, cmd tea.Cmd) {
	k := l.KeyMap.k
	switch {
	case key.Matches(msg, k.Bottom) && l.more && src.Back != nil:
		return true, l.end(r, id, src)
	case key.Matches(msg, k.Top) && l.base > 0:
		// The start is not held: read it again (the count stands).
		l.gen++
		l.rows, l.base, l.cursor, l.top, l.more = nil, 0, 0, 0, false
		return true, l.Fetch(r, id, src.Page)
	}
	moved, next := l.Update(msg)
	if !moved {
		return false, nil
	}
	if next {
		return true, l.Fetch(r, id, src.Page)
	}
	if l.base > 0 && !l.loading && src.Back != nil && l.cursor < l.height*2 && l.total >= 0 {
		gen, skip, limit, back := l.gen, l.total-l.base, min(l.pageSize, l.base), src.Back
		offset := l.base - limit
		l.loading = true
		return true, r.Go(id, func(ctx context.Context) tea.Msg {
			rows, err := back(ctx, skip, limit)
			return backMsg[T]{gen, offset, rows, err}
		})
	}
	return true, nil
}

func (l *Model[T]) end(r *screen.Requests, id screen.ID, src Source[T]) tea.Cmd {
	l.gen++
	l.loading = true
	gen, limit, back, count := l.gen, l.pageSize, src.Back, src.Count
	return r.Go(id, func(ctx context.Context) tea.Msg {
		// Counted first, in the same command: the position of the rows
		// read is the count less what follows them.
		total := -1
		if count != nil {
			n, err := count(ctx)
			if err != nil {
				return endMsg[T]{gen: gen, err: err}
			}
			total = n
		}
		rows, err := back(ctx, 0, limit)
		if total < 0 {
			total = len(rows)
		}
		return endMsg[T]{gen, total, rows, err}
	})
}

// TakeMsg takes any of the list's own results (pages, the count, the end
// and the page before); handled is false for any other message.
func (l *Model[T]) TakeMsg(msg tea.Msg, what string) (handled bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case PageMsg[T]:
		return true, l.Take(msg, what)
	case CountMsg[T]:
		if msg.Gen == l.gen {
			if msg.Err != nil {
				return true, screen.StatusCmd("Could not count " + what + ": " + sanitize.Line(msg.Err.Error()))
			}
			l.total = msg.N
		}
		return true, nil
	case endMsg[T]:
		if msg.gen != l.gen {
			return true, nil
		}
		l.loading, l.loaded = false, true
		if msg.err != nil {
			return true, screen.StatusCmd("Could not read the end of " + what + ": " + sanitize.Line(msg.err.Error()))
		}
		l.rows, l.total, l.more = msg.rows, msg.total, false
		l.base = max(msg.total-len(msg.rows), 0)
		l.cursor = max(len(l.rows)-1, 0)
		l.top = 0
		l.scroll()
		return true, nil
	case backMsg[T]:
		if msg.gen != l.gen {
			return true, nil
		}
		l.loading = false
		if msg.err != nil {
			return true, screen.StatusCmd("Could not read " + what + ": " + sanitize.Line(msg.err.Error()))
		}
		n := len(msg.rows)
		l.rows = append(msg.rows[:n:n], l.rows...)
		l.base = max(l.base-n, 0)
		if n == 0 {
			l.base = 0 // the list shrank: what is held is its start
		}
		l.cursor += n
		l.top += n
		l.scroll()
		return true, nil
	}
	return false, nil
}
