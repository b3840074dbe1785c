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

// chainCalls are the chain's calls in one poll's batch (see addChainCalls).
type chainCalls struct {
	blocks    *rpc.BatchCall // getBlocks from above the known chain; nil: not asked
	newSlots  []uint64
	get       []*rpc.BatchCall // getBlock of fetch[i]
	fetch     []uint64
	gotBlocks []rpc.Block
}

// addChainCalls puts the recent chain's calls into the poll's batch, so the
// chain costs no request of its own: getBlocks (confirmed) from above the
// slots already known, and getBlock (transactionDetails none, no rewards)
// for the oldest chainFetchMax slots an earlier getBlocks listed. A block
// therefore reaches the chain one poll after the node confirmed it.
func (p *rpcPoller) addChainCalls(b *rpc.Batch) *chainCalls {
	if p.blockMisses >= metricsMisses || p.lastConfirmed == 0 {
		return nil
	}
	cc := &chainCalls{}
	from := max(p.chainTop+1, windowLow(p.lastConfirmed))
	cc.blocks = b.Add("getBlocks", []any{from, map[string]any{"commitment": rpc.Confirmed}}, &cc.newSlots)
	cc.fetch = p.pending[:min(len(p.pending), chainFetchMax)]
	cc.gotBlocks = make([]rpc.Block, len(cc.fetch))
	for i, s := range cc.fetch {
		cc.get = append(cc.get, b.Add("getBlock", []any{s, map[string]any{
			"commitment": rpc.Confirmed, "transactionDetails": "none", "rewards": false,
			"maxSupportedTransactionVersion": 0}}, &cc.gotBlocks[i]))
	}
	return cc
}

// windowLow is the lowest slot the chain keeps below confirmed.
func windowLow(confirmed uint64) uint64 {
	if confirmed >= chainWindow {
		return confirmed - chainWindow + 1
	}
	return 0
}

// applyChain folds a poll's chain answers into the chain, oldest first and
// without gaps (a node that jumped ahead, catching up after a partition, is
// filled in over a few polls), and returns it, shared until the next
// change. Failures only leave the chain as it was; they are not poll
// errors, since the chain only feeds the fork view and checks. confirmed
// is the node's confirmed slot in this poll (0: unknown).
func (p *rpcPoller) applyChain(ctx context.Context, cc *chainCalls, confirmed uint64) []ChainBlock {
	if confirmed > 0 {
		if confirmed+chainWindow < p.chainTop { // a new ledger: start over
			p.chain, p.chainTop, p.pending = nil, 0, nil
			cc = nil
		}
		p.lastConfirmed = confirmed
	}
	if cc == nil {
		return p.chain
	}
	if cc.blocks.Err != nil {
		if ctx.Err() == nil {
			p.blockMisses++
		}
		return p.chain
	}
	p.blockMisses = 0
	low := windowLow(p.lastConfirmed)
	var added []ChainBlock
	for i, c := range cc.get {
		if c.Err == nil && cc.gotBlocks[i].Blockhash != "" {
			added = append(added, ChainBlock{Slot: cc.fetch[i], Parent: cc.gotBlocks[i].ParentSlot, Hash: cc.gotBlocks[i].Blockhash})
		}
	}
	// What is still to fetch: the slots not asked this time, then the new
	// ones, all within the window.
	rest := p.pending[len(cc.fetch):]
	pending := make([]uint64, 0, len(rest)+len(cc.newSlots))
	for _, s := range slices.Concat(rest, cc.newSlots) {
		if s >= low {
			pending = append(pending, s)
		}
	}
	slices.Sort(pending)
	p.pending = slices.Compact(pending)
	if n := len(cc.newSlots); n > 0 {
		p.chainTop = max(p.chainTop, cc.newSlots[n-1])
	}
	if len(added) == 0 {
		return p.chain
	}
	next := make([]ChainBlock, 0, len(p.chain)+len(added))
	for _, cb := range p.chain {
		if cb.Slot >= low {
			next = append(next, cb)
		}
	}
	next = append(next, added...)
	slices.SortFunc(next, func(a, b ChainBlock) int { return cmpU64(a.Slot, b.Slot) })
	p.chain = slices.CompactFunc(next, func(a, b ChainBlock) bool { return a.Slot == b.Slot })
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
