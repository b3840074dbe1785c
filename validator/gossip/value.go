package gossip

import (
	"encoding/binary"
	"errors"
	"fmt"

	"slonui/solana"
)

// Kind is the type of a gossip value.
type Kind uint8

// Value kinds.
const (
	KindContactInfo Kind = 1
	KindVote        Kind = 2
)

func (k Kind) String() string {
	switch k {
	case KindContactInfo:
		return "contact-info"
	case KindVote:
		return "vote"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Vote is the latest vote gossiped by one validator: opaque bytes (a
// serialized vote transaction) that the consensus core interprets.
type Vote struct {
	Origin    solana.Pubkey
	Wallclock uint64
	Data      []byte
}

// valueHeaderSize is the fixed part of an encoded value:
// signature(64) kind(1) origin(32) wallclock(8) shred_version(2) len(2).
const valueHeaderSize = 64 + 1 + 32 + 8 + 2 + 2

// MaxVoteSize is the largest vote PushVote accepts: one value in one packet.
const MaxVoteSize = MaxPacketSize - packetHeaderSize - 1 - valueHeaderSize

// value is one signed gossip value. raw is its wire form, kept so relays
// forward exactly what the origin signed.
type value struct {
	kind         Kind
	origin       solana.Pubkey
	wallclock    uint64
	shredVersion uint16
	payload      []byte
	sig          solana.Signature
	raw          []byte
}

// signValue builds and signs a value with kp as origin.
func signValue(kp solana.Keypair, kind Kind, wallclock uint64, shredVersion uint16, payload []byte) value {
	raw := make([]byte, 64, valueHeaderSize+len(payload))
	raw = append(raw, byte(kind))
	pub := kp.Pubkey()
	raw = append(raw, pub[:]...)
	raw = binary.LittleEndian.AppendUint64(raw, wallclock)
	raw = binary.LittleEndian.AppendUint16(raw, shredVersion)
	raw = binary.LittleEndian.AppendUint16(raw, uint16(len(payload)))
	raw = append(raw, payload...)
	sig := kp.Sign(raw[64:])
	copy(raw, sig[:])
	return value{kind: kind, origin: pub, wallclock: wallclock, shredVersion: shredVersion,
		payload: raw[valueHeaderSize:], sig: sig, raw: raw}
}

var errValue = errors.New("gossip: malformed value")

// readValue decodes one value from r without verifying its signature.
func readValue(r *reader) (value, error) {
	start := r.off
	var v value
	copy(v.sig[:], r.bytes(64))
	v.kind = Kind(r.u8())
	copy(v.origin[:], r.bytes(32))
	v.wallclock = r.u64()
	v.shredVersion = r.u16()
	n := int(r.u16())
	v.payload = r.bytes(n)
	if r.err != nil {
		return value{}, errValue
	}
	if v.kind != KindContactInfo && v.kind != KindVote {
		return value{}, errValue
	}
	v.raw = r.b[start:r.off:r.off]
	return v, nil
}

// verify checks the origin's signature over everything after it.
func (v value) verify() bool { return solana.Verify(v.origin, v.raw[64:], v.sig) }

// contact decodes a ContactInfo value.
func (v value) contact() (ContactInfo, error) {
	c, err := decodeContactPayload(v.payload)
	if err != nil {
		return ContactInfo{}, err
	}
	c.Pubkey, c.ShredVersion, c.Wallclock = v.origin, v.shredVersion, v.wallclock
	return c, nil
}

func (v value) vote() Vote {
	return Vote{Origin: v.origin, Wallclock: v.wallclock, Data: append([]byte(nil), v.payload...)}
}
