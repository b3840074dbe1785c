package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"slonui/cluster"
)

// handleKey routes a key: an open modal first (confirm, text input, help),
// then global keys, then the table or the focused log pane.
func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		return m.handleRunes(msg)
	}
	k := m.keys
	if msg.String() == "ctrl+c" {
		return m.quit()
	}
	if m.confirm != nil {
		return m.handleConfirm(msg)
	}
	if m.mode != inputNone {
		return m.handleInput(msg)
	}
	if m.showHelp {
		if pressed(msg, k.App.Help) || pressed(msg, k.Logs.Clear) {
			m.showHelp = false
			return m.scheduleResize()
		}
		if pressed(msg, k.App.Quit) {
			return m.quit()
		}
		return m, nil
	}
	for _, b := range []key.Binding{k.Nodes.Restart, k.Nodes.Kill, k.Nodes.Pause, k.Logs.Next, k.Logs.Prev} {
		if pressed(msg, b) && !b.Enabled() {
			return m.setStatus(fmt.Sprintf("%s: %s", b.Help().Desc, k.why[b.Help().Key]), true), nil
		}
	}
	switch {
	case key.Matches(msg, k.App.Quit):
		return m.quit()
	case key.Matches(msg, k.App.Help):
		m.showHelp = true
		return m, nil
	case key.Matches(msg, k.Nodes.Restart):
		return m.startAction(actRestart, m.selectedID())
	case key.Matches(msg, k.Nodes.Kill):
		id := m.selectedID()
		m.confirm = &confirmation{act: actKill, node: id,
			prompt: fmt.Sprintf("kill node %d (SIGKILL)? y/n", id)}
		return m, nil
	case key.Matches(msg, k.Nodes.Pause):
		if n := m.selected(); n.State == cluster.NodePaused {
			return m.startAction(actResume, n.ID)
		}
		return m.startAction(actPause, m.selectedID())
	}
	return m.handleViewKey(msg)
}

// handleRunes splits keys typed faster than the terminal is read ("/vote"
// arrives as one message) into one key each, so that "/" still opens the
// search and the rest goes into it.
func (m Model) handleRunes(msg tea.KeyMsg) (Model, tea.Cmd) {
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		var cmd tea.Cmd
		m, cmd = m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		m.keys.update(m.keyState())
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// handleViewKey handles the keys that change only what is shown.
func (m Model) handleViewKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	fk := m.focusKey()
	logFocus := m.focusLogs || m.zoomed
	switch {
	case key.Matches(msg, k.Navigate.Select):
		if i := selectIndex(msg.String()); i < len(m.snap.Nodes) {
			m.sel = i
			return m.scheduleResize()
		}
		return m.setStatus(fmt.Sprintf("no node %s", msg.String()), true), nil
	case key.Matches(msg, k.Navigate.Up):
		if logFocus {
			return m.scrollFocused(-1), nil
		}
		return m.moveSelection(-1)
	case key.Matches(msg, k.Navigate.Down):
		if logFocus {
			return m.scrollFocused(1), nil
		}
		return m.moveSelection(1)
	case key.Matches(msg, k.Navigate.PageUp):
		return m.scrollFocused(-max(m.focusHeight()-1, 1)), nil
	case key.Matches(msg, k.Navigate.PageDown):
		return m.scrollFocused(max(m.focusHeight()-1, 1)), nil
	case key.Matches(msg, k.Navigate.Bottom):
		return m.setPane(fk, pane{follow: true}), nil
	case key.Matches(msg, k.Navigate.Top):
		return m.setPane(fk, m.paneState(fk).top(m.buf(fk), m.focusHeight(), matchFilter(m.filter))), nil
	case key.Matches(msg, k.Navigate.FocusLogs):
		m.focusLogs = true
	case key.Matches(msg, k.Navigate.FocusTable):
		m.focusLogs = false
	case key.Matches(msg, k.Logs.View):
		m.view = (m.view + 1) % viewCount
		m.zoomed = false
		return m.setStatus("view: "+m.view.String(), false).scheduleResize()
	case key.Matches(msg, k.Logs.Zoom):
		m.zoomed = !m.zoomed
		return m.scheduleResize()
	case key.Matches(msg, k.Logs.Search):
		return m.openInput(inputSearch, "/", m.search.query)
	case key.Matches(msg, k.Logs.Filter):
		return m.openInput(inputFilter, "filter: ", m.filter)
	case key.Matches(msg, k.Logs.Next):
		return m.jumpMatch(-1), nil
	case key.Matches(msg, k.Logs.Prev):
		return m.jumpMatch(1), nil
	case key.Matches(msg, k.Logs.Save):
		return m.save()
	case key.Matches(msg, k.Logs.Clear):
		switch {
		case m.zoomed:
			m.zoomed = false
			return m.scheduleResize()
		case m.search.active():
			m.search = searchState{}
		case m.filter != "":
			m.filter = ""
		default:
			m.focusLogs = false
		}
		return m.setStatus("", false), nil
	}
	return m, nil
}

// selectIndex maps "1".."9" to 0..8 and "0" to 9.
func selectIndex(s string) int {
	if s == "0" {
		return 9
	}
	return int(s[0] - '1')
}

func (m Model) moveSelection(d int) (Model, tea.Cmd) {
	n := len(m.snap.Nodes)
	if n == 0 {
		return m, nil
	}
	m.sel = min(max(m.sel+d, 0), n-1)
	return m.scheduleResize()
}

// scrollFocused scrolls the focused pane by n lines (negative = older).
func (m Model) scrollFocused(n int) Model {
	fk := m.focusKey()
	p := m.paneState(fk).scroll(m.buf(fk), n, m.focusHeight(), matchFilter(m.filter))
	return m.setPane(fk, p)
}

// handleMouse scrolls the focused pane with the wheel and selects a node
// by clicking its row or its grid tile.
func (m Model) handleMouse(msg tea.MouseMsg) Model {
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		return m.scrollFocused(-3)
	case msg.Button == tea.MouseButtonWheelDown:
		return m.scrollFocused(3)
	case msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionPress:
		l := m.layoutNow()
		if t := l.Table; msg.Y > t.Y && msg.Y < t.Y+t.H {
			if i := tableFirstRow(m.sel, len(m.snap.Nodes), t.H-1) + msg.Y - t.Y - 1; i < len(m.snap.Nodes) {
				m.sel = i
			}
			return m
		}
		for _, p := range m.visiblePanes() {
			if p.node != 0 && msg.X >= p.r.X && msg.X < p.r.X+p.r.W && msg.Y >= p.r.Y && msg.Y < p.r.Y+p.r.H {
				for i, n := range m.snap.Nodes {
					if n.ID == p.node {
						m.sel = i
					}
				}
			}
		}
	}
	return m
}

// handleConfirm answers a pending y/n question.
func (m Model) handleConfirm(msg tea.KeyMsg) (Model, tea.Cmd) {
	c := m.confirm
	m.confirm = nil
	switch msg.String() {
	case "y", "Y", "enter":
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
