package core

import (
	"testing"

	"slonui/solana"
)

// A complete block whose parent repair gave up on keeps that parent asked
// for: the chain above it (after a heal, the whole majority fork) would
// otherwise wait forever, and the node with it.
func TestOrphanParentGivenUpIsAskedAgain(t *testing.T) {
	n := newTestNode(t, 0, nil, 1, 1, 1)
	start := uint64(2000)
	n.Tick(n.g.SlotStartMs(start))
	slot, parent := start-10, start-20
	var leader solana.Keypair
	for i := byte(1); i <= 3; i++ {
		if testKey(i).Pubkey() == n.SlotLeader(slot) {
			leader = testKey(i)
		}
	}
	if leader.Pubkey() == n.Identity() {
		t.Skip("the node under test leads the slot") // the genesis is fixed, so this never varies
	}
	p := &BlockPiece{Slot: slot, Parent: parent, Leader: leader.Pubkey(), Index: 0, Last: true, Data: []byte{0}}
	p.Signature = leader.Sign(p.SignedBytes())
	if err := n.Step(p); err != nil {
		t.Fatal(err)
	}
	asks := func(from, to uint64) int {
		c := 0
		for now := n.g.SlotStartMs(from); now < n.g.SlotStartMs(to); now += 50 {
			n.Tick(now)
			for _, m := range n.Ready().Messages {
				if q, ok := m.Msg.(*RepairRequest); ok && q.Slot == parent {
					c++
				}
			}
		}
		return c
	}
	if c := asks(start, start+60); c < maxRepairAsks {
		t.Fatalf("asked %d times for the missing parent, want at least %d", c, maxRepairAsks)
	}
	if n.pending[slot] == nil {
		t.Fatalf("the waiting block %d was dropped", slot)
	}
	if c := asks(start+60, start+90); c == 0 {
		t.Fatal("the parent is no longer asked for while a complete block waits on it")
	}
}
