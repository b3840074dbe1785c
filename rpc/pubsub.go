package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/coder/websocket"

	"slonui/solana"
)

// ErrPubsubClosed is returned by calls on a closed pubsub connection.
var ErrPubsubClosed = errors.New("rpc: pubsub connection closed")

// Pubsub is one WebSocket connection to a node's pubsub port. Safe for
// concurrent use. One reader goroutine, owned by the Pubsub, runs until
// Close or until the connection fails; then every subscription channel is
// closed and Err says why.
type Pubsub struct {
	url  string
	ws   *websocket.Conn
	done chan struct{}
	stop context.CancelFunc

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]pendingCall
	subs    map[uint64]func(json.RawMessage) bool // true: the subscription ended
	err     error
}

// pendingCall waits for one reply; register, when set, is installed under
// the subscription id the reply carries before any later message is read.
type pendingCall struct {
	reply    chan reply
	register func(json.RawMessage) bool
}

// SlotInfo is a slotNotification.
type SlotInfo struct {
	Parent uint64 `json:"parent"`
	Root   uint64 `json:"root"`
	Slot   uint64 `json:"slot"`
}

// SignatureResult is a signatureNotification: Received for the early
// "receivedSignature" notice, otherwise the outcome at the asked commitment.
type SignatureResult struct {
	Slot     uint64
	Received bool
	Err      json.RawMessage // null or a TransactionError
}

// DialPubsub connects to a pubsub URL (e.g. "ws://127.0.0.1:8900").
func DialPubsub(ctx context.Context, url string) (*Pubsub, error) {
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, fmt.Errorf("pubsub %s: dial: %w", url, err)
	}
	ws.SetReadLimit(16 << 20)
	rctx, stop := context.WithCancel(context.Background())
	p := &Pubsub{url: url, ws: ws, done: make(chan struct{}), stop: stop,
		pending: map[uint64]pendingCall{}, subs: map[uint64]func(json.RawMessage) bool{}}
	go p.readLoop(rctx)
	return p, nil
}

// Close ends the connection and waits for the reader to stop.
func (p *Pubsub) Close() error {
	p.stop()
	<-p.done
	return nil
}

// Done is closed when the connection has ended.
func (p *Pubsub) Done() <-chan struct{} { return p.done }

// Err says why the connection ended (nil while it runs).
func (p *Pubsub) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *Pubsub) readLoop(ctx context.Context) {
	defer close(p.done)
	var err error
	for {
		var msg []byte
		_, msg, err = p.ws.Read(ctx)
		if err != nil {
			break
		}
		p.dispatch(msg)
	}
	_ = p.ws.Close(websocket.StatusNormalClosure, "")
	p.mu.Lock()
	if ctx.Err() != nil {
		err = ErrPubsubClosed
	}
	p.err = err
	for _, call := range p.pending {
		close(call.reply)
	}
	p.pending = map[uint64]pendingCall{}
	for _, deliver := range p.subs {
		deliver(nil)
	}
	p.subs = map[uint64]func(json.RawMessage) bool{}
	p.mu.Unlock()
}

// dispatch routes one message: a reply by request id, a notification by
// subscription id.
func (p *Pubsub) dispatch(msg []byte) {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  *Error          `json:"error"`
		Params *struct {
			Result       json.RawMessage `json:"result"`
			Subscription uint64          `json:"subscription"`
		} `json:"params"`
	}
	if json.Unmarshal(msg, &m) != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if m.Params != nil {
		if deliver, ok := p.subs[m.Params.Subscription]; ok && deliver(m.Params.Result) {
			delete(p.subs, m.Params.Subscription)
		}
		return
	}
	id, ok := idOf(m.ID)
	call, found := p.pending[id]
	if !ok || !found {
		return
	}
	delete(p.pending, id)
	if call.register != nil && m.Error == nil {
		var sub uint64
		if json.Unmarshal(m.Result, &sub) == nil {
			p.subs[sub] = call.register
		}
	}
	call.reply <- reply{Result: m.Result, Error: m.Error}
}

// call sends a request and waits for its reply.
func (p *Pubsub) call(ctx context.Context, method string, params []any, register func(json.RawMessage) bool) (json.RawMessage, error) {
	p.mu.Lock()
	if p.err != nil {
		p.mu.Unlock()
		return nil, p.err
	}
	p.nextID++
	id := p.nextID
	ch := make(chan reply, 1)
	p.pending[id] = pendingCall{reply: ch, register: register}
	p.mu.Unlock()
	body, err := json.Marshal(request{JSONRPC: "2.0", ID: id, Method: method, Params: params})
	if err == nil {
		err = p.ws.Write(ctx, websocket.MessageText, body)
	}
	if err != nil {
		p.forget(id)
		return nil, fmt.Errorf("pubsub %s: %s: %w", p.url, method, err)
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return nil, ErrPubsubClosed
		}
		if r.Error != nil {
			return nil, r.Error
		}
		return r.Result, nil
	case <-ctx.Done():
		p.forget(id)
		return nil, fmt.Errorf("pubsub %s: %s: %w", p.url, method, ctx.Err())
	}
}

func (p *Pubsub) forget(id uint64) {
	p.mu.Lock()
	delete(p.pending, id)
	p.mu.Unlock()
}

// Subscription is one live subscription; C delivers its notifications and
// is closed when the subscription ends (unsubscribed, fired once for a
// signature, or the connection ended).
type Subscription[T any] struct {
	C      <-chan T
	p      *Pubsub
	id     uint64
	method string
}

// Unsubscribe cancels the subscription on the node.
func (s *Subscription[T]) Unsubscribe(ctx context.Context) error {
	_, err := s.p.call(ctx, s.method, []any{s.id}, nil)
	s.p.mu.Lock()
	if deliver, ok := s.p.subs[s.id]; ok {
		deliver(nil)
		delete(s.p.subs, s.id)
	}
	s.p.mu.Unlock()
	return err
}

// SlotSubscribe subscribes to slotNotification. Notifications that find
// C's buffer (64) full are dropped: slot tickers only need the latest.
func (p *Pubsub) SlotSubscribe(ctx context.Context) (*Subscription[SlotInfo], error) {
	ch := make(chan SlotInfo, 64)
	closed := false
	deliver := func(raw json.RawMessage) bool {
		if closed {
			return true
		}
		if raw == nil {
			closed = true
			close(ch)
			return true
		}
		var s SlotInfo
		if json.Unmarshal(raw, &s) == nil {
			select {
			case ch <- s:
			default:
			}
		}
		return false
	}
	return subscribe(ctx, p, "slotSubscribe", "slotUnsubscribe", nil, ch, deliver)
}

// SignatureSubscribe subscribes to signatureNotification at commitment cm
// ("" = the node's default, finalized). C gets the "receivedSignature"
// notice when received is set, then the outcome, and is closed after it.
func (p *Pubsub) SignatureSubscribe(ctx context.Context, sig solana.Signature, cm Commitment, received bool) (*Subscription[SignatureResult], error) {
	ch := make(chan SignatureResult, 2)
	closed := false
	deliver := func(raw json.RawMessage) bool {
		if closed {
			return true
		}
		if raw == nil {
			closed = true
			close(ch)
			return true
		}
		var n contextValue[json.RawMessage]
		if json.Unmarshal(raw, &n) != nil {
			return false
		}
		var s string
		if json.Unmarshal(n.Value, &s) == nil {
			ch <- SignatureResult{Slot: n.Context.Slot, Received: true}
			return false
		}
		var v struct {
			Err json.RawMessage `json:"err"`
		}
		_ = json.Unmarshal(n.Value, &v)
		ch <- SignatureResult{Slot: n.Context.Slot, Err: v.Err}
		closed = true
		close(ch)
		return true
	}
	cfg := map[string]any{}
	if cm != "" {
		cfg["commitment"] = cm
	}
	if received {
		cfg["enableReceivedNotification"] = true
	}
	return subscribe(ctx, p, "signatureSubscribe", "signatureUnsubscribe", []any{sig.String(), cfg}, ch, deliver)
}

func subscribe[T any](ctx context.Context, p *Pubsub, method, unsub string, params []any, ch chan T,
	deliver func(json.RawMessage) bool) (*Subscription[T], error) {
	res, err := p.call(ctx, method, params, deliver)
	if err != nil {
		return nil, err
	}
	var id uint64
	if err := json.Unmarshal(res, &id); err != nil {
		return nil, fmt.Errorf("pubsub %s: %s: subscription id %s: %w", p.url, method, res, err)
	}
	return &Subscription[T]{C: ch, p: p, id: id, method: unsub}, nil
}
