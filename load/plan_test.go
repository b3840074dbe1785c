package load

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestPlanRateAt(t *testing.T) {
	s := time.Second
	guide := StepsPlan([]float64{100, 500, 1000}, 60*s, 30*s)
	tests := []struct {
		name     string
		plan     Plan
		at       time.Duration
		wantRate float64
		wantStep int
	}{
		{"constant start", ConstantPlan(200, 10*s), 0, 200, 0},
		{"constant middle", ConstantPlan(200, 10*s), 5 * s, 200, 0},
		{"constant end is over", ConstantPlan(200, 10*s), 10 * s, 0, -1},
		{"before start", ConstantPlan(200, 10*s), -1, 0, -1},
		{"steps first", guide, 0, 100, 0},
		{"steps last instant of first", guide, 60*s - 1, 100, 0},
		{"steps cool-down", guide, 60 * s, 0, -1},
		{"steps cool-down end", guide, 90*s - 1, 0, -1},
		{"steps second", guide, 90 * s, 500, 1},
		{"steps third", guide, 180 * s, 1000, 2},
		{"steps last instant", guide, 240*s - 1, 1000, 2},
		{"steps over (no trailing cool-down)", guide, 240 * s, 0, -1},
		{"ramp start", RampPlan(100, 1100, 10*s), 0, 100, 0},
		{"ramp middle", RampPlan(100, 1100, 10*s), 5 * s, 600, 0},
		{"ramp down", RampPlan(1000, 0, 10*s), 2500 * time.Millisecond, 750, 0},
		{"ramp over", RampPlan(100, 1100, 10*s), 10 * s, 0, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, step := tc.plan.RateAt(tc.at)
			if math.Abs(r-tc.wantRate) > 1e-9 || step != tc.wantStep {
				t.Errorf("RateAt(%s) = %v, %d; want %v, %d", tc.at, r, step, tc.wantRate, tc.wantStep)
			}
		})
	}
}

func TestPlanDurationAndSteps(t *testing.T) {
	tests := []struct {
		name  string
		plan  Plan
		dur   time.Duration
		steps int
	}{
		{"guide", GuidePlan(), 6*60*time.Second + 5*30*time.Second, 6},
		{"constant", ConstantPlan(5, time.Minute), time.Minute, 1},
		{"ramp", RampPlan(0, 10, time.Minute), time.Minute, 1},
		{"one step", StepsPlan([]float64{7}, time.Second, time.Hour), time.Second, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.plan.Duration(); got != tc.dur {
				t.Errorf("Duration = %s, want %s", got, tc.dur)
			}
			if got := tc.plan.NumSteps(); got != tc.steps {
				t.Errorf("NumSteps = %d, want %d", got, tc.steps)
			}
		})
	}
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		want []string // substrings of the error; none = valid
	}{
		{"guide", GuidePlan(), nil},
		{"zero", Plan{}, []string{"needs 1 rates", "step length"}},
		{"negative and NaN", StepsPlan([]float64{-1, math.NaN()}, time.Second, -time.Second),
			[]string{"rate 1 is -1", "rate 2 is NaN", "cool-down"}},
		{"ramp one rate", Plan{Kind: Ramp, Rates: []float64{1}, Step: time.Second}, []string{"ramp needs 2 rates"}},
		{"steps no rate", Plan{Kind: Steps, Step: time.Second}, []string{"at least one rate"}},
		{"unknown kind", Plan{Kind: 9, Rates: []float64{1}, Step: time.Second}, []string{"unknown kind"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.plan.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate = nil, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate = %q, missing %q", err, w)
				}
			}
		})
	}
}

// countSends walks Next through the whole plan.
func countSends(p Plan) (perStep []int, times []time.Duration) {
	perStep = make([]int, p.NumSteps())
	prev := time.Duration(-1)
	for {
		at, step, ok := p.Next(prev)
		if !ok {
			return perStep, times
		}
		if at <= prev {
			panic("Next went backwards")
		}
		perStep[step]++
		times = append(times, at)
		prev = at
	}
}

func TestPlanNextCountsMatchTheRate(t *testing.T) {
	s := time.Second
	tests := []struct {
		name string
		plan Plan
		want []int
	}{
		{"constant 100/s for 10 s", ConstantPlan(100, 10*s), []int{1000}},
		{"steps with cool-down", StepsPlan([]float64{10, 0, 50}, 2*s, s), []int{20, 0, 100}},
		{"ramp 0→100 over 10 s", RampPlan(0, 100, 10*s), []int{500}},
		{"ramp 100→0 over 10 s", RampPlan(100, 0, 10*s), []int{500}},
		{"ramp flat", RampPlan(20, 20, 5*s), []int{100}},
		{"zero rate", ConstantPlan(0, 5*s), []int{0}},
		{"300/s for 4 s: no extra send from rounding", ConstantPlan(300, 4*s), []int{1200}},
		{"7/s for 3 s", ConstantPlan(7, 3*s), []int{21}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, times := countSends(tc.plan)
			for i := range tc.want {
				// A ramp's count may be off by one at the end; steps are exact.
				if d := got[i] - tc.want[i]; d < -1 || d > 1 || d != 0 && tc.plan.Kind != Ramp {
					t.Errorf("step %d: %d sends, want %d", i, got[i], tc.want[i])
				}
			}
			for _, at := range times {
				if r, _ := tc.plan.RateAt(at); r <= 0 && tc.plan.Kind != Ramp {
					t.Errorf("send at %s falls where the rate is %v", at, r)
				}
			}
		})
	}
}

func TestPlanNextStepsStartOnTheStep(t *testing.T) {
	p := StepsPlan([]float64{1, 1}, 2500*time.Millisecond, time.Second)
	_, times := countSends(p)
	want := []time.Duration{0, time.Second, 2 * time.Second, 3500 * time.Millisecond, 4500 * time.Millisecond, 5500 * time.Millisecond}
	if len(times) != len(want) {
		t.Fatalf("sends at %v, want %v", times, want)
	}
	for i := range want {
		if times[i] != want[i] {
			t.Errorf("send %d at %s, want %s", i, times[i], want[i])
		}
	}
}
