package rpcserver

import (
	"context"
	"encoding/base64"

	"github.com/mr-tron/base58"

	"slonui/solana"
)

func (s *Server) getBalance(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	pk, b, err := s.pubkeyAndBank(p)
	if err != nil {
		return nil, err
	}
	acct, _ := b.Account(pk)
	return s.withContext(b.Slot(), acct.Lamports), nil
}

// pubkeyAndBank reads [pubkey, {commitment,minContextSlot}].
func (s *Server) pubkeyAndBank(p params) (solana.Pubkey, Bank, *Error) {
	str, err := p.str(0)
	if err != nil {
		return solana.Pubkey{}, nil, err
	}
	pk, err := pubkeyParam(str)
	if err != nil {
		return pk, nil, err
	}
	var cfg commitmentConfig
	if err := p.decode(1, &cfg); err != nil {
		return pk, nil, err
	}
	c, err := cfg.level()
	if err != nil {
		return pk, nil, err
	}
	b, err := s.bank(c, cfg.MinContextSlot)
	return pk, b, err
}

// accountConfig is RpcAccountInfoConfig.
type accountConfig struct {
	commitmentConfig
	Encoding  *string `json:"encoding"`
	DataSlice *struct {
		Offset uint64 `json:"offset"`
		Length uint64 `json:"length"`
	} `json:"dataSlice"`
}

// accountJSON is UiAccount.
type accountJSON struct {
	Data       any    `json:"data"`
	Executable bool   `json:"executable"`
	Lamports   uint64 `json:"lamports"`
	Owner      string `json:"owner"`
	RentEpoch  uint64 `json:"rentEpoch"`
	Space      uint64 `json:"space"`
}

// maxBase58Bytes is MAX_BASE58_BYTES for account data.
const maxBase58Bytes = 128

// checkEncoding validates an account encoding; missing is legacy "binary".
func checkEncoding(enc *string) (string, *Error) {
	if enc == nil {
		return "binary", nil
	}
	switch *enc {
	case "binary", "base58", "base64", "jsonParsed":
		return *enc, nil
	case "base64+zstd":
		return "", errParams("Encoding base64+zstd is not supported by this node")
	}
	return "", errParamsDecode("unknown variant `%s`, expected one of `binary`, `base58`, `base64`, `jsonParsed`, `base64+zstd`", *enc)
}

// encodeAccount is UiAccount::encode with an optional data slice.
func encodeAccount(a Account, enc string, cfg accountConfig) (accountJSON, *Error) {
	data := a.Data
	if ds := cfg.DataSlice; ds != nil {
		off := min(ds.Offset, uint64(len(data)))
		end := min(off+min(ds.Length, uint64(len(data))), uint64(len(data)))
		data = data[off:end]
	}
	j := accountJSON{Executable: a.Executable, Lamports: a.Lamports, Owner: a.Owner.String(),
		RentEpoch: a.RentEpoch, Space: uint64(len(a.Data))}
	switch enc {
	case "binary", "base58":
		if len(data) > maxBase58Bytes {
			return j, errParams("Encoded binary (base 58) data should be less than %d bytes, please use Base64 encoding.", maxBase58Bytes)
		}
		if enc == "binary" {
			j.Data = base58.Encode(data)
		} else {
			j.Data = [2]string{base58.Encode(data), "base58"}
		}
	default: // base64; jsonParsed falls back to base64 for accounts it cannot parse
		j.Data = [2]string{base64.StdEncoding.EncodeToString(data), "base64"}
	}
	return j, nil
}

func (s *Server) getAccountInfo(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	str, err := p.str(0)
	if err != nil {
		return nil, err
	}
	pk, err := pubkeyParam(str)
	if err != nil {
		return nil, err
	}
	var cfg accountConfig
	if err := p.decode(1, &cfg); err != nil {
		return nil, err
	}
	enc, b, err := s.accountBank(cfg)
	if err != nil {
		return nil, err
	}
	acct, ok := b.Account(pk)
	if !ok {
		return s.withContext(b.Slot(), nil), nil
	}
	j, err := encodeAccount(acct, enc, cfg)
	if err != nil {
		return nil, err
	}
	return s.withContext(b.Slot(), j), nil
}

func (s *Server) accountBank(cfg accountConfig) (string, Bank, *Error) {
	enc, err := checkEncoding(cfg.Encoding)
	if err != nil {
		return "", nil, err
	}
	c, err := cfg.level()
	if err != nil {
		return "", nil, err
	}
	b, err := s.bank(c, cfg.MinContextSlot)
	return enc, b, err
}

func (s *Server) getMultipleAccounts(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	var keys []string
	if err := p.decode(0, &keys); err != nil {
		return nil, err
	}
	if len(keys) > maxMultipleAccounts {
		return nil, errParams("Too many inputs provided; max %d", maxMultipleAccounts)
	}
	pks := make([]solana.Pubkey, len(keys))
	for i, k := range keys {
		var err *Error
		if pks[i], err = pubkeyParam(k); err != nil {
			return nil, err
		}
	}
	var cfg accountConfig
	if err := p.decode(1, &cfg); err != nil {
		return nil, err
	}
	enc, b, err := s.accountBank(cfg)
	if err != nil {
		return nil, err
	}
	out := make([]*accountJSON, len(pks))
	for i, pk := range pks {
		if acct, ok := b.Account(pk); ok {
			j, err := encodeAccount(acct, enc, cfg)
			if err != nil {
				return nil, err
			}
			out[i] = &j
		}
	}
	return s.withContext(b.Slot(), out), nil
}

// Rent constants (S rent.rs).
const (
	accountStorageOverhead = 128
	lamportsPerByteYear    = 3480
	exemptionThreshold     = 2
)

// RentExemptMinimum is the rent-exempt balance for dataLen bytes.
func RentExemptMinimum(dataLen uint64) uint64 {
	return max(1, (accountStorageOverhead+dataLen)*lamportsPerByteYear*exemptionThreshold)
}

func (s *Server) getMinimumBalanceForRentExemption(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	n, err := p.u64(0)
	if err != nil {
		return nil, err
	}
	var cfg commitmentConfig
	if err := p.decode(1, &cfg); err != nil {
		return nil, err
	}
	if _, err := cfg.level(); err != nil {
		return nil, err
	}
	return RentExemptMinimum(n), nil
}

func (s *Server) getLatestBlockhash(_ context.Context, p params) (any, *Error) {
	b, err := s.slotBank(p)
	if err != nil {
		return nil, err
	}
	h, last := b.LatestBlockhash()
	return s.withContext(b.Slot(), struct {
		Blockhash            string `json:"blockhash"`
		LastValidBlockHeight uint64 `json:"lastValidBlockHeight"`
	}{h.String(), last}), nil
}

func (s *Server) isBlockhashValid(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	str, err := p.str(0)
	if err != nil {
		return nil, err
	}
	h, err := hashParam(str)
	if err != nil {
		return nil, err
	}
	var cfg commitmentConfig
	if err := p.decode(1, &cfg); err != nil {
		return nil, err
	}
	b, err := s.bankAt(cfg)
	if err != nil {
		return nil, err
	}
	return s.withContext(b.Slot(), b.IsBlockhashValid(h)), nil
}

// LamportsPerSignature is the base fee.
const LamportsPerSignature = 5000

func (s *Server) getFeeForMessage(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	str, err := p.str(0)
	if err != nil {
		return nil, err
	}
	raw, err := decodeWire(str, "base64", msgTypeName)
	if err != nil {
		return nil, err
	}
	msg, used, derr := solana.DecodeMessage(raw)
	if derr == nil && used != len(raw) {
		derr = solana.ErrTrailing
	}
	if derr != nil {
		return nil, errParams("failed to deserialize %s: %v", msgTypeName, derr)
	}
	if serr := msg.Sanitize(); serr != nil {
		return nil, errParams("invalid transaction: %v", serr)
	}
	var cfg commitmentConfig
	if err := p.decode(1, &cfg); err != nil {
		return nil, err
	}
	b, err := s.bankAt(cfg)
	if err != nil {
		return nil, err
	}
	if !b.IsBlockhashValid(msg.RecentBlockhash) {
		return s.withContext(b.Slot(), nil), nil
	}
	return s.withContext(b.Slot(), uint64(msg.Header.NumRequiredSignatures)*LamportsPerSignature), nil
}
