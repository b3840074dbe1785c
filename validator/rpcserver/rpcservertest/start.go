package rpcservertest

import (
	"context"
	"net"
	"testing"

	"slonui/validator/rpcserver"
)

// Start serves f with cfg on two fresh 127.0.0.1 ports and returns the
// JSON-RPC URL and the pubsub URL. The server stops when the test ends.
func Start(t testing.TB, f *Fake, cfg rpcserver.Config) (rpcURL, wsURL string) {
	t.Helper()
	s, err := rpcserver.New(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rpcLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	wsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		rpcLn.Close()
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, rpcLn, wsLn) }()
	<-f.Subscribed
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("rpcservertest: serve: %v", err)
		}
	})
	return "http://" + rpcLn.Addr().String(), "ws://" + wsLn.Addr().String()
}
