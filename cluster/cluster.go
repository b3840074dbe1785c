package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"slonui/node"
)

// Errors of the cluster's lifecycle.
var (
	ErrNotRunning     = errors.New("cluster: not running")
	ErrAlreadyStarted = errors.New("cluster: already started")
	ErrNoSuchNode     = errors.New("cluster: no such node")
)

// Cluster supervises the validator processes of one cluster directory and
// polls them. Every method is safe for concurrent use; Snapshot, LogsSince,
// LogTail and Resize never block on I/O.
type Cluster struct {
	cfg     Config
	absDir  string // cfg.Dir made absolute once (Abs may ask the OS for the working directory)
	spawn   spawnFunc
	sweep   func(pidfiles []string) ([]int, error)
	events  *eventQueue
	members []*member
	opts    buildOptions

	mu       sync.Mutex
	started  bool
	stopping bool
	stopDone chan struct{} // closed when StopAll has finished
	stopErr  error
	runCtx   context.Context // cancelled to stop pollers
	cancel   context.CancelFunc
	wg       sync.WaitGroup // pollers, process watchers, the history loop

	faults  faults  // network faults through the chaos devnet backend
	history history // rounds of samples for the checks
	load    loadCtl // the load engine the console drives
}

// New checks cfg and prepares a cluster; nothing starts until Start.
func New(cfg Config) (*Cluster, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Program == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("cluster: find own executable: %w", err)
		}
		cfg.Program = exe
	}
	c := &Cluster{
		cfg:    cfg,
		events: newEventQueue(cfg.EventBuffer, cfg.Logger),
		opts: buildOptions{
			RateStep:   time.Second,
			RatePoints: 30,
			TPSWindow:  5 * time.Second,
			ForkSlack:  cfg.ForkSlack,
			Stale:      max(3*cfg.PollInterval+cfg.PollTimeout, 2*time.Second),

			LeaderPast:  12,
			LeaderAhead: 12,
		},
		stopDone: make(chan struct{}),
	}
	c.absDir, _ = filepath.Abs(cfg.Dir)
	c.spawn = c.spawnNode
	c.sweep = node.SweepStale
	c.faults.load(cfg.Dir)
	for _, spec := range cfg.Nodes {
		client, err := newRPCPoller(spec.RPCURL, spec.Identity, cfg.PollTimeout)
		if err != nil {
			return nil, fmt.Errorf("node %d: poller: %w", spec.ID, err)
		}
		id := spec.ID
		client.others = func() []string { return c.otherTips(id) }
		c.members = append(c.members, &member{
			spec:   spec,
			ring:   node.NewRing(cfg.RingLines),
			client: client,
			state:  NodeStopped,
		})
	}
	return c, nil
}

// Start sweeps processes left by a previous crashed run (only those
// recorded in the nodes' pidfiles), checks every address:port is free,
// starts every node and its poller. When a check or a start fails, nothing
// is left running.
func (c *Cluster) Start(ctx context.Context) error {
	c.mu.Lock()
	if c.started {
		c.mu.Unlock()
		return ErrAlreadyStarted
	}
	c.started = true
	c.runCtx, c.cancel = context.WithCancel(context.Background())
	c.mu.Unlock()

	if !c.cfg.SkipSweep {
		var pidfiles []string
		for _, m := range c.members {
			pidfiles = append(pidfiles, m.spec.PidPath())
		}
		pids, err := c.sweep(pidfiles)
		if err != nil {
			c.abort()
			return fmt.Errorf("cluster: sweep stale pidfiles: %w", err)
		}
		for _, pid := range pids {
			c.events.emit(EventError, 0, fmt.Sprintf("stopped stale validator pid %d from a previous run", pid))
		}
	}
	if err := Preflight(c.cfg.Nodes); err != nil {
		c.abort()
		return fmt.Errorf("cluster: preflight: %w", err)
	}
	for _, m := range c.members {
		if err := c.startMember(ctx, m, false); err != nil {
			c.abort()
			return err
		}
	}
	for _, m := range c.members {
		c.wg.Add(1)
		go c.pollLoop(m)
	}
	c.history.mu.Lock()
	c.history.start = time.Now()
	c.history.mu.Unlock()
	c.wg.Add(1)
	go c.historyLoop(2 * c.cfg.PollInterval)
	return nil
}

// abort stops whatever Start got running and closes the cluster.
func (c *Cluster) abort() {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.StopGrace+5*time.Second)
	defer cancel()
	_ = c.StopAll(ctx)
}

// startMember spawns m's process and its watcher.
func (c *Cluster) startMember(ctx context.Context, m *member, restart bool) error {
	if err := os.MkdirAll(m.spec.Dir, 0o755); err != nil {
		return fmt.Errorf("node %d: start: %w", m.spec.ID, err)
	}
	p, err := c.spawn(ctx, m.spec, m.ring)
	if err != nil {
		return fmt.Errorf("node %d: start: %w", m.spec.ID, err)
	}
	gen, settled := m.install(p)
	c.wg.Add(1)
	go c.watch(m, p, gen, settled)
	kind := EventNodeStarted
	if restart {
		kind = EventNodeRestarted
	}
	c.events.emit(kind, m.spec.ID, fmt.Sprintf("pid %d", p.Pid()))
	return nil
}

// watch waits for one process to end and records how it ended.
func (c *Cluster) watch(m *member, p process, gen int, settled chan struct{}) {
	defer c.wg.Done()
	defer close(settled)
	<-p.Done()
	code, sig, _ := p.ExitStatus()
	m.mu.Lock()
	if m.gen != gen {
		m.mu.Unlock()
		return
	}
	stopping, restarting := m.stopping, m.restarting
	m.state = NodeExited
	if stopping {
		m.state = NodeStopped
	}
	m.exitCode, m.signal = code, sig
	if sig != "" {
		m.exitCode = -1
	}
	m.mu.Unlock()
	switch {
	case restarting:
	case stopping:
		c.events.emit(EventNodeStopped, m.spec.ID, describeExit(code, sig))
	default:
		c.events.emit(EventNodeExited, m.spec.ID, describeExit(code, sig))
	}
}

func describeExit(code int, sig string) string {
	if sig != "" {
		return "killed by signal " + sig
	}
	return fmt.Sprintf("exit code %d", code)
}

// pollLoop asks one node for a sample at once, then once per PollInterval
// until the cluster stops, each poll starting pollLead percent of the
// interval before a wall-clock multiple of it (the wait is worked out from
// the clock every time, so the polls do not drift off it): a reader that
// ticks on those multiples (the console pulls with tea.Every) then finds
// every node's poll of the period answered. Each poll has its own timeout,
// so a paused or dead node holds up only its own poller.
func (c *Cluster) pollLoop(m *member) {
	defer c.wg.Done()
	defer m.client.Close()
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-c.runCtx.Done():
			return
		case <-t.C:
		}
		if gen, ok := m.pollTarget(); ok {
			ctx, cancel := context.WithTimeout(c.runCtx, c.cfg.PollTimeout)
			s := m.client.Poll(ctx)
			cancel()
			m.record(gen, s, c.cfg.History, c.opts)
		}
		t.Reset(untilPoll(time.Now(), c.cfg.PollInterval))
	}
}

// untilPoll is how long from now until the next poll starts: pollLead
// percent of every before the next wall-clock multiple of every.
func untilPoll(now time.Time, every time.Duration) time.Duration {
	if every <= 0 {
		return 0
	}
	lead := every * pollLead / 100
	next := now.Truncate(every).Add(every - lead)
	for !next.After(now) {
		next = next.Add(every)
	}
	return next.Sub(now)
}

// pollLead is how far ahead of each wall-clock multiple of the poll
// interval a poll starts, in percent of the interval (150 ms at 500 ms).
const pollLead = 30

// maxTipChecks bounds the isBlockhashValid calls one node gets per check
// round; nodes on one tip share its hash, so a healthy cluster has a few.
const maxTipChecks = 16

// otherTips returns the distinct latest tip hashes of the live nodes other
// than id, at most maxTipChecks of them.
func (c *Cluster) otherTips(id int) []string {
	var out []string
	for _, m := range c.members {
		if m.spec.ID == id {
			continue
		}
		if h := m.tipHash(); h != "" && !slices.Contains(out, h) && len(out) < maxTipChecks {
			out = append(out, h)
		}
	}
	return out
}

// Snapshot returns the cluster as last polled: a copy, built without I/O.
func (c *Cluster) Snapshot() Snapshot {
	s := buildSnapshot(time.Now(), c.absDir, filepath.Base(c.absDir), c.views(), c.opts)
	c.faults.fill(&s)
	c.load.fill(&s)
	return s
}

// Events delivers node starts, exits, restarts and stop progress. The
// channel is closed when StopAll has finished. Sends never block: when
// nobody reads, the oldest events are dropped.
func (c *Cluster) Events() <-chan Event { return c.events.ch }

// Nodes returns the node specs the cluster was made with.
func (c *Cluster) Nodes() []NodeSpec {
	return append([]NodeSpec(nil), c.cfg.Nodes...)
}

func (c *Cluster) member(id int) (*member, error) {
	if id < 1 || id > len(c.members) {
		return nil, fmt.Errorf("node %d: %w", id, ErrNoSuchNode)
	}
	return c.members[id-1], nil
}

// LogsSince returns node id's log lines with Seq > seq (the newest max when
// more are held), oldest first. Unknown nodes give nil.
func (c *Cluster) LogsSince(id int, seq uint64, max int) []LogLine {
	m, err := c.member(id)
	if err != nil {
		return nil
	}
	return toLogLines(m.ring.Since(seq, max))
}

// LogTail returns node id's newest n log lines, oldest first.
func (c *Cluster) LogTail(id int, n int) []LogLine {
	m, err := c.member(id)
	if err != nil {
		return nil
	}
	return toLogLines(m.ring.Tail(n))
}

func toLogLines(ls []node.Line) []LogLine {
	if len(ls) == 0 {
		return nil
	}
	out := make([]LogLine, len(ls))
	for i, l := range ls {
		out[i] = LogLine{Seq: l.Seq, Text: l.Text}
	}
	return out
}

// Resize sets node id's pty size; it does nothing for unknown or stopped
// nodes and never blocks.
func (c *Cluster) Resize(id int, cols, rows int) {
	m, err := c.member(id)
	if err != nil || cols <= 0 || rows <= 0 {
		return
	}
	if p, _ := m.current(); p != nil {
		_ = p.Resize(uint16(min(cols, 65535)), uint16(min(rows, 65535)))
	}
}
