package rpcserver

import (
	"context"
	"encoding/base64"
	"fmt"

	"github.com/mr-tron/base58"
)

// blockConfig is RpcBlockConfig (or a bare encoding string, the legacy form).
type blockConfig struct {
	commitmentConfig
	Encoding                       *string `json:"encoding"`
	TransactionDetails             *string `json:"transactionDetails"`
	Rewards                        *bool   `json:"rewards"`
	MaxSupportedTransactionVersion *uint8  `json:"maxSupportedTransactionVersion"`
}

func (s *Server) getBlock(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	slot, err := p.u64(0)
	if err != nil {
		return nil, err
	}
	var cfg blockConfig
	if p.has(1) && len(p[1]) > 0 && p[1][0] == '"' {
		cfg.Encoding = new(string)
		err = p.decode(1, cfg.Encoding)
	} else {
		err = p.decode(1, &cfg)
	}
	if err != nil {
		return nil, err
	}
	c, err := cfg.level()
	if err != nil {
		return nil, err
	}
	if err := atLeastConfirmed(c); err != nil {
		return nil, err
	}
	enc := "json"
	if cfg.Encoding != nil {
		enc = *cfg.Encoding
	}
	switch enc {
	case "json", "jsonParsed", "base58", "base64", "binary":
	default:
		return nil, errParamsDecode("unknown variant `%s`, expected one of `binary`, `base64`, `base58`, `json`, `jsonParsed`", enc)
	}
	details := "full"
	if cfg.TransactionDetails != nil {
		details = *cfg.TransactionDetails
	}
	switch details {
	case "full", "accounts", "signatures", "none":
	default:
		return nil, errParamsDecode("unknown variant `%s`, expected one of `full`, `signatures`, `none`, `accounts`", details)
	}
	blk, st := s.b.Block(slot, c)
	switch st {
	case BlockNotAvailable:
		return nil, &Error{Code: CodeBlockNotAvailable, Message: fmt.Sprintf("Block not available for slot %d", slot)}
	case BlockSkipped:
		return nil, &Error{Code: CodeSlotSkipped, Message: fmt.Sprintf("Slot %d was skipped, or missing due to ledger jump to recent snapshot", slot)}
	case BlockCleanedUp:
		return nil, &Error{Code: CodeBlockCleanedUp, Message: fmt.Sprintf("Block %d cleaned up, does not exist on node. First available block: %d", slot, s.b.FirstAvailableBlock())}
	}
	withRewards := cfg.Rewards == nil || *cfg.Rewards
	return encodeBlock(blk, enc, details, withRewards, cfg.MaxSupportedTransactionVersion != nil), nil
}

// encodeBlock is UiConfirmedBlock; absent parts are left out of the JSON.
func encodeBlock(b Block, enc, details string, withRewards, withVersion bool) map[string]any {
	out := map[string]any{
		"blockhash":         b.Blockhash.String(),
		"previousBlockhash": b.PreviousBlockhash.String(),
		"parentSlot":        b.ParentSlot,
		"blockTime":         b.BlockTime,
		"blockHeight":       b.BlockHeight,
	}
	switch details {
	case "full", "accounts":
		txs := make([]map[string]any, 0, len(b.Transactions))
		for _, t := range b.Transactions {
			e := map[string]any{}
			if details == "full" {
				e["transaction"] = encodeTx(t, enc)
				e["meta"] = fullMeta(t)
			} else {
				e["transaction"] = accountsTx(t)
				e["meta"] = baseMeta(t)
			}
			if withVersion {
				e["version"] = "legacy"
			}
			txs = append(txs, e)
		}
		out["transactions"] = txs
	case "signatures":
		sigs := make([]string, 0, len(b.Transactions))
		for _, t := range b.Transactions {
			sigs = append(sigs, t.Tx.ID().String())
		}
		out["signatures"] = sigs
	}
	if withRewards {
		rw := make([]map[string]any, 0, len(b.Rewards))
		for _, r := range b.Rewards {
			rw = append(rw, map[string]any{"pubkey": r.Pubkey.String(), "lamports": r.Lamports,
				"postBalance": r.PostBalance, "rewardType": r.RewardType, "commission": r.Commission})
		}
		out["rewards"] = rw
	}
	return out
}

func encodeTx(t BlockTransaction, enc string) any {
	switch enc {
	case "base64":
		return [2]string{base64.StdEncoding.EncodeToString(t.Wire), "base64"}
	case "base58":
		return [2]string{base58.Encode(t.Wire), "base58"}
	case "binary":
		return base58.Encode(t.Wire)
	}
	m := t.Tx.Message
	keys := make([]string, len(m.AccountKeys))
	for i, k := range m.AccountKeys {
		keys[i] = k.String()
	}
	ixs := make([]map[string]any, len(m.Instructions))
	for i, ix := range m.Instructions {
		accts := make([]int, len(ix.Accounts))
		for j, a := range ix.Accounts {
			accts[j] = int(a)
		}
		ixs[i] = map[string]any{"programIdIndex": ix.ProgramIDIndex, "accounts": accts,
			"data": base58.Encode(ix.Data), "stackHeight": nil}
	}
	return map[string]any{
		"signatures": sigStrings(t),
		"message": map[string]any{
			"accountKeys": keys,
			"header": map[string]any{
				"numRequiredSignatures":       m.Header.NumRequiredSignatures,
				"numReadonlySignedAccounts":   m.Header.NumReadonlySignedAccounts,
				"numReadonlyUnsignedAccounts": m.Header.NumReadonlyUnsignedAccounts,
			},
			"recentBlockhash": m.RecentBlockhash.String(),
			"instructions":    ixs,
		},
	}
}

func sigStrings(t BlockTransaction) []string {
	out := make([]string, len(t.Tx.Signatures))
	for i, s := range t.Tx.Signatures {
		out[i] = s.String()
	}
	return out
}

func accountsTx(t BlockTransaction) any {
	m := t.Tx.Message
	keys := make([]map[string]any, len(m.AccountKeys))
	for i, k := range m.AccountKeys {
		keys[i] = map[string]any{"pubkey": k.String(), "writable": m.IsWritable(i),
			"signer": m.IsSigner(i), "source": "transaction"}
	}
	return map[string]any{"signatures": sigStrings(t), "accountKeys": keys}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func baseMeta(t BlockTransaction) map[string]any {
	return map[string]any{
		"err": t.Err, "status": statusField(t.Err), "fee": t.Fee,
		"preBalances": nonNil(t.PreBalances), "postBalances": nonNil(t.PostBalances),
		"preTokenBalances": []any{}, "postTokenBalances": []any{},
	}
}

func fullMeta(t BlockTransaction) map[string]any {
	m := baseMeta(t)
	m["innerInstructions"] = []any{}
	m["logMessages"] = nonNil(t.LogMessages)
	m["rewards"] = []any{}
	m["loadedAddresses"] = map[string]any{"writable": []any{}, "readonly": []any{}}
	m["computeUnitsConsumed"] = t.ComputeUnits
	return m
}

func (s *Server) getBlocks(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 3); err != nil {
		return nil, err
	}
	start, err := p.u64(0)
	if err != nil {
		return nil, err
	}
	var end *uint64
	cfgAt := 2
	if p.has(1) && len(p[1]) > 0 && p[1][0] == '{' {
		cfgAt = 1
	} else if p.has(1) {
		var n uint64
		if err := p.decode(1, &n); err != nil {
			return nil, err
		}
		end = &n
	}
	var cfg commitmentConfig
	if err := p.decode(cfgAt, &cfg); err != nil {
		return nil, err
	}
	c, err := cfg.level()
	if err != nil {
		return nil, err
	}
	if err := atLeastConfirmed(c); err != nil {
		return nil, err
	}
	b, err := s.bank(c, cfg.MinContextSlot)
	if err != nil {
		return nil, err
	}
	last := start + maxBlockRange
	if last < start {
		last = ^uint64(0)
	}
	if end != nil {
		last = *end
	}
	last = min(last, b.Slot())
	if last < start {
		return []uint64{}, nil
	}
	if last-start > maxBlockRange {
		return nil, errParams("Slot range too large; max %d", maxBlockRange)
	}
	return nonNil(s.b.Blocks(start, last, c)), nil
}
