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
// a buffer. The reader writes; a flusher goroutine flushes on a ticker. A
// write error is kept (Err) and never stops the reader: the pty must be
// drained whether or not the disk keeps up.
type logSink struct {
	mu  sync.Mutex
	f   *os.File
	w   *bufio.Writer
	err error

	stop chan struct{}
	done chan struct{}
}

func openLog(path string) (*logSink, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	l := &logSink{
		f:    f,
		w:    bufio.NewWriterSize(f, 64<<10),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go l.flusher()
	return l, nil
}

func (l *logSink) flusher() {
	defer close(l.done)
	t := time.NewTicker(logFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.mu.Lock()
			l.keep(l.w.Flush())
			l.mu.Unlock()
		}
	}
}

// Write appends p; it never fails the caller.
func (l *logSink) Write(p []byte) {
	l.mu.Lock()
	_, err := l.w.Write(p)
	l.keep(err)
	l.mu.Unlock()
}

func (l *logSink) keep(err error) {
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("write log %s: %w", l.f.Name(), err)
	}
}

// Close stops the flusher, flushes and closes the file, and returns the
// first error seen.
func (l *logSink) Close() error {
	close(l.stop)
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keep(l.w.Flush())
	if err := l.f.Close(); err != nil {
		l.keep(err)
	}
	return l.err
}
