package rpcserver

import (
	"encoding/json"
	"fmt"
)

// JSON-RPC and Solana error codes (PROTOCOL.md §1.2).
const (
	CodeParseError           = -32700
	CodeInvalidRequest       = -32600
	CodeMethodNotFound       = -32601
	CodeInvalidParams        = -32602
	CodeInternalError        = -32603
	CodeBlockCleanedUp       = -32001
	CodeSimulationFailed     = -32002
	CodeSignatureFailure     = -32003
	CodeBlockNotAvailable    = -32004
	CodeNodeUnhealthy        = -32005
	CodeSlotSkipped          = -32007
	CodeMinContextSlotNotMet = -32016
)

// Error is a JSON-RPC error object. Backend methods may return one to answer
// the client with a specific code.
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

func (e *Error) Error() string { return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message) }

func errParse() *Error          { return &Error{Code: CodeParseError, Message: "Parse error"} }
func errInvalidRequest() *Error { return &Error{Code: CodeInvalidRequest, Message: "Invalid request"} }
func errMethodNotFound() *Error { return &Error{Code: CodeMethodNotFound, Message: "Method not found"} }
func errInternal() *Error       { return &Error{Code: CodeInternalError, Message: "Internal error"} }

// errParams is -32602 with a custom message, as Agave's Error::invalid_params.
func errParams(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidParams, Message: fmt.Sprintf(format, args...)}
}

// errParamsDecode is jsonrpc-core's typed-param failure: "Invalid params: <why>.".
func errParamsDecode(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidParams, Message: "Invalid params: " + fmt.Sprintf(format, args...) + "."}
}

func errNodeBehind(n uint64) *Error {
	return &Error{Code: CodeNodeUnhealthy, Message: fmt.Sprintf("Node is behind by %d slots", n),
		Data: map[string]any{"numSlotsBehind": n}}
}

func errNodeUnhealthy() *Error {
	return &Error{Code: CodeNodeUnhealthy, Message: "Node is unhealthy",
		Data: map[string]any{"numSlotsBehind": nil}}
}

func errMinContextSlot(contextSlot uint64) *Error {
	return &Error{Code: CodeMinContextSlotNotMet, Message: "Minimum context slot has not been reached",
		Data: map[string]any{"contextSlot": contextSlot}}
}

func errBelowConfirmed() *Error {
	return errParams("Method does not support commitment below `confirmed`")
}

func errSignatureFailure() *Error {
	return &Error{Code: CodeSignatureFailure, Message: "Transaction signature verification failure"}
}

// healthError is the -32005 error for a health that is not ok.
func healthError(h Health) *Error {
	if h.Status == HealthBehind {
		return errNodeBehind(h.SlotsBehind)
	}
	return errNodeUnhealthy()
}

// txErrorText is the Display text Agave prints for a TransactionError in
// "Transaction simulation failed: <text>".
func txErrorText(e any) string {
	if s, ok := e.(string); ok {
		if t, ok := txErrorTexts[s]; ok {
			return t
		}
		return s
	}
	if m, ok := e.(map[string]any); ok {
		if ie, ok := m["InstructionError"].([]any); ok && len(ie) == 2 {
			inner := ie[1]
			if c, ok := inner.(map[string]any); ok {
				if code, ok := c["Custom"]; ok {
					return fmt.Sprintf("Error processing Instruction %v: custom program error: %#x", ie[0], toUint(code))
				}
			}
			return fmt.Sprintf("Error processing Instruction %v: %v", ie[0], inner)
		}
	}
	b, _ := json.Marshal(e)
	return string(b)
}

func toUint(v any) uint64 {
	switch n := v.(type) {
	case int:
		return uint64(n)
	case uint32:
		return uint64(n)
	case uint64:
		return n
	case float64:
		return uint64(n)
	case json.Number:
		u, _ := n.Int64()
		return uint64(u)
	}
	return 0
}

var txErrorTexts = map[string]string{
	"AccountInUse":             "Account in use",
	"AccountLoadedTwice":       "Account loaded twice",
	"AccountNotFound":          "Attempt to debit an account but found no record of a prior credit.",
	"ProgramAccountNotFound":   "Attempt to load a program that does not exist",
	"InsufficientFundsForFee":  "Insufficient funds for fee",
	"InvalidAccountForFee":     "This account may not be used to pay transaction fees",
	"AlreadyProcessed":         "This transaction has already been processed",
	"BlockhashNotFound":        "Blockhash not found",
	"SignatureFailure":         "Transaction did not pass signature verification",
	"InvalidAccountIndex":      "Transaction contains an invalid account reference",
	"SanitizeFailure":          "Transaction failed to sanitize accounts offsets correctly",
	"InsufficientFundsForRent": "Transaction results in an account with insufficient funds for rent",
}
