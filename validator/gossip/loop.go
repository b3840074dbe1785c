package gossip

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"time"
)

// readLoop reads and handles packets until the socket fails or Run stops it.
func (n *Node) readLoop() error {
	buf := make([]byte, 65536)
	for {
		sz, from, err := n.cfg.Conn.ReadFrom(buf)
		if err != nil {
			n.mu.Lock()
			stopping := n.stopping
			n.mu.Unlock()
			if stopping {
				return nil
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				continue
			}
			return err
		}
		n.c.recv.Add(1)
		var src netip.AddrPort
		if ua, ok := from.(*net.UDPAddr); ok {
			ap := ua.AddrPort()
			src = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		}
		n.handle(buf[:sz], src, time.Now())
	}
}

// handle processes one packet from src.
func (n *Node) handle(b []byte, src netip.AddrPort, now time.Time) {
	p, err := decodePacket(b)
	if err != nil {
		n.c.malformed.Add(1)
		return
	}
	if p.shredVersion != n.cfg.ShredVersion {
		n.c.shredVer.Add(1)
		return
	}
	var votes []Vote
	reqOK := false
	for i, v := range p.values {
		ok, vote := n.merge(v, now)
		if ok && vote != nil {
			votes = append(votes, *vote)
		}
		if i == 0 && p.typ == typePullReq {
			reqOK = ok || n.knownCurrent(v)
		}
	}
	if p.typ == typePullReq && reqOK && src.IsValid() {
		n.answerPull(p, src)
	}
	if n.cfg.OnVote != nil {
		for _, v := range votes {
			n.cfg.OnVote(v)
		}
	}
}

// knownCurrent reports whether v (already merged or a duplicate) is what the
// table holds, i.e. a verified value from the requester.
func (n *Node) knownCurrent(v value) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	e, ok := n.tab.m[tableKey{v.origin, v.kind}]
	return ok && e.v.wallclock == v.wallclock && e.v.sig == v.sig
}

// merge checks one value and stores it if newer. ok reports a new value;
// vote is set when it was another node's vote.
func (n *Node) merge(v value, now time.Time) (ok bool, vote *Vote) {
	if v.shredVersion != n.cfg.ShredVersion {
		n.c.shredVer.Add(1)
		return false, nil
	}
	if stale(v.wallclock, now, n.cfg.PeerExpiry) {
		n.c.stale.Add(1)
		return false, nil
	}
	if v.origin == n.cfg.Self.Pubkey {
		n.c.dup.Add(1)
		return false, nil
	}
	var ci ContactInfo
	if v.kind == KindContactInfo {
		c, err := v.contact()
		if err != nil {
			n.c.malformed.Add(1)
			return false, nil
		}
		ci = c
	}
	// Cheap check first: skip the signature of a value we already hold.
	n.mu.Lock()
	e, held := n.tab.m[tableKey{v.origin, v.kind}]
	older := held && e.v.wallclock >= v.wallclock
	n.mu.Unlock()
	if older {
		n.c.dup.Add(1)
		return false, nil
	}
	if !v.verify() {
		n.c.badSig.Add(1)
		return false, nil
	}
	// Keep our own copy: the read buffer is reused.
	v.raw = append([]byte(nil), v.raw...)
	v.payload = v.raw[valueHeaderSize:]
	n.mu.Lock()
	inserted := n.tab.upsert(v, ci, now)
	if inserted {
		n.queue = append(n.queue, v)
	}
	n.mu.Unlock()
	if !inserted {
		n.c.dup.Add(1)
		return false, nil
	}
	n.c.accepted.Add(1)
	if v.kind == KindContactInfo && !held {
		n.log.Info("gossip peer discovered", "peer", v.origin.String(), "gossip", ci.Gossip)
	}
	if v.kind == KindVote {
		vt := v.vote()
		return true, &vt
	}
	return true, nil
}

// answerPull sends the requester the values it lacks.
func (n *Node) answerPull(p packet, to netip.AddrPort) {
	n.mu.Lock()
	vals := n.tab.missing(p.digest, p.values[0].origin, n.ownValuesLocked()...)
	n.mu.Unlock()
	for _, b := range encodeValues(typePullResp, n.cfg.ShredVersion, vals, maxPullRespPackets) {
		n.send(b, to)
		n.c.pullResp.Add(1)
	}
}

// timerLoop drives push, pull, refresh and expiry until ctx ends or the
// reader fails.
func (n *Node) timerLoop(ctx context.Context, readErr <-chan error) error {
	push := time.NewTicker(n.cfg.PushInterval)
	defer push.Stop()
	pull := time.NewTicker(n.cfg.PullInterval)
	defer pull.Stop()
	n.pullRound()
	n.pushRound(time.Now())
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-readErr:
			return err
		case now := <-push.C:
			n.refreshIfDue(now)
			n.pushRound(now)
		case now := <-pull.C:
			n.refreshIfDue(now)
			n.pullRound()
		}
	}
}

// refreshIfDue re-signs the own ContactInfo once RefreshInterval has
// passed since its wallclock. Checking on every round rather than on a
// ticker means a node resumed after a long pause (SIGSTOP) never sends a
// stale ContactInfo that peers would drop.
func (n *Node) refreshIfDue(now time.Time) {
	n.mu.Lock()
	if now.Sub(time.UnixMilli(int64(n.self.wallclock))) >= n.cfg.RefreshInterval {
		n.refreshSelfLocked(now)
	}
	n.mu.Unlock()
}

// pushRound expires dead peers and sends the queued new values to Fanout
// random live peers.
func (n *Node) pushRound(now time.Time) {
	n.mu.Lock()
	gone := n.tab.expire(now, n.cfg.PeerExpiry)
	queue := n.queue
	n.queue = nil
	peers := n.tab.contacts(time.Time{})
	n.rng.Shuffle(len(peers), func(i, j int) { peers[i], peers[j] = peers[j], peers[i] })
	n.mu.Unlock()
	for _, g := range gone {
		n.c.expired.Add(1)
		n.log.Info("gossip peer expired", "peer", g.String())
	}
	if len(queue) == 0 {
		return
	}
	pkts := encodeValues(typePush, n.cfg.ShredVersion, queue, 64)
	sent := 0
	for _, p := range peers {
		if sent == n.cfg.Fanout {
			break
		}
		if !p.Gossip.IsValid() {
			continue
		}
		for _, b := range pkts {
			n.send(b, p.Gossip)
			n.c.push.Add(1)
		}
		sent++
	}
}

// pullRound asks one random live peer, and the entrypoint, for what this
// node lacks.
func (n *Node) pullRound() {
	n.mu.Lock()
	peers := n.tab.contacts(n.liveSince())
	digest := n.tab.digest(n.ownValuesLocked()...)
	n.rng.Shuffle(len(digest), func(i, j int) { digest[i], digest[j] = digest[j], digest[i] })
	var target netip.AddrPort
	if len(peers) > 0 {
		target = peers[n.rng.IntN(len(peers))].Gossip
	}
	self := n.self
	n.mu.Unlock()
	req := encodePullRequest(n.cfg.ShredVersion, self, digest)
	if target.IsValid() {
		n.send(req, target)
		n.c.pullReq.Add(1)
	}
	if ep := n.cfg.Entrypoint; ep.IsValid() && ep != target && ep != n.cfg.Self.Gossip {
		n.send(req, ep)
		n.c.pullReq.Add(1)
	}
}
