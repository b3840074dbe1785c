package scenario

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"slonui/chaos"
	"slonui/check"
	"slonui/cluster"
	"slonui/config"
	"slonui/load"
)

// DefaultNodes is the cluster size when neither the scenario's start step
// nor the caller gives one.
const DefaultNodes = 5

// Config says where and how a scenario's cluster runs.
type Config struct {
	Dir      string     // cluster directory; it must not hold a cluster yet
	Nodes    int        // overrides the start step's nodes (0: the step's, else DefaultNodes)
	SlotMS   int        // overrides the start step's slot_ms (0: the step's, else config's default)
	AddrPlan string     // config.PlanLoopback or config.PlanPorts
	AddrBase netip.Addr // node 1's address
	PortBase int        // node 1's RPC port
	// Program, when set, is run for every node as "PROGRAM validator
	// --config FILE" (default: this executable).
	Program string

	SampleEvery      time.Duration // how often every node is sampled (default 250 ms)
	ConditionTimeout time.Duration // an after condition's default timeout (default 2 m)
	ActionTimeout    time.Duration // how long one action may take (default 30 s)
	// Progress, when set, gets one line per step as it happens.
	Progress io.Writer
}

// DefaultConfig returns the defaults; Dir is left empty.
func DefaultConfig() Config {
	return Config{
		AddrPlan: config.PlanLoopback, AddrBase: config.DefaultAddrBase, PortBase: config.DefaultPortBase,
		SampleEvery: 250 * time.Millisecond, ConditionTimeout: 2 * time.Minute, ActionTimeout: 30 * time.Second,
	}
}

// Validate reports every problem of the Config at once.
func (c Config) Validate() error {
	var errs []error
	if c.Dir == "" {
		errs = append(errs, errors.New("scenario: no cluster directory"))
	}
	if c.Nodes < 0 || c.Nodes > MaxNodes {
		errs = append(errs, fmt.Errorf("scenario: nodes %d: want 1..%d", c.Nodes, MaxNodes))
	}
	if c.SlotMS != 0 && c.SlotMS < MinSlotMS {
		errs = append(errs, fmt.Errorf("scenario: slot %d ms: want at least %d", c.SlotMS, MinSlotMS))
	}
	if c.SampleEvery <= 0 || c.ConditionTimeout <= 0 || c.ActionTimeout <= 0 {
		errs = append(errs, errors.New("scenario: sample interval and timeouts must be positive"))
	}
	if !c.AddrBase.IsLoopback() {
		errs = append(errs, fmt.Errorf("scenario: address %v is not loopback", c.AddrBase))
	}
	return errors.Join(errs...)
}

// size is the node count and slot duration the run uses.
func (c Config) size(sc *Scenario) (nodes, slotMS int) {
	nodes, slotMS = sc.Nodes(), sc.SlotMS()
	if c.Nodes > 0 {
		nodes = c.Nodes
	}
	if nodes == 0 {
		nodes = DefaultNodes
	}
	if c.SlotMS > 0 {
		slotMS = c.SlotMS
	}
	if slotMS == 0 {
		slotMS = config.DefaultSlotMS
	}
	return nodes, slotMS
}

// run is one scenario run in progress.
type run struct {
	sc     *Scenario
	cfg    Config
	cl     *cluster.Cluster
	topo   chaos.Topology
	devnet *chaos.Devnet
	smp    *sampler
	rep    *Report
	start  time.Time
	heal   time.Time
	nodes  []int
	urls   []string

	load    *load.Engine    // the last load step's engine, nil before one
	loadCtx context.Context // cancelled when the run ends
}

// Run initialises a cluster in cfg.Dir, starts it, runs the scenario's
// steps and checks, and stops every node, whatever happens. The error is
// for a run that could not begin (bad config, init, start); a step or
// check that fails is in the Report (Pass false, Failure says which).
func Run(ctx context.Context, sc *Scenario, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	nodes, slotMS := cfg.size(sc)
	if err := sc.Resolve(nodes); err != nil {
		return nil, err
	}
	if n, err := cluster.CountNodes(cfg.Dir); err != nil || n > 0 {
		return nil, errors.Join(err, fmt.Errorf("scenario: %s already holds a cluster: a scenario starts a fresh one, pick an empty directory", cfg.Dir))
	}
	o := config.DefaultInitOptions()
	o.Dir, o.Nodes, o.SlotMS, o.AddrPlan, o.AddrBase, o.PortBase = cfg.Dir, nodes, slotMS, cfg.AddrPlan, cfg.AddrBase, cfg.PortBase
	if _, err := config.InitCluster(o); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	specs, err := cluster.LoadSpecs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	topo, token, err := chaos.LoadTopology(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	devnet, err := chaos.NewDevnet(topo, token)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	ccfg := cluster.DefaultConfig()
	ccfg.Dir, ccfg.Nodes, ccfg.Program = cfg.Dir, specs, cfg.Program
	cl, err := cluster.New(ccfg)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	r := &run{sc: sc, cfg: cfg, cl: cl, topo: topo, devnet: devnet,
		rep: &Report{Scenario: sc.Name, File: sc.Path, Dir: cfg.Dir, Nodes: nodes, SlotMS: slotMS}}
	for _, s := range specs {
		r.nodes = append(r.nodes, s.ID)
	}
	return r.rep, r.execute(ctx, specs)
}

// execute starts the cluster and the sampler, runs the steps and stops
// everything.
func (r *run) execute(ctx context.Context, specs []cluster.NodeSpec) (err error) {
	for _, s := range specs {
		r.urls = append(r.urls, s.RPCURL)
	}
	r.smp, err = newSampler(r.urls, r.cfg.SampleEvery, r.peerInfo)
	if err != nil {
		return fmt.Errorf("scenario: %w", err)
	}
	if err := r.cl.Start(ctx); err != nil {
		return fmt.Errorf("scenario: start: %w", err)
	}
	r.start = time.Now()
	r.rep.Started = r.start
	eventsDone := make(chan struct{})
	go r.drainEvents(eventsDone)
	sctx, stopSampler := context.WithCancel(context.Background())
	go r.smp.run(sctx)
	lctx, stopLoad := context.WithCancel(ctx)
	r.loadCtx = lctx
	defer func() {
		stopLoad()
		if r.load != nil {
			r.load.Stop()
		}
		stopSampler()
		<-r.smp.done
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if serr := r.cl.StopAll(stopCtx); serr != nil {
			r.rep.fail(fmt.Sprintf("stop: %v", serr))
		}
		<-eventsDone
		r.rep.Duration = time.Since(r.start)
		r.rep.Pass = r.rep.Failure == ""
	}()
	r.steps(ctx)
	return nil
}

// drainEvents records node exits the scenario did not ask for.
func (r *run) drainEvents(done chan struct{}) {
	defer close(done)
	for e := range r.cl.Events() {
		if e.Kind == cluster.EventNodeExited || e.Kind == cluster.EventError {
			r.rep.addEvent(fmt.Sprintf("%s node %d %s: %s", roundDur(e.Time.Sub(r.start)), e.Node, e.Kind, e.Detail))
		}
	}
}

// peerInfo reads every node's peers and votes from the cluster's pollers.
func (r *run) peerInfo() map[int]peerInfo {
	out := map[int]peerInfo{}
	for _, n := range r.cl.Snapshot().Nodes {
		if !n.Polled.IsZero() {
			out[n.ID] = peerInfo{peers: n.Peers, lastVote: n.LastVote, delinquent: n.Delinquent}
		}
	}
	return out
}

// steps runs every step in order; a step that fails ends the run, a check
// that fails does not.
func (r *run) steps(ctx context.Context) {
	prevEnd := r.start
	for i, s := range r.sc.Steps {
		res := StepResult{Step: i + 1, Line: r.sc.pos.stepLine(i), Action: describe(s), Note: s.Note}
		err := r.wait(ctx, i, s, prevEnd)
		res.At = time.Since(r.start)
		if err == nil {
			res.Detail, err = r.act(ctx, i, s)
		}
		if err != nil {
			res.Err = err.Error()
		}
		r.rep.addStep(res, r.cfg.Progress)
		if err != nil {
			r.rep.fail(fmt.Sprintf("step %d (%s, line %d) %s: %v", i+1, r.sc.Path, res.Line, res.Action, err))
			return
		}
		prevEnd = time.Now()
	}
}

// wait blocks until step i may run.
func (r *run) wait(ctx context.Context, i int, s Step, prevEnd time.Time) error {
	if s.At != "" {
		d, _ := time.ParseDuration(s.At)
		return sleepUntil(ctx, r.start.Add(d))
	}
	if s.After == "" {
		return ctx.Err()
	}
	c, _ := ParseCondition(s.After)
	if c.Kind == CondWait {
		return sleepUntil(ctx, prevEnd.Add(c.Wait))
	}
	limit := durationOr(s.Timeout, r.cfg.ConditionTimeout)
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	var since time.Time // when c began to hold without a break
	for {
		next := r.smp.next()
		ok, last := r.holds(c)
		switch {
		case !ok:
			since = time.Time{}
		case since.IsZero():
			since = time.Now()
		}
		if ok && time.Since(since) >= c.For {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return fmt.Errorf("after %q: not reached within %s (%s)", s.After, limit, last)
		case <-next:
		}
	}
}

// holds evaluates a condition on the samples so far; last says what was
// seen when it does not hold.
func (r *run) holds(c Condition) (bool, string) {
	rounds, history := r.smp.view()
	if len(rounds) == 0 || len(rounds[len(rounds)-1]) == 0 {
		return false, "no node answered yet"
	}
	last := rounds[len(rounds)-1]
	switch c.Kind {
	case CondConverged:
		return converged(last, DefaultMaxBehind)
	case CondRecovered:
		from := r.heal
		if from.IsZero() {
			from = r.start
		}
		v := check.Recovered(history, r.nodes, from, check.DefaultNewRoots)
		return v.OK, v.Reason
	}
	if c.Metric == "forks" {
		forks := check.Forks(last)
		return c.holds(uint64(len(forks)), 0), fmt.Sprintf("%d forks of %d answering nodes", len(forks), len(last))
	}
	lowest, who := uint64(0), 0
	for k, smp := range last {
		v := map[string]uint64{"slot": smp.Processed, "confirmed": smp.Confirmed, "finalized": smp.Finalized,
			"peers": uint64(max(smp.Peers, 0))}[c.Metric]
		if k == 0 || v < lowest {
			lowest, who = v, smp.Node
		}
	}
	want := uint64(len(r.nodes) - 1)
	return c.holds(lowest, want), fmt.Sprintf("lowest %s %d, on node %d, of %d answering", c.Metric, lowest, who, len(last))
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}
