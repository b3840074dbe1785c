package node

import (
	"bufio"
	"fmt"
	"os"
	"sync"
	"time"
)

// logFlushEvery is the longest a byte waits in the log buffer.
const logFlushEvery = 200 * time.Millisecond

// logSink appends every raw byte of a child's output to its log file through
// a buffer. The reader writes; the first write into an empty buffer arms a
// timer that flushes it logFlushEvery later, so a quiet node costs no
// wake-ups. A write error is kept (Err) and never stops the reader: the pty
// must be drained whether or not the disk keeps up.
type logSink struct {
	mu     sync.Mutex
	f      *os.File
	w      *bufio.Writer
	err    error
	timer  *time.Timer // flushes w; armed while bytes wait in it
	armed  bool
	closed bool
}

func openLog(path string) (*logSink, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	l := &logSink{f: f, w: bufio.NewWriterSize(f, 64<<10)}
	l.timer = time.AfterFunc(time.Hour, l.flushDue)
	l.timer.Stop()
	return l, nil
}

// flushDue runs on the timer: it flushes what waits, unless closed.
func (l *logSink) flushDue() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.armed = false
	if !l.closed {
		l.keep(l.w.Flush())
	}
}

// Write appends p; it never fails the caller.
func (l *logSink) Write(p []byte) {
	l.mu.Lock()
	_, err := l.w.Write(p)
	l.keep(err)
	if !l.armed && !l.closed && l.w.Buffered() > 0 {
		l.armed = true
		l.timer.Reset(logFlushEvery)
	}
	l.mu.Unlock()
}

func (l *logSink) keep(err error) {
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("write log %s: %w", l.f.Name(), err)
	}
}

// Close stops the timer (a flush it already started finds the sink
// closed), flushes and closes the file, and returns the first error seen.
func (l *logSink) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	l.timer.Stop()
	l.keep(l.w.Flush())
	if err := l.f.Close(); err != nil {
		l.keep(err)
	}
	return l.err
}
