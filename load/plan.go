package load

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// PlanKind names the shape of a Plan.
type PlanKind int

// Plan shapes.
const (
	// Constant holds Rates[0] for Step.
	Constant PlanKind = iota
	// Steps holds each of Rates for Step, with a quiet Cooldown between steps.
	Steps
	// Ramp rises linearly from Rates[0] to Rates[1] over Step.
	Ramp
)

func (k PlanKind) String() string {
	switch k {
	case Constant:
		return "constant"
	case Steps:
		return "steps"
	case Ramp:
		return "ramp"
	}
	return fmt.Sprintf("PlanKind(%d)", int(k))
}

// Plan is a pure description of the offered rate (transactions per second)
// over time. The zero value is not valid; use the constructors.
type Plan struct {
	Kind PlanKind
	// Rates: Constant [r]; Steps one rate per step; Ramp [from, to].
	Rates []float64
	// Step is the length of each step (Steps) or of the whole run.
	Step time.Duration
	// Cooldown is the quiet time between two steps (Steps only).
	Cooldown time.Duration
}

// GuideRates are the steps of the guide's ramp_up_test.sh.
var GuideRates = []float64{100, 500, 1000, 2000, 5000, 10000}

// ConstantPlan offers rate for d.
func ConstantPlan(rate float64, d time.Duration) Plan {
	return Plan{Kind: Constant, Rates: []float64{rate}, Step: d}
}

// StepsPlan offers each rate for step, quiet for cooldown between steps.
func StepsPlan(rates []float64, step, cooldown time.Duration) Plan {
	return Plan{Kind: Steps, Rates: append([]float64(nil), rates...), Step: step, Cooldown: cooldown}
}

// RampPlan rises linearly from `from` to `to` over d.
func RampPlan(from, to float64, d time.Duration) Plan {
	return Plan{Kind: Ramp, Rates: []float64{from, to}, Step: d}
}

// GuidePlan is the guide's ramp: 100 … 10,000 TPS, 60 s each, 30 s cool-down.
func GuidePlan() Plan { return StepsPlan(GuideRates, 60*time.Second, 30*time.Second) }

// Validate reports every problem of p.
func (p Plan) Validate() error {
	var errs []error
	want := map[PlanKind]int{Constant: 1, Ramp: 2}
	switch n, fixed := want[p.Kind]; {
	case p.Kind < Constant || p.Kind > Ramp:
		errs = append(errs, fmt.Errorf("load: plan: unknown kind %d", int(p.Kind)))
	case fixed && len(p.Rates) != n:
		errs = append(errs, fmt.Errorf("load: plan: %s needs %d rates, got %d", p.Kind, n, len(p.Rates)))
	case !fixed && len(p.Rates) == 0:
		errs = append(errs, errors.New("load: plan: steps need at least one rate"))
	}
	for i, r := range p.Rates {
		if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
			errs = append(errs, fmt.Errorf("load: plan: rate %d is %v, want a finite rate ≥ 0", i+1, r))
		}
	}
	if p.Step <= 0 {
		errs = append(errs, fmt.Errorf("load: plan: step length must be positive, got %s", p.Step))
	}
	if p.Cooldown < 0 {
		errs = append(errs, fmt.Errorf("load: plan: cool-down must not be negative, got %s", p.Cooldown))
	}
	return errors.Join(errs...)
}

// NumSteps is the number of steps the report has: one per rate for Steps,
// one otherwise.
func (p Plan) NumSteps() int {
	if p.Kind == Steps {
		return len(p.Rates)
	}
	return 1
}

// Duration is the plan's total length (cool-downs between steps included,
// none after the last).
func (p Plan) Duration() time.Duration {
	if p.Kind != Steps {
		return p.Step
	}
	n := time.Duration(len(p.Rates))
	if n == 0 {
		return 0
	}
	return n*p.Step + (n-1)*p.Cooldown
}

// StepStart is when step i begins, measured from the start of the run.
func (p Plan) StepStart(i int) time.Duration {
	if p.Kind != Steps {
		return 0
	}
	return time.Duration(i) * (p.Step + p.Cooldown)
}

// TargetRate is step i's nominal rate (a ramp's mean rate).
func (p Plan) TargetRate(i int) float64 {
	switch {
	case p.Kind == Ramp && len(p.Rates) == 2:
		return (p.Rates[0] + p.Rates[1]) / 2
	case i >= 0 && i < len(p.Rates):
		return p.Rates[i]
	}
	return 0
}

// RateAt is the offered rate at elapsed time since the start, and the index
// of the step it belongs to. During a cool-down, before the start and after
// the end the rate is 0 and the step is -1.
func (p Plan) RateAt(elapsed time.Duration) (rate float64, step int) {
	if elapsed < 0 || elapsed >= p.Duration() || len(p.Rates) == 0 {
		return 0, -1
	}
	switch p.Kind {
	case Constant:
		return p.Rates[0], 0
	case Ramp:
		f := float64(elapsed) / float64(p.Step)
		return p.Rates[0] + (p.Rates[1]-p.Rates[0])*f, 0
	}
	period := p.Step + p.Cooldown
	i := int(elapsed / period)
	if elapsed-time.Duration(i)*period >= p.Step {
		return 0, -1
	}
	return p.Rates[i], i
}

// Next is the intended time of the send after the one at prev (prev < 0:
// the first send) and its step; ok is false when the plan has no more
// sends. The first send of a step is at the step's start; after that sends
// follow the rate exactly (a ramp's by integrating its linear rate), and
// a send that would fall past the step's end moves to the next step.
func (p Plan) Next(prev time.Duration) (at time.Duration, step int, ok bool) {
	if len(p.Rates) == 0 || p.Step <= 0 {
		return 0, -1, false
	}
	if p.Kind == Ramp {
		return p.nextRamp(prev)
	}
	if prev >= 0 {
		if r, i := p.RateAt(prev); i >= 0 && r > 0 {
			at := prev + interval(r)
			if at == prev {
				at++
			}
			if at < p.StepStart(i)+p.Step {
				return at, i, true
			}
		}
	}
	// The first send of the next step with a positive rate.
	for i := 0; i < p.NumSteps(); i++ {
		s := p.StepStart(i)
		if s > prev && p.TargetRate(i) > 0 {
			return s, i, true
		}
	}
	return 0, -1, false
}

// nextRamp solves ∫ rate = 1 from prev for a linear rate a + b·t.
func (p Plan) nextRamp(prev time.Duration) (time.Duration, int, bool) {
	t := max(prev, 0)
	r, _ := p.RateAt(t)
	if prev < 0 && r > 0 {
		return 0, 0, true
	}
	b := (p.Rates[1] - p.Rates[0]) / p.Step.Seconds() // per second²
	var dt float64
	switch {
	case b == 0 && r <= 0:
		return 0, -1, false
	case b == 0:
		dt = 1 / r
	default:
		disc := r*r + 2*b
		if disc < 0 {
			return 0, -1, false
		}
		dt = (-r + math.Sqrt(disc)) / b
	}
	at := t + time.Duration(dt*float64(time.Second))
	if at == prev {
		at++
	}
	if at >= p.Step {
		return 0, -1, false
	}
	return at, 0, true
}

// interval is the time between sends at rate r, rounded up to the
// nanosecond so that a step of d holds exactly ⌈d·r⌉ sends, never one more.
func interval(r float64) time.Duration {
	return max(time.Duration(math.Ceil(float64(time.Second)/r)), 1)
}
