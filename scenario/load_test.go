package scenario

import (
	"strings"
	"testing"
	"time"

	"slonui/load"
)

func TestParseLoad(t *testing.T) {
	cases := []struct {
		spec     string
		kind     load.PlanKind
		rates    []float64
		duration time.Duration
		wantErr  string
	}{
		{"200", load.Constant, []float64{200}, 10 * time.Second, ""},
		{"50..400", load.Ramp, []float64{50, 400}, 10 * time.Second, ""},
		{"100, 500,1000", load.Steps, []float64{100, 500, 1000}, 32 * time.Second, ""},
		{"fast", 0, nil, 0, "not a rate"},
		{"-5", 0, nil, 0, "not a rate"},
		{"1..", 0, nil, 0, "not a rate"},
		{"1,,2", 0, nil, 0, "not a rate"},
	}
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			p, err := ParseLoad(c.spec, 10*time.Second, time.Second)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != c.kind || len(p.Rates) != len(c.rates) || p.Duration() != c.duration {
				t.Fatalf("plan %+v (duration %s), want %s %v %s", p, p.Duration(), c.kind, c.rates, c.duration)
			}
			for i := range c.rates {
				if p.Rates[i] != c.rates[i] {
					t.Errorf("rate %d: %v, want %v", i, p.Rates[i], c.rates[i])
				}
			}
		})
	}
}

func TestJudgeLoad(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	rep := func(phase string, sent, landed uint64, tps, p99ms float64) load.Report {
		return load.Report{Phase: phase, Total: load.StepReport{Sent: sent, Landed: landed},
			Verdict: load.Verdict{LandedTPS: tps, ConfirmedP99Ms: p99ms, ConfirmedSamples: int64(landed)}}
	}
	cases := []struct {
		name   string
		step   Step
		rep    load.Report
		pass   bool
		reason string
	}{
		{"all landed", Step{}, rep(load.PhaseDone, 1000, 999, 100, 800), true, ""},
		{"too few landed", Step{}, rep(load.PhaseDone, 1000, 900, 100, 800), false, "landed 90.0%, less than 95.0%"},
		{"own fraction", Step{MinLanded: f(0.8)}, rep(load.PhaseDone, 1000, 900, 100, 800), true, ""},
		{"too slow", Step{MinTPS: f(150)}, rep(load.PhaseDone, 1000, 1000, 100, 800), false, "less than 150"},
		{"p99 over", Step{MaxP99: "500ms"}, rep(load.PhaseDone, 1000, 1000, 100, 800), false, "more than 500ms"},
		{"failed run", Step{}, rep(load.PhaseFailed, 0, 0, 0, 0), false, "load ended failed"},
		{"nothing sent", Step{}, rep(load.PhaseDone, 0, 0, 0, 0), false, "nothing was sent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := judgeLoad(c.step, c.rep)
			if res.Pass != c.pass || !strings.Contains(res.Reason, c.reason) {
				t.Errorf("pass %v reason %q (value %q), want %v %q", res.Pass, res.Reason, res.Value, c.pass, c.reason)
			}
		})
	}
}
