package validator

import (
	"context"
	"fmt"

	"slonui/solana"
	"slonui/validator/core"
	"slonui/validator/rpcserver"
)

// RequestAirdrop implements rpcserver.Backend: a real System transfer from
// the genesis faucet, signed with the faucet keypair, on the processed
// bank's latest blockhash, checked against that bank and submitted like
// any client transaction.
func (n *Node) RequestAirdrop(ctx context.Context, to solana.Pubkey, lamports uint64) (solana.Signature, error) {
	f := n.s.faucet
	if f == nil {
		return solana.Signature{}, rpcserver.ErrNoFaucet
	}
	n.mu.Lock()
	bh, _, _ := n.core.LatestBlockhash(core.Processed)
	n.mu.Unlock()
	tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(f.Pubkey(), to, lamports)}, bh, *f)
	if err != nil {
		return solana.Signature{}, fmt.Errorf("airdrop: %w", err)
	}
	wire := tx.Marshal()
	n.mu.Lock()
	sim := n.core.Simulate(&tx, core.Processed, false)
	n.mu.Unlock()
	if sim.Err != nil {
		return solana.Signature{}, &rpcserver.Error{Code: rpcserver.CodeInternalError,
			Message: fmt.Sprintf("airdrop request failed: %s", sim.Err.Error())}
	}
	return n.submit(ctx, wire)
}
