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
	p.Sign(leader)
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

// An orphan answer brings a chain newest first; each block is an orphan
// until its parent lands a moment later. Only the parent of the oldest
// block, the one really missing, may be asked for: asking for each one's
// parent would multiply the answers (each carries the whole ancestry).
func TestOrphanAnswerAsksOnlyForTheMissingAncestor(t *testing.T) {
	n := newTestNode(t, 0, nil, 1, 1, 1)
	start := uint64(3000)
	n.Tick(n.g.SlotStartMs(start))
	keys := map[solana.Pubkey]solana.Keypair{}
	for i := byte(1); i <= 3; i++ {
		keys[testKey(i).Pubkey()] = testKey(i)
	}
	var chain []uint64 // descending: the answer's order
	for s := start - 2; len(chain) < 40; s-- {
		if !n.IsLeader(s) {
			chain = append(chain, s)
		}
	}
	missing := chain[len(chain)-1] - 1
	for i, s := range chain {
		parent := missing
		if i+1 < len(chain) {
			parent = chain[i+1]
		}
		k := keys[n.SlotLeader(s)]
		p := &BlockPiece{Slot: s, Parent: parent, Leader: k.Pubkey(), Index: 0, Last: true, Data: []byte{0}}
		p.Sign(k)
		if err := n.Step(p); err != nil {
			t.Fatal(err)
		}
	}
	n.Tick(n.g.SlotStartMs(start) + 50)
	asked := map[uint64]int{}
	for _, m := range n.Ready().Messages {
		if q, ok := m.Msg.(*RepairRequest); ok {
			asked[q.Slot]++
		}
	}
	if asked[missing] == 0 || len(asked) != 1 {
		t.Fatalf("asked for %v, want only the missing ancestor %d", asked, missing)
	}
}
