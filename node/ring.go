package node

import (
	"sync"
	"sync/atomic"
)

// Line is one line of a child's output. Text holds printable text and SGR
// colour sequences only (no other control characters, no line ending).
type Line struct {
	Seq  uint64
	Text string
}

// Ring is a bounded buffer of the most recent lines of one node, numbered by
// a sequence that rises by one per line and never restarts (a restarted node
// continues its ring). It is safe for one writer and many readers; readers
// hold the lock only while copying what they asked for, so the writer is never
// held up for long.
type Ring struct {
	size int // capacity, fixed at NewRing
	mu   sync.Mutex
	buf  []Line // grows to size, then wraps
	next int    // index of the slot the next line goes to once full
	last atomic.Uint64
}

// NewRing returns an empty ring holding at most capacity lines
// (DefaultRingLines when capacity is not positive).
func NewRing(capacity int) *Ring {
	if capacity <= 0 {
		capacity = DefaultRingLines
	}
	return &Ring{size: capacity, buf: make([]Line, 0, capacity)}
}

// Cap is the most lines the ring holds.
func (r *Ring) Cap() int { return r.size }

// Len is the number of lines held now.
func (r *Ring) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.buf)
}

// Last is the sequence number of the newest line, 0 before the first. It is
// one atomic load: poll it to learn whether anything new arrived.
func (r *Ring) Last() uint64 { return r.last.Load() }

// Push appends one line and returns its sequence number.
func (r *Ring) Push(text string) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pushLocked(text)
}

// PushLines appends lines in order under one lock.
func (r *Ring) PushLines(texts []string) {
	if len(texts) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, t := range texts {
		r.pushLocked(t)
	}
}

func (r *Ring) pushLocked(text string) uint64 {
	seq := r.last.Load() + 1
	l := Line{Seq: seq, Text: text}
	if len(r.buf) < cap(r.buf) {
		r.buf = append(r.buf, l)
	} else {
		r.buf[r.next] = l
		r.next = (r.next + 1) % len(r.buf)
	}
	r.last.Store(seq)
	return seq
}

// Since returns copies of the held lines with Seq > seq, oldest first. When
// more than max match (and max > 0) it returns the newest max of them. It
// returns nil when nothing is newer than seq.
func (r *Ring) Since(seq uint64, max int) []Line {
	r.mu.Lock()
	defer r.mu.Unlock()
	last := r.last.Load()
	if seq >= last {
		return nil
	}
	n := last - seq
	if n > uint64(len(r.buf)) {
		n = uint64(len(r.buf))
	}
	if max > 0 && n > uint64(max) {
		n = uint64(max)
	}
	return r.newestLocked(int(n))
}

// Tail returns copies of the newest n lines held (fewer if the ring holds
// fewer), oldest first.
func (r *Ring) Tail(n int) []Line {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n > len(r.buf) {
		n = len(r.buf)
	}
	if n <= 0 {
		return nil
	}
	return r.newestLocked(n)
}

// newestLocked copies the newest n lines (0 < n <= len(buf)).
func (r *Ring) newestLocked(n int) []Line {
	out := make([]Line, n)
	if len(r.buf) < cap(r.buf) {
		copy(out, r.buf[len(r.buf)-n:])
		return out
	}
	// Full: the oldest line is at r.next; the newest just before it.
	start := (r.next - n + len(r.buf)) % len(r.buf)
	k := copy(out, r.buf[start:])
	if k < n {
		copy(out[k:], r.buf[:n-k])
	}
	return out
}
