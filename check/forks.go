package check

import (
	"fmt"
	"slices"
	"time"
)

// Fork is one chain the nodes are on: its highest tip and the nodes whose
// processed tip lies on it. A node whose tip is where two chains part lies
// on both.
type Fork struct {
	Tip   uint64
	Nodes []int
}

// Forks groups the nodes' processed tips into chains, using the parent
// links of every sample together (a block's parent is the same whoever
// reports it). A tip that cannot be walked back to another tip is taken to
// be on a different chain. Forks are ordered by tip, highest first; one
// fork means the cluster is on one chain.
func Forks(r Round) []Fork {
	parents := map[uint64]uint64{}
	for _, s := range r {
		for k, v := range s.Parents {
			parents[k] = v
		}
	}
	tips := make([]uint64, 0, len(r))
	for _, s := range r {
		tips = append(tips, s.Processed)
	}
	slices.Sort(tips)
	tips = slices.Compact(tips)
	slices.Reverse(tips)
	var forks []Fork
	for _, tip := range tips {
		onOne := false
		for _, f := range forks {
			onOne = onOne || IsAncestor(parents, tip, f.Tip)
		}
		if !onOne {
			forks = append(forks, Fork{Tip: tip})
		}
	}
	for i := range forks {
		for _, s := range r {
			if IsAncestor(parents, s.Processed, forks[i].Tip) && !slices.Contains(forks[i].Nodes, s.Node) {
				forks[i].Nodes = append(forks[i].Nodes, s.Node)
			}
		}
		slices.Sort(forks[i].Nodes)
	}
	return forks
}

// IsAncestor reports whether slot a is b or one of b's ancestors, walking
// parent links down from b. A missing link ends the walk with false.
func IsAncestor(parents map[uint64]uint64, a, b uint64) bool {
	for b > a {
		p, ok := parents[b]
		if !ok || p >= b {
			return false
		}
		b = p
	}
	return a == b
}

// Convergence is the verdict of Converged.
type Convergence struct {
	OK     bool
	Forks  []Fork
	Slot   uint64 // the common confirmed slot (the lowest node's confirmed)
	Hash   string // its hash, when the nodes report hashes
	Reason string // why not, "" when OK
	// HashesChecked is false when no node reported any hash, so only the
	// chains were compared.
	HashesChecked bool
}

// Converged reports whether every node's tip is on one chain and every
// node has the same hash at the common confirmed slot (the lowest confirmed
// slot of any node).
func Converged(r Round) Convergence {
	v := Convergence{Forks: Forks(r)}
	if len(r) == 0 {
		v.Reason = "no samples"
		return v
	}
	if len(v.Forks) > 1 {
		v.Reason = fmt.Sprintf("%d forks: %s", len(v.Forks), forkText(v.Forks))
		return v
	}
	v.Slot = r[0].Confirmed
	for _, s := range r {
		v.Slot = min(v.Slot, s.Confirmed)
		v.HashesChecked = v.HashesChecked || len(s.Hashes) > 0
	}
	if v.HashesChecked {
		for _, s := range r {
			h, ok := s.Hashes[v.Slot]
			switch {
			case !ok:
				v.Reason = fmt.Sprintf("node %d does not report the hash of slot %d", s.Node, v.Slot)
				return v
			case v.Hash == "":
				v.Hash = h
			case h != v.Hash:
				v.Reason = fmt.Sprintf("slot %d: node %d has hash %s, node %d has %s", v.Slot, r[0].Node, v.Hash, s.Node, h)
				v.Hash = ""
				return v
			}
		}
	}
	v.OK = true
	return v
}

func forkText(forks []Fork) string {
	s := ""
	for i, f := range forks {
		if i > 0 {
			s += "; "
		}
		s += fmt.Sprintf("tip %d on nodes %v", f.Tip, f.Nodes)
	}
	return s
}

// ConvergenceTime is the time from heal to the first round taken after it
// (by Round.Time) in which the cluster has converged. ok is false when no
// such round exists.
func ConvergenceTime(rounds []Round, heal time.Time) (d time.Duration, ok bool) {
	for _, r := range rounds {
		t := r.Time()
		if t.Before(heal) {
			continue
		}
		if Converged(r).OK {
			return t.Sub(heal), true
		}
	}
	return 0, false
}
