package core

import "slonui/solana"

// BlockRecord is a block as the RPC layer shows it (getBlock).
type BlockRecord struct {
	Slot              uint64
	Parent            uint64
	Leader            solana.Pubkey
	Blockhash         solana.Hash
	PreviousBlockhash solana.Hash
	BankHash          solana.Hash
	BlockHeight       uint64
	BlockTimeMs       int64 // unix ms (the slot's start); RPC shows seconds
	Transactions      []TxRecord
	pieces            []*BlockPiece
}

func (b *bank) record() *BlockRecord {
	return &BlockRecord{
		Slot: b.slot, Parent: b.parentSlot, Leader: b.leader,
		Blockhash: b.blockhash, PreviousBlockhash: b.parentBlockhash, BankHash: b.bankHash,
		BlockHeight: b.height, BlockTimeMs: b.blockTimeMs,
		Transactions: b.txs, pieces: b.pieces,
	}
}

// blockHistory keeps the most recent rooted blocks, up to a count and a
// byte budget.
type blockHistory struct {
	cap      int
	maxBytes int64
	bytes    int64
	bySlot   map[uint64]*BlockRecord
	order    []uint64 // ascending
}

func newBlockHistory(capacity int, maxBytes int64) *blockHistory {
	return &blockHistory{cap: capacity, maxBytes: maxBytes, bySlot: map[uint64]*BlockRecord{}}
}

// size estimates the memory a record holds.
func (r *BlockRecord) size() int64 {
	n := int64(256)
	for _, p := range r.pieces {
		n += int64(len(p.Data)) + 160
	}
	for _, tx := range r.Transactions {
		n += int64(len(tx.Raw)) + 128
	}
	return n
}

func (h *blockHistory) add(r *BlockRecord) {
	if _, ok := h.bySlot[r.Slot]; ok {
		return
	}
	h.bySlot[r.Slot] = r
	h.order = append(h.order, r.Slot)
	h.bytes += r.size()
	for len(h.order) > 1 && (len(h.order) > h.cap || h.bytes > h.maxBytes) {
		h.bytes -= h.bySlot[h.order[0]].size()
		delete(h.bySlot, h.order[0])
		h.order = h.order[1:]
	}
	if cap(h.order) > 4*h.cap {
		h.order = append([]uint64(nil), h.order...)
	}
}

func (h *blockHistory) get(slot uint64) *BlockRecord { return h.bySlot[slot] }

// first returns the lowest slot held.
func (h *blockHistory) first() (uint64, bool) {
	if len(h.order) == 0 {
		return 0, false
	}
	return h.order[0], true
}
