package sim

import (
	"testing"

	"slonui/validator/core"
)

// run builds and runs a simulation, recording every node's votes, and
// checks over the whole run that no node ever voted against a lockout it
// held (each vote compared with the node's own earlier votes, across
// restarts, on the global block tree).
func run(t *testing.T, cfg Config) (Result, *Sim) {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	votes := map[int][]uint64{}
	s.OnEvent = func(node int, ev core.Event) {
		if ev.Kind == core.EventVoted {
			votes[node] = append(votes[node], ev.Slot)
		}
	}
	r := s.Run()
	for node, seq := range votes {
		var tw core.Tower
		for _, v := range seq {
			for _, l := range tw.Votes {
				if l.LockedOutAt(v) && !s.IsAncestor(l.Slot, v) {
					t.Errorf("node %d voted %d while locked out on %d (conf %d)", node, v, l.Slot, l.Conf)
				}
			}
			if !s.IsAncestor(tw.Root, v) {
				t.Errorf("node %d voted %d, not a descendant of its root %d", node, v, tw.Root)
			}
			tw.ProcessVote(v)
		}
	}
	if t.Failed() || testing.Verbose() {
		for _, e := range r.Timeline {
			t.Logf("slot %4d  %s", e.Slot, e.Text)
		}
	}
	return r, s
}

func base(nodes int, slots uint64) Config {
	c := DefaultConfig()
	c.Nodes, c.Slots, c.Seed = nodes, slots, 11
	return c
}

func TestHealthyFourNodes(t *testing.T) {
	s, err := New(base(4, 200))
	if err != nil {
		t.Fatal(err)
	}
	lastRoot := make([]uint64, 5)
	for slot := uint64(20); slot <= 200; slot += 10 {
		s.RunUntil(slot)
		for id := 1; id <= 4; id++ {
			n := s.Node(id)
			// slot-1 is still being built; slot-2 was frozen at most a slot ago.
			if c := n.ConfirmedSlot(); c+3 < slot {
				t.Errorf("slot %d: node %d confirmed only %d", slot, id, c)
			}
			if slot >= 60 {
				if r := n.RootSlot(); r+40 < slot || r <= lastRoot[id] {
					t.Errorf("slot %d: node %d root %d (was %d)", slot, id, r, lastRoot[id])
				}
			}
			lastRoot[id] = n.RootSlot()
		}
	}
	r := s.Finish()
	if r.MaxForks != 1 || !r.Converged {
		t.Fatalf("max forks %d converged %v", r.MaxForks, r.Converged)
	}
}

func TestPartitionSevenThree(t *testing.T) {
	cfg := base(10, 330)
	cfg.Partition = &Partition{Groups: [][]int{{1, 2, 3, 4, 5, 6, 7}, {8, 9, 10}}, StartSlot: 40, HealSlot: 200}
	r, s := run(t, cfg)
	p := r.Partition
	if p == nil || len(p.Sides) != 2 {
		t.Fatalf("partition result %+v", p)
	}
	if p.Sides[0].ConfirmedAdvanced < 100 {
		t.Errorf("the 7 confirmed only %d slots while cut off", p.Sides[0].ConfirmedAdvanced)
	}
	if p.Sides[1].ConfirmedAdvanced != 0 {
		t.Errorf("the 3 confirmed %d slots while cut off", p.Sides[1].ConfirmedAdvanced)
	}
	if r.MaxForks < 2 {
		t.Errorf("max forks %d: the sides never forked", r.MaxForks)
	}
	if !r.Converged || r.ConvergedAfterHealMs == nil {
		t.Fatalf("not converged after heal: %+v", r.Nodes)
	}
	// One chain: every node's tip descends from the majority's heal-time work.
	tip := s.Node(1).ProcessedSlot()
	for id := 2; id <= 10; id++ {
		a, b := tip, s.Node(id).ProcessedSlot()
		if !s.IsAncestor(min(a, b), max(a, b)) {
			t.Errorf("node %d tip %d and node 1 tip %d are on different forks", id, b, tip)
		}
	}
	for _, n := range r.Nodes {
		if n.ID >= 8 && n.Confirmed < 300 {
			t.Errorf("minority node %d confirmed only %d after heal", n.ID, n.Confirmed)
		}
	}
}

func TestPartitionFiveFive(t *testing.T) {
	cfg := base(10, 320)
	cfg.Partition = &Partition{Groups: [][]int{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}}, StartSlot: 40, HealSlot: 160}
	r, _ := run(t, cfg)
	for i, side := range r.Partition.Sides {
		if side.ConfirmedAdvanced != 0 {
			t.Errorf("side %d confirmed %d slots with half the stake", i+1, side.ConfirmedAdvanced)
		}
	}
	if !r.Converged || r.NewRootsAfterHeal == nil || *r.NewRootsAfterHeal == 0 {
		t.Fatalf("converged %v, new roots after heal %v", r.Converged, deref(r.NewRootsAfterHeal))
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestPartitionTwoOneEqualStakes(t *testing.T) {
	cfg := base(3, 260)
	cfg.Partition = &Partition{Groups: [][]int{{1, 2}, {3}}, StartSlot: 40, HealSlot: 120}
	r, _ := run(t, cfg)
	for i, side := range r.Partition.Sides {
		if side.ConfirmedAdvanced != 0 {
			t.Errorf("side %d confirmed %d slots: 2 of 3 equal stakes is not more than 2/3", i+1, side.ConfirmedAdvanced)
		}
	}
	if !r.Converged {
		t.Fatal("did not converge after heal")
	}
}

func TestPartitionTwoOneWeighted(t *testing.T) {
	// The pair holds 4 of 5 stake (80%): it keeps confirming alone.
	cfg := base(3, 160)
	cfg.Stakes = []uint64{2, 2, 1}
	cfg.Partition = &Partition{Groups: [][]int{{1, 2}, {3}}, StartSlot: 40, HealSlot: 120}
	r, _ := run(t, cfg)
	if r.Partition.Sides[0].ConfirmedAdvanced < 50 || r.Partition.Sides[1].ConfirmedAdvanced != 0 {
		t.Fatalf("sides %+v", r.Partition.Sides)
	}
}

func TestFivePercentLoss(t *testing.T) {
	cfg := base(10, 300)
	cfg.Loss = 0.05
	r, _ := run(t, cfg)
	if !r.Converged || r.MessagesDropped == 0 {
		t.Fatalf("converged %v dropped %d", r.Converged, r.MessagesDropped)
	}
	for _, n := range r.Nodes {
		if n.Confirmed < 290 || n.Root < 240 {
			t.Errorf("node %d confirmed %d root %d under 5%% loss", n.ID, n.Confirmed, n.Root)
		}
	}
}

func TestKilledNodeCatchesUp(t *testing.T) {
	cfg := base(5, 300)
	cfg.Kill = &Kill{Node: 3, FromSlot: 50, ToSlot: 120}
	cfg.TxsPerSlot = 2
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.RunUntil(119)
	before := s.Node(3).Stats().VotesCast
	rootBefore := s.Node(3).RootSlot()
	r := s.Run()
	n3 := r.Nodes[2]
	if !n3.Restarted || !r.Converged {
		t.Fatalf("restarted %v converged %v", n3.Restarted, r.Converged)
	}
	if n3.Processed+3 < r.Nodes[0].Processed || n3.Root < 240 || n3.Root <= rootBefore {
		t.Fatalf("restarted node at processed %d root %d; node 1 at %d", n3.Processed, n3.Root, r.Nodes[0].Processed)
	}
	if n3.VotesCast == 0 || before == 0 {
		t.Fatalf("votes before kill %d, after restart %d", before, n3.VotesCast)
	}
}

func TestRestartedNodeHonoursRestoredLockouts(t *testing.T) {
	cfg := base(5, 260)
	cfg.Kill = &Kill{Node: 2, FromSlot: 60, ToSlot: 90}
	cfg.Partition = &Partition{Groups: [][]int{{1, 2}, {3, 4, 5}}, StartSlot: 40, HealSlot: 100}
	r, _ := run(t, cfg) // run checks every vote of every node against its earlier lockouts
	if !r.Converged {
		t.Fatal("did not converge")
	}
}

func TestDeterminism(t *testing.T) {
	cfg := base(10, 150)
	cfg.Loss = 0.02
	cfg.TxsPerSlot = 3
	cfg.Partition = &Partition{Groups: [][]int{{1, 2, 3, 4}, {5, 6, 7, 8, 9, 10}}, StartSlot: 30, HealSlot: 90}
	a, _ := run(t, cfg)
	b, _ := run(t, cfg)
	if a.TranscriptHash != b.TranscriptHash {
		t.Fatalf("same seed, different transcripts: %s %s", a.TranscriptHash, b.TranscriptHash)
	}
	cfg.Seed++
	c, _ := run(t, cfg)
	if c.TranscriptHash == a.TranscriptHash {
		t.Fatal("another seed gave the same transcript")
	}
}

func TestSignatureVerificationInsideCores(t *testing.T) {
	cfg := base(4, 40)
	cfg.VerifySignatures = true
	cfg.TxsPerSlot = 3
	r, _ := run(t, cfg)
	for _, n := range r.Nodes {
		if n.Confirmed < 35 {
			t.Errorf("node %d confirmed %d with signatures checked", n.ID, n.Confirmed)
		}
	}
	if r.TransactionsLanded < 50 {
		t.Fatalf("%d of %d transactions landed", r.TransactionsLanded, r.TransactionsSubmitted)
	}
}

func TestLongRunStaysBounded(t *testing.T) {
	cfg := base(4, 3000)
	cfg.TxsPerSlot = 2
	cfg.BlockHistory = 100
	cfg.Loss = 0.01
	r, s := run(t, cfg)
	if !r.Converged {
		t.Fatal("did not converge")
	}
	for id := 1; id <= 4; id++ {
		n := s.Node(id)
		st := n.Stats()
		if st.Banks > 64 || st.PendingBlocks > 4 || st.LiveForks > 2 {
			t.Errorf("node %d holds %d banks, %d pending blocks, %d forks after 3000 slots", id, st.Banks, st.PendingBlocks, st.LiveForks)
		}
		if first := n.FirstAvailableBlock(); first+200 < st.RootSlot {
			t.Errorf("node %d still holds block %d with root %d (history 100)", id, first, st.RootSlot)
		}
	}
	if r.TransactionsLanded < 5000 {
		t.Errorf("%d of %d transactions landed", r.TransactionsLanded, r.TransactionsSubmitted)
	}
}

// Regression: after a 5|5 heal the side on the fork that lost the tie saw
// the other side's votes far ahead of its own tip and took itself for a
// node catching up, so it stopped producing; neither side could then
// switch and the cluster never converged.
func TestFiftyFiftyHealDoesNotDeadlock(t *testing.T) {
	cfg := base(10, 400)
	cfg.Seed = 3
	cfg.Partition = &Partition{Groups: [][]int{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}}, StartSlot: 40, HealSlot: 200}
	r, _ := run(t, cfg)
	if !r.Converged || r.NewRootsAfterHeal == nil || *r.NewRootsAfterHeal == 0 {
		t.Fatalf("converged %v, new roots after heal %v", r.Converged, deref(r.NewRootsAfterHeal))
	}
}

// Regression: with a third of the stake dead the other two stopped voting,
// forked under 10% loss, and each refused to extend its own tip (the leader
// propagation check saw no votes); the restarted third node then heard no
// blocks to repair and built its own chain from genesis. Nothing rooted for
// 650 slots.
func TestStalledVotesDoNotFreezeProduction(t *testing.T) {
	cfg := base(3, 500)
	cfg.Seed = 10
	cfg.Loss = 0.1
	cfg.TxsPerSlot = 3
	cfg.Partition = &Partition{Groups: [][]int{{2}, {3, 1}}, StartSlot: 40, HealSlot: 150}
	cfg.Kill = &Kill{Node: 2, FromSlot: 20, ToSlot: 157}
	r, _ := run(t, cfg)
	if !r.Converged || r.NewRootsAfterHeal == nil || *r.NewRootsAfterHeal < 100 {
		t.Fatalf("converged %v, new roots after heal %v", r.Converged, deref(r.NewRootsAfterHeal))
	}
}

// Regression: after a 2|5 heal the majority had rooted past the fork point,
// so the minority's blocks could never replay; the majority dropped them
// without marking them dead, repaired them again for every minority vote,
// and, taking those votes for a chain it was still catching up on, stopped
// producing. The minority never rejoined.
func TestForkBelowRootDoesNotStallTheMajority(t *testing.T) {
	cfg := base(4, 400)
	cfg.Seed = 60
	cfg.Loss = 0.1
	cfg.TxsPerSlot = 3
	cfg.Stakes = []uint64{2, 2, 2, 1}
	cfg.Partition = &Partition{Groups: [][]int{{2}, {3, 4, 1}}, StartSlot: 40, HealSlot: 150}
	r, _ := run(t, cfg)
	if !r.Converged || r.NewRootsAfterHeal == nil || *r.NewRootsAfterHeal < 50 {
		t.Fatalf("converged %v, new roots after heal %v", r.Converged, deref(r.NewRootsAfterHeal))
	}
}

// Regression: blocks cut off in flight at the start of a 5|5 partition
// were repaired in vain for the whole partition and then given up on for
// good, so after the heal the other side's chain, which needed them as
// ancestors, could never be replayed.
func TestBlockGivenUpDuringPartitionIsFetchedAfterHeal(t *testing.T) {
	cfg := base(10, 400)
	cfg.Seed = 1
	cfg.Partition = &Partition{Groups: [][]int{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}}, StartSlot: 40, HealSlot: 200}
	r, _ := run(t, cfg)
	if !r.Converged || r.NewRootsAfterHeal == nil || *r.NewRootsAfterHeal < 50 {
		t.Fatalf("converged %v, new roots after heal %v", r.Converged, deref(r.NewRootsAfterHeal))
	}
}

func TestPartitionThatNeverHeals(t *testing.T) {
	cfg := base(4, 120)
	cfg.Partition = &Partition{Groups: [][]int{{1, 2, 3}, {4}}, StartSlot: 30, HealSlot: 500}
	r, _ := run(t, cfg)
	if r.Partition == nil || len(r.Partition.Sides) != 2 || r.Partition.Sides[0].ConfirmedAdvanced < 50 || r.ConvergedAfterHealMs != nil || r.NewRootsAfterHeal != nil {
		t.Fatalf("partition %+v after-heal %v %v", r.Partition, r.ConvergedAfterHealMs, r.NewRootsAfterHeal)
	}
	if r.Converged {
		t.Fatal("a cluster still cut in two reported converged")
	}
}
