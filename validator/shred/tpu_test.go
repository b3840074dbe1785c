package shred

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
)

func startTPU(t testing.TB, queue int, handler func([]byte, netip.AddrPort)) (*TPU, netip.AddrPort) {
	t.Helper()
	pc, addr := listen(t)
	tpu, err := NewTPU(TPUConfig{Conn: pc, Queue: queue, Handler: handler})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tpu.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("TPU run: %v", err)
		}
		pc.Close()
	})
	return tpu, addr
}

func TestTPUDeliversPacketsAndDropsOversize(t *testing.T) {
	got := make(chan []byte, 10)
	from := make(chan netip.AddrPort, 10)
	tpu, addr := startTPU(t, 0, func(p []byte, src netip.AddrPort) { got <- p; from <- src })
	sender, saddr := listen(t)
	defer sender.Close()
	tx := pattern(MaxPacketSize, 9)
	if err := SendPacket(sender, addr, tx); err != nil {
		t.Fatal(err)
	}
	if err := SendPacket(sender, addr, make([]byte, MaxPacketSize+1)); !errors.Is(err, ErrPacketTooLarge) {
		t.Fatalf("SendPacket oversize: %v", err)
	}
	// A raw oversize datagram (not through SendPacket) is dropped by the TPU.
	sender.WriteTo(make([]byte, 1500), net.UDPAddrFromAddrPort(addr))
	if p := <-got; !bytes.Equal(p, tx) {
		t.Fatal("the handler got a different packet")
	}
	if src := <-from; src != saddr {
		t.Fatalf("source %v, want %v", src, saddr)
	}
	eventually(t, "oversize counted", func() bool { return tpu.Stats().DroppedOversize == 1 })
	if st := tpu.Stats(); st.Received != 2 || st.Delivered != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestTPUFullQueueDropsInsteadOfBlocking(t *testing.T) {
	release := make(chan struct{})
	tpu, addr := startTPU(t, 2, func([]byte, netip.AddrPort) { <-release })
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs before the TPU's cleanup, even on failure
	sender, _ := listen(t)
	defer sender.Close()
	const sent = 10
	for i := range sent {
		if err := SendPacket(sender, addr, []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "all packets read", func() bool { return tpu.Stats().Received == sent })
	// One packet is in the blocked handler (or not yet taken), two queued.
	dropped := tpu.Stats().DroppedQueueFull
	if dropped < sent-3 || dropped > sent-2 {
		t.Fatalf("dropped %d of %d with a queue of 2 and a blocked handler", dropped, sent)
	}
	unblock()
	eventually(t, "the rest delivered", func() bool { return tpu.Stats().Delivered == sent-dropped })
}

func TestTPUWorkersDeliverEveryPacket(t *testing.T) {
	var mu sync.Mutex
	seen := map[byte]int{}
	pc, addr := listen(t)
	tpu, err := NewTPU(TPUConfig{Conn: pc, Workers: 3, Handler: func(p []byte, _ netip.AddrPort) {
		mu.Lock()
		seen[p[0]]++
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tpu.Run(ctx) }()
	defer func() { cancel(); <-done; pc.Close() }()
	sender, _ := listen(t)
	defer sender.Close()
	for i := range 50 {
		if err := SendPacket(sender, addr, []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "50 packets delivered", func() bool { return tpu.Stats().Delivered == 50 })
	mu.Lock()
	defer mu.Unlock()
	for i := range 50 {
		if seen[byte(i)] != 1 {
			t.Fatalf("packet %d handled %d times", i, seen[byte(i)])
		}
	}
	if _, err := NewTPU(TPUConfig{Conn: pc, Handler: func([]byte, netip.AddrPort) {}, Workers: -1}); err == nil {
		t.Fatal("Workers -1 accepted")
	}
}
