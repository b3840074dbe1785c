package solana

import (
	"crypto/ed25519"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// TestSignMatchesStdlib: Sign returns the bytes crypto/ed25519.Sign returns
// for the same key and message.
func TestSignMatchesStdlib(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		var seed [32]byte
		for j := range seed {
			seed[j] = byte(r.Uint32())
		}
		kp := KeypairFromSeed(seed)
		msg := make([]byte, r.IntN(300))
		for j := range msg {
			msg[j] = byte(r.Uint32())
		}
		got := kp.Sign(msg)
		want := ed25519.Sign(kp.PrivateKey(), msg)
		if string(got[:]) != string(want) {
			t.Fatalf("case %d: Sign differs from crypto/ed25519", i)
		}
	}
}

// TestVerifyAgreesWithStdlib: Verify accepts and rejects exactly what
// crypto/ed25519.Verify does, on valid signatures, on every single-bit
// flip of signature, key and message, and on edge cases (small-order and
// non-canonical points, S ≥ ℓ).
func TestVerifyAgreesWithStdlib(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(what string, pub, msg, sig []byte) {
		t.Helper()
		var p Pubkey
		var s Signature
		copy(p[:], pub)
		copy(s[:], sig)
		if got, want := Verify(p, msg, s), ed25519.Verify(pub, msg, sig); got != want {
			t.Fatalf("%s: Verify = %v, crypto/ed25519 = %v (pub %x sig %x)", what, got, want, pub, sig)
		}
	}
	valid := 0
	for i := range 40 {
		var seed [32]byte
		for j := range seed {
			seed[j] = byte(r.Uint32())
		}
		kp := KeypairFromSeed(seed)
		msg := []byte("transfer " + string(rune('a'+i)))
		sig := kp.Sign(msg)
		pub := kp.Pubkey()
		if Verify(pub, msg, sig) {
			valid++
		}
		check("valid", pub[:], msg, sig[:])
		for bit := 0; bit < 512; bit += 7 {
			s := sig
			s[bit/8] ^= 1 << (bit % 8)
			check("sig bit flip", pub[:], msg, s[:])
		}
		for bit := 0; bit < 256; bit += 5 {
			p := pub
			p[bit/8] ^= 1 << (bit % 8)
			check("pub bit flip", p[:], msg, sig[:])
		}
		m := append([]byte(nil), msg...)
		m[0] ^= 1
		check("msg flip", pub[:], m, sig[:])
	}
	if valid != 40 {
		t.Fatalf("%d of 40 valid signatures verified", valid)
	}
	// Edge cases: the identity and a small-order point as key or R, a
	// non-canonical y, and S = ℓ (must be rejected by both).
	hx := func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	identity := hx("0100000000000000000000000000000000000000000000000000000000000000")
	order8 := hx("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
	nonCanon := hx("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	ell := hx("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
	zero := make([]byte, 32)
	for _, pub := range [][]byte{identity, order8, nonCanon} {
		for _, rpt := range [][]byte{identity, order8, nonCanon} {
			for _, s := range [][]byte{zero, ell} {
				check("edge", pub, []byte("m"), append(append([]byte(nil), rpt...), s...))
			}
		}
	}
}

func BenchmarkSign(b *testing.B) {
	kp := KeypairFromSeed([32]byte{7})
	msg := make([]byte, 150)
	for b.Loop() {
		kp.Sign(msg)
	}
}

func BenchmarkSignStdlib(b *testing.B) {
	kp := KeypairFromSeed([32]byte{7})
	msg := make([]byte, 150)
	for b.Loop() {
		ed25519.Sign(kp.PrivateKey(), msg)
	}
}

func BenchmarkVerify(b *testing.B) {
	kp := KeypairFromSeed([32]byte{7})
	msg := make([]byte, 150)
	sig := kp.Sign(msg)
	for b.Loop() {
		if !Verify(kp.Pubkey(), msg, sig) {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkVerifyStdlib(b *testing.B) {
	kp := KeypairFromSeed([32]byte{7})
	msg := make([]byte, 150)
	sig := kp.Sign(msg)
	pub := kp.Pubkey()
	for b.Loop() {
		if !ed25519.Verify(pub[:], msg, sig[:]) {
			b.Fatal("invalid")
		}
	}
}
