package core

import (
	"encoding/binary"
	"errors"
	"fmt"

	"slonui/solana"
)

// EventKind names something that happened inside the core.
type EventKind uint8

// Event kinds.
const (
	EventBankCreated   EventKind = iota + 1 // a bank for Slot (child of Parent) started (pubsub slotNotification)
	EventBankFrozen                         // Slot finished replay or production; Hash is its bank hash
	EventBlockProduced                      // this node finished its own block for Slot
	EventVoted                              // this node voted for Slot
	EventRoot                               // this node's tower root moved to Slot
	EventConfirmed                          // Slot became optimistically confirmed
	EventFinalized                          // Slot became the highest super-majority root
	EventDeadBlock                          // the block of Slot failed replay
	EventReset                              // the working fork moved to Slot (fork switch or new tip)
)

func (k EventKind) String() string {
	return [...]string{"?", "bank_created", "bank_frozen", "block_produced", "voted", "root", "confirmed", "finalized", "dead_block", "reset"}[min(int(k), 9)]
}

// Event is one notable step of the core.
type Event struct {
	Kind   EventKind
	Slot   uint64
	Parent uint64
	Hash   solana.Hash
	Detail string
}

// Ready is what the owner must act on after Tick or Step, in this order:
// persist Tower when it is non-nil, then send Messages, then use Events.
type Ready struct {
	Tower    *Tower
	Messages []Envelope
	Events   []Event
}

// Node is one validator's consensus core. See the package comment.
type Node struct {
	cfg         Config
	g           Genesis
	id          solana.Keypair
	me          solana.Pubkey
	myStake     uint64
	myIdx       int // index in vals, -1 when not a validator
	vals        []solana.Pubkey
	vidx        map[solana.Pubkey]int
	prefixTable []int32  // validator index + 1 by key prefix (see indexPrefixes)
	stakes      []uint64 // by validator index
	total       uint64
	sched       scheduleCache
	genesisHash solana.Hash

	now        int64
	startedMs  int64  // the first Tick's time (-1 before it)
	slot       uint64 // the slot running at now
	banks      map[uint64]*bank
	root       *bank
	fc         *ForkChoice
	tower      Tower
	resetSlot  uint64 // the bank the node works on (processed)
	votedDirty bool   // fork choice inputs changed since the last vote decision
	decidedMs  int64  // when decide last ran
	voteSentMs int64  // when this node last sent its latest vote

	latest      []*Vote           // latest vote per validator index (highest slot)
	latestSlot  []uint64          // its slot, kept apart: read for every vote received
	maxVoteSlot uint64            // highest slot another validator voted for
	tally       map[uint64]*tally // optimistic confirmation tallies by slot
	confirmed   uint64
	hsmr        uint64 // highest super-majority root
	hsmrDirty   bool
	hsmrMs      int64 // when hsmr was last computed

	pending map[uint64]*pendingBlock
	dead    map[uint64]bool
	wanted  map[uint64]want // slots to repair (orphan parents, slots voted for)
	gaveUp  map[uint64]bool // slots repair could not fetch in maxRepairAsks tries
	history *blockHistory

	producing *bank
	prodBuf   []byte
	prodIndex uint32
	produced  map[uint64]bool
	txQueue   []queuedTx

	out   Ready
	stats Stats
}

// tally counts the stake whose latest vote was exactly (slot, hash).
// Only the first hash seen for a slot is counted (duplicate blocks are not
// resolved by this devnet).
type tally struct {
	hash   solana.Hash
	voters []bool
	stake  uint64
}

type queuedTx struct {
	tx  solana.Transaction
	raw []byte
}

// ErrBadSignature is returned for a transaction, vote or block piece
// whose signature does not verify. (An identity that is not a genesis
// validator is allowed: it follows the cluster without voting.)
var ErrBadSignature = errors.New("core: signature verification failed")

// New builds a node at genesis (restoring cfg.Tower when set).
func New(cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g := cfg.Genesis
	n := &Node{
		cfg:         cfg,
		g:           g,
		id:          cfg.Identity,
		me:          cfg.Identity.Pubkey(),
		vidx:        map[solana.Pubkey]int{},
		startedMs:   -1,
		myIdx:       -1,
		sched:       scheduleCache{g: g},
		genesisHash: g.Hash(),
		banks:       map[uint64]*bank{},
		latest:      make([]*Vote, len(g.Validators)),
		latestSlot:  make([]uint64, len(g.Validators)),
		tally:       map[uint64]*tally{},
		pending:     map[uint64]*pendingBlock{},
		dead:        map[uint64]bool{},
		wanted:      map[uint64]want{},
		gaveUp:      map[uint64]bool{},
		produced:    map[uint64]bool{},
		history:     newBlockHistory(cfg.BlockHistory, cfg.HistoryBytes),
	}
	for i, v := range g.Validators {
		n.vals = append(n.vals, v.Identity)
		n.vidx[v.Identity] = i
		n.stakes = append(n.stakes, v.Stake)
		n.total += v.Stake
	}
	n.indexPrefixes()
	if i, ok := n.vidx[n.me]; ok {
		n.myIdx, n.myStake = i, n.stakes[i]
	}
	n.root = n.genesisBank()
	n.banks[0] = n.root
	n.history.add(n.root.record())
	n.fc = NewForkChoice(0, n.stakes)
	if cfg.Tower != nil {
		n.tower = cfg.Tower.Clone()
	}
	return n, nil
}

func (n *Node) genesisBank() *bank {
	b := &bank{
		accounts:     map[solana.Pubkey]Account{},
		sigs:         map[solana.Signature]int{},
		rootedHashes: map[solana.Hash]uint64{},
		rootedSigs:   newStatusCache(),
		unrooted:     sigIndex{},
		blockTimeMs:  n.g.CreationMs,
		lastEntry:    n.genesisHash,
	}
	for _, v := range n.g.Validators {
		if v.Lamports > 0 {
			b.accounts[v.Identity] = Account{Lamports: v.Lamports}
		}
	}
	if n.g.FaucetLamports > 0 {
		b.accounts[n.g.Faucet] = Account{Lamports: n.g.FaucetLamports}
	}
	b.freeze()
	b.rootedHashes[b.blockhash] = 0
	return b
}

// indexPrefixes builds the small open-addressing table validatorIndex
// uses: slots hold validator index + 1, placed by the key's first 8 bytes
// (keys are uniformly random), probing linearly.
func (n *Node) indexPrefixes() {
	size := 16
	for size < 4*len(n.vals) {
		size <<= 1
	}
	n.prefixTable = make([]int32, size)
	mask := uint64(size - 1)
	for i, pk := range n.vals {
		h := binary.LittleEndian.Uint64(pk[:8]) & mask
		for n.prefixTable[h] != 0 {
			h = (h + 1) & mask
		}
		n.prefixTable[h] = int32(i + 1)
	}
}

// validatorIndex finds a validator's index. It runs for every vote
// received, so it probes a small table that stays in cache instead of
// hashing a 32-byte key.
func (n *Node) validatorIndex(pk solana.Pubkey) (int, bool) {
	mask := uint64(len(n.prefixTable) - 1)
	h := binary.LittleEndian.Uint64(pk[:8]) & mask
	for {
		e := n.prefixTable[h]
		if e == 0 {
			return 0, false
		}
		if n.vals[e-1] == pk {
			return int(e - 1), true
		}
		h = (h + 1) & mask
	}
}

// Identity is this node's identity.
func (n *Node) Identity() solana.Pubkey { return n.me }

// GenesisHash is the hash of the genesis the node runs.
func (n *Node) GenesisHash() solana.Hash { return n.genesisHash }

// Genesis returns the genesis the node runs (validators slice copied).
func (n *Node) Genesis() Genesis {
	g := n.g
	g.Validators = append([]GenesisValidator(nil), g.Validators...)
	return g
}

// SlotStartMs is when slot s starts, in unix milliseconds.
func (n *Node) SlotStartMs(s uint64) int64 { return n.g.SlotStartMs(s) }

// Ready returns and clears the pending outputs.
func (n *Node) Ready() Ready {
	r := n.out
	n.out = Ready{}
	return r
}

// HasReady reports whether Ready has anything.
func (n *Node) HasReady() bool {
	return n.out.Tower != nil || len(n.out.Messages) > 0 || len(n.out.Events) > 0
}

func (n *Node) emit(e Event) { n.out.Events = append(n.out.Events, e) }

func (n *Node) send(to solana.Pubkey, m Message) {
	if to == n.me {
		return
	}
	n.out.Messages = append(n.out.Messages, Envelope{To: to, Msg: m})
}

func (n *Node) broadcast(m Message) {
	n.out.Messages = append(n.out.Messages, Envelope{Broadcast: true, Msg: m})
}

// Tick advances the node's clock to nowMs. It finishes and starts the
// node's own blocks, streams entries while it leads, retries repair and
// re-runs fork choice and the vote decision.
func (n *Node) Tick(nowMs int64) {
	if nowMs < n.now {
		return
	}
	n.now = nowMs
	if n.startedMs < 0 {
		n.startedMs = nowMs
	}
	n.slot = n.g.SlotAt(nowMs)
	n.produceTick()
	n.refreshCommitment()
	// Votes arrive all the time; re-deciding a few times per slot is enough
	// for them to move fork choice or release a threshold wait.
	if n.votedDirty && n.now-n.decidedMs >= n.g.SlotMs/4 {
		n.decide()
	}
	n.refreshVote()
	n.repairTick()
}

// Step feeds one message received from a peer.
func (n *Node) Step(m Message) error {
	switch m := m.(type) {
	case *BlockPiece:
		return n.onPiece(m)
	case *Vote:
		return n.onVote(m)
	case *TransactionMsg:
		_, err := n.acceptTransaction(m.Raw, false, n.cfg.VerifySignatures)
		return err
	case *RepairRequest:
		n.onRepair(m)
		return nil
	case nil:
		return errors.New("core: nil message")
	}
	return fmt.Errorf("core: unknown message %T", m)
}

// SubmitTransaction takes a wire transaction from a client (RPC or TPU):
// it decodes, sanitizes and (when configured) verifies it, then queues it
// when this node leads within the next two leader runs, and forwards it to
// the current and next leaders. It returns the transaction id.
func (n *Node) SubmitTransaction(raw []byte) (solana.Signature, error) {
	return n.acceptTransaction(raw, true, n.cfg.VerifySignatures)
}

// SubmitVerifiedTransaction is SubmitTransaction for a transaction whose
// signatures the caller has already checked (for instance on several
// goroutines, with solana.Transaction.VerifyMessage): the core does not
// check them again. With forward false it is only queued (a transaction a
// peer forwarded), as Step does with a TransactionMsg.
func (n *Node) SubmitVerifiedTransaction(raw []byte, forward bool) (solana.Signature, error) {
	return n.acceptTransaction(raw, forward, false)
}
