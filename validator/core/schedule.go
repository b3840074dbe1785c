package core

import (
	"encoding/binary"
	"math/rand/v2"
	"sort"

	"slonui/solana"
)

// LeaderSchedule is the leader of every slot of one epoch.
type LeaderSchedule struct {
	Epoch     uint64
	FirstSlot uint64
	Leaders   []solana.Pubkey // one per slot of the epoch
}

// Leader returns the leader of slot s, which must lie in the epoch.
func (ls *LeaderSchedule) Leader(s uint64) solana.Pubkey { return ls.Leaders[s-ls.FirstSlot] }

// ComputeLeaderSchedule draws the schedule of an epoch: validators sorted by
// stake descending (ties: identity descending), a ChaCha8 generator seeded
// with the epoch number (little-endian in bytes 0..8 of a zero seed),
// slots_per_epoch/4 stake-weighted draws, each repeated for 4 consecutive
// slots. Every node computes the same schedule.
func ComputeLeaderSchedule(g Genesis, epoch uint64) LeaderSchedule {
	vs := g.sortedValidators()
	cum := make([]uint64, len(vs))
	var total uint64
	for i, v := range vs {
		total += v.Stake
		cum[i] = total
	}
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:], epoch)
	rng := rand.New(rand.NewChaCha8(seed))
	ls := LeaderSchedule{Epoch: epoch, FirstSlot: epoch * g.SlotsPerEpoch, Leaders: make([]solana.Pubkey, g.SlotsPerEpoch)}
	for i := uint64(0); i < g.SlotsPerEpoch; i += LeaderRun {
		x := rng.Uint64N(total)
		k := sort.Search(len(cum), func(j int) bool { return cum[j] > x })
		for j := uint64(0); j < LeaderRun && i+j < g.SlotsPerEpoch; j++ {
			ls.Leaders[i+j] = vs[k].Identity
		}
	}
	return ls
}

// scheduleCache keeps the schedules of the few epochs in use.
type scheduleCache struct {
	g      Genesis
	epochs map[uint64]*LeaderSchedule
}

func (c *scheduleCache) get(epoch uint64) *LeaderSchedule {
	if ls, ok := c.epochs[epoch]; ok {
		return ls
	}
	if c.epochs == nil || len(c.epochs) > 4 {
		c.epochs = map[uint64]*LeaderSchedule{}
	}
	ls := ComputeLeaderSchedule(c.g, epoch)
	c.epochs[epoch] = &ls
	return &ls
}

func (c *scheduleCache) leader(s uint64) solana.Pubkey {
	return c.get(s / c.g.SlotsPerEpoch).Leader(s)
}
