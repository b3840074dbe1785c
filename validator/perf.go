package validator

import (
	"sync"
	"time"

	"slonui/validator/rpcserver"
)

// PerfSamplePeriod is how often a performance sample is taken (Agave: 60 s).
const PerfSamplePeriod = 60 * time.Second

// maxPerfSamples is how many samples are kept (Agave: 720, 12 hours).
const maxPerfSamples = 720

// perfSamples are getRecentPerformanceSamples' data: transactions and
// slots per period, measured from the processed bank.
type perfSamples struct {
	mu      sync.Mutex
	last    time.Time
	lastTx  uint64
	lastSl  uint64
	samples []rpcserver.PerformanceSample // oldest first
}

// maybeSample takes a sample when a period has passed since the last.
func (p *perfSamples) maybeSample(now time.Time, st *status) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last.IsZero() {
		p.last, p.lastTx, p.lastSl = now, st.stats.Transactions, st.stats.Slot
		return
	}
	if now.Sub(p.last) < PerfSamplePeriod {
		return
	}
	s := rpcserver.PerformanceSample{
		Slot:             st.stats.Slot,
		NumTransactions:  sub(st.stats.Transactions, p.lastTx),
		NumSlots:         sub(st.stats.Slot, p.lastSl),
		SamplePeriodSecs: uint16(now.Sub(p.last).Round(time.Second) / time.Second),
	}
	s.NumNonVoteTransactions = s.NumTransactions // votes are not transactions here
	p.samples = append(p.samples, s)
	if len(p.samples) > maxPerfSamples {
		p.samples = p.samples[1:]
	}
	p.last, p.lastTx, p.lastSl = now, st.stats.Transactions, st.stats.Slot
}

func (p *perfSamples) newest(limit int) []rpcserver.PerformanceSample {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]rpcserver.PerformanceSample, 0, min(limit, len(p.samples)))
	for i := len(p.samples) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, p.samples[i])
	}
	return out
}

func sub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}
