package core

import "sort"

// ForkChoice is the heaviest-subtree fork choice of PROTOCOL.md §3.4 over
// the tree of frozen banks. Validators are numbered 0..len(stakes)-1. Each
// validator's stake sits on its latest voted slot; a slot's subtree weight
// is its own stake plus its children's subtree weights. Best walks from the
// root to the heaviest child until a leaf, ties going to the lower slot.
// As Agave's latest votes for frozen banks, a vote for a slot not (yet) in
// the tree leaves the validator's stake on its previous vote until that
// slot is added.
type ForkChoice struct {
	root   uint64
	nodes  map[uint64]*fcNode
	order  []*fcNode // every node of the tree, ascending slots
	gen    uint64
	votes  []uint64 // latest voted slot in the tree per validator (0 = none)
	ahead  []uint64 // a newer vote for a slot not in the tree yet (0 = none)
	stakes []uint64
	dirty  bool
}

type fcNode struct {
	slot     uint64
	parent   *fcNode
	children []*fcNode // ascending slots
	at       uint64    // stake whose latest vote is exactly this slot
	weight   uint64    // subtree stake
	mark     uint64
}

// NewForkChoice returns a tree holding only root.
func NewForkChoice(root uint64, stakes []uint64) *ForkChoice {
	r := &fcNode{slot: root}
	return &ForkChoice{
		root:   root,
		nodes:  map[uint64]*fcNode{root: r},
		order:  []*fcNode{r},
		votes:  make([]uint64, len(stakes)),
		ahead:  make([]uint64, len(stakes)),
		stakes: stakes,
		dirty:  true,
	}
}

// Root is the tree's root slot.
func (f *ForkChoice) Root() uint64 { return f.root }

// Contains reports whether slot is in the tree.
func (f *ForkChoice) Contains(slot uint64) bool { _, ok := f.nodes[slot]; return ok }

// Add inserts slot under parent; it is ignored when parent is unknown or
// slot already present.
func (f *ForkChoice) Add(slot, parent uint64) {
	p := f.nodes[parent]
	if p == nil || f.Contains(slot) || slot <= parent {
		return
	}
	n := &fcNode{slot: slot, parent: p}
	f.nodes[slot] = n
	i := sort.Search(len(p.children), func(i int) bool { return p.children[i].slot > slot })
	p.children = append(p.children, nil)
	copy(p.children[i+1:], p.children[i:])
	p.children[i] = n
	j := sort.Search(len(f.order), func(i int) bool { return f.order[i].slot > slot })
	f.order = append(f.order, nil)
	copy(f.order[j+1:], f.order[j:])
	f.order[j] = n
	f.dirty = true
	for v, s := range f.ahead {
		if s == slot {
			f.votes[v], f.ahead[v] = slot, 0
		}
	}
}

// Vote moves validator v's stake to slot (its latest vote), or, when slot
// is not in the tree yet, remembers it until Add brings it. A vote for a
// slot not above the one held is ignored.
func (f *ForkChoice) Vote(v int, slot uint64) {
	if v < 0 || v >= len(f.votes) || f.votes[v] >= slot || f.ahead[v] >= slot {
		return
	}
	if !f.Contains(slot) {
		f.ahead[v] = slot
		return
	}
	f.votes[v], f.ahead[v] = slot, 0
	f.dirty = true
}

// Parent returns the parent of slot.
func (f *ForkChoice) Parent(slot uint64) (uint64, bool) {
	n := f.nodes[slot]
	if n == nil || n.parent == nil {
		return 0, false
	}
	return n.parent.slot, true
}

// IsAncestorOrEqual reports whether a is b or one of b's ancestors. Slots
// at or below the root that are not in the tree count as ancestors of every
// slot in the tree (they are rooted history).
func (f *ForkChoice) IsAncestorOrEqual(a, b uint64) bool {
	n := f.nodes[b]
	if n == nil {
		return a == b
	}
	if a <= f.root {
		return a == f.root || !f.Contains(a)
	}
	for n != nil && n.slot > a {
		n = n.parent
	}
	return n != nil && n.slot == a
}

func (f *ForkChoice) compute() {
	if !f.dirty {
		return
	}
	for _, n := range f.order {
		n.at, n.weight = 0, 0
	}
	for v, slot := range f.votes {
		if n := f.nodes[slot]; n != nil && slot != 0 {
			n.at += f.stakes[v]
		}
	}
	for i := len(f.order) - 1; i >= 0; i-- { // children before parents
		n := f.order[i]
		n.weight += n.at
		if n.parent != nil {
			n.parent.weight += n.weight
		}
	}
	f.dirty = false
}

// Weight is the subtree stake of slot.
func (f *ForkChoice) Weight(slot uint64) uint64 {
	f.compute()
	if n := f.nodes[slot]; n != nil {
		return n.weight
	}
	return 0
}

// Best is the heaviest leaf reached from the root.
func (f *ForkChoice) Best() uint64 { return f.BestFrom(f.root) }

// BestFrom is the heaviest leaf reached from slot (slot itself when it is
// not in the tree or is a leaf).
func (f *ForkChoice) BestFrom(slot uint64) uint64 {
	f.compute()
	n := f.nodes[slot]
	if n == nil {
		return slot
	}
	for len(n.children) > 0 {
		best := n.children[0]
		for _, c := range n.children[1:] {
			if c.weight > best.weight { // ascending order: ties keep the lower slot
				best = c
			}
		}
		n = best
	}
	return n.slot
}

// Leaves returns the tips of the tree, ascending.
func (f *ForkChoice) Leaves() []uint64 {
	var out []uint64
	for _, n := range f.order {
		if len(n.children) == 0 {
			out = append(out, n.slot)
		}
	}
	return out
}

// SetRoot makes slot the root and drops every slot that does not descend
// from it. It returns the dropped slots, ascending.
func (f *ForkChoice) SetRoot(slot uint64) []uint64 {
	r := f.nodes[slot]
	if r == nil || slot == f.root {
		return nil
	}
	f.gen++
	// Children have higher slots than their parents, so one ascending pass
	// marks every descendant of r.
	r.mark = f.gen
	var dropped []uint64
	order := f.order[:0]
	for _, n := range f.order {
		if n != r && n.parent != nil && n.parent.mark == f.gen {
			n.mark = f.gen
		}
		if n.mark == f.gen {
			order = append(order, n)
		} else {
			dropped = append(dropped, n.slot)
			delete(f.nodes, n.slot)
		}
	}
	clear(f.order[len(order):])
	f.order = order
	r.parent = nil
	f.root = slot
	f.dirty = true
	return dropped
}
