package chaos

import (
	"errors"
	"fmt"

	"slonui/validator/netfault"
)

// Compiled is a network plan turned into netfault rules, one per node.
// Each plan kind owns some fields of a node's rules and replaces only them:
// a partition the partition lists, loss the loss rule, delay the delay rule,
// heal everything. So a partition keeps an earlier loss, and a new loss
// replaces the old one everywhere.
type Compiled struct {
	Kind  Kind
	Rules []netfault.Rules // index i is node i+1; only the owned fields are set
}

// Compile turns a network plan into per-node rules for t. A partition cuts
// each directed link at its receiver: a pair cut both ways goes into both
// nodes' Partition lists, a link cut one way (ring) into the receiver's
// PartitionIn. Loss and delay with no nodes are put on every link once, at
// its lower-numbered end restricted to the higher-numbered peers, so no
// packet meets the fault twice.
func (p Plan) Compile(t Topology) (Compiled, error) {
	if p.Kind.IsProcess() {
		return Compiled{}, fmt.Errorf("%s: %w", p.Name, ErrProcessAction)
	}
	if p.Kind == 0 {
		return Compiled{}, errors.New("chaos: empty plan")
	}
	if p.N != t.Len() {
		return Compiled{}, fmt.Errorf("%s: plan made for %d nodes, cluster has %d", p.Name, p.N, t.Len())
	}
	n := t.Len()
	c := Compiled{Kind: p.Kind, Rules: make([]netfault.Rules, n)}
	switch p.Kind {
	case KindPartition:
		cut := map[Link]bool{}
		for _, l := range p.Cuts {
			cut[l] = true
		}
		for to := 1; to <= n; to++ {
			r := &c.Rules[to-1]
			for from := 1; from <= n; from++ {
				if !cut[Link{from, to}] {
					continue
				}
				if cut[Link{to, from}] {
					r.Partition = append(r.Partition, t.Nodes[from-1].Addrs...)
				} else {
					r.PartitionIn = append(r.PartitionIn, t.Nodes[from-1].Addrs...)
				}
			}
		}
	case KindLoss, KindDelay:
		for _, s := range p.scopes(n) {
			peers := t.AddrsOf(s.peers)
			if p.Kind == KindLoss && p.Loss == 0 || p.Kind == KindDelay && p.Delay == 0 && p.Jitter == 0 {
				continue // removing the fault: the zero rule
			}
			if p.Kind == KindLoss {
				c.Rules[s.node-1].Loss = netfault.LossRule{Fraction: p.Loss, Peers: peers}
			} else {
				c.Rules[s.node-1].Delay = netfault.DelayRule{MS: int(p.Delay.Milliseconds()), JitterMS: int(p.Jitter.Milliseconds()), Peers: peers}
			}
		}
	case KindHeal:
	default:
		return Compiled{}, fmt.Errorf("chaos: cannot compile %s", p.Kind)
	}
	return c, nil
}

type scope struct {
	node  int
	peers []int // nil: all traffic
}

// scopes lists where a loss or delay goes: on every link once (no nodes),
// on whole nodes, or on the links between nodes and peers.
func (p Plan) scopes(n int) []scope {
	var out []scope
	if len(p.Nodes) == 0 {
		for a := 1; a < n; a++ {
			var higher []int
			for b := a + 1; b <= n; b++ {
				higher = append(higher, b)
			}
			out = append(out, scope{a, higher})
		}
		return out
	}
	for _, a := range p.Nodes {
		out = append(out, scope{a, p.Peers})
	}
	return out
}

// On returns cur with the fields this plan owns replaced by node's rules.
func (c Compiled) On(node int, cur netfault.Rules) netfault.Rules {
	want := c.Rules[node-1]
	switch c.Kind {
	case KindPartition:
		cur.Partition, cur.PartitionIn, cur.PartitionOut = want.Partition, want.PartitionIn, want.PartitionOut
	case KindLoss:
		cur.Loss = want.Loss
	case KindDelay:
		cur.Delay = want.Delay
	case KindHeal:
		return netfault.Rules{}
	}
	return cur
}
