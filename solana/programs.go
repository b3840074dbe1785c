package solana

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Well-known program ids.
var (
	SystemProgramID = Pubkey{}
	MemoProgramID   = MustPubkey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
	MemoV1ProgramID = MustPubkey("Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo")
	VoteProgramID   = MustPubkey("Vote111111111111111111111111111111111111111")
)

// System instruction variant indices (bincode u32 LE).
const (
	SystemCreateAccount uint32 = 0
	SystemAssign        uint32 = 1
	SystemTransfer      uint32 = 2
)

// Transfer moves lamports from a signer to another account.
func Transfer(from, to Pubkey, lamports uint64) Instruction {
	data := make([]byte, 12)
	binary.LittleEndian.PutUint32(data, SystemTransfer)
	binary.LittleEndian.PutUint64(data[4:], lamports)
	return Instruction{
		ProgramID: SystemProgramID,
		Accounts:  []AccountMeta{{from, true, true}, {to, false, true}},
		Data:      data,
	}
}

// CreateAccount funds a new account (which must sign) with lamports and space, owned by owner.
func CreateAccount(from, newAccount Pubkey, lamports, space uint64, owner Pubkey) Instruction {
	data := make([]byte, 52)
	binary.LittleEndian.PutUint32(data, SystemCreateAccount)
	binary.LittleEndian.PutUint64(data[4:], lamports)
	binary.LittleEndian.PutUint64(data[12:], space)
	copy(data[20:], owner[:])
	return Instruction{
		ProgramID: SystemProgramID,
		Accounts:  []AccountMeta{{from, true, true}, {newAccount, true, true}},
		Data:      data,
	}
}

// Memo records text; every listed signer must sign.
func Memo(text string, signers ...Pubkey) Instruction {
	ix := Instruction{ProgramID: MemoProgramID, Data: []byte(text)}
	for _, s := range signers {
		ix.Accounts = append(ix.Accounts, AccountMeta{Pubkey: s, IsSigner: true})
	}
	return ix
}

// SystemInstruction is a decoded System program instruction.
type SystemInstruction struct {
	Kind     uint32
	Lamports uint64
	Space    uint64 // CreateAccount
	Owner    Pubkey // CreateAccount, Assign
}

// ErrInstructionData marks instruction data that does not decode.
var ErrInstructionData = errors.New("solana: invalid instruction data")

// DecodeSystemInstruction decodes Transfer, CreateAccount and Assign.
func DecodeSystemInstruction(data []byte) (SystemInstruction, error) {
	if len(data) < 4 {
		return SystemInstruction{}, fmt.Errorf("%w: system: %d bytes", ErrInstructionData, len(data))
	}
	si := SystemInstruction{Kind: binary.LittleEndian.Uint32(data)}
	switch si.Kind {
	case SystemTransfer:
		if len(data) != 12 {
			return si, fmt.Errorf("%w: system transfer: %d bytes, want 12", ErrInstructionData, len(data))
		}
		si.Lamports = binary.LittleEndian.Uint64(data[4:])
	case SystemCreateAccount:
		if len(data) != 52 {
			return si, fmt.Errorf("%w: system create account: %d bytes, want 52", ErrInstructionData, len(data))
		}
		si.Lamports = binary.LittleEndian.Uint64(data[4:])
		si.Space = binary.LittleEndian.Uint64(data[12:])
		copy(si.Owner[:], data[20:])
	case SystemAssign:
		if len(data) != 36 {
			return si, fmt.Errorf("%w: system assign: %d bytes, want 36", ErrInstructionData, len(data))
		}
		copy(si.Owner[:], data[4:])
	default:
		return si, fmt.Errorf("%w: system instruction %d not supported", ErrInstructionData, si.Kind)
	}
	return si, nil
}
