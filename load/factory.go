package load

import (
	"context"
	"sync/atomic"
	"time"

	"slonui/solana"
)

// blockhash is one fetched blockhash with its own counter of transactions
// signed against it.
type blockhash struct {
	hash      solana.Hash
	lastValid uint64
	fetched   time.Time
	n         atomic.Uint64
}

// Tx is one signed transfer ready to send.
type Tx struct {
	Wire      []byte
	Sig       solana.Signature
	LastValid uint64 // last block height its blockhash is valid at, 0 = unknown
	bh        *blockhash
}

// factory signs transfers between the funded accounts so that no two
// transactions against one blockhash are alike: the n-th one signed
// against a blockhash is paid by account n mod A and moves 1 + n div A
// lamports to the next account, so (payer, lamports) never repeats.
type factory struct {
	accounts []solana.Keypair
	cur      atomic.Pointer[blockhash]
}

// setBlockhash installs a freshly fetched blockhash; the same hash again
// keeps its counter, so uniqueness holds across refreshes.
func (f *factory) setBlockhash(h solana.Hash, lastValid uint64, now time.Time) {
	if old := f.cur.Load(); old != nil && old.hash == h {
		return
	}
	f.cur.Store(&blockhash{hash: h, lastValid: lastValid, fetched: now})
}

// make signs the next transfer.
func (f *factory) make() (Tx, error) {
	bh := f.cur.Load()
	n := bh.n.Add(1) - 1
	a := uint64(len(f.accounts))
	from := f.accounts[n%a]
	to := f.accounts[(n+1)%a].Pubkey()
	tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(from.Pubkey(), to, 1+n/a)}, bh.hash, from)
	if err != nil {
		return Tx{}, err
	}
	return Tx{Wire: tx.Marshal(), Sig: tx.ID(), LastValid: bh.lastValid, bh: bh}, nil
}

// stale reports whether tx was signed against a blockhash older than
// `after` relative to the current one.
func (f *factory) stale(tx Tx, after time.Duration) bool {
	cur := f.cur.Load()
	return tx.bh != cur && cur.fetched.Sub(tx.bh.fetched) > after
}

// pipeline signs ahead of the schedule into a buffer whose fill follows
// the current rate (lead seconds of it), so transactions wait little
// and their blockhash stays fresh.
type pipeline struct {
	f     *factory
	out   chan Tx
	clock Clock
	lead  func() int // how many signed transactions to keep ready
	errs  func(kind string)
}

func (p *pipeline) run(ctx context.Context) {
	for ctx.Err() == nil {
		if len(p.out) >= p.lead() {
			select {
			case <-ctx.Done():
				return
			case <-p.clock.After(5 * time.Millisecond):
			}
			continue
		}
		tx, err := p.f.make()
		if err != nil {
			p.errs("sign")
			continue
		}
		select {
		case p.out <- tx:
		case <-ctx.Done():
			return
		}
	}
}

// take returns a signed transaction: a fresh one from the buffer, or one
// signed at once when the buffer is empty.
func (p *pipeline) take(staleAfter time.Duration) (Tx, error) {
	for {
		select {
		case tx := <-p.out:
			if p.f.stale(tx, staleAfter) {
				continue
			}
			return tx, nil
		default:
			return p.f.make()
		}
	}
}
