package rpcserver

import (
	"bytes"
	"context"
	"encoding/json"
)

// request is one decoded JSON-RPC request. id is nil for a notification
// (no "id" key), and is kept as the raw bytes received so it is echoed
// exactly (a string stays a string, a 63-bit int never passes through float64).
type request struct {
	id     json.RawMessage
	method string
	params json.RawMessage
}

// rawNull is the id of replies to requests whose id could not be read.
var rawNull = json.RawMessage("null")

// handleBody decodes a request body (single or batch), runs every request
// and returns the reply body, or nil when nothing is to be sent back (only
// notifications). It never panics on any input.
func (s *Server) handleBody(ctx context.Context, body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if !json.Valid(trimmed) {
		return encodeResponse(nil, rawNull, nil, errParse())
	}
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var elems []json.RawMessage
		if err := json.Unmarshal(trimmed, &elems); err != nil {
			return encodeResponse(nil, rawNull, nil, errParse())
		}
		if len(elems) == 0 {
			return encodeResponse(nil, rawNull, nil, errInvalidRequest())
		}
		out := []byte{'['}
		n := 0
		for _, e := range elems {
			reply := s.handleOne(ctx, e)
			if reply == nil {
				continue
			}
			if n > 0 {
				out = append(out, ',')
			}
			out = append(out, reply...)
			n++
		}
		if n == 0 {
			return nil
		}
		return append(out, ']')
	}
	return s.handleOne(ctx, trimmed)
}

// handleOne runs one request element and returns its reply, nil for a notification.
func (s *Server) handleOne(ctx context.Context, raw json.RawMessage) []byte {
	req, rerr := decodeRequest(raw)
	if rerr != nil {
		id := rawNull
		if req.id != nil {
			id = req.id
		}
		return encodeResponse(nil, id, nil, rerr)
	}
	result, err := s.call(ctx, req.method, req.params)
	if req.id == nil {
		return nil
	}
	return encodeResponse(nil, req.id, result, err)
}

// decodeRequest checks the envelope of one request. On an envelope error the
// returned request still carries the id when it was readable.
func decodeRequest(raw json.RawMessage) (request, *Error) {
	var req request
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return req, errInvalidRequest()
	}
	if id, ok := obj["id"]; ok {
		if !validID(id) {
			return req, errInvalidRequest()
		}
		req.id = id
	}
	var version string
	if err := json.Unmarshal(obj["jsonrpc"], &version); err != nil || version != "2.0" {
		return req, errInvalidRequest()
	}
	m, ok := obj["method"]
	if !ok || json.Unmarshal(m, &req.method) != nil {
		return req, errInvalidRequest()
	}
	if p, ok := obj["params"]; ok {
		req.params = p
	}
	return req, nil
}

// validID accepts the id forms of JSON-RPC 2.0: number, string or null.
func validID(id json.RawMessage) bool {
	if len(id) == 0 {
		return false
	}
	switch c := id[0]; {
	case c == '"', c == '-', c >= '0' && c <= '9':
		return true
	case bytes.Equal(id, rawNull):
		return true
	}
	return false
}

// encodeResponse appends one reply envelope to b: only jsonrpc, result or
// error, and id, as solana-go decodes it with DisallowUnknownFields.
func encodeResponse(b []byte, id json.RawMessage, result any, rerr *Error) []byte {
	b = append(b, `{"jsonrpc":"2.0",`...)
	if rerr != nil {
		eb, err := json.Marshal(rerr)
		if err != nil {
			eb, _ = json.Marshal(errInternal())
		}
		b = append(b, `"error":`...)
		b = append(b, eb...)
	} else {
		rb, err := json.Marshal(result)
		if err != nil {
			eb, _ := json.Marshal(errInternal())
			b = append(b, `"error":`...)
			b = append(b, eb...)
		} else {
			b = append(b, `"result":`...)
			b = append(b, rb...)
		}
	}
	b = append(b, `,"id":`...)
	b = append(b, compactRaw(id)...)
	return append(b, '}')
}

// compactRaw removes insignificant whitespace around and inside an id
// without re-encoding its value.
func compactRaw(id json.RawMessage) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, id); err != nil {
		return rawNull
	}
	return buf.Bytes()
}
