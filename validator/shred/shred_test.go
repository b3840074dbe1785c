package shred

import (
	"bytes"
	"errors"
	"testing"

	"slonui/solana"
)

func testKey(i byte) solana.Keypair {
	var seed [32]byte
	seed[0] = i
	return solana.KeypairFromSeed(seed)
}

func pattern(n int, salt byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ salt
	}
	return b
}

func TestShredderCutsSignsAndFlags(t *testing.T) {
	kp := testKey(1)
	s := NewShredder(kp, 9, 12, 10)
	a := s.Write(pattern(2*MaxPayload+5, 1)) // 3 shreds
	b := s.Write(pattern(10, 2))             // 1 shred
	if s.Write(nil) != nil {
		t.Fatal("empty write made shreds")
	}
	end := s.Finish()
	if s.Finish() != nil || s.Write([]byte("late")) != nil {
		t.Fatal("shreds after Finish")
	}
	all := append(append(a, b...), end...)
	if len(a) != 3 || len(b) != 1 || len(end) != 1 || s.Next() != 5 {
		t.Fatalf("shreds per call %d %d %d, next %d", len(a), len(b), len(end), s.Next())
	}
	wantFlags := []Flags{0, 0, FlagBatchComplete, FlagBatchComplete, FlagLastInSlot}
	for i, sh := range all {
		if len(sh.Bytes()) > ShredSize {
			t.Fatalf("shred %d is %d bytes", i, len(sh.Bytes()))
		}
		got, err := DecodeShred(sh.Bytes())
		if err != nil {
			t.Fatalf("shred %d: %v", i, err)
		}
		if got.Index != uint32(i) || got.Slot != 12 || got.Parent != 10 || got.Version != 9 || got.Flags != wantFlags[i] {
			t.Fatalf("shred %d decoded as %+v", i, got)
		}
		if !bytes.Equal(got.Payload, sh.Payload) || !got.Verify(kp.Pubkey()) {
			t.Fatalf("shred %d: payload or signature changed in the round trip", i)
		}
		if got.Verify(testKey(2).Pubkey()) {
			t.Fatalf("shred %d verifies against another key", i)
		}
	}
	if len(all[0].Payload) != MaxPayload || len(all[0].Bytes()) != ShredSize {
		t.Fatalf("a full shred carries %d payload bytes in %d", len(all[0].Payload), len(all[0].Bytes()))
	}
}

func TestTamperedShredFailsVerify(t *testing.T) {
	kp := testKey(1)
	sh := ShredSlot(kp, 1, 5, 4, []byte("block data"))[0]
	for _, i := range []int{1, 65, 67, 83, HeaderSize} {
		b := append([]byte(nil), sh.Bytes()...)
		b[i] ^= 0x01
		got, err := DecodeShred(b)
		if err != nil {
			continue // no longer decodes: also refused
		}
		if got.Verify(kp.Pubkey()) {
			t.Errorf("flipping byte %d still verifies", i)
		}
	}
}

func TestDecodeShredRejects(t *testing.T) {
	good := ShredSlot(testKey(1), 1, 5, 4, []byte("abc"))[0].Bytes()
	mut := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"short", good[:HeaderSize-1], ErrShredSize},
		{"long", make([]byte, ShredSize+1), ErrShredSize},
		{"variant", mut(func(b []byte) []byte { b[0] = 1; return b }), ErrShredVariant},
		{"size lies", mut(func(b []byte) []byte { b[88] = 9; return b }), ErrShredHeader},
		{"truncated payload", good[:len(good)-1], ErrShredHeader},
		{"unknown flag", mut(func(b []byte) []byte { b[87] = 0x80; return b }), ErrShredHeader},
		{"parent after slot", mut(func(b []byte) []byte { b[75] = 6; return b }), ErrShredHeader},
		{"parent is slot", mut(func(b []byte) []byte { b[75] = 5; return b }), ErrShredHeader},
	}
	for _, tc := range tests {
		if _, err := DecodeShred(tc.b); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestRepairRequestRoundTrip(t *testing.T) {
	for _, r := range []RepairRequest{
		{RepairWindow, 7, 3, 1}, {RepairHighest, 1 << 40, 9, 2}, {RepairOrphan, 0, 0, 1<<32 - 1},
	} {
		got, err := DecodeRepairRequest(r.Marshal())
		if err != nil || got != r {
			t.Fatalf("round trip %+v = %+v, %v", r, got, err)
		}
	}
	bad := RepairRequest{Kind: 9}.Marshal()
	if _, err := DecodeRepairRequest(bad); err == nil {
		t.Fatal("kind 9 decoded")
	}
	if _, err := DecodeRepairRequest(RepairRequest{Kind: RepairWindow}.Marshal()[:5]); err == nil {
		t.Fatal("short request decoded")
	}
}

func TestBackoffAndPeerRotation(t *testing.T) {
	const base, max = 100, 2000
	for tries, want := range map[int]int{1: 100, 2: 200, 3: 400, 5: 1600, 6: 2000, 30: 2000} {
		if got := backoff(base, max, tries); int(got) != want {
			t.Errorf("backoff(tries %d) = %d, want %d", tries, got, want)
		}
	}
	k := reqKey{RepairWindow, 10, 3}
	if peerIndex(k, 1, 3) == peerIndex(k, 2, 3) {
		t.Error("a retry goes to the same peer")
	}
}

func FuzzDecodeShred(f *testing.F) {
	kp := testKey(1)
	for _, sh := range ShredSlot(kp, 1, 5, 4, pattern(1500, 3)) {
		f.Add(sh.Bytes())
	}
	f.Add([]byte{variant})
	f.Fuzz(func(t *testing.T, b []byte) {
		sh, err := DecodeShred(b)
		if err != nil {
			return
		}
		if !bytes.Equal(sh.Bytes(), b) || len(sh.Payload) > MaxPayload {
			t.Fatalf("decoded shred does not match its %d input bytes", len(b))
		}
		sh.Verify(kp.Pubkey())
	})
}

func FuzzDecodeRepairRequest(f *testing.F) {
	f.Add(RepairRequest{RepairWindow, 7, 3, 1}.Marshal())
	f.Add(RepairRequest{RepairOrphan, 1, 0, 2}.Marshal())
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeRepairRequest(b)
		if err != nil {
			return
		}
		if !bytes.Equal(r.Marshal(), b) {
			t.Fatalf("re-marshal of %x differs", b)
		}
	})
}
