package core

import (
	"encoding/binary"
	"errors"
	"fmt"

	"slonui/solana"
)

// Tower BFT constants (PROTOCOL.md §3.3).
const (
	MaxLockoutHistory    = 31 // tower depth
	VoteThresholdDepth   = 8
	SwitchThresholdPct   = 38 // switch needs > 38% of stake locked out elsewhere
	InitialLockout       = 2
	maxConfirmationCount = 32
)

// Lockout is one vote in a tower: the slot and its confirmation count. Its
// lockout is 2^Conf slots.
type Lockout struct {
	Slot uint64
	Conf uint32
}

// LastLockedOutSlot is Slot + 2^Conf: the vote is locked out at every slot
// up to and including it.
func (l Lockout) LastLockedOutSlot() uint64 {
	c := l.Conf
	if c > 63 {
		c = 63
	}
	return l.Slot + (uint64(1) << c)
}

// LockedOutAt reports whether the vote is still locked out at slot s.
func (l Lockout) LockedOutAt(s uint64) bool { return l.LastLockedOutSlot() >= s }

// Tower is a validator's vote stack. The zero Tower has root 0 (genesis).
// It is a value: copying it copies the votes only if Votes is cloned, so use
// Clone when keeping one.
type Tower struct {
	Votes    []Lockout   // bottom (oldest) first
	Root     uint64      // highest rooted slot
	LastHash solana.Hash // bank hash of the last voted slot
}

// Clone returns a deep copy of t.
func (t Tower) Clone() Tower {
	t.Votes = append([]Lockout(nil), t.Votes...)
	return t
}

// LastVote returns the last voted slot, ok false when the tower is empty.
func (t Tower) LastVote() (uint64, bool) {
	if len(t.Votes) == 0 {
		return 0, false
	}
	return t.Votes[len(t.Votes)-1].Slot, true
}

// LastVotedSlot is the last voted slot, or the root when the tower is empty.
func (t Tower) LastVotedSlot() uint64 {
	if s, ok := t.LastVote(); ok {
		return s
	}
	return t.Root
}

// ProcessVote applies a vote for slot s exactly as Agave's
// process_next_vote_slot: ignore s ≤ last vote; pop expired votes; pop the
// bottom vote into the root when 31 are held; push s; double lockouts. It
// returns the new root and whether the root moved.
func (t *Tower) ProcessVote(s uint64) (root uint64, rooted bool) {
	if last, ok := t.LastVote(); ok && s <= last {
		return t.Root, false
	}
	if s <= t.Root {
		return t.Root, false
	}
	for len(t.Votes) > 0 && !t.Votes[len(t.Votes)-1].LockedOutAt(s) {
		t.Votes = t.Votes[:len(t.Votes)-1]
	}
	if len(t.Votes) == MaxLockoutHistory {
		t.Root = t.Votes[0].Slot
		rooted = true
		copy(t.Votes, t.Votes[1:])
		t.Votes = t.Votes[:len(t.Votes)-1]
	}
	t.Votes = append(t.Votes, Lockout{Slot: s, Conf: 1})
	t.doubleLockouts()
	return t.Root, rooted
}

func (t *Tower) doubleLockouts() {
	depth := len(t.Votes)
	for i := range t.Votes {
		if depth > i+int(t.Votes[i].Conf) {
			t.Votes[i].Conf++
		}
	}
}

// NthRecent returns the vote n below the top (0 = top), ok false when the
// tower is not that deep.
func (t Tower) NthRecent(n int) (Lockout, bool) {
	i := len(t.Votes) - 1 - n
	if i < 0 {
		return Lockout{}, false
	}
	return t.Votes[i], true
}

// Validate checks that the votes increase, lie above the root and carry
// plausible confirmation counts.
func (t Tower) Validate() error {
	if len(t.Votes) > MaxLockoutHistory {
		return fmt.Errorf("tower: %d votes (max %d)", len(t.Votes), MaxLockoutHistory)
	}
	prev := t.Root
	for i, v := range t.Votes {
		if v.Slot <= prev {
			return fmt.Errorf("tower: vote %d slot %d not above %d", i, v.Slot, prev)
		}
		if v.Conf == 0 || v.Conf > maxConfirmationCount {
			return fmt.Errorf("tower: vote %d confirmation count %d", i, v.Conf)
		}
		prev = v.Slot
	}
	return nil
}

const towerMagic = "SLTW1"

// Marshal returns the binary form of t: magic, root u64, last hash, count
// u8, then slot u64 and conf u32 per vote (little-endian).
func (t Tower) Marshal() []byte {
	b := make([]byte, 0, len(towerMagic)+8+32+1+12*len(t.Votes))
	b = append(b, towerMagic...)
	b = binary.LittleEndian.AppendUint64(b, t.Root)
	b = append(b, t.LastHash[:]...)
	b = append(b, byte(len(t.Votes)))
	for _, v := range t.Votes {
		b = binary.LittleEndian.AppendUint64(b, v.Slot)
		b = binary.LittleEndian.AppendUint32(b, v.Conf)
	}
	return b
}

// ErrTowerFormat is returned for a tower that does not decode.
var ErrTowerFormat = errors.New("core: malformed tower")

// UnmarshalTower decodes a tower written by Marshal and validates it.
func UnmarshalTower(b []byte) (Tower, error) {
	var t Tower
	if len(b) < len(towerMagic)+41 || string(b[:len(towerMagic)]) != towerMagic {
		return t, ErrTowerFormat
	}
	b = b[len(towerMagic):]
	t.Root = binary.LittleEndian.Uint64(b)
	copy(t.LastHash[:], b[8:40])
	n := int(b[40])
	b = b[41:]
	if len(b) != 12*n {
		return t, fmt.Errorf("%w: %d vote bytes for %d votes", ErrTowerFormat, len(b), n)
	}
	t.Votes = make([]Lockout, n)
	for i := range t.Votes {
		t.Votes[i] = Lockout{Slot: binary.LittleEndian.Uint64(b[12*i:]), Conf: binary.LittleEndian.Uint32(b[12*i+8:])}
	}
	if err := t.Validate(); err != nil {
		return Tower{}, fmt.Errorf("%w: %v", ErrTowerFormat, err)
	}
	return t, nil
}
