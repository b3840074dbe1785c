package load

import (
	"maps"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// stepStats counts one plan step. Transactions belong to the step of
// their intended send time, whenever they are sent or land.
type stepStats struct {
	planned  uint64 // intended sends (sent + dropped)
	sent     uint64 // handed to a sender
	accepted uint64 // the sender reported success
	landed   uint64 // seen processed without error
	expired  uint64 // never seen and its blockhash aged out
	unseen   uint64 // accepted, never seen, still valid when the run ended
	dropped  uint64 // the generator could not keep up
	failed   map[string]uint64
	hist     [numLat]*hdrhistogram.Histogram
}

func newStepStats() *stepStats {
	s := &stepStats{failed: map[string]uint64{}}
	for i := range s.hist {
		s.hist[i] = newHist()
	}
	return s
}

// stats is the engine's counters, shared by its goroutines. Every method
// holds the lock briefly and never blocks on I/O.
type stats struct {
	mu     sync.Mutex
	start  time.Time
	steps  []*stepStats
	total  *stepStats
	sentPS []uint64 // sends per second since start, by send time
	landPS []uint64 // landings per second since start, by the time seen
}

func newStats(nsteps int, start time.Time) *stats {
	s := &stats{start: start, total: newStepStats()}
	for range nsteps {
		s.steps = append(s.steps, newStepStats())
	}
	return s
}

// each calls f on the step's stats and on the total; step < 0 counts in
// the total only.
func (s *stats) each(step int, f func(*stepStats)) {
	if step >= 0 && step < len(s.steps) {
		f(s.steps[step])
	}
	f(s.total)
}

func bump(series *[]uint64, sec int) {
	if sec < 0 {
		return
	}
	for len(*series) <= sec {
		*series = append(*series, 0)
	}
	(*series)[sec]++
}

func (s *stats) dropped(step int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.each(step, func(t *stepStats) { t.planned++; t.dropped++ })
}

// sendDone records one send at now: accepted, or failed with kind.
func (s *stats) sendDone(step int, intended, now time.Time, kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.each(step, func(t *stepStats) {
		t.planned++
		t.sent++
		if kind == "" {
			t.accepted++
		} else {
			t.failed[kind]++
		}
		recordLatency(t.hist[LatSend], now.Sub(intended))
	})
	bump(&s.sentPS, int(now.Sub(s.start)/time.Second))
}

// reached records the first time a transaction reached level
// (LatProcessed…); its latency only when it is timed (tracker.timedRate).
func (s *stats) reached(step, level int, intended, now time.Time, timed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.each(step, func(t *stepStats) {
		if level == LatProcessed {
			t.landed++
		}
		if timed {
			recordLatency(t.hist[level], now.Sub(intended))
		}
	})
	if level == LatProcessed {
		bump(&s.landPS, int(now.Sub(s.start)/time.Second))
	}
}

// failedOnChain records a transaction that executed with an error.
func (s *stats) failedOnChain(step int, kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.each(step, func(t *stepStats) { t.failed[kind]++ })
}

// unresolved counts a transaction never seen by the end of the run.
func (s *stats) unresolved(step int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.each(step, func(t *stepStats) { t.unseen++ })
}

func (s *stats) expired(step int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.each(step, func(t *stepStats) { t.expired++ })
}

// StepReport is one step's counts and latencies.
type StepReport struct {
	Step        int                    `json:"step"` // -1 for the total
	TargetTPS   float64                `json:"target_tps"`
	AchievedTPS float64                `json:"achieved_tps"` // sent per second of the step
	LandedTPS   float64                `json:"landed_tps"`
	Planned     uint64                 `json:"planned"`
	Sent        uint64                 `json:"sent"`
	Accepted    uint64                 `json:"accepted"`
	Landed      uint64                 `json:"landed"`
	Expired     uint64                 `json:"expired"`
	Unresolved  uint64                 `json:"unresolved"` // never seen, not yet expired at the end
	Dropped     uint64                 `json:"dropped"`
	Failed      map[string]uint64      `json:"failed"`
	Latency     map[string]Percentiles `json:"latency"`
}

func (t *stepStats) report(step int, target float64, secs float64) StepReport {
	r := StepReport{Step: step, TargetTPS: target, Planned: t.planned, Sent: t.sent, Accepted: t.accepted,
		Landed: t.landed, Expired: t.expired, Unresolved: t.unseen, Dropped: t.dropped, Failed: maps.Clone(t.failed),
		Latency: map[string]Percentiles{}}
	if secs > 0 {
		r.AchievedTPS = float64(t.sent) / secs
		r.LandedTPS = float64(t.landed) / secs
	}
	for i, h := range t.hist {
		r.Latency[LatencyNames[i]] = percentilesOf(h)
	}
	return r
}

// reports returns one StepReport per step and the total.
func (s *stats) reports(p Plan, elapsed time.Duration) ([]StepReport, StepReport) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]StepReport, len(s.steps))
	var active time.Duration
	for i, t := range s.steps {
		d := min(max(elapsed-p.StepStart(i), 0), p.Step)
		active += d
		out[i] = t.report(i, p.TargetRate(i), d.Seconds())
	}
	return out, s.total.report(-1, 0, active.Seconds())
}

// series returns the last n seconds of sends and landings per second,
// aligned on the same seconds.
func (s *stats) series(n int) (sent, landed []uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := max(len(s.sentPS), len(s.landPS))
	from := max(l-n, 0)
	pad := func(x []uint64) []uint64 {
		out := make([]uint64, l)
		copy(out, x)
		return out[from:]
	}
	return pad(s.sentPS), pad(s.landPS)
}
