package rpc

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Error is a JSON-RPC error a node answered.
type Error struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *Error) Error() string { return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message) }

// Codes the console acts on.
const (
	CodeInvalidRequest = -32600
	CodeMethodNotFound = -32601
	CodeInvalidParams  = -32602
	CodeSimulation     = -32002
	CodeNodeUnhealthy  = -32005
)

// ErrEmptyReply is returned when a reply holds neither result nor error.
var ErrEmptyReply = errors.New("rpc: reply has neither result nor error")

// IsCode reports whether err is an *Error with code.
func IsCode(err error, code int) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
