package solana

import (
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/mr-tron/base58"
)

// Sizes of the fixed-width protocol values.
const (
	PubkeySize    = 32
	SignatureSize = 64
	HashSize      = 32
)

// Pubkey is an ed25519 public key or a program address.
type Pubkey [PubkeySize]byte

// Signature is an ed25519 signature.
type Signature [SignatureSize]byte

// Hash is a SHA-256 digest (blockhashes, bank hashes, entry hashes).
type Hash [HashSize]byte

// ErrBase58 is returned for text that is not valid base58 or has the wrong length.
var ErrBase58 = errors.New("solana: invalid base58")

func decodeFixed(dst []byte, s, what string) error {
	if s == "" {
		return fmt.Errorf("%w %s: empty string", ErrBase58, what)
	}
	// A 32-byte value is at most 44 base58 characters, a 64-byte one 88.
	if len(s) > len(dst)*138/100+1 {
		return fmt.Errorf("%w %s: %d characters is too long", ErrBase58, what, len(s))
	}
	b, err := base58.Decode(s)
	if err != nil {
		return fmt.Errorf("%w %s %q: %v", ErrBase58, what, s, err)
	}
	if len(b) != len(dst) {
		return fmt.Errorf("%w %s %q: decodes to %d bytes, want %d", ErrBase58, what, s, len(b), len(dst))
	}
	copy(dst, b)
	return nil
}

// ParsePubkey decodes a base58 public key, refusing any length but 32 bytes.
func ParsePubkey(s string) (Pubkey, error) {
	var p Pubkey
	err := decodeFixed(p[:], s, "pubkey")
	return p, err
}

// MustPubkey is ParsePubkey for constants; it panics on bad input.
func MustPubkey(s string) Pubkey {
	p, err := ParsePubkey(s)
	if err != nil {
		panic(err)
	}
	return p
}

// ParseSignature decodes a base58 signature, refusing any length but 64 bytes.
func ParseSignature(s string) (Signature, error) {
	var sig Signature
	err := decodeFixed(sig[:], s, "signature")
	return sig, err
}

// ParseHash decodes a base58 hash, refusing any length but 32 bytes.
func ParseHash(s string) (Hash, error) {
	var h Hash
	err := decodeFixed(h[:], s, "hash")
	return h, err
}

func (p Pubkey) String() string    { return base58.Encode(p[:]) }
func (s Signature) String() string { return base58.Encode(s[:]) }
func (h Hash) String() string      { return base58.Encode(h[:]) }

// IsZero reports whether every byte is zero.
func (p Pubkey) IsZero() bool    { return p == Pubkey{} }
func (s Signature) IsZero() bool { return s == Signature{} }
func (h Hash) IsZero() bool      { return h == Hash{} }

// Short is the first and last four characters of the base58 form, for tables.
func (p Pubkey) Short() string {
	s := p.String()
	if len(s) <= 9 {
		return s
	}
	return s[:4] + "…" + s[len(s)-4:]
}

func (p Pubkey) MarshalText() ([]byte, error)    { return []byte(p.String()), nil }
func (s Signature) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
func (h Hash) MarshalText() ([]byte, error)      { return []byte(h.String()), nil }

func (p *Pubkey) UnmarshalText(b []byte) (err error) { *p, err = ParsePubkey(string(b)); return }
func (s *Signature) UnmarshalText(b []byte) (err error) {
	*s, err = ParseSignature(string(b))
	return
}
func (h *Hash) UnmarshalText(b []byte) (err error) { *h, err = ParseHash(string(b)); return }

// HashOf is SHA-256 over the concatenation of parts.
func HashOf(parts ...[]byte) Hash {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	var out Hash
	h.Sum(out[:0])
	return out
}

// ShredVersion derives a cluster's shred version from its genesis hash as
// Solana does (sdk shred_version.rs): XOR-fold the 32 bytes pairwise into two,
// read them big-endian, and add one with saturation so the result is never 0.
func ShredVersion(genesis Hash) uint16 {
	var acc [2]byte
	for i := 0; i < HashSize; i += 2 {
		acc[0] ^= genesis[i]
		acc[1] ^= genesis[i+1]
	}
	v := uint16(acc[0])<<8 | uint16(acc[1])
	if v == 0xffff {
		return v
	}
	return v + 1
}
