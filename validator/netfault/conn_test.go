package netfault

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

func newFilter(t *testing.T) *Filter {
	t.Helper()
	f, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func listenUDP(t *testing.T) net.PacketConn {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc
}

// recv reads one packet or fails after a generous bound.
func recv(t *testing.T, pc net.PacketConn, wait time.Duration) (string, net.Addr, error) {
	t.Helper()
	pc.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, 2048)
	n, addr, err := pc.ReadFrom(buf)
	return string(buf[:n]), addr, err
}

func TestWrapPassesBothWays(t *testing.T) {
	f := newFilter(t)
	a := f.Wrap(listenUDP(t))
	b := listenUDP(t)
	if _, err := a.WriteTo([]byte("ping"), b.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	msg, from, err := recv(t, b, 5*time.Second)
	if err != nil || msg != "ping" || from.String() != a.LocalAddr().String() {
		t.Fatalf("b got %q from %v, %v", msg, from, err)
	}
	if _, err := b.WriteTo([]byte("pong"), a.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	if msg, _, err := recv(t, a, 5*time.Second); err != nil || msg != "pong" {
		t.Fatalf("a got %q, %v", msg, err)
	}
	if c := f.Counters(); c.Passed != 2 {
		t.Fatalf("counters %+v, want 2 passed", c)
	}
}

func TestPartitionDropsBothWaysAndHeals(t *testing.T) {
	f := newFilter(t)
	a := f.Wrap(listenUDP(t))
	b := listenUDP(t)
	if _, err := f.Partition([]string{b.LocalAddr().String()}); err != nil {
		t.Fatal(err)
	}
	a.WriteTo([]byte("out"), b.LocalAddr())
	b.WriteTo([]byte("in"), a.LocalAddr())
	// Both packets are dropped: a marker sent after heal must be the first
	// thing each side reads. The receive side judges when its pump reads, so
	// wait for that before healing.
	waitFor(t, func() bool { return f.Counters().DroppedPartition == 2 })
	f.Heal()
	a.WriteTo([]byte("after-out"), b.LocalAddr())
	b.WriteTo([]byte("after-in"), a.LocalAddr())
	if msg, _, err := recv(t, b, 5*time.Second); err != nil || msg != "after-out" {
		t.Fatalf("b read %q, %v; want the post-heal packet only", msg, err)
	}
	if msg, _, err := recv(t, a, 5*time.Second); err != nil || msg != "after-in" {
		t.Fatalf("a read %q, %v; want the post-heal packet only", msg, err)
	}
	if c := f.Counters(); c.DroppedPartition != 2 {
		t.Fatalf("counters %+v, want 2 dropped by partition", c)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestLossDropsAboutTheFraction(t *testing.T) {
	f := newFilter(t)
	a := f.Wrap(listenUDP(t))
	b := listenUDP(t)
	if _, err := f.SetLoss(0.3, nil); err != nil {
		t.Fatal(err)
	}
	const n = 2000
	for range n {
		a.WriteTo([]byte("x"), b.LocalAddr())
	}
	c := f.Counters()
	if c.DroppedLoss+c.Passed != n {
		t.Fatalf("counters %+v do not add up to %d", c, n)
	}
	if c.DroppedLoss < n*20/100 || c.DroppedLoss > n*40/100 {
		t.Fatalf("dropped %d of %d at loss 0.3", c.DroppedLoss, n)
	}
}

func TestDelayDoesNotBlockAndDelivers(t *testing.T) {
	f := newFilter(t)
	a := f.Wrap(listenUDP(t))
	b := listenUDP(t)
	// Receive side: a 50 s delay holds the packet; the read times out.
	if _, err := f.SetDelay(50*time.Second, 0, []string{b.LocalAddr().String()}); err != nil {
		t.Fatal(err)
	}
	b.WriteTo([]byte("held"), a.LocalAddr())
	if _, _, err := recv(t, a, 200*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read during a 50 s delay: %v, want deadline exceeded", err)
	}
	// Send side: a short delay still delivers.
	if _, err := f.SetDelay(20*time.Millisecond, 10*time.Millisecond, nil); err != nil {
		t.Fatal(err)
	}
	a.WriteTo([]byte("late"), b.LocalAddr())
	if msg, _, err := recv(t, b, 5*time.Second); err != nil || msg != "late" {
		t.Fatalf("b read %q, %v", msg, err)
	}
	if c := f.Counters(); c.Delayed != 2 {
		t.Fatalf("counters %+v, want 2 delayed", c)
	}
}

func TestDelayedReceiveIsDelivered(t *testing.T) {
	f := newFilter(t)
	a := f.Wrap(listenUDP(t))
	b := listenUDP(t)
	f.SetDelay(30*time.Millisecond, 0, nil)
	b.WriteTo([]byte("slow"), a.LocalAddr())
	if msg, _, err := recv(t, a, 5*time.Second); err != nil || msg != "slow" {
		t.Fatalf("a read %q, %v", msg, err)
	}
}

func TestCloseUnblocksRead(t *testing.T) {
	f := newFilter(t)
	a := f.Wrap(listenUDP(t))
	errc := make(chan error, 1)
	go func() {
		_, _, err := a.ReadFrom(make([]byte, 10))
		errc <- err
	}()
	a.Close()
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("read after close: %v, want net.ErrClosed", err)
	}
	if _, err := a.WriteTo([]byte("x"), a.LocalAddr()); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after close: %v, want net.ErrClosed", err)
	}
}

func TestDelayQueueOverflowCounts(t *testing.T) {
	f, err := New(Config{Seed: 1, MaxDelayed: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a := f.Wrap(listenUDP(t))
	b := listenUDP(t)
	f.SetDelay(50*time.Second, 0, nil)
	for range 5 {
		a.WriteTo([]byte("x"), b.LocalAddr())
	}
	if c := f.Counters(); c.Delayed != 5 || c.DroppedOverflow != 3 {
		t.Fatalf("counters %+v, want 5 delayed of which 3 overflowed", c)
	}
}

func BenchmarkWriteNoFault(b *testing.B) {
	f, _ := New(DefaultConfig())
	defer f.Close()
	pc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	sink, _ := net.ListenPacket("udp", "127.0.0.1:0")
	defer sink.Close()
	a := f.Wrap(pc)
	defer a.Close()
	msg := make([]byte, 1232)
	for b.Loop() {
		a.WriteTo(msg, sink.LocalAddr())
	}
}

func BenchmarkJudgeNoFault(b *testing.B) {
	f, _ := New(DefaultConfig())
	defer f.Close()
	addr := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 2), Port: 8001}
	for b.Loop() {
		f.judge(Outbound, addr)
	}
}

func TestDirectedPartitionCutsOneWay(t *testing.T) {
	f := newFilter(t)
	a := f.Wrap(listenUDP(t))
	b := listenUDP(t)
	if _, err := f.PartitionDirected([]string{b.LocalAddr().String()}, Outbound); err != nil {
		t.Fatal(err)
	}
	a.WriteTo([]byte("cut"), b.LocalAddr())
	b.WriteTo([]byte("heard"), a.LocalAddr())
	if msg, _, err := recv(t, a, 5*time.Second); err != nil || msg != "heard" {
		t.Fatalf("a read %q, %v: the inbound way must stay open", msg, err)
	}
	if _, _, err := recv(t, b, 200*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("b read: %v, want nothing (the outbound way is cut)", err)
	}
	// Turn it around: inbound cut, outbound open.
	if _, err := f.SetRules(Rules{PartitionIn: []string{b.LocalAddr().String()}}); err != nil {
		t.Fatal(err)
	}
	a.WriteTo([]byte("out"), b.LocalAddr())
	if msg, _, err := recv(t, b, 5*time.Second); err != nil || msg != "out" {
		t.Fatalf("b read %q, %v", msg, err)
	}
	b.WriteTo([]byte("in"), a.LocalAddr())
	waitFor(t, func() bool { return f.Counters().DroppedPartition == 2 })
}
