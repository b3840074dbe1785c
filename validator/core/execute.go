package core

import (
	"encoding/binary"

	"slonui/solana"
)

// Fee is the fee of a message: 5,000 lamports per required signature.
func Fee(m *solana.Message) uint64 {
	return uint64(m.Header.NumRequiredSignatures) * LamportsPerSignature
}

// txOutcome says what happened to a transaction offered to a bank.
type txOutcome struct {
	landed bool     // it paid its fee and got a status in the bank
	err    *TxError // its error (landed or not)
	fee    uint64
}

// checkTx runs the checks that keep a transaction out of a block entirely:
// blockhash age, status cache, fee payer balance.
func checkTx(b *bank, tx *solana.Transaction) *TxError {
	if !b.blockhashValid(tx.Message.RecentBlockhash) {
		return errUnit("BlockhashNotFound")
	}
	if _, _, dup := b.findSig(tx.ID()); dup {
		return errUnit("AlreadyProcessed")
	}
	payer, ok := b.account(tx.Message.FeePayer())
	if !ok {
		return errUnit("AccountNotFound")
	}
	if payer.Lamports < Fee(&tx.Message) {
		return errUnit("InsufficientFundsForFee")
	}
	return nil
}

// overlay holds account changes of one transaction until it commits.
type overlay struct {
	b       *bank
	changed map[solana.Pubkey]Account
}

func (o *overlay) get(pk solana.Pubkey) Account {
	if a, ok := o.changed[pk]; ok {
		return a
	}
	a, _ := o.b.account(pk)
	return a
}

func (o *overlay) set(pk solana.Pubkey, a Account) { o.changed[pk] = a }

// executeTx offers tx to bank b. A transaction that fails checkTx does not
// land. Otherwise the fee is charged, the instructions run, and on an
// instruction error their changes are dropped while the fee stays paid.
func executeTx(b *bank, tx *solana.Transaction, raw []byte) txOutcome {
	if err := checkTx(b, tx); err != nil {
		return txOutcome{err: err}
	}
	fee := Fee(&tx.Message)
	payerKey := tx.Message.FeePayer()
	payer, _ := b.account(payerKey)
	payer.Lamports -= fee
	b.accounts[payerKey] = payer

	o := overlay{b: b, changed: make(map[solana.Pubkey]Account, 4)}
	txErr := runInstructions(&o, tx)
	if txErr == nil {
		for k, a := range o.changed {
			b.accounts[k] = a
		}
	}
	sig := tx.ID()
	b.sigs[sig] = len(b.txs)
	if b.unrooted != nil && b.unrooted[sig] < b.slot+1 {
		b.unrooted[sig] = b.slot + 1 // slot+1: slot 0 must read as present
	}
	b.txs = append(b.txs, TxRecord{Signature: sig, Raw: raw, Err: txErr, Fee: fee, Slot: b.slot})
	b.txCount++
	return txOutcome{landed: true, err: txErr, fee: fee}
}

// simulateTx runs tx against a throwaway child view of b and reports the
// outcome without changing b.
func simulateTx(b *bank, tx *solana.Transaction) txOutcome {
	scratch := &bank{slot: b.slot, parent: b, accounts: map[solana.Pubkey]Account{}, sigs: map[solana.Signature]int{}, height: b.height, txCount: b.txCount}
	// A scratch bank is not frozen, so b's own blockhash must be checked on b.
	if !b.blockhashValid(tx.Message.RecentBlockhash) && !(b.frozen && b.blockhash == tx.Message.RecentBlockhash) {
		return txOutcome{err: errUnit("BlockhashNotFound")}
	}
	scratch.validHashes = map[solana.Hash]bool{tx.Message.RecentBlockhash: true}
	return executeTx(scratch, tx, nil)
}

func runInstructions(o *overlay, tx *solana.Transaction) *TxError {
	m := &tx.Message
	for i, ix := range m.Instructions {
		prog := m.AccountKeys[ix.ProgramIDIndex]
		var err *TxError
		switch prog {
		case solana.SystemProgramID:
			err = execSystem(o, m, i, ix)
		case solana.MemoProgramID, solana.MemoV1ProgramID:
			for _, a := range ix.Accounts {
				if !m.IsSigner(int(a)) {
					err = errInstr(i, "MissingRequiredSignature")
					break
				}
			}
		case solana.VoteProgramID:
			err = execVote(m, i, ix)
		default:
			err = errInstr(i, "UnsupportedProgramId")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func execSystem(o *overlay, m *solana.Message, i int, ix solana.CompiledInstruction) *TxError {
	if len(ix.Data) < 4 {
		return errInstr(i, "InvalidInstructionData")
	}
	key := func(n int) (solana.Pubkey, int, bool) {
		if n >= len(ix.Accounts) {
			return solana.Pubkey{}, 0, false
		}
		idx := int(ix.Accounts[n])
		return m.AccountKeys[idx], idx, true
	}
	switch binary.LittleEndian.Uint32(ix.Data) {
	case solana.SystemTransfer:
		if len(ix.Data) != 12 {
			return errInstr(i, "InvalidInstructionData")
		}
		lamports := binary.LittleEndian.Uint64(ix.Data[4:])
		from, fi, ok1 := key(0)
		to, ti, ok2 := key(1)
		if !ok1 || !ok2 {
			return errInstr(i, "NotEnoughAccountKeys")
		}
		if !m.IsSigner(fi) {
			return errInstr(i, "MissingRequiredSignature")
		}
		if !m.IsWritable(fi) || !m.IsWritable(ti) {
			return errInstr(i, "ReadonlyLamportChange")
		}
		fa := o.get(from)
		if len(fa.Data) > 0 || (fa.Owner != solana.SystemProgramID) {
			return errInstr(i, "InvalidArgument")
		}
		if fa.Lamports < lamports {
			return errCustom(i, SystemErrResultWithNegativeLamports)
		}
		fa.Lamports -= lamports
		o.set(from, fa)
		ta := o.get(to)
		ta.Lamports += lamports
		o.set(to, ta)
	case solana.SystemCreateAccount:
		if len(ix.Data) != 52 {
			return errInstr(i, "InvalidInstructionData")
		}
		lamports := binary.LittleEndian.Uint64(ix.Data[4:])
		space := binary.LittleEndian.Uint64(ix.Data[12:])
		var owner solana.Pubkey
		copy(owner[:], ix.Data[20:52])
		from, fi, ok1 := key(0)
		to, ti, ok2 := key(1)
		if !ok1 || !ok2 {
			return errInstr(i, "NotEnoughAccountKeys")
		}
		if !m.IsSigner(fi) || !m.IsSigner(ti) {
			return errInstr(i, "MissingRequiredSignature")
		}
		if space > 10<<20 {
			return errCustom(i, 3) // InvalidAccountDataLength
		}
		ta := o.get(to)
		if ta.Lamports > 0 || len(ta.Data) > 0 {
			return errCustom(i, SystemErrAccountAlreadyInUse)
		}
		fa := o.get(from)
		if fa.Lamports < lamports {
			return errCustom(i, SystemErrResultWithNegativeLamports)
		}
		fa.Lamports -= lamports
		o.set(from, fa)
		o.set(to, Account{Lamports: lamports, Owner: owner, Data: make([]byte, space)})
	default:
		return errInstr(i, "InvalidInstructionData")
	}
	return nil
}

// execVote accepts a Vote program instruction whose data is a vote
// (Vote.SignedBytes) by the instruction's first account, which must sign.
// It changes no account: the node learns votes through Vote messages.
func execVote(m *solana.Message, i int, ix solana.CompiledInstruction) *TxError {
	if len(ix.Accounts) == 0 {
		return errInstr(i, "NotEnoughAccountKeys")
	}
	if !m.IsSigner(int(ix.Accounts[0])) {
		return errInstr(i, "MissingRequiredSignature")
	}
	body := append([]byte{byte(KindVote)}, ix.Data...)
	body = append(body, make([]byte, 64)...)
	msg, err := UnmarshalMessage(body)
	if err != nil {
		return errInstr(i, "InvalidInstructionData")
	}
	if msg.(*Vote).Node != m.AccountKeys[ix.Accounts[0]] {
		return errInstr(i, "InvalidArgument")
	}
	return nil
}

// VoteInstruction builds a Vote program instruction carrying v, signed by
// the voting node (so a vote can also travel as a transaction).
func VoteInstruction(v *Vote) solana.Instruction {
	return solana.Instruction{
		ProgramID: solana.VoteProgramID,
		Accounts:  []solana.AccountMeta{{Pubkey: v.Node, IsSigner: true, IsWritable: true}},
		Data:      v.SignedBytes(),
	}
}
