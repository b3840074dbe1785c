package rpcserver

import (
	"bytes"
	"context"
	"encoding/json"
)

// handleBody decodes a request body (single or batch), runs every request
// and returns the reply body, or nil when nothing is to be sent back (only
// notifications). The body is read once (parseRequests); a body that is not
// valid JSON anywhere runs nothing. It never panics on any input.
func (s *Server) handleBody(ctx context.Context, body []byte) []byte {
	reqs, batch, ok := parseRequests(bytes.TrimSpace(body))
	if !ok {
		return encodeResponse(nil, rawNull, nil, errParse())
	}
	if !batch {
		out, _ := s.appendReply(ctx, nil, &reqs[0])
		return out
	}
	if len(reqs) == 0 {
		return encodeResponse(nil, rawNull, nil, errInvalidRequest())
	}
	// A batch of sendTransaction replies fits in half of its body.
	out := make([]byte, 1, len(body)/2+64)
	out[0] = '['
	n := 0
	for i := range reqs {
		mark := len(out)
		if n > 0 {
			out = append(out, ',')
		}
		var replied bool
		if out, replied = s.appendReply(ctx, out, &reqs[i]); !replied {
			out = out[:mark]
			continue
		}
		n++
	}
	if n == 0 {
		return nil
	}
	return append(out, ']')
}

// appendReply runs one request and appends its reply to b; replied is false
// for a notification, which gets none.
func (s *Server) appendReply(ctx context.Context, b []byte, req *request) (out []byte, replied bool) {
	if req.err != nil {
		id := rawNull
		if req.id != nil {
			id = req.id
		}
		return encodeResponse(b, id, nil, req.err), true
	}
	result, err := s.call(ctx, req)
	if req.id == nil {
		return b, false
	}
	return encodeResponse(b, req.id, result, err), true
}

// jsonAppender is a result that writes its own JSON, byte for byte what
// json.Marshal would write for it, without reflection. ok is false when it
// cannot be encoded (as json.Marshal would fail).
type jsonAppender interface {
	appendJSON(b []byte) (out []byte, ok bool)
}

// encodeResponse appends one reply envelope to b: only jsonrpc, result or
// error, and id, as solana-go decodes it with DisallowUnknownFields.
func encodeResponse(b []byte, id json.RawMessage, result any, rerr *Error) []byte {
	b = append(b, `{"jsonrpc":"2.0",`...)
	if rerr == nil {
		mark := len(b)
		if out, ok := appendResult(append(b, `"result":`...), result); ok {
			b = out
		} else {
			rerr = errInternal()
			b = b[:mark]
		}
	}
	if rerr != nil {
		eb, err := json.Marshal(rerr)
		if err != nil {
			eb, _ = json.Marshal(errInternal())
		}
		b = append(b, `"error":`...)
		b = append(b, eb...)
	}
	b = append(b, `,"id":`...)
	b = append(b, compactRaw(id)...)
	return append(b, '}')
}

// appendResult appends the JSON of a result as json.Marshal writes it,
// directly for the hot reply shapes.
func appendResult(b []byte, result any) ([]byte, bool) {
	switch v := result.(type) {
	case string:
		return appendString(b, v), true
	case jsonAppender:
		return v.appendJSON(b)
	}
	rb, err := json.Marshal(result)
	if err != nil {
		return b, false
	}
	return append(b, rb...), true
}

// appendString appends s quoted as json.Marshal quotes it.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // escapes, HTML-safe, invalid UTF-8 replaced
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// compactRaw removes insignificant whitespace around and inside an id
// without re-encoding its value. An id read by the scanner has none, and
// is returned as it is.
func compactRaw(id json.RawMessage) []byte {
	if sc := (scanner{data: id}); !bytes.ContainsAny(id, " \t\r\n") && sc.value(0) && sc.off == len(id) {
		return id
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, id); err != nil {
		return rawNull
	}
	return buf.Bytes()
}
