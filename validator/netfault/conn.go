package netfault

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// inboxSize is how many received packets a wrapped socket buffers between
// its pump goroutine and ReadFrom.
const inboxSize = 1024

type packet struct {
	data []byte
	addr net.Addr
}

// Wrap returns pc filtered by f in both directions. The returned conn owns
// pc: closing it closes pc. It starts one pump goroutine that reads pc and
// applies the receive-side rules; Close stops it. Read deadlines are honoured
// by the wrapper; write deadlines are passed to pc.
func (f *Filter) Wrap(pc net.PacketConn) net.PacketConn {
	c := &conn{
		f:        f,
		pc:       pc,
		inbox:    make(chan packet, inboxSize),
		closed:   make(chan struct{}),
		pumpDone: make(chan struct{}),
		wake:     make(chan struct{}),
	}
	go c.pump()
	return c
}

type conn struct {
	f     *Filter
	pc    net.PacketConn
	inbox chan packet

	closed    chan struct{}
	closeOnce sync.Once
	pumpDone  chan struct{}
	pumpErr   atomic.Pointer[error]

	dlMu     sync.Mutex
	deadline time.Time
	wake     chan struct{} // closed and replaced when the read deadline changes
}

// pump reads the underlying socket until it fails or is closed.
func (c *conn) pump() {
	defer close(c.pumpDone)
	buf := make([]byte, 65536)
	for {
		n, addr, err := c.pc.ReadFrom(buf)
		if err != nil {
			c.pumpErr.Store(&err)
			return
		}
		v, d := c.f.judge(Inbound, addr)
		switch v {
		case dropPartition, dropLoss:
			continue
		}
		p := packet{data: append([]byte(nil), buf[:n]...), addr: addr}
		if v == delayIt {
			c.f.later(d, func() { c.deliverNow(p) })
			continue
		}
		select {
		case c.inbox <- p:
		case <-c.closed:
			return
		}
	}
}

// deliverNow hands a delayed packet to ReadFrom without blocking the
// scheduler; a full inbox drops it as the kernel would.
func (c *conn) deliverNow(p packet) {
	select {
	case c.inbox <- p:
	default:
		c.f.overflow.Add(1)
	}
}

func (c *conn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		select {
		case p := <-c.inbox:
			return copy(b, p.data), p.addr, nil
		default:
		}
		c.dlMu.Lock()
		dl, wake := c.deadline, c.wake
		c.dlMu.Unlock()
		var timeout <-chan time.Time
		if !dl.IsZero() {
			wait := time.Until(dl)
			if wait <= 0 {
				return 0, nil, c.opErr("read", os.ErrDeadlineExceeded)
			}
			t := time.NewTimer(wait)
			timeout = t.C
			defer t.Stop() // at most one timer per deadline change
		}
		select {
		case p := <-c.inbox:
			return copy(b, p.data), p.addr, nil
		case <-c.closed:
			return 0, nil, c.opErr("read", net.ErrClosed)
		case <-c.pumpDone:
			select {
			case p := <-c.inbox:
				return copy(b, p.data), p.addr, nil
			default:
			}
			err := net.ErrClosed
			if e := c.pumpErr.Load(); e != nil {
				err = *e
			}
			return 0, nil, err
		case <-timeout:
		case <-wake:
		}
	}
}

func (c *conn) opErr(op string, err error) error {
	return &net.OpError{Op: op, Net: c.pc.LocalAddr().Network(), Addr: c.pc.LocalAddr(), Err: err}
}

func (c *conn) WriteTo(b []byte, addr net.Addr) (int, error) {
	select {
	case <-c.closed:
		return 0, c.opErr("write", net.ErrClosed)
	default:
	}
	v, d := c.f.judge(Outbound, addr)
	switch v {
	case dropPartition, dropLoss:
		return len(b), nil // lost on the wire: the sender cannot tell
	case delayIt:
		data := append([]byte(nil), b...)
		c.f.later(d, func() {
			select {
			case <-c.closed:
			default:
				_, _ = c.pc.WriteTo(data, addr)
			}
		})
		return len(b), nil
	}
	return c.pc.WriteTo(b, addr)
}

func (c *conn) Close() error {
	var err error
	c.closeOnce.Do(func() {
		close(c.closed)
		err = c.pc.Close()
		<-c.pumpDone
	})
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

func (c *conn) LocalAddr() net.Addr { return c.pc.LocalAddr() }

func (c *conn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

func (c *conn) SetReadDeadline(t time.Time) error {
	c.dlMu.Lock()
	c.deadline = t
	close(c.wake)
	c.wake = make(chan struct{})
	c.dlMu.Unlock()
	return nil
}

func (c *conn) SetWriteDeadline(t time.Time) error { return c.pc.SetWriteDeadline(t) }
