package core

import (
	"crypto/sha256"
	"encoding/binary"

	"slonui/solana"
)

// Block pieces are signed a group at a time, as Agave signs Merkle shreds:
// the pieces a leader emits together (one flush of production, at most
// MaxPieceGroup of them) are the leaves of a Merkle tree and the leader
// signs its root once. Each piece carries the root's signature, its
// position among the group's leaves and its proof (the sibling hashes from
// the leaf up), so a piece proves itself alone: a repair answer or a piece
// read back from the block log is checked like one that arrived with its
// group. A receiver remembers the roots it verified for a slot, and each
// further piece of the group costs only its proof's hashes.
//
// The tree, over SHA-256:
//
//	leaf = SHA256(0x00 ‖ piece.SignedBytes())
//	node = SHA256(0x01 ‖ left ‖ right)
//
// A level with an odd number of nodes pairs its last node with itself
// (duplicated, as Agave does), so every level of the path has a sibling and
// the proof of a group of n pieces holds ceil(log2 n) hashes, at most
// maxProofLen. Bit i of the position says whether the path's node at level
// i is a right child. Duplication lets the last piece of an odd group also
// claim the position after it with the same proof; that only names the same
// signed bytes again (the piece's Index is among them), so it is harmless.
const (
	// MaxPieceGroup is the most pieces one signature covers.
	MaxPieceGroup = 32
	// maxProofLen is the proof length of a full group: log2(MaxPieceGroup).
	maxProofLen = 5
	// MaxPieceData is the most data bytes of one piece: a piece with a
	// full proof then is exactly solana.MaxTransactionSize (1,232) bytes
	// on the wire. Config.Validate refuses a MaxPieceBytes above it.
	MaxPieceData = 948
)

// Hash-domain prefixes of the piece tree.
const (
	merkleLeafPrefix = 0x00
	merkleNodePrefix = 0x01
)

// pieceLeaf is the leaf hash of p: SHA256(0x00 ‖ p.SignedBytes()), without
// copying the data.
func pieceLeaf(p *BlockPiece) solana.Hash {
	var hdr [1 + pieceHeaderLen]byte
	hdr[0] = merkleLeafPrefix
	h := sha256.New()
	h.Write(p.appendHeader(hdr[:1]))
	h.Write(p.Data)
	var out solana.Hash
	h.Sum(out[:0])
	return out
}

// merkleNode joins two child hashes.
func merkleNode(l, r solana.Hash) solana.Hash {
	var b [1 + 2*32]byte
	b[0] = merkleNodePrefix
	copy(b[1:], l[:])
	copy(b[33:], r[:])
	return sha256.Sum256(b[:])
}

// MerkleRoot recomputes the root of p's group from p, its position and its
// proof. ok is false when the proof is longer than a full group's or the
// position does not fit in it.
func (p *BlockPiece) MerkleRoot() (root solana.Hash, ok bool) {
	if len(p.Proof) > maxProofLen || int(p.Position)>>len(p.Proof) != 0 {
		return solana.Hash{}, false
	}
	h := pieceLeaf(p)
	pos := p.Position
	for _, s := range p.Proof {
		if pos&1 == 0 {
			h = merkleNode(h, s)
		} else {
			h = merkleNode(s, h)
		}
		pos >>= 1
	}
	return h, true
}

// Verify reports whether p's proof leads to a root that p.Leader signed.
// It checks the signature every time; the node's replay caches roots.
func (p *BlockPiece) Verify() bool {
	root, ok := p.MerkleRoot()
	return ok && solana.Verify(p.Leader, root[:], p.Signature)
}

// Sign makes p a group of its own and signs it: empty proof, position 0,
// the signature over its leaf hash.
func (p *BlockPiece) Sign(k solana.Keypair) { SignPieces(k, []*BlockPiece{p}) }

// SignPieces makes pieces (1..MaxPieceGroup of them, every other field
// final) one group: it fills each piece's Position and Proof and signs the
// group's root with k, once. It panics on a group it cannot prove.
func SignPieces(k solana.Keypair, pieces []*BlockPiece) {
	root := provePieces(pieces)
	sig := k.Sign(root[:])
	for _, p := range pieces {
		p.Signature = sig
	}
}

// provePieces builds the tree of pieces, fills their positions and proofs
// and returns the root.
func provePieces(pieces []*BlockPiece) solana.Hash {
	if len(pieces) == 0 || len(pieces) > MaxPieceGroup {
		panic("core: a piece group holds 1..32 pieces")
	}
	level := make([]solana.Hash, len(pieces))
	for i, p := range pieces {
		level[i] = pieceLeaf(p)
		p.Position = uint8(i)
		p.Proof = nil
	}
	for len(level) > 1 {
		for i, p := range pieces {
			j := i >> len(p.Proof) // the path's node at this level
			p.Proof = append(p.Proof, level[min(j^1, len(level)-1)])
		}
		next := level[:0:0]
		for j := 0; j < len(level); j += 2 {
			next = append(next, merkleNode(level[j], level[min(j+1, len(level)-1)]))
		}
		level = next
	}
	return level[0]
}

// appendHeader appends the fixed-size part of SignedBytes: every field but
// the data, the proof and the signature, and the data's length.
func (p *BlockPiece) appendHeader(b []byte) []byte {
	b = binary.LittleEndian.AppendUint64(b, p.Slot)
	b = binary.LittleEndian.AppendUint64(b, p.Parent)
	b = append(b, p.Leader[:]...)
	b = binary.LittleEndian.AppendUint32(b, p.Index)
	b = appendBool(b, p.Last)
	return binary.LittleEndian.AppendUint32(b, uint32(len(p.Data)))
}

// pieceHeaderLen is the length appendHeader appends.
const pieceHeaderLen = 8 + 8 + 32 + 4 + 1 + 4
