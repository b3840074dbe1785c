package core

import (
	"errors"
	"testing"

	"slonui/solana"
)

// transferBlock signs n transfers (outside any timer) and returns the
// entry stream of a block holding them, 64 per entry, chained from parent.
func transferBlock(b testing.TB, f *bankFixture, parent solana.Hash, n int) (data []byte, txs []solana.Transaction) {
	to := make([]solana.Pubkey, 256)
	for i := range to {
		to[i] = testKey(byte(i)).Pubkey()
	}
	last := SlotStartHash(parent, 1) // the block is for slot 1, a child of parent
	for i := 0; i < n; i += 64 {
		e := Entry{NumHashes: 1}
		var sigs []solana.Signature
		for j := i; j < min(i+64, n); j++ {
			tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(f.faucet.Pubkey(), to[j%len(to)], uint64(j+1))}, parent, f.faucet)
			if err != nil {
				b.Fatal(err)
			}
			e.Txs = append(e.Txs, tx.Marshal())
			sigs = append(sigs, tx.Signatures...)
			txs = append(txs, tx)
		}
		e.Hash = NextEntryHash(last, 1, sigs)
		last = e.Hash
		data = AppendEntry(data, &e)
	}
	return data, txs
}

// BenchmarkReplayTransfers measures replay of a block of System transfers
// without signature checks (decode, entry hash chain, fee, status cache,
// blockhash check, execution), on one goroutine. It reports transfers/s.
func BenchmarkReplayTransfers(b *testing.B) {
	f := newBankFixture(&testing.T{})
	f.n.cfg.VerifySignatures = false // the separate step, measured below
	const n = 20_000
	data, _ := transferBlock(b, f, f.n.root.blockhash, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bk := f.child(f.n.root, 1)
		if err := f.n.replayEntries(bk, data); err != nil {
			b.Fatal(err)
		}
		if bk.txCount != n {
			b.Fatalf("%d transfers landed", bk.txCount)
		}
		bk.freeze()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "transfers/s")
}

// BenchmarkVerifyTransferSignatures measures the separate, skippable step:
// ed25519 verification of the same transfers.
func BenchmarkVerifyTransferSignatures(b *testing.B) {
	f := newBankFixture(&testing.T{})
	const n = 2_000
	_, txs := transferBlock(b, f, f.n.root.blockhash, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range txs {
			if err := txs[j].Verify(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}

func TestReplayRejectsBrokenBlocks(t *testing.T) {
	f := newBankFixture(t)
	data, _ := transferBlock(t, f, f.n.root.blockhash, 100)
	if err := f.n.replayEntries(f.child(f.n.root, 1), data); err != nil {
		t.Fatalf("good block: %v", err)
	}
	tampered := append([]byte(nil), data...)
	tampered[20] ^= 1 // inside the first entry's hash
	if err := f.n.replayEntries(f.child(f.n.root, 1), tampered); err == nil {
		t.Fatal("a broken hash chain replayed")
	}
	if err := f.n.replayEntries(f.child(f.n.root, 1), data[:len(data)-5]); err == nil {
		t.Fatal("a truncated block replayed")
	}
	// Replayed on top of itself, every transfer is a duplicate: the block is dead.
	b1 := f.child(f.n.root, 1)
	_ = f.n.replayEntries(b1, data)
	b1.lastEntry = NextEntryHash(b1.lastEntry, 1, nil)
	b1.freeze()
	b2 := f.child(b1, 2)
	b2.lastEntry = SlotStartHash(f.n.root.blockhash, 1) // the chain the data was built on
	if err := f.n.replayEntries(b2, data); err == nil {
		t.Fatal("a block of already processed transactions replayed")
	}
}

func TestTrustBlockTransactions(t *testing.T) {
	f := newBankFixture(t)
	_, txs := transferBlock(t, f, f.n.root.blockhash, 3)
	// Forge the second transaction's signature, keeping the entry chain valid.
	forged := txs[1]
	forged.Signatures = append([]solana.Signature(nil), forged.Signatures...)
	forged.Signatures[0][10] ^= 1
	e := Entry{NumHashes: 1, Txs: [][]byte{txs[0].Marshal(), forged.Marshal(), txs[2].Marshal()}}
	var sigs []solana.Signature
	for _, raw := range e.Txs {
		tx, _ := solana.DecodeTransaction(raw)
		sigs = append(sigs, tx.Signatures...)
	}
	e.Hash = NextEntryHash(SlotStartHash(f.n.root.blockhash, 1), 1, sigs)
	data := AppendEntry(nil, &e)
	if err := f.n.replayEntries(f.child(f.n.root, 1), data); err == nil {
		t.Fatal("a forged signature replayed with verification on")
	}
	f.n.cfg.TrustBlockTransactions = true
	if err := f.n.replayEntries(f.child(f.n.root, 1), data); err != nil {
		t.Fatalf("trusting the leader: %v", err)
	}
	// SubmitVerifiedTransaction takes the caller's word; SubmitTransaction does not.
	raw := forged.Marshal()
	if _, err := f.n.SubmitTransaction(raw); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("SubmitTransaction: %v", err)
	}
	if _, err := f.n.SubmitVerifiedTransaction(raw, false); err != nil {
		t.Fatalf("SubmitVerifiedTransaction: %v", err)
	}
}
