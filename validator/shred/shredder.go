package shred

import "slonui/solana"

// Shredder cuts one slot's block data into signed shreds for its leader. It
// is not safe for concurrent use: one leader goroutine drives it.
type Shredder struct {
	kp       solana.Keypair
	version  uint16
	slot     uint64
	parent   uint64
	next     uint32
	finished bool
}

// NewShredder starts slot (built on parent) for the leader kp.
func NewShredder(kp solana.Keypair, version uint16, slot, parent uint64) *Shredder {
	return &Shredder{kp: kp, version: version, slot: slot, parent: parent}
}

// Write returns the shreds of one piece of block data (for example one
// serialized entry batch), the last flagged BatchComplete. Receivers hand
// the piece back whole, in order, to OnBatch. An empty piece or a Write
// after Finish returns nothing.
func (s *Shredder) Write(piece []byte) []Shred {
	if len(piece) == 0 || s.finished {
		return nil
	}
	out := make([]Shred, 0, (len(piece)+MaxPayload-1)/MaxPayload)
	for len(piece) > 0 {
		n := min(len(piece), MaxPayload)
		var flags Flags
		if n == len(piece) {
			flags = FlagBatchComplete
		}
		out = append(out, newShred(s.kp, s.version, s.slot, s.parent, s.next, flags, piece[:n]))
		s.next++
		piece = piece[n:]
	}
	return out
}

// Finish closes the slot: it returns one empty shred flagged LastInSlot.
// Later calls return nothing.
func (s *Shredder) Finish() []Shred {
	if s.finished {
		return nil
	}
	s.finished = true
	sh := newShred(s.kp, s.version, s.slot, s.parent, s.next, FlagLastInSlot, nil)
	s.next++
	return []Shred{sh}
}

// Next is the index the next shred will get (the count so far).
func (s *Shredder) Next() uint32 { return s.next }

// ShredSlot shreds a whole slot at once: one batch per piece, then the
// closing shred.
func ShredSlot(kp solana.Keypair, version uint16, slot, parent uint64, pieces ...[]byte) []Shred {
	s := NewShredder(kp, version, slot, parent)
	var out []Shred
	for _, p := range pieces {
		out = append(out, s.Write(p)...)
	}
	return append(out, s.Finish()...)
}
