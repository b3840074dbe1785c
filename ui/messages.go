package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"slonui/cluster"
)

// pullReq names the panes whose new log lines the next pull fetches.
type pullReq struct {
	nodes []int    // 1-based node ids
	seqs  []uint64 // the newest Seq the console holds for each
	max   int
}

// snapshotMsg is one tick's worth of data: a snapshot and new log lines.
type snapshotMsg struct {
	snap  cluster.Snapshot
	logs  map[int][]cluster.LogLine
	reset map[int]bool // the node's Seq went backwards: start its buffer over
}

// eventMsg carries one cluster event; eventsClosedMsg says the channel closed.
type (
	eventMsg        cluster.Event
	eventsClosedMsg struct{}
)

// actionKind is a user action on a node or the cluster.
type actionKind int

const (
	actRestart actionKind = iota
	actKill
	actPause
	actResume
	actStopAll
)

var actionVerbs = [...][2]string{ // doing, done
	actRestart: {"restarting", "restarted"},
	actKill:    {"killing", "killed"},
	actPause:   {"stopping (SIGSTOP)", "stopped (SIGSTOP)"},
	actResume:  {"continuing", "continued"},
	actStopAll: {"stopping", "stopped"},
}

// actionDoneMsg reports the end of an action command.
type actionDoneMsg struct {
	act  actionKind
	node int
	err  error
}

// savedMsg reports the end of a ctrl+s save.
type savedMsg struct {
	path  string
	lines int
	err   error
}

// resizeDueMsg fires after the resize debounce; gen says which resize.
type resizeDueMsg struct{ gen int }

// pull reads one snapshot and the new lines of the requested nodes. It runs
// in a command, never in Update; the Cluster promises it does not block.
func pull(cl Cluster, req pullReq) snapshotMsg {
	msg := snapshotMsg{snap: cl.Snapshot()}
	byID := make(map[int]uint64, len(msg.snap.Nodes))
	for _, n := range msg.snap.Nodes {
		byID[n.ID] = n.LogSeq
	}
	for i, id := range req.nodes {
		have, now := req.seqs[i], byID[id]
		switch {
		case now == have:
			continue // the pane's sequence did not move
		case now < have:
			if msg.reset == nil {
				msg.reset = map[int]bool{}
			}
			msg.reset[id] = true
			lines := cl.LogTail(id, req.max)
			if msg.logs == nil {
				msg.logs = map[int][]cluster.LogLine{}
			}
			msg.logs[id] = lines
		default:
			lines := cl.LogsSince(id, have, req.max)
			if len(lines) > 0 {
				if msg.logs == nil {
					msg.logs = map[int][]cluster.LogLine{}
				}
				msg.logs[id] = lines
			}
		}
	}
	return msg
}

// pullCmd pulls at once (delay 0), or at the next wall-clock multiple of
// delay: the cluster polls its nodes just before those (see
// cluster.Cluster's pollLoop), so each pull finds every node's poll of the
// period, and the pulls keep their period however long a frame took.
func pullCmd(cl Cluster, req pullReq, delay time.Duration) tea.Cmd {
	if delay <= 0 {
		return func() tea.Msg { return pull(cl, req) }
	}
	return tea.Every(delay, func(time.Time) tea.Msg { return pull(cl, req) })
}

// listenCmd waits for the next cluster event; Update re-arms it after each.
func listenCmd(ctx context.Context, ch <-chan cluster.Event) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case ev, ok := <-ch:
			if !ok {
				return eventsClosedMsg{}
			}
			return eventMsg(ev)
		case <-ctx.Done():
			return nil
		}
	}
}

// actionCmd runs one action against the cluster with a timeout and, when
// it succeeds, records it with rec (nil: not recorded).
func actionCmd(ctx context.Context, cl Cluster, rec Recorder, act actionKind, node int, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		at := time.Now()
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var err error
		switch act {
		case actRestart:
			err = cl.Restart(ctx, node)
		case actKill:
			err = cl.Kill(ctx, node)
		case actPause:
			err = cl.Pause(ctx, node)
		case actResume:
			err = cl.Resume(ctx, node)
		case actStopAll:
			err = cl.StopAll(ctx)
		}
		if step := nodeStep(act, node); err == nil && step != nil && rec != nil {
			_ = rec.Record(at, *step)
		}
		return actionDoneMsg{act: act, node: node, err: err}
	}
}

// resizeCmd sets each visible node's pty to its pane's size.
func resizeCmd(cl Cluster, sizes map[int][2]int) tea.Cmd {
	if len(sizes) == 0 {
		return nil
	}
	return func() tea.Msg {
		for id, sz := range sizes {
			cl.Resize(id, sz[0], sz[1])
		}
		return nil
	}
}

// saveCmd writes lines to a new file in dir and reports the path.
func saveCmd(dir, name string, lines []string) tea.Cmd {
	return func() tea.Msg {
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return savedMsg{path: path, err: fmt.Errorf("save logs: %w", err)}
		}
		_, werr := f.WriteString(strings.Join(lines, "\n") + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return savedMsg{path: path, err: fmt.Errorf("save logs %s: %w", path, werr)}
		}
		return savedMsg{path: path, lines: len(lines)}
	}
}
