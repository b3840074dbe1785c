package shred

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Repair request wire format (little-endian), RepairRequestSize bytes:
//
//	'R' 'Q' | kind u8 | slot u64 | index u32 | nonce u32
//
// The answer is zero or more shred packets sent from the responder's repair
// socket to the request's source address. Requests are not signed (devnet).
const RepairRequestSize = 2 + 1 + 8 + 4 + 4

// RepairKind says what a repair request asks for.
type RepairKind uint8

const (
	// RepairWindow asks for shred (Slot, Index).
	RepairWindow RepairKind = 1
	// RepairHighest asks for the highest shred held of Slot if its index is
	// at least Index (it tells the receiver where the slot ends).
	RepairHighest RepairKind = 2
	// RepairOrphan asks for the highest shred of Slot and of each ancestor
	// the responder holds (up to orphanDepth), so a receiver that lacks a
	// parent learns the chain.
	RepairOrphan RepairKind = 3
)

func (k RepairKind) String() string {
	switch k {
	case RepairWindow:
		return "window"
	case RepairHighest:
		return "highest"
	case RepairOrphan:
		return "orphan"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// orphanDepth bounds the ancestors in one orphan answer.
const orphanDepth = 8

// RepairRequest is one request.
type RepairRequest struct {
	Kind  RepairKind
	Slot  uint64
	Index uint32
	Nonce uint32
}

// Marshal returns the wire form.
func (r RepairRequest) Marshal() []byte {
	b := make([]byte, 0, RepairRequestSize)
	b = append(b, 'R', 'Q', byte(r.Kind))
	b = binary.LittleEndian.AppendUint64(b, r.Slot)
	b = binary.LittleEndian.AppendUint32(b, r.Index)
	return binary.LittleEndian.AppendUint32(b, r.Nonce)
}

// ErrRepairRequest is returned for a packet that is not a repair request.
var ErrRepairRequest = errors.New("shred: malformed repair request")

// DecodeRepairRequest parses b; it never panics.
func DecodeRepairRequest(b []byte) (RepairRequest, error) {
	if len(b) != RepairRequestSize || b[0] != 'R' || b[1] != 'Q' {
		return RepairRequest{}, ErrRepairRequest
	}
	r := RepairRequest{
		Kind:  RepairKind(b[2]),
		Slot:  binary.LittleEndian.Uint64(b[3:]),
		Index: binary.LittleEndian.Uint32(b[11:]),
		Nonce: binary.LittleEndian.Uint32(b[15:]),
	}
	if r.Kind < RepairWindow || r.Kind > RepairOrphan {
		return RepairRequest{}, ErrRepairRequest
	}
	return r, nil
}

// reqKey identifies an outstanding repair need.
type reqKey struct {
	kind  RepairKind
	slot  uint64
	index uint32
}

// attempt is the retry state of one need.
type attempt struct {
	next  time.Time
	tries int
	seen  bool // still needed in the current round
}

// backoff returns the wait after the tries-th request: base doubling, capped.
func backoff(base, max time.Duration, tries int) time.Duration {
	d := base
	for i := 1; i < tries && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// peerIndex spreads needs over peers and moves to another peer on each
// retry.
func peerIndex(k reqKey, tries, peers int) int {
	h := k.slot*0x9e3779b97f4a7c15 ^ uint64(k.index)*0xbf58476d1ce4e5b9 ^ uint64(k.kind)
	return int((h>>33 + uint64(tries)) % uint64(peers))
}
