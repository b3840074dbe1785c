package core

import (
	"math/rand/v2"
	"testing"

	"slonui/solana"
)

// blockPieces is the leader's block of f.raws, made over ticks, as one
// ordered list of pieces.
func (f *blockFixture) blockPieces(t *testing.T, ticks int) []*BlockPiece {
	t.Helper()
	var all []*BlockPiece
	for _, flush := range f.produce(t, ticks) {
		all = append(all, flush...)
	}
	if len(all) < 4 || !all[len(all)-1].Last {
		t.Fatalf("the block has %d pieces; want several, the last marked Last", len(all))
	}
	return all
}

// checkFrozenLikeLeader fails unless the follower froze f.slot with the
// leader's bank hash and every transaction.
func (f *blockFixture) checkFrozenLikeLeader(t *testing.T) {
	t.Helper()
	got, ok := f.follower.BankInfo(f.slot)
	lb := f.leader.banks[f.slot]
	if !ok || lb == nil {
		t.Fatalf("slot %d: follower frozen %v, leader bank %v", f.slot, ok, lb != nil)
	}
	if got.BankHash != lb.bankHash || lb.txCount != uint64(len(f.raws)) {
		t.Fatalf("slot %d: follower bank hash %s, leader %s (%d transactions of %d)", f.slot, got.BankHash, lb.bankHash, lb.txCount, len(f.raws))
	}
}

// A follower replays a block piece by piece as the pieces arrive: before
// the last piece it has executed the transactions of every whole entry so
// far but not frozen the bank; the last piece freezes it, equal to the
// leader's.
func TestReplayStreamsPiecesInOrder(t *testing.T) {
	f := newBlockFixture(t, 600)
	pieces := f.blockPieces(t, 16)
	replayed := 0
	for i, p := range pieces[:len(pieces)-1] {
		if err := f.follower.Step(p); err != nil {
			t.Fatalf("piece %d: %v", i, err)
		}
		pb := f.follower.pending[f.slot]
		if pb == nil || pb.bank == nil {
			t.Fatalf("after piece %d of %d the block is not replaying", i, len(pieces))
		}
		if pb.next != uint32(i+1) {
			t.Fatalf("after piece %d, next piece to replay is %d", i, pb.next)
		}
		if len(pb.bank.txs) < replayed {
			t.Fatalf("after piece %d, %d transactions replayed, fewer than before (%d)", i, len(pb.bank.txs), replayed)
		}
		replayed = len(pb.bank.txs)
		if _, frozen := f.follower.BankInfo(f.slot); frozen {
			t.Fatalf("frozen after piece %d of %d", i, len(pieces))
		}
	}
	if replayed < len(f.raws)/2 {
		t.Fatalf("before the last piece only %d of %d transactions were replayed", replayed, len(f.raws))
	}
	if err := f.follower.Step(pieces[len(pieces)-1]); err != nil {
		t.Fatal(err)
	}
	f.checkFrozenLikeLeader(t)
	if _, still := f.follower.pending[f.slot]; still {
		t.Fatal("a frozen block is still pending")
	}
}

// Pieces out of order wait for the ones before them: replay stops at the
// first gap and resumes when it is filled, and the block freezes only when
// every piece is in.
func TestReplayStreamWaitsForGaps(t *testing.T) {
	f := newBlockFixture(t, 400)
	pieces := f.blockPieces(t, 8)
	hole := len(pieces) / 2
	order := rand.New(rand.NewPCG(1, 2)).Perm(len(pieces))
	for _, i := range order {
		if i == hole {
			continue
		}
		if err := f.follower.Step(pieces[i]); err != nil {
			t.Fatalf("piece %d: %v", i, err)
		}
	}
	pb := f.follower.pending[f.slot]
	if pb == nil {
		t.Fatalf("with piece %d missing the block is not pending", hole)
	}
	if pb.next != uint32(hole) {
		t.Fatalf("with piece %d missing, replay is at piece %d", hole, pb.next)
	}
	if _, frozen := f.follower.BankInfo(f.slot); frozen {
		t.Fatal("frozen with a piece missing")
	}
	if err := f.follower.Step(pieces[hole]); err != nil {
		t.Fatal(err)
	}
	f.checkFrozenLikeLeader(t)
}

// A block whose second entry is wrong is dead as soon as that entry is
// replayed, before its last piece arrives; the rest of it is then ignored.
func TestReplayStreamFindsADeadBlockEarly(t *testing.T) {
	f := newBlockFixture(t, 0)
	parent := f.follower.root
	tick := func(prev solana.Hash) Entry {
		return Entry{NumHashes: 1, Hash: NextEntryHash(prev, 1, nil)}
	}
	e1 := tick(SlotStartHash(parent.blockhash, f.slot))
	bad := tick(e1.Hash)
	bad.Hash[0] ^= 1
	e3 := tick(bad.Hash)
	leaderKey := testKey(1)
	var pieces []*BlockPiece
	for i, e := range []Entry{e1, bad, e3} {
		pieces = append(pieces, &BlockPiece{Slot: f.slot, Parent: parent.slot, Leader: leaderKey.Pubkey(), Index: uint32(i), Last: i == 2, Data: AppendEntry(nil, &e)})
	}
	SignPieces(leaderKey, pieces)
	f.follower.Ready()
	for _, p := range pieces[:2] {
		if err := f.follower.Step(p); err != nil {
			t.Fatal(err)
		}
	}
	if !f.follower.dead[f.slot] {
		t.Fatal("a block with a bad entry hash is not dead after that entry")
	}
	dead := false
	for _, e := range f.follower.Ready().Events {
		dead = dead || (e.Kind == EventDeadBlock && e.Slot == f.slot)
	}
	if !dead {
		t.Fatal("no dead-block event")
	}
	if err := f.follower.Step(pieces[2]); err != nil {
		t.Fatal(err)
	}
	if _, frozen := f.follower.BankInfo(f.slot); frozen || f.follower.pending[f.slot] != nil {
		t.Fatal("the dead block's last piece brought it back")
	}
}
