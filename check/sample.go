package check

import (
	"slices"
	"time"
)

// Sample is what one poll learned about one node.
type Sample struct {
	Node      int       // 1-based node number
	T         time.Time // when the node answered
	Processed uint64    // the node's processed (working bank) slot
	Confirmed uint64
	Finalized uint64

	// Hashes maps a slot to its block hash as this node has it (optional;
	// Converged compares the nodes' hashes at their common confirmed slot).
	Hashes map[uint64]string
	// Parents maps a slot to its parent slot on this node's view of its
	// chains (optional; Forks needs enough links to walk a tip back to the
	// slot where the chains meet).
	Parents map[uint64]uint64

	// Leaders maps a slot to the identity of the leader whose block this
	// node holds there (optional; see ObservedLeaders).
	Leaders map[uint64]string

	Peers      int    // other nodes this node lists (getClusterNodes minus itself)
	LastVote   uint64 // the node's last voted slot (getVoteAccounts)
	Delinquent bool   // listed as delinquent by getVoteAccounts
}

// Round is one poll of every node.
type Round []Sample

// Time is the latest answer time in the round (zero for an empty round).
func (r Round) Time() time.Time {
	var t time.Time
	for _, s := range r {
		if s.T.After(t) {
			t = s.T
		}
	}
	return t
}

// byNode returns the samples of history grouped per node, each in time
// order, and the node numbers in order.
func byNode(history []Sample) (map[int][]Sample, []int) {
	m := map[int][]Sample{}
	for _, s := range history {
		m[s.Node] = append(m[s.Node], s)
	}
	ids := make([]int, 0, len(m))
	for id, ss := range m {
		slices.SortStableFunc(ss, func(a, b Sample) int { return a.T.Compare(b.T) })
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return m, ids
}
