package validator

import (
	"encoding/binary"
	"errors"
	"fmt"

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
