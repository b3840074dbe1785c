package core

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/bits"
	"testing"

	"slonui/solana"
)

// keyOf returns the test keypair of a genesis validator.
func keyOf(t testing.TB, pk solana.Pubkey) solana.Keypair {
	t.Helper()
	for i := byte(1); i <= 9; i++ {
		if testKey(i).Pubkey() == pk {
			return testKey(i)
		}
	}
	t.Fatalf("no test key for %s", pk)
	return solana.Keypair{}
}

// pieceGroup returns n pieces of slot (from index first), signed as one
// group by k.
func pieceGroup(k solana.Keypair, slot uint64, first uint32, n int) []*BlockPiece {
	ps := make([]*BlockPiece, n)
	for i := range ps {
		ps[i] = &BlockPiece{Slot: slot, Parent: slot - 1, Leader: k.Pubkey(), Index: first + uint32(i), Data: []byte(fmt.Sprintf("piece %d of slot %d", i, slot))}
	}
	SignPieces(k, ps)
	return ps
}

// clone copies p deeply, so a test can tamper with the copy.
func clone(p *BlockPiece) *BlockPiece {
	c := *p
	c.Data = append([]byte(nil), p.Data...)
	c.Proof = append([]solana.Hash(nil), p.Proof...)
	return &c
}

func TestPieceGroupProofs(t *testing.T) {
	k := testKey(1)
	for n := 1; n <= MaxPieceGroup; n++ {
		ps := pieceGroup(k, 10, 0, n)
		depth := bits.Len(uint(n - 1)) // ceil(log2 n)
		var root solana.Hash
		for i, p := range ps {
			if int(p.Position) != i || len(p.Proof) != depth {
				t.Fatalf("group of %d, piece %d: position %d, proof of %d; want %d, %d", n, i, p.Position, len(p.Proof), i, depth)
			}
			r, ok := p.MerkleRoot()
			if !ok || (i > 0 && r != root) {
				t.Fatalf("group of %d, piece %d: root %s %v, piece 0's %s", n, i, r, ok, root)
			}
			root = r
			if ps[0].Signature != p.Signature {
				t.Fatalf("group of %d: piece %d carries another signature", n, i)
			}
			// Alone, and after the wire, as a repair answer or the block log carries it.
			m, err := UnmarshalMessage(MarshalMessage(p))
			if err != nil || !m.(*BlockPiece).Verify() {
				t.Fatalf("group of %d, piece %d does not verify after the wire: %v", n, i, err)
			}
		}
		if n == 1 && root != pieceLeaf(ps[0]) {
			t.Fatal("a group of one: the root is not the leaf")
		}
	}
	if !func() (panicked bool) {
		defer func() { panicked = recover() != nil }()
		pieceGroup(k, 10, 0, MaxPieceGroup+1)
		return false
	}() {
		t.Fatal("a group of 33 pieces was signed")
	}
}

// The hashes are domain-separated: a group of two is not a leaf of the
// two halves' bytes.
func TestPieceTreeHashes(t *testing.T) {
	ps := pieceGroup(testKey(1), 10, 0, 3)
	l0, l1, l2 := pieceLeaf(ps[0]), pieceLeaf(ps[1]), pieceLeaf(ps[2])
	if l0 != solana.Hash(sha256.Sum256(append([]byte{0}, ps[0].SignedBytes()...))) {
		t.Fatal("leaf is not SHA256(0x00 ‖ SignedBytes)")
	}
	want := merkleNode(merkleNode(l0, l1), merkleNode(l2, l2)) // the odd last node is paired with itself
	if r, _ := ps[2].MerkleRoot(); r != want {
		t.Fatalf("root %s, want %s", r, want)
	}
	if merkleNode(l0, l1) != solana.Hash(sha256.Sum256(append(append([]byte{1}, l0[:]...), l1[:]...))) {
		t.Fatal("node is not SHA256(0x01 ‖ l ‖ r)")
	}
	if !solana.Verify(ps[0].Leader, want[:], ps[0].Signature) {
		t.Fatal("the signature is not over the root")
	}
}

// Every way of breaking a piece's link to its leader's signed root is
// refused as a bad signature, also once the group's root is known good.
func TestPieceProofRejected(t *testing.T) {
	n := newTestNode(t, 0, nil, 1, 1, 1)
	n.Tick(n.g.SlotStartMs(100))
	slot := uint64(120)
	for n.IsLeader(slot) {
		slot++
	}
	leader := keyOf(t, n.SlotLeader(slot))
	other := testKey(1)
	if other.Pubkey() == leader.Pubkey() {
		other = testKey(2)
	}
	group := pieceGroup(leader, slot, 0, 21)

	bad := map[string]*BlockPiece{}
	p := clone(group[5])
	p.Data[0] ^= 1
	bad["tampered data"] = p
	p = clone(group[5])
	p.Index++
	bad["tampered index"] = p
	p = clone(group[5])
	p.Proof[2][7] ^= 1
	bad["tampered proof"] = p
	p = clone(group[5])
	p.Proof = p.Proof[:len(p.Proof)-1]
	bad["short proof"] = p
	p = clone(group[5])
	p.Proof = append(p.Proof, solana.Hash{})
	bad["long proof"] = p
	p = clone(group[5])
	p.Position = 4
	bad["wrong position"] = p
	p = clone(group[5])
	p.Position = 1 << len(p.Proof)
	bad["position past the group"] = p
	p = clone(group[5])
	p.Signature[3] ^= 1
	bad["tampered signature"] = p
	forged := pieceGroup(other, slot, 0, 21)
	for _, f := range forged {
		f.Leader = leader.Pubkey()
	}
	bad["root signed by another key"] = forged[5]
	// A piece of another group whose proof is spliced onto a good piece.
	p = clone(group[5])
	p.Proof, p.Position = group[6].Proof, group[6].Position
	bad["another piece's proof"] = p

	check := func(when string) {
		t.Helper()
		for name, p := range bad {
			if err := n.Step(p); !errors.Is(err, ErrBadSignature) {
				t.Errorf("%s, %s: err %v, want ErrBadSignature", when, name, err)
			}
		}
	}
	check("before the root is known")
	for _, i := range []int{0, 1, 20} {
		if err := n.Step(group[i]); err != nil {
			t.Fatalf("good piece %d: %v", i, err)
		}
	}
	if pb := n.pending[slot]; pb == nil || len(pb.pieces) != 3 || len(pb.signed) != 1 {
		t.Fatalf("pending after three good pieces of one group: %+v", pb)
	}
	check("with the group's root verified")
	if len(n.pending[slot].pieces) != 3 {
		t.Fatalf("a bad piece was kept: %d pieces", len(n.pending[slot].pieces))
	}
	for _, p := range group {
		if err := n.Step(p); err != nil {
			t.Fatalf("good piece %d: %v", p.Index, err)
		}
	}
	if pb := n.pending[slot]; len(pb.pieces) != len(group) || len(pb.signed) != 1 {
		t.Fatalf("after the whole group: %d pieces, %d roots", len(pb.pieces), len(pb.signed))
	}
	// A second group of the slot: its own root, checked once.
	more := pieceGroup(leader, slot, 21, 4)
	for _, p := range more {
		if err := n.Step(p); err != nil {
			t.Fatalf("good piece %d of the second group: %v", p.Index, err)
		}
	}
	if got := len(n.pending[slot].signed); got != 2 {
		t.Fatalf("%d roots after two groups", got)
	}
}

// With signature checks off (the simulator), pieces carry no proof and are
// taken as they are, as before.
func TestPiecesUnsignedWithoutVerification(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Genesis = testGenesis(1)
	cfg.Identity = testKey(1)
	cfg.VerifySignatures = false
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	n.Tick(400 * 3)
	for _, m := range n.Ready().Messages {
		if p, ok := m.Msg.(*BlockPiece); ok && (p.Signature != solana.Signature{} || len(p.Proof) != 0) {
			t.Fatalf("piece %d signed with signature checks off", p.Index)
		}
	}
}

// groupsOf splits the pieces of one flush into runs that share a signature.
func groupsOf(ps []*BlockPiece) [][]*BlockPiece {
	var out [][]*BlockPiece
	for i, p := range ps {
		if i == 0 || p.Signature != ps[i-1].Signature {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], p)
	}
	return out
}

// The leader signs each flush of pieces in groups of at most 32: one
// signature per group, not per piece.
func TestLeaderSignsAGroupPerFlush(t *testing.T) {
	f := newBlockFixture(t, 600)
	flushes := f.produce(t, 4)
	pieces, sigs := 0, 0
	for _, flush := range flushes {
		gs := groupsOf(flush)
		if want := (len(flush) + MaxPieceGroup - 1) / MaxPieceGroup; len(gs) != want {
			t.Errorf("a flush of %d pieces in %d groups; want %d", len(flush), len(gs), want)
		}
		for _, g := range gs {
			if len(g) > MaxPieceGroup {
				t.Errorf("a group of %d pieces", len(g))
			}
			for i, p := range g {
				if int(p.Position) != i || !p.Verify() {
					t.Errorf("piece %d: position %d (want %d), verifies %v", p.Index, p.Position, i, p.Verify())
				}
				if len(p.Data) > MaxPieceData || len(MarshalMessage(p)) > solana.MaxTransactionSize {
					t.Errorf("piece %d: %d data bytes, %d on the wire", p.Index, len(p.Data), len(MarshalMessage(p)))
				}
			}
		}
		pieces += len(flush)
		sigs += len(gs)
	}
	if pieces < 3*MaxPieceGroup || sigs*8 > pieces {
		t.Fatalf("%d pieces under %d signatures", pieces, sigs)
	}
	// The follower checks them all and replays the block the leader built.
	for _, flush := range flushes {
		for _, p := range flush {
			if err := f.follower.Step(p); err != nil {
				t.Fatalf("piece %d: %v", p.Index, err)
			}
		}
	}
	got, ok := f.follower.BankInfo(f.slot)
	if want, _ := f.leader.BankInfo(f.slot); !ok || got.BankHash != want.BankHash {
		t.Fatalf("follower's bank %+v (%v), leader's %+v", got, ok, want)
	}
}

// A piece lost in transit comes back alone, in a repair answer, and proves
// itself without the rest of its group; so does a piece read back from the
// block log by a restarted node.
func TestRepairOfASinglePiece(t *testing.T) {
	f := newBlockFixture(t, 200)
	flushes := f.produce(t, 2)
	var all []*BlockPiece
	for _, fl := range flushes {
		all = append(all, fl...)
	}
	var lost *BlockPiece
	for _, g := range groupsOf(all) {
		if len(g) >= 3 {
			lost = g[len(g)/2]
			break
		}
	}
	if lost == nil {
		t.Fatalf("no group of 3 pieces in %d pieces", len(all))
	}
	for _, p := range all {
		if p != lost {
			if err := f.follower.Step(p); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, ok := f.follower.BankInfo(f.slot); ok {
		t.Fatal("replayed without a piece")
	}
	// The follower asks; the leader answers from the lost piece on.
	now := f.start + f.leader.g.SlotMs + 1
	f.leader.Tick(now)
	f.leader.Ready()
	var asked *RepairRequest
	for t0 := now; asked == nil && t0 < now+2000; t0 += 25 {
		f.follower.Tick(t0)
		for _, m := range f.follower.Ready().Messages {
			if q, ok := m.Msg.(*RepairRequest); ok && q.Slot == f.slot && m.To == f.leader.Identity() {
				asked = q
			}
		}
	}
	if asked == nil || asked.FirstIndex != lost.Index {
		t.Fatalf("repair request %+v; want slot %d from piece %d", asked, f.slot, lost.Index)
	}
	if err := f.leader.Step(asked); err != nil {
		t.Fatal(err)
	}
	var answer []*BlockPiece
	for _, m := range f.leader.Ready().Messages {
		if p, ok := m.Msg.(*BlockPiece); ok && m.To == f.follower.Identity() {
			answer = append(answer, p)
		}
	}
	if len(answer) == 0 || answer[0].Index != lost.Index {
		t.Fatalf("repair answer of %d pieces", len(answer))
	}
	// Only the lost piece arrives (the rest of the answer is lost).
	m, err := UnmarshalMessage(MarshalMessage(answer[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.follower.Step(m); err != nil {
		t.Fatalf("the repaired piece: %v", err)
	}
	got, ok := f.follower.BankInfo(f.slot)
	if want, _ := f.leader.BankInfo(f.slot); !ok || got.BankHash != want.BankHash {
		t.Fatalf("after repair: follower's bank %+v (%v), leader's %+v", got, ok, want)
	}

	// A restarted node replays the block log: each piece as it was framed.
	fresh := newTestNode(&testing.T{}, 2, nil, 1, 1, 1)
	fresh.Tick(f.start)
	for i := len(all) - 1; i >= 0; i-- { // any order; the middle of a group first
		m, err := UnmarshalMessage(MarshalMessage(all[i]))
		if err != nil {
			t.Fatal(err)
		}
		if err := fresh.Step(m); err != nil {
			t.Fatalf("piece %d from the log: %v", all[i].Index, err)
		}
	}
	if got, ok := fresh.BankInfo(f.slot); !ok || got.BankHash != f.leader.banks[f.slot].bankHash {
		t.Fatal("the block did not replay from its logged pieces")
	}
}
