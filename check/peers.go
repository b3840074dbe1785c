package check

import (
	"fmt"
	"slices"
	"time"
)

// Discovery is the verdict of PeerDiscovery.
type Discovery struct {
	OK      bool
	Elapsed time.Duration // start → the first moment every node listed every other
	// Missing are the nodes that, at their last sample, listed fewer than
	// n−1 peers (or had no sample), when not OK.
	Missing []int
	Reason  string
}

// PeerDiscovery walks the samples in time order, keeping each node's
// latest peer count, and finds the first moment at which every node 1..n
// lists all n−1 others.
func PeerDiscovery(history []Sample, start time.Time, n int) Discovery {
	ss := slices.Clone(history)
	slices.SortStableFunc(ss, func(a, b Sample) int { return a.T.Compare(b.T) })
	latest := map[int]int{}
	full := 0
	for _, s := range ss {
		if s.Node < 1 || s.Node > n {
			continue
		}
		old, had := latest[s.Node]
		latest[s.Node] = s.Peers
		if had && old >= n-1 {
			full--
		}
		if s.Peers >= n-1 {
			full++
		}
		if full == n {
			return Discovery{OK: true, Elapsed: s.T.Sub(start)}
		}
	}
	v := Discovery{}
	for id := 1; id <= n; id++ {
		if p, ok := latest[id]; !ok || p < n-1 {
			v.Missing = append(v.Missing, id)
		}
	}
	v.Reason = fmt.Sprintf("nodes %v do not list all %d peers at their last sample", v.Missing, n-1)
	return v
}
