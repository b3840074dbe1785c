package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"slonui/load"
)

// ErrNoLoad is returned when a load action needs a run and none is going.
var ErrNoLoad = errors.New("cluster: no load running")

// loadCtl owns the load engine the console drives: made on the first
// StartLoad, run under the cluster's own context (so it ends with the
// cluster), stopped by StopLoad or StopAll.
type loadCtl struct {
	mu  sync.Mutex
	eng *load.Engine
}

// StartLoad starts a load run of plan against every node's RPC in the
// background and returns once it has begun (funding first). Only one run
// goes at a time.
func (c *Cluster) StartLoad(ctx context.Context, plan load.Plan) error {
	if err := c.checkRunning(); err != nil {
		return fmt.Errorf("load: start: %w", err)
	}
	c.load.mu.Lock()
	defer c.load.mu.Unlock()
	if c.load.eng == nil {
		cfg := load.DefaultConfig()
		for _, n := range c.cfg.Nodes {
			cfg.URLs = append(cfg.URLs, n.RPCURL)
		}
		eng, err := load.New(cfg)
		if err != nil {
			return fmt.Errorf("load: start: %w", err)
		}
		c.load.eng = eng
	}
	c.mu.Lock()
	runCtx := c.runCtx
	c.mu.Unlock()
	if err := c.load.eng.Start(runCtx, plan); err != nil {
		return fmt.Errorf("load: start: %w", err)
	}
	return nil
}

// StopLoad ends the load run, if any, and waits (until ctx ends) for its
// goroutines to finish.
func (c *Cluster) StopLoad(ctx context.Context) error {
	c.load.mu.Lock()
	eng := c.load.eng
	c.load.mu.Unlock()
	if eng == nil {
		return fmt.Errorf("load: stop: %w", ErrNoLoad)
	}
	stopped := make(chan struct{})
	go func() { eng.Stop(); close(stopped) }()
	select {
	case <-stopped:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("load: stop: %w", ctx.Err())
	}
}

// SetLoadRate changes the offered rate (transactions per second) of the
// running step. It never blocks.
func (c *Cluster) SetLoadRate(rate float64) error {
	c.load.mu.Lock()
	eng := c.load.eng
	c.load.mu.Unlock()
	if eng == nil || !loadActive(eng.Snapshot().Phase) {
		return fmt.Errorf("load: rate %g/s: %w", rate, ErrNoLoad)
	}
	if rate < 0 {
		return fmt.Errorf("load: rate %g/s: must not be negative", rate)
	}
	eng.SetRate(rate)
	return nil
}

// stop ends the run at cluster shutdown.
func (l *loadCtl) stop() {
	l.mu.Lock()
	eng := l.eng
	l.mu.Unlock()
	if eng != nil {
		eng.Stop()
	}
}

// fill copies the engine's snapshot and its one-line summary.
func (l *loadCtl) fill(s *Snapshot) {
	l.mu.Lock()
	eng := l.eng
	l.mu.Unlock()
	if eng == nil {
		return
	}
	s.LoadRun = eng.Snapshot()
	s.Load = LoadLine(s.LoadRun)
}

// loadActive reports whether a run in this phase is still going.
func loadActive(phase string) bool {
	return phase == load.PhaseFunding || phase == load.PhaseRunning || phase == load.PhaseDraining
}

// LoadLine is the load engine's state in one line: phase, step, rate,
// sent and landed per second (last full second), confirmed P99.
func LoadLine(ls load.Snapshot) string {
	switch ls.Phase {
	case "", load.PhaseIdle:
		return ""
	case load.PhaseFunding:
		return "funding accounts"
	case load.PhaseDone, load.PhaseStopped, load.PhaseFailed:
		line := fmt.Sprintf("%s: landed %d of %d sent", ls.Phase, ls.Landed, ls.Sent)
		if p, ok := ls.Latency["confirmed"]; ok && p.Count > 0 {
			line += fmt.Sprintf(", p99 conf %.0fms", p.P99)
		}
		if ls.Err != "" {
			line += " — " + ls.Err
		}
		return line
	}
	step := "cool-down"
	if ls.Step >= 0 {
		step = fmt.Sprintf("step %d/%d", ls.Step+1, ls.Plan.NumSteps())
	}
	line := fmt.Sprintf("%s %s %.0f/s sent %d/s landed %d/s", ls.Phase, step, ls.Rate, lastFull(ls.SentTPS), lastFull(ls.LandedTPS))
	if p, ok := ls.Latency["confirmed"]; ok && p.Count > 0 {
		line += fmt.Sprintf(" p99 conf %.0fms", p.P99)
	}
	if ls.Err != "" {
		line += " — " + ls.Err
	}
	return line
}

// lastFull is the newest complete per-second figure of a series (the last
// entry may be a second still counting).
func lastFull(xs []uint64) uint64 {
	switch len(xs) {
	case 0:
		return 0
	case 1:
		return xs[0]
	}
	return xs[len(xs)-2]
}
