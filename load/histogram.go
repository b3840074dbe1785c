package load

import (
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Latency kinds, each measured from a transaction's intended send time.
const (
	LatSend      = iota // the send returned (accepted or not)
	LatProcessed        // first seen processed
	LatConfirmed        // first seen confirmed
	LatFinalized        // first seen finalized
	numLat
)

// LatencyNames name the latency kinds in reports.
var LatencyNames = [numLat]string{"send", "processed", "confirmed", "finalized"}

// histogram ranges: 1 µs … 10 min, 3 significant digits.
const (
	histMin = 1
	histMax = int64(10 * time.Minute / time.Microsecond)
)

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(histMin, histMax, 3) }

// recordLatency records d, clamped into the histogram's range.
func recordLatency(h *hdrhistogram.Histogram, d time.Duration) {
	us := min(max(d.Microseconds(), histMin), histMax)
	_ = h.RecordValue(us) // in range by construction
}

// Percentiles are latencies in milliseconds.
type Percentiles struct {
	Count int64   `json:"count"`
	P50   float64 `json:"p50_ms"`
	P95   float64 `json:"p95_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
}

// reportedQuantiles are read in one pass over the histogram (100 is the
// maximum, as Histogram.Max gives it).
var reportedQuantiles = []float64{50, 95, 99, 100}

func percentilesOf(h *hdrhistogram.Histogram) Percentiles {
	n := h.TotalCount()
	if n == 0 {
		return Percentiles{}
	}
	v := h.ValueAtPercentiles(reportedQuantiles)
	ms := func(q float64) float64 { return float64(v[q]) / 1000 }
	return Percentiles{Count: n, P50: ms(50), P95: ms(95), P99: ms(99), Max: ms(100)}
}
