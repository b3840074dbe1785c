package chaos

import (
	"fmt"
	"slices"
	"strings"

	"slonui/validator/netfault"
)

// Describe renders one node's rules in node numbers, e.g.
// "cut from nodes 1-4; loss 5% with node 3; delay 100 ± 20 ms", or
// "no faults". Addresses that belong to no node are shown as they are.
func Describe(t Topology, r netfault.Rules) string {
	var parts []string
	add := func(prefix string, addrs []string) {
		if len(addrs) > 0 {
			parts = append(parts, prefix+" "+peerText(t, addrs))
		}
	}
	add("cut from", r.Partition)
	add("deaf to", r.PartitionIn)
	add("mute to", r.PartitionOut)
	if r.Loss.Fraction > 0 {
		s := fmt.Sprintf("loss %s%%", trimFloat(r.Loss.Fraction*100))
		if len(r.Loss.Peers) > 0 {
			s += " with " + peerText(t, r.Loss.Peers)
		}
		parts = append(parts, s)
	}
	if r.Delay.MS > 0 || r.Delay.JitterMS > 0 {
		s := fmt.Sprintf("delay %d ms", r.Delay.MS)
		if r.Delay.JitterMS > 0 {
			s += fmt.Sprintf(" ± %d ms", r.Delay.JitterMS)
		}
		if len(r.Delay.Peers) > 0 {
			s += " with " + peerText(t, r.Delay.Peers)
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "no faults"
	}
	return strings.Join(parts, "; ")
}

// PeerNodes maps peer addresses back to node numbers; the addresses that
// belong to no node are returned as they are.
func PeerNodes(t Topology, addrs []string) (ids []int, unknown []string) {
	owner := map[string]int{}
	for _, n := range t.Nodes {
		for _, a := range n.Addrs {
			owner[a] = n.ID
		}
	}
	for _, a := range addrs {
		if id, ok := owner[a]; ok {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		} else {
			unknown = append(unknown, a)
		}
	}
	slices.Sort(ids)
	return ids, unknown
}

func peerText(t Topology, addrs []string) string {
	ids, unknown := PeerNodes(t, addrs)
	var parts []string
	if len(ids) > 0 {
		parts = append(parts, nodeList(ids))
	}
	return strings.Join(append(parts, unknown...), ", ")
}
