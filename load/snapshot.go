package load

import (
	"maps"
	"time"
)

// Phases of a run.
const (
	PhaseIdle     = "idle"
	PhaseFunding  = "funding"
	PhaseRunning  = "running"
	PhaseDraining = "draining" // sends are over; statuses are still polled
	PhaseDone     = "done"
	PhaseStopped  = "stopped"
	PhaseFailed   = "failed"
)

// SeriesSeconds is how many seconds of per-second rates a Snapshot keeps.
const SeriesSeconds = 120

// Snapshot is what a UI pulls on a tick: a copied value it may keep.
type Snapshot struct {
	Phase   string
	Err     string
	Plan    Plan
	Step    int     // step of the last intended send; -1 in a cool-down
	Rate    float64 // offered rate in force (the plan's or SetRate's)
	Elapsed time.Duration

	Planned, Sent, Accepted, Landed, Expired, Dropped uint64
	Failed                                            map[string]uint64
	Pending                                           int

	// SentTPS and LandedTPS are per second, oldest first, the last
	// SeriesSeconds of the run.
	SentTPS, LandedTPS []uint64
	// Latency per kind ("send", "processed", "confirmed", "finalized") over
	// the run so far.
	Latency map[string]Percentiles
	// StepReports are the steps so far.
	StepReports []StepReport
}

// clone deep-copies s.
func (s Snapshot) clone() Snapshot {
	s.Failed = maps.Clone(s.Failed)
	s.SentTPS = append([]uint64(nil), s.SentTPS...)
	s.LandedTPS = append([]uint64(nil), s.LandedTPS...)
	s.Latency = maps.Clone(s.Latency)
	s.Plan.Rates = append([]float64(nil), s.Plan.Rates...)
	steps := make([]StepReport, len(s.StepReports))
	for i, r := range s.StepReports {
		r.Failed = maps.Clone(r.Failed)
		r.Latency = maps.Clone(r.Latency)
		steps[i] = r
	}
	s.StepReports = steps
	return s
}
