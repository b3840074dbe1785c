package core

import (
	"bytes"
	"sort"

	"slonui/solana"
)

const (
	repairsPerTick = 16
	maxRepairAsks  = 32  // tries before a slot is given up on (until the root passes it)
	orphanPieces   = 512 // pieces one orphan repair answer carries at most
)

// want is a slot to repair: when it was last asked for and how often.
type want struct {
	at   int64
	asks int
}

// want asks for slot by repair (at the next tick) unless it is held,
// being received, known dead, or at or below the root. A slot given up on
// is asked for again only when a block needs it as its parent (needed),
// not because another vote names it.
func (n *Node) want(slot uint64, needed bool) {
	if slot <= n.root.slot || n.dead[slot] || n.pending[slot] != nil {
		return
	}
	if n.gaveUp[slot] {
		if !needed {
			return
		}
		delete(n.gaveUp, slot)
	}
	if _, have := n.banks[slot]; have {
		return
	}
	// Asked at the next tick, not at once: the ancestors of an orphan
	// answer arrive newest first, each an orphan for a moment, and asking
	// for each one's parent at once would multiply the answers.
	if _, asked := n.wanted[slot]; !asked {
		n.wanted[slot] = want{at: n.now - n.cfg.RepairRetryMs}
	}
}

// chaseOrphans makes sure every complete block waiting for its parent has
// that parent (or, through pending blocks, the first missing ancestor)
// asked for. A slot repair gave up on is otherwise never asked again while
// the chain above it stays pending, and a node whose only way onto the
// heavier fork is that chain would stall there.
func (n *Node) chaseOrphans() {
	for _, pb := range n.pending {
		if !pb.complete() {
			continue
		}
		p := pb.parent
		if _, have := n.banks[p]; have || n.pending[p] != nil {
			continue
		}
		if _, asked := n.wanted[p]; asked || p <= n.root.slot || n.dead[p] {
			continue
		}
		n.want(p, true)
	}
}

// repairTick re-asks for pieces of incomplete blocks and for wanted slots
// (orphan parents, slots others voted for) that have waited RepairRetryMs.
func (n *Node) repairTick() {
	n.chaseOrphans()
	budget := repairsPerTick
	retry := n.cfg.RepairRetryMs
	var slots []uint64
	for s, pb := range n.pending {
		if !pb.complete() && n.now-pb.askedMs >= retry {
			slots = append(slots, s)
		}
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i] < slots[j] })
	for _, s := range slots {
		if budget == 0 {
			return
		}
		pb := n.pending[s]
		if pb.asks >= maxRepairAsks {
			delete(n.pending, s)
			n.gaveUp[s] = true
			continue
		}
		pb.askedMs = n.now
		pb.asks++
		n.askRepair(&RepairRequest{From: n.me, Slot: s, FirstIndex: pb.firstMissing()})
		budget--
	}
	slots = slots[:0]
	for s, w := range n.wanted {
		if n.now-w.at >= retry {
			slots = append(slots, s)
		}
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i] < slots[j] })
	for _, s := range slots {
		if budget == 0 {
			return
		}
		if _, have := n.banks[s]; have || s <= n.root.slot || n.pending[s] != nil {
			delete(n.wanted, s) // held, or arriving (pending blocks repair themselves)
			continue
		}
		w := n.wanted[s]
		if w.asks >= maxRepairAsks {
			delete(n.wanted, s)
			n.gaveUp[s] = true
			continue
		}
		n.wanted[s] = want{at: n.now, asks: w.asks + 1}
		n.askRepair(&RepairRequest{From: n.me, Slot: s, Orphan: true})
		budget--
	}
}

// askRepair sends q to the slot's leader and to one validator whose latest
// vote is at or past the slot (it has the block), chosen by a rotation that
// needs no random source.
func (n *Node) askRepair(q *RepairRequest) {
	n.stats.RepairRequestsSent++
	leader := n.sched.leader(q.Slot)
	n.send(leader, q)
	var peers []solana.Pubkey
	for i, v := range n.latest {
		if i != n.myIdx && v != nil && n.vals[i] != leader && v.Slot() >= q.Slot {
			peers = append(peers, n.vals[i])
		}
	}
	if len(peers) == 0 {
		return
	}
	sort.Slice(peers, func(i, j int) bool { return bytes.Compare(peers[i][:], peers[j][:]) < 0 })
	k := (q.Slot + uint64(n.now/n.cfg.RepairRetryMs)) % uint64(len(peers))
	n.send(peers[k], q)
}

// piecesOf returns the pieces of a complete block this node holds.
func (n *Node) piecesOf(slot uint64) (pieces []*BlockPiece, parent uint64, ok bool) {
	if b := n.banks[slot]; b != nil && b.frozen && len(b.pieces) > 0 {
		return b.pieces, b.parentSlot, true
	}
	if r := n.history.get(slot); r != nil && len(r.pieces) > 0 {
		return r.pieces, r.Parent, true
	}
	return nil, 0, false
}

// onRepair answers a repair request with the pieces it asks for.
func (n *Node) onRepair(q *RepairRequest) {
	if q.From == n.me {
		return
	}
	pieces, parent, ok := n.piecesOf(q.Slot)
	if !ok {
		return
	}
	n.stats.RepairRequestsServed++
	first := int(q.FirstIndex)
	if q.Orphan {
		first = 0
	}
	for _, p := range pieces[min(first, len(pieces)):] {
		n.send(q.From, p)
	}
	if !q.Orphan {
		return
	}
	// The ancestors too, down to what the asker has rooted (it holds
	// those), within OrphanDepth blocks and orphanPieces pieces: one round
	// trip fetches a whole fork a partition kept from the asker.
	floor := uint64(0)
	if i, ok := n.validatorIndex(q.From); ok && n.latest[i] != nil {
		floor = n.latest[i].Root
	}
	budget := orphanPieces - len(pieces)
	for i := 0; i < OrphanDepth && parent > floor && budget > 0; i++ {
		ps, pp, ok := n.piecesOf(parent)
		if !ok || len(ps) > budget {
			return
		}
		for _, p := range ps {
			n.send(q.From, p)
		}
		budget -= len(ps)
		parent = pp
	}
}
