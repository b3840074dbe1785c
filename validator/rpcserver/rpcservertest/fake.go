package rpcservertest

import (
	"context"
	"net/netip"
	"sync"

	"slonui/solana"
	"slonui/validator/rpcserver"
)

// Fake is an in-memory rpcserver.Backend whose answers a test sets through
// its exported fields (hold Mu while changing them). Processed/confirmed/
// finalized slots start at 130/128/100, epochs are 32 slots, and the leader
// schedule alternates this node and one other every 4 slots. It stands in
// for consensus in tests that claim wire shapes and client behaviour only.
type Fake struct {
	Mu          sync.Mutex
	Slots       map[rpcserver.Commitment]uint64
	Accounts    map[solana.Pubkey]rpcserver.Account
	Blockhash   solana.Hash
	HealthState rpcserver.Health
	IdentityKey solana.Keypair
	Statuses    map[solana.Signature]*rpcserver.SignatureStatus
	Sent        []solana.Transaction
	SimErr      any
	Faucet      bool
	BlockMap    map[uint64]rpcserver.Block
	Skipped     map[uint64]bool
	Schedule    []solana.Pubkey
	Votes       []rpcserver.VoteAccount
	Samples     []rpcserver.PerformanceSample
	Events      chan rpcserver.Event
	Subscribed  chan struct{}
}

// NewFake returns a Fake with the defaults above.
func NewFake() *Fake {
	id := solana.KeypairFromSeed([32]byte{1})
	f := &Fake{
		Slots:       map[rpcserver.Commitment]uint64{rpcserver.Processed: 130, rpcserver.Confirmed: 128, rpcserver.Finalized: 100},
		Accounts:    map[solana.Pubkey]rpcserver.Account{},
		Blockhash:   solana.HashOf([]byte("blockhash")),
		IdentityKey: id,
		Statuses:    map[solana.Signature]*rpcserver.SignatureStatus{},
		Faucet:      true,
		BlockMap:    map[uint64]rpcserver.Block{},
		Skipped:     map[uint64]bool{},
		Events:      make(chan rpcserver.Event, 64),
		Subscribed:  make(chan struct{}),
	}
	other := solana.KeypairFromSeed([32]byte{2}).Pubkey()
	for i := 0; i < 32; i++ {
		if i/4%2 == 0 {
			f.Schedule = append(f.Schedule, id.Pubkey())
		} else {
			f.Schedule = append(f.Schedule, other)
		}
	}
	return f
}

type bank struct {
	f    *Fake
	slot uint64
}

func (f *Fake) Bank(c rpcserver.Commitment) rpcserver.Bank {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return bank{f, f.Slots[c]}
}

func (b bank) Slot() uint64             { return b.slot }
func (b bank) BlockHeight() uint64      { return b.slot - 3 }
func (b bank) TransactionCount() uint64 { return b.slot * 10 }
func (b bank) Account(pk solana.Pubkey) (rpcserver.Account, bool) {
	b.f.Mu.Lock()
	defer b.f.Mu.Unlock()
	a, ok := b.f.Accounts[pk]
	a.Data = append([]byte(nil), a.Data...)
	return a, ok
}
func (b bank) LatestBlockhash() (solana.Hash, uint64) {
	b.f.Mu.Lock()
	defer b.f.Mu.Unlock()
	return b.f.Blockhash, b.BlockHeight() + 150
}
func (b bank) IsBlockhashValid(h solana.Hash) bool {
	b.f.Mu.Lock()
	defer b.f.Mu.Unlock()
	return h == b.f.Blockhash
}
func (b bank) Simulate(tx solana.Transaction) rpcserver.SimulationResult {
	b.f.Mu.Lock()
	defer b.f.Mu.Unlock()
	if b.f.SimErr != nil {
		return rpcserver.SimulationResult{Err: b.f.SimErr, Logs: []string{"Program 11111111111111111111111111111111 failed"}}
	}
	if tx.Message.RecentBlockhash != b.f.Blockhash {
		return rpcserver.SimulationResult{Err: "BlockhashNotFound"}
	}
	return rpcserver.SimulationResult{Logs: []string{"Program 11111111111111111111111111111111 invoke [1]",
		"Program 11111111111111111111111111111111 success"}, UnitsConsumed: 150}
}

func (f *Fake) Health() rpcserver.Health {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return f.HealthState
}
func (f *Fake) Identity() solana.Pubkey  { return f.IdentityKey.Pubkey() }
func (f *Fake) GenesisHash() solana.Hash { return solana.HashOf([]byte("genesis")) }
func (f *Fake) Version() rpcserver.Version {
	return rpcserver.Version{SolanaCore: "2.2.0", FeatureSet: 3746818610}
}
func (f *Fake) EpochSchedule() rpcserver.EpochSchedule {
	return rpcserver.EpochSchedule{SlotsPerEpoch: 32, LeaderScheduleSlotOffset: 32}
}
func (f *Fake) LeaderSchedule(epoch uint64) ([]solana.Pubkey, bool) {
	if epoch > 5 {
		return nil, false
	}
	return f.Schedule, true
}
func (f *Fake) ClusterNodes() []rpcserver.ContactInfo {
	ap := func(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
	return []rpcserver.ContactInfo{
		{Pubkey: f.IdentityKey.Pubkey(), Gossip: ap("127.0.0.1:8001"), TVU: ap("127.0.0.1:8004"), TPUQuic: ap("127.0.0.1:8009"),
			RPC: ap("127.0.0.1:8899"), PubSub: ap("127.0.0.1:8900"), Version: "2.2.0", FeatureSet: 3746818610, ShredVersion: 4242},
		{Pubkey: solana.KeypairFromSeed([32]byte{2}).Pubkey(), Gossip: ap("127.0.0.2:8001"), ShredVersion: 4242},
	}
}
func (f *Fake) VoteAccounts(rpcserver.Commitment) []rpcserver.VoteAccount {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return append([]rpcserver.VoteAccount(nil), f.Votes...)
}
func (f *Fake) SignatureStatuses(sigs []solana.Signature, _ bool) []*rpcserver.SignatureStatus {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	out := make([]*rpcserver.SignatureStatus, len(sigs))
	for i, s := range sigs {
		if st, ok := f.Statuses[s]; ok {
			cp := *st
			out[i] = &cp
		}
	}
	return out
}
func (f *Fake) PerformanceSamples(limit int) []rpcserver.PerformanceSample {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return append([]rpcserver.PerformanceSample(nil), f.Samples[:min(limit, len(f.Samples))]...)
}
func (f *Fake) Block(slot uint64, c rpcserver.Commitment) (rpcserver.Block, rpcserver.BlockStatus) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	switch {
	case slot < 10:
		return rpcserver.Block{}, rpcserver.BlockCleanedUp
	case slot > f.Slots[c]:
		return rpcserver.Block{}, rpcserver.BlockNotAvailable
	case f.Skipped[slot]:
		return rpcserver.Block{}, rpcserver.BlockSkipped
	}
	b, ok := f.BlockMap[slot]
	if !ok {
		return rpcserver.Block{}, rpcserver.BlockSkipped
	}
	return b, rpcserver.BlockOK
}
func (f *Fake) Blocks(start, end uint64, _ rpcserver.Commitment) []uint64 {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []uint64
	for s := start; s <= end; s++ {
		if !f.Skipped[s] {
			out = append(out, s)
		}
	}
	return out
}
func (f *Fake) FirstAvailableBlock() uint64       { return 10 }
func (f *Fake) MinimumLedgerSlot() (uint64, bool) { return 10, true }
func (f *Fake) SendTransaction(_ context.Context, tx solana.Transaction, _ []byte) error {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.Sent = append(f.Sent, tx)
	return nil
}
func (f *Fake) RequestAirdrop(_ context.Context, to solana.Pubkey, lamports uint64) (solana.Signature, error) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if !f.Faucet {
		return solana.Signature{}, rpcserver.ErrNoFaucet
	}
	a := f.Accounts[to]
	a.Lamports += lamports
	f.Accounts[to] = a
	return f.IdentityKey.Sign(to[:]), nil
}
func (f *Fake) Tower() rpcserver.TowerState {
	root, last := uint64(90), uint64(129)
	return rpcserver.TowerState{Votes: []rpcserver.TowerVote{{Slot: 127, ConfirmationCount: 3}, {Slot: 128, ConfirmationCount: 2}, {Slot: 129, ConfirmationCount: 1}}, Root: &root, LastVote: &last}
}
func (f *Fake) Stats() rpcserver.Stats {
	return rpcserver.Stats{VotesCast: 77, VotesReceived: 300, TransactionsProcessed: 1300, PeersConnected: 2, LiveForks: 1}
}
func (f *Fake) Subscribe(ctx context.Context) <-chan rpcserver.Event {
	out := make(chan rpcserver.Event)
	go func() {
		defer close(out)
		close(f.Subscribed)
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-f.Events:
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// SetStatus records a signature status.
func (f *Fake) SetStatus(sig solana.Signature, st *rpcserver.SignatureStatus) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.Statuses[sig] = st
}
