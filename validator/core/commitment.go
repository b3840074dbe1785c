package core

import (
	"maps"
	"sort"
)

// checkConfirmed marks slot optimistically confirmed when more than 2/3 of
// stake has voted for exactly its (slot, bank hash) as their latest vote.
func (n *Node) checkConfirmed(slot uint64) {
	if slot <= n.confirmed {
		return
	}
	b := n.banks[slot]
	if b == nil || !b.frozen {
		return
	}
	t := n.tally[slot]
	if t == nil || t.hash != b.bankHash || !ThresholdMet(t.stake, n.total) {
		return
	}
	n.confirmed = slot
	n.emit(Event{Kind: EventConfirmed, Slot: slot, Hash: b.bankHash})
}

// superMajorityRoot is the largest root R such that the stake of
// validators whose root is ≥ R exceeds 2/3 of total.
func superMajorityRoot(roots map[uint64]uint64, total uint64) uint64 {
	rs := make([]uint64, 0, len(roots))
	for r := range roots {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] > rs[j] })
	var acc uint64
	for _, r := range rs {
		acc += roots[r]
		if ThresholdMet(acc, total) {
			return r
		}
	}
	return 0
}

// refreshCommitment recomputes the highest super-majority root and squashes
// banks below the new root.
func (n *Node) refreshCommitment() {
	if n.hsmrDirty && n.now-n.hsmrMs >= n.g.SlotMs/4 {
		n.hsmrDirty, n.hsmrMs = false, n.now
		roots := map[uint64]uint64{}
		for i, v := range n.latest {
			if i == n.myIdx {
				roots[n.tower.Root] += n.stakes[i]
			} else if v != nil {
				roots[v.Root] += n.stakes[i]
			}
		}
		if r := superMajorityRoot(roots, n.total); r > n.hsmr {
			n.hsmr = r
			n.emit(Event{Kind: EventFinalized, Slot: r})
		}
	}
	target := n.hsmr
	if n.myStake > 0 && n.tower.Root < target {
		target = n.tower.Root
	}
	if target > n.root.slot {
		if b := n.banks[target]; b != nil && b.frozen && n.fc.IsAncestorOrEqual(n.root.slot, target) {
			n.setRoot(b)
		}
	}
}

// setRoot squashes the banks from the old root to r into r, records them
// in the block history and prunes every bank that does not descend from r.
func (n *Node) setRoot(r *bank) {
	old := n.root
	var path []*bank
	for b := r; b != old; b = b.parent {
		path = append(path, b)
	}
	accounts := old.accounts
	prev := old.slot
	for i := len(path) - 1; i >= 0; i-- {
		b := path[i]
		for k, a := range b.accounts {
			if a.Lamports == 0 && len(a.Data) == 0 && !a.Executable {
				delete(accounts, k)
			} else {
				accounts[k] = a
			}
		}
		for _, tx := range b.txs {
			old.rootedSigs.add(tx.Signature, rootedSig{slot: b.slot, err: tx.Err})
			// No bank above r can hold it too: the status cache keeps a
			// signature to one bank per fork.
			delete(r.unrooted, tx.Signature)
		}
		old.rootedHashes[b.blockhash] = b.height
		n.history.add(b.record())
		n.stats.SkippedSlots += b.slot - prev - 1
		prev = b.slot
	}
	r.accounts = accounts
	r.parent = nil
	r.rootedHashes = old.rootedHashes
	r.rootedSigs = old.rootedSigs
	if r.slot/64 != old.slot/64 {
		for h, ht := range r.rootedHashes {
			if ht+MaxRecentBlockhashes < r.height {
				delete(r.rootedHashes, h)
			}
		}
		r.rootedSigs.prune(r.slot)
		for sig, top := range r.unrooted {
			if top <= r.slot { // recorded only in banks at or below the root: squashed or pruned
				delete(r.unrooted, sig)
			}
		}
	}
	n.root = r
	for _, s := range n.fc.SetRoot(r.slot) {
		delete(n.banks, s)
	}
	delete(n.banks, old.slot)
	for s := range n.banks {
		if s < r.slot {
			delete(n.banks, s)
		}
	}
	dropThrough(n.pending, r.slot)
	dropThrough(n.tally, r.slot)
	dropThrough(n.dead, r.slot)
	dropThrough(n.wanted, r.slot)
	dropThrough(n.gaveUp, r.slot)
	dropThrough(n.produced, r.slot)
	if n.confirmed < r.slot {
		n.confirmed = r.slot
	}
}

// dropThrough deletes the entries of a per-slot map at or below slot.
func dropThrough[V any](m map[uint64]V, slot uint64) {
	maps.DeleteFunc(m, func(s uint64, _ V) bool { return s <= slot })
}
