package rpc

import (
	"context"
	"fmt"
	"sync"
)

// Batch collects calls to send in one request. Not safe for concurrent use;
// build it, call Do once, then read each call's Err and result.
type Batch struct {
	c     *Client
	calls []*BatchCall
}

// BatchCall is one call of a batch. After Do, Err is its outcome and the
// result pointer given to Add holds the decoded result.
type BatchCall struct {
	Method string
	Params []any
	Err    error
	result any
}

// NewBatch starts an empty batch.
func (c *Client) NewBatch() *Batch { return &Batch{c: c} }

// Add queues a call whose result is decoded into result (a pointer or nil).
func (b *Batch) Add(method string, params []any, result any) *BatchCall {
	call := &BatchCall{Method: method, Params: params, result: result}
	b.calls = append(b.calls, call)
	return call
}

// Len is the number of queued calls.
func (b *Batch) Len() int { return len(b.calls) }

// GetSlot queues getSlot at cm.
func (b *Batch) GetSlot(cm Commitment, out *uint64) *BatchCall {
	return b.Add("getSlot", commitmentParam(cm), out)
}

// GetTransactionCount queues getTransactionCount at cm.
func (b *Batch) GetTransactionCount(cm Commitment, out *uint64) *BatchCall {
	return b.Add("getTransactionCount", commitmentParam(cm), out)
}

// GetClusterNodes queues getClusterNodes.
func (b *Batch) GetClusterNodes(out *[]ClusterNode) *BatchCall {
	return b.Add("getClusterNodes", nil, out)
}

// GetVoteAccounts queues getVoteAccounts at cm.
func (b *Batch) GetVoteAccounts(cm Commitment, out *VoteAccounts) *BatchCall {
	return b.Add("getVoteAccounts", commitmentParam(cm), out)
}

// GetEpochInfo queues getEpochInfo at cm.
func (b *Batch) GetEpochInfo(cm Commitment, out *EpochInfo) *BatchCall {
	return b.Add("getEpochInfo", commitmentParam(cm), out)
}

// GetLeaderSchedule queues getLeaderSchedule for the current epoch.
func (b *Batch) GetLeaderSchedule(out *map[string][]uint64) *BatchCall {
	return b.Add("getLeaderSchedule", nil, out)
}

// SendTransaction queues sendTransaction of a signed wire transaction;
// out gets the signature the node reports (base58). The transaction is
// base64-encoded straight into the request body.
func (b *Batch) SendTransaction(wire []byte, opt SendOptions, out *string) *BatchCall {
	return b.Add("sendTransaction", sendParams(wire, opt), out)
}

// Do sends the batch within the client's timeout. Calls the node leaves
// unanswered (a short batch answer, a single object, or anything but an
// array) are sent again as single requests, at once and in parallel, and
// the client remembers to send later batches as single requests. Do
// returns an error only when the node could not be reached at all; each
// call's own outcome is in its Err.
func (b *Batch) Do(ctx context.Context) error {
	if len(b.calls) == 0 {
		return nil
	}
	c := b.c
	if c.noBatch.Load() {
		b.singles(ctx, b.calls)
		return nil
	}
	// The calls take consecutive ids, first … first+n-1.
	n := uint64(len(b.calls))
	first := c.id.Add(n) - n + 1
	bp := c.getBody()
	body, err := b.encode((*bp)[:0], first)
	if err != nil {
		c.putBody(bp, body)
		return fmt.Errorf("rpc %s: batch: encode: %w", c.url, err)
	}
	tctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	raw, err := c.post(tctx, body)
	cancel()
	c.putBody(bp, body)
	if err != nil {
		err = fmt.Errorf("rpc %s: batch: %w", c.url, err)
		for _, call := range b.calls {
			call.Err = err
		}
		return err
	}
	answered := make([]bool, len(b.calls))
	for _, r := range decodeReplies(raw) {
		id, ok := idOf(r.ID)
		k := id - first
		if !ok || id < first || k >= n || answered[k] {
			continue
		}
		answered[k] = true
		call := b.calls[k]
		call.Err = r.into(call.result)
	}
	var missing []*BatchCall
	for k, call := range b.calls {
		if !answered[k] {
			missing = append(missing, call)
		}
	}
	if len(missing) > 0 {
		c.noBatch.Store(true)
		b.singles(ctx, missing)
	}
	return nil
}

// encode appends the batch's requests as an array, with ids from first.
func (b *Batch) encode(buf []byte, first uint64) ([]byte, error) {
	buf = append(buf, '[')
	for i, call := range b.calls {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendRequest(buf, first+uint64(i), call.Method, call.Params); err != nil {
			return buf, err
		}
	}
	return append(buf, ']'), nil
}

// decodeReplies reads an array of replies, or a single reply object.
func decodeReplies(raw []byte) []reply { return scanReplies(raw) }

// singles sends calls as single requests in parallel.
func (b *Batch) singles(ctx context.Context, calls []*BatchCall) {
	var wg sync.WaitGroup
	for _, call := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call.Err = b.c.Call(ctx, call.Method, call.Params, call.result)
		}()
	}
	wg.Wait()
}
