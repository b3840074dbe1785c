package cluster

import (
	"context"
	"sync"

	"slonui/node"
)

// process is one supervised validator process, as package node provides it.
// Methods may be called from any goroutine.
type process interface {
	Pid() int
	Done() <-chan struct{}
	ExitStatus() (code int, signal string, exited bool)
	Resize(cols, rows uint16) error
	Pause() error
	Resume() error
	Stop(ctx context.Context) error
	Kill() error
}

// spawnFunc starts the process of one node, continuing ring.
type spawnFunc func(ctx context.Context, spec NodeSpec, ring *node.Ring) (process, error)

// member is one node of the cluster: its spec, its log ring (kept across
// restarts), the current process and what the poller last saw.
type member struct {
	spec   NodeSpec
	ring   *node.Ring
	client nodeClient // used only by the node's poller goroutine

	op sync.Mutex // serialises Restart, Kill, Pause, Resume and stops

	mu         sync.Mutex // guards everything below
	proc       process
	gen        int           // bumped for every new process
	settled    chan struct{} // closed when gen's exit has been recorded
	state      NodeState
	resumeTo   NodeState // state to return to after Resume
	exitCode   int
	signal     string
	stopping   bool // the console is stopping this process
	restarting bool // ... in order to start it again (no stop event)
	sample     Sample
	ok         Sample
	points     []point
	figures    *pointFigures // worked out from points when they last changed
	tips       []string      // recent distinct tip hashes of this process, oldest first
}

// keptTips is how many recent distinct tip hashes a member keeps: other
// nodes check a tip hash read up to ~1.25 s earlier (one slow-poll period
// plus one poll), which at 400 ms slots is 3-4 tips; 8 leaves room.
const keptTips = 8

// view copies what the snapshot builder needs.
func (m *member) view() nodeView {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := NodeSnapshot{
		ID:       m.spec.ID,
		State:    m.state,
		Identity: m.spec.Identity,
		RPCURL:   m.spec.RPCURL,
		Gossip:   m.spec.Gossip,
		LogSeq:   m.ring.Last(),
	}
	if m.proc != nil && (m.state == NodeStarting || m.state == NodeRunning || m.state == NodePaused) {
		b.Pid = m.proc.Pid()
	}
	if m.state == NodeExited || m.state == NodeStopped {
		b.ExitCode, b.Signal = m.exitCode, m.signal
	}
	// points and tips are shared: record only appends past their length
	// and re-slices, never writes an element a view can see.
	return nodeView{base: b, sample: m.sample, ok: m.ok, points: m.points[:len(m.points):len(m.points)],
		tips: m.tips[:len(m.tips):len(m.tips)], fromPoints: m.figures}
}

// record keeps a poll result of process generation gen; results of an
// older process are dropped. The first answer moves a starting node to
// running. The figures of the points are worked out with o.
func (m *member) record(gen int, s Sample, keep int, o buildOptions) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen != m.gen {
		return
	}
	m.sample = s
	if !s.Answered {
		return
	}
	m.ok = s
	if m.state == NodeStarting {
		m.state = NodeRunning
	}
	m.points = append(m.points, point{At: s.At, Slot: s.Slot, Txs: s.Txs})
	if over := len(m.points) - keep; over > 0 {
		m.points = m.points[over:]
	}
	m.figures = figuresOf(m.points, o)
	if s.TipHash != "" && (len(m.tips) == 0 || m.tips[len(m.tips)-1] != s.TipHash) {
		m.tips = append(m.tips, s.TipHash)
		if over := len(m.tips) - keptTips; over > 0 {
			m.tips = m.tips[over:]
		}
	}
}

// tipHash returns the node's latest tip hash while it is starting or
// running and has answered, "" otherwise.
func (m *member) tipHash() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state != NodeStarting && m.state != NodeRunning {
		return ""
	}
	return m.ok.TipHash
}

// pollTarget reports whether the poller should ask the node now, and for
// which process generation.
func (m *member) pollTarget() (int, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gen, m.state == NodeStarting || m.state == NodeRunning
}

// current returns the live process, or nil when none runs.
func (m *member) current() (process, NodeState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state == NodeExited || m.state == NodeStopped {
		return nil, m.state
	}
	return m.proc, m.state
}

// install makes p the node's process (a new generation, starting) and
// returns the generation and its settled channel.
func (m *member) install(p process) (int, chan struct{}) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	m.proc = p
	m.settled = make(chan struct{})
	m.state = NodeStarting
	m.stopping, m.restarting = false, false
	m.exitCode, m.signal = 0, ""
	m.sample, m.ok, m.points, m.tips, m.figures = Sample{}, Sample{}, nil, nil, nil
	return m.gen, m.settled
}
