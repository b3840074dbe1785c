package rpcserver

import (
	"context"
	"net/netip"
	"sync"

	"slonui/solana"
)

// fakeBackend is an in-memory Backend whose answers the tests set. The
// tests using it claim the wire shapes, not consensus.
type fakeBackend struct {
	mu         sync.Mutex
	slots      map[Commitment]uint64
	accounts   map[solana.Pubkey]Account
	blockhash  solana.Hash
	health     Health
	identity   solana.Keypair
	statuses   map[solana.Signature]*SignatureStatus
	sent       []solana.Transaction
	simErr     any
	faucet     bool
	blocks     map[uint64]Block
	skipped    map[uint64]bool
	schedule   []solana.Pubkey
	votes      []VoteAccount
	samples    []PerformanceSample
	events     chan Event
	subscribed chan struct{}
}

func newFake() *fakeBackend {
	id := solana.KeypairFromSeed([32]byte{1})
	f := &fakeBackend{
		slots:      map[Commitment]uint64{Processed: 130, Confirmed: 128, Finalized: 100},
		accounts:   map[solana.Pubkey]Account{},
		blockhash:  solana.HashOf([]byte("blockhash")),
		identity:   id,
		statuses:   map[solana.Signature]*SignatureStatus{},
		faucet:     true,
		blocks:     map[uint64]Block{},
		skipped:    map[uint64]bool{},
		events:     make(chan Event, 64),
		subscribed: make(chan struct{}),
	}
	other := solana.KeypairFromSeed([32]byte{2}).Pubkey()
	for i := 0; i < 32; i++ {
		if i/4%2 == 0 {
			f.schedule = append(f.schedule, id.Pubkey())
		} else {
			f.schedule = append(f.schedule, other)
		}
	}
	return f
}

type fakeBank struct {
	f    *fakeBackend
	slot uint64
}

func (f *fakeBackend) Bank(c Commitment) Bank {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fakeBank{f, f.slots[c]}
}

func (b fakeBank) Slot() uint64             { return b.slot }
func (b fakeBank) BlockHeight() uint64      { return b.slot - 3 }
func (b fakeBank) TransactionCount() uint64 { return b.slot * 10 }
func (b fakeBank) Account(pk solana.Pubkey) (Account, bool) {
	b.f.mu.Lock()
	defer b.f.mu.Unlock()
	a, ok := b.f.accounts[pk]
	a.Data = append([]byte(nil), a.Data...)
	return a, ok
}
func (b fakeBank) LatestBlockhash() (solana.Hash, uint64) {
	b.f.mu.Lock()
	defer b.f.mu.Unlock()
	return b.f.blockhash, b.BlockHeight() + 150
}
func (b fakeBank) IsBlockhashValid(h solana.Hash) bool {
	b.f.mu.Lock()
	defer b.f.mu.Unlock()
	return h == b.f.blockhash
}
func (b fakeBank) Simulate(tx solana.Transaction) SimulationResult {
	b.f.mu.Lock()
	defer b.f.mu.Unlock()
	if b.f.simErr != nil {
		return SimulationResult{Err: b.f.simErr, Logs: []string{"Program 11111111111111111111111111111111 failed"}}
	}
	if tx.Message.RecentBlockhash != b.f.blockhash {
		return SimulationResult{Err: "BlockhashNotFound"}
	}
	return SimulationResult{Logs: []string{"Program 11111111111111111111111111111111 invoke [1]",
		"Program 11111111111111111111111111111111 success"}, UnitsConsumed: 150}
}

func (f *fakeBackend) Health() Health {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.health
}
func (f *fakeBackend) Identity() solana.Pubkey  { return f.identity.Pubkey() }
func (f *fakeBackend) GenesisHash() solana.Hash { return solana.HashOf([]byte("genesis")) }
func (f *fakeBackend) Version() Version         { return Version{SolanaCore: "2.2.0", FeatureSet: 3746818610} }
func (f *fakeBackend) EpochSchedule() EpochSchedule {
	return EpochSchedule{SlotsPerEpoch: 32, LeaderScheduleSlotOffset: 32}
}
func (f *fakeBackend) LeaderSchedule(epoch uint64) ([]solana.Pubkey, bool) {
	if epoch > 5 {
		return nil, false
	}
	return f.schedule, true
}
func (f *fakeBackend) ClusterNodes() []ContactInfo {
	ap := func(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
	return []ContactInfo{
		{Pubkey: f.identity.Pubkey(), Gossip: ap("127.0.0.1:8001"), TVU: ap("127.0.0.1:8004"), TPUQuic: ap("127.0.0.1:8009"),
			RPC: ap("127.0.0.1:8899"), PubSub: ap("127.0.0.1:8900"), Version: "2.2.0", FeatureSet: 3746818610, ShredVersion: 4242},
		{Pubkey: solana.KeypairFromSeed([32]byte{2}).Pubkey(), Gossip: ap("127.0.0.2:8001"), ShredVersion: 4242},
	}
}
func (f *fakeBackend) VoteAccounts(Commitment) []VoteAccount {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]VoteAccount(nil), f.votes...)
}
func (f *fakeBackend) SignatureStatuses(sigs []solana.Signature, _ bool) []*SignatureStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]*SignatureStatus, len(sigs))
	for i, s := range sigs {
		if st, ok := f.statuses[s]; ok {
			cp := *st
			out[i] = &cp
		}
	}
	return out
}
func (f *fakeBackend) PerformanceSamples(limit int) []PerformanceSample {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]PerformanceSample(nil), f.samples[:min(limit, len(f.samples))]...)
}
func (f *fakeBackend) Block(slot uint64, c Commitment) (Block, BlockStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case slot < 10:
		return Block{}, BlockCleanedUp
	case slot > f.slots[c]:
		return Block{}, BlockNotAvailable
	case f.skipped[slot]:
		return Block{}, BlockSkipped
	}
	b, ok := f.blocks[slot]
	if !ok {
		return Block{}, BlockSkipped
	}
	return b, BlockOK
}
func (f *fakeBackend) Blocks(start, end uint64, _ Commitment) []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []uint64
	for s := start; s <= end; s++ {
		if !f.skipped[s] {
			out = append(out, s)
		}
	}
	return out
}
func (f *fakeBackend) FirstAvailableBlock() uint64       { return 10 }
func (f *fakeBackend) MinimumLedgerSlot() (uint64, bool) { return 10, true }
func (f *fakeBackend) SendTransaction(_ context.Context, tx solana.Transaction, _ []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, tx)
	return nil
}
func (f *fakeBackend) RequestAirdrop(_ context.Context, to solana.Pubkey, lamports uint64) (solana.Signature, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.faucet {
		return solana.Signature{}, ErrNoFaucet
	}
	a := f.accounts[to]
	a.Lamports += lamports
	f.accounts[to] = a
	return f.identity.Sign(to[:]), nil
}
func (f *fakeBackend) Tower() TowerState {
	root, last := uint64(90), uint64(129)
	return TowerState{Votes: []TowerVote{{127, 3}, {128, 2}, {129, 1}}, Root: &root, LastVote: &last}
}
func (f *fakeBackend) Stats() Stats {
	return Stats{VotesCast: 77, VotesReceived: 300, TransactionsProcessed: 1300, PeersConnected: 2, LiveForks: 1}
}
func (f *fakeBackend) Subscribe(ctx context.Context) <-chan Event {
	out := make(chan Event)
	go func() {
		defer close(out)
		close(f.subscribed)
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-f.events:
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

// setStatus records a signature status.
func (f *fakeBackend) setStatus(sig solana.Signature, st *SignatureStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.statuses[sig] = st
}
