package solana

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Keypair is an ed25519 key pair in Solana's layout: seed ‖ public key.
type Keypair struct {
	priv ed25519.PrivateKey
	pub  Pubkey
}

// ErrKeypair marks a keypair file or byte string that is not a valid Solana keypair.
var ErrKeypair = errors.New("solana: invalid keypair")

// NewKeypair makes a fresh key pair from crypto/rand.
func NewKeypair() (Keypair, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Keypair{}, fmt.Errorf("solana: generate key: %w", err)
	}
	return keypairFromPrivate(priv), nil
}

// KeypairFromSeed derives the key pair of a 32-byte seed (deterministic keys for tests and simulations).
func KeypairFromSeed(seed [32]byte) Keypair {
	return keypairFromPrivate(ed25519.NewKeyFromSeed(seed[:]))
}

func keypairFromPrivate(priv ed25519.PrivateKey) Keypair {
	var kp Keypair
	kp.priv = priv
	copy(kp.pub[:], priv[32:])
	return kp
}

// KeypairFromBytes checks 64 bytes (seed ‖ pubkey): bytes 32..64 must be the
// public key of bytes 0..32.
func KeypairFromBytes(b []byte) (Keypair, error) {
	if len(b) != ed25519.PrivateKeySize {
		return Keypair{}, fmt.Errorf("%w: %d bytes, want 64 (32-byte seed then 32-byte public key)", ErrKeypair, len(b))
	}
	priv := ed25519.NewKeyFromSeed(b[:32])
	if !bytes.Equal(priv[32:], b[32:]) {
		return Keypair{}, fmt.Errorf("%w: bytes 32..64 are not the public key of bytes 0..32 (expected %s, file has %s)",
			ErrKeypair, Pubkey(priv[32:]), Pubkey(b[32:]))
	}
	return keypairFromPrivate(priv), nil
}

// Pubkey returns the public key.
func (k Keypair) Pubkey() Pubkey { return k.pub }

// Bytes returns the 64-byte seed ‖ public key form (a copy).
func (k Keypair) Bytes() []byte { return append([]byte(nil), k.priv...) }

// PrivateKey returns the key as Go's ed25519.PrivateKey (shares memory).
func (k Keypair) PrivateKey() ed25519.PrivateKey { return k.priv }

// MarshalKeypair renders the Solana CLI keypair file form: a JSON array of 64 numbers.
func MarshalKeypair(k Keypair) []byte {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, b := range k.priv {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, "%d", b)
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

// ParseKeypair decodes the Solana CLI keypair form and verifies it.
func ParseKeypair(data []byte) (Keypair, error) {
	var nums []int
	if err := json.Unmarshal(bytes.TrimSpace(data), &nums); err != nil {
		return Keypair{}, fmt.Errorf("%w: not a JSON array of numbers: %v", ErrKeypair, err)
	}
	b := make([]byte, len(nums))
	for i, n := range nums {
		if n < 0 || n > 255 {
			return Keypair{}, fmt.Errorf("%w: element %d is %d, not a byte (0..255)", ErrKeypair, i, n)
		}
		b[i] = byte(n)
	}
	return KeypairFromBytes(b)
}

// ReadKeypairFile reads and verifies a Solana CLI keypair file.
func ReadKeypairFile(path string) (Keypair, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Keypair{}, fmt.Errorf("keypair %s: %w", path, err)
	}
	kp, err := ParseKeypair(data)
	if err != nil {
		return Keypair{}, fmt.Errorf("keypair %s: %w", path, err)
	}
	return kp, nil
}

// ErrExists is returned when a write would replace a file and force is off.
var ErrExists = errors.New("solana: file exists (use --force to overwrite)")

// WriteKeypairFile writes k to path with mode 0600, creating parent
// directories. Without force it refuses to replace an existing file.
func WriteKeypairFile(path string, k Keypair, force bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("keypair %s: %w", path, err)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("keypair %s: %w", path, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("keypair %s: %w", path, err)
	}
	// An existing file opened with O_TRUNC keeps its old mode: tighten it.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("keypair %s: %w", path, err)
	}
	if _, err := f.Write(MarshalKeypair(k)); err != nil {
		f.Close()
		return fmt.Errorf("keypair %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("keypair %s: %w", path, err)
	}
	return nil
}
