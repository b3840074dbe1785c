package cluster

import (
	"context"
	"errors"
	"testing"
	"time"

	"slonui/load"
)

func TestLoadActionsWithoutARun(t *testing.T) {
	c := &Cluster{}
	if err := c.SetLoadRate(100); !errors.Is(err, ErrNoLoad) {
		t.Errorf("set rate: %v, want ErrNoLoad", err)
	}
	if err := c.StopLoad(context.Background()); !errors.Is(err, ErrNoLoad) {
		t.Errorf("stop: %v, want ErrNoLoad", err)
	}
	if err := c.StartLoad(context.Background(), load.ConstantPlan(10, time.Second)); !errors.Is(err, ErrNotRunning) {
		t.Errorf("start on a cluster not started: %v, want ErrNotRunning", err)
	}
	var s Snapshot
	c.load.fill(&s)
	if s.Load != "" || s.LoadRun.Phase != "" {
		t.Errorf("no engine, yet load %q phase %q", s.Load, s.LoadRun.Phase)
	}
}

func TestLoadLine(t *testing.T) {
	plan := load.StepsPlan([]float64{100, 500}, 10*time.Second, 0)
	tests := []struct {
		name string
		s    load.Snapshot
		want string
	}{
		{"idle", load.Snapshot{Phase: load.PhaseIdle}, ""},
		{"funding", load.Snapshot{Phase: load.PhaseFunding, Plan: plan}, "funding accounts"},
		{"running", load.Snapshot{Phase: load.PhaseRunning, Plan: plan, Step: 1, Rate: 500,
			SentTPS: []uint64{100, 480, 20}, LandedTPS: []uint64{99, 470, 0},
			Latency: map[string]load.Percentiles{"confirmed": {Count: 10, P99: 812}}},
			"running step 2/2 500/s sent 480/s landed 470/s p99 conf 812ms"},
		{"stopped", load.Snapshot{Phase: load.PhaseStopped, Plan: plan, Step: 1, Sent: 2063, Landed: 2050,
			Latency: map[string]load.Percentiles{"confirmed": {Count: 2050, P99: 544}}},
			"stopped: landed 2050 of 2063 sent, p99 conf 544ms"},
		{"cool-down with an error", load.Snapshot{Phase: load.PhaseRunning, Plan: plan, Step: -1, Err: "node 2: refused"},
			"running cool-down 0/s sent 0/s landed 0/s — node 2: refused"},
	}
	for _, tt := range tests {
		if got := LoadLine(tt.s); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
