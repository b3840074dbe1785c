package shred

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// ErrRunTwice is returned by a second call to Run.
var ErrRunTwice = errors.New("shred: Run called twice")

// Node receives, reassembles, repairs and broadcasts shreds. Its methods are
// safe for concurrent use.
type Node struct {
	cfg Config
	log *slog.Logger
	c   counters

	inbound  chan []byte
	stopping atomic.Bool
	ran      atomic.Bool

	mu       sync.Mutex
	slots    map[uint64]*slotState
	lowest   uint64 // lowest slot held, valid when len(slots) > 0
	attempts map[reqKey]*attempt
	wanted   map[uint64]struct{}
	nonce    uint32
}

// New checks cfg. Call Run to start.
func New(cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Node{
		cfg:      cfg,
		log:      log,
		inbound:  make(chan []byte, cfg.InboundQueue),
		slots:    map[uint64]*slotState{},
		attempts: map[reqKey]*attempt{},
		wanted:   map[uint64]struct{}{},
	}, nil
}

// Run receives and repairs until ctx ends. It starts two reader goroutines
// (TVU, repair) and one worker (verify, reassemble, callbacks, repair
// rounds), and stops them all before returning. The sockets stay open (the
// caller owns them) with a read deadline in the past. It may be called once.
func (n *Node) Run(ctx context.Context) error {
	if n.ran.Swap(true) {
		return ErrRunTwice
	}
	errc := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); errc <- n.readLoop(n.cfg.TVU, false) }()
	go func() { defer wg.Done(); errc <- n.readLoop(n.cfg.Repair, true) }()
	err := n.work(ctx, errc)
	n.stopping.Store(true)
	_ = n.cfg.TVU.SetReadDeadline(time.Now())
	_ = n.cfg.Repair.SetReadDeadline(time.Now())
	wg.Wait()
	return err
}

// readLoop reads one socket; on the repair socket it answers requests
// directly and queues shreds for the worker.
func (n *Node) readLoop(pc net.PacketConn, repair bool) error {
	buf := make([]byte, 65536)
	for {
		sz, from, err := pc.ReadFrom(buf)
		if err != nil {
			if n.stopping.Load() {
				return nil
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				continue
			}
			return fmt.Errorf("shred: read %s: %w", pc.LocalAddr(), err)
		}
		pkt := buf[:sz]
		if repair && sz > 0 && pkt[0] == 'R' {
			n.serveRepair(pkt, from)
			continue
		}
		select {
		case n.inbound <- append([]byte(nil), pkt...):
		default:
			n.c.queueFull.Add(1)
		}
	}
}

// work is the worker goroutine's loop.
func (n *Node) work(ctx context.Context, errc <-chan error) error {
	tick := time.NewTicker(n.cfg.RepairInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			return err
		case pkt := <-n.inbound:
			n.receive(pkt, time.Now())
		case now := <-tick.C:
			n.repairRound(now)
		}
	}
}

// receive decodes, verifies and stores one shred packet, then runs the
// callbacks for what it completed.
func (n *Node) receive(pkt []byte, now time.Time) {
	n.c.recv.Add(1)
	sh, err := DecodeShred(pkt)
	if err != nil {
		n.c.malformed.Add(1)
		return
	}
	if sh.Version != n.cfg.ShredVersion {
		n.c.version.Add(1)
		return
	}
	n.mu.Lock()
	st := n.slots[sh.Slot]
	dup := st != nil && st.shreds[sh.Index].raw != nil
	n.mu.Unlock()
	if dup {
		n.c.dup.Add(1)
		return
	}
	leader, ok := n.cfg.LeaderOf(sh.Slot)
	if !ok {
		n.c.leader.Add(1)
		return
	}
	if !sh.Verify(leader) {
		n.c.badSig.Add(1)
		return
	}
	res, batches, done := n.store(sh, now, false)
	switch res {
	case duplicate:
		n.c.dup.Add(1)
		return
	case invalid:
		n.c.invalid.Add(1)
		return
	}
	n.c.inserted.Add(1)
	if n.cfg.OnBatch != nil {
		for _, b := range batches {
			n.cfg.OnBatch(b)
		}
	}
	if done != nil {
		n.c.completed.Add(1)
		n.log.Debug("slot complete", "slot", done.Slot, "parent", done.Parent, "shreds", done.Shreds, "bytes", len(done.Data))
		if n.cfg.OnSlot != nil {
			n.cfg.OnSlot(*done)
		}
	}
}

// store inserts sh into its slot, creating (and evicting) as needed. For
// own shreds it reports nothing to deliver.
func (n *Node) store(sh Shred, now time.Time, own bool) (insertResult, []Batch, *Slot) {
	n.mu.Lock()
	defer n.mu.Unlock()
	st := n.slots[sh.Slot]
	if st == nil {
		if len(n.slots) >= n.cfg.MaxSlots {
			if sh.Slot < n.lowest {
				return invalid, nil, nil // older than everything kept
			}
			n.evictLowestLocked()
		}
		st = newSlotState(sh.Slot, sh.Parent, now)
		st.own = own
		n.slots[sh.Slot] = st
		if len(n.slots) == 1 || sh.Slot < n.lowest {
			n.lowest = sh.Slot
		}
		delete(n.wanted, sh.Slot)
	}
	res, batches, done := st.insert(sh, now)
	if st.own {
		return res, nil, nil
	}
	return res, batches, done
}

func (n *Node) evictLowestLocked() {
	delete(n.slots, n.lowest)
	n.recomputeLowestLocked()
}

func (n *Node) recomputeLowestLocked() {
	first := true
	for s := range n.slots {
		if first || s < n.lowest {
			n.lowest, first = s, false
		}
	}
}

// Broadcast stores the leader's own shreds (so the node answers repair for
// them) and sends each to every peer's TVU address from the TVU socket. It
// does not run OnBatch/OnSlot. Send failures are joined and returned after
// every send was tried.
func (n *Node) Broadcast(shreds []Shred, peers []netip.AddrPort) error {
	now := time.Now()
	for _, sh := range shreds {
		n.store(sh, now, true)
	}
	var errs []error
	for _, sh := range shreds {
		for _, p := range peers {
			if _, err := n.cfg.TVU.WriteTo(sh.raw, net.UDPAddrFromAddrPort(p)); err != nil {
				errs = append(errs, fmt.Errorf("shred: broadcast slot %d index %d to %s: %w", sh.Slot, sh.Index, p, err))
				continue
			}
			n.c.broadcast.Add(1)
		}
	}
	return errors.Join(errs...)
}

// Want asks the Node to fetch slot from peers (as an orphan) until any of
// its shreds arrives; use it for a slot learned of elsewhere, e.g. from a
// vote. It needs HaveSlot-independent peers only.
func (n *Node) Want(slot uint64) {
	n.mu.Lock()
	if _, ok := n.slots[slot]; !ok {
		n.wanted[slot] = struct{}{}
	}
	n.mu.Unlock()
}

// Forget drops every stored slot below slot (e.g. well below the root).
func (n *Node) Forget(below uint64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for s := range n.slots {
		if s < below {
			delete(n.slots, s)
		}
	}
	for s := range n.wanted {
		if s < below {
			delete(n.wanted, s)
		}
	}
	n.recomputeLowestLocked()
}

// HasSlot reports whether slot is stored and complete.
func (n *Node) HasSlot(slot uint64) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	st := n.slots[slot]
	return st != nil && st.complete
}

// Stats returns the counters.
func (n *Node) Stats() Stats {
	n.mu.Lock()
	tracked := len(n.slots)
	n.mu.Unlock()
	c := &n.c
	return Stats{
		ShredsReceived: c.recv.Load(), ShredsInserted: c.inserted.Load(), Duplicates: c.dup.Load(),
		DroppedMalformed: c.malformed.Load(), DroppedShredVersion: c.version.Load(),
		DroppedUnknownLeader: c.leader.Load(), DroppedBadSignature: c.badSig.Load(),
		DroppedInvalid: c.invalid.Load(), DroppedQueueFull: c.queueFull.Load(),
		ShredsBroadcast: c.broadcast.Load(), RepairRequestsSent: c.reqSent.Load(),
		RepairRequestsServed: c.reqServed.Load(), RepairShredsSent: c.repairSent.Load(),
		SlotsCompleted: c.completed.Load(), SlotsTracked: tracked,
	}
}
