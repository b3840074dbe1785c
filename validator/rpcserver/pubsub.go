package rpcserver

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"slonui/solana"
)

// pubsub holds the WebSocket connections and their subscriptions.
type pubsub struct {
	s *Server

	mu     sync.Mutex
	nextID uint64
	conns  map[*wsConn]struct{}
	slots  map[uint64]*wsConn
	roots  map[uint64]*wsConn
	sigs   map[uint64]*sigSub
	closed bool
	// live counts running connection handlers, so shutdown can wait for them
	// (http.Server does not track hijacked connections).
	live sync.WaitGroup
}

// sigSub is one signatureSubscribe.
type sigSub struct {
	c        *wsConn
	sig      solana.Signature
	level    Commitment
	received bool // enableReceivedNotification
}

// wsConn is one WebSocket client.
type wsConn struct {
	ws     *websocket.Conn
	out    chan []byte
	cancel context.CancelFunc
}

func newPubsub(s *Server) *pubsub {
	return &pubsub{s: s, conns: map[*wsConn]struct{}{}, slots: map[uint64]*wsConn{},
		roots: map[uint64]*wsConn{}, sigs: map[uint64]*sigSub{}}
}

// PubsubHandler is the WebSocket endpoint to bind at RPC port + 1.
// Notifications flow only while RunPubsub runs.
func (s *Server) PubsubHandler() http.Handler { return http.HandlerFunc(s.pubsub.serve) }

// RunPubsub feeds backend events to subscribers until ctx is done. Serve
// runs it; a caller using PubsubHandler on its own runs it once.
func (s *Server) RunPubsub(ctx context.Context) {
	for ev := range s.b.Subscribe(ctx) {
		s.pubsub.event(ev)
	}
}

// closeAll disconnects every client, refuses new ones and waits until
// every connection handler has returned (on shutdown).
func (ps *pubsub) closeAll() {
	ps.mu.Lock()
	ps.closed = true
	for c := range ps.conns {
		c.cancel()
	}
	ps.mu.Unlock()
	ps.live.Wait()
}

func (ps *pubsub) serve(w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	ws.SetReadLimit(ps.s.cfg.MaxBodyBytes)
	ctx, cancel := context.WithCancel(context.Background())
	c := &wsConn{ws: ws, out: make(chan []byte, ps.s.cfg.PubsubQueue), cancel: cancel}
	ps.mu.Lock()
	if ps.closed {
		ps.mu.Unlock()
		cancel()
		_ = ws.Close(websocket.StatusGoingAway, "shutting down")
		return
	}
	ps.conns[c] = struct{}{}
	ps.live.Add(1)
	ps.mu.Unlock()
	defer ps.live.Done()

	done := make(chan struct{})
	go func() { defer close(done); c.writeLoop(ctx) }()
	for {
		typ, msg, err := ws.Read(ctx)
		if err != nil {
			break
		}
		if typ != websocket.MessageText {
			continue
		}
		reply, after := ps.handle(c, msg)
		if reply != nil && !c.send(reply) {
			break
		}
		if after != nil {
			after()
		}
	}
	cancel()
	<-done
	ps.drop(c)
	_ = ws.Close(websocket.StatusNormalClosure, "")
}

// writeLoop writes queued messages until ctx is done.
func (c *wsConn) writeLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-c.out:
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := c.ws.Write(wctx, websocket.MessageText, msg)
			cancel()
			if err != nil {
				c.cancel()
				return
			}
		}
	}
}

// send queues msg; a client too slow to keep its queue drained is dropped.
func (c *wsConn) send(msg []byte) bool {
	select {
	case c.out <- msg:
		return true
	default:
		c.cancel()
		return false
	}
}

// drop removes c and every subscription it holds.
func (ps *pubsub) drop(c *wsConn) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	delete(ps.conns, c)
	for id, sc := range ps.slots {
		if sc == c {
			delete(ps.slots, id)
		}
	}
	for id, sc := range ps.roots {
		if sc == c {
			delete(ps.roots, id)
		}
	}
	for id, sub := range ps.sigs {
		if sub.c == c {
			delete(ps.sigs, id)
		}
	}
}

// handle runs one message from a client and returns the reply (nil for a
// notification such as web3.js's {"jsonrpc":"2.0","method":"ping"}) and
// what to run once the reply is queued.
func (ps *pubsub) handle(c *wsConn, msg []byte) ([]byte, func()) {
	req, ok := parseRequest(bytes.TrimSpace(msg))
	if !ok {
		return encodeResponse(nil, rawNull, nil, errParse()), nil
	}
	if req.err != nil {
		id := rawNull
		if req.id != nil {
			id = req.id
		}
		return encodeResponse(nil, id, nil, req.err), nil
	}
	if req.id == nil {
		return nil, nil
	}
	var after func()
	result, err := ps.call(c, req, &after)
	return encodeResponse(nil, req.id, result, err), after
}

func (ps *pubsub) call(c *wsConn, req request, after *func()) (any, *Error) {
	p, err := req.positional()
	if err != nil {
		return nil, err
	}
	switch req.method {
	case "slotSubscribe":
		return ps.subscribe(c, p, ps.slots)
	case "rootSubscribe":
		return ps.subscribe(c, p, ps.roots)
	case "slotUnsubscribe":
		return ps.unsubscribe(c, p, func(id uint64) bool { return ps.remove(ps.slots, id, c) })
	case "rootUnsubscribe":
		return ps.unsubscribe(c, p, func(id uint64) bool { return ps.remove(ps.roots, id, c) })
	case "signatureSubscribe":
		return ps.signatureSubscribe(c, p, after)
	case "signatureUnsubscribe":
		return ps.unsubscribe(c, p, func(id uint64) bool {
			if sub, ok := ps.sigs[id]; ok && sub.c == c {
				delete(ps.sigs, id)
				return true
			}
			return false
		})
	}
	return nil, errMethodNotFound()
}

func (ps *pubsub) subscribe(c *wsConn, p params, m map[uint64]*wsConn) (any, *Error) {
	if err := p.arity(0, 0); err != nil {
		return nil, err
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	id := ps.nextID
	ps.nextID++
	m[id] = c
	return id, nil
}

// remove deletes subscription id of c from m; the caller holds ps.mu.
func (ps *pubsub) remove(m map[uint64]*wsConn, id uint64, c *wsConn) bool {
	if m[id] == c {
		delete(m, id)
		return true
	}
	return false
}

func (ps *pubsub) unsubscribe(_ *wsConn, p params, del func(uint64) bool) (any, *Error) {
	if err := p.arity(1, 1); err != nil {
		return nil, err
	}
	id, err := p.u64(0)
	if err != nil {
		return nil, err
	}
	ps.mu.Lock()
	ok := del(id)
	ps.mu.Unlock()
	if !ok {
		return nil, errParams("Invalid subscription id.")
	}
	return true, nil
}

func (ps *pubsub) signatureSubscribe(c *wsConn, p params, after *func()) (any, *Error) {
	if err := p.arity(1, 2); err != nil {
		return nil, err
	}
	str, err := p.str(0)
	if err != nil {
		return nil, err
	}
	sig, err := signatureParam(str)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		Commitment                 *string `json:"commitment"`
		EnableReceivedNotification bool    `json:"enableReceivedNotification"`
	}
	if err := p.decode(1, &cfg); err != nil {
		return nil, err
	}
	level, err := parseCommitment(cfg.Commitment)
	if err != nil {
		return nil, err
	}
	ps.mu.Lock()
	id := ps.nextID
	ps.nextID++
	sub := &sigSub{c: c, sig: sig, level: level, received: cfg.EnableReceivedNotification}
	ps.sigs[id] = sub
	ps.mu.Unlock()
	// The reply must reach the client before a notification can: check the
	// status already reached once the reply is queued.
	*after = func() { ps.checkSignatures(map[uint64]*sigSub{id: sub}) }
	return id, nil
}
