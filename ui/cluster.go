package ui

import (
	"context"

	"slonui/chaos"
	"slonui/cluster"
	"slonui/load"
)

// Cluster is what the console reads and drives. The console calls it from
// tea commands (goroutines owned by the bubbletea program), never from Update
// or View, and may call any method concurrently with any other.
//
// Concurrency contract:
//   - Snapshot, LogsSince and LogTail must not block (no network, no disk, no
//     lock held across I/O) and return copies the caller may keep.
//   - Events returns the same receive-only channel on every call. The
//     implementation owns it, must never block while sending on it (buffer,
//     or drop and count), and closes it once the cluster has fully stopped.
//   - Restart, Kill, Pause, Resume and StopAll may block until done or until
//     ctx ends; they return an error naming the node and the operation.
//   - Resize must not block.
//   - Chaos and SetLoadRate must not block; Partition, Heal, RunChecks,
//     StartLoad and StopLoad may block until done or until ctx ends.
//
// Nodes are numbered from 1, as in Snapshot.Nodes[i].ID. A node's log Seq
// keeps rising across its restarts (NodeSnapshot.LogSeq is the newest);
// a Seq that goes backwards makes the console reload the node's tail.
type Cluster interface {
	// Snapshot returns the cluster as the pollers last saw it.
	Snapshot() cluster.Snapshot
	// Events delivers rare occurrences: a node exited, restarted or
	// stopped, shutdown progress, errors.
	Events() <-chan cluster.Event
	// LogsSince returns the node's lines with Seq > seq, oldest first. When
	// more than max lines are available it returns the newest max of them
	// (a pane that falls behind skips ahead; the full log is on disk).
	LogsSince(node int, seq uint64, max int) []cluster.LogLine
	// LogTail returns the node's newest n lines, oldest first.
	LogTail(node int, n int) []cluster.LogLine
	// Restart stops the node if it runs and starts it again.
	Restart(ctx context.Context, node int) error
	// Kill sends SIGKILL to the node's process group.
	Kill(ctx context.Context, node int) error
	// Pause sends SIGSTOP to the node's process group.
	Pause(ctx context.Context, node int) error
	// Resume sends SIGCONT to the node's process group.
	Resume(ctx context.Context, node int) error
	// StopAll stops every node gracefully (TERM, grace, KILL). Progress is
	// reported as EventStopProgress events, then EventClusterStopped.
	StopAll(ctx context.Context) error
	// Resize sets the size of the node's pty to the pane that shows it.
	Resize(node int, cols, rows int)

	// Chaos returns the topology fault plans are built for (nodes and
	// stakes), or why the cluster cannot apply network faults.
	Chaos() (chaos.Topology, error)
	// Partition applies a network plan (partition, loss or delay) to every
	// node or to none.
	Partition(ctx context.Context, p chaos.Plan) error
	// Heal removes every network fault and starts the heal→converged
	// stopwatch (Snapshot.HealAt, ConvergedAt).
	Heal(ctx context.Context) error
	// RunChecks judges the samples collected so far.
	RunChecks(ctx context.Context) cluster.CheckReport
	// StartLoad starts a load run in the cluster's background; its state
	// shows in Snapshot.LoadRun and Snapshot.Load.
	StartLoad(ctx context.Context, p load.Plan) error
	// StopLoad ends the load run.
	StopLoad(ctx context.Context) error
	// SetLoadRate changes the running step's offered rate.
	SetLoadRate(rate float64) error
}
