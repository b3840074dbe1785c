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
	got := make(chan int)
	go func() {
		buf := make([]byte, 2048)
		n := 0
		for {
			rx.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			if _, _, err := rx.ReadFrom(buf); err != nil {
				got <- n
				return
			}
			n++
		}
	}()
	pkt := make([]byte, 300)
	start := time.Now()
	for b.Loop() {
		tx.WriteTo(pkt, rx.LocalAddr())
	}
	n := <-got
	el := time.Since(start).Seconds() - 0.1
	b.ReportMetric(float64(n)/el, "delivered/s")
	b.ReportMetric(1-float64(n)/float64(b.N), "lost")
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
