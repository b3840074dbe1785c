package core

import (
	"errors"
	"testing"

	"slonui/solana"
)

func newTestNode(t *testing.T, self int, tower *Tower, stakes ...uint64) *Node {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Genesis = testGenesis(stakes...)
	cfg.Identity = testKey(byte(self + 1))
	cfg.Tower = tower
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSignaturesAreChecked(t *testing.T) {
	n := newTestNode(t, 0, nil, 1, 1, 1)
	other := testKey(2)

	v := &Vote{Node: other.Pubkey(), Votes: []Lockout{{1, 1}}, Hash: solana.HashOf([]byte("x"))}
	v.Sign(other)
	v.Root = 5 // tampered after signing
	if err := n.Step(v); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("tampered vote: %v", err)
	}
	v.Root = 0
	if err := n.Step(v); err != nil {
		t.Fatalf("good vote: %v", err)
	}
	if n.Stats().VotesReceived != 1 {
		t.Fatal("good vote not counted")
	}

	slot := uint64(1)
	leader := n.SlotLeader(slot)
	var leaderKey solana.Keypair
	for i := byte(1); i <= 3; i++ {
		if testKey(i).Pubkey() == leader {
			leaderKey = testKey(i)
		}
	}
	p := &BlockPiece{Slot: slot, Parent: 0, Leader: leader, Index: 0, Data: []byte{1}}
	p.Sign(leaderKey)
	p.Data = []byte{2}
	if err := n.Step(p); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("tampered piece: %v", err)
	}
	notLeader := testKey(9)
	q := &BlockPiece{Slot: slot, Leader: notLeader.Pubkey(), Data: []byte{1}}
	q.Sign(notLeader)
	if err := n.Step(q); !errors.Is(err, ErrWrongLeader) {
		t.Fatalf("piece from a non-leader: %v", err)
	}

	faucet := testKey(200)
	tx, _ := solana.NewTransaction([]solana.Instruction{solana.Transfer(faucet.Pubkey(), other.Pubkey(), 1)}, n.GenesisHash(), faucet)
	raw := tx.Marshal()
	raw[5] ^= 1 // inside the signature
	if _, err := n.SubmitTransaction(raw); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("bad transaction signature: %v", err)
	}
	if _, err := n.SubmitTransaction([]byte{1, 2, 3}); err == nil {
		t.Fatal("garbage accepted")
	}
	if _, err := n.SubmitTransaction(tx.Marshal()); err != nil {
		t.Fatalf("good transaction: %v", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Genesis = testGenesis(1)
	cfg.MaxPieceBytes = 5000
	cfg.Tower = &Tower{Votes: []Lockout{{5, 1}, {3, 1}}}
	_, err := New(cfg)
	if err == nil || !contains(err.Error(), "max_piece_bytes") || !contains(err.Error(), "restored tower") {
		t.Fatalf("err = %v", err)
	}
}

// A node restored with a tower whose votes it has never seen (its ledger
// is gone) must not vote until those lockouts have expired.
func TestRestoredTowerBlocksVotesOnUnknownForks(t *testing.T) {
	tw := votesTower(40, 41, 42, 43) // 40 locked out until 40+2^4 = 56
	n := newTestNode(t, 0, &tw, 1)   // a lone validator: it leads every slot
	// It restarts at slot 45 with only genesis: its new blocks descend from
	// genesis, not from 40..43, so it may not vote until slot 57.
	for now := int64(400 * 45); now <= 400*70; now += 50 {
		n.Tick(now)
		r := n.Ready()
		for _, ev := range r.Events {
			if ev.Kind == EventVoted && ev.Slot <= 56 {
				t.Fatalf("voted for %d against the restored lockout on 40 (until 56)", ev.Slot)
			}
		}
	}
	if last, _ := n.Tower().LastVote(); last <= 56 {
		t.Fatalf("never voted again after the lockouts expired (last vote %d)", last)
	}
}

func TestReadyOrderAndReset(t *testing.T) {
	n := newTestNode(t, 0, nil, 1)
	n.Tick(400 * 3)
	r := n.Ready()
	if len(r.Messages) == 0 || len(r.Events) == 0 {
		t.Fatalf("a lone leader produced nothing: %+v", r)
	}
	if n.HasReady() {
		t.Fatal("Ready did not clear")
	}
	for _, m := range r.Messages {
		if !m.Broadcast || m.Msg.Kind() != KindBlockPiece {
			t.Fatalf("unexpected message %+v", m)
		}
		if p := m.Msg.(*BlockPiece); !p.Verify() {
			t.Fatal("own piece not signed")
		}
	}
}

func TestValidatorIndex(t *testing.T) {
	for _, collide := range []bool{false, true} {
		g := testGenesis(1, 1, 1, 1)
		if collide {
			g.Validators[2].Identity = g.Validators[1].Identity
			g.Validators[2].Identity[31] ^= 1 // same first 8 bytes, another key
		}
		cfg := DefaultConfig()
		cfg.Genesis = g
		cfg.Identity = testKey(1)
		n, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range g.Validators {
			if got, ok := n.validatorIndex(v.Identity); !ok || got != i {
				t.Errorf("collide %v: validator %d found as %d %v", collide, i, got, ok)
			}
		}
		stranger := g.Validators[0].Identity
		stranger[20] ^= 1
		if _, ok := n.validatorIndex(stranger); ok {
			t.Errorf("collide %v: a stranger sharing a prefix was found", collide)
		}
	}
}

// A node (re)started long after genesis first listens, and then does not
// build on its stale genesis bank while peers vote for slots it lacks.
func TestLateStartDoesNotForkFromGenesis(t *testing.T) {
	n := newTestNode(t, 0, nil, 1, 1, 1)
	var lead []uint64
	for s := uint64(1000); len(lead) < 3; s++ {
		if n.IsLeader(s) && (len(lead) == 0 || s > lead[len(lead)-1]+LeaderRun) {
			lead = append(lead, s)
		}
	}
	pieces := func(from, to uint64) int {
		count := 0
		for now := n.g.SlotStartMs(from); now < n.g.SlotStartMs(to); now += 50 {
			n.Tick(now)
			for _, m := range n.Ready().Messages {
				if m.Msg.Kind() == KindBlockPiece {
					count++
				}
			}
		}
		return count
	}
	if c := pieces(lead[0], lead[0]+2); c != 0 {
		t.Fatalf("built %d pieces in its first two slots", c)
	}
	peer := testKey(2)
	v := &Vote{Node: peer.Pubkey(), Votes: []Lockout{{lead[1] - 1, 1}}, Hash: solana.HashOf([]byte("unknown"))}
	v.Sign(peer)
	n.Tick(n.g.SlotStartMs(lead[1] - 1))
	if err := n.Step(v); err != nil {
		t.Fatal(err)
	}
	if c := pieces(lead[1], lead[1]+LeaderRun); c != 0 {
		t.Fatalf("built %d pieces on genesis while peers vote at %d", c, lead[1]-1)
	}
	if _, asked := n.wanted[lead[1]-1]; !asked {
		t.Fatal("the voted slot is not being repaired")
	}
}

// A slot nobody can send (its holders are gone) is given up on after
// maxRepairAsks tries, and the node leads again instead of waiting forever.
func TestRepairGivesUp(t *testing.T) {
	n := newTestNode(t, 0, nil, 1, 1, 1)
	start := uint64(2000)
	n.Tick(n.g.SlotStartMs(start))
	peer := testKey(2)
	v := &Vote{Node: peer.Pubkey(), Votes: []Lockout{{start, 1}}}
	v.Sign(peer)
	if err := n.Step(v); err != nil {
		t.Fatal(err)
	}
	asks := 0
	built := false
	for now := n.g.SlotStartMs(start); now < n.g.SlotStartMs(start+200); now += 50 {
		n.Tick(now)
		for _, m := range n.Ready().Messages {
			switch m.Msg.Kind() {
			case KindRepairRequest:
				if m.Msg.(*RepairRequest).Slot == start {
					asks++
				}
			case KindBlockPiece:
				built = true
				if !n.gaveUp[start] {
					t.Fatalf("built a block while still repairing slot %d", start)
				}
			}
		}
	}
	if !n.gaveUp[start] || !built {
		t.Fatalf("gave up %v, built %v", n.gaveUp[start], built)
	}
	if asks < maxRepairAsks || asks > 2*maxRepairAsks {
		t.Fatalf("asked %d times for the slot (max %d tries, to the leader and a voter)", asks, maxRepairAsks)
	}
}

func TestForwardedTransactionQueuedByTheNextLeader(t *testing.T) {
	n := newTestNode(t, 0, nil, 1, 1, 1)
	var s uint64
	for s = 4; ; s += LeaderRun {
		if !n.IsLeader(s) && n.IsLeader(s+LeaderRun) {
			break
		}
	}
	n.Tick(n.g.SlotStartMs(s))
	faucet := testKey(200)
	tx, _ := solana.NewTransaction([]solana.Instruction{solana.Transfer(faucet.Pubkey(), testKey(9).Pubkey(), 1)}, n.GenesisHash(), faucet)
	if err := n.Step(&TransactionMsg{Raw: tx.Marshal()}); err != nil {
		t.Fatal(err)
	}
	if q := n.Stats().TxQueue; q != 1 {
		t.Fatalf("the next leader queued %d transactions", q)
	}
	if len(n.Ready().Messages) != 0 {
		t.Fatal("a forwarded transaction was forwarded again")
	}
}
