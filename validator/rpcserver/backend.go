package rpcserver

import (
	"context"
	"errors"
	"net/netip"

	"slonui/solana"
)

// Commitment is a commitment level as named on the wire.
type Commitment string

// The three commitment levels Agave 2.x accepts.
const (
	Processed Commitment = "processed"
	Confirmed Commitment = "confirmed"
	Finalized Commitment = "finalized"
)

// Backend is what the server needs from the validator. Every method is called
// from many goroutines at once and must be safe for concurrent use. Unless a
// method takes a context, it must not block (no network, no waiting for a
// lock held across I/O) and must return values the caller may keep (copies,
// or slices the backend never modifies again).
type Backend interface {
	// Bank returns a read-only view of the bank at commitment c: processed =
	// the bank this node works on (heaviest fork), confirmed = the highest
	// optimistically confirmed bank, finalized = the bank at the highest
	// super-majority root. A node that has nothing at that level yet returns
	// its genesis bank (slot 0). The view must stay consistent while the
	// caller uses it (a frozen bank).
	Bank(c Commitment) Bank

	// Health reports whether this node keeps up with the cluster (Agave's
	// rpc_health: ok, behind by n slots, or unknown when nothing is confirmed).
	Health() Health

	// Identity is the node's identity pubkey.
	Identity() solana.Pubkey
	// GenesisHash is the hash of the cluster's genesis.
	GenesisHash() solana.Hash
	// Version is what getVersion reports.
	Version() Version
	// EpochSchedule is the cluster's epoch schedule (constant).
	EpochSchedule() EpochSchedule

	// LeaderSchedule returns the leader of every slot of epoch (index i is the
	// epoch's first slot + i), or ok=false when the node cannot compute that
	// epoch's schedule. The slice is read-only for the caller.
	LeaderSchedule(epoch uint64) (leaders []solana.Pubkey, ok bool)

	// ClusterNodes lists every gossip peer with this node's shred version,
	// this node included.
	ClusterNodes() []ContactInfo

	// VoteAccounts lists every vote account known in the bank at commitment c,
	// delinquent or not; the server applies the delinquency rule and filters.
	VoteAccounts(c Commitment) []VoteAccount

	// SignatureStatuses returns one entry per signature, in order, nil when
	// the signature is unknown. Lookup follows PROTOCOL.md §1.5: the processed
	// bank's status cache, plus the rooted ledger when searchHistory is set.
	SignatureStatuses(sigs []solana.Signature, searchHistory bool) []*SignatureStatus

	// PerformanceSamples returns at most limit samples, newest first.
	PerformanceSamples(limit int) []PerformanceSample

	// Block returns the block at slot as seen at commitment c (Confirmed or
	// Finalized). status says why there is none: BlockNotAvailable (not yet at
	// that commitment), BlockSkipped (no block was produced or it is on a dead
	// fork), BlockCleanedUp (below the ledger's floor).
	Block(slot uint64, c Commitment) (Block, BlockStatus)
	// Blocks returns, in ascending order, the slots in [start, end] that hold
	// a block on the chain of the bank at commitment c. The server has
	// already capped end at that bank's slot and limited the range.
	Blocks(start, end uint64, c Commitment) []uint64
	// FirstAvailableBlock is the lowest slot with a block in the ledger, 0 if none.
	FirstAvailableBlock() uint64
	// MinimumLedgerSlot is the lowest slot the ledger knows, ok=false when empty.
	MinimumLedgerSlot() (slot uint64, ok bool)

	// SendTransaction hands a sanitized transaction (tx decoded from wire) to
	// the node for forwarding and processing. The server has already run the
	// preflight checks the request asked for. An error that is an *Error is
	// passed to the client as is; any other error becomes -32603.
	SendTransaction(ctx context.Context, tx solana.Transaction, wire []byte) error

	// RequestAirdrop sends lamports from the faucet to `to` in a real
	// transaction and returns its signature. ErrNoFaucet when the node has no
	// faucet (the server answers -32600, as Agave does); an *Error is passed on.
	RequestAirdrop(ctx context.Context, to solana.Pubkey, lamports uint64) (solana.Signature, error)

	// Tower is this node's vote tower, for /api/v1/tower_state.
	Tower() TowerState
	// Stats are the counters /api/v1/metrics reports.
	Stats() Stats

	// Subscribe returns a channel of chain events for pubsub. The backend
	// sends without blocking: when the channel is full it drops the event
	// (the server recovers: pending signature subscriptions are re-checked on
	// every event). The channel is closed after ctx is done.
	Subscribe(ctx context.Context) <-chan Event
}

// Bank is a frozen bank at one slot. Its methods must not block.
type Bank interface {
	// Slot is the bank's slot (the context slot of replies).
	Slot() uint64
	// BlockHeight counts the non-skipped blocks since genesis (genesis = 0).
	BlockHeight() uint64
	// TransactionCount counts the transactions processed up to this bank.
	TransactionCount() uint64
	// Account returns the account at pubkey, ok=false when it does not exist
	// (zero lamports). Data is a copy.
	Account(pubkey solana.Pubkey) (acct Account, ok bool)
	// LatestBlockhash is the bank's newest blockhash and the last block
	// height at which a transaction using it is still accepted.
	LatestBlockhash() (hash solana.Hash, lastValidBlockHeight uint64)
	// IsBlockhashValid reports whether h is among the last 150 blockhashes.
	IsBlockhashValid(h solana.Hash) bool
	// Simulate executes tx on top of this bank without committing anything
	// (fee, balances, status cache: AlreadyProcessed, BlockhashNotFound ...).
	// Signatures are checked by the server, not here.
	Simulate(tx solana.Transaction) SimulationResult
}

// ErrNoFaucet is returned by RequestAirdrop when the node has no faucet.
var ErrNoFaucet = errors.New("rpcserver: no faucet configured")

// HealthStatus is the state /health and getHealth report.
type HealthStatus int

// Health states.
const (
	HealthOK HealthStatus = iota
	HealthBehind
	HealthUnknown
)

// Health is Agave's RpcHealthStatus.
type Health struct {
	Status      HealthStatus
	SlotsBehind uint64 // with HealthBehind
}

// Version is getVersion's result.
type Version struct {
	SolanaCore string
	FeatureSet uint32
}

// ContactInfo is one gossip peer. A zero AddrPort is reported as null.
type ContactInfo struct {
	Pubkey                                 solana.Pubkey
	Gossip, TVU, TPU, TPUQuic, TPUForwards netip.AddrPort
	TPUForwardsQuic, TPUVote, ServeRepair  netip.AddrPort
	RPC, PubSub                            netip.AddrPort
	Version                                string // "" is null
	FeatureSet                             uint32
	ShredVersion                           uint16
	ClientID                               *uint16 // nil is null
}

// VoteAccount is one vote account as the bank knows it.
type VoteAccount struct {
	VotePubkey       solana.Pubkey
	NodePubkey       solana.Pubkey
	ActivatedStake   uint64
	Commission       uint8
	EpochVoteAccount bool
	EpochCredits     [][3]uint64 // [epoch, credits, previousCredits], oldest first
	LastVote         uint64
	RootSlot         uint64
}

// SignatureStatus is one entry of getSignatureStatuses.
type SignatureStatus struct {
	Slot uint64
	// Confirmations is nil when the slot is rooted at or below the highest
	// super-majority root, else the confirmation count (PROTOCOL.md §1.5).
	Confirmations *uint64
	// Err is nil, or a TransactionError in its JSON form: a string for unit
	// variants ("BlockhashNotFound") or a map for tuple variants
	// (map[string]any{"InstructionError": []any{0, map[string]any{"Custom": 1}}}).
	Err any
	// ConfirmationStatus is Processed, Confirmed or Finalized.
	ConfirmationStatus Commitment
}

// PerformanceSample is one entry of getRecentPerformanceSamples.
type PerformanceSample struct {
	Slot                   uint64
	NumTransactions        uint64
	NumNonVoteTransactions uint64
	NumSlots               uint64
	SamplePeriodSecs       uint16
}

// Account is an account's state.
type Account struct {
	Lamports   uint64
	Owner      solana.Pubkey
	Data       []byte
	Executable bool
	RentEpoch  uint64
}

// SimulationResult is the outcome of executing a transaction without committing.
type SimulationResult struct {
	Err           any // nil or a TransactionError in JSON form (see SignatureStatus.Err)
	Logs          []string
	UnitsConsumed uint64
	// PostAccounts holds the accounts the transaction wrote, as they are
	// after execution (simulateTransaction's accounts option); optional.
	PostAccounts map[solana.Pubkey]Account
}

// BlockStatus says why Block returned no block.
type BlockStatus int

// Block statuses.
const (
	BlockOK BlockStatus = iota
	BlockNotAvailable
	BlockSkipped
	BlockCleanedUp
)

// Block is a confirmed block.
type Block struct {
	Blockhash         solana.Hash
	PreviousBlockhash solana.Hash
	ParentSlot        uint64
	BlockTime         *int64  // unix seconds, nil if unknown
	BlockHeight       *uint64 // nil if unknown
	Transactions      []BlockTransaction
	Rewards           []Reward
}

// BlockTransaction is a transaction in a block with its execution meta.
type BlockTransaction struct {
	Tx           solana.Transaction
	Wire         []byte
	Err          any // nil or a TransactionError in JSON form
	Fee          uint64
	PreBalances  []uint64 // one per account key
	PostBalances []uint64
	LogMessages  []string
	ComputeUnits uint64
}

// Reward is one block reward.
type Reward struct {
	Pubkey      solana.Pubkey
	Lamports    int64
	PostBalance uint64
	RewardType  string // "fee", "rent", "staking", "voting"
	Commission  *uint8
}

// TowerState is the node's vote tower.
type TowerState struct {
	Votes    []TowerVote // oldest first
	Root     *uint64
	LastVote *uint64
}

// TowerVote is one vote in the tower.
type TowerVote struct {
	Slot              uint64
	ConfirmationCount uint32
}

// Stats are the node counters of /api/v1/metrics.
type Stats struct {
	VotesCast             uint64
	VotesReceived         uint64
	TransactionsProcessed uint64
	PeersConnected        int
	LiveForks             int
	SkippedSlots          uint64
	UptimeSeconds         float64
}

// EventKind says what an Event reports.
type EventKind int

// Event kinds.
const (
	// EventSlot: the node created the bank for Slot (Parent, Root set).
	EventSlot EventKind = iota + 1
	// EventRoot: the node's root moved to Root.
	EventRoot
	// EventCommitment: the confirmed or finalized slot moved.
	EventCommitment
	// EventSignatureReceived: Signature entered this node (RPC or TPU).
	EventSignatureReceived
)

// Event is one chain event for pubsub.
type Event struct {
	Kind      EventKind
	Slot      uint64
	Parent    uint64
	Root      uint64
	Signature solana.Signature
}

// VerifiedSender is an optional Backend method: sendTransaction calls it
// instead of SendTransaction for a transaction whose signatures preflight
// has already checked, so a backend that checks them itself need not check
// them twice.
type VerifiedSender interface {
	SendVerifiedTransaction(ctx context.Context, tx solana.Transaction, wire []byte) error
}
