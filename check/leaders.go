package check

import (
	"fmt"
	"slices"
)

// ObservedLeaders merges the nodes' Leaders into one slot → producer map
// for LeaderRotation. Slots where nodes disagree on the producer (two
// blocks for one slot) are left out of the map and listed in conflicts.
func ObservedLeaders(history []Sample) (blocks map[uint64]string, conflicts []uint64) {
	blocks = map[uint64]string{}
	bad := map[uint64]bool{}
	for _, s := range history {
		for slot, who := range s.Leaders {
			if bad[slot] {
				continue
			}
			if prev, ok := blocks[slot]; ok && prev != who {
				bad[slot] = true
				delete(blocks, slot)
				conflicts = append(conflicts, slot)
				continue
			}
			blocks[slot] = who
		}
	}
	slices.Sort(conflicts)
	return blocks, conflicts
}

// LeaderMismatch is a slot whose block came from another leader than the
// schedule's.
type LeaderMismatch struct {
	Slot      uint64
	Scheduled string
	Observed  string
}

// LeaderSkips lists one leader's slots that have no block.
type LeaderSkips struct {
	Leader string
	Slots  []uint64
}

// Rotation is the verdict of LeaderRotation.
type Rotation struct {
	OK          bool
	Slots       int // slots judged
	Produced    int // of which had a block
	Mismatches  []LeaderMismatch
	Unscheduled []uint64      // slots with a block but no scheduled leader
	Skipped     []LeaderSkips // by leader, sorted by leader
	Reason      string
}

// SkipRate is the fraction of judged slots without a block.
func (r Rotation) SkipRate() float64 {
	if r.Slots == 0 {
		return 0
	}
	return float64(r.Slots-r.Produced) / float64(r.Slots)
}

// LeaderRotation compares, for every slot in [from, to], the scheduled
// leader (schedule: slot → identity) with the producer of the block
// observed there (blocks: slot → identity; a missing slot was skipped). It
// passes when every block came from its scheduled leader; skipped slots are
// reported by leader but do not fail it.
func LeaderRotation(schedule, blocks map[uint64]string, from, to uint64) Rotation {
	v := Rotation{}
	skips := map[string][]uint64{}
	for s := from; s <= to; s++ {
		want, scheduled := schedule[s]
		got, produced := blocks[s]
		v.Slots++
		if produced {
			v.Produced++
		}
		switch {
		case produced && !scheduled:
			v.Unscheduled = append(v.Unscheduled, s)
		case produced && got != want:
			v.Mismatches = append(v.Mismatches, LeaderMismatch{Slot: s, Scheduled: want, Observed: got})
		case !produced && scheduled:
			skips[want] = append(skips[want], s)
		}
		if s == to { // to may be the largest uint64
			break
		}
	}
	for l, ss := range skips {
		v.Skipped = append(v.Skipped, LeaderSkips{Leader: l, Slots: ss})
	}
	slices.SortFunc(v.Skipped, func(a, b LeaderSkips) int {
		if a.Leader < b.Leader {
			return -1
		}
		if a.Leader > b.Leader {
			return 1
		}
		return 0
	})
	v.OK = len(v.Mismatches) == 0 && len(v.Unscheduled) == 0
	switch {
	case len(v.Mismatches) > 0:
		m := v.Mismatches[0]
		v.Reason = fmt.Sprintf("%d slots led by the wrong node (first: slot %d by %s, scheduled %s)", len(v.Mismatches), m.Slot, m.Observed, m.Scheduled)
	case len(v.Unscheduled) > 0:
		v.Reason = fmt.Sprintf("%d blocks in slots without a scheduled leader (first: slot %d)", len(v.Unscheduled), v.Unscheduled[0])
	}
	return v
}
