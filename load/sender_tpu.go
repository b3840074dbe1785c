package load

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"slonui/rpc"
)

// TPU sender tuning: which leaders to reach and how often to look again.
const (
	tpuLeaderSlots  = 8 // the current slot and the next 7: current and next leader at 4 slots each
	tpuLeaderWindow = 64
	tpuSlotEvery    = 200 * time.Millisecond
	tpuNodesEvery   = 5 * time.Second
)

// tpuSender writes each transaction over UDP to the TPU of the current
// and next leaders. A refresher goroutine follows the slot, the leader
// schedule (getSlotLeaders, fetched ahead and again whenever the slot
// leaves the fetched window) and the leaders' TPU addresses
// (getClusterNodes), as bench-tps does since solana-labs#32179.
type tpuSender struct {
	clients []*rpc.Client
	clock   Clock
	conn    *net.UDPConn
	targets atomic.Pointer[[]netip.AddrPort]
	errs    func(kind string)

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func newTPUSender(clients []*rpc.Client, clock Clock, errs func(string)) (*tpuSender, error) {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, fmt.Errorf("load: tpu: socket: %w", err)
	}
	s := &tpuSender{clients: clients, clock: clock, conn: conn, errs: errs,
		stop: make(chan struct{}), done: make(chan struct{})}
	s.targets.Store(&[]netip.AddrPort{})
	return s, nil
}

// start fetches the leaders once, then keeps them fresh until Close.
func (s *tpuSender) start(ctx context.Context) error {
	st := &tpuState{}
	if err := s.refresh(ctx, st, true); err != nil {
		close(s.done)
		return fmt.Errorf("load: tpu: leaders: %w", err)
	}
	go s.loop(ctx, st)
	return nil
}

type tpuState struct {
	client  int
	first   uint64 // first slot of leaders
	leaders []string
	addrs   map[string]netip.AddrPort
	nodesAt time.Time
}

func (s *tpuSender) loop(ctx context.Context, st *tpuState) {
	defer close(s.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.stop:
			return
		case <-s.clock.After(tpuSlotEvery):
		}
		if err := s.refresh(ctx, st, false); err != nil && ctx.Err() == nil {
			s.errs("tpu leaders: " + ErrorKind(err))
		}
	}
}

// refresh reads the slot, and the leaders and addresses when due, from the
// next node that answers, and installs the new targets.
func (s *tpuSender) refresh(ctx context.Context, st *tpuState, all bool) error {
	c := s.clients[st.client%len(s.clients)]
	slot, err := c.GetSlot(ctx, rpc.Processed)
	if err != nil {
		st.client++
		return err
	}
	now := s.clock.Now()
	if all || st.addrs == nil || now.Sub(st.nodesAt) >= tpuNodesEvery {
		nodes, err := c.GetClusterNodes(ctx)
		if err != nil {
			st.client++
			return err
		}
		st.addrs = map[string]netip.AddrPort{}
		for _, n := range nodes {
			if ap, err := netip.ParseAddrPort(n.TPU); err == nil {
				st.addrs[n.Pubkey] = ap
			}
		}
		st.nodesAt = now
	}
	if slot < st.first || slot+tpuLeaderSlots > st.first+uint64(len(st.leaders)) {
		// Near an epoch whose schedule the node does not know yet, a long
		// window fails (-32602); a short one may still be answered.
		leaders, err := c.GetSlotLeaders(ctx, slot, tpuLeaderWindow)
		if rpc.IsCode(err, rpc.CodeInvalidParams) {
			leaders, err = c.GetSlotLeaders(ctx, slot, tpuLeaderSlots)
		}
		if err != nil {
			st.client++
			return err
		}
		st.first, st.leaders = slot, leaders
	}
	var out []netip.AddrPort
	seen := map[netip.AddrPort]bool{}
	for i := slot - st.first; i < slot-st.first+tpuLeaderSlots && i < uint64(len(st.leaders)); i++ {
		if ap, ok := st.addrs[st.leaders[i]]; ok && !seen[ap] {
			seen[ap] = true
			out = append(out, ap)
		}
	}
	s.targets.Store(&out)
	return nil
}

func (s *tpuSender) Send(ctx context.Context, txs []Tx) []error {
	targets := *s.targets.Load()
	errs := make([]error, len(txs))
	for i, tx := range txs {
		if len(targets) == 0 {
			errs[i] = errNoLeader
			continue
		}
		for _, ap := range targets {
			if _, err := s.conn.WriteToUDPAddrPort(tx.Wire, ap); err != nil {
				errs[i] = err
			}
		}
	}
	return errs
}

func (s *tpuSender) Close() error {
	s.once.Do(func() { close(s.stop) })
	<-s.done
	return s.conn.Close()
}
