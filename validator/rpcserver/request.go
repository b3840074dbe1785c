package rpcserver

import (
	"encoding/json"
)

// request is one JSON-RPC request read from a body. id is nil for a
// notification (no "id" key) and is the raw bytes received, so it is echoed
// exactly (a string stays a string, a 63-bit int never passes through
// float64). err is set when the envelope is not a valid request; then id is
// kept only when it was readable, and the request is not run.
type request struct {
	id     json.RawMessage
	method string
	params json.RawMessage
	args   params // params split into its elements, when split
	split  bool
	err    *Error
}

// positional returns the positional parameters: the elements of an array,
// none for a missing or null params, and an error for anything else.
func (r *request) positional() (params, *Error) {
	if r.split {
		return r.args, nil
	}
	return parseParams(r.params)
}

// rawNull is the id of replies to requests whose id could not be read.
var rawNull = json.RawMessage("null")

// reqReader reads requests from a body in one pass with a scanner. The
// spans it returns (ids, params and their elements) alias the body.
type reqReader struct {
	scanner
	args []json.RawMessage // params elements of every request, in order
	refs []argRef          // where each request's elements are in args
}

// argRef locates one request's params elements in reqReader.args; n < 0
// means its params was not an array.
type argRef struct{ start, n int }

// member is the raw value of one member of a request object, if present.
type member struct {
	span []byte
	ok   bool
}

// members are the members of a request object that the envelope reads.
type members struct{ id, version, method, params member }

// parseRequests reads a body (without surrounding whitespace) that is one
// request or a batch. ok is false when the body is not valid JSON as
// json.Valid judges it; nothing is then to be run.
func parseRequests(body []byte) (reqs []request, batch, ok bool) {
	r := &reqReader{scanner: scanner{data: body}}
	if r.peek() != '[' {
		req, ok := r.element(0)
		if !ok || r.off != len(body) {
			return nil, false, false
		}
		reqs = []request{req}
		r.finish(reqs)
		return reqs, false, true
	}
	r.off++
	r.ws()
	if r.peek() == ']' {
		r.off++
		return nil, true, r.off == len(body)
	}
	for {
		req, ok := r.element(1)
		if !ok {
			return nil, true, false
		}
		reqs = append(reqs, req)
		r.ws()
		switch r.peek() {
		case ',':
			r.off++
			r.ws()
			continue
		case ']':
			r.off++
			if r.off != len(body) {
				return nil, true, false
			}
			r.finish(reqs)
			return reqs, true, true
		}
		return nil, true, false
	}
}

// parseRequest reads a message that is one request; a batch is read as one
// value that is not a request. ok is false when msg is not valid JSON.
func parseRequest(msg []byte) (request, bool) {
	r := &reqReader{scanner: scanner{data: msg}}
	var req request
	var ok bool
	if r.peek() == '[' {
		ok = r.value(0)
		req.err = errInvalidRequest()
	} else {
		req, ok = r.element(0)
	}
	if !ok || r.off != len(msg) {
		return request{}, false
	}
	reqs := []request{req}
	r.finish(reqs)
	return reqs[0], true
}

// finish points each split request at its params elements, once args no
// longer grows.
func (r *reqReader) finish(reqs []request) {
	for i := range min(len(reqs), len(r.refs)) {
		if ref := r.refs[i]; reqs[i].split {
			reqs[i].args = r.args[ref.start : ref.start+ref.n : ref.start+ref.n]
		}
	}
}

// element reads one request value inside depth containers. A value that
// is not an object is read and marked as an invalid request.
func (r *reqReader) element(depth int) (request, bool) {
	r.refs = append(r.refs, argRef{n: -1})
	if r.peek() != '{' {
		return request{err: errInvalidRequest()}, r.value(depth)
	}
	var m members
	r.off++
	r.ws()
	if r.peek() == '}' {
		r.off++
		return checkEnvelope(m, false), true
	}
	for {
		if !r.member(depth+1, &m) {
			return request{}, false
		}
		r.ws()
		switch r.peek() {
		case ',':
			r.off++
			r.ws()
			continue
		case '}':
			r.off++
			return checkEnvelope(m, r.refs[len(r.refs)-1].n >= 0), true
		}
		return request{}, false
	}
}

// member reads `"key": value` inside depth containers and keeps the value
// in m when the envelope reads that key (the last one wins, as in
// encoding/json).
func (r *reqReader) member(depth int, m *members) bool {
	if r.peek() != '"' {
		return false
	}
	start := r.off
	simple, ok := r.str()
	if !ok {
		return false
	}
	name := r.data[start:r.off]
	r.ws()
	if r.peek() != ':' {
		return false
	}
	r.off++
	r.ws()
	vstart := r.off
	var dst *member
	switch keyName(name, simple) {
	case "id":
		dst = &m.id
	case "jsonrpc":
		dst = &m.version
	case "method":
		dst = &m.method
	case "params":
		if !r.paramsValue(depth) {
			return false
		}
		m.params = member{r.data[vstart:r.off], true}
		return true
	}
	if !r.value(depth) {
		return false
	}
	if dst != nil {
		*dst = member{r.data[vstart:r.off], true}
	}
	return true
}

// paramsValue reads the value of a "params" member; an array has its
// elements recorded for the current request (the last "params" wins, as in
// encoding/json).
func (r *reqReader) paramsValue(depth int) bool {
	ref := &r.refs[len(r.refs)-1]
	*ref = argRef{n: -1}
	if r.peek() != '[' {
		return r.value(depth)
	}
	if depth+1 > maxDepth {
		return false
	}
	start := len(r.args)
	r.off++
	r.ws()
	if r.peek() == ']' {
		r.off++
		*ref = argRef{start, 0}
		return true
	}
	for {
		vstart := r.off
		if !r.value(depth + 1) {
			return false
		}
		r.args = append(r.args, r.data[vstart:r.off])
		r.ws()
		switch r.peek() {
		case ',':
			r.off++
			r.ws()
			continue
		case ']':
			r.off++
			*ref = argRef{start, len(r.args) - start}
			return true
		}
		return false
	}
}

// keyName is the name of a member key given with its quotes; simple says
// it has no escape and only printable ASCII.
func keyName(quoted []byte, simple bool) string {
	if simple {
		switch string(quoted[1 : len(quoted)-1]) {
		case "id":
			return "id"
		case "jsonrpc":
			return "jsonrpc"
		case "method":
			return "method"
		case "params":
			return "params"
		}
		return ""
	}
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return ""
	}
	return s
}

// checkEnvelope checks the members of a request object in the order Agave's
// jsonrpc-core does: a bad id makes the request invalid and unanswerable
// by id; then jsonrpc must be "2.0" and method a string (null reads as "").
func checkEnvelope(m members, split bool) request {
	id, version, method, prms := m.id, m.version, m.method, m.params
	var req request
	if id.ok {
		if !validID(id.span) {
			return invalid(request{})
		}
		req.id = id.span
	}
	if !version.ok {
		return invalid(req)
	}
	if string(version.span) != `"2.0"` {
		var v string
		if json.Unmarshal(version.span, &v) != nil || v != "2.0" {
			return invalid(req)
		}
	}
	if !method.ok {
		return invalid(req)
	}
	if plain, ok := plainString(method.span); ok {
		req.method = methodName(plain)
	} else if json.Unmarshal(method.span, &req.method) != nil {
		return invalid(req)
	}
	if prms.ok {
		req.params = prms.span
		req.split = split
	}
	return req
}

// invalid marks req as an invalid request, keeping its id.
func invalid(req request) request {
	req.err = errInvalidRequest()
	req.method = ""
	return req
}

// methodName returns the method's name, without allocating for the known ones.
func methodName(b []byte) string {
	if name, ok := methodNames[string(b)]; ok {
		return name
	}
	return string(b)
}

// validID accepts the id forms of JSON-RPC 2.0: number, string or null.
func validID(id json.RawMessage) bool {
	if len(id) == 0 {
		return false
	}
	switch c := id[0]; {
	case c == '"', c == '-', c >= '0' && c <= '9':
		return true
	case string(id) == "null":
		return true
	}
	return false
}
