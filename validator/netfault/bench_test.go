package netfault

import (
	"net"
	"testing"
	"time"
)

// benchReceive blasts b.N 300-byte packets at rx and reports the packets/s
// rx delivered and the fraction lost (kernel buffer overflow included).
func benchReceive(b *testing.B, rx net.PacketConn) {
	tx, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Close()
	type result struct {
		n    int
		last time.Time
	}
	got := make(chan result)
	go func() {
		buf := make([]byte, 2048)
		var r result
		for {
			rx.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			if _, _, err := rx.ReadFrom(buf); err != nil {
				got <- r
				return
			}
			r.n++
			r.last = time.Now()
		}
	}()
	pkt := make([]byte, 300)
	start := time.Now()
	for b.Loop() {
		tx.WriteTo(pkt, rx.LocalAddr())
	}
	r := <-got
	if r.n == 0 {
		b.Fatal("nothing received")
	}
	el := r.last.Sub(start).Seconds() // until the last packet arrived
	b.ReportMetric(float64(r.n)/el, "delivered/s")
	b.ReportMetric(1-float64(r.n)/float64(b.N), "lost")
}

func BenchmarkReceiveRaw(b *testing.B) {
	pc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	defer pc.Close()
	benchReceive(b, pc)
}

func BenchmarkReceiveWrappedNoFault(b *testing.B) {
	f, _ := New(DefaultConfig())
	defer f.Close()
	pc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	c := f.Wrap(pc)
	defer c.Close()
	benchReceive(b, c)
}
