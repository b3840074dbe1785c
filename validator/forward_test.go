package validator

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"slonui/solana"
	"slonui/validator/core"
)

func testTransfers(t *testing.T, n int) (solana.Keypair, [][]byte) {
	t.Helper()
	payer, _ := solana.NewKeypair()
	to, _ := solana.NewKeypair()
	out := make([][]byte, n)
	for i := range out {
		tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(payer.Pubkey(), to.Pubkey(), uint64(1+i))},
			solana.HashOf([]byte("bh")), payer)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = tx.Marshal()
	}
	return payer, out
}

func TestForwardBatchRoundTrip(t *testing.T) {
	id, _ := solana.NewKeypair()
	_, txs := testTransfers(t, 100)
	gen := [32]byte{1, 2, 3}
	known := func(pk solana.Pubkey) bool { return pk == id.Pubkey() }
	pkts := packForwards(gen, id, txs)
	if len(pkts) < 2 {
		t.Fatalf("100 transfers packed into %d batch(es); want several of ≤ %d bytes", len(pkts), maxForwardBytes)
	}
	var got [][]byte
	for _, p := range pkts {
		if len(p) > maxForwardBytes {
			t.Fatalf("batch of %d bytes exceeds %d", len(p), maxForwardBytes)
		}
		txs, err := openForwards(gen, p, known)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, txs...)
	}
	if len(got) != len(txs) {
		t.Fatalf("opened %d transactions, packed %d", len(got), len(txs))
	}
	for i := range txs {
		if !bytes.Equal(got[i], txs[i]) {
			t.Fatalf("transaction %d differs after the round trip", i)
		}
	}
}

func TestForwardBatchRefused(t *testing.T) {
	id, _ := solana.NewKeypair()
	other, _ := solana.NewKeypair()
	_, txs := testTransfers(t, 3)
	gen := [32]byte{7}
	known := func(pk solana.Pubkey) bool { return pk == id.Pubkey() }
	good := packForwards(gen, id, txs)[0]
	flip := func(i int) []byte { b := bytes.Clone(good); b[i] ^= 1; return b }
	cases := []struct {
		name    string
		pkt     []byte
		gen     [32]byte
		wantSig bool
	}{
		{"a transaction byte altered", flip(len(good) - 5), gen, true},
		{"the count altered", flip(forwardHeader - 2), gen, true},
		{"the signature altered", flip(40), gen, true},
		{"another cluster's genesis", good, [32]byte{8}, true},
		{"not a validator", packForwards(gen, other, txs)[0], gen, false},
		{"truncated header", good[:50], gen, false},
		{"truncated body", good[:len(good)-1], gen, true},
		{"a core message", core.MarshalMessage(&core.TransactionMsg{Raw: txs[0]}), gen, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := openForwards(c.gen, c.pkt, known)
			if err == nil {
				t.Fatalf("accepted %d transactions", len(got))
			}
			if c.wantSig != errors.Is(err, core.ErrBadSignature) {
				t.Fatalf("err %v: want signature failure %v", err, c.wantSig)
			}
		})
	}
}

func TestVerifyWire(t *testing.T) {
	_, txs := testTransfers(t, 1)
	if _, err := verifyWire(txs[0]); err != nil {
		t.Fatalf("a signed transfer: %v", err)
	}
	bad := bytes.Clone(txs[0])
	bad[len(bad)-1] ^= 1 // the message's last byte
	if _, err := verifyWire(bad); !errors.Is(err, core.ErrBadSignature) {
		t.Fatalf("an altered transfer: err %v, want a signature failure", err)
	}
	if _, err := verifyWire(bad[:10]); err == nil || errors.Is(err, core.ErrBadSignature) {
		t.Fatalf("a truncated transfer: err %v, want a decode failure", err)
	}
}

// The forward buffer holds transactions per leader until a batch is full
// (add says so) or the linger ends (due fires); take empties one leader's
// queue, in the order added.
func TestForwardBufferFillsAndLingers(t *testing.T) {
	var b forwardBuffer
	if b.due() != nil {
		t.Fatal("due is armed with nothing waiting")
	}
	a, c := solana.Pubkey{1}, solana.Pubkey{2}
	tx := make([]byte, 200)
	full, n := false, 0
	for !full {
		full = b.add(a, append([]byte{byte(n)}, tx...))
		n++
		if n > maxForwardBytes/len(tx) {
			t.Fatalf("still not full after %d transactions of %d bytes", n, len(tx)+1)
		}
	}
	if least := (forwardFull + 202) / 203; n < least {
		t.Fatalf("full after %d transactions, want at least %d", n, least)
	}
	if b.add(c, tx) {
		t.Fatal("another leader's first transaction reported full")
	}
	if got := len(b.leaders()); got != 2 {
		t.Fatalf("%d leaders waiting, want 2", got)
	}
	got := b.take(a)
	if len(got) != n || got[0][0] != 0 || got[n-1][0] != byte(n-1) {
		t.Fatalf("take gave %d transactions (first %d), want %d in order", len(got), got[0][0], n)
	}
	if len(b.take(a)) != 0 || len(b.leaders()) != 1 {
		t.Fatal("take left leader a waiting")
	}
	if packed := packForwards([32]byte{}, solana.KeypairFromSeed([32]byte{3}), got); len(packed) != 1 {
		t.Fatalf("a full buffer packed into %d batches, want 1", len(packed))
	}
	select {
	case <-b.due():
		b.fired()
	case <-time.After(time.Second):
		t.Fatal("the linger never ended")
	}
	if b.due() != nil {
		t.Fatal("due still armed after it fired")
	}
}
