package scenario

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"slonui/load"
)

// Defaults of a load step and its check.
const (
	DefaultLoadAccounts = 64
	DefaultMinLanded    = 0.95
)

// ParseLoad reads a load step's rate spec: "200" (a constant 200 TPS for
// duration), "100..1000" (a linear ramp over duration) or "100,500,1000"
// (steps of duration each, cooldown between them).
func ParseLoad(spec string, duration, cooldown time.Duration) (load.Plan, error) {
	rate := func(s string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || v < 0 || v > 1e6 {
			return 0, fmt.Errorf("load %q: %q is not a rate from 0 to 1000000 TPS", spec, s)
		}
		return v, nil
	}
	var p load.Plan
	switch {
	case strings.Contains(spec, ".."):
		from, to, _ := strings.Cut(spec, "..")
		a, err := rate(from)
		if err != nil {
			return p, err
		}
		b, err := rate(to)
		if err != nil {
			return p, err
		}
		p = load.RampPlan(a, b, duration)
	case strings.Contains(spec, ","):
		var rates []float64
		for _, f := range strings.Split(spec, ",") {
			v, err := rate(f)
			if err != nil {
				return p, err
			}
			rates = append(rates, v)
		}
		p = load.StepsPlan(rates, duration, cooldown)
	default:
		v, err := rate(spec)
		if err != nil {
			return p, err
		}
		p = load.ConstantPlan(v, duration)
	}
	return p, p.Validate()
}

// startLoad starts (or restarts) the load engine with step s's plan. The
// engine runs in the background until its plan ends or the run stops it.
func (r *run) startLoad(ctx context.Context, s Step) (string, error) {
	d, _ := time.ParseDuration(s.Duration)
	cool := durationOr(s.Cooldown, 0)
	plan, err := ParseLoad(s.Load, d, cool)
	if err != nil {
		return "", err
	}
	if r.load != nil {
		r.load.Stop()
	}
	cfg := load.DefaultConfig()
	cfg.URLs, cfg.Accounts = r.urls, DefaultLoadAccounts
	if s.Sender != "" {
		cfg.Sender = s.Sender
	}
	eng, err := load.New(cfg)
	if err != nil {
		return "", err
	}
	if err := eng.Start(r.loadCtx, plan); err != nil {
		return "", err
	}
	r.load = eng
	return fmt.Sprintf("%s plan %s over %s, %s sender, %d accounts", plan.Kind, s.Load, plan.Duration(), cfg.Sender, cfg.Accounts), nil
}

// loadCheck waits for the running load to end and judges its report.
func (r *run) loadCheck(ctx context.Context, s Step) (CheckResult, error) {
	res := CheckResult{Name: CheckLoad}
	if r.load == nil {
		res.Value, res.Reason = "no load", "no load step ran before this check"
		return res, nil
	}
	select {
	case <-ctx.Done():
		return res, ctx.Err()
	case <-r.load.Done():
	}
	rep, _ := r.load.Report()
	return judgeLoad(s, rep), nil
}

// judgeLoad is the pure part of the load check.
func judgeLoad(s Step, rep load.Report) CheckResult {
	res := CheckResult{Name: CheckLoad}
	minLanded := DefaultMinLanded
	if s.MinLanded != nil {
		minLanded = *s.MinLanded
	}
	th := []string{fmt.Sprintf("landed ≥ %.1f%%", minLanded*100)}
	if s.MinTPS != nil {
		th = append(th, fmt.Sprintf("landed TPS ≥ %g", *s.MinTPS))
	}
	var maxP99 time.Duration
	if s.MaxP99 != "" {
		maxP99 = durationOr(s.MaxP99, 0)
		th = append(th, "confirmation P99 ≤ "+maxP99.String())
	}
	res.Threshold = strings.Join(th, ", ")
	t := rep.Total
	landed := 0.0
	if t.Sent > 0 {
		landed = float64(t.Landed) / float64(t.Sent)
	}
	p99 := time.Duration(rep.Verdict.ConfirmedP99Ms * float64(time.Millisecond))
	res.Measured = p99
	res.Value = fmt.Sprintf("landed %.1f%% of %d sent, %.1f TPS, confirmation P99 %s", landed*100, t.Sent, rep.Verdict.LandedTPS, roundDur(p99))
	var why []string
	switch {
	case rep.Phase != load.PhaseDone:
		why = append(why, fmt.Sprintf("load ended %s: %s", rep.Phase, rep.Error))
	case t.Sent == 0:
		why = append(why, "nothing was sent")
	}
	if landed < minLanded {
		why = append(why, fmt.Sprintf("landed %.1f%%, less than %.1f%%", landed*100, minLanded*100))
	}
	if s.MinTPS != nil && rep.Verdict.LandedTPS < *s.MinTPS {
		why = append(why, fmt.Sprintf("landed %.1f TPS, less than %g", rep.Verdict.LandedTPS, *s.MinTPS))
	}
	if maxP99 > 0 && (rep.Verdict.ConfirmedSamples == 0 || p99 > maxP99) {
		why = append(why, fmt.Sprintf("confirmation P99 %s, more than %s", roundDur(p99), maxP99))
	}
	res.Pass = len(why) == 0
	res.Reason = strings.Join(why, "; ")
	return res
}

// LoadStep is the scenario step that starts plan p: ParseLoad of its Load,
// Duration and Cooldown gives p back. The console records a load it starts
// with it.
func LoadStep(p load.Plan) Step {
	rates := make([]string, len(p.Rates))
	for i, r := range p.Rates {
		rates[i] = strconv.FormatFloat(r, 'f', -1, 64)
	}
	s := Step{Duration: p.Step.String()}
	switch p.Kind {
	case load.Ramp:
		s.Load = strings.Join(rates, "..")
	case load.Steps:
		s.Load = strings.Join(rates, ",")
		s.Cooldown = p.Cooldown.String()
	default:
		s.Load = strings.Join(rates, "")
	}
	return s
}
