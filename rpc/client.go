package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Config configures a Client.
type Config struct {
	// Timeout bounds every call (a batch counts as one call, its single-request
	// fallback as one more).
	Timeout time.Duration
	// MaxIdleConns is the number of kept-alive connections to the node.
	MaxIdleConns int
	// MaxReplyBytes limits a reply body.
	MaxReplyBytes int64
}

// DefaultConfig suits a poller ticking every 250 ms.
func DefaultConfig() Config {
	return Config{Timeout: 2 * time.Second, MaxIdleConns: 8, MaxReplyBytes: 64 << 20}
}

// Validate reports every problem of c.
func (c Config) Validate() error {
	var errs []error
	if c.Timeout <= 0 {
		errs = append(errs, fmt.Errorf("rpc: timeout must be positive, got %s", c.Timeout))
	}
	if c.MaxIdleConns < 0 {
		errs = append(errs, fmt.Errorf("rpc: max idle conns must not be negative, got %d", c.MaxIdleConns))
	}
	if c.MaxReplyBytes <= 0 {
		errs = append(errs, fmt.Errorf("rpc: max reply bytes must be positive, got %d", c.MaxReplyBytes))
	}
	return errors.Join(errs...)
}

// Client talks to one node's JSON-RPC URL. Safe for concurrent use.
type Client struct {
	url string
	cfg Config
	hc  *http.Client
	id  atomic.Uint64
	// noBatch is set once the node answered a batch short or not as an
	// array; batches then go out as single requests.
	noBatch atomic.Bool
	// fast carries the calls to a http:// URL (nil: net/http does).
	fast *transport
}

// New returns a client for url (e.g. "http://127.0.0.1:8899").
func New(url string, cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	dial := (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext
	tr := &http.Transport{
		DialContext:           dial,
		MaxIdleConns:          cfg.MaxIdleConns,
		MaxIdleConnsPerHost:   cfg.MaxIdleConns,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
		DisableCompression:    true,
		// Headers and body leave in one write: the real slonana reads a
		// request from the first segment only.
		WriteBufferSize: 64 << 10,
	}
	return &Client{url: url, cfg: cfg, hc: &http.Client{Transport: tr}, fast: newTransport(url, cfg, dial)}, nil
}

// URL is the node URL the client talks to.
func (c *Client) URL() string { return c.url }

// Close drops the kept-alive connections.
func (c *Client) Close() {
	c.hc.CloseIdleConnections()
	if c.fast != nil {
		c.fast.closeIdle()
	}
}

// BatchSupported reports false once the node has shown it cannot answer batches.
func (c *Client) BatchSupported() bool { return !c.noBatch.Load() }

// request is a JSON-RPC request with a numeric id.
type request struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params,omitempty"`
}

// reply is a JSON-RPC reply, decoded leniently.
type reply struct {
	Result json.RawMessage `json:"result"`
	Error  *Error          `json:"error"`
	ID     json.RawMessage `json:"id"`
}

// idOf reads a reply id; a node may echo a number as a string.
func idOf(raw json.RawMessage) (uint64, bool) {
	s := string(bytes.Trim(bytes.TrimSpace(raw), `"`))
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// into decodes a reply into result.
func (r *reply) into(result any) error {
	if r.Error != nil {
		return r.Error
	}
	if r.Result == nil {
		return ErrEmptyReply
	}
	if result == nil {
		return nil
	}
	return decodeResult(r.Result, result)
}

// Call runs one method with positional params and decodes the result into
// result (a pointer, or nil to discard it).
func (c *Client) Call(ctx context.Context, method string, params []any, result any) error {
	return c.call(ctx, method, func(buf []byte, id uint64) ([]byte, error) {
		return appendRequest(buf, id, method, params)
	}, result)
}

// call runs one request that encode appends to a body buffer, and decodes
// its result into result.
func (c *Client) call(ctx context.Context, method string, encode func(buf []byte, id uint64) ([]byte, error), result any) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	bp := c.getBody()
	body, err := encode((*bp)[:0], c.id.Add(1))
	if err != nil {
		c.putBody(bp, body)
		return fmt.Errorf("rpc %s: %s: encode: %w", c.url, method, err)
	}
	raw, err := c.post(ctx, body)
	c.putBody(bp, body)
	if err != nil {
		return fmt.Errorf("rpc %s: %s: %w", c.url, method, err)
	}
	var r reply
	if err := scanReply(raw, &r); err != nil {
		return fmt.Errorf("rpc %s: %s: decode reply: %w", c.url, method, err)
	}
	if err := r.into(result); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return e
		}
		return fmt.Errorf("rpc %s: %s: %w", c.url, method, err)
	}
	return nil
}

// post sends one body (headers and body in one write, which slonana
// needs) and returns the reply body. A non-200 answer whose body is JSON
// is returned as such so its JSON-RPC error is seen.
func (c *Client) post(ctx context.Context, body []byte) ([]byte, error) {
	if c.fast != nil {
		raw, code, err := c.fast.post(ctx, body, c.cfg.MaxReplyBytes)
		if err != nil {
			return nil, err
		}
		return checkStatus(code, raw)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxReplyBytes))
	if err != nil {
		return nil, fmt.Errorf("read reply: %w", err)
	}
	return checkStatus(resp.StatusCode, raw)
}

// checkStatus passes a 200 answer, or any answer whose body is JSON.
func checkStatus(code int, raw []byte) ([]byte, error) {
	if code != http.StatusOK && !json.Valid(raw) {
		return nil, fmt.Errorf("HTTP %d: %s", code, bytes.TrimSpace(raw[:min(len(raw), 200)]))
	}
	return raw, nil
}
