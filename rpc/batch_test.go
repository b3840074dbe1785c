package rpc

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"slonui/solana"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

// counting wraps h and counts POSTs.
func counting(h http.Handler, n *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			n.Add(1)
		}
		h.ServeHTTP(w, r)
	})
}

func TestBatchAgainstServer(t *testing.T) {
	f := rpcservertest.NewFake()
	s, err := rpcserver.New(f, rpcserver.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var posts atomic.Int64
	hs := httptest.NewServer(counting(s.Handler(), &posts))
	defer hs.Close()
	c := newClient(t, hs.URL)
	b := c.NewBatch()
	var processed, confirmed, finalized, txs uint64
	var nodes []ClusterNode
	var votes VoteAccounts
	var ei EpochInfo
	var sched map[string][]uint64
	b.GetSlot(Processed, &processed)
	b.GetSlot(Confirmed, &confirmed)
	b.GetSlot(Finalized, &finalized)
	b.GetTransactionCount(Processed, &txs)
	b.GetClusterNodes(&nodes)
	b.GetVoteAccounts(Processed, &votes)
	b.GetEpochInfo(Processed, &ei)
	b.GetLeaderSchedule(&sched)
	bad := b.Add("nope", nil, nil)
	if err := b.Do(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if processed != 130 || confirmed != 128 || finalized != 100 || txs != 1300 || len(nodes) != 2 || ei.AbsoluteSlot != 130 || len(sched) != 2 {
		t.Fatalf("results %d %d %d %d %d %+v %d", processed, confirmed, finalized, txs, len(nodes), ei, len(sched))
	}
	if !IsCode(bad.Err, CodeMethodNotFound) {
		t.Fatalf("unknown method in batch: %v", bad.Err)
	}
	if posts.Load() != 1 || !c.BatchSupported() {
		t.Fatalf("%d POSTs, batch supported %v; want 1 and true", posts.Load(), c.BatchSupported())
	}
}

// slonanaLike answers like the real slonana: it does not understand
// batches. mode "first" answers a batch's first element as an object,
// "short" as a one-element array, "garbage" with -32700 and id null.
func slonanaLike(mode string, posts *atomic.Int64) http.Handler {
	blockhash := solana.Hash{0xab, 0xcd}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Connection", "close")
		body = bytes.TrimSpace(body)
		if len(body) > 0 && body[0] == '[' {
			var reqs []json.RawMessage
			_ = json.Unmarshal(body, &reqs)
			switch mode {
			case "garbage":
				fmt.Fprint(w, `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}`)
				return
			case "short":
				fmt.Fprintf(w, "[%s]", answer(reqs[0], blockhash))
				return
			}
			body = reqs[0]
		}
		w.Write(answer(body, blockhash))
	})
}

func answer(req json.RawMessage, blockhash solana.Hash) []byte {
	var r struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	_ = json.Unmarshal(req, &r)
	var result string
	switch r.Method {
	case "getSlot":
		result = "42"
	case "getTransactionCount":
		result = "7"
	case "getHealth":
		result = `"unhealthy"`
	case "getLatestBlockhash":
		result = `{"context":{"slot":42},"value":{"blockhash":"` + hex.EncodeToString(blockhash[:]) + `","lastValidBlockHeight":192}}`
	case "getGenesisHash":
		result = `"` + hex.EncodeToString(blockhash[:]) + `"`
	default:
		return []byte(`{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":` + string(r.ID) + `}`)
	}
	return []byte(`{"jsonrpc":"2.0","result":` + result + `,"id":` + string(r.ID) + `}`)
}

func TestBatchFallsBackToSingles(t *testing.T) {
	for _, mode := range []string{"first", "short", "garbage"} {
		t.Run(mode, func(t *testing.T) {
			var posts atomic.Int64
			hs := httptest.NewServer(slonanaLike(mode, &posts))
			defer hs.Close()
			c := newClient(t, hs.URL)
			run := func() {
				b := c.NewBatch()
				var a, bb, txs uint64
				ca := b.GetSlot(Processed, &a)
				cb := b.GetSlot(Finalized, &bb)
				ct := b.GetTransactionCount(Processed, &txs)
				if err := b.Do(testCtx(t)); err != nil {
					t.Fatal(err)
				}
				if ca.Err != nil || cb.Err != nil || ct.Err != nil || a != 42 || bb != 42 || txs != 7 {
					t.Fatalf("results %d %d %d, errors %v %v %v", a, bb, txs, ca.Err, cb.Err, ct.Err)
				}
			}
			run()
			answered := map[string]int64{"first": 1, "short": 1, "garbage": 0}[mode]
			if got := posts.Load(); got != 1+3-answered {
				t.Fatalf("first batch: %d POSTs, want %d", got, 1+3-answered)
			}
			if c.BatchSupported() {
				t.Fatal("client still thinks the node answers batches")
			}
			run()
			if got := posts.Load(); got != 1+3-answered+3 {
				t.Fatalf("second batch: %d POSTs in all, want singles only", got)
			}
		})
	}
}

func TestTolerantDecoding(t *testing.T) {
	var posts atomic.Int64
	hs := httptest.NewServer(slonanaLike("first", &posts))
	defer hs.Close()
	c := newClient(t, hs.URL)
	ctx := testCtx(t)
	h, err := c.GetHealth(ctx)
	if err != nil || h.OK || h.Status != "unhealthy" {
		t.Fatalf("GetHealth = %+v, %v", h, err)
	}
	bh, err := c.GetLatestBlockhash(ctx, Processed)
	if err != nil || bh.Hash != (solana.Hash{0xab, 0xcd}) || bh.Slot != 42 || bh.LastValidBlockHeight != 192 {
		t.Fatalf("GetLatestBlockhash = %+v, %v", bh, err)
	}
	g, err := c.GetGenesisHash(ctx)
	if err != nil || g != (solana.Hash{0xab, 0xcd}) {
		t.Fatalf("GetGenesisHash = %s, %v", g, err)
	}
}

func TestParseHashTolerant(t *testing.T) {
	h := solana.HashOf([]byte("x"))
	cases := []struct {
		in   string
		want solana.Hash
		ok   bool
	}{
		{h.String(), h, true},
		{hex.EncodeToString(h[:]), h, true},
		{"zz", solana.Hash{}, false},
		{"0OIl", solana.Hash{}, false},
	}
	for _, c := range cases {
		got, err := ParseHashTolerant(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseHashTolerant(%q) = %s, %v", c.in, got, err)
		}
	}
}
