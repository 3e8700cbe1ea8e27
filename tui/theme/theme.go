// Package theme builds every Lip Gloss style the UI uses, once, from the
// user's colour settings: one theme whose colours follow the terminal's
// background (lipgloss.LightDark), and a plain set for screen readers.
package theme

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Styles are built once at start-up (and again only if the background
// colour is reported); views never build styles.
type Styles struct {
	// Plain is the screen-reader set: no reverse video or borders, the
	// selection marked "> ", one column (the pane over the list).
	Plain bool
	// Pointer marks the selected row ("▸ ", or "> " in plain), and
	// ActiveTab's label goes between TabMarks: the selection never
	// depends on colour or reverse video alone.
	Pointer  string
	TabMarks [2]string

	Header, Title, Tab, ActiveTab, Muted, Label, Selected, Status, Error, Help Style
	Overdue, Today, Soon, Late, Suggest, Key, Border                           Style
}

// Style is a Lip Gloss style that renders one line of text without Lip
// Gloss's general path when it can: a style of colours and attributes only
// (no width, padding, margins, border, transform) wraps a line in the same
// SGR sequences every time, and Lip Gloss measures every line it renders
// for margins it does not have. That measuring was most of a frame.
type Style struct {
	lipgloss.Style
	// open and close are what the style puts before and after a line;
	// simple says they are all it does to one.
	open, close string
	simple      bool
}

// NewStyle wraps a Lip Gloss style.
func NewStyle(l lipgloss.Style) Style {
	s := Style{Style: l}
	link, _ := l.GetHyperlink()
	s.simple = l.GetWidth() == 0 && l.GetHeight() == 0 && l.GetMaxWidth() == 0 && l.GetMaxHeight() == 0 &&
		l.GetHorizontalFrameSize() == 0 && l.GetVerticalFrameSize() == 0 && l.GetBorderStyle() == (lipgloss.Border{}) &&
		l.GetTransform() == nil && !l.GetInline() && !l.GetUnderline() && !l.GetStrikethrough() &&
		!l.GetUnderlineSpaces() && !l.GetStrikethroughSpaces() && link == "" && l.Value() == ""
	if s.simple {
		// X is never part of an SGR sequence.
		r := l.Render("X")
		i := strings.IndexByte(r, 'X')
		s.open, s.close = r[:i], r[i+1:]
	}
	return s
}

// Render is lipgloss.Style.Render, byte for byte: one line (no line
// break, no tab) in a simple style is wrapped in its sequences.
func (s Style) Render(strs ...string) string {
	if !s.simple || len(strs) != 1 || strings.ContainsAny(strs[0], "\n\t") {
		return s.Style.Render(strs...)
	}
	if s.open == "" && s.close == "" {
		return strs[0]
	}
	return s.open + strs[0] + s.close
}

// New builds the styles. noColor (NO_COLOR, --no-color) leaves only bold
// and reverse video, which carry meaning without colour; plain drops
// reverse video too.
func New(noColor, plain, dark bool) Styles {
	s := Styles{Plain: plain, Pointer: "▸ ", TabMarks: [2]string{" ", " "}}
	if plain {
		s.Pointer, s.TabMarks = "> ", [2]string{"[", "]"}
	}
	lightDark := lipgloss.LightDark(dark)
	pick := func(light, darkC string) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(lightDark(lipgloss.Color(light), lipgloss.Color(darkC)))
	}
	n := NewStyle
	s.Header = n(pick("#1F4E79", "#9CC3E6").Bold(true))
	s.Title = n(lipgloss.NewStyle().Bold(true))
	s.Tab = n(pick("#555555", "#AAAAAA"))
	s.ActiveTab = n(lipgloss.NewStyle().Bold(true).Reverse(!plain))
	s.Muted = n(pick("#666666", "#8A8A8A"))
	s.Label = n(pick("#555555", "#9A9A9A"))
	s.Selected = n(lipgloss.NewStyle().Reverse(!plain))
	s.Status = n(pick("#1F4E79", "#9CC3E6"))
	s.Error = n(pick("#B00020", "#FF6B6B").Bold(true))
	s.Help = n(pick("#666666", "#8A8A8A"))
	s.Overdue = n(pick("#B00020", "#FF6B6B").Bold(true))
	s.Today = n(pick("#9A6700", "#F2CC60").Bold(true))
	s.Soon = n(pick("#1F4E79", "#9CC3E6"))
	s.Late = n(pick("#B00020", "#FF6B6B"))
	s.Suggest = n(pick("#116329", "#7EE787").Bold(true))
	s.Key = n(lipgloss.NewStyle().Bold(true))
	s.Border = n(pick("#888888", "#555555"))
	return s
}
