package solana

import (
	"bytes"
	"testing"
)

func TestCompactU16Vectors(t *testing.T) {
	for _, tc := range []struct {
		v   uint16
		enc []byte
	}{
		{0, []byte{0}}, {0x7f, []byte{0x7f}}, {0x80, []byte{0x80, 0x01}},
		{0x3fff, []byte{0xff, 0x7f}}, {0x4000, []byte{0x80, 0x80, 0x01}}, {0xffff, []byte{0xff, 0xff, 0x03}},
	} {
		got := AppendCompactU16(nil, tc.v)
		if !bytes.Equal(got, tc.enc) {
			t.Errorf("encode %#x = %x, want %x", tc.v, got, tc.enc)
		}
		v, n, err := DecodeCompactU16(tc.enc)
		if err != nil || v != tc.v || n != len(tc.enc) {
			t.Errorf("decode %x = %#x,%d,%v", tc.enc, v, n, err)
		}
	}
	for _, bad := range [][]byte{{0x80, 0x00}, {0x80, 0x80, 0x00}, {0xff, 0xff, 0x04}, {0x80}, {}, {0xff, 0xff, 0x83}} {
		if _, _, err := DecodeCompactU16(bad); err == nil {
			t.Errorf("decode %x: accepted a non-canonical or short encoding", bad)
		}
	}
}

func TestTransferRoundTripAndVerify(t *testing.T) {
	payer := KeypairFromSeed([32]byte{1})
	to := KeypairFromSeed([32]byte{2}).Pubkey()
	tx, err := NewTransaction([]Instruction{Transfer(payer.Pubkey(), to, 42), Memo("hi", payer.Pubkey())}, HashOf([]byte("bh")), payer)
	if err != nil {
		t.Fatal(err)
	}
	wire := tx.Marshal()
	got, err := DecodeTransaction(wire)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Marshal(), wire) {
		t.Fatal("decode∘encode changed the bytes")
	}
	if err := got.Verify(); err != nil {
		t.Fatal(err)
	}
	got.Message.Instructions[0].Data[4] ^= 1
	if err := got.Verify(); err == nil {
		t.Fatal("a changed message still verified")
	}
	if got.Message.AccountKeys[0] != payer.Pubkey() || !got.Message.IsWritable(1) || got.Message.IsWritable(3) {
		t.Fatalf("account order/flags wrong: %+v", got.Message.Header)
	}
}
