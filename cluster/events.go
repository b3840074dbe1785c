package cluster

import (
	"log/slog"
	"sync"
	"time"
)

// eventQueue delivers Events through a buffered channel without ever
// blocking the sender: when the buffer is full the oldest event is dropped
// (and counted). It is closed once, after which emits are ignored.
type eventQueue struct {
	log     *slog.Logger // every event is also logged here when not nil
	mu      sync.Mutex
	ch      chan Event
	closed  bool
	dropped int
}

func newEventQueue(capacity int, log *slog.Logger) *eventQueue {
	return &eventQueue{ch: make(chan Event, capacity), log: log}
}

func (q *eventQueue) emit(kind EventKind, node int, detail string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	e := Event{Time: time.Now(), Kind: kind, Node: node, Detail: detail}
	if q.log != nil {
		q.log.Info("event", "kind", kind.String(), "node", node, "detail", detail)
	}
	for {
		select {
		case q.ch <- e:
			return
		default:
		}
		// Full: make room by dropping the oldest (we are the only sender).
		select {
		case <-q.ch:
			q.dropped++
		default:
		}
	}
}

func (q *eventQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
}

// Dropped counts events dropped because nobody read them in time.
func (q *eventQueue) Dropped() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped
}
