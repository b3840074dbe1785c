package core

import (
	"errors"
	"fmt"
	"sort"

	"slonui/solana"
)

// pendingBlock gathers the pieces of a block until it is complete and its
// parent is frozen.
type pendingBlock struct {
	slot, parent uint64
	leader       solana.Pubkey
	pieces       map[uint32]*BlockPiece
	last         int64                            // index of the Last piece, -1 while unknown
	signed       map[solana.Hash]solana.Signature // group roots whose signature was verified
	seenMs       int64                            // when the first piece arrived
	askedMs      int64                            // when missing pieces were last requested
	asks         int
}

func (pb *pendingBlock) complete() bool {
	return pb.last >= 0 && int64(len(pb.pieces)) == pb.last+1
}

func (pb *pendingBlock) firstMissing() uint32 {
	var i uint32
	for ; ; i++ {
		if _, ok := pb.pieces[i]; !ok {
			return i
		}
	}
}

// maxFutureSlots bounds how far ahead of the clock a block may be.
const maxFutureSlots = 64

// Errors of block pieces.
var (
	ErrWrongLeader = errors.New("core: block piece from a leader not scheduled for its slot")
	ErrBadPiece    = errors.New("core: malformed block piece")
)

func (n *Node) onPiece(p *BlockPiece) error {
	if p.Slot <= n.root.slot || n.dead[p.Slot] {
		return nil
	}
	if n.now > 0 && p.Slot > n.slot+maxFutureSlots {
		return fmt.Errorf("%w: slot %d is too far ahead of %d", ErrBadPiece, p.Slot, n.slot)
	}
	if _, have := n.banks[p.Slot]; have {
		return nil
	}
	if n.producing != nil && n.producing.slot == p.Slot {
		return nil
	}
	if p.Parent >= p.Slot || len(p.Data) > MaxPieceData || p.Index > 1<<16 {
		return fmt.Errorf("%w: slot %d parent %d index %d", ErrBadPiece, p.Slot, p.Parent, p.Index)
	}
	if n.sched.leader(p.Slot) != p.Leader {
		return fmt.Errorf("slot %d: %w", p.Slot, ErrWrongLeader)
	}
	var root solana.Hash
	if n.cfg.VerifySignatures {
		var ok bool
		if root, ok = n.verifyPiece(p); !ok {
			return fmt.Errorf("slot %d piece %d: %w", p.Slot, p.Index, ErrBadSignature)
		}
	}
	if p.Parent < n.root.slot || n.dead[p.Parent] {
		// Built on a pruned fork (or a dead block): it can never replay.
		n.markDead(p.Slot)
		return nil
	}
	pb := n.pending[p.Slot]
	if pb == nil {
		pb = &pendingBlock{slot: p.Slot, parent: p.Parent, leader: p.Leader, pieces: map[uint32]*BlockPiece{}, last: -1, seenMs: n.now, askedMs: n.now}
		n.pending[p.Slot] = pb
	}
	if pb.parent != p.Parent {
		return nil // a second version of the slot: keep the first (duplicates are not resolved)
	}
	if n.cfg.VerifySignatures {
		if pb.signed == nil {
			pb.signed = map[solana.Hash]solana.Signature{}
		}
		if _, ok := pb.signed[root]; !ok {
			pb.signed[root] = p.Signature
		}
	}
	if _, dup := pb.pieces[p.Index]; dup {
		return nil
	}
	if pb.last >= 0 && int64(p.Index) > pb.last {
		return nil
	}
	pb.pieces[p.Index] = p
	if p.Last {
		pb.last = int64(p.Index)
		for i := range pb.pieces {
			if int64(i) > pb.last {
				delete(pb.pieces, i)
			}
		}
	}
	n.tryReplay(pb)
	return nil
}

// verifyPiece recomputes the root of p's group from its proof and checks
// that the slot's leader signed it. A root already verified for the slot,
// carried with the same signature, is not checked again: a piece whose
// proof is wrong leads to another root and is checked (and fails).
func (n *Node) verifyPiece(p *BlockPiece) (root solana.Hash, ok bool) {
	root, ok = p.MerkleRoot()
	if !ok {
		return root, false
	}
	if pb := n.pending[p.Slot]; pb != nil {
		if sig, seen := pb.signed[root]; seen && sig == p.Signature {
			return root, true
		}
	}
	return root, solana.Verify(p.Leader, root[:], p.Signature)
}

// tryReplay replays pb when it is complete and its parent is frozen, then
// any waiting children; a complete orphan asks for its parent.
func (n *Node) tryReplay(pb *pendingBlock) {
	if !pb.complete() {
		return
	}
	parent := n.banks[pb.parent]
	if parent == nil || !parent.frozen {
		if pb.parent < n.root.slot || n.dead[pb.parent] {
			n.markDead(pb.slot)
			return
		}
		n.want(pb.parent, true)
		return
	}
	delete(n.pending, pb.slot)
	n.replay(pb, parent)
	// Children that were waiting for this block.
	var kids []*pendingBlock
	for _, c := range n.pending {
		if c.parent == pb.slot && c.complete() {
			kids = append(kids, c)
		}
	}
	sort.Slice(kids, func(i, j int) bool { return kids[i].slot < kids[j].slot })
	for _, c := range kids {
		n.tryReplay(c)
	}
}

func (n *Node) replay(pb *pendingBlock, parent *bank) {
	b := newChildBank(parent, pb.slot, pb.leader, n.g.SlotStartMs(pb.slot))
	n.emit(Event{Kind: EventBankCreated, Slot: b.slot, Parent: parent.slot})
	pieces := make([]*BlockPiece, pb.last+1)
	size := 0
	for i := range pieces {
		pieces[i] = pb.pieces[uint32(i)]
		size += len(pieces[i].Data)
	}
	data := make([]byte, 0, size)
	for _, p := range pieces {
		data = append(data, p.Data...)
	}
	if err := n.replayEntries(b, data); err != nil {
		n.markDead(b.slot)
		n.stats.DeadBlocks++
		n.emit(Event{Kind: EventDeadBlock, Slot: b.slot, Parent: parent.slot, Detail: err.Error()})
		return
	}
	b.pieces = pieces
	b.freeze()
	n.banks[b.slot] = b
	n.stats.BlocksReplayed++
	n.afterFreeze(b)
}

// replayEntries checks the hash chain of data's entries and executes their
// transactions into b. Any invalid transaction makes the block dead.
func (n *Node) replayEntries(b *bank, data []byte) error {
	var sigs []solana.Signature
	for len(data) > 0 {
		e, used, err := DecodeEntry(data)
		if err != nil {
			return err
		}
		if used == 0 {
			return errors.New("truncated entry")
		}
		data = data[used:]
		txs := make([]solana.Transaction, len(e.Txs))
		sigs = sigs[:0]
		for i, raw := range e.Txs {
			tx, msg, err := solana.DecodeTransactionMessage(raw)
			if err != nil {
				return fmt.Errorf("transaction %d: %w", i, err)
			}
			if n.cfg.VerifySignatures && !n.cfg.TrustBlockTransactions {
				if err := tx.VerifyMessage(msg); err != nil {
					return fmt.Errorf("transaction %s: %w", tx.ID(), err)
				}
			}
			txs[i] = tx
			sigs = append(sigs, tx.Signatures...)
		}
		if h := NextEntryHash(b.lastEntry, e.NumHashes, sigs); h != e.Hash {
			return fmt.Errorf("entry hash mismatch: have %s want %s", e.Hash, h)
		}
		b.lastEntry = e.Hash
		for i := range txs {
			if out := executeTx(b, &txs[i], e.Txs[i]); !out.landed {
				return fmt.Errorf("transaction %s: %v", txs[i].ID(), out.err)
			}
		}
	}
	return nil
}

// afterFreeze adds a frozen bank to fork choice and re-evaluates
// confirmation and the vote.
func (n *Node) afterFreeze(b *bank) {
	n.emit(Event{Kind: EventBankFrozen, Slot: b.slot, Parent: b.parentSlot, Hash: b.bankHash})
	n.fc.Add(b.slot, b.parentSlot)
	delete(n.wanted, b.slot)
	n.checkConfirmed(b.slot)
	n.votedDirty = true
	n.decide()
}

// markDead records that slot's block can never be replayed (it failed, or
// it descends from a failed or pruned block) and drops what waits on it.
func (n *Node) markDead(slot uint64) {
	n.dead[slot] = true
	delete(n.pending, slot)
	delete(n.wanted, slot)
	for s, pb := range n.pending {
		if pb.parent == slot {
			n.markDead(s)
		}
	}
}
