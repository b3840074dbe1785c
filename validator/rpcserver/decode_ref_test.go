package rpcserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
)

// The reference decoder: how requests were read before parseRequests, with
// encoding/json at every level (json.Valid, then json.Unmarshal of the
// batch, of each element into a map, of jsonrpc and method, and of params).
// The one-pass reader must accept, refuse and yield exactly what it does.

// refParse reads a body as the reference decoder does.
func refParse(body []byte) (reqs []request, batch, ok bool) {
	trimmed := bytes.TrimSpace(body)
	if !json.Valid(trimmed) {
		return nil, false, false
	}
	if trimmed[0] != '[' {
		return []request{refRequest(trimmed)}, false, true
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(trimmed, &elems); err != nil {
		return nil, true, false
	}
	for _, e := range elems {
		reqs = append(reqs, refRequest(e))
	}
	return reqs, true, true
}

// refRequest is the reference decodeRequest.
func refRequest(raw json.RawMessage) request {
	var req request
	var obj map[string]json.RawMessage
	req.err = errInvalidRequest()
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return req
	}
	if id, ok := obj["id"]; ok {
		if !validID(id) {
			return req
		}
		req.id = id
	}
	var version string
	if err := json.Unmarshal(obj["jsonrpc"], &version); err != nil || version != "2.0" {
		return req
	}
	m, ok := obj["method"]
	if !ok || json.Unmarshal(m, &req.method) != nil {
		return req
	}
	if p, ok := obj["params"]; ok {
		req.params = p
	}
	req.err = nil
	return req
}

// refEncodeResponse is the reference encodeResponse: json.Marshal of the
// result and of the error, json.Compact of the id.
func refEncodeResponse(id json.RawMessage, result any, rerr *Error) []byte {
	b := []byte(`{"jsonrpc":"2.0",`)
	if rerr != nil {
		eb, _ := json.Marshal(rerr)
		b = append(append(b, `"error":`...), eb...)
	} else if rb, err := json.Marshal(result); err != nil {
		eb, _ := json.Marshal(errInternal())
		b = append(append(b, `"error":`...), eb...)
	} else {
		b = append(append(b, `"result":`...), rb...)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, id); err != nil {
		buf.Reset()
		buf.Write(rawNull)
	}
	b = append(append(b, `,"id":`...), buf.Bytes()...)
	return append(b, '}')
}

// refHandleBody is the reference handleBody: the reference decoder, the
// same methods, the reference encoder.
func refHandleBody(s *Server, ctx context.Context, body []byte) []byte {
	reqs, batch, ok := refParse(body)
	if !ok {
		return refEncodeResponse(rawNull, nil, errParse())
	}
	if batch && len(reqs) == 0 {
		return refEncodeResponse(rawNull, nil, errInvalidRequest())
	}
	var replies [][]byte
	for i := range reqs {
		req := &reqs[i]
		if req.err != nil {
			id := rawNull
			if req.id != nil {
				id = req.id
			}
			replies = append(replies, refEncodeResponse(id, nil, req.err))
			continue
		}
		result, err := s.call(ctx, req)
		if req.id != nil {
			replies = append(replies, refEncodeResponse(req.id, result, err))
		}
	}
	if !batch {
		if len(replies) == 0 {
			return nil
		}
		return replies[0]
	}
	if len(replies) == 0 {
		return nil
	}
	return append(append([]byte{'['}, bytes.Join(replies, []byte{','})...), ']')
}

// sameRequests reports how the one-pass reader's requests differ from the
// reference's, "" when they do not.
func sameRequests(got, want []request) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d requests, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := &got[i], &want[i]
		switch {
		case !reflect.DeepEqual(g.err, w.err):
			return fmt.Sprintf("request %d: error %v, want %v", i, g.err, w.err)
		case (g.id == nil) != (w.id == nil) || !bytes.Equal(g.id, w.id):
			return fmt.Sprintf("request %d: id %q, want %q", i, g.id, w.id)
		case g.method != w.method:
			return fmt.Sprintf("request %d: method %q, want %q", i, g.method, w.method)
		case !bytes.Equal(g.params, w.params):
			return fmt.Sprintf("request %d: params %q, want %q", i, g.params, w.params)
		}
		if g.err != nil {
			continue
		}
		gp, gerr := g.positional()
		wp, werr := parseParams(w.params)
		if !reflect.DeepEqual(gerr, werr) || len(gp) != len(wp) {
			return fmt.Sprintf("request %d: params %q / %v, want %q / %v", i, gp, gerr, wp, werr)
		}
		for j := range gp {
			if !bytes.Equal(gp[j], wp[j]) {
				return fmt.Sprintf("request %d: param %d %q, want %q", i, j, gp[j], wp[j])
			}
			if d := sameParam(gp, j); d != "" {
				return fmt.Sprintf("request %d: %s", i, d)
			}
		}
	}
	return ""
}

// sameParam checks the fast readers of parameter j against encoding/json.
func sameParam(p params, j int) string {
	gs, gerr := p.str(j)
	var ws string
	var werr *Error
	if !p.has(j) {
		werr = errParamsDecode("invalid type: null, expected a string")
	} else {
		werr = p.decode(j, &ws)
	}
	if !reflect.DeepEqual(gerr, werr) || werr == nil && gs != ws {
		return fmt.Sprintf("str(%d) = %q, %v; want %q, %v", j, gs, gerr, ws, werr)
	}
	gl, gerr := p.strs(j)
	var wl []string
	if !p.has(j) {
		werr = errParamsDecode("invalid type: null, expected a sequence")
	} else {
		werr = p.decode(j, &wl)
	}
	// On an error the strings read so far are not used.
	if !reflect.DeepEqual(gerr, werr) || werr == nil && (len(gl) != len(wl) || len(gl) > 0 && !reflect.DeepEqual(gl, wl)) {
		return fmt.Sprintf("strs(%d) = %q, %v; want %q, %v", j, gl, gerr, wl, werr)
	}
	gc, gerr := p.sendConfig(j)
	var wc sendConfig
	werr = p.decode(j, &wc)
	if !reflect.DeepEqual(gerr, werr) || werr == nil && !reflect.DeepEqual(gc, wc) {
		return fmt.Sprintf("sendConfig(%d) = %+v, %v; want %+v, %v", j, gc, gerr, wc, werr)
	}
	return ""
}

// compareDecoders reads body with both decoders and runs it on two servers
// over identical fakes (newServer, refServer), and reports the first
// difference, "" for none.
func compareDecoders(newServer, refServer *Server, body []byte) string {
	reqs, batch, ok := parseRequests(bytes.TrimSpace(body))
	wreqs, wbatch, wok := refParse(body)
	if ok != wok {
		return fmt.Sprintf("accepted %v, encoding/json %v", ok, wok)
	}
	if ok {
		if batch != wbatch {
			return fmt.Sprintf("batch %v, want %v", batch, wbatch)
		}
		if d := sameRequests(reqs, wreqs); d != "" {
			return d
		}
	}
	// Pubsub reads one request per message: a batch is not a request.
	req, ok := parseRequest(bytes.TrimSpace(body))
	if trimmed := bytes.TrimSpace(body); ok != json.Valid(trimmed) {
		return fmt.Sprintf("parseRequest accepted %v, json.Valid %v", ok, !ok)
	} else if ok {
		if d := sameRequests([]request{req}, []request{refRequest(trimmed)}); d != "" {
			return "parseRequest: " + d
		}
	}
	got := newServer.handleBody(context.Background(), body)
	want := refHandleBody(refServer, context.Background(), body)
	if !bytes.Equal(got, want) {
		return fmt.Sprintf("reply\n got %s\nwant %s", got, want)
	}
	return ""
}
