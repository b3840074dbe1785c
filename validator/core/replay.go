package core

import (
	"errors"
	"fmt"
	"sort"

	"slonui/solana"
)

// pendingBlock gathers the pieces of a block until it is frozen. Once its
// parent is frozen it is replayed as its pieces arrive, in order (advance):
// the entries of pieces 0..next-1 are in bank, and tail holds the bytes of
// an entry not yet whole. So when the last piece comes, only that piece is
// left to replay, and the block freezes (and is voted on) at once rather
// than after a replay of the whole block.
type pendingBlock struct {
	slot, parent uint64
	leader       solana.Pubkey
	pieces       map[uint32]*BlockPiece
	last         int64                            // index of the Last piece, -1 while unknown
	signed       map[solana.Hash]solana.Signature // group roots whose signature was verified
	seenMs       int64                            // when the first piece arrived
	askedMs      int64                            // when missing pieces were last requested
	asks         int

	bank *bank  // the block's bank while it replays; nil before
	next uint32 // the next piece to replay
	tail []byte // replayed pieces' bytes past the last whole entry
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
	n.advance(pb)
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

// advance replays pb's pieces, in order, as far as they have arrived once
// its parent is frozen, and freezes it after the last one; then it goes on
// with any waiting children. A block whose parent is missing waits for it,
// and asks for it once the block is complete (an orphan).
func (n *Node) advance(pb *pendingBlock) {
	parent := n.banks[pb.parent]
	if parent == nil || !parent.frozen {
		if pb.parent < n.root.slot || n.dead[pb.parent] {
			n.markDead(pb.slot)
			return
		}
		if pb.complete() {
			n.want(pb.parent, true)
		}
		return
	}
	if pb.bank != nil && pb.bank.parent != parent {
		// Not the parent bank replay began on (it cannot happen while a
		// frozen bank stays in n.banks until pruned): start over.
		pb.bank, pb.next, pb.tail = nil, 0, nil
	}
	if pb.bank == nil {
		if _, ok := pb.pieces[0]; !ok {
			return
		}
		pb.bank = newChildBank(parent, pb.slot, pb.leader, n.g.SlotStartMs(pb.slot))
		n.emit(Event{Kind: EventBankCreated, Slot: pb.slot, Parent: pb.parent})
	}
	for {
		p, ok := pb.pieces[pb.next]
		if !ok {
			break
		}
		pb.tail = append(pb.tail, p.Data...)
		used, err := n.replayPrefix(pb.bank, pb.tail)
		if err != nil {
			n.failReplay(pb, err)
			return
		}
		pb.tail = pb.tail[used:]
		pb.next++
	}
	if pb.last < 0 || int64(pb.next) <= pb.last {
		return
	}
	if len(pb.tail) > 0 {
		n.failReplay(pb, errors.New("truncated entry"))
		return
	}
	b := pb.bank
	delete(n.pending, pb.slot)
	b.pieces = make([]*BlockPiece, pb.last+1)
	for i := range b.pieces {
		b.pieces[i] = pb.pieces[uint32(i)]
	}
	b.freeze()
	n.banks[b.slot] = b
	n.stats.BlocksReplayed++
	n.afterFreeze(b)
	// Children that were waiting for this block.
	var kids []*pendingBlock
	for _, c := range n.pending {
		if c.parent == pb.slot {
			kids = append(kids, c)
		}
	}
	sort.Slice(kids, func(i, j int) bool { return kids[i].slot < kids[j].slot })
	for _, c := range kids {
		if n.pending[c.slot] == c {
			n.advance(c)
		}
	}
}

// failReplay marks pb's block dead: one of its entries or transactions is
// invalid.
func (n *Node) failReplay(pb *pendingBlock, err error) {
	n.markDead(pb.slot)
	n.stats.DeadBlocks++
	n.emit(Event{Kind: EventDeadBlock, Slot: pb.slot, Parent: pb.parent, Detail: err.Error()})
}

// replayEntries checks the hash chain of data's entries and executes their
// transactions into b. Any invalid transaction makes the block dead, and so
// does data that ends inside an entry.
func (n *Node) replayEntries(b *bank, data []byte) error {
	used, err := n.replayPrefix(b, data)
	if err != nil {
		return err
	}
	if used < len(data) {
		return errors.New("truncated entry")
	}
	return nil
}

// replayPrefix replays the whole entries at the start of data into b and
// returns how many bytes they took; the rest is an entry still incomplete.
func (n *Node) replayPrefix(b *bank, data []byte) (int, error) {
	var sigs []solana.Signature
	total := 0
	for len(data) > 0 {
		e, used, err := DecodeEntry(data)
		if err != nil {
			return total, err
		}
		if used == 0 {
			return total, nil
		}
		data = data[used:]
		total += used
		txs := make([]solana.Transaction, len(e.Txs))
		sigs = sigs[:0]
		for i, raw := range e.Txs {
			tx, msg, err := solana.DecodeTransactionMessage(raw)
			if err != nil {
				return total, fmt.Errorf("transaction %d: %w", i, err)
			}
			if n.cfg.VerifySignatures && !n.cfg.TrustBlockTransactions {
				if err := tx.VerifyMessage(msg); err != nil {
					return total, fmt.Errorf("transaction %s: %w", tx.ID(), err)
				}
			}
			txs[i] = tx
			sigs = append(sigs, tx.Signatures...)
		}
		if h := NextEntryHash(b.lastEntry, e.NumHashes, sigs); h != e.Hash {
			return total, fmt.Errorf("entry hash mismatch: have %s want %s", e.Hash, h)
		}
		b.lastEntry = e.Hash
		for i := range txs {
			if out := executeTx(b, &txs[i], e.Txs[i]); !out.landed {
				return total, fmt.Errorf("transaction %s: %v", txs[i].ID(), out.err)
			}
		}
	}
	return total, nil
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
