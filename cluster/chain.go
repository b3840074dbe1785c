package cluster

import (
	"context"
	"slices"

	"slonui/rpc"
)

// ChainBlock is one confirmed block of a node's recent chain, as the node
// answered getBlock for it.
type ChainBlock struct {
	Slot   uint64
	Parent uint64
	Hash   string
}

// chainWindow is how many slots below a node's confirmed slot its recent
// chain reaches; blocks below are dropped.
const chainWindow = 64

// chainFetchMax bounds the getBlock calls of one poll.
const chainFetchMax = 16

// fetchChain adds the confirmed blocks the node has above what is already
// known, up to confirmed: one getBlocks, then one batch of getBlock
// (transactionDetails none, no rewards) for the oldest chainFetchMax new
// slots. Failures only leave the chain as it was; they are
// not poll errors, since the chain only feeds the fork view and checks.
// It returns the chain, oldest first, shared until the next change.
func (p *rpcPoller) fetchChain(ctx context.Context, confirmed uint64) []ChainBlock {
	if confirmed+chainWindow < p.chainTop { // a new ledger: start over
		p.chain, p.chainTop = nil, 0
	}
	if confirmed == 0 || confirmed <= p.chainTop || p.blockMisses >= metricsMisses {
		return p.chain
	}
	from := p.chainTop + 1
	if confirmed >= chainWindow && from < confirmed-chainWindow+1 {
		from = confirmed - chainWindow + 1
	}
	var slots []uint64
	err := p.rpc.Call(ctx, "getBlocks", []any{from, confirmed, map[string]any{"commitment": rpc.Confirmed}}, &slots)
	if err != nil {
		if ctx.Err() == nil {
			p.blockMisses++
		}
		return p.chain
	}
	// The oldest new slots first, so the chain has no gaps: a node that
	// jumped ahead (catching up after a partition) is filled in over a few
	// polls.
	top := confirmed
	if len(slots) > chainFetchMax {
		slots = slots[:chainFetchMax]
		top = slots[len(slots)-1]
	}
	b := p.rpc.NewBatch()
	blocks := make([]rpc.Block, len(slots))
	calls := make([]*rpc.BatchCall, len(slots))
	for i, s := range slots {
		calls[i] = b.Add("getBlock", []any{s, map[string]any{
			"commitment": rpc.Confirmed, "transactionDetails": "none", "rewards": false,
			"maxSupportedTransactionVersion": 0}}, &blocks[i])
	}
	if len(calls) > 0 {
		if err := b.Do(ctx); err != nil {
			return p.chain
		}
	}
	next := make([]ChainBlock, 0, len(p.chain)+len(slots))
	low := uint64(0)
	if confirmed >= chainWindow {
		low = confirmed - chainWindow + 1
	}
	for _, cb := range p.chain {
		if cb.Slot >= low {
			next = append(next, cb)
		}
	}
	for i, c := range calls {
		if c.Err == nil && blocks[i].Blockhash != "" {
			next = append(next, ChainBlock{Slot: slots[i], Parent: blocks[i].ParentSlot, Hash: blocks[i].Blockhash})
		}
	}
	slices.SortFunc(next, func(a, b ChainBlock) int { return cmpU64(a.Slot, b.Slot) })
	next = slices.CompactFunc(next, func(a, b ChainBlock) bool { return a.Slot == b.Slot })
	p.chain, p.chainTop, p.blockMisses = next, top, 0
	return p.chain
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// hashAt returns the hash the chain holds for slot.
func hashAt(chain []ChainBlock, slot uint64) (string, bool) {
	i, ok := slices.BinarySearchFunc(chain, slot, func(b ChainBlock, s uint64) int { return cmpU64(b.Slot, s) })
	if !ok {
		return "", false
	}
	return chain[i].Hash, true
}
