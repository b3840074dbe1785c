package core

import "slonui/solana"

// SignatureStatus is a transaction's status as getSignatureStatuses shows it.
type SignatureStatus struct {
	Slot               uint64
	Confirmations      *uint64 // nil when finalized
	Err                *TxError
	ConfirmationStatus string // "processed", "confirmed", "finalized"
}

// SignatureStatuses looks each signature up in the processed bank's status
// cache (all live forks on that chain plus the last 300 rooted slots); with
// searchHistory the kept rooted blocks are searched as well. A nil entry
// means not found.
func (n *Node) SignatureStatuses(sigs []solana.Signature, searchHistory bool) []*SignatureStatus {
	pb := n.bankAt(Processed)
	out := make([]*SignatureStatus, len(sigs))
	for i, sig := range sigs {
		slot, err, ok := pb.findSig(sig)
		if !ok && searchHistory {
			slot, err, ok = n.searchHistory(sig)
		}
		if !ok {
			continue
		}
		st := &SignatureStatus{Slot: slot, Err: err}
		switch {
		case n.isFinalizedSlot(slot):
			st.ConfirmationStatus = "finalized"
		default:
			c := uint64(n.confirmationCount(slot))
			st.Confirmations = &c
			if slot <= n.confirmed && n.fc.IsAncestorOrEqual(slot, n.confirmed) {
				st.ConfirmationStatus = "confirmed"
			} else {
				st.ConfirmationStatus = "processed"
			}
		}
		out[i] = st
	}
	return out
}

func (n *Node) searchHistory(sig solana.Signature) (uint64, *TxError, bool) {
	for i := len(n.history.order) - 1; i >= 0; i-- {
		r := n.history.bySlot[n.history.order[i]]
		for _, tx := range r.Transactions {
			if tx.Signature == sig {
				return r.Slot, tx.Err, true
			}
		}
	}
	return 0, nil, false
}

// isFinalizedSlot reports whether slot is on the chain of the finalized
// bank, at or below it.
func (n *Node) isFinalizedSlot(slot uint64) bool {
	if slot <= n.root.slot {
		return n.isRootedSlot(slot)
	}
	return slot <= n.hsmr && n.fc.Contains(n.hsmr) && n.fc.IsAncestorOrEqual(slot, n.hsmr)
}

// isRootedSlot reports whether slot is on this node's rooted chain.
func (n *Node) isRootedSlot(slot uint64) bool {
	if slot == n.root.slot || slot == 0 {
		return true
	}
	if slot < n.root.slot {
		return n.history.get(slot) != nil
	}
	return false
}

// confirmationCount is §1.5's count: the deepest lockout level i (1..32)
// at which the stake locked out on slot at depth ≥ i exceeds 2/3.
func (n *Node) confirmationCount(slot uint64) int {
	var byLevel [maxConfirmationCount + 1]uint64
	add := func(stake uint64, root uint64, votes []Lockout) {
		level := 0
		if root >= slot && n.fc.IsAncestorOrEqual(slot, root) {
			level = maxConfirmationCount
		} else {
			for _, l := range votes { // bottom first: the first match has the deepest lockout
				if l.Slot >= slot && n.fc.IsAncestorOrEqual(slot, l.Slot) {
					level = int(min(l.Conf, maxConfirmationCount))
					break
				}
			}
		}
		byLevel[level] += stake
	}
	for i, v := range n.latest {
		if i != n.myIdx && v != nil {
			add(n.stakes[i], v.Root, v.Votes)
		}
	}
	if n.myStake > 0 {
		add(n.myStake, n.tower.Root, n.tower.Votes)
	}
	var acc uint64
	for i := maxConfirmationCount; i >= 1; i-- {
		acc += byLevel[i]
		if ThresholdMet(acc, n.total) {
			return i
		}
	}
	return 0
}
