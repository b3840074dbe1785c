package node

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// readChunk is the size of one read from the pty master.
const readChunk = 32 << 10

// drain reads src until the end of the stream, appending every raw byte to
// log (when not nil) and every line to ring. It returns nil at the normal end
// (EOF, or EIO from a pty master whose slave side is closed) and the read
// error otherwise. It never pauses between reads.
//
// creack/pty leaves the master in blocking mode (it calls Fd), so a reader
// blocked here holds an OS thread, one per node; it is woken by data or by
// EIO once every holder of the slave side is gone, never by closing src.
//
// The lines of one read share one string allocation: a line in the ring keeps
// at most its chunk's text alive, and consecutive lines share chunks.
func drain(src io.Reader, ring *Ring, log *logSink) error {
	var (
		sp    splitter
		buf   = make([]byte, readChunk)
		arena []byte // the text of this read's lines, back to back
		ends  []int  // where each line of the arena ends
		texts []string
	)
	emit := func(b []byte) {
		arena = append(arena, b...)
		ends = append(ends, len(arena))
	}
	publish := func() {
		if len(ends) == 0 {
			return
		}
		all := string(arena)
		start := 0
		for _, e := range ends {
			texts = append(texts, all[start:e])
			start = e
		}
		ring.PushLines(texts)
		clear(texts)
		texts, arena, ends = texts[:0], arena[:0], ends[:0]
	}
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if log != nil {
				log.Write(buf[:n])
			}
			sp.write(buf[:n], emit)
			publish()
		}
		if err != nil {
			sp.flush(emit)
			publish()
			if endOfStream(err) {
				return nil
			}
			return err
		}
	}
}

// endOfStream reports whether err is how a pty master (or any reader) says
// that the other side has gone: EOF, or EIO on Linux once the slave is closed.
func endOfStream(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.EIO) || errors.Is(err, os.ErrClosed)
}
