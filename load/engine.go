package load

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"

	"slonui/rpc"
	"slonui/solana"
)

// ErrRunning is returned by Start while a run is going on.
var ErrRunning = errors.New("load: a run is already going on")

// Engine runs one load plan at a time against a cluster. Its methods are
// safe for concurrent use; Snapshot, SetRate and Report never block.
type Engine struct {
	cfg     Config
	clients []*rpc.Client

	mu     sync.Mutex // guards cancel, done, sched
	cancel context.CancelFunc
	done   chan struct{}
	sched  *scheduler

	snap     atomic.Pointer[Snapshot]
	report   atomic.Pointer[Report]
	accounts atomic.Pointer[[]solana.Pubkey]

	errMu sync.Mutex
	errs  map[string]uint64
}

// New checks cfg and makes an idle engine.
func New(cfg Config) (*Engine, error) {
	if cfg.Clock == nil {
		cfg.Clock = RealClock
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, errs: map[string]uint64{}}
	for _, u := range cfg.URLs {
		c, err := rpc.New(u, cfg.RPC)
		if err != nil {
			return nil, fmt.Errorf("load: node %s: %w", u, err)
		}
		e.clients = append(e.clients, c)
	}
	e.snap.Store(&Snapshot{Phase: PhaseIdle, Step: -1})
	closed := make(chan struct{})
	close(closed)
	e.done = closed
	return e, nil
}

// Start begins a run of plan in the background and returns at once: the
// run funds its accounts, sends, drains, and ends by itself, or on Stop, or
// when ctx ends. Follow it with Snapshot and Done; read Report after Done.
func (e *Engine) Start(ctx context.Context, plan Plan) error {
	if err := plan.Validate(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	select {
	case <-e.done:
	default:
		return ErrRunning
	}
	rctx, cancel := context.WithCancel(ctx)
	e.cancel, e.done = cancel, make(chan struct{})
	e.sched = nil
	e.errMu.Lock()
	e.errs = map[string]uint64{}
	e.errMu.Unlock()
	e.report.Store(nil)
	e.accounts.Store(nil)
	e.snap.Store(&Snapshot{Phase: PhaseFunding, Plan: plan, Step: -1})
	go e.run(rctx, plan, e.done)
	return nil
}

// Stop ends the run (if any) and waits until its goroutines are gone.
func (e *Engine) Stop() {
	e.mu.Lock()
	cancel, done := e.cancel, e.done
	e.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	<-done
}

// Done is closed when the current run (if any) has ended.
func (e *Engine) Done() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.done
}

// SetRate replaces the offered rate for the rest of the current step.
func (e *Engine) SetRate(r float64) {
	e.mu.Lock()
	s := e.sched
	e.mu.Unlock()
	if s != nil && r >= 0 {
		s.setRate(r)
	}
}

// Snapshot returns the latest published state (at most ~250 ms old).
func (e *Engine) Snapshot() Snapshot { return e.snap.Load().clone() }

// Report is the last run's report; ok is false before any run ended.
func (e *Engine) Report() (Report, bool) {
	r := e.report.Load()
	if r == nil {
		return Report{}, false
	}
	return *r, true
}

// Accounts are the funded accounts of the current or last run.
func (e *Engine) Accounts() []solana.Pubkey {
	p := e.accounts.Load()
	if p == nil {
		return nil
	}
	return append([]solana.Pubkey(nil), *p...)
}

// countErr counts an engine error outside the sends.
func (e *Engine) countErr(kind string) {
	e.errMu.Lock()
	defer e.errMu.Unlock()
	e.errs[kind]++
}

func (e *Engine) engineErrors() map[string]uint64 {
	e.errMu.Lock()
	defer e.errMu.Unlock()
	return maps.Clone(e.errs)
}
