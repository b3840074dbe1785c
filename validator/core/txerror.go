package core

import (
	"encoding/json"
	"fmt"
)

// TxError is a transaction error in the shape of Solana's TransactionError.
// A unit variant has only Name ("InsufficientFundsForFee",
// "BlockhashNotFound", "AlreadyProcessed", "AccountNotFound",
// "SignatureFailure"); an instruction error has Name "InstructionError",
// the instruction Index and either a Custom code or an InstrName
// ("InvalidInstructionData", "UnsupportedProgramId", …). MarshalJSON gives
// the RPC form: "InsufficientFundsForFee" or
// {"InstructionError":[0,{"Custom":1}]}.
type TxError struct {
	Name      string
	Index     int     // instruction index, for InstructionError
	Custom    *uint32 // custom program error code
	InstrName string  // unit InstructionError variant when Custom is nil
}

// Error codes of the System program (SystemError).
const (
	SystemErrAccountAlreadyInUse        = 0
	SystemErrResultWithNegativeLamports = 1
)

func errUnit(name string) *TxError { return &TxError{Name: name} }

func errCustom(index int, code uint32) *TxError {
	return &TxError{Name: "InstructionError", Index: index, Custom: &code}
}

func errInstr(index int, name string) *TxError {
	return &TxError{Name: "InstructionError", Index: index, InstrName: name}
}

// Error implements error.
func (e *TxError) Error() string {
	if e.Name != "InstructionError" {
		return e.Name
	}
	if e.Custom != nil {
		return fmt.Sprintf("instruction %d: custom program error 0x%x", e.Index, *e.Custom)
	}
	return fmt.Sprintf("instruction %d: %s", e.Index, e.InstrName)
}

// MarshalJSON renders the Solana JSON form.
func (e TxError) MarshalJSON() ([]byte, error) {
	if e.Name != "InstructionError" {
		return json.Marshal(e.Name)
	}
	var inner any = e.InstrName
	if e.Custom != nil {
		inner = map[string]uint32{"Custom": *e.Custom}
	}
	return json.Marshal(map[string][]any{"InstructionError": {e.Index, inner}})
}
