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
	lines := []string{m.st.PaneTitleActive.Render(pad("─ keys (? or esc closes) ", area.W))}
	// Columns go left to right and wrap to a new band when the width ends.
	for len(cols) > 0 {
		n, w := 0, 1
		for n < len(cols) && (n == 0 || w+lipgloss.Width(cols[n])+3 <= area.W) {
			w += lipgloss.Width(cols[n]) + 3
			n++
		}
		s := lipgloss.JoinHorizontal(lipgloss.Top, spaced(cols[:n])...)
		for _, l := range strings.Split(s, "\n") {
			lines = append(lines, fit(" "+strings.TrimRight(l, " "), area.W))
		}
		cols = cols[n:]
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

// disabledSummary lists the action keys that are off and why.
func (m Model) disabledSummary() string {
	var parts []string
	for _, b := range m.keys.guarded() {
		if b.Help().Key == m.keys.Logs.Next.Help().Key || b.Help().Key == m.keys.Logs.Prev.Help().Key {
			continue
		}
		if !b.Enabled() {
			parts = append(parts, b.Help().Key+" off: "+m.keys.why[b.Help().Key])
		}
	}
	return strings.Join(parts, "; ")
}
