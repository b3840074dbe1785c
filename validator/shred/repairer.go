package shred

import (
	"net"
	"net/netip"
	"slices"
	"time"
)

// serveRepair answers one request from the store.
func (n *Node) serveRepair(pkt []byte, from net.Addr) {
	req, err := DecodeRepairRequest(pkt)
	if err != nil {
		n.c.malformed.Add(1)
		return
	}
	n.c.reqServed.Add(1)
	var out [][]byte
	n.mu.Lock()
	switch req.Kind {
	case RepairWindow:
		if st := n.slots[req.Slot]; st != nil {
			if sh, ok := st.shreds[req.Index]; ok {
				out = append(out, sh.raw)
			}
		}
	case RepairHighest:
		if st := n.slots[req.Slot]; st != nil {
			if sh, ok := st.highestShred(); ok && sh.Index >= req.Index {
				out = append(out, sh.raw)
			}
		}
	case RepairOrphan:
		slot := req.Slot
		for range orphanDepth {
			st := n.slots[slot]
			if st == nil {
				break
			}
			if sh, ok := st.highestShred(); ok {
				out = append(out, sh.raw)
			}
			if st.parent == slot {
				break
			}
			slot = st.parent
		}
	}
	n.mu.Unlock()
	for _, b := range out {
		if _, err := n.cfg.Repair.WriteTo(b, from); err == nil {
			n.c.repairSent.Add(1)
		}
	}
}

// plannedRequest is one request and where it goes.
type plannedRequest struct {
	req RepairRequest
	to  netip.AddrPort
}

// repairRound sends the requests that are due.
func (n *Node) repairRound(now time.Time) {
	peers := n.cfg.RepairPeers()
	if len(peers) == 0 {
		return
	}
	n.mu.Lock()
	plan := n.planLocked(now, peers)
	n.mu.Unlock()
	for _, p := range plan {
		if _, err := n.cfg.Repair.WriteTo(p.req.Marshal(), net.UDPAddrFromAddrPort(p.to)); err != nil {
			n.log.Debug("repair request failed", "to", p.to, "kind", p.req.Kind, "slot", p.req.Slot, "err", err)
			continue
		}
		n.c.reqSent.Add(1)
	}
}

// planLocked decides this round's requests: gaps, missing ends, orphans and
// wanted slots, each with its own backoff; needs that were met are dropped.
func (n *Node) planLocked(now time.Time, peers []netip.AddrPort) []plannedRequest {
	var plan []plannedRequest
	budget := n.cfg.MaxRepairsPerRound
	for _, a := range n.attempts {
		a.seen = false
	}
	need := func(k reqKey, delay time.Duration, index uint32) {
		a := n.attempts[k]
		if a == nil {
			a = &attempt{next: now.Add(delay)}
			n.attempts[k] = a
		}
		a.seen = true
		if budget == 0 || now.Before(a.next) {
			return
		}
		a.tries++
		a.next = now.Add(backoff(n.cfg.RepairInterval, n.cfg.MaxRepairBackoff, a.tries))
		n.nonce++
		plan = append(plan, plannedRequest{
			req: RepairRequest{Kind: k.kind, Slot: k.slot, Index: index, Nonce: n.nonce},
			to:  peers[peerIndex(k, a.tries, len(peers))],
		})
		budget--
	}
	slots := make([]uint64, 0, len(n.slots))
	for s := range n.slots {
		slots = append(slots, s)
	}
	slices.Sort(slots)
	for _, s := range slots {
		st := n.slots[s]
		if st.own {
			continue
		}
		if !st.complete {
			for _, i := range st.missing(n.cfg.MaxRepairsPerRound) {
				need(reqKey{RepairWindow, s, i}, n.cfg.RepairDelay, i)
			}
			if st.last < 0 && now.Sub(st.lastRecv) >= n.cfg.LastShredTimeout {
				need(reqKey{RepairHighest, s, 0}, 0, st.highest+1)
			}
		}
		if n.orphanLocked(st) {
			need(reqKey{RepairOrphan, st.parent, 0}, 0, 0)
		}
	}
	for s := range n.wanted {
		need(reqKey{RepairOrphan, s, 0}, 0, 0)
	}
	for k, a := range n.attempts {
		if !a.seen {
			delete(n.attempts, k)
		}
	}
	return plan
}

// orphanLocked reports whether st's parent is neither stored nor held by the
// caller; without HaveSlot, orphan repair is off.
func (n *Node) orphanLocked(st *slotState) bool {
	if n.cfg.HaveSlot == nil || st.parent == st.slot {
		return false
	}
	if _, ok := n.slots[st.parent]; ok {
		return false
	}
	return !n.cfg.HaveSlot(st.parent)
}
