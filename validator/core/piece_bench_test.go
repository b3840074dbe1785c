package core

import (
	"testing"
	"time"
)

// BenchmarkProduceReplayBlock measures one block of 3,000 transfers end to
// end on two cores, as the devnet runs them (signature checks on, block
// transactions trusted): the leader executes them fed over the 16 ticks of
// its slot (25 ms apart, as the process ticks) and emits and signs the
// pieces of each flush, then a follower verifies every piece and replays
// the block. It reports the CPU of each side per block.
func BenchmarkProduceReplayBlock(b *testing.B) {
	const n, ticks = 3000, 16
	raws := newBlockFixture(b, n).raws // signed once, outside the timer
	var produce, replay time.Duration
	pieces := 0
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		b.StopTimer()
		f := newBlockFixture(b, 0)
		f.raws = raws
		f.follower.cfg.TrustBlockTransactions = true
		b.StartTimer()

		t0 := time.Now()
		flushes := f.produce(b, ticks)
		t1 := time.Now()
		for _, flush := range flushes {
			for _, p := range flush {
				if err := f.follower.Step(p); err != nil {
					b.Fatal(err)
				}
				pieces++
			}
		}
		t2 := time.Now()
		produce += t1.Sub(t0)
		replay += t2.Sub(t1)

		b.StopTimer()
		got, ok := f.follower.BankInfo(f.slot)
		if lb := f.leader.banks[f.slot]; !ok || lb == nil || lb.txCount != n || got.BankHash != lb.bankHash {
			b.Fatalf("leader and follower disagree on slot %d", f.slot)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(produce.Microseconds())/float64(b.N), "produce-µs/block")
	b.ReportMetric(float64(replay.Microseconds())/float64(b.N), "replay-µs/block")
	b.ReportMetric(float64(pieces)/float64(b.N), "pieces/block")
}
