package validator

import (
	"slonui/solana"
	"slonui/validator/core"
	"slonui/validator/rpcserver"
)

// bankView is the bank at one commitment as rpcserver.Bank. Each method is
// one core query under the core's mutex. The core answers for the bank at
// the commitment now, so a view held across a slot boundary reads the newer
// bank (the context slot stays the one Slot reported): a simplification the
// RPC layer tolerates because every reply is built within microseconds.
type bankView struct {
	n    *Node
	c    core.Commitment
	slot uint64
}

func (b *bankView) Slot() uint64 { return b.slot }

func (b *bankView) BlockHeight() uint64 {
	b.n.mu.Lock()
	defer b.n.mu.Unlock()
	return b.n.core.BlockHeight(b.c)
}

func (b *bankView) TransactionCount() uint64 {
	b.n.mu.Lock()
	defer b.n.mu.Unlock()
	return b.n.core.TransactionCount(b.c)
}

func (b *bankView) Account(pk solana.Pubkey) (rpcserver.Account, bool) {
	b.n.mu.Lock()
	a, ok, _ := b.n.core.Account(pk, b.c)
	b.n.mu.Unlock()
	if !ok {
		return rpcserver.Account{}, false
	}
	return rpcserver.Account{Lamports: a.Lamports, Owner: a.Owner, Data: a.Data, Executable: a.Executable}, true
}

func (b *bankView) LatestBlockhash() (solana.Hash, uint64) {
	b.n.mu.Lock()
	h, last, _ := b.n.core.LatestBlockhash(b.c)
	b.n.mu.Unlock()
	return h, last
}

func (b *bankView) IsBlockhashValid(h solana.Hash) bool {
	b.n.mu.Lock()
	ok, _ := b.n.core.IsBlockhashValid(h, b.c)
	b.n.mu.Unlock()
	return ok
}

func (b *bankView) Simulate(tx solana.Transaction) rpcserver.SimulationResult {
	b.n.mu.Lock()
	r := b.n.core.Simulate(&tx, b.c, false)
	b.n.mu.Unlock()
	return rpcserver.SimulationResult{Err: txErrJSON(r.Err), Logs: r.Logs, UnitsConsumed: r.Units}
}
