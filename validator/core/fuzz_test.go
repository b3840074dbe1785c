package core

import (
	"bytes"
	"testing"

	"slonui/solana"
)

// FuzzUnmarshalMessage: decoding arbitrary bytes never panics, and whatever
// decodes marshals back to the same bytes.
func FuzzUnmarshalMessage(f *testing.F) {
	kp := testKey(1)
	v := &Vote{Node: kp.Pubkey(), Votes: []Lockout{{3, 2}, {4, 1}}, Root: 1}
	v.Sign(kp)
	for _, m := range []Message{
		&BlockPiece{Slot: 5, Parent: 4, Leader: kp.Pubkey(), Data: []byte("abc")},
		&BlockPiece{Slot: 5, Parent: 4, Leader: kp.Pubkey(), Data: []byte("abc"), Position: 2, Proof: []solana.Hash{{1}, {2}}},
		v,
		&TransactionMsg{Raw: []byte{1, 2, 3}},
		&RepairRequest{From: kp.Pubkey(), Slot: 9, Orphan: true},
	} {
		f.Add(MarshalMessage(m))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := UnmarshalMessage(b)
		if err != nil {
			return
		}
		if again := MarshalMessage(m); !bytes.Equal(again, b) {
			t.Fatalf("re-marshal differs:\n%x\n%x", b, again)
		}
	})
}

// FuzzDecodeEntry: entry decoding never panics and never reads past b.
func FuzzDecodeEntry(f *testing.F) {
	e := Entry{NumHashes: 1, Txs: [][]byte{{1, 2, 3}}}
	e.Hash = NextEntryHash(solana.Hash{}, 1, nil)
	f.Add(AppendEntry(nil, &e))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, n, err := DecodeEntry(b)
		if err == nil && n > len(b) {
			t.Fatalf("used %d of %d bytes", n, len(b))
		}
	})
}

func TestLargestMessagesFitAPacket(t *testing.T) {
	kp := testKey(1)
	piece := &BlockPiece{Slot: 1 << 40, Parent: 1 << 39, Leader: kp.Pubkey(), Index: 1 << 15, Last: true, Data: make([]byte, MaxPieceData),
		Position: MaxPieceGroup - 1, Proof: make([]solana.Hash, maxProofLen)}
	if n := len(MarshalMessage(piece)); n > solana.MaxTransactionSize {
		t.Fatalf("a full block piece with a full proof is %d bytes", n)
	}
	pieces := make([]*BlockPiece, MaxPieceGroup)
	for i := range pieces {
		pieces[i] = &BlockPiece{Slot: 1 << 40, Parent: 1 << 39, Leader: kp.Pubkey(), Index: uint32(i), Data: make([]byte, MaxPieceData)}
	}
	SignPieces(kp, pieces)
	for _, p := range pieces {
		if n := len(MarshalMessage(p)); n > solana.MaxTransactionSize {
			t.Fatalf("piece %d of a full group is %d bytes", p.Index, n)
		}
	}
	v := &Vote{Node: kp.Pubkey(), Votes: make([]Lockout, MaxLockoutHistory)}
	if n := len(MarshalMessage(v)); n > solana.MaxTransactionSize {
		t.Fatalf("a full vote is %d bytes", n)
	}
}
