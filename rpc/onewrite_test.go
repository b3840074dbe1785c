package rpc

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// countingConn counts Write calls on a client connection.
type countingConn struct {
	net.Conn
	mu     *sync.Mutex
	writes *int
}

func (c countingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	*c.writes++
	c.mu.Unlock()
	return c.Conn.Write(b)
}

// TestRequestLeavesInOneWrite: the real slonana parses a request from the
// first read only, so headers and body must go out in a single write, even
// for a body larger than Go's default 4 KiB write buffer.
func TestRequestLeavesInOneWrite(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"jsonrpc":"2.0","result":1,"id":1}`))
	}))
	defer hs.Close()
	c := newClient(t, hs.URL)
	var mu sync.Mutex
	writes := 0
	dial := c.fast.dial
	c.fast.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{Conn: conn, mu: &mu, writes: &writes}, nil
	}
	if err := c.Call(context.Background(), "echo", []any{strings.Repeat("x", 10_000)}, nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if writes != 1 {
		t.Fatalf("the request left in %d writes, want 1", writes)
	}
}
