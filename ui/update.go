package ui

import (
	"errors"
	"fmt"
	"sort"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"slonui/cluster"
)

// ErrForced is returned by Run when the user forced the quit before the
// cluster had stopped.
var ErrForced = errors.New("ui: quit forced before the cluster stopped")

// handleSnapshot stores a pulled snapshot and its log lines, then re-arms
// the tick.
func (m Model) handleSnapshot(msg snapshotMsg) (Model, tea.Cmd) {
	before := len(m.snap.Nodes)
	selID := m.selectedID()
	m.snap = msg.snap
	m.sel = 0
	for i, n := range m.snap.Nodes {
		if n.ID == selID {
			m.sel = i
		}
	}
	ids := make([]int, 0, len(msg.logs))
	for id := range msg.logs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	batches := make([][]logEntry, 0, len(ids))
	backfill := false // a node's buffer started (over) in this pull
	for _, id := range ids {
		b := m.bufs[id]
		if b == nil {
			b = newLogBuf(m.opts.ScrollBack)
			m.bufs[id] = b
		}
		if msg.reset[id] {
			b.reset()
		}
		backfill = backfill || len(b.lines) == 0
		batches = append(batches, ingest(b, id, msg.logs[id], m.st.Plain))
	}
	m = m.feedMerged(batches, backfill)
	cmds := []tea.Cmd{pullCmd(m.cl, m.pullRequest(), m.opts.Tick)}
	if len(m.snap.Nodes) != before {
		var resize tea.Cmd
		m, resize = m.scheduleResize()
		cmds = append(cmds, resize)
	}
	return m, tea.Batch(cmds...)
}

// handleEvent shows a cluster event in the status line and re-arms the
// listener; the cluster's end finishes a graceful quit.
func (m Model) handleEvent(ev cluster.Event) (Model, tea.Cmd) {
	listen := listenCmd(m.ctx, m.cl.Events())
	node := fmt.Sprintf("node %d", ev.Node)
	switch ev.Kind {
	case cluster.EventNodeExited:
		m = m.setStatus(withDetail(node+" exited", ev.Detail), true)
	case cluster.EventNodeRestarted:
		m = m.setStatus(withDetail(node+" restarted", ev.Detail), false)
	case cluster.EventNodeStarted:
		m = m.setStatus(withDetail(node+" started", ev.Detail), false)
	case cluster.EventNodeStopped:
		m = m.setStatus(withDetail(node+" stopped", ev.Detail), false)
	case cluster.EventStopProgress:
		m = m.setStatus("stopping cluster: "+ev.Detail, false)
	case cluster.EventClusterStopped:
		// The program ends when StopAll returns, which carries its error.
		m = m.setStatus(withDetail("cluster stopped", ev.Detail), false)
	case cluster.EventError:
		m = m.setStatus(ev.Detail, true)
	}
	return m, listen
}

// handleAction reports a finished action; a finished StopAll ends the program.
func (m Model) handleAction(msg actionDoneMsg) (Model, tea.Cmd) {
	verbs := actionVerbs[msg.act]
	if msg.act == actStopAll {
		m.stopErr = msg.err
		if msg.err != nil {
			m = m.setStatus(fmt.Sprintf("stop cluster: %v", msg.err), true)
		}
		return m, tea.Quit
	}
	if msg.err != nil {
		return m.setStatus(fmt.Sprintf("node %d: %s failed: %v", msg.node, verbs[0], msg.err), true), nil
	}
	return m.setStatus(fmt.Sprintf("node %d %s", msg.node, verbs[1]), false), nil
}

func (m Model) handleSaved(msg savedMsg) Model {
	if msg.err != nil {
		return m.setStatus(msg.err.Error(), true)
	}
	return m.setStatus(fmt.Sprintf("saved %d lines to %s", msg.lines, msg.path), false)
}

// startAction asks the cluster to act on a node in a command.
func (m Model) startAction(act actionKind, node int) (Model, tea.Cmd) {
	m = m.setStatus(fmt.Sprintf("%s node %d…", actionVerbs[act][0], node), false)
	return m, actionCmd(m.ctx, m.cl, m.opts.Recorder, act, node, m.opts.ActionTimeout)
}

// quit starts a graceful stop; a second quit forces.
func (m Model) quit() (Model, tea.Cmd) {
	if m.quitting {
		m.forced = true
		return m, tea.Quit
	}
	m.quitting = true
	m.confirm, m.mode = nil, inputNone
	m = m.setStatus("stopping cluster… (q again to force)", false)
	return m, actionCmd(m.ctx, m.cl, nil, actStopAll, 0, m.opts.StopTimeout)
}

// scheduleResize debounces a pty resize of the visible panes: only the
// newest scheduled resize fires.
func (m Model) scheduleResize() (Model, tea.Cmd) {
	m.resizeGen++
	gen := m.resizeGen
	if m.opts.ResizeDelay <= 0 {
		return m, func() tea.Msg { return resizeDueMsg{gen: gen} }
	}
	return m, tea.Tick(m.opts.ResizeDelay, func(time.Time) tea.Msg { return resizeDueMsg{gen: gen} })
}

// feedMerged keeps the merged stream while it is on screen: new lines are
// interleaved onto it, and it is rebuilt from every node's scroll-back when
// it comes into view or a node's backlog arrives all at once.
func (m Model) feedMerged(batches [][]logEntry, backfill bool) Model {
	if m.view != viewMerged {
		m.mergedLive = false
		return m
	}
	if m.mergedLive && !backfill {
		interleave(m.merged, batches)
		return m
	}
	m.merged.clear()
	all := make([][]logEntry, 0, len(m.bufs))
	for _, n := range m.snap.Nodes {
		if b := m.bufs[n.ID]; b != nil {
			all = append(all, b.lines)
		}
	}
	interleave(m.merged, all)
	m.mergedLive = true
	return m.setPane(mergedPane, pane{follow: true})
}

// withDetail appends an event's detail in parentheses.
func withDetail(s, detail string) string {
	if detail == "" {
		return s
	}
	return s + " (" + detail + ")"
}
