package rpc

import (
	"context"
	"testing"

	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

// pollOnce is one poller tick: slots at three commitments, transaction
// count, cluster nodes and vote accounts.
func pollOnce(b *testing.B, c *Client) {
	batch := c.NewBatch()
	var p, cf, f, txs uint64
	var nodes []ClusterNode
	var votes VoteAccounts
	batch.GetSlot(Processed, &p)
	batch.GetSlot(Confirmed, &cf)
	batch.GetSlot(Finalized, &f)
	batch.GetTransactionCount(Processed, &txs)
	batch.GetClusterNodes(&nodes)
	batch.GetVoteAccounts(Processed, &votes)
	if err := batch.Do(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPollBatch: one tick as a single batch request.
func BenchmarkPollBatch(b *testing.B) {
	url, _ := rpcservertest.Start(b, rpcservertest.NewFake(), rpcserver.DefaultConfig())
	c, err := New(url, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for b.Loop() {
		pollOnce(b, c)
	}
}

// BenchmarkPollSingles: the same tick as six parallel single requests (the
// path taken for nodes that cannot answer batches).
func BenchmarkPollSingles(b *testing.B) {
	url, _ := rpcservertest.Start(b, rpcservertest.NewFake(), rpcserver.DefaultConfig())
	c, err := New(url, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	c.noBatch.Store(true)
	for b.Loop() {
		pollOnce(b, c)
	}
}
