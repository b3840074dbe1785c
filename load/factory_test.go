package load

import (
	"testing"
	"time"

	"slonui/solana"
)

func testFactory(t *testing.T, accounts int) *factory {
	t.Helper()
	var keys []solana.Keypair
	for i := range accounts {
		keys = append(keys, solana.KeypairFromSeed([32]byte{byte(i + 1)}))
	}
	return &factory{accounts: keys}
}

// No two transactions signed against one blockhash are alike, also when a
// refresh brings the same blockhash back; each one is a valid transfer.
func TestFactorySignaturesNeverCollide(t *testing.T) {
	f := testFactory(t, 4)
	now := time.Unix(0, 0)
	hA, hB := solana.HashOf([]byte("a")), solana.HashOf([]byte("b"))
	seen := map[solana.Signature]bool{}
	sign := func(n int) {
		for range n {
			tx, err := f.make()
			if err != nil {
				t.Fatal(err)
			}
			if seen[tx.Sig] {
				t.Fatalf("signature %s signed twice", tx.Sig)
			}
			seen[tx.Sig] = true
			dec, err := solana.DecodeTransaction(tx.Wire)
			if err != nil || dec.Verify() != nil || dec.ID() != tx.Sig {
				t.Fatalf("transaction does not decode and verify: %v", err)
			}
		}
	}
	f.setBlockhash(hA, 100, now)
	sign(50)
	f.setBlockhash(hA, 100, now.Add(2*time.Second)) // the node had no new block
	sign(50)
	f.setBlockhash(hB, 101, now.Add(4*time.Second))
	sign(50)
	if len(seen) != 150 {
		t.Errorf("%d distinct signatures, want 150", len(seen))
	}
	if n := f.cur.Load().n.Load(); n != 50 {
		t.Errorf("a new blockhash restarts its counter: %d, want 50", n)
	}
}

// A transaction signed ahead against a blockhash far older than the
// current one is thrown away and a fresh one signed instead.
func TestPipelineDropsStaleTransactions(t *testing.T) {
	f := testFactory(t, 2)
	now := time.Unix(0, 0)
	f.setBlockhash(solana.HashOf([]byte("old")), 100, now)
	p := &pipeline{f: f, out: make(chan Tx, 4), clock: RealClock}
	old, err := f.make()
	if err != nil {
		t.Fatal(err)
	}
	p.out <- old
	f.setBlockhash(solana.HashOf([]byte("new")), 200, now.Add(20*time.Second))
	tx, err := p.take(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Sig == old.Sig || tx.LastValid != 200 {
		t.Errorf("took a transaction on the stale blockhash (last valid %d)", tx.LastValid)
	}
	// A recent one is kept.
	recent, _ := f.make()
	p.out <- recent
	f.setBlockhash(solana.HashOf([]byte("newer")), 201, now.Add(22*time.Second))
	if tx, _ := p.take(10 * time.Second); tx.Sig != recent.Sig {
		t.Errorf("a transaction 2 s behind the newest blockhash was thrown away")
	}
}
