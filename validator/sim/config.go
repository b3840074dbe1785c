package sim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Partition cuts the network into groups of nodes (1-based ids) from
// StartSlot until HealSlot. Nodes not named in any group form one more group.
type Partition struct {
	Groups    [][]int
	StartSlot uint64
	HealSlot  uint64
}

// Kill stops node Node (1-based) at FromSlot and restarts it at ToSlot from
// its persisted tower with an empty ledger (it catches up through repair).
type Kill struct {
	Node     int
	FromSlot uint64
	ToSlot   uint64
}

// Config describes one simulated run.
type Config struct {
	Nodes      int
	Slots      uint64
	Seed       uint64
	SlotMs     int64
	Stakes     []uint64 // one per node; nil = all equal
	Partition  *Partition
	Loss       float64 // probability a message is dropped on any link
	TxsPerSlot int     // synthetic transfers submitted per slot
	Kill       *Kill

	TickMs           int64 // how often every core is ticked (default SlotMs/4)
	DelayMs          int64 // base one-way delay (default 2)
	JitterMs         int64 // extra uniform delay 0..JitterMs (default 3)
	VerifySignatures bool  // run ed25519 checks inside the cores (slow)
	SlotsPerEpoch    uint64
	BlockHistory     int // rooted blocks each core keeps (0 = core default)
}

// DefaultConfig returns a 4-node, 200-slot run.
func DefaultConfig() Config {
	return Config{Nodes: 4, Slots: 200, Seed: 1, SlotMs: 400, DelayMs: 2, JitterMs: 3}
}

func (c *Config) fill() {
	if c.TickMs <= 0 {
		c.TickMs = max(c.SlotMs/4, 1)
	}
	if c.SlotsPerEpoch == 0 {
		c.SlotsPerEpoch = 8192
	}
}

// Validate returns every problem joined; each names the flag it concerns.
func (c Config) Validate() error {
	var errs []error
	if c.Nodes < 1 || c.Nodes > 2000 {
		errs = append(errs, fmt.Errorf("--nodes %d: must be 1..2000", c.Nodes))
	}
	if c.Slots < 1 {
		errs = append(errs, errors.New("--slots: must be ≥ 1"))
	}
	if c.SlotMs < 10 {
		errs = append(errs, fmt.Errorf("--slot-ms %d: must be ≥ 10", c.SlotMs))
	}
	if c.Stakes != nil && len(c.Stakes) != c.Nodes {
		errs = append(errs, fmt.Errorf("--stakes: %d values for %d nodes", len(c.Stakes), c.Nodes))
	}
	for i, s := range c.Stakes {
		if s == 0 {
			errs = append(errs, fmt.Errorf("--stakes: node %d has stake 0", i+1))
		}
	}
	if c.Loss < 0 || c.Loss >= 1 {
		errs = append(errs, fmt.Errorf("--loss %v: must be in [0, 1)", c.Loss))
	}
	if c.TxsPerSlot < 0 || c.TxsPerSlot > 100000 {
		errs = append(errs, fmt.Errorf("--txs-per-slot %d: must be 0..100000", c.TxsPerSlot))
	}
	if p := c.Partition; p != nil {
		seen := map[int]bool{}
		for _, g := range p.Groups {
			for _, id := range g {
				if id < 1 || id > c.Nodes {
					errs = append(errs, fmt.Errorf("--partition: node %d of %d does not exist", id, c.Nodes))
				} else if seen[id] {
					errs = append(errs, fmt.Errorf("--partition: node %d is in two groups", id))
				}
				seen[id] = true
			}
		}
		if p.HealSlot <= p.StartSlot {
			errs = append(errs, fmt.Errorf("--partition: heal slot %d must be after start slot %d", p.HealSlot, p.StartSlot))
		}
	}
	if k := c.Kill; k != nil {
		if k.Node < 1 || k.Node > c.Nodes {
			errs = append(errs, fmt.Errorf("--kill: node %d of %d does not exist", k.Node, c.Nodes))
		}
		if k.ToSlot <= k.FromSlot {
			errs = append(errs, fmt.Errorf("--kill: restart slot %d must be after kill slot %d", k.ToSlot, k.FromSlot))
		}
	}
	return errors.Join(errs...)
}

// ParsePartition reads '1-7|8-10@40-200': groups of node ids and ranges
// separated by '|', then '@start-heal' slots.
func ParsePartition(s string) (*Partition, error) {
	spec, window, ok := strings.Cut(s, "@")
	if !ok {
		return nil, fmt.Errorf("--partition %q: missing @start-heal", s)
	}
	p := &Partition{}
	a, b, ok := strings.Cut(window, "-")
	if !ok {
		return nil, fmt.Errorf("--partition %q: window %q is not start-heal", s, window)
	}
	var err error
	if p.StartSlot, err = strconv.ParseUint(a, 10, 64); err != nil {
		return nil, fmt.Errorf("--partition %q: start slot %q: not a number", s, a)
	}
	if p.HealSlot, err = strconv.ParseUint(b, 10, 64); err != nil {
		return nil, fmt.Errorf("--partition %q: heal slot %q: not a number", s, b)
	}
	for _, g := range strings.Split(spec, "|") {
		ids, err := parseIDs(g)
		if err != nil {
			return nil, fmt.Errorf("--partition %q: %w", s, err)
		}
		p.Groups = append(p.Groups, ids)
	}
	if len(p.Groups) < 2 {
		return nil, fmt.Errorf("--partition %q: needs at least two groups separated by |", s)
	}
	return p, nil
}

func parseIDs(g string) ([]int, error) {
	var ids []int
	for _, part := range strings.Split(g, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("empty group in %q", g)
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("node %q: not a number", lo)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return nil, fmt.Errorf("node %q: not a number", hi)
			}
		}
		if b < a {
			return nil, fmt.Errorf("range %q runs backwards", part)
		}
		for i := a; i <= b; i++ {
			ids = append(ids, i)
		}
	}
	return ids, nil
}

// ParseKill reads 'K@from-to'.
func ParseKill(s string) (*Kill, error) {
	node, window, ok := strings.Cut(s, "@")
	if !ok {
		return nil, fmt.Errorf("--kill %q: want NODE@from-to", s)
	}
	k := &Kill{}
	var err error
	if k.Node, err = strconv.Atoi(node); err != nil {
		return nil, fmt.Errorf("--kill %q: node %q: not a number", s, node)
	}
	a, b, ok := strings.Cut(window, "-")
	if !ok {
		return nil, fmt.Errorf("--kill %q: want NODE@from-to", s)
	}
	if k.FromSlot, err = strconv.ParseUint(a, 10, 64); err != nil {
		return nil, fmt.Errorf("--kill %q: slot %q: not a number", s, a)
	}
	if k.ToSlot, err = strconv.ParseUint(b, 10, 64); err != nil {
		return nil, fmt.Errorf("--kill %q: slot %q: not a number", s, b)
	}
	return k, nil
}

// ParseStakes reads '1,1,2,…'.
func ParseStakes(s string) ([]uint64, error) {
	var out []uint64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("--stakes %q: %q is not a whole number", s, f)
		}
		out = append(out, v)
	}
	return out, nil
}
