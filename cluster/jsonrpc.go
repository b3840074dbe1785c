package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// rpcCall is one JSON-RPC request of a batch.
type rpcCall struct {
	Method string
	Params []any
}

// rpcReply is the answer to one rpcCall: Result, or Err when the node
// answered with an error object or did not answer that call.
type rpcReply struct {
	Result json.RawMessage
	Err    error
}

// rpcError is an error object a node answered with.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message) }

// jsonRPC is a small JSON-RPC 2.0 client for the pollers: one batch request
// when the node supports it, single requests otherwise. A node that answers
// a batch short or not as an array (the real slonana answers only the first
// element) is switched to single requests for good. Safe for concurrent use.
type jsonRPC struct {
	url     string
	http    *http.Client
	noBatch atomic.Bool
}

func newJSONRPC(url string) *jsonRPC {
	tr := &http.Transport{
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	return &jsonRPC{url: url, http: &http.Client{Transport: tr}}
}

type wireRequest struct {
	JSONRPC string `json:"jsonrpc"`
	ID      int    `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params,omitempty"`
}

type wireReply struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *rpcError       `json:"error"`
}

// do sends calls and returns one reply per call, in order. The error is
// for the transport (node not answering, timeout); per-call errors are in
// the replies.
func (c *jsonRPC) do(ctx context.Context, calls []rpcCall) ([]rpcReply, error) {
	if len(calls) == 1 || c.noBatch.Load() {
		return c.singles(ctx, calls)
	}
	reqs := make([]wireRequest, len(calls))
	for i, call := range calls {
		reqs[i] = wireRequest{JSONRPC: "2.0", ID: i + 1, Method: call.Method, Params: call.Params}
	}
	body, err := c.post(ctx, reqs)
	if err != nil {
		return nil, err
	}
	var replies []wireReply
	if json.Unmarshal(body, &replies) != nil || len(replies) < len(calls) {
		c.noBatch.Store(true)
		return c.singles(ctx, calls)
	}
	out := make([]rpcReply, len(calls))
	for i := range out {
		out[i].Err = fmt.Errorf("%s: no answer in batch", calls[i].Method)
	}
	for _, r := range replies {
		var id int
		if json.Unmarshal(r.ID, &id) != nil || id < 1 || id > len(calls) {
			continue
		}
		out[id-1] = toReply(calls[id-1].Method, r)
	}
	return out, nil
}

func (c *jsonRPC) singles(ctx context.Context, calls []rpcCall) ([]rpcReply, error) {
	out := make([]rpcReply, len(calls))
	for i, call := range calls {
		body, err := c.post(ctx, wireRequest{JSONRPC: "2.0", ID: 1, Method: call.Method, Params: call.Params})
		if err != nil {
			return nil, err
		}
		var r wireReply
		if err := json.Unmarshal(body, &r); err != nil {
			out[i].Err = fmt.Errorf("%s: decode reply: %w", call.Method, err)
			continue
		}
		out[i] = toReply(call.Method, r)
	}
	return out, nil
}

func toReply(method string, r wireReply) rpcReply {
	if r.Error != nil {
		return rpcReply{Err: fmt.Errorf("%s: %w", method, r.Error)}
	}
	if len(r.Result) == 0 {
		return rpcReply{Err: fmt.Errorf("%s: reply has no result", method)}
	}
	return rpcReply{Result: r.Result}
}

func (c *jsonRPC) post(ctx context.Context, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("http %s", resp.Status)
	}
	return body, nil
}

// close releases idle connections.
func (c *jsonRPC) close() { c.http.CloseIdleConnections() }
