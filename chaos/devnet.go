package chaos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"slonui/validator/netfault"
)

// RollbackTimeout bounds the whole rollback after a failed Apply; it runs on
// its own context so a cancelled caller still gets its nodes restored.
const RollbackTimeout = 5 * time.Second

// NodeError is a node that refused or could not be reached.
type NodeError struct {
	Node  int
	Admin string // the node's admin API address
	Op    string // "read faults", "apply", "roll back"
	Err   error
}

func (e *NodeError) Error() string {
	return fmt.Sprintf("node %d (%s): %s: %v", e.Node, e.Admin, e.Op, e.Err)
}

func (e *NodeError) Unwrap() error { return e.Err }

// NodeFaults is one node's faults as its admin API reports them.
type NodeFaults struct {
	Node   int
	Admin  string
	Status netfault.Status
	Err    error // nil when the node answered
}

// Devnet applies plans to a cluster of built-in validators through each
// node's admin API. It is safe for concurrent use, but two Applies at once
// may interleave their node changes: callers serialise them.
type Devnet struct {
	topo    Topology
	clients []*netfault.Client
}

// NewDevnet returns the backend for t, authenticating with the cluster token.
// Every admin address must be a loopback ip:port.
func NewDevnet(t Topology, token string) (*Devnet, error) {
	var errs []error
	if err := t.Validate(); err != nil {
		errs = append(errs, err)
	}
	if token == "" {
		errs = append(errs, errors.New("chaos: devnet: empty admin token"))
	}
	d := &Devnet{topo: t}
	for _, n := range t.Nodes {
		if err := checkLoopback(n.Admin); err != nil {
			errs = append(errs, fmt.Errorf("node %d: admin address: %w", n.ID, err))
		}
		d.clients = append(d.clients, netfault.NewClient(n.Admin, token))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q: %w", addr, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return fmt.Errorf("%q is not a loopback ip:port", addr)
	}
	return nil
}

// Topology is the cluster the backend drives.
func (d *Devnet) Topology() Topology { return d.topo }

// Apply applies a network plan to every node, or to none: it first reads
// every node's rules (a node that does not answer fails the plan before
// anything changed), then replaces each node's rules in node order. When a
// node refuses, every node already changed gets its earlier rules back, and
// the error is a *NodeError naming the node that refused (joined with any
// rollback failure). It returns each node's status after the change.
func (d *Devnet) Apply(ctx context.Context, p Plan) ([]netfault.Status, error) {
	c, err := p.Compile(d.topo)
	if err != nil {
		return nil, err
	}
	prev := make([]netfault.Rules, len(d.clients))
	for i, cl := range d.clients {
		st, err := cl.Faults(ctx)
		if err != nil {
			return nil, d.nodeErr(i, "read faults", err)
		}
		prev[i] = st.Rules
	}
	out := make([]netfault.Status, len(d.clients))
	for i, cl := range d.clients {
		st, err := cl.SetRules(ctx, c.On(i+1, prev[i]))
		if err != nil {
			return nil, errors.Join(d.nodeErr(i, "apply "+p.Name, err), d.rollback(prev, i))
		}
		out[i] = st
	}
	return out, nil
}

// rollback restores prev on nodes 0..done-1, newest first.
func (d *Devnet) rollback(prev []netfault.Rules, done int) error {
	ctx, cancel := context.WithTimeout(context.Background(), RollbackTimeout)
	defer cancel()
	var errs []error
	for i := done - 1; i >= 0; i-- {
		if _, err := d.clients[i].SetRules(ctx, prev[i]); err != nil {
			errs = append(errs, d.nodeErr(i, "roll back", err))
		}
	}
	return errors.Join(errs...)
}

// Heal removes every fault from every node (all or none, like Apply).
func (d *Devnet) Heal(ctx context.Context) ([]netfault.Status, error) {
	return d.Apply(ctx, Heal(d.topo))
}

// Show collects every node's faults. A node that does not answer has Err
// set; the returned error joins every such failure.
func (d *Devnet) Show(ctx context.Context) ([]NodeFaults, error) {
	out := make([]NodeFaults, len(d.clients))
	var errs []error
	for i, cl := range d.clients {
		st, err := cl.Faults(ctx)
		out[i] = NodeFaults{Node: i + 1, Admin: d.topo.Nodes[i].Admin, Status: st}
		if err != nil {
			out[i].Err = d.nodeErr(i, "read faults", err)
			errs = append(errs, out[i].Err)
		}
	}
	return out, errors.Join(errs...)
}

func (d *Devnet) nodeErr(i int, op string, err error) error {
	return &NodeError{Node: i + 1, Admin: d.topo.Nodes[i].Admin, Op: op, Err: err}
}
