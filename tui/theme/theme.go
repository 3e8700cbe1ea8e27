// Package theme builds every Lip Gloss style the UI uses, once, from the
// user's colour settings: one theme whose colours follow the terminal's
// background (lipgloss.LightDark), and a plain set for screen readers.
package theme

import (
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

	Header, Title, Tab, ActiveTab, Muted, Label, Selected, Status, Error, Help lipgloss.Style
	Overdue, Today, Soon, Late, Suggest, Key, Border                           lipgloss.Style
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
	s.Header = pick("#1F4E79", "#9CC3E6").Bold(true)
	s.Title = lipgloss.NewStyle().Bold(true)
	s.Tab = pick("#555555", "#AAAAAA")
	s.ActiveTab = lipgloss.NewStyle().Bold(true).Reverse(!plain)
	s.Muted = pick("#666666", "#8A8A8A")
	s.Label = pick("#555555", "#9A9A9A")
	s.Selected = lipgloss.NewStyle().Reverse(!plain)
	s.Status = pick("#1F4E79", "#9CC3E6")
	s.Error = pick("#B00020", "#FF6B6B").Bold(true)
	s.Help = pick("#666666", "#8A8A8A")
	s.Overdue = pick("#B00020", "#FF6B6B").Bold(true)
	s.Today = pick("#9A6700", "#F2CC60").Bold(true)
	s.Soon = pick("#1F4E79", "#9CC3E6")
	s.Late = pick("#B00020", "#FF6B6B")
	s.Suggest = pick("#116329", "#7EE787").Bold(true)
	s.Key = lipgloss.NewStyle().Bold(true)
	s.Border = pick("#888888", "#555555")
	return s
}
