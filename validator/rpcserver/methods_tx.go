package rpcserver

import (
	"context"

	"slonui/solana"
)

// simulationJSON is RpcSimulateTransactionResult.
type simulationJSON struct {
	Err                  any            `json:"err"`
	Logs                 []string       `json:"logs"`
	Accounts             []*accountJSON `json:"accounts"`
	UnitsConsumed        uint64         `json:"unitsConsumed"`
	ReturnData           any            `json:"returnData"`
	InnerInstructions    any            `json:"innerInstructions"`
	ReplacementBlockhash any            `json:"replacementBlockhash"`
}

func simulationValue(r SimulationResult) simulationJSON {
	logs := r.Logs
	if logs == nil {
		logs = []string{}
	}
	return simulationJSON{Err: r.Err, Logs: logs, UnitsConsumed: r.UnitsConsumed}
}

func (s *Server) sendTransaction(ctx context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	encoded, err := p.str(0)
	if err != nil {
		return nil, err
	}
	cfg, err := p.sendConfig(1)
	if err != nil {
		return nil, err
	}
	enc, err := binaryEncoding(cfg.Encoding)
	if err != nil {
		return nil, err
	}
	preflight, err := parseCommitment(cfg.PreflightCommitment)
	if err != nil {
		return nil, err
	}
	tx, wire, msg, err := decodeTransaction(encoded, enc)
	if err != nil {
		return nil, err
	}
	if cfg.SkipPreflight {
		preflight = Processed
	}
	b, err := s.bank(preflight, cfg.MinContextSlot)
	if err != nil {
		return nil, err
	}
	if !cfg.SkipPreflight {
		if tx.VerifyMessage(msg) != nil {
			return nil, errSignatureFailure()
		}
		if h := s.b.Health(); h.Status != HealthOK {
			return nil, healthError(h)
		}
		if r := b.Simulate(tx); r.Err != nil {
			return nil, &Error{Code: CodeSimulationFailed,
				Message: "Transaction simulation failed: " + txErrorText(r.Err), Data: simulationValue(r)}
		}
	}
	send := s.b.SendTransaction
	if vs, ok := s.b.(VerifiedSender); ok && !cfg.SkipPreflight {
		send = vs.SendVerifiedTransaction // its signatures were checked above
	}
	if serr := send(ctx, tx, wire); serr != nil {
		return nil, backendError(serr)
	}
	return tx.ID().String(), nil
}

// simulateConfig is RpcSimulateTransactionConfig.
type simulateConfig struct {
	commitmentConfig
	SigVerify              bool    `json:"sigVerify"`
	ReplaceRecentBlockhash bool    `json:"replaceRecentBlockhash"`
	Encoding               *string `json:"encoding"`
	InnerInstructions      bool    `json:"innerInstructions"`
	Accounts               *struct {
		Addresses []string `json:"addresses"`
		Encoding  *string  `json:"encoding"`
	} `json:"accounts"`
}

func (s *Server) simulateTransaction(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	encoded, err := p.str(0)
	if err != nil {
		return nil, err
	}
	var cfg simulateConfig
	if err := p.decode(1, &cfg); err != nil {
		return nil, err
	}
	enc, err := binaryEncoding(cfg.Encoding)
	if err != nil {
		return nil, err
	}
	tx, _, msg, err := decodeTransaction(encoded, enc)
	if err != nil {
		return nil, err
	}
	if cfg.SigVerify && cfg.ReplaceRecentBlockhash {
		return nil, errParams("sigVerify may not be used with replaceRecentBlockhash")
	}
	if cfg.SigVerify && tx.VerifyMessage(msg) != nil {
		return nil, errSignatureFailure()
	}
	addrs, acctEnc, err := simulationAccounts(cfg, len(tx.Message.AccountKeys))
	if err != nil {
		return nil, err
	}
	b, err := s.bankAt(cfg.commitmentConfig)
	if err != nil {
		return nil, err
	}
	var replacement any
	if cfg.ReplaceRecentBlockhash {
		h, last := b.LatestBlockhash()
		tx.Message.RecentBlockhash = h
		replacement = struct {
			Blockhash            string `json:"blockhash"`
			LastValidBlockHeight uint64 `json:"lastValidBlockHeight"`
		}{h.String(), last}
	}
	r := b.Simulate(tx)
	v := simulationValue(r)
	v.ReplacementBlockhash = replacement
	if cfg.InnerInstructions {
		v.InnerInstructions = []any{}
	}
	if cfg.Accounts != nil {
		v.Accounts = postAccounts(b, r, addrs, acctEnc)
	}
	return s.withContext(b.Slot(), v), nil
}

// simulationAccounts reads the accounts option: the addresses to report
// and their encoding (base64 unless asked; base58 is refused, as by Agave).
func simulationAccounts(cfg simulateConfig, nKeys int) ([]solana.Pubkey, string, *Error) {
	if cfg.Accounts == nil {
		return nil, "", nil
	}
	if len(cfg.Accounts.Addresses) > nKeys {
		return nil, "", errParams("Too many accounts provided; max %d", nKeys)
	}
	addrs := make([]solana.Pubkey, 0, len(cfg.Accounts.Addresses))
	for _, a := range cfg.Accounts.Addresses {
		pk, err := pubkeyParam(a)
		if err != nil {
			return nil, "", err
		}
		addrs = append(addrs, pk)
	}
	enc := "base64"
	if cfg.Accounts.Encoding != nil {
		var err *Error
		if enc, err = checkEncoding(cfg.Accounts.Encoding); err != nil {
			return nil, "", err
		}
		if enc == "binary" || enc == "base58" {
			return nil, "", errParams("base58 encoding not supported")
		}
	}
	return addrs, enc, nil
}

// postAccounts reports each address as the simulation left it, else as the
// bank holds it, null when it does not exist.
func postAccounts(b Bank, r SimulationResult, addrs []solana.Pubkey, enc string) []*accountJSON {
	out := make([]*accountJSON, len(addrs))
	for i, pk := range addrs {
		acct, ok := r.PostAccounts[pk]
		if !ok {
			acct, ok = b.Account(pk)
		}
		if ok {
			j, _ := encodeAccount(acct, enc, accountConfig{})
			out[i] = &j
		}
	}
	return out
}

func (s *Server) requestAirdrop(ctx context.Context, p params) (any, *Error) {
	if err := p.arity(2, 3); err != nil {
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
	lamports, err := p.u64(1)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		Commitment      *string `json:"commitment"`
		RecentBlockhash *string `json:"recentBlockhash"`
	}
	if err := p.decode(2, &cfg); err != nil {
		return nil, err
	}
	if _, err := parseCommitment(cfg.Commitment); err != nil {
		return nil, err
	}
	sig, aerr := s.b.RequestAirdrop(ctx, pk, lamports)
	if aerr == ErrNoFaucet {
		return nil, errInvalidRequest()
	}
	if aerr != nil {
		return nil, backendError(aerr)
	}
	return sig.String(), nil
}

func (s *Server) getSignatureStatuses(_ context.Context, p params) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	strs, err := p.strs(0)
	if err != nil {
		return nil, err
	}
	if len(strs) > maxSignatureStatuses {
		return nil, errParams("Too many inputs provided; max %d", maxSignatureStatuses)
	}
	sigs := make([]solana.Signature, len(strs))
	for i, str := range strs {
		var err *Error
		if sigs[i], err = signatureParam(str); err != nil {
			return nil, err
		}
	}
	var cfg struct {
		SearchTransactionHistory bool `json:"searchTransactionHistory"`
	}
	if err := p.decode(1, &cfg); err != nil {
		return nil, err
	}
	slot := s.b.Bank(Processed).Slot()
	found := s.b.SignatureStatuses(sigs, cfg.SearchTransactionHistory)
	return signatureStatuses{apiVersion: s.cfg.APIVersion, slot: slot, n: len(sigs), found: found}, nil
}
