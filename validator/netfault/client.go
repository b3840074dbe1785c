package netfault

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Client calls one node's admin API. It is safe for concurrent use.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// NewClient returns a client for the admin API at addr ("127.0.0.1:9000" or
// "http://127.0.0.1:9000") using the cluster token.
func NewClient(addr, token string) *Client {
	base := addr
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	return &Client{base: strings.TrimRight(base, "/"), token: token, http: &http.Client{Timeout: 5 * time.Second}}
}

// Faults returns the node's rules and counters.
func (c *Client) Faults(ctx context.Context) (Status, error) {
	return c.do(ctx, http.MethodGet, "/faults", nil)
}

// Partition cuts traffic to and from peers (cumulative until Heal).
func (c *Client) Partition(ctx context.Context, peers []string) (Status, error) {
	return c.do(ctx, http.MethodPost, "/faults/partition", PartitionRequest{Peers: peers})
}

// PartitionDirected cuts one direction of traffic with peers: Inbound drops
// what they send to the node, Outbound what the node sends them.
func (c *Client) PartitionDirected(ctx context.Context, peers []string, dir Direction) (Status, error) {
	d := "in"
	if dir == Outbound {
		d = "out"
	}
	return c.do(ctx, http.MethodPost, "/faults/partition", PartitionRequest{Peers: peers, Direction: d})
}

// SetRules replaces every rule on the node at once (all or nothing), e.g.
// to restore the Rules of an earlier Status when rolling back a plan.
func (c *Client) SetRules(ctx context.Context, r Rules) (Status, error) {
	return c.do(ctx, http.MethodPut, "/faults", r)
}

// Loss drops fraction of packets (with peers, only theirs); 0 removes it.
func (c *Client) Loss(ctx context.Context, fraction float64, peers []string) (Status, error) {
	return c.do(ctx, http.MethodPost, "/faults/loss", LossRequest{Fraction: &fraction, Peers: peers})
}

// Delay holds packets delay ± jitter (with peers, only theirs); 0 removes it.
// Durations are sent in whole milliseconds.
func (c *Client) Delay(ctx context.Context, delay, jitter time.Duration, peers []string) (Status, error) {
	ms := int(delay / time.Millisecond)
	return c.do(ctx, http.MethodPost, "/faults/delay", DelayRequest{MS: &ms, JitterMS: int(jitter / time.Millisecond), Peers: peers})
}

// Heal removes every fault.
func (c *Client) Heal(ctx context.Context) (Status, error) {
	return c.do(ctx, http.MethodPost, "/faults/heal", nil)
}

// APIError is a non-200 answer from the admin API.
type APIError struct {
	Code    int
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("admin API: %d: %s", e.Code, e.Message) }

func (c *Client) do(ctx context.Context, method, path string, body any) (Status, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return Status{}, fmt.Errorf("netfault: %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return Status{}, fmt.Errorf("netfault: %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Status{}, fmt.Errorf("netfault: %s %s: %w", method, c.base+path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Status{}, fmt.Errorf("netfault: %s %s: read: %w", method, c.base+path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var eb errorBody
		if json.Unmarshal(data, &eb) != nil || eb.Error == "" {
			eb.Error = strings.TrimSpace(string(data))
		}
		return Status{}, fmt.Errorf("netfault: %s %s: %w", method, c.base+path, &APIError{Code: resp.StatusCode, Message: eb.Error})
	}
	var st Status
	if err := json.Unmarshal(data, &st); err != nil {
		return Status{}, fmt.Errorf("netfault: %s %s: decode: %w", method, c.base+path, err)
	}
	return st, nil
}
