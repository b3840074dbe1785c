package check

import (
	"fmt"
	"time"
)

// DefaultNewRoots is how many new finalized slots every node must see after
// a heal (Agave's check_for_new_roots(16)).
const DefaultNewRoots = 16

// NodeRecovery is one node's progress since the heal.
type NodeRecovery struct {
	Node     int
	NewRoots int       // distinct finalized slots seen after the heal, above its finalized slot at the heal
	At       time.Time // when it reached the goal; zero if it did not
}

// Recovery is the verdict of Recovered.
type Recovery struct {
	OK      bool
	Need    int
	Nodes   []NodeRecovery
	Elapsed time.Duration // heal → the last node reaching the goal, when OK
	Reason  string
}

// Recovered counts, per node, the distinct finalized slots its samples
// taken after heal show above its finalized slot at the heal (its last
// sample at or before heal; with none, every value counts, as in Agave).
// It passes when every node in nodes reached need; a node without samples
// has 0.
func Recovered(history []Sample, nodes []int, heal time.Time, need int) Recovery {
	per, _ := byNode(history)
	v := Recovery{OK: true, Need: need}
	for _, id := range nodes {
		nr := NodeRecovery{Node: id}
		var base uint64
		hasBase := false
		seen := map[uint64]bool{}
		for _, s := range per[id] {
			if !s.T.After(heal) {
				base, hasBase = s.Finalized, true
				continue
			}
			if (hasBase && s.Finalized <= base) || seen[s.Finalized] {
				continue
			}
			seen[s.Finalized] = true
			nr.NewRoots++
			if nr.NewRoots == need {
				nr.At = s.T
			}
		}
		if nr.NewRoots >= need {
			v.Elapsed = max(v.Elapsed, nr.At.Sub(heal))
		} else if v.OK {
			v.OK = false
			v.Reason = fmt.Sprintf("node %d saw %d new finalized slots since the heal, want %d", id, nr.NewRoots, need)
		}
		v.Nodes = append(v.Nodes, nr)
	}
	if !v.OK {
		v.Elapsed = 0
	}
	return v
}
