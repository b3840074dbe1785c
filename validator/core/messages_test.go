package core

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"slonui/solana"
)

func testKey(i byte) solana.Keypair { return solana.KeypairFromSeed([32]byte{i, 1, 2, 3}) }

func TestMessageRoundTrip(t *testing.T) {
	kp := testKey(1)
	vote := &Vote{Node: kp.Pubkey(), Votes: []Lockout{{3, 4}, {7, 2}, {9, 1}}, Root: 2, Hash: solana.HashOf([]byte("b")), Timestamp: 12345}
	vote.Sign(kp)
	msgs := []Message{
		&BlockPiece{Slot: 9, Parent: 7, Leader: kp.Pubkey(), Index: 3, Last: true, Data: []byte("entries"), Signature: kp.Sign([]byte("x"))},
		&BlockPiece{Slot: 1, Data: []byte{}},
		&BlockPiece{Slot: 9, Parent: 7, Leader: kp.Pubkey(), Index: 40, Data: []byte("e"), Position: 21, Proof: []solana.Hash{{1}, {2}, {3}, {4}, {5}}, Signature: kp.Sign([]byte("y"))},
		vote,
		&Vote{Node: kp.Pubkey()},
		&TransactionMsg{Raw: []byte{1, 2, 3}},
		&RepairRequest{From: kp.Pubkey(), Slot: 77, FirstIndex: 5},
		&RepairRequest{From: kp.Pubkey(), Slot: 78, Orphan: true},
	}
	for _, m := range msgs {
		b := MarshalMessage(m)
		got, err := UnmarshalMessage(b)
		if err != nil {
			t.Fatalf("%s: %v", m.Kind(), err)
		}
		if bp, ok := m.(*BlockPiece); ok && len(bp.Data) == 0 {
			bp.Data = nil
			if g := got.(*BlockPiece); len(g.Data) == 0 {
				g.Data = nil
			}
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("%s: round trip\n got %+v\nwant %+v", m.Kind(), got, m)
		}
		if !bytes.Equal(MarshalMessage(got), b) {
			t.Errorf("%s: re-marshal differs", m.Kind())
		}
		for cut := 1; cut < len(b); cut += max(1, len(b)/7) {
			if _, err := UnmarshalMessage(b[:cut]); !errors.Is(err, ErrMessageFormat) {
				t.Errorf("%s truncated to %d: err %v", m.Kind(), cut, err)
			}
		}
		if _, err := UnmarshalMessage(append(b, 0)); !errors.Is(err, ErrMessageFormat) {
			t.Errorf("%s with a trailing byte: err %v", m.Kind(), err)
		}
	}
	if !vote.Verify() {
		t.Fatal("signed vote does not verify")
	}
	vote.Root++
	if vote.Verify() {
		t.Fatal("tampered vote verifies")
	}
}

func TestUnmarshalMessageRejects(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":        nil,
		"unknown kind": {99, 0, 0},
		"bad bool":     append(append([]byte{byte(KindRepairRequest)}, make([]byte, 44)...), 2),
		"huge length":  {byte(KindTransaction), 0xff, 0xff, 0xff, 0x7f},
		"long proof":   append(append([]byte{byte(KindBlockPiece)}, make([]byte, pieceHeaderLen)...), 0, maxProofLen+1),
	} {
		if _, err := UnmarshalMessage(b); !errors.Is(err, ErrMessageFormat) {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

func TestEntryStream(t *testing.T) {
	prev := solana.HashOf([]byte("parent"))
	e1 := Entry{NumHashes: 1, Txs: [][]byte{bytes.Repeat([]byte{7}, 300), {1, 2}}}
	e1.Hash = NextEntryHash(prev, 1, nil)
	e2 := Entry{NumHashes: 3, Hash: NextEntryHash(e1.Hash, 3, nil), Txs: [][]byte{}}
	stream := AppendEntry(AppendEntry(nil, &e1), &e2)
	// Every proper prefix decodes to "need more" or to e1 alone.
	for cut := 0; cut < len(stream); cut++ {
		e, n, err := DecodeEntry(stream[:cut])
		if err != nil {
			t.Fatalf("prefix %d: %v", cut, err)
		}
		if n != 0 && !reflect.DeepEqual(e, e1) {
			t.Fatalf("prefix %d decoded %+v", cut, e)
		}
	}
	got1, n1, err := DecodeEntry(stream)
	if err != nil || !reflect.DeepEqual(got1, e1) {
		t.Fatalf("first entry: %+v %v", got1, err)
	}
	got2, n2, err := DecodeEntry(stream[n1:])
	if err != nil || n1+n2 != len(stream) || got2.Hash != e2.Hash || len(got2.Txs) != 0 {
		t.Fatalf("second entry: %+v %d %v", got2, n2, err)
	}
	if NextEntryHash(prev, 1, []solana.Signature{{1}}) == NextEntryHash(prev, 1, nil) {
		t.Fatal("signatures do not change the entry hash")
	}
}
