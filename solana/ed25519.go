package solana

import (
	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// Signing and verification run on curve25519-voi rather than crypto/ed25519:
// on the machines this runs on it signs about 1.8× and verifies about 1.7×
// faster (BenchmarkSign, BenchmarkVerify), and a devnet node spends most of
// its CPU on signatures. The results are the same bit for bit:
//   - ed25519 signing is deterministic (RFC 8032), so Sign returns exactly
//     the bytes crypto/ed25519.Sign returns;
//   - Verify uses voi's VerifyOptionsStdLib, the preset that accepts and
//     rejects exactly what crypto/ed25519.Verify does (cofactorless
//     equation, canonical S); TestVerifyAgreesWithStdlib checks it on
//     valid, mutated and edge-case signatures.

// verifyOpts selects crypto/ed25519's acceptance rules.
var verifyOpts = &voi.Options{Verify: voi.VerifyOptionsStdLib}

// Sign signs msg with the private key.
func (k Keypair) Sign(msg []byte) Signature {
	var s Signature
	copy(s[:], voi.Sign(voi.PrivateKey(k.priv), msg))
	return s
}

// Verify reports whether sig is pub's signature of msg.
func Verify(pub Pubkey, msg []byte, sig Signature) bool {
	return voi.VerifyWithOptions(voi.PublicKey(pub[:]), msg, sig[:], verifyOpts)
}
