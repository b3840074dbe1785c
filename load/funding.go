package load

import (
	"context"
	"errors"
	"fmt"
	"time"

	"slonui/rpc"
	"slonui/solana"
)

// perSplit is how many accounts one funding transaction pays (16 transfer
// instructions keep it well under 1,232 bytes).
const perSplit = 16

// fundFee is what a funding payer keeps for its own transaction fee.
const fundFee = 1_000_000

// newAccounts makes n fresh keypairs.
func newAccounts(n int) ([]solana.Keypair, error) {
	out := make([]solana.Keypair, n)
	for i := range out {
		k, err := solana.NewKeypair()
		if err != nil {
			return nil, fmt.Errorf("load: new account: %w", err)
		}
		out[i] = k
	}
	return out, nil
}

// fund gives every account `each` lamports: one payer per perSplit
// accounts is funded by requestAirdrop, then pays its accounts in one
// transaction. It waits until every step is confirmed.
func fund(ctx context.Context, c *rpc.Client, clock Clock, accounts []solana.Keypair, each uint64) error {
	npay := (len(accounts) + perSplit - 1) / perSplit
	payers, err := newAccounts(npay)
	if err != nil {
		return err
	}
	var sigs []solana.Signature
	for i, p := range payers {
		n := min(perSplit, len(accounts)-i*perSplit)
		sig, err := c.RequestAirdrop(ctx, p.Pubkey(), uint64(n)*each+fundFee)
		if err != nil {
			return fmt.Errorf("load: fund: airdrop %d of %d: %w", i+1, npay, err)
		}
		sigs = append(sigs, sig)
	}
	if err := waitConfirmed(ctx, c, clock, sigs); err != nil {
		return fmt.Errorf("load: fund: airdrops: %w", err)
	}
	bh, err := c.GetLatestBlockhash(ctx, rpc.Confirmed)
	if err != nil {
		return fmt.Errorf("load: fund: blockhash: %w", err)
	}
	sigs = sigs[:0]
	for i, p := range payers {
		var ixs []solana.Instruction
		for _, a := range accounts[i*perSplit : min((i+1)*perSplit, len(accounts))] {
			ixs = append(ixs, solana.Transfer(p.Pubkey(), a.Pubkey(), each))
		}
		tx, err := solana.NewTransaction(ixs, bh.Hash, p)
		if err != nil {
			return fmt.Errorf("load: fund: split %d: %w", i+1, err)
		}
		sig, err := c.SendTransaction(ctx, tx.Marshal(), rpc.SendOptions{SkipPreflight: true})
		if err != nil {
			return fmt.Errorf("load: fund: split %d of %d: %w", i+1, npay, err)
		}
		sigs = append(sigs, sig)
	}
	if err := waitConfirmed(ctx, c, clock, sigs); err != nil {
		return fmt.Errorf("load: fund: splits: %w", err)
	}
	return nil
}

// errNotLanded is returned for a transaction that executed with an error.
var errNotLanded = errors.New("load: transaction failed")

// waitConfirmed polls getSignatureStatuses until every signature is
// confirmed (or finalized), one failed, or ctx ends.
func waitConfirmed(ctx context.Context, c *rpc.Client, clock Clock, sigs []solana.Signature) error {
	left := append([]solana.Signature(nil), sigs...)
	for len(left) > 0 {
		var still []solana.Signature
		for i := 0; i < len(left); i += 256 {
			chunk := left[i:min(i+256, len(left))]
			sts, err := c.GetSignatureStatuses(ctx, chunk, false)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				still = append(still, chunk...) // a transient error: ask again
				continue
			}
			for j, st := range sts {
				switch {
				case st == nil || (st.ConfirmationStatus != rpc.Confirmed && st.ConfirmationStatus != rpc.Finalized):
					still = append(still, chunk[j])
				case st.Failed():
					return fmt.Errorf("%w: %s: %s", errNotLanded, chunk[j], st.Err)
				}
			}
		}
		left = still
		if len(left) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d not confirmed: %w", len(left), len(sigs), ctx.Err())
		case <-clock.After(200 * time.Millisecond):
		}
	}
	return nil
}
