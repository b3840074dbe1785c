package load

import (
	"context"
	"sync/atomic"

	"slonui/rpc"
	"slonui/solana"
)

// rpcSender sends with sendTransaction (skipPreflight), one JSON-RPC batch
// per call, round-robin over the nodes.
type rpcSender struct {
	clients []*rpc.Client
	next    atomic.Uint64
}

func newRPCSender(clients []*rpc.Client) *rpcSender { return &rpcSender{clients: clients} }

func (s *rpcSender) Send(ctx context.Context, txs []Tx) []error {
	c := s.clients[(s.next.Add(1)-1)%uint64(len(s.clients))]
	errs := make([]error, len(txs))
	if len(txs) == 1 {
		_, errs[0] = c.SendTransaction(ctx, txs[0].Wire, rpc.SendOptions{SkipPreflight: true})
		return errs
	}
	b := c.NewBatch()
	calls := make([]*rpc.BatchCall, len(txs))
	out := make([]string, len(txs))
	for i, tx := range txs {
		calls[i] = b.SendTransaction(tx.Wire, rpc.SendOptions{SkipPreflight: true}, &out[i])
	}
	if err := b.Do(ctx); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	for i, call := range calls {
		errs[i] = call.Err
		if call.Err == nil {
			if _, err := solana.ParseSignature(out[i]); err != nil {
				errs[i] = err
			}
		}
	}
	return errs
}

func (s *rpcSender) Close() error {
	for _, c := range s.clients {
		c.Close()
	}
	return nil
}
