package check

import (
	"fmt"
	"strings"
)

// NodeVotes is one node's vote progress over a window.
type NodeVotes struct {
	Node       int
	First      uint64 // last vote at the window's first sample
	Last       uint64 // last vote at its last sample
	Advancing  bool
	Delinquent bool // at its last sample
}

// Votes is the verdict of VoteActivity.
type Votes struct {
	OK         bool
	Nodes      []NodeVotes
	Stalled    []int // nodes whose last vote did not advance (or with fewer than two samples)
	Delinquent []int
	Reason     string
}

// VoteActivity judges the samples of one window: every node in nodes must
// have at least two samples, its last vote must have advanced from the
// first to the last, and it must not be delinquent at the end.
func VoteActivity(history []Sample, nodes []int) Votes {
	per, _ := byNode(history)
	v := Votes{}
	for _, id := range nodes {
		ss := per[id]
		nv := NodeVotes{Node: id}
		if len(ss) > 0 {
			nv.First, nv.Last = ss[0].LastVote, ss[len(ss)-1].LastVote
			nv.Delinquent = ss[len(ss)-1].Delinquent
			nv.Advancing = len(ss) >= 2 && nv.Last > nv.First
		}
		if !nv.Advancing {
			v.Stalled = append(v.Stalled, id)
		}
		if nv.Delinquent {
			v.Delinquent = append(v.Delinquent, id)
		}
		v.Nodes = append(v.Nodes, nv)
	}
	v.OK = len(v.Stalled) == 0 && len(v.Delinquent) == 0
	var why []string
	if len(v.Stalled) > 0 {
		why = append(why, fmt.Sprintf("votes not advancing on nodes %v", v.Stalled))
	}
	if len(v.Delinquent) > 0 {
		why = append(why, fmt.Sprintf("delinquent: nodes %v", v.Delinquent))
	}
	v.Reason = strings.Join(why, "; ")
	return v
}
