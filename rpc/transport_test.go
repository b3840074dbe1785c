package rpc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestKeepAliveReusesOneConnection: sequential calls ride one connection.
func TestKeepAliveReusesOneConnection(t *testing.T) {
	var conns atomic.Int32
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || !strings.Contains(string(body), `"getSlot"`) {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Write([]byte(`{"jsonrpc":"2.0","result":42,"id":1}`))
	}))
	hs.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	hs.Start()
	defer hs.Close()
	c := newClient(t, hs.URL)
	for i := range 20 {
		got, err := c.GetSlot(testCtx(t), Processed)
		if err != nil || got != 42 {
			t.Fatalf("call %d: %d, %v", i, got, err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("20 calls opened %d connections, want 1", n)
	}
}

// TestDroppedConnectionIsRetried: a node that closes each connection after
// one answer (without saying so) costs a redial, not an error.
func TestDroppedConnectionIsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				body := `{"jsonrpc":"2.0","result":7,"id":1}`
				fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
			}()
		}
	}()
	c := newClient(t, "http://"+ln.Addr().String())
	for i := range 3 {
		got, err := c.GetSlot(testCtx(t), Processed)
		if err != nil || got != 7 {
			t.Fatalf("call %d: %d, %v", i, got, err)
		}
	}
	if n := conns.Load(); n != 3 {
		t.Fatalf("3 calls on one-shot connections made %d connections, want 3", n)
	}
}

// TestChunkedAndClosingReplies: a chunked answer, and one that closes the
// connection, are both read whole.
func TestChunkedAndClosingReplies(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("close") != "" {
			w.Header().Set("Connection", "close")
		}
		w.Write([]byte(`{"jsonrpc":"2.0","result":`))
		w.(http.Flusher).Flush() // no Content-Length: chunked
		w.Write([]byte(`[1,2,3],"id":1}`))
	}))
	defer hs.Close()
	for _, path := range []string{"/", "/?close=1"} {
		c := newClient(t, hs.URL+path)
		for i := range 2 {
			var out []uint64
			if err := c.Call(testCtx(t), "getBlocks", []any{1}, &out); err != nil || fmt.Sprint(out) != "[1 2 3]" {
				t.Fatalf("%s call %d: %v, %v", path, i, out, err)
			}
		}
	}
}

// TestCancelledCallReturns: cancelling the context ends a call waiting on
// a node that never answers, with the context's error.
func TestCancelledCallReturns(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{})
	go func() {
		conn, err := ln.Accept()
		close(accepted)
		if err == nil {
			defer conn.Close()
			io.Copy(io.Discard, conn)
		}
	}()
	cfg := DefaultConfig()
	cfg.Timeout = 1 << 40 // the context ends it, not the timeout
	c, err := New("http://"+ln.Addr().String(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.GetSlot(ctx, Processed)
		done <- err
	}()
	<-accepted // the call is waiting on the node now
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled call: %v", err)
	}
}
