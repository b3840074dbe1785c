package load

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestPercentilesOfMatchesPerQuantileReads(t *testing.T) {
	for _, n := range []int{1, 7, 1000, 50_000} {
		h := newHist()
		r := rand.New(rand.NewPCG(uint64(n), 1))
		for range n {
			recordLatency(h, time.Duration(r.ExpFloat64()*float64(300*time.Millisecond)))
		}
		got := percentilesOf(h)
		ms := func(us int64) float64 { return float64(us) / 1000 }
		want := Percentiles{Count: int64(n), P50: ms(h.ValueAtQuantile(50)), P95: ms(h.ValueAtQuantile(95)),
			P99: ms(h.ValueAtQuantile(99)), Max: ms(h.Max())}
		if got != want {
			t.Errorf("n=%d: percentilesOf = %+v, per-quantile reads give %+v", n, got, want)
		}
	}
}
