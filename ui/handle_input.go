package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// handleConfirm answers a pending y/n question.
func (m Model) handleConfirm(msg tea.KeyMsg) (Model, tea.Cmd) {
	c := m.confirm
	m.confirm = nil
	switch msg.String() {
	case "y", "Y", "enter":
		if c.op != nil {
			m.panel, m.view = panelNone, c.then
			m, cmd := m.startOp(*c.op)
			m, rcmd := m.scheduleResize()
			return m, tea.Batch(cmd, rcmd)
		}
		return m.startAction(c.act, c.node)
	}
	return m.setStatus("cancelled", false), nil
}

// openInput starts collecting a search or filter in the status line.
func (m Model) openInput(mode inputMode, prompt, value string) (Model, tea.Cmd) {
	m.mode = mode
	m.input.Prompt = prompt
	m.input.SetValue(value)
	m.input.CursorEnd()
	return m, m.input.Focus()
}

// handleInput feeds the text input; enter applies, esc cancels.
func (m Model) handleInput(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		m.mode = inputNone
		m.input.Blur()
		return m, nil
	case tea.KeyEnter:
		v := strings.TrimSpace(m.input.Value())
		mode := m.mode
		m.mode = inputNone
		m.input.Blur()
		switch mode {
		case inputSpec:
			return m.confirmPartition(v)
		case inputFault:
			return m.applyFault(v)
		case inputLoad:
			return m.startLoad(v)
		}
		if mode == inputFilter {
			m.filter = v
			// The anchor may now be hidden; follow the filtered stream.
			for k := range m.panes {
				m.panes[k] = pane{follow: true}
			}
			if v == "" {
				return m.setStatus("filter cleared", false), nil
			}
			return m.setStatus("filter: "+v, false), nil
		}
		m.search = newSearch(v)
		if v == "" {
			return m.setStatus("search cleared", false), nil
		}
		return m.firstMatch(), nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// firstMatch moves the focused pane to the newest match at or above its bottom.
func (m Model) firstMatch() Model {
	fk := m.focusKey()
	b := m.buf(fk)
	keep := matchFilter(m.filter)
	i := m.search.find(b, m.paneState(fk).bottom(b), -1, keep)
	return m.gotoMatch(i)
}

// jumpMatch moves to the next match, dir -1 older, +1 newer.
func (m Model) jumpMatch(dir int) Model {
	fk := m.focusKey()
	b := m.buf(fk)
	from := m.paneState(fk).bottom(b) - 1
	if m.search.has {
		if i := b.index(m.search.cur); i < len(b.lines) && b.lines[i].key == m.search.cur {
			from = i
		}
	}
	return m.gotoMatch(m.search.find(b, from, dir, matchFilter(m.filter)))
}

func (m Model) gotoMatch(i int) Model {
	fk := m.focusKey()
	b := m.buf(fk)
	if i < 0 {
		m.search.has = false
		return m.setStatus(fmt.Sprintf("no match for %q", m.search.query), true)
	}
	keep := matchFilter(m.filter)
	m.search.cur, m.search.has = b.lines[i].key, true
	m = m.setPane(fk, m.paneState(fk).showing(b, i, m.focusHeight(), keep))
	total, rank := m.search.count(b, keep)
	return m.setStatus(fmt.Sprintf("match %d/%d for %q", rank, total, m.search.query), false)
}

// save writes the focused pane's visible lines to a file, in a command.
func (m Model) save() (Model, tea.Cmd) {
	fk := m.focusKey()
	lines := m.paneState(fk).visible(m.buf(fk), m.focusHeight(), matchFilter(m.filter))
	if len(lines) == 0 {
		return m.setStatus("save: no lines visible", true), nil
	}
	out := make([]string, len(lines))
	for i, e := range lines {
		out[i] = ansi.Strip(e.text)
		if fk == mergedPane {
			out[i] = fmt.Sprintf("node%d %s", e.node, out[i])
		}
	}
	dir := m.opts.SaveDir
	if dir == "" {
		dir = m.snap.Dir
	}
	if dir == "" {
		dir = "."
	}
	name := "merged"
	if fk != mergedPane {
		name = fmt.Sprintf("node%d", fk)
	}
	name = fmt.Sprintf("slonui-%s-%s.log", name, m.snap.Now.UTC().Format("20060102-150405.000"))
	return m.setStatus("saving…", false), saveCmd(dir, name, out)
}
