package validator

import (
	"errors"
	"net"
	"net/netip"

	"slonui/solana"
	"slonui/validator/core"
	"slonui/validator/gossip"
)

// route sends the core's outgoing messages. Addresses come from gossip:
// a message to a peer gossip does not know is dropped and counted (repair
// and forwarding retry on their own).
//
//	block piece, broadcast   → every peer's TVU
//	block piece, to one peer → its repair port (a repair answer)
//	vote                     → gossip, and every peer's TVU (lowest latency)
//	transactions             → the peer's TVU, in signed forward batches (forward.go),
//	                           after at most forwardLinger
//	repair request           → the peer's repair port
func (n *Node) route(envs []core.Envelope) {
	peers := n.gossip.Peers()
	byKey := peersByKey(peers)
	for _, e := range envs {
		if t, ok := e.Msg.(*core.TransactionMsg); ok {
			if n.fwd.add(e.To, t.Raw) {
				n.flushForwards(e.To, byKey)
			}
			continue
		}
		b := core.MarshalMessage(e.Msg)
		switch e.Msg.(type) {
		case *core.Vote:
			n.sendVote(b, peers)
		case *core.BlockPiece:
			if e.Broadcast {
				for i := range peers {
					n.sendTo(n.tvuConn, peers[i].TVU, b)
				}
				continue
			}
			if p := byKey[e.To]; p != nil {
				n.sendTo(n.repairConn, p.Repair, b)
			} else {
				n.counter.unroutable.Add(1)
			}
		case *core.RepairRequest:
			if p := byKey[e.To]; p != nil {
				n.sendTo(n.repairConn, p.Repair, b)
			} else {
				n.counter.unroutable.Add(1)
			}
		}
	}
}

// sendVotes sends votes (the voter calls it, after their tower is saved).
func (n *Node) sendVotes(votes []core.Envelope) {
	peers := n.gossip.Peers()
	for _, e := range votes {
		n.sendVote(core.MarshalMessage(e.Msg), peers)
	}
}

// sendVote pushes a marshalled vote into gossip and to every peer's TVU.
func (n *Node) sendVote(b []byte, peers []gossip.ContactInfo) {
	if err := n.gossip.PushVote(b); err != nil {
		n.log.Warn("gossip vote", "module", "gossip", "err", err)
	}
	for i := range peers {
		n.sendTo(n.tvuConn, peers[i].TVU, b)
	}
}

// flushForwards sends the transactions waiting for one leader (to) in
// signed forward batches; byKey is gossip's peers by identity.
func (n *Node) flushForwards(to solana.Pubkey, byKey map[solana.Pubkey]*gossip.ContactInfo) {
	txs := n.fwd.take(to)
	if len(txs) == 0 {
		return
	}
	p := byKey[to]
	if p == nil {
		n.counter.unroutable.Add(uint64(len(txs)))
		return
	}
	for _, b := range packForwards(n.genesisHash, n.s.identity, txs) {
		n.sendTo(n.tvuConn, p.TVU, b)
	}
}

// flushAllForwards sends every waiting transaction (the linger ended).
func (n *Node) flushAllForwards() {
	leaders := n.fwd.leaders()
	if len(leaders) == 0 {
		return
	}
	byKey := peersByKey(n.gossip.Peers())
	for _, to := range leaders {
		n.flushForwards(to, byKey)
	}
}

func peersByKey(peers []gossip.ContactInfo) map[solana.Pubkey]*gossip.ContactInfo {
	byKey := make(map[solana.Pubkey]*gossip.ContactInfo, len(peers))
	for i := range peers {
		byKey[peers[i].Pubkey] = &peers[i]
	}
	return byKey
}

func (n *Node) sendTo(pc net.PacketConn, to netip.AddrPort, b []byte) {
	if !to.IsValid() {
		n.counter.unroutable.Add(1)
		return
	}
	if _, err := pc.WriteTo(b, net.UDPAddrFromAddrPort(to)); err != nil {
		n.counter.sendErrors.Add(1)
	}
}

// readMessages decodes framed core messages from a TVU or repair socket
// into the inbox until the socket closes.
func (n *Node) readMessages(pc net.PacketConn) {
	buf := make([]byte, 65536)
	for {
		sz, _, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		if sz > 0 && buf[0] == forwardBatchKind {
			n.forwarded(fwdJob{pkt: append([]byte(nil), buf[:sz]...), batch: true})
			continue
		}
		m, err := core.UnmarshalMessage(buf[:sz])
		if err != nil {
			n.counter.malformed.Add(1)
			continue
		}
		if t, ok := m.(*core.TransactionMsg); ok {
			n.forwarded(fwdJob{pkt: t.Raw})
			continue
		}
		n.deliver(m)
	}
}

// deliver queues m for the loop without blocking; a full inbox drops it.
func (n *Node) deliver(m core.Message) {
	select {
	case n.inbox <- m:
	default:
		n.counter.inboxDropped.Add(1)
	}
}

// onGossipVote takes a vote gossip relayed; it must not block.
func (n *Node) onGossipVote(v gossip.Vote) {
	m, err := core.UnmarshalMessage(v.Data)
	if err != nil {
		n.counter.malformed.Add(1)
		return
	}
	vote, ok := m.(*core.Vote)
	if !ok || vote.Node != v.Origin {
		n.counter.malformed.Add(1)
		return
	}
	n.deliver(vote)
}

// onTPUPacket takes a raw wire transaction from a client: the core decodes,
// verifies its signatures and queues or forwards it.
func (n *Node) onTPUPacket(pkt []byte, _ netip.AddrPort) {
	if _, err := n.submit(dontWait, pkt); err != nil {
		n.counter.rejected.Add(1)
	}
}
