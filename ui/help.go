package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// helpLines draws the full help in the log area: one titled column per key
// group. Disabled keys are left out by help.Model, so the help always says
// what works now.
func (m Model) helpLines(area rect) []string {
	if area.H == 0 {
		return nil
	}
	groups, titles := m.keys.FullHelp(), m.keys.fullHelpTitles()
	cols := make([]string, 0, len(groups))
	for i, g := range groups {
		title := m.st.TableHead.Render(titles[i])
		body := m.help.FullHelpView([][]key.Binding{g})
		cols = append(cols, title+"\n"+body)
	}
	s := lipgloss.JoinHorizontal(lipgloss.Top, spaced(cols)...)
	lines := []string{m.st.PaneTitleActive.Render(pad("─ keys (? or esc closes) ", area.W))}
	for _, l := range strings.Split(s, "\n") {
		lines = append(lines, fit(" "+l, area.W))
	}
	if why := m.disabledSummary(); why != "" {
		lines = append(lines, "", fit(" "+why, area.W))
	}
	return block(lines, area.H)
}

// spaced puts three spaces after every column but the last.
func spaced(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		if i < len(cols)-1 {
			c = lipgloss.NewStyle().PaddingRight(3).Render(c)
		}
		out[i] = c
	}
	return out
}

// disabledSummary lists the node keys that are off and why.
func (m Model) disabledSummary() string {
	var parts []string
	for _, b := range []key.Binding{m.keys.Nodes.Restart, m.keys.Nodes.Kill, m.keys.Nodes.Pause} {
		if !b.Enabled() {
			parts = append(parts, b.Help().Key+" off: "+m.keys.why[b.Help().Key])
		}
	}
	return strings.Join(parts, "; ")
}
