package core

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"slonui/solana"
)

// GenesisValidator is one staked validator at genesis.
type GenesisValidator struct {
	Identity solana.Pubkey // node identity; votes are signed with it
	Stake    uint64        // stake weight (leader schedule, votes)
	Lamports uint64        // balance of the identity account at genesis
}

// Genesis is the cluster's starting point. It is a plain input struct: the
// process wrapper converts its own genesis file into it.
type Genesis struct {
	CreationMs     int64  // unix milliseconds at which slot 0 starts
	SlotMs         int64  // slot duration in milliseconds
	TicksPerSlot   uint64 // entries of the hash chain per slot when idle
	SlotsPerEpoch  uint64 // no warmup: epoch = slot / SlotsPerEpoch
	Validators     []GenesisValidator
	Faucet         solana.Pubkey // account funding airdrops
	FaucetLamports uint64
}

// Default genesis values.
const (
	DefaultSlotMs        = 400
	DefaultTicksPerSlot  = 64
	DefaultSlotsPerEpoch = 8192
	MinSlotsPerEpoch     = 32
	LeaderRun            = 4 // NUM_CONSECUTIVE_LEADER_SLOTS
)

// Validate returns every problem of g joined.
func (g Genesis) Validate() error {
	var errs []error
	if g.SlotMs <= 0 {
		errs = append(errs, fmt.Errorf("genesis: slot_ms %d must be > 0", g.SlotMs))
	}
	if g.TicksPerSlot == 0 {
		errs = append(errs, errors.New("genesis: ticks_per_slot must be > 0"))
	}
	if g.SlotsPerEpoch < MinSlotsPerEpoch || g.SlotsPerEpoch%LeaderRun != 0 {
		errs = append(errs, fmt.Errorf("genesis: slots_per_epoch %d must be ≥ %d and a multiple of %d", g.SlotsPerEpoch, MinSlotsPerEpoch, LeaderRun))
	}
	if len(g.Validators) == 0 {
		errs = append(errs, errors.New("genesis: no validators"))
	}
	seen := map[solana.Pubkey]bool{}
	var total uint64
	for i, v := range g.Validators {
		if seen[v.Identity] {
			errs = append(errs, fmt.Errorf("genesis: validator %d: duplicate identity %s", i, v.Identity))
		}
		seen[v.Identity] = true
		if v.Stake == 0 {
			errs = append(errs, fmt.Errorf("genesis: validator %d (%s): stake must be > 0", i, v.Identity.Short()))
		}
		total += v.Stake
	}
	if total > 1<<60 {
		errs = append(errs, errors.New("genesis: total stake too large"))
	}
	if seen[g.Faucet] {
		errs = append(errs, errors.New("genesis: faucet must not be a validator identity"))
	}
	return errors.Join(errs...)
}

// Hash is the genesis hash: SHA-256 over a canonical encoding of g (the
// validators in the order given). It is also the blockhash of slot 0.
func (g Genesis) Hash() solana.Hash {
	b := make([]byte, 0, 64+len(g.Validators)*48)
	b = binary.LittleEndian.AppendUint64(b, uint64(g.CreationMs))
	b = binary.LittleEndian.AppendUint64(b, uint64(g.SlotMs))
	b = binary.LittleEndian.AppendUint64(b, g.TicksPerSlot)
	b = binary.LittleEndian.AppendUint64(b, g.SlotsPerEpoch)
	for _, v := range g.Validators {
		b = append(b, v.Identity[:]...)
		b = binary.LittleEndian.AppendUint64(b, v.Stake)
		b = binary.LittleEndian.AppendUint64(b, v.Lamports)
	}
	b = append(b, g.Faucet[:]...)
	b = binary.LittleEndian.AppendUint64(b, g.FaucetLamports)
	return solana.HashOf([]byte("slonui-genesis"), b)
}

// TotalStake is the sum of every validator's stake.
func (g Genesis) TotalStake() uint64 {
	var t uint64
	for _, v := range g.Validators {
		t += v.Stake
	}
	return t
}

// SlotStartMs is the time at which slot s starts.
func (g Genesis) SlotStartMs(s uint64) int64 { return g.CreationMs + int64(s)*g.SlotMs }

// SlotAt is the slot running at time now (0 before creation).
func (g Genesis) SlotAt(nowMs int64) uint64 {
	if nowMs <= g.CreationMs {
		return 0
	}
	return uint64((nowMs - g.CreationMs) / g.SlotMs)
}

// Epoch returns the epoch of slot s and its index within the epoch.
func (g Genesis) Epoch(s uint64) (epoch, index uint64) {
	return s / g.SlotsPerEpoch, s % g.SlotsPerEpoch
}

// sortedValidators returns the validators sorted by stake descending, then
// identity descending (the order of PROTOCOL.md §3.2).
func (g Genesis) sortedValidators() []GenesisValidator {
	vs := append([]GenesisValidator(nil), g.Validators...)
	sort.Slice(vs, func(i, j int) bool {
		if vs[i].Stake != vs[j].Stake {
			return vs[i].Stake > vs[j].Stake
		}
		return string(vs[i].Identity[:]) > string(vs[j].Identity[:])
	})
	return vs
}
