package core

import (
	"fmt"

	"slonui/solana"
)

// catchUpSlots is how far peers' votes may run ahead of this node's best
// bank before it stops producing blocks until repair has caught it up.
const catchUpSlots = 2 * LeaderRun

// IsLeader reports whether this node leads slot s.
func (n *Node) IsLeader(s uint64) bool { return n.sched.leader(s) == n.me }

// SlotLeader returns the scheduled leader of slot s.
func (n *Node) SlotLeader(s uint64) solana.Pubkey { return n.sched.leader(s) }

// produceTick finishes the node's block when its slot is over, starts one
// when the node leads the current slot, and streams what was built since
// the last tick.
func (n *Node) produceTick() {
	if p := n.producing; p != nil && n.slot > p.slot {
		n.finishBlock()
	}
	// Never build a slot at or below one this node already voted for: after
	// a restart that block would be a second version of the slot.
	if n.producing == nil && n.slot > n.root.slot && n.slot > n.tower.LastVotedSlot() && n.IsLeader(n.slot) && !n.produced[n.slot] {
		// Give the previous leader's last piece time to arrive before
		// choosing a parent; inside our own run there is nothing to wait for.
		grace := int64(0)
		if n.slot > 0 && !n.IsLeader(n.slot-1) {
			grace = n.g.SlotMs / 4
		}
		if n.now >= n.g.SlotStartMs(n.slot)+grace {
			n.startBlock()
		}
	}
	if n.producing != nil {
		n.produceEntries(false)
	}
}

func (n *Node) startBlock() {
	if _, exists := n.banks[n.slot]; exists {
		n.produced[n.slot] = true
		return
	}
	// A node that just started has not heard its peers' votes yet: it
	// listens for two slots before leading (unless it holds all the stake).
	if n.now-n.startedMs < 2*n.g.SlotMs && n.myStake != n.total {
		return
	}
	n.decide()
	parent := n.banks[n.resetSlot]
	if parent == nil || !parent.frozen || parent.slot >= n.slot {
		return
	}
	// A node that is still catching up (peers vote for a slot far past its
	// best bank that it has not replayed yet) would only fork off an old
	// block: wait for repair, and try again next tick. A node that holds
	// the slot is not behind, only on another fork, and goes on.
	if n.catchingUp(parent.slot) {
		return
	}
	n.produced[n.slot] = true
	b := newChildBank(parent, n.slot, n.me, n.g.SlotStartMs(n.slot))
	n.producing = b
	n.prodBuf = n.prodBuf[:0]
	n.prodIndex = 0
	n.emit(Event{Kind: EventBankCreated, Slot: b.slot, Parent: parent.slot})
}

// produceEntries executes queued transactions into entries, adds one tick
// entry, and emits the filled pieces (all of them when final).
func (n *Node) produceEntries(final bool) {
	b := n.producing
	var sigs []solana.Signature
	for len(n.txQueue) > 0 && len(b.txs) < n.cfg.MaxTxsPerBlock {
		e := Entry{NumHashes: 1}
		sigs = sigs[:0]
		for len(n.txQueue) > 0 && len(e.Txs) < n.cfg.MaxTxsPerEntry && len(b.txs) < n.cfg.MaxTxsPerBlock {
			q := n.txQueue[0]
			n.txQueue[0] = queuedTx{}
			n.txQueue = n.txQueue[1:]
			if out := executeTx(b, &q.tx, q.raw); out.landed {
				e.Txs = append(e.Txs, q.raw)
				sigs = append(sigs, q.tx.Signatures...)
			}
		}
		if len(e.Txs) == 0 {
			continue
		}
		e.Hash = NextEntryHash(b.lastEntry, e.NumHashes, sigs)
		b.lastEntry = e.Hash
		n.prodBuf = AppendEntry(n.prodBuf, &e)
	}
	tick := Entry{NumHashes: 1}
	tick.Hash = NextEntryHash(b.lastEntry, 1, nil)
	b.lastEntry = tick.Hash
	n.prodBuf = AppendEntry(n.prodBuf, &tick)

	max := min(n.cfg.MaxPieceBytes, MaxPieceData)
	var flush []*BlockPiece
	for len(n.prodBuf) > max || (len(n.prodBuf) == max && !final) {
		flush = append(flush, n.newPiece(n.prodBuf[:max], false))
		n.prodBuf = n.prodBuf[max:]
	}
	if final || len(n.prodBuf) > 0 {
		flush = append(flush, n.newPiece(n.prodBuf, final))
		n.prodBuf = n.prodBuf[:0]
	}
	n.emitPieces(flush)
}

func (n *Node) newPiece(data []byte, last bool) *BlockPiece {
	b := n.producing
	p := &BlockPiece{Slot: b.slot, Parent: b.parentSlot, Leader: n.me, Index: n.prodIndex, Last: last, Data: append([]byte(nil), data...)}
	n.prodIndex++
	return p
}

// emitPieces signs the pieces of one flush, a signature per group of at
// most MaxPieceGroup, and broadcasts them.
func (n *Node) emitPieces(flush []*BlockPiece) {
	b := n.producing
	for len(flush) > 0 {
		g := flush[:min(len(flush), MaxPieceGroup)]
		flush = flush[len(g):]
		if n.cfg.VerifySignatures {
			SignPieces(n.id, g)
		}
		for _, p := range g {
			b.pieces = append(b.pieces, p)
			n.broadcast(p)
		}
	}
}

func (n *Node) finishBlock() {
	b := n.producing
	n.produceEntries(true)
	n.producing = nil
	b.freeze()
	n.banks[b.slot] = b
	n.stats.BlocksProduced++
	n.emit(Event{Kind: EventBlockProduced, Slot: b.slot, Parent: b.parentSlot, Hash: b.bankHash})
	n.afterFreeze(b)
	if !n.IsLeader(b.slot + 1) {
		n.forwardQueue(n.sched.leader(b.slot + 1))
	}
}

// forwardQueue hands the transactions still queued to the next leader.
func (n *Node) forwardQueue(to solana.Pubkey) {
	for _, q := range n.txQueue {
		n.send(to, &TransactionMsg{Raw: q.raw})
	}
	n.txQueue = nil
}

// acceptTransaction decodes and checks a wire transaction, queues it when
// this node leads a slot of the next two runs, and (for client submissions)
// forwards it to the current and next leaders.
func (n *Node) acceptTransaction(raw []byte, fromClient, verify bool) (solana.Signature, error) {
	raw = append([]byte(nil), raw...)
	tx, msg, err := solana.DecodeTransactionMessage(raw)
	if err != nil {
		return solana.Signature{}, fmt.Errorf("core: transaction: %w", err)
	}
	if verify {
		if err := tx.VerifyMessage(msg); err != nil {
			return tx.ID(), fmt.Errorf("core: transaction %s: %w", tx.ID(), ErrBadSignature)
		}
	}
	leadsSoon := false
	for s := n.slot; s < n.slot+2*LeaderRun; s++ {
		if n.IsLeader(s) {
			leadsSoon = true
		}
	}
	if leadsSoon && len(n.txQueue) < n.cfg.TxQueueLimit {
		n.txQueue = append(n.txQueue, queuedTx{tx: tx, raw: raw})
	}
	if fromClient {
		cur := n.sched.leader(n.slot)
		next := n.nextLeaderAfter(n.slot)
		if cur != n.me {
			n.send(cur, &TransactionMsg{Raw: raw})
		}
		if next != cur && next != n.me {
			n.send(next, &TransactionMsg{Raw: raw})
		}
	}
	return tx.ID(), nil
}

// nextLeaderAfter returns the first leader after slot s that differs from
// the leader of s (or the leader one run later when all runs are the same).
func (n *Node) nextLeaderAfter(s uint64) solana.Pubkey {
	cur := n.sched.leader(s)
	for i := uint64(1); i <= 4*LeaderRun; i++ {
		if l := n.sched.leader(s + i); l != cur {
			return l
		}
	}
	return cur
}

// catchingUp reports whether peers are known to be far past parent on
// blocks this node has not replayed: a vote for such a slot, or a slot it
// is repairing (an orphan chain always ends in one). Slots known dead or
// given up on do not count.
func (n *Node) catchingUp(parent uint64) bool {
	if n.maxVoteSlot > parent+catchUpSlots {
		for i, v := range n.latest {
			if i == n.myIdx || v == nil {
				continue
			}
			s := v.Slot()
			if s > parent+catchUpSlots && s <= n.slot+64 && !n.fc.Contains(s) && !n.dead[s] && !n.gaveUp[s] && s > n.root.slot {
				return true
			}
		}
	}
	for s := range n.wanted {
		if s > parent+catchUpSlots {
			return true
		}
	}
	return false
}
