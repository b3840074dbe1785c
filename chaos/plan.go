package chaos

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kind is what a plan does.
type Kind int

// Plan kinds. Network kinds are applied by a backend; process kinds are
// steps the cluster supervisor performs on one node's process.
const (
	KindPartition Kind = iota + 1
	KindLoss
	KindDelay
	KindHeal
	KindPause   // SIGSTOP the node's process group
	KindResume  // SIGCONT it
	KindKill    // SIGKILL it
	KindRestart // stop and start it again
)

var kindNames = map[Kind]string{
	KindPartition: "partition", KindLoss: "loss", KindDelay: "delay", KindHeal: "heal",
	KindPause: "pause", KindResume: "resume", KindKill: "kill", KindRestart: "restart",
}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// MarshalText writes the kind's name ("partition", "pause", …).
func (k Kind) MarshalText() ([]byte, error) {
	if _, ok := kindNames[k]; !ok {
		return nil, fmt.Errorf("chaos: unknown plan kind %d", int(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText reads a kind's name.
func (k *Kind) UnmarshalText(b []byte) error {
	for kk, name := range kindNames {
		if name == string(b) {
			*k = kk
			return nil
		}
	}
	return fmt.Errorf("chaos: unknown plan kind %q", b)
}

// IsProcess reports whether the kind is a process action (pause, resume,
// kill, restart) that the caller performs rather than a backend.
func (k Kind) IsProcess() bool { return k >= KindPause && k <= KindRestart }

// Link is one directed link: packets From sends to To.
type Link struct {
	From, To int
}

// Plan is one fault step for a cluster of N nodes. Build it with the
// constructors (Isolate, Halves, Groups, MajoritiesRing, Bridge,
// ParsePartition, Loss, Delay, Heal, ProcessStep); the zero Plan is invalid.
type Plan struct {
	Kind Kind
	Name string // "isolate 5", "halves", "ring", "1-3|4-7|8-10", …
	N    int    // number of nodes the plan was made for

	// Groups are the sides of a group partition (nil for ring and bridge).
	Groups [][]int
	// Cuts are the directed links a partition cuts, sorted.
	Cuts []Link

	Loss   float64       // KindLoss: fraction of packets dropped, [0, 1]
	Delay  time.Duration // KindDelay
	Jitter time.Duration // KindDelay: ± uniform jitter

	// Nodes: for loss and delay, the nodes whose traffic is affected (empty:
	// every link of the cluster, each once); for a process action, the one
	// node it acts on.
	Nodes []int
	// Peers restricts loss or delay on Nodes to traffic with these nodes
	// (one link per pair); empty means all their traffic.
	Peers []int
}

// ErrProcessAction is returned by a backend asked to apply a process action.
var ErrProcessAction = errors.New("chaos: process actions are performed by the cluster supervisor, not a network backend")

// Isolate cuts node k off from every other node.
func Isolate(t Topology, k int) (Plan, error) {
	n := t.Len()
	if k < 1 || k > n {
		return Plan{}, fmt.Errorf("isolate %d: not a node (1..%d)", k, n)
	}
	if n < 2 {
		return Plan{}, fmt.Errorf("isolate %d: a cluster of one node has nothing to cut", k)
	}
	var rest []int
	for i := 1; i <= n; i++ {
		if i != k {
			rest = append(rest, i)
		}
	}
	p, err := Groups(t, [][]int{rest, {k}}, "")
	p.Name = fmt.Sprintf("isolate %d", k)
	return p, err
}

// Halves splits nodes 1..n/2 from the rest.
func Halves(t Topology) (Plan, error) {
	n := t.Len()
	if n < 2 {
		return Plan{}, errors.New("halves: need at least 2 nodes")
	}
	var a, b []int
	for i := 1; i <= n; i++ {
		if i <= n/2 {
			a = append(a, i)
		} else {
			b = append(b, i)
		}
	}
	return Groups(t, [][]int{a, b}, "halves")
}

// Groups cuts every link between nodes of different groups. Every node 1..n
// must be in exactly one group and there must be at least two groups. An
// empty name becomes the groups' spec ("1-3|4-5").
func Groups(t Topology, groups [][]int, name string) (Plan, error) {
	n := t.Len()
	if len(groups) < 2 {
		return Plan{}, errors.New("partition: want at least two groups")
	}
	for gi, g := range groups {
		if len(g) == 0 {
			return Plan{}, fmt.Errorf("partition: group %d is empty", gi+1)
		}
		for _, id := range g {
			if id < 1 || id > n {
				return Plan{}, fmt.Errorf("partition: group %d: node %d out of range 1..%d", gi+1, id, n)
			}
		}
	}
	if msg := coverErr(groups, n); msg != "" {
		return Plan{}, errors.New("partition: " + msg)
	}
	side := make([]int, n+1)
	gs := make([][]int, len(groups))
	for gi, g := range groups {
		gs[gi] = slices.Sorted(slices.Values(g))
		for _, id := range g {
			side[id] = gi
		}
	}
	if name == "" {
		parts := make([]string, len(gs))
		for i, g := range gs {
			parts[i] = ranges(g)
		}
		name = strings.Join(parts, "|")
	}
	var cuts []Link
	for a := 1; a <= n; a++ {
		for b := 1; b <= n; b++ {
			if a != b && side[a] != side[b] {
				cuts = append(cuts, Link{a, b})
			}
		}
	}
	return Plan{Kind: KindPartition, Name: name, N: n, Groups: gs, Cuts: cuts}, nil
}

// MajoritiesRing is Jepsen's majorities-ring over nodes in number order:
// every node hears a majority m = n/2+1 of the nodes (a window of the ring
// centred on it, itself included) and no two nodes hear the same majority.
// Node o hears o−h … o−h+m−1 (mod n) with h = m/2 and drops the packets of
// every other node, so for even m the cuts are directed.
func MajoritiesRing(t Topology) (Plan, error) {
	n := t.Len()
	if n < 3 {
		return Plan{}, errors.New("majorities-ring: need at least 3 nodes")
	}
	m := n/2 + 1
	h := m / 2
	var cuts []Link
	for o := 1; o <= n; o++ {
		hears := make([]bool, n+1)
		for j := 0; j < m; j++ {
			hears[mod(o-1-h+j, n)+1] = true
		}
		for from := 1; from <= n; from++ {
			if !hears[from] {
				cuts = append(cuts, Link{From: from, To: o})
			}
		}
	}
	sortLinks(cuts)
	return Plan{Kind: KindPartition, Name: "majorities-ring", N: n, Cuts: cuts}, nil
}

// Bridge is Jepsen's bridge: halves A = 1..n/2 and B = the rest, cut from
// each other, except the bridge node (the first of B), which hears and is
// heard by every node.
func Bridge(t Topology) (Plan, error) {
	n := t.Len()
	if n < 3 {
		return Plan{}, errors.New("bridge: need at least 3 nodes")
	}
	bridge := n/2 + 1
	var cuts []Link
	for a := 1; a <= n; a++ {
		for b := 1; b <= n; b++ {
			if a == bridge || b == bridge || a == b {
				continue
			}
			if (a <= n/2) != (b <= n/2) {
				cuts = append(cuts, Link{a, b})
			}
		}
	}
	return Plan{Kind: KindPartition, Name: fmt.Sprintf("bridge (node %d)", bridge), N: n, Cuts: cuts}, nil
}

// Loss drops fraction (0..1) of packets. With no nodes it acts on every link
// of the cluster, each once; with nodes, on every packet to or from each of
// them; with nodes and peers, only on the links between them. A fraction of 0
// removes loss. Each loss plan replaces every earlier loss.
func Loss(t Topology, fraction float64, nodes, peers []int) (Plan, error) {
	if !(fraction >= 0 && fraction <= 1) {
		return Plan{}, fmt.Errorf("loss %v: not a fraction in [0, 1]", fraction)
	}
	if err := checkScope(t, nodes, peers); err != nil {
		return Plan{}, fmt.Errorf("loss: %w", err)
	}
	p := Plan{Kind: KindLoss, N: t.Len(), Loss: fraction, Nodes: sortedCopy(nodes), Peers: sortedCopy(peers)}
	p.Name = fmt.Sprintf("loss %s%%", trimFloat(fraction*100)) + scopeText(p.Nodes, p.Peers)
	return p, nil
}

// Delay holds packets for delay ± jitter, scoped like Loss. A delay and
// jitter of 0 remove it. Each delay plan replaces every earlier delay.
func Delay(t Topology, delay, jitter time.Duration, nodes, peers []int) (Plan, error) {
	var errs []error
	if delay < 0 || delay > time.Minute {
		errs = append(errs, fmt.Errorf("delay %v: not in [0, 1m]", delay))
	}
	if jitter < 0 || jitter > time.Minute {
		errs = append(errs, fmt.Errorf("jitter %v: not in [0, 1m]", jitter))
	}
	if delay%time.Millisecond != 0 || jitter%time.Millisecond != 0 {
		errs = append(errs, errors.New("delay and jitter are whole milliseconds"))
	}
	if err := checkScope(t, nodes, peers); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return Plan{}, fmt.Errorf("delay: %w", err)
	}
	p := Plan{Kind: KindDelay, N: t.Len(), Delay: delay, Jitter: jitter, Nodes: sortedCopy(nodes), Peers: sortedCopy(peers)}
	p.Name = fmt.Sprintf("delay %d ms", delay.Milliseconds())
	if jitter > 0 {
		p.Name += fmt.Sprintf(" ± %d ms", jitter.Milliseconds())
	}
	p.Name += scopeText(p.Nodes, p.Peers)
	return p, nil
}

// Heal removes every fault from every node.
func Heal(t Topology) Plan { return Plan{Kind: KindHeal, Name: "heal all", N: t.Len()} }

// ProcessStep is a pause, resume, kill or restart of node k: a step for the
// caller (the cluster supervisor) to perform.
func ProcessStep(t Topology, kind Kind, k int) (Plan, error) {
	if !kind.IsProcess() {
		return Plan{}, fmt.Errorf("%s: not a process action", kind)
	}
	if k < 1 || k > t.Len() {
		return Plan{}, fmt.Errorf("%s %d: not a node (1..%d)", kind, k, t.Len())
	}
	return Plan{Kind: kind, Name: fmt.Sprintf("%s node %d", kind, k), N: t.Len(), Nodes: []int{k}}, nil
}

func checkScope(t Topology, nodes, peers []int) error {
	var errs []error
	for _, id := range append(slices.Clone(nodes), peers...) {
		if id < 1 || id > t.Len() {
			errs = append(errs, fmt.Errorf("node %d: not a node (1..%d)", id, t.Len()))
		}
	}
	if len(peers) > 0 && len(nodes) == 0 {
		errs = append(errs, errors.New("peers need nodes: a link has two ends"))
	}
	for _, a := range nodes {
		if slices.Contains(peers, a) {
			errs = append(errs, fmt.Errorf("node %d is both a node and its own peer", a))
		}
	}
	return errors.Join(errs...)
}

func scopeText(nodes, peers []int) string {
	switch {
	case len(nodes) == 0:
		return " on every link"
	case len(peers) == 0:
		return " on " + nodeList(nodes)
	}
	return " between " + nodeList(nodes) + " and " + nodeList(peers)
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.3f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func sortedCopy(ids []int) []int {
	if len(ids) == 0 {
		return nil
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func sortLinks(l []Link) {
	slices.SortFunc(l, func(a, b Link) int {
		if a.From != b.From {
			return a.From - b.From
		}
		return a.To - b.To
	})
}

func mod(a, n int) int { return ((a % n) + n) % n }
