package shred

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// MaxPacketSize is Solana's PACKET_DATA_SIZE: the largest transaction.
const MaxPacketSize = 1232

// ErrPacketTooLarge is returned by SendPacket for packets over MaxPacketSize.
var ErrPacketTooLarge = errors.New("shred: packet larger than 1232 bytes")

// SendPacket sends one packet (a serialized transaction, a vote) to addr
// over conn, e.g. to forward a transaction to a leader's TPU.
func SendPacket(conn net.PacketConn, addr netip.AddrPort, pkt []byte) error {
	if len(pkt) > MaxPacketSize {
		return fmt.Errorf("shred: send %d bytes to %s: %w", len(pkt), addr, ErrPacketTooLarge)
	}
	if _, err := conn.WriteTo(pkt, net.UDPAddrFromAddrPort(addr)); err != nil {
		return fmt.Errorf("shred: send to %s: %w", addr, err)
	}
	return nil
}

// TPUConfig configures a TPU listener.
type TPUConfig struct {
	// Conn is the TPU socket, owned by the caller.
	Conn net.PacketConn
	// Handler gets every packet (a raw serialized transaction, ≤ 1232
	// bytes) and its source. With one worker it is called in arrival order
	// from one goroutine; with more, concurrently and in no set order. The
	// packet is the handler's to keep. A slow handler fills the queue, and
	// packets are then dropped and counted, never blocking the socket.
	Handler func(pkt []byte, from netip.AddrPort)
	// Queue bounds packets waiting for Handler; default 8192.
	Queue int
	// Workers is the number of goroutines calling Handler (e.g. to verify
	// signatures on several cores); default 1.
	Workers int
}

// Validate returns every problem in c, joined.
func (c TPUConfig) Validate() error {
	var errs []error
	if c.Conn == nil {
		errs = append(errs, errors.New("shred: TPU Conn is required"))
	}
	if c.Handler == nil {
		errs = append(errs, errors.New("shred: TPU Handler is required"))
	}
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("shred: TPU Workers must be ≥ 0, got %d", c.Workers))
	}
	if c.Queue < 0 {
		errs = append(errs, fmt.Errorf("shred: TPU Queue must be ≥ 0, got %d", c.Queue))
	}
	return errors.Join(errs...)
}

// TPUStats are counters since NewTPU.
type TPUStats struct {
	Received         uint64
	Delivered        uint64
	DroppedQueueFull uint64
	DroppedOversize  uint64 // empty or over MaxPacketSize
}

// TPU receives transaction packets.
type TPU struct {
	cfg                                 TPUConfig
	queue                               chan tpuPacket
	stopping, ran                       atomic.Bool
	received, delivered, full, oversize atomic.Uint64
}

type tpuPacket struct {
	data []byte
	from netip.AddrPort
}

// NewTPU checks cfg. Call Run to start.
func NewTPU(cfg TPUConfig) (*TPU, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Queue == 0 {
		cfg.Queue = 8192
	}
	if cfg.Workers == 0 {
		cfg.Workers = 1
	}
	return &TPU{cfg: cfg, queue: make(chan tpuPacket, cfg.Queue)}, nil
}

// Run reads the socket and feeds Handler until ctx ends; it stops its
// reader and worker goroutines before returning and leaves the socket open
// with a read deadline in the past. It may be called once.
func (t *TPU) Run(ctx context.Context) error {
	if t.ran.Swap(true) {
		return ErrRunTwice
	}
	var wg sync.WaitGroup
	readErr := make(chan error, 1)
	stop := make(chan struct{})
	wg.Add(1 + t.cfg.Workers)
	go func() { defer wg.Done(); readErr <- t.read() }()
	for range t.cfg.Workers {
		go func() { defer wg.Done(); t.deliver(stop) }()
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-readErr:
	}
	t.stopping.Store(true)
	_ = t.cfg.Conn.SetReadDeadline(time.Now())
	close(stop)
	wg.Wait()
	return err
}

func (t *TPU) read() error {
	buf := make([]byte, 65536)
	for {
		n, from, err := t.cfg.Conn.ReadFrom(buf)
		if err != nil {
			if t.stopping.Load() {
				return nil
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				continue
			}
			return fmt.Errorf("shred: TPU read %s: %w", t.cfg.Conn.LocalAddr(), err)
		}
		t.received.Add(1)
		if n > MaxPacketSize || n == 0 {
			t.oversize.Add(1)
			continue
		}
		var src netip.AddrPort
		if ua, ok := from.(*net.UDPAddr); ok {
			ap := ua.AddrPort()
			src = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		}
		select {
		case t.queue <- tpuPacket{append([]byte(nil), buf[:n]...), src}:
		default:
			t.full.Add(1)
		}
	}
}

func (t *TPU) deliver(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case p := <-t.queue:
			t.cfg.Handler(p.data, p.from)
			t.delivered.Add(1)
		}
	}
}

// Stats returns the counters.
func (t *TPU) Stats() TPUStats {
	return TPUStats{Received: t.received.Load(), Delivered: t.delivered.Load(),
		DroppedQueueFull: t.full.Load(), DroppedOversize: t.oversize.Load()}
}
