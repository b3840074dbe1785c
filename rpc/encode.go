package rpc

import (
	"encoding/base64"
	"strconv"
	"sync"

	"slonui/solana"
)

// Request bodies for the load generator's hot calls, appended straight
// into a reused buffer: getSignatureStatuses with its signatures in
// base58, and sendTransaction with the wire transaction in base64.

// bodyPool holds request body buffers. Only the fast transport gives a
// body back: net/http may still read one after Do returns.
var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// maxPooledBody keeps a rare huge body from staying in the pool.
const maxPooledBody = 1 << 20

// getBody returns an empty body buffer.
func (c *Client) getBody() *[]byte {
	if c.fast == nil {
		b := make([]byte, 0, 512)
		return &b
	}
	return bodyPool.Get().(*[]byte)
}

// putBody gives back body, grown from bp.
func (c *Client) putBody(bp *[]byte, body []byte) {
	if c.fast == nil || cap(body) > maxPooledBody {
		return
	}
	*bp = body[:0]
	bodyPool.Put(bp)
}

// appendStatusesRequest appends a getSignatureStatuses request, as
// appendRequest writes it for the params []any{[]string{base58…},
// {"searchTransactionHistory":true}}.
func appendStatusesRequest(buf []byte, id uint64, sigs []solana.Signature, searchHistory bool) []byte {
	buf = append(buf, `{"jsonrpc":"2.0","id":`...)
	buf = strconv.AppendUint(buf, id, 10)
	buf = append(buf, `,"method":"getSignatureStatuses","params":[[`...)
	for i := range sigs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '"')
		buf = appendBase58(buf, sigs[i][:])
		buf = append(buf, '"')
	}
	buf = append(buf, ']')
	if searchHistory {
		buf = append(buf, `,{"searchTransactionHistory":true}`...)
	}
	return append(buf, "]}"...)
}

// base64Param is a param sent as a base64 string (a wire transaction),
// encoded straight into the body.
type base64Param []byte

func (p base64Param) appendJSON(buf []byte) []byte {
	buf = append(buf, '"')
	buf = base64.StdEncoding.AppendEncode(buf, p)
	return append(buf, '"')
}

// MarshalJSON writes what appendValue writes.
func (p base64Param) MarshalJSON() ([]byte, error) { return p.appendJSON(nil), nil }

// sendConfig is sendTransaction's config object for opt, written as
// encoding/json writes the map SendTransaction used to build: keys sorted,
// preflightCommitment and maxRetries only when set.
type sendConfig SendOptions

func (s sendConfig) appendJSON(buf []byte) ([]byte, error) {
	buf = append(buf, `{"encoding":"base64"`...)
	if s.MaxRetries != nil {
		buf = append(buf, `,"maxRetries":`...)
		buf = strconv.AppendUint(buf, *s.MaxRetries, 10)
	}
	if s.PreflightCommitment != "" {
		buf = append(buf, `,"preflightCommitment":`...)
		var err error
		if buf, err = appendString(buf, string(s.PreflightCommitment)); err != nil {
			return buf, err
		}
	}
	buf = append(buf, `,"skipPreflight":`...)
	buf = strconv.AppendBool(buf, s.SkipPreflight)
	return append(buf, '}'), nil
}

// MarshalJSON writes what appendValue writes.
func (s sendConfig) MarshalJSON() ([]byte, error) { return s.appendJSON(nil) }

// The load generator's two configs, boxed once.
var (
	sendSkipPreflight any = sendConfig{SkipPreflight: true}
	sendPreflight     any = sendConfig{}
)

// sendParams are sendTransaction's params for wire and opt.
func sendParams(wire []byte, opt SendOptions) []any {
	if wire == nil {
		wire = []byte{}
	}
	var cfg any
	switch opt {
	case SendOptions{SkipPreflight: true}:
		cfg = sendSkipPreflight
	case SendOptions{}:
		cfg = sendPreflight
	default:
		cfg = sendConfig(opt)
	}
	return []any{base64Param(wire), cfg}
}
