package cluster

import (
	"slices"
	"time"

	"slonui/chaos"
	"slonui/load"
)

// NodeState is where a supervised validator process is in its life.
type NodeState int

const (
	NodeStarting NodeState = iota // spawned, RPC not answering yet
	NodeRunning                   // process alive and RPC answering
	NodePaused                    // SIGSTOP'd
	NodeExited                    // process ended on its own (see ExitCode / Signal)
	NodeStopped                   // stopped by the console
)

func (s NodeState) String() string {
	switch s {
	case NodeStarting:
		return "starting"
	case NodeRunning:
		return "running"
	case NodePaused:
		return "paused"
	case NodeExited:
		return "exited"
	case NodeStopped:
		return "stopped"
	}
	return "unknown"
}

// NodeSnapshot is one node as the pollers last saw it. Every number comes
// from the node's own JSON-RPC or metrics answers; a zero Polled time means
// nothing has been heard yet and the numbers are not valid.
type NodeSnapshot struct {
	ID       int // 1-based node number
	State    NodeState
	Pid      int    // 0 when not running
	ExitCode int    // valid when State == NodeExited; -1 if killed by a signal
	Signal   string // signal name when killed by one
	Identity string // base58 identity pubkey
	RPCURL   string
	Gossip   string // gossip address

	Polled     time.Time     // when the last poll answered
	RPCLatency time.Duration // round trip of the last poll
	PollErr    string        // last poll error, "" when the last poll succeeded

	Slot       uint64 // processed
	Confirmed  uint64
	Root       uint64 // finalized
	Txs        uint64 // getTransactionCount (processed)
	Peers      int    // getClusterNodes entries other than itself
	LastVote   uint64 // this node's lastVote from getVoteAccounts
	Leader     bool   // this node leads the slot the cluster is on now
	Delinquent bool   // in getVoteAccounts' delinquent list
	// LiveForks is the node's own slonui_validator_live_forks gauge (fork
	// tips above its root, abandoned minor forks included, so it is often
	// above 1 in a healthy cluster until the root passes them); 0 when the
	// node does not export it.
	LiveForks int

	SlotRate []float64 // recent slots per second, oldest first (for a sparkline); shared: read, never modify
	// Chain is the node's recent confirmed blocks (slot, parent, hash),
	// oldest first; Tips are the distinct processed slots it was seen at
	// lately, oldest first. Both are shared: read, never modify.
	Chain  []ChainBlock
	Tips   []uint64
	LogSeq uint64 // sequence number of the node's newest log line
}

// Snapshot is the whole cluster at one moment: a copied value the UI may
// keep and read without locks.
type Snapshot struct {
	Now    time.Time // when the snapshot was taken (the UI never calls time.Now)
	Dir    string    // cluster directory
	Name   string    // cluster name (directory base name)
	Nodes  []NodeSnapshot
	Forks  int     // chains the live nodes' processed tips are on, as the nodes answer it (1 when healthy; see chainForks)
	TPS    float64 // cluster transactions per second, from getTransactionCount deltas
	Faults string  // one-line description of active faults, "" when none
	Load   string  // one-line description of the load engine, "" when idle

	// ForkGroups are the node ids on each chain the live nodes are on
	// (one group when healthy), in order of their lowest node.
	ForkGroups [][]int
	// Leaders is the leader schedule around the cluster's slot, oldest
	// first, with what the nodes saw of each slot.
	Leaders []SlotLeader
	// Partition is the partition in force, nil when none.
	Partition *PartitionView
	// HealAt is when faults were last healed (zero: never); ConvergedAt is
	// the first moment after it at which every node was on one chain with
	// equal hashes at the common confirmed slot (zero: not yet). Together
	// they are the heal→converged stopwatch.
	HealAt, ConvergedAt time.Time
	// LoadRun is the load engine's own snapshot (the zero value, Phase "",
	// when no load ever ran).
	LoadRun load.Snapshot
}

// PartitionView is a partition in force.
type PartitionView struct {
	Name    string       // "isolate 5", "1-3|4-5", …
	Summary string       // each side's stake and whether it can confirm
	Sides   []chaos.Side // the sides, with stake
	Since   time.Time
}

// Minority reports whether node id is cut off from more than 2/3 of the
// stake: it is on no side that can confirm.
func (p *PartitionView) Minority(id int) bool {
	if p == nil {
		return false
	}
	for _, s := range p.Sides {
		if s.CanConfirm && slices.Contains(s.Nodes, id) {
			return false
		}
	}
	return true
}

// SlotLeader is one slot of the leader schedule.
type SlotLeader struct {
	Slot    uint64
	Node    int  // the scheduled leader's node id, 0 when unknown
	Current bool // the cluster's processed slot
	// Produced: some node holds a block at this slot (confirmed, or as
	// its processed tip). Skipped: the slot is at or below the cluster's
	// confirmed slot and no node holds a block there.
	Produced, Skipped bool
}

// Stopwatch returns the heal→converged time: running (ok false, d so
// far) until converged, then fixed. It is zero with ok false when there
// was no heal.
func (s Snapshot) Stopwatch() (d time.Duration, done bool) {
	switch {
	case s.HealAt.IsZero():
		return 0, false
	case s.ConvergedAt.IsZero():
		return max(s.Now.Sub(s.HealAt), 0), false
	}
	return s.ConvergedAt.Sub(s.HealAt), true
}

// Up counts nodes whose process is alive (starting, running or paused).
func (s Snapshot) Up() int {
	n := 0
	for _, nd := range s.Nodes {
		if nd.State == NodeStarting || nd.State == NodeRunning || nd.State == NodePaused {
			n++
		}
	}
	return n
}

// Highest returns the highest processed, confirmed and finalized slot over all nodes.
func (s Snapshot) Highest() (processed, confirmed, finalized uint64) {
	for _, nd := range s.Nodes {
		processed = max(processed, nd.Slot)
		confirmed = max(confirmed, nd.Confirmed)
		finalized = max(finalized, nd.Root)
	}
	return
}

// EventKind says what happened to a node or the cluster.
type EventKind int

const (
	EventNodeStarted EventKind = iota
	EventNodeExited
	EventNodeRestarted
	EventNodeStopped
	EventStopProgress // during shutdown: Detail says how many are left
	EventClusterStopped
	EventError
)

func (k EventKind) String() string {
	switch k {
	case EventNodeStarted:
		return "started"
	case EventNodeExited:
		return "exited"
	case EventNodeRestarted:
		return "restarted"
	case EventNodeStopped:
		return "stopped"
	case EventStopProgress:
		return "stop-progress"
	case EventClusterStopped:
		return "cluster-stopped"
	case EventError:
		return "error"
	}
	return "unknown"
}

// Event is a rare occurrence delivered on the cluster's event channel.
type Event struct {
	Time   time.Time
	Kind   EventKind
	Node   int // 0 for cluster-wide events
	Detail string
}

// LogLine is one line of a node's output: SGR colour sequences kept, other
// control sequences removed. Seq numbers rise by one per line per node.
type LogLine struct {
	Seq  uint64
	Text string
}
