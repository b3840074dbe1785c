package core

// ThresholdMet reports stake > 2/3 of total, in integers: 2 of 3 equal
// stakes is not more than 2/3.
func ThresholdMet(stake, total uint64) bool { return stake*3 > total*2 }

// SwitchThresholdMet reports stake > 38% of total, in integers.
func SwitchThresholdMet(stake, total uint64) bool { return stake*100 > total*SwitchThresholdPct }

func (n *Node) onVote(v *Vote) error {
	i, ok := n.validatorIndex(v.Node)
	if !ok || len(v.Votes) == 0 || i == n.myIdx {
		return nil
	}
	if n.latest[i] != nil && n.latestSlot[i] >= v.Slot() {
		return nil
	}
	if n.cfg.VerifySignatures && !v.Verify() {
		return ErrBadSignature
	}
	n.stats.VotesReceived++
	n.recordVote(i, v)
	s := v.Slot()
	if s <= n.slot+64 { // a vote from the far future must not silence this leader
		n.maxVoteSlot = max(n.maxVoteSlot, s)
	}
	n.want(s, false)
	return nil
}

// recordVote makes v the latest vote of its node.
func (n *Node) recordVote(i int, v *Vote) {
	if old := n.latest[i]; old == nil || old.Root != v.Root {
		n.hsmrDirty = true // only a moved root can move the super-majority root
	}
	n.latest[i], n.latestSlot[i] = v, v.Slot()
	n.fc.Vote(i, v.Slot())
	t := n.tally[v.Slot()]
	if t == nil {
		t = &tally{hash: v.Hash, voters: make([]bool, len(n.vals))}
		n.tally[v.Slot()] = t
	}
	if t.hash == v.Hash && !t.voters[i] {
		t.voters[i] = true
		t.stake += n.stakes[i]
		if ThresholdMet(t.stake, n.total) {
			n.checkConfirmed(v.Slot())
		}
	}
	n.votedDirty = true
}

// decide runs fork choice, picks the bank to work on (reset) and votes
// when the Tower rules allow it.
func (n *Node) decide() {
	heaviest := n.fc.Best()
	candidate := heaviest
	last, hasLast := n.tower.LastVote()
	if hasLast && n.fc.Contains(last) && !n.fc.IsAncestorOrEqual(last, heaviest) && !n.switchOK(last) {
		candidate = n.fc.BestFrom(last) // FailedSwitchThreshold: stay on our fork
	}
	if candidate != n.resetSlot {
		n.resetSlot = candidate
		n.emit(Event{Kind: EventReset, Slot: candidate})
	}
	n.tryVote(candidate)
	n.votedDirty = false
	n.decidedMs = n.now
}

func (n *Node) tryVote(s uint64) {
	if n.myStake == 0 {
		return
	}
	b := n.banks[s]
	if b == nil || !b.frozen || s <= n.tower.Root {
		return
	}
	if last, ok := n.tower.LastVote(); ok && s <= last {
		return
	}
	if n.lockedOut(s) || !n.thresholdOK(s) {
		return
	}
	_, rooted := n.tower.ProcessVote(s)
	n.tower.LastHash = b.bankHash
	v := &Vote{Node: n.me, Votes: append([]Lockout(nil), n.tower.Votes...), Root: n.tower.Root, Hash: b.bankHash, Timestamp: n.now}
	if n.cfg.VerifySignatures {
		v.Sign(n.id)
	}
	t := n.tower.Clone()
	n.out.Tower = &t
	n.recordVote(n.myIdx, v)
	n.broadcast(v)
	n.voteSentMs = n.now
	n.stats.VotesCast++
	n.emit(Event{Kind: EventVoted, Slot: s, Hash: b.bankHash})
	if rooted {
		n.emit(Event{Kind: EventRoot, Slot: n.tower.Root})
	}
}

// voteRefreshSlots is how long a validator goes without voting before it
// sends its latest vote again.
const voteRefreshSlots = 2

// refreshVote sends this node's latest vote again when it has not voted
// for voteRefreshSlots slots (as Agave refreshes a last vote that did not
// land). Peers that missed it — a partition just healed, a packet was
// lost — learn where its stake is, and so which fork to repair and reset
// onto, without waiting for this node's next vote, which may be far off
// when the next leaders were cut off with it. Peers that have it ignore it.
func (n *Node) refreshVote() {
	if n.myIdx < 0 || n.latest[n.myIdx] == nil || n.now-n.voteSentMs < voteRefreshSlots*n.g.SlotMs {
		return
	}
	n.voteSentMs = n.now
	n.broadcast(n.latest[n.myIdx])
}

// lockedOut simulates a vote for s: it is refused when a surviving vote (or
// the root) is not an ancestor of s (Agave is_locked_out).
func (n *Node) lockedOut(s uint64) bool { return LockedOut(n.tower, s, n.fc) }

// thresholdOK is Agave's check_vote_stake_threshold at depth 8 with the
// candidate vote applied.
func (n *Node) thresholdOK(s uint64) bool {
	return ThresholdCheck(n.tower, s, n.fc, n.latestSlots(), n.stakes, n.myIdx, n.total)
}

// switchOK reports whether more than 38% of stake is locked out on other
// forks than the one holding last.
func (n *Node) switchOK(last uint64) bool {
	return SwitchThresholdMet(SwitchStake(n.fc, last, n.latestTowers(), n.stakes, n.myIdx), n.total)
}

func (n *Node) latestSlots() []uint64 {
	out := make([]uint64, len(n.latest))
	for i, v := range n.latest {
		if v != nil {
			out[i] = v.Slot()
		}
	}
	return out
}

func (n *Node) latestTowers() [][]Lockout {
	out := make([][]Lockout, len(n.latest))
	for i, v := range n.latest {
		if v != nil {
			out[i] = v.Votes
		}
	}
	return out
}

// LockedOut reports whether tower t may not vote for slot s: with the vote
// applied (expired votes popped), some remaining vote or the root is not an
// ancestor of s in the tree fc.
func LockedOut(t Tower, s uint64, fc *ForkChoice) bool {
	if s <= t.LastVotedSlot() {
		return true // not above the last vote (or the root)
	}
	t = t.Clone()
	t.ProcessVote(s)
	for _, v := range t.Votes[:len(t.Votes)-1] {
		if !fc.IsAncestorOrEqual(v.Slot, s) {
			return true
		}
	}
	return !fc.IsAncestorOrEqual(t.Root, s)
}

// ThresholdCheck is the vote threshold check: with the vote for s applied,
// the vote VoteThresholdDepth below the top must have more than 2/3 of
// total stake voting on it or its descendants (latest[i] is validator i's
// latest voted slot, 0 for none; self is the voter's own index, counted as
// voting for s). It passes when the tower is not that deep, or when that
// vote's confirmation count is above 8 and does not change.
func ThresholdCheck(t Tower, s uint64, fc *ForkChoice, latest, stakes []uint64, self int, total uint64) bool {
	after := t.Clone()
	after.ProcessVote(s)
	tv, ok := after.NthRecent(VoteThresholdDepth)
	if !ok {
		return true
	}
	// Agave skips the check when a deep vote (count > depth) keeps its
	// count: a vote back on the main fork after a pause popped stake that
	// had rolled up into it.
	if tv.Conf > VoteThresholdDepth {
		for _, old := range t.Votes {
			if old.Slot == tv.Slot && old.Conf == tv.Conf {
				return true
			}
		}
	}
	var stake uint64
	for i, vs := range latest {
		if i == self {
			vs = s
		}
		if vs != 0 && fc.Contains(vs) && fc.IsAncestorOrEqual(tv.Slot, vs) {
			stake += stakes[i]
		}
	}
	return ThresholdMet(stake, total)
}

// SwitchStake is the stake locked out on forks other than last's: for each
// validator (but self), one of its tower votes lies in the tree above the
// root, is neither an ancestor nor a descendant of last, and stays locked
// out at least until last.
func SwitchStake(fc *ForkChoice, last uint64, towers [][]Lockout, stakes []uint64, self int) uint64 {
	var locked uint64
	for i, votes := range towers {
		if i == self {
			continue
		}
		for _, l := range votes {
			if l.Slot <= fc.Root() || !fc.Contains(l.Slot) || l.LastLockedOutSlot() < last {
				continue
			}
			if fc.IsAncestorOrEqual(l.Slot, last) || fc.IsAncestorOrEqual(last, l.Slot) {
				continue
			}
			locked += stakes[i]
			break
		}
	}
	return locked
}
