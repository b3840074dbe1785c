package ui

import "fmt"

// statusLine draws the status line: the text input or the confirm prompt
// when one is open, otherwise the last message, with the view and the
// focused pane's scroll state on the right.
func (m Model) statusLine(w int) string {
	st := m.st
	switch {
	case m.confirm != nil:
		return fit(st.Confirm.Render(m.confirm.prompt), w)
	case m.mode != inputNone:
		return fit(m.input.View(), w)
	}
	right := m.view.String()
	if m.zoomed {
		right += " zoomed"
	}
	if m.focusLogs || m.zoomed {
		right += " · logs"
	} else {
		right += " · table"
	}
	if !m.paneState(m.focusKey()).follow {
		right += " · scrolled"
	}
	if m.filter != "" {
		right += " · filter " + m.filter
	}
	if m.search.active() {
		right += fmt.Sprintf(" · /%s", m.search.query)
	}
	left := m.status
	if left != "" {
		if m.statusErr {
			left = st.Error.Render(left)
		} else {
			left = st.Status.Render(left)
		}
	}
	return spread(left, st.Status.Render(right), w)
}
