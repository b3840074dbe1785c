package shred

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"slonui/solana"
	"slonui/validator/netfault"
)

// testNode is one shred Node on two loopback sockets behind a filter.
type testNode struct {
	*Node
	filter *netfault.Filter
	tvu    netip.AddrPort
	repair netip.AddrPort

	mu      sync.Mutex
	slots   map[uint64]Slot
	batches map[uint64][][]byte
}

func (tn *testNode) slot(s uint64) (Slot, bool) {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	sl, ok := tn.slots[s]
	return sl, ok
}

type netOpts struct {
	leader   solana.Pubkey
	haveSlot func(uint64) bool
	peers    func() []netip.AddrPort
}

func listen(t testing.TB) (net.PacketConn, netip.AddrPort) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return pc, pc.LocalAddr().(*net.UDPAddr).AddrPort()
}

// startNode starts a Node whose leader for every slot is o.leader.
func startNode(t testing.TB, o netOpts) *testNode {
	t.Helper()
	f, err := netfault.New(netfault.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	tvuPC, tvu := listen(t)
	repPC, rep := listen(t)
	tvuConn, repConn := f.Wrap(tvuPC), f.Wrap(repPC)
	tn := &testNode{filter: f, tvu: tvu, repair: rep, slots: map[uint64]Slot{}, batches: map[uint64][][]byte{}}
	cfg := DefaultConfig()
	cfg.ShredVersion = 3
	cfg.TVU, cfg.Repair = tvuConn, repConn
	cfg.LeaderOf = func(uint64) (solana.Pubkey, bool) { return o.leader, true }
	cfg.RepairPeers = o.peers
	if cfg.RepairPeers == nil {
		cfg.RepairPeers = func() []netip.AddrPort { return nil }
	}
	cfg.HaveSlot = o.haveSlot
	cfg.RepairInterval = 20 * time.Millisecond
	cfg.RepairDelay = 20 * time.Millisecond
	cfg.LastShredTimeout = 100 * time.Millisecond
	cfg.MaxRepairBackoff = 200 * time.Millisecond
	cfg.OnSlot = func(s Slot) {
		tn.mu.Lock()
		tn.slots[s.Slot] = s
		tn.mu.Unlock()
	}
	cfg.OnBatch = func(b Batch) {
		tn.mu.Lock()
		tn.batches[b.Slot] = append(tn.batches[b.Slot], b.Data)
		tn.mu.Unlock()
	}
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tn.Node = n
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
		tvuConn.Close()
		repConn.Close()
		f.Close()
	})
	return tn
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within 15 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func fixedPeers(ps ...netip.AddrPort) func() []netip.AddrPort {
	return func() []netip.AddrPort { return ps }
}

func TestThreeNodeBroadcastArrivesIntact(t *testing.T) {
	kp := testKey(1)
	leader := startNode(t, netOpts{leader: kp.Pubkey()})
	r1 := startNode(t, netOpts{leader: kp.Pubkey(), peers: fixedPeers(leader.repair)})
	r2 := startNode(t, netOpts{leader: kp.Pubkey(), peers: fixedPeers(leader.repair)})
	pieces := [][]byte{pattern(3000, 1), pattern(700, 2), pattern(5*MaxPayload+1, 3)}
	s := NewShredder(kp, 3, 10, 9)
	peers := []netip.AddrPort{r1.tvu, r2.tvu}
	for _, p := range pieces { // streamed: one broadcast per piece, as the slot runs
		if err := leader.Broadcast(s.Write(p), peers); err != nil {
			t.Fatal(err)
		}
	}
	if err := leader.Broadcast(s.Finish(), peers); err != nil {
		t.Fatal(err)
	}
	want := slices.Concat(pieces...)
	for i, r := range []*testNode{r1, r2} {
		eventually(t, "slot 10 complete", func() bool { _, ok := r.slot(10); return ok })
		got, _ := r.slot(10)
		if !bytes.Equal(got.Data, want) || got.Parent != 9 {
			t.Fatalf("receiver %d: slot data differs (%d bytes, want %d)", i, len(got.Data), len(want))
		}
		r.mu.Lock()
		bs := r.batches[10]
		r.mu.Unlock()
		if len(bs) != 3 || !bytes.Equal(bs[0], pieces[0]) || !bytes.Equal(bs[2], pieces[2]) {
			t.Fatalf("receiver %d: %d batches, not the pieces in order", i, len(bs))
		}
		if !r.HasSlot(10) {
			t.Fatalf("receiver %d: HasSlot(10) false after completion", i)
		}
	}
	if st := leader.Stats(); st.ShredsBroadcast != 2*uint64(s.Next()) || st.SlotsCompleted != 0 {
		t.Fatalf("leader stats %+v", st)
	}
	if !leader.HasSlot(10) {
		t.Fatal("the leader does not hold its own slot for repair")
	}
}

func TestRepairCompletesUnderLoss(t *testing.T) {
	kp := testKey(1)
	leader := startNode(t, netOpts{leader: kp.Pubkey()})
	helper := startNode(t, netOpts{leader: kp.Pubkey()})
	r := startNode(t, netOpts{leader: kp.Pubkey(), peers: fixedPeers(leader.repair, helper.repair)})
	// 20 % loss on every packet the receiver sends or gets: shreds, repair
	// requests and repair answers alike.
	if _, err := r.filter.SetLoss(0.2, nil); err != nil {
		t.Fatal(err)
	}
	data := pattern(60*MaxPayload+100, 5)
	shreds := ShredSlot(kp, 3, 20, 19, data[:30*MaxPayload], data[30*MaxPayload:])
	if err := leader.Broadcast(shreds, []netip.AddrPort{r.tvu, helper.tvu}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "slot 20 complete despite loss", func() bool { _, ok := r.slot(20); return ok })
	got, _ := r.slot(20)
	if !bytes.Equal(got.Data, data) {
		t.Fatalf("repaired slot differs: %d bytes, want %d", len(got.Data), len(data))
	}
	st := r.Stats()
	if fc := r.filter.Counters(); fc.DroppedLoss == 0 || st.RepairRequestsSent == 0 {
		t.Fatalf("no loss or no repair happened: filter %+v, stats %+v", fc, st)
	}
	if served := leader.Stats().RepairRequestsServed + helper.Stats().RepairRequestsServed; served == 0 {
		t.Fatal("no peer served a repair request")
	}
}

func TestLostLastShredIsRepaired(t *testing.T) {
	kp := testKey(1)
	leader := startNode(t, netOpts{leader: kp.Pubkey()})
	r := startNode(t, netOpts{leader: kp.Pubkey(), peers: fixedPeers(leader.repair)})
	shreds := ShredSlot(kp, 3, 30, 29, pattern(3*MaxPayload, 7))
	// The receiver gets every shred but the last: only the "highest"
	// request after LastShredTimeout can finish the slot.
	leader.Broadcast(shreds[:len(shreds)-1], []netip.AddrPort{r.tvu})
	leader.Broadcast(shreds[len(shreds)-1:], nil)
	eventually(t, "slot 30 complete", func() bool { _, ok := r.slot(30); return ok })
}

func TestOrphanParentIsFetched(t *testing.T) {
	kp := testKey(1)
	leader := startNode(t, netOpts{leader: kp.Pubkey()})
	r := startNode(t, netOpts{leader: kp.Pubkey(), peers: fixedPeers(leader.repair),
		haveSlot: func(s uint64) bool { return s <= 3 }})
	parent := pattern(4*MaxPayload+9, 4)
	child := pattern(100, 5)
	// The leader holds slot 4 but the receiver never got any of it; then
	// slot 5 (child of 4) arrives.
	leader.Broadcast(ShredSlot(kp, 3, 4, 3, parent), nil)
	leader.Broadcast(ShredSlot(kp, 3, 5, 4, child), []netip.AddrPort{r.tvu})
	eventually(t, "orphan parent 4 fetched", func() bool { _, ok := r.slot(4); return ok })
	got, _ := r.slot(4)
	if !bytes.Equal(got.Data, parent) || got.Parent != 3 {
		t.Fatal("fetched parent differs")
	}
	if c, ok := r.slot(5); !ok || !bytes.Equal(c.Data, child) {
		t.Fatal("child slot missing or differs")
	}
}

func TestWantFetchesUnseenSlot(t *testing.T) {
	kp := testKey(1)
	leader := startNode(t, netOpts{leader: kp.Pubkey()})
	r := startNode(t, netOpts{leader: kp.Pubkey(), peers: fixedPeers(leader.repair),
		haveSlot: func(s uint64) bool { return s <= 6 }})
	data := pattern(2*MaxPayload, 8)
	leader.Broadcast(ShredSlot(kp, 3, 7, 6, data), nil)
	r.Want(7)
	eventually(t, "wanted slot 7 fetched", func() bool { _, ok := r.slot(7); return ok })
	if got, _ := r.slot(7); !bytes.Equal(got.Data, data) {
		t.Fatal("wanted slot differs")
	}
}

func TestForgedShredsDropped(t *testing.T) {
	leaderKey, forger := testKey(1), testKey(2)
	r := startNode(t, netOpts{leader: leaderKey.Pubkey()})
	pc, _ := listen(t)
	defer pc.Close()
	send := func(b []byte) {
		if _, err := pc.WriteTo(b, net.UDPAddrFromAddrPort(r.tvu)); err != nil {
			t.Fatal(err)
		}
	}
	for _, sh := range ShredSlot(forger, 3, 40, 39, []byte("forged block")) {
		send(sh.Bytes())
	}
	good := ShredSlot(leaderKey, 3, 41, 40, []byte("real block"))
	tampered := append([]byte(nil), good[0].Bytes()...)
	tampered[HeaderSize] ^= 0xff
	send(tampered)
	send(ShredSlot(leaderKey, 9, 42, 41, []byte("other cluster"))[0].Bytes())
	send([]byte("garbage"))
	eventually(t, "drops counted", func() bool {
		s := r.Stats()
		return s.DroppedBadSignature == 3 && s.DroppedShredVersion == 1 && s.DroppedMalformed == 1
	})
	if st := r.Stats(); st.ShredsInserted != 0 || st.SlotsTracked != 0 {
		t.Fatalf("forged shreds were stored: %+v", st)
	}
	// The real shreds of slot 41 are then accepted.
	for _, sh := range good {
		send(sh.Bytes())
	}
	eventually(t, "real slot 41 complete", func() bool { _, ok := r.slot(41); return ok })
}

func TestStoreIsBounded(t *testing.T) {
	kp := testKey(1)
	pc1, _ := listen(t)
	pc2, _ := listen(t)
	defer pc1.Close()
	defer pc2.Close()
	cfg := DefaultConfig()
	cfg.TVU, cfg.Repair, cfg.MaxSlots = pc1, pc2, 3
	cfg.LeaderOf = func(uint64) (solana.Pubkey, bool) { return kp.Pubkey(), true }
	cfg.RepairPeers = func() []netip.AddrPort { return nil }
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for s := uint64(1); s <= 5; s++ {
		n.Broadcast(ShredSlot(kp, 0, s, s-1, []byte("x")), nil)
	}
	if n.Stats().SlotsTracked != 3 || n.HasSlot(2) || !n.HasSlot(3) || !n.HasSlot(5) {
		t.Fatalf("store holds %d slots; want 3, 4, 5", n.Stats().SlotsTracked)
	}
	n.Forget(5)
	if n.Stats().SlotsTracked != 1 || !n.HasSlot(5) {
		t.Fatalf("after Forget(5): %d slots", n.Stats().SlotsTracked)
	}
}

func TestConfigValidate(t *testing.T) {
	err := Config{}.Validate()
	for _, want := range []string{"TVU", "Repair", "LeaderOf", "RepairPeers", "RepairInterval", "MaxSlots"} {
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(want)) {
			t.Errorf("Validate() = %v; does not name %s", err, want)
		}
	}
}

func TestRunTwiceRefused(t *testing.T) {
	n := startNode(t, netOpts{leader: testKey(1).Pubkey()})
	// startNode's Run is in flight (or about to be): a second Run must
	// refuse rather than start a second set of readers.
	eventually(t, "first Run started", func() bool { return n.ran.Load() })
	if err := n.Run(context.Background()); err != ErrRunTwice {
		t.Fatalf("second Run = %v, want ErrRunTwice", err)
	}
}
