package validator

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"slonui/solana"
	"slonui/validator/core"
)

// A forward batch carries transactions this node verified to a leader in
// one datagram signed by this node's identity, so the leader checks one
// signature per batch instead of one per transaction (doc.go says what is
// verified where). Only a genesis validator's batch is trusted; anything
// else on the TVU port goes through core.UnmarshalMessage as before.
//
//	0xF7 | sender pubkey (32) | ed25519 signature (64) | count u16 | (len u16 | wire tx)…
//
// The signature covers the domain string, the genesis hash, the sender and
// everything after the signature, so a batch from another cluster or a
// batch altered on the way never verifies.

// forwardBatchKind is the first byte of a forward batch; core message kinds
// are small numbers and never take it.
const forwardBatchKind = 0xF7

// maxForwardBytes bounds one forward batch datagram.
const maxForwardBytes = 8192

const forwardHeader = 1 + 32 + 64 + 2

var forwardDomain = []byte("slonui forward batch v1")

// forwardSigned is the bytes a forward batch's signature covers.
func forwardSigned(genesis [32]byte, sender solana.Pubkey, body []byte) []byte {
	b := make([]byte, 0, len(forwardDomain)+32+32+len(body))
	b = append(b, forwardDomain...)
	b = append(b, genesis[:]...)
	b = append(b, sender[:]...)
	return append(b, body...)
}

// packForwards packs wire transactions into signed batches of at most
// maxForwardBytes each.
func packForwards(genesis [32]byte, id solana.Keypair, txs [][]byte) [][]byte {
	var out [][]byte
	sender := id.Pubkey()
	for len(txs) > 0 {
		body := make([]byte, 2, maxForwardBytes-forwardHeader+2)
		count := 0
		for len(txs) > 0 && len(body)+2+len(txs[0]) <= maxForwardBytes-forwardHeader+2 {
			body = binary.LittleEndian.AppendUint16(body, uint16(len(txs[0])))
			body = append(body, txs[0]...)
			txs = txs[1:]
			count++
		}
		if count == 0 { // a transaction larger than a batch: skip it
			txs = txs[1:]
			continue
		}
		binary.LittleEndian.PutUint16(body, uint16(count))
		sig := id.Sign(forwardSigned(genesis, sender, body))
		pkt := make([]byte, 0, forwardHeader-2+len(body))
		pkt = append(pkt, forwardBatchKind)
		pkt = append(pkt, sender[:]...)
		pkt = append(pkt, sig[:]...)
		out = append(out, append(pkt, body...))
	}
	return out
}

var errForwardBatch = errors.New("malformed forward batch")

// openForwards checks a forward batch's sender and signature and returns
// its transactions (aliasing pkt). known reports whether a pubkey may send
// forward batches (a genesis validator).
func openForwards(genesis [32]byte, pkt []byte, known func(solana.Pubkey) bool) ([][]byte, error) {
	if len(pkt) < forwardHeader || pkt[0] != forwardBatchKind {
		return nil, errForwardBatch
	}
	var sender solana.Pubkey
	copy(sender[:], pkt[1:33])
	var sig solana.Signature
	copy(sig[:], pkt[33:97])
	body := pkt[97:]
	if !known(sender) {
		return nil, fmt.Errorf("forward batch from %s: not a validator", sender.Short())
	}
	if !solana.Verify(sender, forwardSigned(genesis, sender, body), sig) {
		return nil, fmt.Errorf("forward batch from %s: %w", sender.Short(), core.ErrBadSignature)
	}
	count := int(binary.LittleEndian.Uint16(body))
	rest := body[2:]
	txs := make([][]byte, 0, count)
	for range count {
		if len(rest) < 2 {
			return nil, errForwardBatch
		}
		l := int(binary.LittleEndian.Uint16(rest))
		if len(rest) < 2+l {
			return nil, errForwardBatch
		}
		txs = append(txs, rest[2:2+l])
		rest = rest[2+l:]
	}
	if len(rest) != 0 {
		return nil, errForwardBatch
	}
	return txs, nil
}

// forwardLinger is the longest a transaction waits for others to the same
// leader, so one signed batch carries many (a batch costs the sender one
// signature and the leader one verification, whatever it holds).
const forwardLinger = 5 * time.Millisecond

// forwardFull is when a leader's waiting transactions are sent at once:
// one more of the largest might not fit the batch.
const forwardFull = maxForwardBytes - forwardHeader - 2 - solana.MaxTransactionSize

// forwardBuffer holds transactions on their way to leaders; the loop owns
// it. Its timer runs from the first transaction added after a flush.
type forwardBuffer struct {
	waiting map[solana.Pubkey]*leaderQueue
	timer   *time.Timer
	armed   bool
}

// leaderQueue is what waits for one leader.
type leaderQueue struct {
	txs  [][]byte
	size int // framed bytes
}

// add queues raw for leader to and reports whether its batch is full.
func (b *forwardBuffer) add(to solana.Pubkey, raw []byte) (full bool) {
	if b.waiting == nil {
		b.waiting = map[solana.Pubkey]*leaderQueue{}
	}
	q := b.waiting[to]
	if q == nil {
		q = &leaderQueue{}
		b.waiting[to] = q
	}
	q.txs = append(q.txs, raw)
	q.size += 2 + len(raw)
	if !b.armed {
		if b.timer == nil {
			b.timer = time.NewTimer(forwardLinger)
		} else {
			b.timer.Reset(forwardLinger)
		}
		b.armed = true
	}
	return q.size >= forwardFull
}

// take removes and returns what waits for leader to.
func (b *forwardBuffer) take(to solana.Pubkey) [][]byte {
	q := b.waiting[to]
	if q == nil {
		return nil
	}
	delete(b.waiting, to)
	return q.txs
}

// leaders lists the leaders with transactions waiting.
func (b *forwardBuffer) leaders() []solana.Pubkey {
	out := make([]solana.Pubkey, 0, len(b.waiting))
	for k := range b.waiting {
		out = append(out, k)
	}
	return out
}

// due fires when the linger of the oldest waiting transaction ends; nil
// (never ready) when nothing waits.
func (b *forwardBuffer) due() <-chan time.Time {
	if !b.armed {
		return nil
	}
	return b.timer.C
}

// fired records that due fired.
func (b *forwardBuffer) fired() { b.armed = false }
