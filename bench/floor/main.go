// Command floor is the smallest Bubble Tea program that redraws on a key: a
// counter that j and k move. bench/run.sh times it in tmux exactly as it times
// caseload, so the table can show what tmux and the frame pacing cost by
// themselves on the machine measuring.
package main

import (
	"fmt"
	"os"
	"strconv"

	tea "charm.land/bubbletea/v2"
)

type model struct{ n int }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "j":
			m.n++
		case "k":
			m.n--
		case "q":
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m model) View() tea.View { return tea.NewView(fmt.Sprintf("Inbox\n\nrow %d\n", m.n)) }

func main() {
	if _, err := tea.NewProgram(model{}, tea.WithFPS(fps())).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// fps is FLOOR_FPS, or Bubble Tea's default (60).
func fps() int {
	n, _ := strconv.Atoi(os.Getenv("FLOOR_FPS"))
	return n
}
