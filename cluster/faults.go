package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"slonui/chaos"
)

// ErrNoChaos wraps why the cluster cannot apply network faults.
var ErrNoChaos = errors.New("cluster: no network fault backend")

// faults holds the chaos devnet backend and the network faults the cluster
// applied through it: the partition in force, loss and delay, and the
// heal→converged stopwatch.
type faults struct {
	op sync.Mutex // serialises Apply and Heal (the backend requires it)

	mu          sync.Mutex // guards everything below
	topo        chaos.Topology
	devnet      *chaos.Devnet
	err         error // why there is no backend (devnet nil)
	partition   *PartitionView
	loss, delay string // names of the loss and delay plans in force
	healAt      time.Time
	convergedAt time.Time
}

// load reads the cluster directory's topology and admin token; a failure
// is kept and reported by every fault action.
func (f *faults) load(dir string) {
	topo, token, err := chaos.LoadTopology(dir)
	if err != nil {
		f.set(chaos.Topology{}, nil, fmt.Errorf("%w: %w", ErrNoChaos, err))
		return
	}
	f.use(topo, token)
}

// use sets the backend for topo with the cluster's admin token.
func (f *faults) use(topo chaos.Topology, token string) {
	d, err := chaos.NewDevnet(topo, token)
	if err != nil {
		f.set(topo, nil, fmt.Errorf("%w: %w", ErrNoChaos, err))
		return
	}
	f.set(topo, d, nil)
}

func (f *faults) set(topo chaos.Topology, d *chaos.Devnet, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.topo, f.devnet, f.err = topo, d, err
}

// Chaos returns the topology fault plans are built for (nodes, stakes,
// addresses), or why the cluster cannot apply faults. It never blocks.
func (c *Cluster) Chaos() (chaos.Topology, error) {
	c.faults.mu.Lock()
	defer c.faults.mu.Unlock()
	return c.faults.topo, c.faults.err
}

// PlanPreview parses a partition spec ("isolate 5", "halves", "1-3|4-5",
// "7|3", "ring", "bridge") for this cluster and returns its sides and
// one-line summary (stake of each side, whether it can confirm) without
// applying anything. It never blocks.
func (c *Cluster) PlanPreview(spec string) (chaos.Plan, []chaos.Side, string, error) {
	topo, err := c.Chaos()
	if err != nil {
		return chaos.Plan{}, nil, "", err
	}
	p, err := chaos.ParsePartition(topo, spec)
	if err != nil {
		return chaos.Plan{}, nil, "", err
	}
	return p, p.Sides(topo), p.Summary(topo), nil
}

// Partition applies a network plan (partition, loss or delay) to every
// node or to none; a partition replaces the one in force. The faults show
// in Snapshot.Faults and Snapshot.Partition.
func (c *Cluster) Partition(ctx context.Context, p chaos.Plan) error {
	if p.Kind.IsProcess() {
		return fmt.Errorf("cluster: %s: %w", p.Name, chaos.ErrProcessAction)
	}
	f := &c.faults
	f.op.Lock()
	defer f.op.Unlock()
	f.mu.Lock()
	d, topo, ferr := f.devnet, f.topo, f.err
	f.mu.Unlock()
	if d == nil {
		return fmt.Errorf("cluster: %s: %w", p.Name, ferr)
	}
	if _, err := d.Apply(ctx, p); err != nil {
		return fmt.Errorf("cluster: %s: %w", p.Name, err)
	}
	now := time.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	switch p.Kind {
	case chaos.KindPartition:
		f.partition = &PartitionView{Name: p.Name, Summary: p.Summary(topo), Sides: p.Sides(topo), Since: now}
		f.healAt, f.convergedAt = time.Time{}, time.Time{}
	case chaos.KindLoss:
		f.loss = p.Name
		if p.Loss == 0 {
			f.loss = ""
		}
	case chaos.KindDelay:
		f.delay = p.Name
		if p.Delay == 0 && p.Jitter == 0 {
			f.delay = ""
		}
	case chaos.KindHeal:
		f.partition, f.loss, f.delay = nil, "", ""
		f.healAt, f.convergedAt = now, time.Time{}
	}
	return nil
}

// Heal removes every network fault from every node and starts the
// heal→converged stopwatch.
func (c *Cluster) Heal(ctx context.Context) error {
	topo, err := c.Chaos()
	if err != nil {
		return fmt.Errorf("cluster: heal: %w", err)
	}
	return c.Partition(ctx, chaos.Heal(topo))
}

// faultView fills the snapshot's fault fields.
func (f *faults) fill(s *Snapshot) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var parts []string
	if f.partition != nil {
		cp := *f.partition
		s.Partition = &cp
		parts = append(parts, "partition "+cp.Name)
	}
	if f.loss != "" {
		parts = append(parts, f.loss)
	}
	if f.delay != "" {
		parts = append(parts, f.delay)
	}
	s.Faults = strings.Join(parts, "; ")
	s.HealAt, s.ConvergedAt = f.healAt, f.convergedAt
}

// converged stops the stopwatch at t if it runs.
func (f *faults) converged(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.healAt.IsZero() && f.convergedAt.IsZero() && !t.Before(f.healAt) {
		f.convergedAt = t
	}
}

// healedAt is the last heal time (zero: none, or a partition since).
func (f *faults) healedAt() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.healAt
}

// Loss drops fraction ([0, 1]) of the packets of nodes (empty: every
// link); 0 removes it.
func (c *Cluster) Loss(ctx context.Context, fraction float64, nodes []int) error {
	topo, err := c.Chaos()
	if err != nil {
		return fmt.Errorf("cluster: loss: %w", err)
	}
	p, err := chaos.Loss(topo, fraction, nodes, nil)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return c.Partition(ctx, p)
}

// Delay holds the packets of nodes (empty: every link) for d ± jitter;
// zero for both removes it.
func (c *Cluster) Delay(ctx context.Context, d, jitter time.Duration, nodes []int) error {
	topo, err := c.Chaos()
	if err != nil {
		return fmt.Errorf("cluster: delay: %w", err)
	}
	p, err := chaos.Delay(topo, d, jitter, nodes, nil)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return c.Partition(ctx, p)
}
