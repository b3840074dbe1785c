package core

import (
	"fmt"

	"slonui/solana"
)

// Commitment selects the bank a query reads. The zero value is Finalized,
// the RPC default.
type Commitment uint8

// Commitment levels.
const (
	Finalized Commitment = iota
	Confirmed
	Processed
)

func (c Commitment) String() string {
	switch c {
	case Processed:
		return "processed"
	case Confirmed:
		return "confirmed"
	}
	return "finalized"
}

// ParseCommitment reads "processed", "confirmed", "finalized" ("" is finalized).
func ParseCommitment(s string) (Commitment, error) {
	switch s {
	case "", "finalized":
		return Finalized, nil
	case "confirmed":
		return Confirmed, nil
	case "processed":
		return Processed, nil
	}
	return Finalized, fmt.Errorf("core: unknown commitment %q", s)
}

// bankAt returns the bank a commitment reads.
func (n *Node) bankAt(c Commitment) *bank {
	var s uint64
	switch c {
	case Processed:
		s = n.resetSlot
	case Confirmed:
		s = n.confirmed
	default:
		s = n.hsmr
	}
	if b := n.banks[s]; b != nil && b.frozen {
		return b
	}
	if c == Finalized || c == Confirmed {
		// Not replayed yet here: the highest frozen ancestor on our root chain.
		return n.root
	}
	return n.root
}

// Slot is the slot of the bank at commitment c.
func (n *Node) Slot(c Commitment) uint64 { return n.bankAt(c).slot }

// CurrentSlot is the slot running at the last Tick.
func (n *Node) CurrentSlot() uint64 { return n.slot }

// BlockHeight is the block height of the bank at c (genesis = 0).
func (n *Node) BlockHeight(c Commitment) uint64 { return n.bankAt(c).height }

// TransactionCount is the number of landed transactions up to the bank at c.
func (n *Node) TransactionCount(c Commitment) uint64 { return n.bankAt(c).txCount }

// Balance returns an account's lamports at c and the context slot.
func (n *Node) Balance(pk solana.Pubkey, c Commitment) (lamports, slot uint64) {
	b := n.bankAt(c)
	a, _ := b.account(pk)
	return a.Lamports, b.slot
}

// Account returns a copy of an account at c, ok false when it does not
// exist, and the context slot.
func (n *Node) Account(pk solana.Pubkey, c Commitment) (acc Account, ok bool, slot uint64) {
	b := n.bankAt(c)
	a, ok := b.account(pk)
	return a.clone(), ok, b.slot
}

// LatestBlockhash returns the blockhash of the bank at c, the last block
// height at which a transaction using it can land, and the context slot.
func (n *Node) LatestBlockhash(c Commitment) (h solana.Hash, lastValidBlockHeight, slot uint64) {
	b := n.bankAt(c)
	return b.blockhash, b.height + MaxProcessingAge, b.slot
}

// IsBlockhashValid reports whether h is still usable on the bank at c.
func (n *Node) IsBlockhashValid(h solana.Hash, c Commitment) (valid bool, slot uint64) {
	b := n.bankAt(c)
	ht, ok := b.blockhashHeight(h)
	return ok && b.height <= ht+MaxProcessingAge, b.slot
}

// FeeForMessage returns the fee of m, ok false when its blockhash is not
// valid at c (the RPC answers null then).
func (n *Node) FeeForMessage(m *solana.Message, c Commitment) (fee uint64, ok bool, slot uint64) {
	valid, slot := n.IsBlockhashValid(m.RecentBlockhash, c)
	return Fee(m), valid, slot
}

// SimResult is the outcome of Simulate.
type SimResult struct {
	Slot  uint64   // context slot
	Err   *TxError // nil on success
	Fee   uint64
	Logs  []string
	Units uint64 // compute units (a fixed 150 per instruction here)
}

// Simulate runs tx against the bank at c (fee, balance, blockhash, status
// cache and program checks) without committing anything. Signatures are
// checked only when verifySigs is set.
func (n *Node) Simulate(tx *solana.Transaction, c Commitment, verifySigs bool) SimResult {
	b := n.bankAt(c)
	r := SimResult{Slot: b.slot, Fee: Fee(&tx.Message)}
	if err := tx.Sanitize(); err != nil {
		r.Err = errUnit("SanitizeFailure")
		return r
	}
	if verifySigs {
		if err := tx.Verify(); err != nil {
			r.Err = errUnit("SignatureFailure")
			return r
		}
	}
	out := simulateTx(b, tx)
	r.Err = out.err
	for i, ix := range tx.Message.Instructions {
		prog := tx.Message.AccountKeys[ix.ProgramIDIndex]
		r.Logs = append(r.Logs, fmt.Sprintf("Program %s invoke [1]", prog))
		if out.err != nil && out.err.Name == "InstructionError" && out.err.Index == i {
			r.Logs = append(r.Logs, fmt.Sprintf("Program %s failed: %s", prog, out.err.Error()))
			break
		}
		r.Logs = append(r.Logs, fmt.Sprintf("Program %s success", prog))
		r.Units += 150
	}
	return r
}

// LeaderSchedule returns the schedule of an epoch (copied).
func (n *Node) LeaderSchedule(epoch uint64) LeaderSchedule {
	ls := *n.sched.get(epoch)
	ls.Leaders = append([]solana.Pubkey(nil), ls.Leaders...)
	return ls
}

// SlotLeaders returns the leaders of limit slots from start.
func (n *Node) SlotLeaders(start, limit uint64) []solana.Pubkey {
	out := make([]solana.Pubkey, 0, limit)
	for s := start; s < start+limit; s++ {
		out = append(out, n.sched.leader(s))
	}
	return out
}

// EpochInfo is getEpochInfo's answer.
type EpochInfo struct {
	AbsoluteSlot, BlockHeight, Epoch, SlotIndex, SlotsInEpoch, TransactionCount uint64
}

// EpochInfo describes the bank at c.
func (n *Node) EpochInfo(c Commitment) EpochInfo {
	b := n.bankAt(c)
	e, i := n.g.Epoch(b.slot)
	return EpochInfo{AbsoluteSlot: b.slot, BlockHeight: b.height, Epoch: e, SlotIndex: i, SlotsInEpoch: n.g.SlotsPerEpoch, TransactionCount: b.txCount}
}

// DelinquentSlotDistance is how far behind a validator's last vote may be
// before it is delinquent.
const DelinquentSlotDistance = 128

// VoteAccountInfo is one validator as getVoteAccounts shows it. The devnet
// uses the node identity as the vote account.
type VoteAccountInfo struct {
	Node       solana.Pubkey
	Stake      uint64
	LastVote   uint64
	Root       uint64
	Delinquent bool
}

// VoteAccounts lists every genesis validator with its latest vote as this
// node knows it, judged against the processed slot.
func (n *Node) VoteAccounts() []VoteAccountInfo {
	cur := n.bankAt(Processed).slot
	out := make([]VoteAccountInfo, 0, len(n.g.Validators))
	for i, gv := range n.g.Validators {
		va := VoteAccountInfo{Node: gv.Identity, Stake: gv.Stake}
		if gv.Identity == n.me {
			va.LastVote, va.Root = n.tower.LastVotedSlot(), n.tower.Root
			if _, ok := n.tower.LastVote(); !ok {
				va.LastVote = 0
			}
		} else if v := n.latest[i]; v != nil {
			va.LastVote, va.Root = v.Slot(), v.Root
		}
		if cur < DelinquentSlotDistance {
			va.Delinquent = va.LastVote == 0
		} else {
			va.Delinquent = va.LastVote <= cur-DelinquentSlotDistance
		}
		out = append(out, va)
	}
	return out
}

// Tower returns a copy of this node's tower.
func (n *Node) Tower() Tower { return n.tower.Clone() }

// IsAncestorOrEqual reports whether slot a is b or an ancestor of b on
// this node's tree of banks (rooted history counts as an ancestor).
func (n *Node) IsAncestorOrEqual(a, b uint64) bool { return n.fc.IsAncestorOrEqual(a, b) }

// ForkTips returns the tips of the tree of frozen banks, ascending.
func (n *Node) ForkTips() []uint64 { return n.fc.Leaves() }

// ProcessedSlot is the bank this node works on; ConfirmedSlot, RootSlot
// (own tower root) and FinalizedSlot (highest super-majority root) follow.
func (n *Node) ProcessedSlot() uint64 { return n.resetSlot }

// ConfirmedSlot is the highest optimistically confirmed slot.
func (n *Node) ConfirmedSlot() uint64 { return n.confirmed }

// RootSlot is this node's tower root.
func (n *Node) RootSlot() uint64 { return n.tower.Root }

// FinalizedSlot is the highest super-majority root.
func (n *Node) FinalizedSlot() uint64 { return n.hsmr }
