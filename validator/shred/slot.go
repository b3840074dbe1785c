package shred

import "time"

// Batch is one in-order piece of a slot's block data, exactly as the leader
// passed it to one Shredder.Write. Data belongs to the receiver of the Batch.
type Batch struct {
	Slot   uint64
	Parent uint64
	Seq    int // 0, 1, 2, … within the slot
	Data   []byte
}

// Slot is a slot's complete block data: every batch, concatenated in order.
// Data belongs to the receiver of the Slot.
type Slot struct {
	Slot   uint64
	Parent uint64
	Data   []byte
	Shreds int
}

// slotState reassembles one slot. It is pure state; the Node locks it.
type slotState struct {
	slot, parent uint64
	shreds       map[uint32]Shred
	last         int64 // index of the LastInSlot shred, -1 while unknown
	highest      uint32
	next         uint32 // first index not yet consumed in order
	batchBuf     []byte
	batchSeq     int
	data         []byte
	complete     bool
	own          bool // the node's own (leader) slot: no callbacks
	lastRecv     time.Time
}

func newSlotState(slot, parent uint64, now time.Time) *slotState {
	return &slotState{slot: slot, parent: parent, shreds: map[uint32]Shred{}, last: -1, lastRecv: now}
}

type insertResult int

const (
	inserted insertResult = iota
	duplicate
	invalid // inconsistent with what the slot already holds
)

// insert adds sh and returns the batches (and, once, the slot) it completes.
func (s *slotState) insert(sh Shred, now time.Time) (insertResult, []Batch, *Slot) {
	if sh.Parent != s.parent {
		return invalid, nil, nil
	}
	if _, ok := s.shreds[sh.Index]; ok {
		return duplicate, nil, nil
	}
	if s.last >= 0 && int64(sh.Index) > s.last {
		return invalid, nil, nil
	}
	if sh.LastInSlot() {
		if s.last >= 0 || (len(s.shreds) > 0 && s.highest > sh.Index) {
			return invalid, nil, nil
		}
		s.last = int64(sh.Index)
	}
	s.shreds[sh.Index] = sh
	if sh.Index > s.highest || len(s.shreds) == 1 {
		s.highest = sh.Index
	}
	s.lastRecv = now
	batches, done := s.advance()
	return inserted, batches, done
}

// advance consumes shreds in index order from next.
func (s *slotState) advance() ([]Batch, *Slot) {
	var batches []Batch
	for !s.complete {
		sh, ok := s.shreds[s.next]
		if !ok {
			break
		}
		s.batchBuf = append(s.batchBuf, sh.Payload...)
		s.next++
		if sh.BatchComplete() && len(s.batchBuf) > 0 {
			b := Batch{Slot: s.slot, Parent: s.parent, Seq: s.batchSeq, Data: s.batchBuf}
			s.data = append(s.data, s.batchBuf...)
			s.batchBuf = nil
			s.batchSeq++
			batches = append(batches, b)
		}
		if sh.LastInSlot() {
			s.complete = true
			s.batchBuf = nil
			done := &Slot{Slot: s.slot, Parent: s.parent, Data: s.data, Shreds: len(s.shreds)}
			s.data = nil // handed over; repair answers come from the shreds
			return batches, done
		}
	}
	return batches, nil
}

// missing lists up to max indices absent below the highest shred seen (or
// below the LastInSlot shred, once known).
func (s *slotState) missing(max int) []uint32 {
	if s.complete || len(s.shreds) == 0 {
		return nil
	}
	limit := s.highest
	if s.last >= 0 {
		limit = uint32(s.last)
	}
	var out []uint32
	for i := s.next; i < limit && len(out) < max; i++ {
		if _, ok := s.shreds[i]; !ok {
			out = append(out, i)
		}
	}
	return out
}

// highestShred returns the shred with the greatest index held.
func (s *slotState) highestShred() (Shred, bool) {
	sh, ok := s.shreds[s.highest]
	return sh, ok && len(s.shreds) > 0
}
