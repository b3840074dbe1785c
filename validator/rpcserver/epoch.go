package rpcserver

import "math/bits"

// EpochSchedule is Solana's epoch schedule (S epoch_schedule.rs).
type EpochSchedule struct {
	SlotsPerEpoch            uint64 `json:"slotsPerEpoch"`
	LeaderScheduleSlotOffset uint64 `json:"leaderScheduleSlotOffset"`
	Warmup                   bool   `json:"warmup"`
	FirstNormalEpoch         uint64 `json:"firstNormalEpoch"`
	FirstNormalSlot          uint64 `json:"firstNormalSlot"`
}

// minimumSlotsPerEpoch is MINIMUM_SLOTS_PER_EPOCH.
const minimumSlotsPerEpoch = 32

// EpochAndIndex returns the epoch of slot and the slot's index in it.
func (e EpochSchedule) EpochAndIndex(slot uint64) (epoch, index uint64) {
	if e.SlotsPerEpoch == 0 {
		return 0, slot
	}
	if slot < e.FirstNormalSlot {
		tzMin := uint64(bits.TrailingZeros64(minimumSlotsPerEpoch))
		epoch = uint64(bits.TrailingZeros64(nextPow2(slot+minimumSlotsPerEpoch+1))) - tzMin - 1
		epochLen := uint64(1) << (epoch + tzMin)
		return epoch, slot - (epochLen - minimumSlotsPerEpoch)
	}
	n := slot - e.FirstNormalSlot
	return e.FirstNormalEpoch + n/e.SlotsPerEpoch, n % e.SlotsPerEpoch
}

// SlotsInEpoch is the length of epoch.
func (e EpochSchedule) SlotsInEpoch(epoch uint64) uint64 {
	if epoch < e.FirstNormalEpoch {
		return uint64(1) << (epoch + uint64(bits.TrailingZeros64(minimumSlotsPerEpoch)))
	}
	return e.SlotsPerEpoch
}

// FirstSlot is the first slot of epoch.
func (e EpochSchedule) FirstSlot(epoch uint64) uint64 {
	if epoch <= e.FirstNormalEpoch {
		return (uint64(1)<<epoch - 1) * minimumSlotsPerEpoch
	}
	return (epoch-e.FirstNormalEpoch)*e.SlotsPerEpoch + e.FirstNormalSlot
}

func nextPow2(x uint64) uint64 {
	if x <= 1 {
		return 1
	}
	return uint64(1) << (64 - bits.LeadingZeros64(x-1))
}
