package rpcserver

import (
	"encoding/json"
	"slices"
	"strconv"
)

// statusSize is about the length of one status entry without an err.
const statusSize = 150

// statusJSON is TransactionStatus as getSignatureStatuses reports it.
type statusJSON struct {
	Slot               uint64  `json:"slot"`
	Confirmations      *uint64 `json:"confirmations"`
	Err                any     `json:"err"`
	Status             any     `json:"status"`
	ConfirmationStatus *string `json:"confirmationStatus"`
}

// statusField is the deprecated {"Ok":null} / {"Err":e} form.
func statusField(e any) any {
	if e == nil {
		return map[string]any{"Ok": nil}
	}
	return map[string]any{"Err": e}
}

// signatureStatuses is getSignatureStatuses' result: n entries, from found
// where the backend has one, else null, in the context wrapper. It writes
// itself (appendJSON) without reflection: at the load generator's polling
// rate, replies of 256 statuses through encoding/json cost more than the
// lookups behind them. MarshalJSON gives the same bytes the long way.
type signatureStatuses struct {
	apiVersion string
	slot       uint64
	n          int
	found      []*SignatureStatus
}

// status returns entry i, nil when the backend has none.
func (r signatureStatuses) status(i int) *SignatureStatus {
	if i < len(r.found) {
		return r.found[i]
	}
	return nil
}

// value is the reply as withContext and statusJSON put it.
func (r signatureStatuses) value() any {
	out := make([]*statusJSON, r.n)
	for i := range out {
		st := r.status(i)
		if st == nil {
			continue
		}
		cs := string(st.ConfirmationStatus)
		out[i] = &statusJSON{Slot: st.Slot, Confirmations: st.Confirmations, Err: st.Err,
			Status: statusField(st.Err), ConfirmationStatus: &cs}
	}
	return contextValue(r.apiVersion, r.slot, out)
}

// MarshalJSON encodes the reply with encoding/json.
func (r signatureStatuses) MarshalJSON() ([]byte, error) {
	return json.Marshal(r.value())
}

func (r signatureStatuses) appendJSON(b []byte) ([]byte, bool) {
	need := 64
	for i := range r.n {
		if r.status(i) == nil {
			need += len("null,")
		} else {
			need += statusSize
		}
	}
	b = slices.Grow(b, need)
	b = append(b, `{"context":{`...)
	if r.apiVersion != "" {
		b = append(b, `"apiVersion":`...)
		b = appendString(b, r.apiVersion)
		b = append(b, ',')
	}
	b = append(b, `"slot":`...)
	b = strconv.AppendUint(b, r.slot, 10)
	b = append(b, `},"value":[`...)
	for i := range r.n {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = appendStatus(b, r.status(i)); !ok {
			return b, false
		}
	}
	return append(b, "]}"...), true
}

// appendStatus appends one statusJSON entry, null for none.
func appendStatus(b []byte, st *SignatureStatus) ([]byte, bool) {
	if st == nil {
		return append(b, "null"...), true
	}
	b = append(b, `{"slot":`...)
	b = strconv.AppendUint(b, st.Slot, 10)
	b = append(b, `,"confirmations":`...)
	if st.Confirmations == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendUint(b, *st.Confirmations, 10)
	}
	b = append(b, `,"err":`...)
	if st.Err == nil {
		b = append(b, `null,"status":{"Ok":null}`...)
	} else {
		start := len(b)
		var ok bool
		if b, ok = appendResult(b, st.Err); !ok {
			return b, false
		}
		end := len(b)
		b = append(b, `,"status":{"Err":`...)
		b = append(b, b[start:end]...)
		b = append(b, '}')
	}
	b = append(b, `,"confirmationStatus":`...)
	b = appendString(b, string(st.ConfirmationStatus))
	return append(b, '}'), true
}
