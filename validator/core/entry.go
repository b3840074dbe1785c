package core

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"slonui/solana"
)

// Entry is one link of a block's hash chain. Hash = SHA-256(previous hash ‖
// NumHashes ‖ every transaction's signatures); the first entry chains from
// the parent's blockhash and the last entry's hash is the block's hash.
type Entry struct {
	NumHashes uint64
	Hash      solana.Hash
	Txs       [][]byte // wire transactions, in execution order
}

// NextEntryHash computes the hash of an entry following prev.
func NextEntryHash(prev solana.Hash, numHashes uint64, sigs []solana.Signature) solana.Hash {
	h := sha256.New()
	h.Write(prev[:])
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], numHashes)
	h.Write(n[:])
	for i := range sigs {
		h.Write(sigs[i][:])
	}
	var out solana.Hash
	h.Sum(out[:0])
	return out
}

// AppendEntry appends the stream encoding of e: num_hashes u64, hash,
// tx count u32, then per transaction a u16 length and its bytes.
func AppendEntry(b []byte, e *Entry) []byte {
	b = binary.LittleEndian.AppendUint64(b, e.NumHashes)
	b = append(b, e.Hash[:]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(e.Txs)))
	for _, tx := range e.Txs {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(tx)))
		b = append(b, tx...)
	}
	return b
}

// DecodeEntry decodes one entry from the front of b. It returns n = 0 and no
// error when b holds only part of an entry (more pieces are needed).
func DecodeEntry(b []byte) (e Entry, n int, err error) {
	if len(b) < 44 {
		return e, 0, nil
	}
	e.NumHashes = binary.LittleEndian.Uint64(b)
	copy(e.Hash[:], b[8:40])
	cnt := binary.LittleEndian.Uint32(b[40:])
	if cnt > 1<<20 {
		return e, 0, fmt.Errorf("entry: %d transactions", cnt)
	}
	off := 44
	// Each transaction takes at least its 2-byte length: an entry that is
	// still arriving (replay streams a block) allocates only for the bytes
	// it has.
	e.Txs = make([][]byte, 0, min(int(cnt), (len(b)-off)/2))
	for i := uint32(0); i < cnt; i++ {
		if len(b)-off < 2 {
			return Entry{}, 0, nil
		}
		l := int(binary.LittleEndian.Uint16(b[off:]))
		off += 2
		if l > solana.MaxTransactionSize {
			return Entry{}, 0, fmt.Errorf("entry: transaction of %d bytes", l)
		}
		if len(b)-off < l {
			return Entry{}, 0, nil
		}
		e.Txs = append(e.Txs, b[off:off+l])
		off += l
	}
	return e, off, nil
}
