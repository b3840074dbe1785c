package ui

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"slonui/cluster"
	"slonui/scenario"
)

// Recorder appends the console's actions, with their times, to a session
// file as scenario steps (scenario.Recorder). It is called from commands,
// never from Update, and must be safe for concurrent use.
type Recorder interface {
	Record(t time.Time, s scenario.Step) error
}

// op is one cluster-changing action other than the node actions: a
// partition, loss or delay, heal, or a load action. It runs in a command.
type op struct {
	label string         // "partition isolate 5", shown in the status line
	step  *scenario.Step // recorded when it succeeds; nil: not recorded
	run   func(ctx context.Context, cl Cluster) error
}

// opDoneMsg reports the end of an op.
type opDoneMsg struct {
	label  string
	err    error
	recErr error // the step could not be recorded
}

// checksMsg carries a finished checks run.
type checksMsg struct{ report cluster.CheckReport }

// topoMsg carries the cluster's fault topology, pulled once at Init.
type topoMsg struct {
	topo topology
}

// opCmd runs o with a timeout and records its step on success, with the
// time the action was taken.
func opCmd(ctx context.Context, cl Cluster, rec Recorder, o op, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		at := time.Now()
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		msg := opDoneMsg{label: o.label, err: o.run(ctx, cl)}
		if msg.err == nil && o.step != nil && rec != nil {
			msg.recErr = rec.Record(at, *o.step)
		}
		return msg
	}
}

// checksCmd runs the checks and records a fork-resolution check step when
// a heal came before it.
func checksCmd(ctx context.Context, cl Cluster, rec Recorder, healed bool, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		at := time.Now()
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		r := cl.RunChecks(ctx)
		if rec != nil {
			step := scenario.Step{Check: scenario.CheckVotes}
			if healed {
				step = scenario.Step{Check: scenario.CheckForkResolution}
			}
			_ = rec.Record(at, step)
		}
		return checksMsg{report: r}
	}
}

// topoCmd asks the cluster for its fault topology (never blocks).
func topoCmd(cl Cluster) tea.Cmd {
	return func() tea.Msg {
		t, err := cl.Chaos()
		return topoMsg{topology{topo: t, err: err}}
	}
}

// nodeStep is the scenario step of a node action, nil when not recorded.
func nodeStep(act actionKind, node int) *scenario.Step {
	switch act {
	case actRestart:
		return &scenario.Step{Restart: node}
	case actKill:
		return &scenario.Step{Kill: node}
	case actPause:
		return &scenario.Step{Pause: node}
	case actResume:
		return &scenario.Step{Resume: node}
	}
	return nil
}

// startOp shows the op as running and returns its command.
func (m Model) startOp(o op) (Model, tea.Cmd) {
	m = m.setStatus(o.label+"…", false)
	return m, opCmd(m.ctx, m.cl, m.opts.Recorder, o, m.opts.ActionTimeout)
}

// handleOp shows how an op ended.
func (m Model) handleOp(msg opDoneMsg) Model {
	switch {
	case msg.err != nil:
		return m.setStatus(fmt.Sprintf("%s failed: %v", msg.label, msg.err), true)
	case msg.recErr != nil:
		return m.setStatus(fmt.Sprintf("%s: done, not recorded: %v", msg.label, msg.recErr), true)
	}
	return m.setStatus(msg.label+": done", false)
}
