package core

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"sort"

	"slonui/solana"
)

// Bank constants.
const (
	LamportsPerSignature = 5000
	MaxProcessingAge     = 150 // a blockhash is valid while its age ≤ 150 blocks
	MaxRecentBlockhashes = 300 // rooted blockhashes kept
	statusCacheSlots     = 300 // rooted slots whose signatures are kept
)

// Account is an account's state.
type Account struct {
	Lamports   uint64
	Owner      solana.Pubkey
	Data       []byte
	Executable bool
}

func (a *Account) clone() Account {
	c := *a
	c.Data = append([]byte(nil), a.Data...)
	return c
}

// TxRecord is one landed transaction: it paid its fee and has a status.
type TxRecord struct {
	Signature solana.Signature
	Raw       []byte   // wire form
	Err       *TxError // nil when it succeeded
	Fee       uint64
	Slot      uint64
}

// bank is the state of one slot over its parent. The root bank holds every
// account (its parent is nil) plus the rooted blockhash queue and status
// cache.
type bank struct {
	slot, parentSlot uint64
	parent           *bank
	leader           solana.Pubkey
	accounts         map[solana.Pubkey]Account // changes over parent (root: all)
	sigs             map[solana.Signature]int  // index into txs
	txs              []TxRecord
	lastEntry        solana.Hash // running entry hash
	blockhash        solana.Hash // last entry hash, once frozen
	parentBlockhash  solana.Hash
	bankHash         solana.Hash
	height           uint64 // block height: parent's + 1
	txCount          uint64 // cumulative landed transactions
	blockTimeMs      int64  // leader's slot start time
	frozen           bool
	pieces           []*BlockPiece // the block as sent, for repair
	unrooted         sigIndex      // shared by every bank of the node; nil in scratch banks

	// root-only state
	rootedHashes map[solana.Hash]uint64 // blockhash → height
	rootedSigs   *statusCache           // signature → where it landed
	validHashes  map[solana.Hash]bool   // per-block cache of blockhash checks
}

// sigIndex holds every signature recorded in a bank above the root, with
// the highest slot it was recorded at. A signature it lacks is in no
// unrooted bank, so findSig need not look it up in each bank of the fork
// (a fork is ~32 banks deep while the root trails the tip). It may hold
// signatures of banks already pruned (never the reverse): setRoot drops
// those of the squashed banks, and every 64 slots those below the root.
type sigIndex map[solana.Signature]uint64

type rootedSig struct {
	slot uint64
	err  *TxError
}

// statusCache holds the signatures of the rooted banks of the last
// statusCacheSlots slots, in generations of statusWindow slots each, so
// that forgetting the oldest is dropping a map rather than walking one:
// at 10,000 transactions/s the cache holds over a million signatures, and
// walking them every 64 slots held the node's loop for ~100 ms. A lookup
// reads the few generations newest first and ignores an entry older than
// statusCacheSlots, so what it answers does not depend on when a
// generation is dropped.
type statusCache struct {
	gens []statusGen // oldest first
}

type statusGen struct {
	window uint64 // slot / statusWindow
	sigs   map[solana.Signature]rootedSig
}

// statusWindow is the slots of one statusCache generation.
const statusWindow = statusCacheSlots / 4

func newStatusCache() *statusCache { return &statusCache{} }

// add records sig as landed in rs.slot; slots come in ascending order (the
// order banks are rooted in).
func (c *statusCache) add(sig solana.Signature, rs rootedSig) {
	w := rs.slot / statusWindow
	if n := len(c.gens); n == 0 || c.gens[n-1].window < w {
		c.gens = append(c.gens, statusGen{window: w, sigs: map[solana.Signature]rootedSig{}})
	}
	c.gens[len(c.gens)-1].sigs[sig] = rs
}

// get finds sig as seen from a root at slot root.
func (c *statusCache) get(sig solana.Signature, root uint64) (rootedSig, bool) {
	for i := len(c.gens) - 1; i >= 0; i-- {
		if rs, ok := c.gens[i].sigs[sig]; ok {
			return rs, rs.slot+statusCacheSlots >= root
		}
	}
	return rootedSig{}, false
}

// prune drops the generations that hold only slots older than
// statusCacheSlots before root.
func (c *statusCache) prune(root uint64) {
	k := 0
	for k < len(c.gens) && (c.gens[k].window+1)*statusWindow+statusCacheSlots <= root {
		k++
	}
	if k > 0 {
		c.gens = append(c.gens[:0:0], c.gens[k:]...)
	}
}

// SlotStartHash is where the entry hash chain of the block for slot starts
// when it is built on a parent whose block hash is parentBlockhash. Solana's
// leader hashes PoH ticks through every slot since its parent, so the same
// transactions in another slot give another block hash; mixing the slot in
// here does that for the devnet, which has no PoH ticks to grind. Without it,
// two empty blocks on one parent (one per side of a partition) had the same
// block hash and bank hash, and a blockhash from one fork checked as valid on
// the other.
func SlotStartHash(parentBlockhash solana.Hash, slot uint64) solana.Hash {
	var le [8]byte
	binary.LittleEndian.PutUint64(le[:], slot)
	return solana.HashOf(parentBlockhash[:], le[:])
}

func newChildBank(parent *bank, slot uint64, leader solana.Pubkey, startMs int64) *bank {
	return &bank{
		slot:            slot,
		parentSlot:      parent.slot,
		parent:          parent,
		unrooted:        parent.unrooted,
		leader:          leader,
		accounts:        map[solana.Pubkey]Account{},
		sigs:            map[solana.Signature]int{},
		lastEntry:       SlotStartHash(parent.blockhash, slot),
		parentBlockhash: parent.blockhash,
		height:          parent.height + 1,
		txCount:         parent.txCount,
		blockTimeMs:     startMs,
	}
}

// account looks pk up on b's fork.
func (b *bank) account(pk solana.Pubkey) (Account, bool) {
	for x := b; x != nil; x = x.parent {
		if a, ok := x.accounts[pk]; ok {
			return a, a.Lamports > 0 || len(a.Data) > 0 || a.Executable
		}
	}
	return Account{}, false
}

// blockhashHeight returns the height at which h became a blockhash on b's
// fork (b's own blockhash counts once b is frozen).
func (b *bank) blockhashHeight(h solana.Hash) (uint64, bool) {
	for x := b; x != nil; x = x.parent {
		if x.frozen && x.blockhash == h {
			return x.height, true
		}
		if x.parent == nil {
			ht, ok := x.rootedHashes[h]
			return ht, ok
		}
	}
	return 0, false
}

// blockhashValid reports whether a transaction with blockhash h may land in b.
func (b *bank) blockhashValid(h solana.Hash) bool {
	if v, ok := b.validHashes[h]; ok {
		return v
	}
	ht, ok := b.blockhashHeight(h)
	v := ok && b.height <= ht+MaxProcessingAge
	if b.validHashes == nil {
		b.validHashes = map[solana.Hash]bool{}
	}
	b.validHashes[h] = v
	return v
}

// findSig looks a signature up in the status cache of b's fork. With the
// node's sigIndex it looks only in banks at or below the highest slot the
// signature was recorded at (usually just that one bank) and in the root.
// At the root it reads rootedSigs only: setRoot put the root's own
// transactions there too.
func (b *bank) findSig(sig solana.Signature) (slot uint64, err *TxError, ok bool) {
	top, maybe := b.unrooted[sig]
	indexed := b.unrooted != nil
	for x := b; x != nil; x = x.parent {
		if x.parent == nil {
			if r, found := x.rootedSigs.get(sig, x.slot); found {
				return r.slot, r.err, true
			}
			break
		}
		if indexed && (!maybe || x.slot >= top) {
			continue // top is slot+1 of the highest bank holding it
		}
		if i, found := x.sigs[sig]; found {
			return x.slot, x.txs[i].Err, true
		}
	}
	return 0, nil, false
}

// freeze fixes the blockhash and computes the bank hash:
// SHA-256(parent bank hash ‖ blockhash ‖ SHA-256 of changed accounts sorted).
func (b *bank) freeze() {
	b.blockhash = b.lastEntry
	keys := make([]solana.Pubkey, 0, len(b.accounts))
	for k := range b.accounts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i][:], keys[j][:]) < 0 })
	h := sha256.New()
	var n [8]byte
	for _, k := range keys {
		a := b.accounts[k]
		h.Write(k[:])
		binary.LittleEndian.PutUint64(n[:], a.Lamports)
		h.Write(n[:])
		h.Write(a.Owner[:])
		binary.LittleEndian.PutUint64(n[:], uint64(len(a.Data)))
		h.Write(n[:])
		h.Write(a.Data)
	}
	var acc solana.Hash
	h.Sum(acc[:0])
	var parentHash solana.Hash
	if b.parent != nil {
		parentHash = b.parent.bankHash
	}
	b.bankHash = solana.HashOf(parentHash[:], b.blockhash[:], acc[:])
	b.frozen = true
	b.validHashes = nil
}
