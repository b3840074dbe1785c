package core

import (
	"syscall"
	"testing"
	"time"

	"slonui/solana"
)

// BenchmarkProduceReplayBlock measures one block of 3,000 transfers end to
// end on two cores, as the devnet runs them (signature checks on, block
// transactions trusted): the leader executes them fed over the 16 ticks of
// its slot (25 ms apart, as the process ticks) and emits and signs the
// pieces of each flush, then a follower verifies every piece and replays
// the block. It reports the CPU time of the process (getrusage, so other
// load on the machine does not count) per block, for each side.
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

		t0 := cpuTime(b)
		flushes := f.produce(b, ticks)
		t1 := cpuTime(b)
		for _, flush := range flushes {
			for _, p := range flush {
				if err := f.follower.Step(p); err != nil {
					b.Fatal(err)
				}
				pieces++
			}
		}
		t2 := cpuTime(b)
		produce += t1 - t0
		replay += t2 - t1

		b.StopTimer()
		got, ok := f.follower.BankInfo(f.slot)
		if lb := f.leader.banks[f.slot]; !ok || lb == nil || lb.txCount != n || got.BankHash != lb.bankHash {
			b.Fatalf("leader and follower disagree on slot %d", f.slot)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(produce.Microseconds())/float64(b.N), "produce-cpu-µs/block")
	b.ReportMetric(float64(replay.Microseconds())/float64(b.N), "replay-cpu-µs/block")
	b.ReportMetric(float64(pieces)/float64(b.N), "pieces/block")
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// blockFixture is a leader and a follower of a 3-validator genesis, the
// leader about to lead slot.
type blockFixture struct {
	leader, follower *Node
	slot             uint64
	start            int64
	raws             [][]byte
}

func newBlockFixture(t testing.TB, txs int) *blockFixture {
	f := &blockFixture{leader: newTestNode(&testing.T{}, 0, nil, 1, 1, 1), follower: newTestNode(&testing.T{}, 1, nil, 1, 1, 1)}
	f.slot = 8
	for !f.leader.IsLeader(f.slot) {
		f.slot++
	}
	f.start = f.leader.g.SlotStartMs(f.slot)
	f.leader.Tick(f.start - 3*f.leader.g.SlotMs)
	f.leader.Ready()
	f.follower.Tick(f.start)
	f.follower.Ready()
	faucet := testKey(200)
	for i := 0; i < txs; i++ {
		to := testKey(byte(i % 250)).Pubkey()
		to[31] ^= byte(i >> 8)
		tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(faucet.Pubkey(), to, uint64(i+1))}, f.leader.GenesisHash(), faucet)
		if err != nil {
			t.Fatal(err)
		}
		f.raws = append(f.raws, tx.Marshal())
	}
	return f
}

// produce feeds the transfers to the leader over ticks of its slot and
// returns the slot's pieces of each flush.
func (f *blockFixture) produce(t testing.TB, ticks int) (flushes [][]*BlockPiece) {
	n := len(f.raws)
	for k := 0; k <= ticks; k++ {
		for _, raw := range f.raws[k*n/ticks : min((k+1)*n/ticks, n)] {
			if _, err := f.leader.SubmitVerifiedTransaction(raw, false); err != nil {
				t.Fatal(err)
			}
		}
		f.leader.Tick(f.start + int64(k)*f.leader.g.SlotMs/int64(ticks))
		var flush []*BlockPiece
		for _, m := range f.leader.Ready().Messages {
			if p, ok := m.Msg.(*BlockPiece); ok && p.Slot == f.slot {
				flush = append(flush, p)
			}
		}
		if len(flush) > 0 {
			flushes = append(flushes, flush)
		}
	}
	return flushes
}
