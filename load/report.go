package load

import (
	"time"
)

// The guide's targets.
const (
	TargetTPS        = 10_000
	PassTPS          = 8_000
	TargetConfirmP99 = time.Second
	PassConfirmP99   = 2 * time.Second
)

// Grades of a verdict.
const (
	GradeTarget = "target" // met the guide's target
	GradePass   = "pass"   // met the pass line, not the target
	GradeFail   = "fail"
)

// Verdict grades a run against the guide's targets: the best landed rate
// of any step, and the P99 time to confirmed over the whole run.
type Verdict struct {
	LandedTPS        float64 `json:"landed_tps"`
	Throughput       string  `json:"throughput"`
	ConfirmedP99Ms   float64 `json:"confirmed_p99_ms"`
	Confirmation     string  `json:"confirmation"`
	Pass             bool    `json:"pass"`
	ConfirmedSamples int64   `json:"confirmed_samples"`
}

// Judge grades steps and total. Pure.
func Judge(steps []StepReport, total StepReport) Verdict {
	var v Verdict
	for _, s := range steps {
		v.LandedTPS = max(v.LandedTPS, s.LandedTPS)
	}
	switch {
	case v.LandedTPS >= TargetTPS:
		v.Throughput = GradeTarget
	case v.LandedTPS > PassTPS:
		v.Throughput = GradePass
	default:
		v.Throughput = GradeFail
	}
	c := total.Latency[LatencyNames[LatConfirmed]]
	v.ConfirmedP99Ms, v.ConfirmedSamples = c.P99, c.Count
	p99 := time.Duration(c.P99 * float64(time.Millisecond))
	switch {
	case c.Count == 0:
		v.Confirmation = GradeFail
	case p99 < TargetConfirmP99:
		v.Confirmation = GradeTarget
	case p99 < PassConfirmP99:
		v.Confirmation = GradePass
	default:
		v.Confirmation = GradeFail
	}
	v.Pass = v.Throughput != GradeFail && v.Confirmation != GradeFail
	return v
}

// Report is a run's result.
type Report struct {
	Plan     string            `json:"plan"`
	Sender   string            `json:"sender"`
	Nodes    []string          `json:"nodes"`
	Accounts int               `json:"accounts"`
	Phase    string            `json:"phase"`
	Error    string            `json:"error,omitempty"`
	Elapsed  float64           `json:"elapsed_s"`
	Steps    []StepReport      `json:"steps"`
	Total    StepReport        `json:"total"`
	Verdict  Verdict           `json:"verdict"`
	Errors   map[string]uint64 `json:"errors"` // engine errors outside sends: polls, blockhash, leaders
}
