package validator

import (
	"context"
	"sync"

	"slonui/validator/rpcserver"
)

// subscribers fans chain events out to pubsub without ever blocking the
// loop: a full subscriber channel drops the event (the RPC server
// re-checks pending subscriptions on the next one).
type subscribers struct {
	mu   sync.Mutex
	next int
	m    map[int]chan rpcserver.Event
}

// subscriberQueue is each subscriber channel's buffer.
const subscriberQueue = 1024

// add registers a subscriber; its channel is closed once ctx is done.
func (s *subscribers) add(ctx context.Context) <-chan rpcserver.Event {
	ch := make(chan rpcserver.Event, subscriberQueue)
	s.mu.Lock()
	if s.m == nil {
		s.m = map[int]chan rpcserver.Event{}
	}
	id := s.next
	s.next++
	s.m[id] = ch
	s.mu.Unlock()
	context.AfterFunc(ctx, func() {
		s.mu.Lock()
		delete(s.m, id)
		s.mu.Unlock()
		close(ch) // after removal, no send can follow
	})
	return ch
}

func (s *subscribers) send(e rpcserver.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.m {
		select {
		case ch <- e:
		default:
		}
	}
}
