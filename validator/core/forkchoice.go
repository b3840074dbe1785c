package core

import (
	"sort"

	"slonui/solana"
)

// ForkChoice is the heaviest-subtree fork choice of PROTOCOL.md §3.4 over
// the tree of frozen banks. Each validator's stake sits on its latest voted
// slot; a slot's subtree weight is its own stake plus its children's subtree
// weights. Best walks from the root to the heaviest child until a leaf, ties
// going to the lower slot. Votes for slots not in the tree count nowhere
// until the slot is added.
type ForkChoice struct {
	root     uint64
	parent   map[uint64]uint64
	children map[uint64][]uint64 // ascending
	votes    map[solana.Pubkey]uint64
	stakes   map[solana.Pubkey]uint64
	weight   map[uint64]uint64 // subtree weights, valid when !dirty
	dirty    bool
}

// NewForkChoice returns a tree holding only root.
func NewForkChoice(root uint64, stakes map[solana.Pubkey]uint64) *ForkChoice {
	return &ForkChoice{
		root:     root,
		parent:   map[uint64]uint64{},
		children: map[uint64][]uint64{root: nil},
		votes:    map[solana.Pubkey]uint64{},
		stakes:   stakes,
		dirty:    true,
	}
}

// Root is the tree's root slot.
func (f *ForkChoice) Root() uint64 { return f.root }

// Contains reports whether slot is in the tree.
func (f *ForkChoice) Contains(slot uint64) bool { _, ok := f.children[slot]; return ok }

// Add inserts slot under parent; it is ignored when parent is unknown or
// slot already present.
func (f *ForkChoice) Add(slot, parent uint64) {
	if f.Contains(slot) || !f.Contains(parent) || slot <= parent {
		return
	}
	f.parent[slot] = parent
	f.children[slot] = nil
	cs := append(f.children[parent], slot)
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	f.children[parent] = cs
	f.dirty = true
}

// Vote moves a validator's stake to slot (its latest vote). Older votes
// (lower slots) than the one held are ignored.
func (f *ForkChoice) Vote(node solana.Pubkey, slot uint64) {
	if old, ok := f.votes[node]; ok && old >= slot {
		return
	}
	f.votes[node] = slot
	f.dirty = true
}

// Parent returns the parent of slot.
func (f *ForkChoice) Parent(slot uint64) (uint64, bool) {
	p, ok := f.parent[slot]
	return p, ok
}

// IsAncestorOrEqual reports whether a is b or one of b's ancestors. Slots
// at or below the root that are not in the tree count as ancestors of every
// slot in the tree (they are rooted history).
func (f *ForkChoice) IsAncestorOrEqual(a, b uint64) bool {
	if !f.Contains(b) {
		return a == b
	}
	if a <= f.root {
		return a == f.root || !f.Contains(a)
	}
	for b > a {
		p, ok := f.parent[b]
		if !ok {
			return false
		}
		b = p
	}
	return a == b
}

func (f *ForkChoice) compute() {
	if !f.dirty {
		return
	}
	at := map[uint64]uint64{}
	for node, slot := range f.votes {
		if f.Contains(slot) {
			at[slot] += f.stakes[node]
		}
	}
	slots := make([]uint64, 0, len(f.children))
	for s := range f.children {
		slots = append(slots, s)
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i] > slots[j] })
	w := make(map[uint64]uint64, len(slots))
	for _, s := range slots { // children have higher slots than parents
		w[s] += at[s]
		if s != f.root {
			w[f.parent[s]] += w[s]
		}
	}
	f.weight = w
	f.dirty = false
}

// Weight is the subtree stake of slot.
func (f *ForkChoice) Weight(slot uint64) uint64 {
	f.compute()
	return f.weight[slot]
}

// Best is the heaviest leaf reached from the root.
func (f *ForkChoice) Best() uint64 { return f.BestFrom(f.root) }

// BestFrom is the heaviest leaf reached from slot (slot itself when it is
// not in the tree or is a leaf).
func (f *ForkChoice) BestFrom(slot uint64) uint64 {
	f.compute()
	for {
		cs := f.children[slot]
		if len(cs) == 0 {
			return slot
		}
		best := cs[0]
		for _, c := range cs[1:] {
			if f.weight[c] > f.weight[best] { // ascending order: ties keep the lower slot
				best = c
			}
		}
		slot = best
	}
}

// Leaves returns the tips of the tree, ascending.
func (f *ForkChoice) Leaves() []uint64 {
	var out []uint64
	for s, cs := range f.children {
		if len(cs) == 0 {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// SetRoot makes slot the root and drops every slot that does not descend
// from it. It returns the dropped slots.
func (f *ForkChoice) SetRoot(slot uint64) []uint64 {
	if !f.Contains(slot) || slot == f.root {
		return nil
	}
	keep := map[uint64]bool{slot: true}
	var stack = []uint64{slot}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range f.children[s] {
			keep[c] = true
			stack = append(stack, c)
		}
	}
	var dropped []uint64
	for s := range f.children {
		if !keep[s] {
			dropped = append(dropped, s)
			delete(f.children, s)
			delete(f.parent, s)
		}
	}
	delete(f.parent, slot)
	f.root = slot
	f.dirty = true
	sort.Slice(dropped, func(i, j int) bool { return dropped[i] < dropped[j] })
	return dropped
}
