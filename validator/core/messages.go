package core

import (
	"encoding/binary"
	"errors"
	"fmt"

	"slonui/solana"
)

// MsgKind is the first byte of a marshalled message.
type MsgKind uint8

// Message kinds.
const (
	KindBlockPiece    MsgKind = 1 // a piece of a block's entry stream (also the repair response)
	KindVote          MsgKind = 2 // a signed tower vote (gossip and TPU)
	KindTransaction   MsgKind = 3 // a wire transaction forwarded to a leader
	KindRepairRequest MsgKind = 4 // a request for missing block pieces or an orphan's ancestors
)

func (k MsgKind) String() string {
	switch k {
	case KindBlockPiece:
		return "block_piece"
	case KindVote:
		return "vote"
	case KindTransaction:
		return "transaction"
	case KindRepairRequest:
		return "repair_request"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Message is one of *BlockPiece, *Vote, *TransactionMsg, *RepairRequest.
// Messages are immutable once handed out: a receiver must not modify them.
type Message interface {
	Kind() MsgKind
	appendBody(b []byte) []byte
}

// Envelope is an outgoing message and where it goes.
type Envelope struct {
	Broadcast bool          // to every peer
	To        solana.Pubkey // the peer's identity when not Broadcast
	Msg       Message
}

// MarshalMessage returns the wire form: the kind byte then the body.
func MarshalMessage(m Message) []byte { return AppendMessage(nil, m) }

// AppendMessage appends m's wire form (as MarshalMessage) to b.
func AppendMessage(b []byte, m Message) []byte {
	return m.appendBody(append(b, byte(m.Kind())))
}

// ErrMessageFormat is returned for bytes that are not a message.
var ErrMessageFormat = errors.New("core: malformed message")

// UnmarshalMessage decodes bytes written by MarshalMessage. The result does
// not alias b.
func UnmarshalMessage(b []byte) (Message, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrMessageFormat)
	}
	r := &rd{b: b[1:]}
	var m Message
	switch MsgKind(b[0]) {
	case KindBlockPiece:
		m = r.blockPiece()
	case KindVote:
		m = r.vote()
	case KindTransaction:
		m = &TransactionMsg{Raw: r.bytes32()}
	case KindRepairRequest:
		m = r.repair()
	default:
		return nil, fmt.Errorf("%w: unknown kind %d", ErrMessageFormat, b[0])
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMessageFormat, MsgKind(b[0]), r.err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %s: %d trailing bytes", ErrMessageFormat, MsgKind(b[0]), len(r.b))
	}
	return m, nil
}

// BlockPiece is one piece of a block: a chunk of the serialized entry
// stream of slot Slot (see Entry), numbered from 0. The piece with Last set
// is the final one. The slot's leader signs its pieces a group at a time
// (merkle.go): Signature is over the root of the Merkle tree whose leaves
// are the group's pieces' SignedBytes, and Position and Proof lead from
// this piece's leaf to that root. Repair answers with the same pieces.
type BlockPiece struct {
	Slot      uint64
	Parent    uint64
	Leader    solana.Pubkey
	Index     uint32
	Last      bool
	Data      []byte
	Position  uint8         // the piece's leaf among its group's (< 2^len(Proof))
	Proof     []solana.Hash // sibling hashes from the leaf up (≤ 5)
	Signature solana.Signature
}

// Kind implements Message.
func (*BlockPiece) Kind() MsgKind { return KindBlockPiece }

// SignedBytes is what the leaf of the piece hashes: every field but the
// position, the proof and the signature.
func (p *BlockPiece) SignedBytes() []byte {
	b := make([]byte, 0, pieceHeaderLen+len(p.Data))
	return append(p.appendHeader(b), p.Data...)
}

func (p *BlockPiece) appendBody(b []byte) []byte {
	b = append(p.appendHeader(b), p.Data...)
	b = append(b, p.Position, uint8(len(p.Proof)))
	for i := range p.Proof {
		b = append(b, p.Proof[i][:]...)
	}
	return append(b, p.Signature[:]...)
}

func (r *rd) blockPiece() *BlockPiece {
	p := &BlockPiece{}
	p.Slot = r.u64()
	p.Parent = r.u64()
	p.Leader = solana.Pubkey(r.fixed32())
	p.Index = r.u32()
	p.Last = r.bool()
	p.Data = r.bytes32()
	p.Position = r.u8()
	n := int(r.u8())
	if n > maxProofLen {
		r.fail(fmt.Errorf("proof of %d hashes", n))
		return p
	}
	if n > 0 {
		p.Proof = make([]solana.Hash, n)
		for i := range p.Proof {
			p.Proof[i] = solana.Hash(r.fixed32())
		}
	}
	p.Signature = solana.Signature(r.fixed64())
	return p
}

// Vote is a validator's tower as it votes for its last slot: signed by the
// node identity, it counts for that identity's stake. Votes travel by gossip
// (broadcast) and to the next leaders.
type Vote struct {
	Node      solana.Pubkey
	Votes     []Lockout   // the tower after the vote, bottom first; the last is the voted slot
	Root      uint64      // the voter's root
	Hash      solana.Hash // bank hash of the voted (last) slot
	Timestamp int64       // the voter's clock in ms when it voted
	Signature solana.Signature
}

// Kind implements Message.
func (*Vote) Kind() MsgKind { return KindVote }

// Slot is the voted slot (the top of the tower), 0 when empty.
func (v *Vote) Slot() uint64 {
	if len(v.Votes) == 0 {
		return 0
	}
	return v.Votes[len(v.Votes)-1].Slot
}

// SignedBytes is what the voter signs; it is also the data of a Vote
// program instruction (see VoteInstruction).
func (v *Vote) SignedBytes() []byte {
	b := make([]byte, 0, 90+12*len(v.Votes))
	b = append(b, v.Node[:]...)
	b = binary.LittleEndian.AppendUint64(b, v.Root)
	b = append(b, v.Hash[:]...)
	b = binary.LittleEndian.AppendUint64(b, uint64(v.Timestamp))
	b = append(b, byte(len(v.Votes)))
	for _, l := range v.Votes {
		b = binary.LittleEndian.AppendUint64(b, l.Slot)
		b = binary.LittleEndian.AppendUint32(b, l.Conf)
	}
	return b
}

func (v *Vote) appendBody(b []byte) []byte {
	b = append(b, v.SignedBytes()...)
	return append(b, v.Signature[:]...)
}

func (r *rd) vote() *Vote {
	v := &Vote{}
	v.Node = solana.Pubkey(r.fixed32())
	v.Root = r.u64()
	v.Hash = solana.Hash(r.fixed32())
	v.Timestamp = int64(r.u64())
	n := int(r.u8())
	if n > MaxLockoutHistory {
		r.fail(fmt.Errorf("%d tower votes", n))
		return v
	}
	for i := 0; i < n && r.err == nil; i++ {
		v.Votes = append(v.Votes, Lockout{Slot: r.u64(), Conf: r.u32()})
	}
	v.Signature = solana.Signature(r.fixed64())
	return v
}

// Sign fills v.Signature with the identity's signature.
func (v *Vote) Sign(k solana.Keypair) { v.Signature = k.Sign(v.SignedBytes()) }

// Verify checks the signature against v.Node.
func (v *Vote) Verify() bool { return solana.Verify(v.Node, v.SignedBytes(), v.Signature) }

// TransactionMsg is a wire transaction (legacy format) sent to a leader.
type TransactionMsg struct {
	Raw []byte
}

// Kind implements Message.
func (*TransactionMsg) Kind() MsgKind { return KindTransaction }

func (t *TransactionMsg) appendBody(b []byte) []byte { return appendBytes32(b, t.Raw) }

// RepairRequest asks a peer for the pieces of Slot from FirstIndex on. With
// Orphan set it asks for the whole block of Slot and up to OrphanDepth of
// its ancestors. The answer is BlockPiece messages sent to From.
type RepairRequest struct {
	From       solana.Pubkey
	Slot       uint64
	FirstIndex uint32
	Orphan     bool
}

// OrphanDepth is how many ancestors an orphan repair answer carries besides
// the slot itself (fewer when they would pass a piece budget, or reach what
// the asker has rooted).
const OrphanDepth = 128

// Kind implements Message.
func (*RepairRequest) Kind() MsgKind { return KindRepairRequest }

func (q *RepairRequest) appendBody(b []byte) []byte {
	b = append(b, q.From[:]...)
	b = binary.LittleEndian.AppendUint64(b, q.Slot)
	b = binary.LittleEndian.AppendUint32(b, q.FirstIndex)
	return appendBool(b, q.Orphan)
}

func (r *rd) repair() *RepairRequest {
	q := &RepairRequest{}
	q.From = solana.Pubkey(r.fixed32())
	q.Slot = r.u64()
	q.FirstIndex = r.u32()
	q.Orphan = r.bool()
	return q
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendBytes32(b, data []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	return append(b, data...)
}

// rd is a little-endian reader that records the first error.
type rd struct {
	b   []byte
	err error
}

func (r *rd) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = nil
}

func (r *rd) take(n int) []byte {
	if r.err != nil {
		return make([]byte, n)
	}
	if len(r.b) < n {
		r.fail(fmt.Errorf("truncated: need %d bytes, have %d", n, len(r.b)))
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *rd) u8() uint8   { return r.take(1)[0] }
func (r *rd) u32() uint32 { return binary.LittleEndian.Uint32(r.take(4)) }
func (r *rd) u64() uint64 { return binary.LittleEndian.Uint64(r.take(8)) }
func (r *rd) bool() bool {
	v := r.u8()
	if v > 1 {
		r.fail(fmt.Errorf("bad bool %d", v))
	}
	return v == 1
}
func (r *rd) fixed32() (a [32]byte) { copy(a[:], r.take(32)); return }
func (r *rd) fixed64() (a [64]byte) { copy(a[:], r.take(64)); return }
func (r *rd) bytes32() []byte {
	n := r.u32()
	if int64(n) > int64(len(r.b)) {
		r.fail(fmt.Errorf("length %d exceeds %d remaining", n, len(r.b)))
		return nil
	}
	return append([]byte(nil), r.take(int(n))...)
}
