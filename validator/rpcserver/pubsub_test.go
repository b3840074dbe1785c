package rpcserver

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"slonui/solana"
)

// wsClient reads every message into a channel so pings can be answered.
type wsClient struct {
	t    *testing.T
	c    *websocket.Conn
	msgs chan []byte
}

func newPubsubServer(t *testing.T) (*fakeBackend, *Server, string) {
	t.Helper()
	f := newFake()
	s, err := New(f, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.PubsubHandler())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.RunPubsub(ctx) }()
	<-f.subscribed
	t.Cleanup(func() {
		cancel()
		<-done
		s.pubsub.closeAll()
		hs.Close()
	})
	return f, s, "ws" + strings.TrimPrefix(hs.URL, "http")
}

func dial(t *testing.T, url string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &wsClient{t: t, c: c, msgs: make(chan []byte, 64)}
	go func() {
		defer close(w.msgs)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				return
			}
			w.msgs <- b
		}
	}()
	t.Cleanup(func() { c.CloseNow() })
	return w
}

func (w *wsClient) send(s string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.c.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		w.t.Fatal(err)
	}
}

// next returns the next message; a generous deadline only guards against a hang.
func (w *wsClient) next() string {
	w.t.Helper()
	select {
	case b, ok := <-w.msgs:
		if !ok {
			w.t.Fatal("connection closed")
		}
		return string(b)
	case <-time.After(10 * time.Second):
		w.t.Fatal("no message")
	}
	return ""
}

func (w *wsClient) expect(want string) {
	w.t.Helper()
	got := w.next()
	if !jsonEqual(w.t, []byte(got), want) {
		w.t.Fatalf("message\n got %s\nwant %s", got, want)
	}
}

func TestPubsubSlotFlow(t *testing.T) {
	f, _, url := newPubsubServer(t)
	w := dial(t, url)
	w.send(`{"jsonrpc":"2.0","id":9223372036854775807,"method":"slotSubscribe","params":null}`)
	reply := w.next()
	if reply != `{"jsonrpc":"2.0","result":0,"id":9223372036854775807}` {
		t.Fatalf("reply %s", reply)
	}
	f.events <- Event{Kind: EventSlot, Slot: 131, Parent: 130, Root: 100}
	w.expect(`{"jsonrpc":"2.0","method":"slotNotification","params":{"result":{"parent":130,"root":100,"slot":131},"subscription":0}}`)

	// web3.js's ping notification gets no answer and does not close the socket.
	w.send(`{"jsonrpc":"2.0","method":"ping"}`)
	w.send(`{"jsonrpc":"2.0","id":"s","method":"slotUnsubscribe","params":[0]}`)
	w.expect(`{"jsonrpc":"2.0","result":true,"id":"s"}`)
	f.events <- Event{Kind: EventSlot, Slot: 132, Parent: 131, Root: 100}
	w.send(`{"jsonrpc":"2.0","id":2,"method":"slotUnsubscribe","params":[0]}`)
	w.expect(`{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid subscription id."},"id":2}`)

	// WebSocket ping frames are answered.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.c.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
}

func TestPubsubRootAndUnknownMethod(t *testing.T) {
	f, _, url := newPubsubServer(t)
	w := dial(t, url)
	w.send(`{"jsonrpc":"2.0","id":1,"method":"rootSubscribe"}`)
	w.expect(`{"jsonrpc":"2.0","result":0,"id":1}`)
	f.events <- Event{Kind: EventRoot, Root: 101}
	w.expect(`{"jsonrpc":"2.0","method":"rootNotification","params":{"result":101,"subscription":0}}`)
	w.send(`{"jsonrpc":"2.0","id":2,"method":"blockSubscribe"}`)
	w.expect(`{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":2}`)
	w.send(`{nope`)
	w.expect(`{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}`)
}

func TestPubsubSignatureFiresOnceAtCommitment(t *testing.T) {
	f, _, url := newPubsubServer(t)
	sig := solana.Signature{42}
	zero := uint64(0)
	f.setStatus(sig, &SignatureStatus{Slot: 130, Confirmations: &zero, ConfirmationStatus: Processed})
	w := dial(t, url)
	w.send(`{"jsonrpc":"2.0","id":5,"method":"signatureSubscribe","params":["` + sig.String() + `",{"commitment":"confirmed","enableReceivedNotification":true}]}`)
	w.expect(`{"jsonrpc":"2.0","result":0,"id":5}`)
	f.events <- Event{Kind: EventSignatureReceived, Signature: sig}
	w.expect(`{"jsonrpc":"2.0","method":"signatureNotification","params":{"result":{"context":{"apiVersion":"2.2.0","slot":130},"value":"receivedSignature"},"subscription":0}}`)
	// Still processed: a slot event must not fire it.
	f.events <- Event{Kind: EventSlot, Slot: 131, Parent: 130}
	one := uint64(1)
	f.setStatus(sig, &SignatureStatus{Slot: 130, Confirmations: &one, ConfirmationStatus: Confirmed, Err: "AccountNotFound"})
	f.events <- Event{Kind: EventCommitment, Slot: 130}
	w.expect(`{"jsonrpc":"2.0","method":"signatureNotification","params":{"result":{"context":{"apiVersion":"2.2.0","slot":128},"value":{"err":"AccountNotFound"}},"subscription":0}}`)
	// The server cancelled the subscription itself.
	f.events <- Event{Kind: EventCommitment, Slot: 131}
	w.send(`{"jsonrpc":"2.0","id":6,"method":"signatureUnsubscribe","params":[0]}`)
	w.expect(`{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid subscription id."},"id":6}`)
}

func TestPubsubSignatureAlreadyFinalized(t *testing.T) {
	f, _, url := newPubsubServer(t)
	sig := solana.Signature{43}
	f.setStatus(sig, &SignatureStatus{Slot: 90, ConfirmationStatus: Finalized})
	w := dial(t, url)
	w.send(`{"jsonrpc":"2.0","id":"web3","method":"signatureSubscribe","params":["` + sig.String() + `"]}`)
	w.expect(`{"jsonrpc":"2.0","result":0,"id":"web3"}`)
	w.expect(`{"jsonrpc":"2.0","method":"signatureNotification","params":{"result":{"context":{"apiVersion":"2.2.0","slot":100},"value":{"err":null}},"subscription":0}}`)
}

func TestPubsubBadSignatureParam(t *testing.T) {
	_, _, url := newPubsubServer(t)
	w := dial(t, url)
	w.send(`{"jsonrpc":"2.0","id":1,"method":"signatureSubscribe","params":["xyz"]}`)
	var e envelope
	if err := json.Unmarshal([]byte(w.next()), &e); err != nil || e.Error == nil || e.Error.Code != -32602 {
		t.Fatalf("reply %+v %v", e, err)
	}
}
