// Package theme builds every Lip Gloss style the UI uses, once, from the
// user's colour settings.
package theme

import (
	"charm.land/lipgloss/v2"
)

// Styles are built once at start-up (and again only if the background
// colour is reported); views never build styles.
type Styles struct {
	Plain bool // screen-reader mode: no borders, state in words
	Color bool

	Header, Title, Tab, ActiveTab, Muted, Label, Value, Selected, Status, Error, Help lipgloss.Style
	Overdue, Today, Soon, Late, Suggest, Key, Border                                  lipgloss.Style
}

// New builds the styles. noColor (NO_COLOR, --no-color) leaves only bold
// and reverse video, which carry meaning without colour.
func New(noColor, plain, dark bool) Styles {
	s := Styles{Plain: plain, Color: !noColor}
	pick := func(light, darkC string) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle()
		}
		if dark {
			return lipgloss.NewStyle().Foreground(lipgloss.Color(darkC))
		}
		return lipgloss.NewStyle().Foreground(lipgloss.Color(light))
	}
	s.Header = pick("#1F4E79", "#9CC3E6").Bold(true)
	s.Title = lipgloss.NewStyle().Bold(true)
	s.Tab = pick("#555555", "#AAAAAA")
	s.ActiveTab = lipgloss.NewStyle().Bold(true).Reverse(true)
	s.Muted = pick("#666666", "#8A8A8A")
	s.Label = pick("#555555", "#9A9A9A")
	s.Value = lipgloss.NewStyle()
	s.Selected = lipgloss.NewStyle().Reverse(true)
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
