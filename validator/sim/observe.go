package sim

import (
	"fmt"
	"sort"

	"slonui/solana"
)

// sides0 returns the partition groups as 0-based ids, with the nodes
// named nowhere as a last group.
func (s *Sim) sides0() [][]int {
	p := s.cfg.Partition
	named := map[int]bool{}
	var out [][]int
	for _, g := range p.Groups {
		var side []int
		for _, id := range g {
			side = append(side, id-1)
			named[id-1] = true
		}
		out = append(out, side)
	}
	var rest []int
	for i := range s.nodes {
		if !named[i] {
			rest = append(rest, i)
		}
	}
	if len(rest) > 0 {
		out = append(out, rest)
	}
	return out
}

func (s *Sim) sideConfirmed() []uint64 {
	var out []uint64
	for _, side := range s.sides0() {
		var c uint64
		for _, i := range side {
			c = max(c, s.nodes[i].core.ConfirmedSlot())
		}
		out = append(out, c)
	}
	return out
}

func (s *Sim) describeSides() string {
	var total uint64
	for _, n := range s.nodes {
		total += n.stake
	}
	txt := ""
	for i, side := range s.sides0() {
		var st uint64
		for _, id := range side {
			st += s.nodes[id].stake
		}
		if i > 0 {
			txt += " | "
		}
		txt += fmt.Sprintf("%s (%.1f%% stake)", plural(len(side), "node"), 100*float64(st)/float64(total))
	}
	return txt
}

func (s *Sim) finishSides() {
	var total uint64
	for _, n := range s.nodes {
		total += n.stake
	}
	end := s.sideConfirmed()
	pr := &PartitionResult{StartSlot: s.cfg.Partition.StartSlot, HealSlot: s.cfg.Partition.HealSlot}
	for i, side := range s.sides0() {
		var st uint64
		ids := make([]int, 0, len(side))
		for _, id := range side {
			st += s.nodes[id].stake
			ids = append(ids, id+1)
		}
		adv := uint64(0)
		if end[i] > s.sideStart[i] {
			adv = end[i] - s.sideStart[i]
		}
		pr.Sides = append(pr.Sides, SideResult{Nodes: ids, StakeFraction: float64(st) / float64(total), ConfirmedAdvanced: adv})
		s.logf("side %d (%s): confirmed advanced %s while cut off", i+1, plural(len(side), "node"), plural(int(adv), "slot"))
	}
	s.res.Partition = pr
}

// isAncestor walks the global block tree from b down to a.
func (s *Sim) isAncestor(a, b uint64) bool {
	for b > a {
		p, ok := s.parents[b]
		if !ok {
			return false
		}
		b = p
	}
	return a == b
}

// forks counts the distinct chains the live nodes work on: processed tips
// that are not an ancestor of another node's tip.
func (s *Sim) forks() (int, []uint64) {
	set := map[uint64]bool{}
	for _, n := range s.nodes {
		if !n.down {
			set[n.core.ProcessedSlot()] = true
		}
	}
	var tips []uint64
	for a := range set {
		leaf := true
		for b := range set {
			if a != b && s.isAncestor(a, b) {
				leaf = false
				break
			}
		}
		if leaf {
			tips = append(tips, a)
		}
	}
	sort.Slice(tips, func(i, j int) bool { return tips[i] < tips[j] })
	return len(tips), tips
}

// rootsAgree reports whether every live node has the same bank hash at
// the lowest root among them.
func (s *Sim) rootsAgree() bool {
	low := ^uint64(0)
	for _, n := range s.nodes {
		if !n.down {
			low = min(low, n.core.RootSlot())
		}
	}
	var want solana.Hash
	first := true
	for _, n := range s.nodes {
		if n.down {
			continue
		}
		bi, ok := n.core.BankInfo(low)
		if !ok {
			return false
		}
		if first {
			want, first = bi.BankHash, false
		} else if bi.BankHash != want {
			return false
		}
	}
	return true
}

func (s *Sim) observe() {
	f, tips := s.forks()
	if f > s.res.MaxForks {
		s.res.MaxForks = f
	}
	if f != s.lastForks && s.slot > 0 {
		if f > 1 {
			s.logf("forks: %d live tips %v", f, tips)
		} else if s.lastForks > 1 {
			s.logf("forks: one chain again (tip %d)", tips[0])
		}
	}
	s.lastForks = f
	if !s.firstRoot && s.allLive(func(n *simNode) bool { return n.core.RootSlot() > 0 }) {
		s.firstRoot = true
		s.logf("roots: every node has a root (lowest %d)", s.lowestRoot())
	}
	if s.healed {
		for _, n := range s.nodes {
			if r := n.core.RootSlot(); r != n.lastRoot && !n.down {
				n.rootsAfterHeal++
				n.lastRoot = r
			}
		}
		if !s.rootedAgain && s.allLive(func(n *simNode) bool { return n.rootsAfterHeal > 0 }) {
			s.rootedAgain = true
			ms := s.now - int64(s.cfg.Partition.HealSlot)*s.cfg.SlotMs
			s.res.RootedAfterHealMs = &ms
			s.logf("roots: every node has a new root %d ms after heal (lowest %d)", ms, s.lowestRoot())
		}
		if !s.hasConverged && f == 1 && s.rootsAgree() {
			s.hasConverged = true
			s.convergedAt = s.now
			ms := s.now - int64(s.cfg.Partition.HealSlot)*s.cfg.SlotMs
			s.res.ConvergedAfterHealMs = &ms
			s.logf("converged: one chain and equal roots %d ms after heal", ms)
		}
	}
	every := max(s.cfg.Slots/10, 10)
	if s.slot > 0 && s.slot%every == 0 {
		s.logf("status: %s", s.summary())
	}
}

func (s *Sim) summary() string {
	lo := [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	var hi [4]uint64
	for _, n := range s.nodes {
		if n.down {
			continue
		}
		v := [4]uint64{n.core.ProcessedSlot(), n.core.ConfirmedSlot(), n.core.RootSlot(), n.core.FinalizedSlot()}
		for i := range v {
			lo[i], hi[i] = min(lo[i], v[i]), max(hi[i], v[i])
		}
	}
	return fmt.Sprintf("processed %d–%d, confirmed %d–%d, root %d–%d, finalized %d–%d", lo[0], hi[0], lo[1], hi[1], lo[2], hi[2], lo[3], hi[3])
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// allLive reports whether f holds for every node that is up.
func (s *Sim) allLive(f func(*simNode) bool) bool {
	for _, n := range s.nodes {
		if !n.down && !f(n) {
			return false
		}
	}
	return true
}

func (s *Sim) lowestRoot() uint64 {
	low := ^uint64(0)
	for _, n := range s.nodes {
		if !n.down {
			low = min(low, n.core.RootSlot())
		}
	}
	return low
}
