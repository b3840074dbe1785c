package validator

import (
	"context"
	"time"

	"slonui/solana"
	"slonui/validator/core"
	"slonui/validator/gossip"
	"slonui/validator/rpcserver"
)

// Node implements rpcserver.Backend over its core. Getters that only need
// slots, the tower or counters read the published snapshot; bank queries
// take the core's mutex for one core call.
var _ rpcserver.Backend = (*Node)(nil)

// HealthSlotDistance is how far the processed slot may trail the newest
// vote of any validator before the node reports itself behind (Agave's
// health check slot distance).
const HealthSlotDistance = 128

func commitment(c rpcserver.Commitment) core.Commitment {
	switch c {
	case rpcserver.Processed:
		return core.Processed
	case rpcserver.Confirmed:
		return core.Confirmed
	}
	return core.Finalized
}

// Bank implements rpcserver.Backend.
func (n *Node) Bank(c rpcserver.Commitment) rpcserver.Bank {
	cc := commitment(c)
	n.mu.Lock()
	slot := n.core.Slot(cc)
	n.mu.Unlock()
	return &bankView{n: n, c: cc, slot: slot}
}

// Health implements rpcserver.Backend.
func (n *Node) Health() rpcserver.Health {
	st := n.snap.Load()
	if st.maxVote > st.processed+HealthSlotDistance {
		return rpcserver.Health{Status: rpcserver.HealthBehind, SlotsBehind: st.maxVote - st.processed}
	}
	return rpcserver.Health{Status: rpcserver.HealthOK}
}

// Identity implements rpcserver.Backend: the node's identity pubkey.
func (n *Node) Identity() solana.Pubkey { return n.s.identity.Pubkey() }

// GenesisHash implements rpcserver.Backend.
func (n *Node) GenesisHash() solana.Hash { return n.genesisHash }

// Version implements rpcserver.Backend.
func (n *Node) Version() rpcserver.Version {
	return rpcserver.Version{SolanaCore: n.version, FeatureSet: FeatureSet}
}

// EpochSchedule implements rpcserver.Backend: no warmup.
func (n *Node) EpochSchedule() rpcserver.EpochSchedule {
	spe := uint64(n.s.genesis.SlotsPerEpoch)
	return rpcserver.EpochSchedule{SlotsPerEpoch: spe, LeaderScheduleSlotOffset: spe}
}

// LeaderSchedule implements rpcserver.Backend. The schedule is known for
// every epoch (one schedule covers all of them).
func (n *Node) LeaderSchedule(epoch uint64) ([]solana.Pubkey, bool) {
	n.mu.Lock()
	ls := n.core.LeaderSchedule(epoch)
	n.mu.Unlock()
	return ls.Leaders, true
}

// ClusterNodes implements rpcserver.Backend: this node and its live peers.
func (n *Node) ClusterNodes() []rpcserver.ContactInfo {
	self := n.gossip.Self()
	peers := n.gossip.Peers()
	out := make([]rpcserver.ContactInfo, 0, len(peers)+1)
	conv := func(c gossip.ContactInfo) rpcserver.ContactInfo {
		return rpcserver.ContactInfo{Pubkey: c.Pubkey, Gossip: c.Gossip, TVU: c.TVU, TPU: c.TPU, TPUForwards: c.TVU,
			TPUVote: c.TVU, ServeRepair: c.Repair, RPC: c.RPC, PubSub: c.PubSub, Version: c.Version,
			ShredVersion: c.ShredVersion, FeatureSet: FeatureSet}
	}
	out = append(out, conv(self))
	for _, p := range peers {
		if p.ShredVersion == n.s.genesis.ShredVersion {
			out = append(out, conv(p))
		}
	}
	return out
}

// VoteAccounts implements rpcserver.Backend. The devnet uses the node
// identity as the vote account.
func (n *Node) VoteAccounts(rpcserver.Commitment) []rpcserver.VoteAccount {
	n.mu.Lock()
	vas := n.core.VoteAccounts()
	n.mu.Unlock()
	out := make([]rpcserver.VoteAccount, 0, len(vas))
	for _, v := range vas {
		out = append(out, rpcserver.VoteAccount{VotePubkey: v.Node, NodePubkey: v.Node, ActivatedStake: v.Stake,
			EpochVoteAccount: true, LastVote: v.LastVote, RootSlot: v.Root})
	}
	return out
}

// SignatureStatuses implements rpcserver.Backend.
func (n *Node) SignatureStatuses(sigs []solana.Signature, searchHistory bool) []*rpcserver.SignatureStatus {
	n.mu.Lock()
	sts := n.core.SignatureStatuses(sigs, searchHistory)
	n.mu.Unlock()
	out := make([]*rpcserver.SignatureStatus, len(sts))
	for i, st := range sts {
		if st == nil {
			continue
		}
		out[i] = &rpcserver.SignatureStatus{Slot: st.Slot, Confirmations: st.Confirmations,
			Err: txErrJSON(st.Err), ConfirmationStatus: rpcserver.Commitment(st.ConfirmationStatus)}
	}
	return out
}

// txErrJSON renders a core error in the JSON form the RPC server expects:
// nil, a string, or {"InstructionError":[i, "Name" | {"Custom":n}]}.
func txErrJSON(e *core.TxError) any {
	if e == nil {
		return nil
	}
	if e.Name != "InstructionError" {
		return e.Name
	}
	var inner any = e.InstrName
	if e.Custom != nil {
		inner = map[string]any{"Custom": *e.Custom}
	}
	return map[string]any{"InstructionError": []any{e.Index, inner}}
}

// PerformanceSamples implements rpcserver.Backend.
func (n *Node) PerformanceSamples(limit int) []rpcserver.PerformanceSample {
	return n.perf.newest(limit)
}

// Block implements rpcserver.Backend.
func (n *Node) Block(slot uint64, c rpcserver.Commitment) (rpcserver.Block, rpcserver.BlockStatus) {
	cc := commitment(c)
	n.mu.Lock()
	r, ok := n.core.Block(slot, cc)
	top := n.core.Slot(cc)
	first := n.core.FirstAvailableBlock()
	n.mu.Unlock()
	if !ok {
		switch {
		case slot > top:
			return rpcserver.Block{}, rpcserver.BlockNotAvailable
		case slot < first:
			return rpcserver.Block{}, rpcserver.BlockCleanedUp
		}
		return rpcserver.Block{}, rpcserver.BlockSkipped
	}
	bt := r.BlockTimeMs / 1000
	h := r.BlockHeight
	b := rpcserver.Block{Blockhash: r.Blockhash, PreviousBlockhash: r.PreviousBlockhash, ParentSlot: r.Parent,
		BlockTime: &bt, BlockHeight: &h}
	for _, t := range r.Transactions {
		tx, err := solana.DecodeTransaction(t.Raw)
		if err != nil {
			continue
		}
		b.Transactions = append(b.Transactions, rpcserver.BlockTransaction{Tx: tx, Wire: t.Raw, Err: txErrJSON(t.Err),
			Fee: t.Fee, ComputeUnits: 150 * uint64(len(tx.Message.Instructions))})
	}
	return b, rpcserver.BlockOK
}

// Blocks implements rpcserver.Backend.
func (n *Node) Blocks(start, end uint64, c rpcserver.Commitment) []uint64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.core.Blocks(start, end, commitment(c))
}

// FirstAvailableBlock implements rpcserver.Backend.
func (n *Node) FirstAvailableBlock() uint64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.core.FirstAvailableBlock()
}

// MinimumLedgerSlot implements rpcserver.Backend.
func (n *Node) MinimumLedgerSlot() (uint64, bool) { return n.FirstAvailableBlock(), true }

// SendTransaction implements rpcserver.Backend: the core queues it when
// this node leads now or next, and forwards it to the current and next
// leaders otherwise.
func (n *Node) SendTransaction(ctx context.Context, _ solana.Transaction, wire []byte) error {
	_, err := n.submit(ctx, wire)
	return err
}

// SendVerifiedTransaction implements rpcserver.VerifiedSender: preflight
// checked the signatures of tx, decoded from wire.
func (n *Node) SendVerifiedTransaction(ctx context.Context, tx solana.Transaction, wire []byte) error {
	if err := n.queueVerified(ctx, verifiedTx{raw: wire, forward: true}); err != nil {
		return err
	}
	n.subs.send(rpcserver.Event{Kind: rpcserver.EventSignatureReceived, Signature: tx.ID()})
	return nil
}

// Tower implements rpcserver.Backend.
func (n *Node) Tower() rpcserver.TowerState {
	t := n.snap.Load().tower
	ts := rpcserver.TowerState{Votes: make([]rpcserver.TowerVote, 0, len(t.Votes))}
	for _, v := range t.Votes {
		ts.Votes = append(ts.Votes, rpcserver.TowerVote{Slot: v.Slot, ConfirmationCount: v.Conf})
	}
	root := t.Root
	ts.Root = &root
	if last, ok := t.LastVote(); ok {
		ts.LastVote = &last
	}
	return ts
}

// Stats implements rpcserver.Backend.
func (n *Node) Stats() rpcserver.Stats {
	st := n.snap.Load().stats
	return rpcserver.Stats{VotesCast: st.VotesCast, VotesReceived: st.VotesReceived,
		TransactionsProcessed: st.Transactions, PeersConnected: len(n.gossip.Peers()),
		LiveForks: st.LiveForks, SkippedSlots: st.SkippedSlots, UptimeSeconds: time.Since(n.started).Seconds()}
}

// Subscribe implements rpcserver.Backend.
func (n *Node) Subscribe(ctx context.Context) <-chan rpcserver.Event { return n.subs.add(ctx) }

// FeatureSet is the feature set id getVersion reports (Agave 2.2's).
const FeatureSet = 3746818610
