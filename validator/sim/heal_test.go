package sim

import (
	"fmt"
	"testing"

	"slonui/validator/core"
)

// healGoalMs is issue 7's goal for heal → converged.
const healGoalMs = 2000

// TestMinorityJoinsMajorityQuicklyAfterHeal: after a split, the minority
// must learn the majority's fork (its latest votes and every missing
// block) and reset onto it within the goal of the heal, on every seed —
// even while its lockouts still keep it from voting there.
func TestMinorityJoinsMajorityQuicklyAfterHeal(t *testing.T) {
	shapes := []struct {
		name      string
		nodes     int
		partition string
		slots     uint64
	}{
		{"7|3", 10, "1-7|8-10@40-115", 140},
		{"4|1", 5, "1-4|5@40-90", 110},
		{"3|2", 5, "1-3|4-5@40-90", 110},
	}
	for _, sh := range shapes {
		for seed := uint64(1); seed <= 6; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", sh.name, seed), func(t *testing.T) {
				t.Parallel()
				cfg := base(sh.nodes, sh.slots)
				cfg.Seed = seed
				p, err := ParsePartition(sh.partition)
				if err != nil {
					t.Fatal(err)
				}
				cfg.Partition = p
				r, _ := run(t, cfg)
				if r.ConvergedAfterHealMs == nil {
					t.Fatalf("never converged after the heal: %+v", r.Nodes)
				}
				if ms := *r.ConvergedAfterHealMs; ms > healGoalMs {
					t.Errorf("converged %d ms after the heal, goal ≤ %d ms", ms, healGoalMs)
				}
			})
		}
	}
}

// One orphan repair answer carries the block and its ancestors down to
// what the asker has rooted, so a fork a partition kept from a node is
// fetched in a round trip or two, not OrphanDepth blocks per round trip.
func TestOrphanAnswerCarriesTheAncestry(t *testing.T) {
	s, err := New(base(4, 80))
	if err != nil {
		t.Fatal(err)
	}
	s.RunUntil(80)
	asker, server := s.Node(2), s.Node(1)
	tip := server.ProcessedSlot()
	floor := asker.RootSlot()
	if tip <= floor+20 {
		t.Fatalf("tip %d is too close to the asker's root %d for the test", tip, floor)
	}
	if err := server.Step(&core.RepairRequest{From: asker.Identity(), Slot: tip, Orphan: true}); err != nil {
		t.Fatal(err)
	}
	got := map[uint64]bool{}
	for _, e := range server.Ready().Messages {
		if p, ok := e.Msg.(*core.BlockPiece); ok {
			if e.To != asker.Identity() {
				t.Fatalf("piece of %d sent to %s, not the asker", p.Slot, e.To)
			}
			got[p.Slot] = true
		}
	}
	// Every block of the chain from the tip down to the asker's root.
	for slot := tip; slot > floor; {
		if !got[slot] {
			t.Fatalf("the answer lacks slot %d of the chain %d..%d (it has %d blocks)", slot, floor, tip, len(got))
		}
		bi, ok := server.BankInfo(slot)
		if !ok {
			t.Fatalf("server has no bank %d", slot)
		}
		slot = bi.Parent
	}
}
