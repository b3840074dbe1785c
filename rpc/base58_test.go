package rpc

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/mr-tron/base58"
)

// TestAppendBase58AgreesWithMrTron: the same digits as mr-tron/base58 (and
// so solana.Signature.String) for signatures and any other length.
func TestAppendBase58AgreesWithMrTron(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	inputs := [][]byte{nil, {0}, {0, 0, 0}, {1}, {57}, {58}, {0, 58}, {255}, {0, 0, 1, 2}, bytes.Repeat([]byte{0}, 64), bytes.Repeat([]byte{255}, 64), bytes.Repeat([]byte{255}, 100)}
	for n := range 130 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		inputs = append(inputs, b)
		z := append([]byte{0, 0}, b...)
		inputs = append(inputs, z)
	}
	for _, sig := range testSignatures(200, 9) {
		inputs = append(inputs, sig[:])
	}
	for _, in := range inputs {
		got := string(appendBase58([]byte("x"), in))
		if want := "x" + base58.Encode(in); got != want {
			t.Fatalf("appendBase58(%x) = %q, want %q", in, got, want)
		}
	}
	for _, sig := range testSignatures(20, 10) {
		if got := string(appendBase58(nil, sig[:])); got != sig.String() {
			t.Fatalf("appendBase58 = %q, Signature.String %q", got, sig.String())
		}
	}
}

// FuzzAppendBase58: the same digits as mr-tron/base58 for any bytes.
func FuzzAppendBase58(f *testing.F) {
	f.Add([]byte{0, 0, 7})
	f.Add(bytes.Repeat([]byte{255}, 64))
	f.Fuzz(func(t *testing.T, in []byte) {
		if got, want := string(appendBase58(nil, in)), base58.Encode(in); got != want {
			t.Fatalf("appendBase58(%x) = %q, want %q", in, got, want)
		}
	})
}

// BenchmarkAppendBase58: one signature, appended (mrtron: as
// Signature.String encodes it).
func BenchmarkAppendBase58(b *testing.B) {
	sig := testSignatures(1, 1)[0]
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 128)
		for b.Loop() {
			buf = appendBase58(buf[:0], sig[:])
		}
	})
	b.Run("mrtron", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = base58.Encode(sig[:])
		}
	})
}
