package core

import "slonui/solana"

// Block returns the block of slot when it is at commitment c or better
// (Processed is treated as Confirmed, as the RPC refuses it).
func (n *Node) Block(slot uint64, c Commitment) (BlockRecord, bool) {
	if c == Processed {
		c = Confirmed
	}
	top := n.bankAt(c)
	if slot > top.slot {
		return BlockRecord{}, false
	}
	if b := n.banks[slot]; b != nil && b.frozen {
		if !n.fc.IsAncestorOrEqual(slot, top.slot) {
			return BlockRecord{}, false
		}
		r := b.record()
		r.Transactions = append([]TxRecord(nil), r.Transactions...)
		return *r, true
	}
	if r := n.history.get(slot); r != nil {
		c := *r
		c.Transactions = append([]TxRecord(nil), r.Transactions...)
		return c, true
	}
	return BlockRecord{}, false
}

// Blocks lists the slots with a block in [start, end] on the chain of the
// bank at c, ascending.
func (n *Node) Blocks(start, end uint64, c Commitment) []uint64 {
	if c == Processed {
		c = Confirmed
	}
	top := n.bankAt(c)
	if end > top.slot {
		end = top.slot
	}
	var out []uint64
	for _, s := range n.history.order {
		if s >= start && s <= end && s < n.root.slot {
			out = append(out, s)
		}
	}
	var chain []uint64
	for b := top; b != nil; b = b.parent {
		if b.slot >= start && b.slot <= end {
			chain = append(chain, b.slot)
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		out = append(out, chain[i])
	}
	return out
}

// FirstAvailableBlock is the lowest slot whose block is still held.
func (n *Node) FirstAvailableBlock() uint64 {
	if s, ok := n.history.first(); ok {
		return s
	}
	return n.root.slot
}

// BankInfo describes one bank the node holds.
type BankInfo struct {
	Slot, Parent uint64
	BankHash     solana.Hash
	Blockhash    solana.Hash
	BlockHeight  uint64
	Leader       solana.Pubkey
	Rooted       bool
}

// BankInfo returns the bank of slot when this node holds it (frozen, or
// rooted in the kept history).
func (n *Node) BankInfo(slot uint64) (BankInfo, bool) {
	if b := n.banks[slot]; b != nil && b.frozen {
		return BankInfo{Slot: b.slot, Parent: b.parentSlot, BankHash: b.bankHash, Blockhash: b.blockhash, BlockHeight: b.height, Leader: b.leader, Rooted: b == n.root}, true
	}
	if r := n.history.get(slot); r != nil {
		return BankInfo{Slot: r.Slot, Parent: r.Parent, BankHash: r.BankHash, Blockhash: r.Blockhash, BlockHeight: r.BlockHeight, Leader: r.Leader, Rooted: true}, true
	}
	return BankInfo{}, false
}
