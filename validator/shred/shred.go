package shred

import (
	"encoding/binary"
	"errors"
	"fmt"

	"slonui/solana"
)

// Wire format of a data shred (integers little-endian), at most ShredSize
// bytes, one UDP datagram:
//
//	0    variant   u8  = 0xD5 (data shred, per-shred ed25519)
//	1    signature [64]  leader's ed25519 over bytes [65:]
//	65   version   u16 shred version of the cluster
//	67   slot      u64
//	75   parent    u64 parent slot (equal to slot only for slot 0)
//	83   index     u32 position in the slot, from 0
//	87   flags     u8  bit 0 BatchComplete, bit 1 LastInSlot
//	88   size      u16 payload length, ≤ MaxPayload
//	90   payload   [size]
//
// ShredSize follows Solana's 1,228-byte shred, which leaves room in the
// 1,232-byte packet limit.
const (
	ShredSize  = 1228
	HeaderSize = 90
	MaxPayload = ShredSize - HeaderSize
	variant    = 0xD5
	sigOffset  = 1
	signedFrom = 65
)

// Flags of a shred.
type Flags uint8

const (
	// FlagBatchComplete marks the last shred of one Shredder.Write piece.
	FlagBatchComplete Flags = 1 << 0
	// FlagLastInSlot marks the last shred of the slot.
	FlagLastInSlot Flags = 1 << 1
)

// Shred is one signed piece of a slot's block data.
type Shred struct {
	Slot      uint64
	Parent    uint64
	Index     uint32
	Flags     Flags
	Version   uint16
	Payload   []byte
	Signature solana.Signature
	raw       []byte
}

// LastInSlot reports whether s closes its slot.
func (s Shred) LastInSlot() bool { return s.Flags&FlagLastInSlot != 0 }

// BatchComplete reports whether s closes a batch (a Write piece).
func (s Shred) BatchComplete() bool { return s.Flags&(FlagBatchComplete|FlagLastInSlot) != 0 }

// Bytes returns the wire form. The slice is shared: do not modify it.
func (s Shred) Bytes() []byte { return s.raw }

// Verify checks the signature against the slot's leader.
func (s Shred) Verify(leader solana.Pubkey) bool {
	return len(s.raw) >= signedFrom && solana.Verify(leader, s.raw[signedFrom:], s.Signature)
}

// newShred encodes and signs a shred.
func newShred(kp solana.Keypair, version uint16, slot, parent uint64, index uint32, flags Flags, payload []byte) Shred {
	raw := make([]byte, signedFrom, HeaderSize+len(payload))
	raw[0] = variant
	raw = binary.LittleEndian.AppendUint16(raw, version)
	raw = binary.LittleEndian.AppendUint64(raw, slot)
	raw = binary.LittleEndian.AppendUint64(raw, parent)
	raw = binary.LittleEndian.AppendUint32(raw, index)
	raw = append(raw, byte(flags))
	raw = binary.LittleEndian.AppendUint16(raw, uint16(len(payload)))
	raw = append(raw, payload...)
	sig := kp.Sign(raw[signedFrom:])
	copy(raw[sigOffset:], sig[:])
	return Shred{Slot: slot, Parent: parent, Index: index, Flags: flags, Version: version,
		Payload: raw[HeaderSize:], Signature: sig, raw: raw}
}

// Decode errors.
var (
	ErrShredSize    = errors.New("shred: wrong size")
	ErrShredVariant = errors.New("shred: unknown variant")
	ErrShredHeader  = errors.New("shred: inconsistent header")
)

// DecodeShred parses b, checking every length; it never panics and does not
// verify the signature. The Shred keeps its own copy of b.
func DecodeShred(b []byte) (Shred, error) {
	if len(b) < HeaderSize || len(b) > ShredSize {
		return Shred{}, fmt.Errorf("%w: %d bytes", ErrShredSize, len(b))
	}
	if b[0] != variant {
		return Shred{}, fmt.Errorf("%w: 0x%02x", ErrShredVariant, b[0])
	}
	s := Shred{
		Version: binary.LittleEndian.Uint16(b[65:]),
		Slot:    binary.LittleEndian.Uint64(b[67:]),
		Parent:  binary.LittleEndian.Uint64(b[75:]),
		Index:   binary.LittleEndian.Uint32(b[83:]),
		Flags:   Flags(b[87]),
	}
	size := int(binary.LittleEndian.Uint16(b[88:]))
	switch {
	case size != len(b)-HeaderSize:
		return Shred{}, fmt.Errorf("%w: size %d, %d payload bytes", ErrShredHeader, size, len(b)-HeaderSize)
	case s.Flags&^(FlagBatchComplete|FlagLastInSlot) != 0:
		return Shred{}, fmt.Errorf("%w: flags 0x%02x", ErrShredHeader, uint8(s.Flags))
	case s.Parent > s.Slot || (s.Parent == s.Slot && s.Slot != 0):
		return Shred{}, fmt.Errorf("%w: parent %d of slot %d", ErrShredHeader, s.Parent, s.Slot)
	}
	copy(s.Signature[:], b[sigOffset:signedFrom])
	s.raw = append([]byte(nil), b...)
	s.Payload = s.raw[HeaderSize:]
	return s, nil
}
