package cluster

import (
	"slices"
)

// leaderWindow lists slots clusterSlot-past .. clusterSlot+ahead with their
// scheduled leader (from any live node's schedule), whether some node holds
// a block there, and whether it was skipped. It is pure.
func leaderWindow(views []nodeView, live func(nodeView) bool, clusterSlot uint64, past, ahead int) []SlotLeader {
	if clusterSlot == 0 || past+ahead <= 0 {
		return nil
	}
	from := clusterSlot - min(uint64(past), clusterSlot)
	to := clusterSlot + uint64(ahead)
	var confirmed uint64
	chainLow := uint64(0)           // the lowest slot every chain reaches down to
	held := make([]bool, to-from+1) // by slot - from
	for _, v := range views {
		if v.ok.At.IsZero() {
			continue
		}
		confirmed = max(confirmed, v.ok.Confirmed)
		if len(v.ok.Chain) > 0 {
			chainLow = max(chainLow, v.ok.Chain[0].Slot)
		}
		for _, b := range v.ok.Chain {
			if b.Slot >= from && b.Slot <= to {
				held[b.Slot-from] = true
			}
		}
		for _, p := range v.points {
			if p.Slot >= from && p.Slot <= to {
				held[p.Slot-from] = true
			}
		}
	}
	out := make([]SlotLeader, 0, to-from+1)
	for s := from; s <= to; s++ {
		sl := SlotLeader{Slot: s, Current: s == clusterSlot, Produced: held[s-from]}
		for _, v := range views {
			if live(v) && v.ok.IsLeader(s) {
				sl.Node = v.base.ID
				break
			}
		}
		sl.Skipped = !sl.Produced && chainLow > 0 && s >= chainLow && s <= confirmed
		out = append(out, sl)
	}
	return out
}

// recentTips lists the distinct processed slots among pts within window
// slots of the newest, oldest first.
func recentTips(pts []point, window uint64) []uint64 {
	if len(pts) == 0 {
		return nil
	}
	top := uint64(0)
	for _, p := range pts {
		top = max(top, p.Slot)
	}
	var out []uint64
	for _, p := range pts {
		if p.Slot+window > top && p.Slot > 0 {
			out = append(out, p.Slot)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
