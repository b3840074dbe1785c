package ui

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"slonui/cluster"
	"slonui/scenario"
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
	if m.panel == panelPicker && !m.showHelp {
		return m.handlePickerKey(msg)
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
	for _, b := range k.guarded() {
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
	case key.Matches(msg, k.Chaos.Partition):
		return m.openPicker()
	case key.Matches(msg, k.Chaos.Heal):
		m.view = viewForks
		return m.startOp(op{label: "heal", step: &scenario.Step{Heal: true},
			run: func(ctx context.Context, cl Cluster) error { return cl.Heal(ctx) }})
	case key.Matches(msg, k.Chaos.Faults):
		return m.openInput(inputFault, faultPrompt, "")
	case key.Matches(msg, k.Checks.Run):
		return m.runChecks()
	case key.Matches(msg, k.Load.Start):
		return m.openInput(inputLoad, "load plan (rates,… step D cooldown D · R for D · ramp A-B over D): ", defaultLoadSpec)
	case key.Matches(msg, k.Load.Stop):
		return m.startOp(op{label: "stop load",
			run: func(ctx context.Context, cl Cluster) error { return cl.StopLoad(ctx) }})
	case key.Matches(msg, k.Load.Faster):
		return m.changeRate(1.25)
	case key.Matches(msg, k.Load.Slower):
		return m.changeRate(0.8)
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
	if m, cmd, ok := m.handleNavKey(msg); ok {
		return m, cmd
	}
	return m.handleLogKey(msg)
}

// handleNavKey handles selection, scrolling and focus; ok is false when
// msg is none of those keys.
func (m Model) handleNavKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := m.keys
	fk := m.focusKey()
	logFocus := m.focusLogs || m.zoomed
	switch {
	case key.Matches(msg, k.Navigate.Select):
		if i := selectIndex(msg.String()); i < len(m.snap.Nodes) {
			m.sel = i
			m, cmd := m.scheduleResize()
			return m, cmd, true
		}
		return m.setStatus(fmt.Sprintf("no node %s", msg.String()), true), nil, true
	case key.Matches(msg, k.Navigate.Up, k.Navigate.Down):
		d := 1
		if key.Matches(msg, k.Navigate.Up) {
			d = -1
		}
		if logFocus {
			return m.scrollFocused(d), nil, true
		}
		m, cmd := m.moveSelection(d)
		return m, cmd, true
	case key.Matches(msg, k.Navigate.PageUp):
		return m.scrollFocused(-max(m.focusHeight()-1, 1)), nil, true
	case key.Matches(msg, k.Navigate.PageDown):
		return m.scrollFocused(max(m.focusHeight()-1, 1)), nil, true
	case key.Matches(msg, k.Navigate.Bottom):
		return m.setPane(fk, pane{follow: true}), nil, true
	case key.Matches(msg, k.Navigate.Top):
		return m.setPane(fk, m.paneState(fk).top(m.buf(fk), m.focusHeight(), matchFilter(m.filter))), nil, true
	case key.Matches(msg, k.Navigate.FocusLogs):
		m.focusLogs = true
		return m, nil, true
	case key.Matches(msg, k.Navigate.FocusTable):
		m.focusLogs = false
		return m, nil, true
	}
	return m, nil, false
}

// handleLogKey handles the log views, search, filter and save.
func (m Model) handleLogKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Logs.View):
		m.view = (m.view + 1) % viewCount
		m.zoomed, m.panel = false, panelNone
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
		case m.panel != panelNone:
			m.panel = panelNone
			return m.scheduleResize()
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
