package cluster

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"slonui/chaos"
	"slonui/solana"
	"slonui/validator/netfault"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

const testToken = "cluster-token"

// startAdmins serves n real netfault filters through their real admin API
// on fresh loopback ports and returns the filters and an equal-stake
// topology pointing at them.
func startAdmins(t *testing.T, n int) ([]*netfault.Filter, chaos.Topology) {
	t.Helper()
	topo := chaos.EqualTopology(n)
	filters := make([]*netfault.Filter, n)
	for i := range filters {
		f, err := netfault.New(netfault.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		ln, err := netfault.ListenLoopback("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- netfault.ServeAdmin(ctx, ln, netfault.AdminHandler(f, testToken)) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("ServeAdmin: %v", err)
			}
			f.Close()
		})
		filters[i] = f
		topo.Nodes[i].Admin = ln.Addr().String()
	}
	return filters, topo
}

func TestPartitionAndHealThroughAdminAPI(t *testing.T) {
	filters, topo := startAdmins(t, 5)
	c := &Cluster{}
	c.faults.use(topo, testToken)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	plan, sides, summary, err := c.PlanPreview("isolate 5")
	if err != nil {
		t.Fatal(err)
	}
	if len(sides) != 2 || !sides[0].CanConfirm || sides[1].CanConfirm || !slices.Equal(sides[1].Nodes, []int{5}) {
		t.Fatalf("sides %+v, want 1-4 able to confirm and 5 not", sides)
	}
	if summary != "side A 80.0% can confirm; side B 20.0% cannot" {
		t.Errorf("summary %q", summary)
	}
	if err := c.Partition(ctx, plan); err != nil {
		t.Fatal(err)
	}
	// Node 5 drops the other four; each of them drops node 5.
	if got := cutPeers(filters[4].Rules()); len(got) != 4 {
		t.Errorf("node 5 cuts %v, want the 4 others", got)
	}
	for i := 0; i < 4; i++ {
		if got := cutPeers(filters[i].Rules()); len(got) != 1 {
			t.Errorf("node %d cuts %v, want node 5 only", i+1, got)
		}
	}
	var s Snapshot
	c.faults.fill(&s)
	if s.Partition == nil || s.Partition.Name != plan.Name || !s.Partition.Minority(5) || s.Partition.Minority(1) {
		t.Fatalf("partition view %+v", s.Partition)
	}
	if !strings.Contains(s.Faults, "partition isolate 5") || !s.HealAt.IsZero() {
		t.Errorf("faults %q heal %v", s.Faults, s.HealAt)
	}

	loss, err := chaos.Loss(topo, 0.1, []int{2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Partition(ctx, loss); err != nil {
		t.Fatal(err)
	}
	c.faults.fill(&s)
	if !strings.Contains(s.Faults, loss.Name) || !strings.Contains(s.Faults, "isolate 5") {
		t.Errorf("faults %q, want the partition and %q", s.Faults, loss.Name)
	}

	if err := c.Delay(ctx, 80*time.Millisecond, 10*time.Millisecond, []int{1}); err != nil {
		t.Fatal(err)
	}
	if d := filters[0].Rules().Delay; d.MS != 80 || d.JitterMS != 10 {
		t.Errorf("node 1 delay rule %+v, want 80ms ±10ms", d)
	}
	c.faults.fill(&s)
	if !strings.Contains(s.Faults, "delay 80 ms ± 10 ms on node 1") {
		t.Errorf("faults %q lack the delay", s.Faults)
	}
	if err := c.Loss(ctx, 0, []int{2}); err != nil {
		t.Fatal(err)
	}
	c.faults.fill(&s)
	if strings.Contains(s.Faults, "loss") {
		t.Errorf("faults %q still show a loss of 0", s.Faults)
	}
	if err := c.Loss(ctx, 1.5, nil); err == nil {
		t.Error("a loss of 150% was applied")
	}

	before := time.Now()
	if err := c.Heal(ctx); err != nil {
		t.Fatal(err)
	}
	for i, f := range filters {
		if r := f.Rules(); len(cutPeers(r)) > 0 || r.Loss.Fraction != 0 {
			t.Errorf("node %d still has rules %+v after heal", i+1, r)
		}
	}
	s = Snapshot{Now: time.Now()}
	c.faults.fill(&s)
	if s.Faults != "" || s.Partition != nil || s.HealAt.Before(before) {
		t.Fatalf("after heal: faults %q partition %v heal %v", s.Faults, s.Partition, s.HealAt)
	}
	if _, done := s.Stopwatch(); done {
		t.Error("stopwatch stopped before convergence")
	}
	c.faults.converged(s.HealAt.Add(1500 * time.Millisecond))
	c.faults.fill(&s)
	if d, done := s.Stopwatch(); !done || d != 1500*time.Millisecond {
		t.Errorf("stopwatch %v done %v, want 1.5s stopped", d, done)
	}
}

func TestPartitionWithoutBackendSaysWhy(t *testing.T) {
	c := &Cluster{}
	c.faults.load(t.TempDir())
	_, err := c.Chaos()
	if err == nil {
		t.Fatal("an empty directory has a chaos backend")
	}
	if err := c.Heal(context.Background()); err == nil || !strings.Contains(err.Error(), "no network fault backend") {
		t.Errorf("heal: %v", err)
	}
	if _, _, _, err := c.PlanPreview("halves"); err == nil {
		t.Error("preview without a topology succeeded")
	}
}

func TestPartitionRefusesProcessActions(t *testing.T) {
	_, topo := startAdmins(t, 3)
	c := &Cluster{}
	c.faults.use(topo, testToken)
	p, err := chaos.ProcessStep(topo, chaos.KindPause, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Partition(context.Background(), p); err == nil {
		t.Fatal("a pause went through the network backend")
	}
}

// TestChainPollerAgainstRPCServer reads a node's recent confirmed chain
// from the real rpcserver: getBlocks, then getBlock for the new slots only;
// skipped slots have no block; slots past the window are dropped.
func TestChainPollerAgainstRPCServer(t *testing.T) {
	f := rpcservertest.NewFake()
	hash := func(s uint64) solana.Hash { return solana.HashOf([]byte{byte(s), byte(s >> 8)}) }
	f.Mu.Lock()
	f.Slots[rpcserver.Confirmed] = 120
	parent := uint64(99)
	for s := uint64(100); s <= 200; s++ {
		if s%10 == 5 {
			f.Skipped[s] = true
			continue
		}
		f.BlockMap[s] = rpcserver.Block{Blockhash: hash(s), ParentSlot: parent}
		parent = s
	}
	f.Mu.Unlock()
	url, _ := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	p := mustPoller(t, url, "")
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// The first polls fill the window oldest first, at most chainFetchMax
	// blocks each, without gaps.
	var s Sample
	for i := 0; i < 8; i++ {
		prev := len(s.Chain)
		s = p.Poll(ctx)
		if got := len(s.Chain) - prev; got > chainFetchMax {
			t.Fatalf("poll %d fetched %d blocks, want at most %d", i, got, chainFetchMax)
		}
		if len(s.Chain) > 0 && s.Chain[len(s.Chain)-1].Slot == 120 {
			break
		}
	}
	if len(s.Chain) == 0 {
		t.Fatalf("no chain (err %q)", s.Err)
	}
	last := s.Chain[len(s.Chain)-1]
	if last.Slot != 120 || last.Parent != 119 || last.Hash != hash(120).String() {
		t.Errorf("newest block %+v, want slot 120, parent 119, hash %s", last, hash(120))
	}
	for i, b := range s.Chain {
		if b.Slot%10 == 5 {
			t.Errorf("skipped slot %d in the chain", b.Slot)
		}
		if b.Slot == 106 && b.Parent != 104 {
			t.Errorf("slot 106 parent %d, want 104 (105 skipped)", b.Parent)
		}
		if i > 0 && b.Parent != s.Chain[i-1].Slot {
			t.Errorf("gap before slot %d: parent %d, previous block %d", b.Slot, b.Parent, s.Chain[i-1].Slot)
		}
	}
	if s.Chain[0].Slot != 100 {
		t.Errorf("chain starts at %d, want 100 (the first block the node has)", s.Chain[0].Slot)
	}
	first := s.Chain

	// Confirmed moves on by 100 slots: the chain keeps only the window.
	f.Mu.Lock()
	f.Slots[rpcserver.Confirmed] = 200
	f.Slots[rpcserver.Processed] = 202
	f.Mu.Unlock()
	for i := 0; i < 8 && s.Chain[len(s.Chain)-1].Slot != 200; i++ {
		s = p.Poll(ctx)
	}
	if s.Chain[0].Slot <= 200-chainWindow || s.Chain[len(s.Chain)-1].Slot != 200 {
		t.Errorf("chain %d..%d, want within (%d, 200]", s.Chain[0].Slot, s.Chain[len(s.Chain)-1].Slot, 200-chainWindow)
	}
	if h, ok := hashAt(s.Chain, 200); !ok || h != hash(200).String() {
		t.Errorf("hash at 200: %q %v", h, ok)
	}
	if first[len(first)-1].Slot != 120 {
		t.Error("an earlier sample's chain changed")
	}
	// Nothing new confirmed: the same chain, no new calls needed.
	again := p.Poll(ctx)
	if len(again.Chain) != len(s.Chain) || &again.Chain[0] != &s.Chain[0] {
		t.Error("an unchanged confirmed slot rebuilt the chain")
	}
}

// cutPeers lists the peers a node's rules cut in either direction.
func cutPeers(r netfault.Rules) []string {
	out := slices.Concat(r.Partition, r.PartitionIn, r.PartitionOut)
	slices.Sort(out)
	return slices.Compact(out)
}
