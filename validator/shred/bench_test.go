package shred

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"slonui/validator/netfault"
)

// BenchmarkShredSign reports the leader's cost to cut and sign one full
// shred.
func BenchmarkShredSign(b *testing.B) {
	kp := testKey(1)
	s := NewShredder(kp, 1, 1, 0)
	piece := pattern(MaxPayload, 1)
	for b.Loop() {
		s.Write(piece)
	}
}

// BenchmarkShredVerify reports a receiver's decode + verify cost per shred.
func BenchmarkShredVerify(b *testing.B) {
	kp := testKey(1)
	raw := ShredSlot(kp, 1, 1, 0, pattern(MaxPayload, 1))[0].Bytes()
	for b.Loop() {
		sh, err := DecodeShred(raw)
		if err != nil || !sh.Verify(kp.Pubkey()) {
			b.Fatal("verify failed")
		}
	}
}

// BenchmarkBroadcastSlot3Nodes reports how fast one leader's slots of 64
// full shreds (72 KiB) reach two receivers intact over loopback UDP, repair
// included when the kernel drops packets.
func BenchmarkBroadcastSlot3Nodes(b *testing.B) {
	kp := testKey(1)
	leader := startNode(b, netOpts{leader: kp.Pubkey()})
	r1 := startNode(b, netOpts{leader: kp.Pubkey(), peers: fixedPeers(leader.repair)})
	r2 := startNode(b, netOpts{leader: kp.Pubkey(), peers: fixedPeers(leader.repair)})
	data := pattern(64*MaxPayload, 2)
	slot := uint64(1)
	start := time.Now()
	for b.Loop() {
		shreds := ShredSlot(kp, 3, slot, slot-1, data)
		if err := leader.Broadcast(shreds, []netip.AddrPort{r1.tvu, r2.tvu}); err != nil {
			b.Fatal(err)
		}
		for _, r := range []*testNode{r1, r2} {
			deadline := time.Now().Add(30 * time.Second)
			for {
				if _, ok := r.slot(slot); ok {
					break
				}
				if time.Now().After(deadline) {
					b.Fatalf("slot %d not received", slot)
				}
				time.Sleep(100 * time.Microsecond)
			}
		}
		slot++
	}
	el := time.Since(start).Seconds()
	b.ReportMetric(float64(b.N)*64/el, "shreds/s")
	b.ReportMetric(float64(b.N*len(data))/el/1e6, "MB/s")
	b.ReportMetric(float64(r1.Stats().RepairRequestsSent+r2.Stats().RepairRequestsSent), "repairs")
}

// BenchmarkTPUIngest reports the packets/s the TPU accepts from one sender
// blasting 300-byte packets over loopback, and the fraction lost.
func BenchmarkTPUIngest(b *testing.B) {
	pc, addr := listen(b)
	benchTPU(b, pc, addr)
}

// BenchmarkTPUIngestWrapped is BenchmarkTPUIngest through a netfault
// filter with no fault active, as the validator runs it.
func BenchmarkTPUIngestWrapped(b *testing.B) {
	f, err := netfault.New(netfault.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	pc, addr := listen(b)
	benchTPU(b, f.Wrap(pc), addr)
}

func benchTPU(b *testing.B, pc net.PacketConn, addr netip.AddrPort) {
	tpu, err := NewTPU(TPUConfig{Conn: pc, Handler: func([]byte, netip.AddrPort) {}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tpu.Run(ctx) }()
	defer func() { cancel(); <-done; pc.Close() }()
	sender, _ := listen(b)
	defer sender.Close()
	pkt := pattern(300, 3)
	start := time.Now()
	for b.Loop() {
		SendPacket(sender, addr, pkt)
	}
	// Wait until the TPU stops receiving; time runs to the last change.
	last, still, lastAt := uint64(0), 0, time.Now()
	for still < 20 {
		time.Sleep(5 * time.Millisecond)
		if r := tpu.Stats().Delivered; r == last {
			still++
		} else {
			last, still, lastAt = r, 0, time.Now()
		}
	}
	el := lastAt.Sub(start).Seconds()
	st := tpu.Stats()
	b.ReportMetric(float64(st.Delivered)/el, "delivered/s")
	b.ReportMetric(1-float64(st.Delivered)/float64(b.N), "lost")
}
