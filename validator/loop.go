package validator

import (
	"context"
	"time"

	"slonui/solana"
	"slonui/validator/core"
	"slonui/validator/rpcserver"
)

// status is the immutable snapshot the loop publishes after every step;
// cheap RPC getters read it without touching the core.
type status struct {
	stats     core.Stats
	tower     core.Tower
	maxVote   uint64 // highest latest vote of any validator this node knows
	processed uint64
	confirmed uint64
	finalized uint64
	at        time.Time
}

// maxBatch bounds the messages stepped under one hold of the core's mutex,
// and maxTurn the time spent stepping them (checked every 16): replaying a
// burst of full blocks must not hold up this node's own block production.
const (
	maxBatch = 256
	maxTurn  = 20 * time.Millisecond
)

// loop owns the core's clock and inbound messages until ctx ends.
func (n *Node) loop(ctx context.Context) error {
	t := time.NewTimer(n.tick)
	defer t.Stop()
	peers := time.NewTicker(time.Second)
	defer peers.Stop()
	lp := newLoopState()
	if err := n.replayLedger(lp); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-t.C:
			t0 := time.Now()
			n.mu.Lock()
			t1 := time.Now()
			n.core.Tick(now.UnixMilli())
			r := n.core.Ready()
			t.Reset(n.nextTick())
			n.mu.Unlock()
			t2 := time.Now()
			if err := n.act(r, lp, 0); err != nil {
				return err
			}
			n.slowTurn("tick", t0, t1, t2)
		case m := <-n.inbox:
			start := time.Now()
			n.mu.Lock()
			t1 := time.Now()
			n.step(m)
			for i := 0; i < maxBatch; i++ {
				if i%16 == 15 && time.Since(start) > maxTurn {
					break // let a due tick (block production) in
				}
				select {
				case m = <-n.inbox:
					n.step(m)
					continue
				default:
				}
				break
			}
			r := n.core.Ready()
			n.mu.Unlock()
			t2 := time.Now()
			if err := n.act(r, lp, time.Since(start)); err != nil {
				return err
			}
			n.slowTurn("messages", start, t1, t2)
		case v := <-n.verified:
			t0 := time.Now()
			n.lastTxAt = t0
			n.mu.Lock()
			t1 := time.Now()
			n.acceptVerified(v)
			r := n.core.Ready()
			n.mu.Unlock()
			t2 := time.Now()
			if err := n.act(r, lp, 0); err != nil {
				return err
			}
			n.slowTurn("transactions", t0, t1, t2)
		case <-n.fwd.due():
			n.fwd.fired()
			n.flushAllForwards()
		case now := <-peers.C:
			n.everySecond(now, lp)
		}
	}
}

// slowTurn logs a turn of the loop that took longer than a quarter of a
// slot (started at t0, had the core's mutex at t1, left the core at t2):
// while the loop is held up, the node neither produces, replays nor votes.
func (n *Node) slowTurn(what string, t0, t1, t2 time.Time) {
	end := time.Now()
	if end.Sub(t0) < n.slowTurnAt() {
		return
	}
	n.log.Warn("slow loop turn", "module", "loop", "turn", what, "took", end.Sub(t0).Round(time.Millisecond),
		"lock_wait", t1.Sub(t0).Round(time.Millisecond), "core", t2.Sub(t1).Round(time.Millisecond),
		"act", end.Sub(t2).Round(time.Millisecond))
}

// slowTurnAt is a quarter of a slot.
func (n *Node) slowTurnAt() time.Duration {
	return time.Duration(n.s.genesis.SlotMS) * time.Millisecond / 4
}

// nextTick is the wait until the next tick: TickInterval while this node
// leads the current slot (its block is made tick by tick) — but no later
// than the slot's end, so the block is finished and its last pieces sent
// the moment the slot is over, not up to a tick late — or took
// transactions in the last second (the cluster is under load: votes,
// commitment and forwarding keep pace); otherwise twice that, which is
// plenty for an idle node's repair timers and vote decisions and halves its
// wake-ups, but no later than the start of a slot this node leads next.
// The loop calls it, holding n.mu.
func (n *Node) nextTick() time.Duration {
	s := n.core.CurrentSlot()
	return tickWait(n.tick, n.core.IsLeader(s), time.Since(n.lastTxAt) < time.Second, n.core.IsLeader(s+1), n.untilSlot(s+1))
}

// tickWait is nextTick's rule: tick is TickInterval, leading and busy say
// whether this node leads the current slot and took transactions in the
// last second, leadsNext whether it leads the next slot, which starts in
// untilNext.
func tickWait(tick time.Duration, leading, busy, leadsNext bool, untilNext time.Duration) time.Duration {
	switch {
	case leading:
		return min(tick, untilNext)
	case busy:
		return tick
	case leadsNext:
		return min(2*tick, untilNext)
	}
	return 2 * tick
}

// untilSlot is the wait until slot s starts, at least a millisecond; the
// caller holds n.mu.
func (n *Node) untilSlot(s uint64) time.Duration {
	return max(time.Until(time.UnixMilli(n.core.SlotStartMs(s))), time.Millisecond)
}

// step feeds one message to the core; the caller holds n.mu.
func (n *Node) step(m core.Message) {
	if err := n.core.Step(m); err != nil {
		n.counter.rejected.Add(1)
		n.log.Debug("message rejected", "module", "replay", "kind", m.Kind(), "err", err)
		return
	}
	if p, ok := m.(*core.BlockPiece); ok {
		n.blog.seen(p)
	}
}

// replayLedger feeds the blocks of the block log to the core, a batch per
// hold of the mutex so RPC is served meanwhile, and acts on the result.
func (n *Node) replayLedger(lp *loopState) error {
	pieces := n.restored
	n.restored = nil
	if len(pieces) == 0 {
		return nil
	}
	start := time.Now()
	for len(pieces) > 0 {
		k := min(len(pieces), maxBatch)
		n.mu.Lock()
		for _, p := range pieces[:k] {
			if err := n.core.Step(p); err != nil {
				n.counter.rejected.Add(1)
			}
		}
		r := n.core.Ready()
		n.mu.Unlock()
		pieces = pieces[k:]
		if err := n.act(r, lp, 0); err != nil {
			return err
		}
	}
	n.log.Info("replayed the block log", "module", "ledger", "processed", n.snap.Load().processed,
		"took", time.Since(start).Round(time.Millisecond))
	return nil
}

// act carries out one core.Ready in the order the core demands: the tower
// is on disk before a vote leaves the node. The voter (voter.go) sees to
// that off the loop; the other messages leave at once.
func (n *Node) act(r core.Ready, lp *loopState, stepped time.Duration) error {
	if msgs := n.queueVotes(r); len(msgs) > 0 {
		for _, e := range msgs {
			if p, ok := e.Msg.(*core.BlockPiece); ok && e.Broadcast {
				n.blog.seen(p) // this node's own block
			}
		}
		n.route(msgs)
	}
	if len(r.Events) > 0 || r.Tower != nil {
		n.publish()
	} else if lp.sincePublish++; lp.sincePublish >= 10 {
		n.publish()
	}
	for _, e := range r.Events {
		switch e.Kind {
		case core.EventBankFrozen:
			if err := n.blog.frozen(e.Slot); err != nil {
				n.log.Warn("block log", "module", "ledger", "err", err)
			}
		case core.EventRoot:
			n.blog.forget(e.Slot)
		}
		n.event(e, lp, stepped)
	}
	return nil
}

// publish stores a fresh status snapshot.
func (n *Node) publish() {
	n.mu.Lock()
	st := &status{
		stats:     n.core.Stats(),
		tower:     n.core.Tower(),
		processed: n.core.ProcessedSlot(),
		confirmed: n.core.ConfirmedSlot(),
		finalized: n.core.FinalizedSlot(),
		at:        time.Now(),
	}
	for _, va := range n.core.VoteAccounts() {
		st.maxVote = max(st.maxVote, va.LastVote)
	}
	n.mu.Unlock()
	n.snap.Store(st)
	n.metrics.SetSlots(st.processed, st.confirmed, st.finalized)
	n.metrics.SetForks(st.stats.LiveForks)
}

// loopState is what the loop remembers between steps for logs and metrics.
type loopState struct {
	sincePublish int
	votesSeen    uint64
	skipped      uint64
	txs          uint64
	gossipDrops  map[string]uint64
	lastReset    uint64
	txDrops      uint64 // transactions and messages dropped on full queues
}

func newLoopState() *loopState {
	return &loopState{gossipDrops: map[string]uint64{}}
}

// event logs, counts and publishes one core event.
func (n *Node) event(e core.Event, lp *loopState, stepped time.Duration) {
	log := n.log
	switch e.Kind {
	case core.EventBlockProduced:
		log.Info("produced block", "module", "leader", "slot", e.Slot, "parent", e.Parent, "hash", shortHash(e.Hash))
	case core.EventBankFrozen:
		log.Debug("replayed block", "module", "replay", "slot", e.Slot, "parent", e.Parent, "hash", shortHash(e.Hash))
		if stepped > 0 {
			n.metrics.ObserveReplay(stepped.Seconds())
		}
	case core.EventBankCreated:
		st := n.snap.Load()
		n.subs.send(rpcserver.Event{Kind: rpcserver.EventSlot, Slot: e.Slot, Parent: e.Parent, Root: st.tower.Root})
	case core.EventVoted:
		n.metrics.VoteCast()
		log.Debug("voted", "module", "tower", "slot", e.Slot, "hash", shortHash(e.Hash))
	case core.EventRoot:
		log.Info("new root", "module", "tower", "root", e.Slot)
		n.subs.send(rpcserver.Event{Kind: rpcserver.EventRoot, Root: e.Slot, Slot: e.Slot})
	case core.EventConfirmed:
		log.Debug("slot confirmed", "module", "commitment", "slot", e.Slot)
		n.subs.send(rpcserver.Event{Kind: rpcserver.EventCommitment, Slot: e.Slot})
	case core.EventFinalized:
		log.Debug("slot finalized", "module", "commitment", "slot", e.Slot)
		n.subs.send(rpcserver.Event{Kind: rpcserver.EventCommitment, Slot: e.Slot})
	case core.EventDeadBlock:
		log.Warn("dead block", "module", "replay", "slot", e.Slot, "parent", e.Parent, "err", e.Detail)
	case core.EventReset:
		n.mu.Lock()
		onFork := lp.lastReset == 0 || n.core.IsAncestorOrEqual(lp.lastReset, e.Slot)
		n.mu.Unlock()
		if !onFork {
			log.Info("switched fork", "module", "forkchoice", "from", lp.lastReset, "to", e.Slot)
		}
		lp.lastReset = e.Slot
	}
	st := n.snap.Load()
	if d := st.stats.VotesReceived; d > lp.votesSeen {
		for range d - lp.votesSeen {
			n.metrics.VoteReceived()
		}
		lp.votesSeen = d
	}
	if d := st.stats.SkippedSlots; d > lp.skipped {
		for range d - lp.skipped {
			n.metrics.SlotSkipped()
		}
		lp.skipped = d
	}
	if d := st.stats.Transactions; d > lp.txs {
		n.metrics.AddTransactions(int(d-lp.txs), 0)
		lp.txs = d
	} else if d < lp.txs {
		lp.txs = d // a fork switch onto a bank with fewer transactions
	}
}

// everySecond updates the peer and gossip drop metrics (gossip logs peers
// that come and go) and takes a performance sample when one is due.
func (n *Node) everySecond(now time.Time, lp *loopState) {
	peers := n.gossip.Peers()
	n.metrics.SetPeers(len(peers))
	gs := n.gossip.Stats()
	for reason, v := range map[string]uint64{"malformed": gs.DroppedMalformed, "signature": gs.DroppedBadSignature,
		"shred_version": gs.DroppedShredVersion, "stale": gs.DroppedStale} {
		for range v - lp.gossipDrops[reason] {
			n.metrics.GossipDropped(reason)
		}
		lp.gossipDrops[reason] = v
	}
	if d := n.counter.txQueueFull.Load() + n.counter.inboxDropped.Load(); d > lp.txDrops {
		n.log.Warn("queues full: dropped inbound work", "module", "tpu", "dropped", d-lp.txDrops,
			"transactions_waiting", len(n.verified), "forwards_waiting", len(n.forwards), "inbox", len(n.inbox))
		lp.txDrops = d
	}
	n.perf.maybeSample(now, n.snap.Load())
}

// shortHash is the first 8 characters of a hash's base58 form, for logs.
func shortHash(h solana.Hash) string {
	s := h.String()
	return s[:min(len(s), 8)]
}
