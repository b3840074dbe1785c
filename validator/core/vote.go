package core

// ThresholdMet reports stake > 2/3 of total, in integers: 2 of 3 equal
// stakes is not more than 2/3.
func ThresholdMet(stake, total uint64) bool { return stake*3 > total*2 }

// SwitchThresholdMet reports stake > 38% of total, in integers.
func SwitchThresholdMet(stake, total uint64) bool { return stake*100 > total*SwitchThresholdPct }

func (n *Node) onVote(v *Vote) error {
	i, ok := n.vidx[v.Node]
	if !ok || len(v.Votes) == 0 || i == n.myIdx {
		return nil
	}
	if old := n.latest[i]; old != nil && old.Slot() >= v.Slot() {
		return nil
	}
	if n.cfg.VerifySignatures && !v.Verify() {
		return ErrBadSignature
	}
	n.stats.VotesReceived++
	n.recordVote(i, v)
	s := v.Slot()
	if _, have := n.banks[s]; !have && s > n.root.slot && n.pending[s] == nil && !n.dead[s] {
		if _, asked := n.wanted[s]; !asked {
			n.wanted[s] = n.now - n.cfg.RepairRetryMs
		}
	}
	return nil
}

// recordVote makes v the latest vote of its node.
func (n *Node) recordVote(i int, v *Vote) {
	n.latest[i] = v
	n.fc.Vote(i, v.Slot())
	t := n.tally[v.Slot()]
	if t == nil {
		t = &tally{hash: v.Hash, voters: make([]bool, len(n.vals))}
		n.tally[v.Slot()] = t
	}
	if t.hash == v.Hash && !t.voters[i] {
		t.voters[i] = true
		t.stake += n.stakes[i]
	}
	n.checkConfirmed(v.Slot())
	n.hsmrDirty = true
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
	n.stats.VotesCast++
	n.emit(Event{Kind: EventVoted, Slot: s, Hash: b.bankHash})
	if rooted {
		n.emit(Event{Kind: EventRoot, Slot: n.tower.Root})
	}
}

// lockedOut simulates a vote for s: it is refused when a surviving vote (or
// the root) is not an ancestor of s (Agave is_locked_out).
func (n *Node) lockedOut(s uint64) bool {
	t := n.tower.Clone()
	t.ProcessVote(s)
	for _, v := range t.Votes[:len(t.Votes)-1] {
		if !n.fc.IsAncestorOrEqual(v.Slot, s) {
			return true
		}
	}
	return !n.fc.IsAncestorOrEqual(t.Root, s)
}

// thresholdOK is Agave's check_vote_stake_threshold at depth 8 with the
// candidate vote applied.
func (n *Node) thresholdOK(s uint64) bool {
	t := n.tower.Clone()
	t.ProcessVote(s)
	tv, ok := t.NthRecent(VoteThresholdDepth)
	if !ok {
		return true
	}
	for _, old := range n.tower.Votes {
		if old.Slot == tv.Slot && old.Conf == tv.Conf {
			return true
		}
	}
	return ThresholdMet(n.forkStake(tv.Slot, s), n.total)
}

// forkStake is the stake whose latest vote is slot or one of its
// descendants, counting this node as voting for own.
func (n *Node) forkStake(slot, own uint64) uint64 {
	var stake uint64
	if n.fc.IsAncestorOrEqual(slot, own) {
		stake = n.myStake
	}
	for i, v := range n.latest {
		if i == n.myIdx || v == nil {
			continue
		}
		if vs := v.Slot(); n.fc.Contains(vs) && n.fc.IsAncestorOrEqual(slot, vs) {
			stake += n.stakes[i]
		}
	}
	return stake
}

// switchOK reports whether more than 38% of stake is locked out on forks
// that hold neither last nor its descendants nor its ancestors, with
// lockouts reaching at least last.
func (n *Node) switchOK(last uint64) bool {
	return SwitchThresholdMet(n.lockedOutElsewhere(last), n.total)
}

func (n *Node) lockedOutElsewhere(last uint64) uint64 {
	var locked uint64
	for i, v := range n.latest {
		if i == n.myIdx || v == nil {
			continue
		}
		for _, l := range v.Votes {
			if l.Slot <= n.fc.Root() || !n.fc.Contains(l.Slot) || l.LastLockedOutSlot() < last {
				continue
			}
			if n.fc.IsAncestorOrEqual(l.Slot, last) || n.fc.IsAncestorOrEqual(last, l.Slot) {
				continue
			}
			locked += n.stakes[i]
			break
		}
	}
	return locked
}
