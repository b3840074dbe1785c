package chaos

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// Side is one group of nodes that can still hear each other under a
// partition, with its share of stake.
type Side struct {
	Name       string  // "A", "B", … in plan order
	Nodes      []int   // sorted
	Stake      uint64  // sum of the nodes' stakes
	Total      uint64  // the cluster's total stake
	Percent    float64 // 100 × Stake / Total
	CanConfirm bool    // Stake > 2/3 of Total
}

// CanConfirm reports whether stake is more than 2/3 of total, in exact
// integer arithmetic (stake × 3 > total × 2): 2 of 3 equal stakes cannot.
func CanConfirm(stake, total uint64) bool {
	sh, sl := bits.Mul64(stake, 3)
	th, tl := bits.Mul64(total, 2)
	return sh > th || (sh == th && sl > tl)
}

// Sides returns the sides of a partition plan: its groups, or for ring and
// bridge (whose sides overlap) every distinct set of nodes one node hears,
// itself included. Other plans have no sides.
func (p Plan) Sides(t Topology) []Side {
	if p.Kind != KindPartition {
		return nil
	}
	sets := p.Groups
	if sets == nil {
		sets = p.views()
	}
	total := t.TotalStake()
	out := make([]Side, len(sets))
	for i, g := range sets {
		st := t.StakeOf(g)
		pct := 0.0
		if total > 0 {
			pct = 100 * float64(st) / float64(total)
		}
		out[i] = Side{Name: sideName(i), Nodes: slices.Clone(g), Stake: st, Total: total, Percent: pct, CanConfirm: CanConfirm(st, total)}
	}
	return out
}

// views lists the distinct sets of nodes each node hears (itself included),
// in the order of their lowest node.
func (p Plan) views() [][]int {
	var out [][]int
	seen := map[string]bool{}
	byNode := p.viewOf()
	for to := 1; to <= p.N; to++ {
		v := byNode[to]
		if k := ranges(v); !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

func sideName(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return fmt.Sprintf("S%d", i+1)
}

// Summary is the plan in one line. For a partition it gives each side's
// stake and whether it can confirm, for example
//
//	side A 80.0% can confirm; side B 20.0% cannot
//	side A 66.7% — not more than 2/3: no side can confirm
//
// (the second form names the largest side). Ring and bridge, whose sides
// overlap, are summarised by what each node hears (see viewSummary). For
// other plans it is the name.
func (p Plan) Summary(t Topology) string {
	if p.Kind != KindPartition {
		return p.Name
	}
	sides := p.Sides(t)
	if len(sides) == 0 {
		return p.Name
	}
	if p.Groups == nil {
		return p.viewSummary(t)
	}
	largest := sides[0]
	any := false
	for _, s := range sides {
		if s.Stake > largest.Stake {
			largest = s
		}
		any = any || s.CanConfirm
	}
	if !any {
		return fmt.Sprintf("side %s %.1f%% — not more than 2/3: no side can confirm", largest.Name, largest.Percent)
	}
	parts := make([]string, len(sides))
	for i, s := range sides {
		verdict := "cannot"
		if s.CanConfirm {
			verdict = "can confirm"
		}
		parts[i] = fmt.Sprintf("side %s %.1f%% %s", s.Name, s.Percent, verdict)
	}
	return strings.Join(parts, "; ")
}

// viewSummary summarises overlapping views (ring, bridge) by what each
// node hears, e.g. "nodes 1-2,4-5 hear 60.0%: cannot confirm; node 3 hears
// 100.0%: can confirm" or "every node hears 60.0% — not more than 2/3: no
// side can confirm".
func (p Plan) viewSummary(t Topology) string {
	type share struct {
		nodes []int
		stake uint64
	}
	var shares []share
	total := t.TotalStake()
	views := p.viewOf()
	for id := 1; id <= p.N; id++ {
		st := t.StakeOf(views[id])
		found := false
		for i := range shares {
			if shares[i].stake == st {
				shares[i].nodes = append(shares[i].nodes, id)
				found = true
			}
		}
		if !found {
			shares = append(shares, share{[]int{id}, st})
		}
	}
	pct := func(st uint64) float64 { return 100 * float64(st) / float64(max(total, 1)) }
	any := false
	parts := make([]string, len(shares))
	for i, sh := range shares {
		can := CanConfirm(sh.stake, total)
		any = any || can
		who, verb := nodeList(sh.nodes), "hear"
		if len(shares) == 1 {
			who, verb = "every node", "hears"
		} else if len(sh.nodes) == 1 {
			verb = "hears"
		}
		parts[i] = fmt.Sprintf("%s %s %.1f%%", who, verb, pct(sh.stake))
		if can {
			parts[i] += ": can confirm"
		} else {
			parts[i] += ": cannot"
		}
	}
	if !any {
		for i := range parts {
			parts[i] = strings.TrimSuffix(parts[i], ": cannot")
		}
		return strings.Join(parts, "; ") + " — not more than 2/3: no side can confirm"
	}
	return strings.Join(parts, "; ")
}

// viewOf maps each node to the nodes it hears, itself included.
func (p Plan) viewOf() map[int][]int {
	cut := map[Link]bool{}
	for _, l := range p.Cuts {
		cut[l] = true
	}
	out := map[int][]int{}
	for to := 1; to <= p.N; to++ {
		for from := 1; from <= p.N; from++ {
			if from == to || !cut[Link{from, to}] {
				out[to] = append(out[to], from)
			}
		}
	}
	return out
}
