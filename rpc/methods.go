package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"slonui/solana"
)

// GetSlot is the slot at commitment c ("" leaves it to the node: finalized).
func (c *Client) GetSlot(ctx context.Context, cm Commitment) (uint64, error) {
	var n uint64
	return n, c.Call(ctx, "getSlot", commitmentParam(cm), &n)
}

// GetBlockHeight is the block height at commitment cm.
func (c *Client) GetBlockHeight(ctx context.Context, cm Commitment) (uint64, error) {
	var n uint64
	return n, c.Call(ctx, "getBlockHeight", commitmentParam(cm), &n)
}

// GetTransactionCount is the transaction count at commitment cm.
func (c *Client) GetTransactionCount(ctx context.Context, cm Commitment) (uint64, error) {
	var n uint64
	return n, c.Call(ctx, "getTransactionCount", commitmentParam(cm), &n)
}

// GetClusterNodes lists the nodes the node knows through gossip.
func (c *Client) GetClusterNodes(ctx context.Context) ([]ClusterNode, error) {
	var out []ClusterNode
	return out, c.Call(ctx, "getClusterNodes", nil, &out)
}

// GetVoteAccounts lists current and delinquent vote accounts.
func (c *Client) GetVoteAccounts(ctx context.Context, cm Commitment) (VoteAccounts, error) {
	var out VoteAccounts
	return out, c.Call(ctx, "getVoteAccounts", commitmentParam(cm), &out)
}

// GetLeaderSchedule returns identity → slot indices in the epoch of slot
// (nil slot: the current epoch); nil when the node has no schedule for it.
func (c *Client) GetLeaderSchedule(ctx context.Context, slot *uint64, cm Commitment) (map[string][]uint64, error) {
	var out map[string][]uint64
	params := []any{slot}
	if cm != "" {
		params = append(params, map[string]any{"commitment": cm})
	}
	if slot == nil && cm == "" {
		params = nil
	}
	return out, c.Call(ctx, "getLeaderSchedule", params, &out)
}

// GetSlotLeaders returns the leaders of slots start … start+limit-1.
func (c *Client) GetSlotLeaders(ctx context.Context, start, limit uint64) ([]string, error) {
	var out []string
	return out, c.Call(ctx, "getSlotLeaders", []any{start, limit}, &out)
}

// GetEpochInfo returns the epoch info at commitment cm.
func (c *Client) GetEpochInfo(ctx context.Context, cm Commitment) (EpochInfo, error) {
	var out EpochInfo
	return out, c.Call(ctx, "getEpochInfo", commitmentParam(cm), &out)
}

// GetIdentity returns the node's identity pubkey (base58).
func (c *Client) GetIdentity(ctx context.Context) (string, error) {
	var out struct {
		Identity string `json:"identity"`
	}
	return out.Identity, c.Call(ctx, "getIdentity", nil, &out)
}

// GetHealth asks getHealth. An unhealthy node is an answer, not an error:
// both Agave's -32005 error and slonana's result string are read into Health.
func (c *Client) GetHealth(ctx context.Context) (Health, error) {
	var s string
	err := c.Call(ctx, "getHealth", nil, &s)
	var e *Error
	switch {
	case err == nil:
		return Health{OK: s == "ok", Status: s}, nil
	case errors.As(err, &e) && e.Code == CodeNodeUnhealthy:
		h := Health{Status: "unhealthy"}
		var data struct {
			NumSlotsBehind *uint64 `json:"numSlotsBehind"`
		}
		if len(e.Data) > 0 && json.Unmarshal(e.Data, &data) == nil && data.NumSlotsBehind != nil {
			h.Status, h.SlotsBehind = "behind", data.NumSlotsBehind
		}
		return h, nil
	}
	return Health{}, err
}

// GetLatestBlockhash returns the newest blockhash at commitment cm.
func (c *Client) GetLatestBlockhash(ctx context.Context, cm Commitment) (Blockhash, error) {
	var out contextValue[struct {
		Blockhash            Hash   `json:"blockhash"`
		LastValidBlockHeight uint64 `json:"lastValidBlockHeight"`
	}]
	err := c.Call(ctx, "getLatestBlockhash", commitmentParam(cm), &out)
	return Blockhash{Slot: out.Context.Slot, Hash: solana.Hash(out.Value.Blockhash), LastValidBlockHeight: out.Value.LastValidBlockHeight}, err
}

// GetBalance returns the lamports of pk at commitment cm.
func (c *Client) GetBalance(ctx context.Context, pk solana.Pubkey, cm Commitment) (uint64, error) {
	var out contextValue[uint64]
	return out.Value, c.Call(ctx, "getBalance", append([]any{pk.String()}, commitmentParam(cm)...), &out)
}

// GetSignatureStatuses returns one status per signature (nil = unknown);
// at most 256 signatures per call.
func (c *Client) GetSignatureStatuses(ctx context.Context, sigs []solana.Signature, searchHistory bool) ([]*SignatureStatus, error) {
	out := statusesOut{n: len(sigs)}
	err := c.call(ctx, "getSignatureStatuses", func(buf []byte, id uint64) ([]byte, error) {
		return appendStatusesRequest(buf, id, sigs, searchHistory), nil
	}, &out)
	return out.cv.Value, err
}

// SendTransaction sends a signed wire transaction, base64-encoded, and
// returns the signature the node reports.
func (c *Client) SendTransaction(ctx context.Context, wire []byte, opt SendOptions) (solana.Signature, error) {
	return c.callSignature(ctx, "sendTransaction", sendParams(wire, opt))
}

// RequestAirdrop asks the node's faucet for lamports.
func (c *Client) RequestAirdrop(ctx context.Context, to solana.Pubkey, lamports uint64) (solana.Signature, error) {
	return c.callSignature(ctx, "requestAirdrop", []any{to.String(), lamports})
}

func (c *Client) callSignature(ctx context.Context, method string, params []any) (solana.Signature, error) {
	var s string
	if err := c.Call(ctx, method, params, &s); err != nil {
		return solana.Signature{}, err
	}
	sig, err := solana.ParseSignature(s)
	if err != nil {
		return sig, fmt.Errorf("rpc %s: %s: %w", c.url, method, err)
	}
	return sig, nil
}

// GetBlock returns the block at slot, nil when the node answers null.
func (c *Client) GetBlock(ctx context.Context, slot uint64, opt BlockOptions) (*Block, error) {
	details := opt.TransactionDetails
	if details == "" {
		details = "signatures"
	}
	cfg := map[string]any{"transactionDetails": details, "rewards": opt.Rewards, "maxSupportedTransactionVersion": 0}
	if opt.Commitment != "" {
		cfg["commitment"] = opt.Commitment
	}
	var out *Block
	return out, c.Call(ctx, "getBlock", []any{slot, cfg}, &out)
}

// GetGenesisHash returns the cluster's genesis hash (base58 or hex).
func (c *Client) GetGenesisHash(ctx context.Context) (solana.Hash, error) {
	var h Hash
	err := c.Call(ctx, "getGenesisHash", nil, &h)
	return solana.Hash(h), err
}

// GetVersion returns the node's version.
func (c *Client) GetVersion(ctx context.Context) (Version, error) {
	var v Version
	return v, c.Call(ctx, "getVersion", nil, &v)
}
