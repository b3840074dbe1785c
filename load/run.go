package load

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"slonui/rpc"
	"slonui/solana"
)

// publishEvery is how often the run publishes a Snapshot.
const publishEvery = 500 * time.Millisecond

// signAhead is the most transactions signed ahead of the schedule.
const signAhead = 4096

// run is one run; it owns every goroutine it starts and closes done last.
func (e *Engine) run(ctx context.Context, plan Plan, done chan struct{}) {
	defer close(done)
	r := &runState{e: e, plan: plan, clock: e.cfg.Clock}
	err := r.execute(ctx)
	phase := PhaseDone
	switch {
	case err != nil && ctx.Err() == nil:
		phase = PhaseFailed
	case ctx.Err() != nil:
		phase = PhaseStopped
	}
	rep := r.finalReport(phase, err)
	e.report.Store(&rep)
	r.publish(phase, err)
}

// runState is what one run's goroutines share.
type runState struct {
	e     *Engine
	plan  Plan
	clock Clock
	start time.Time
	st    *stats
	f     *factory
	pipe  *pipeline
	send  Sender
	trk   *tracker
	sched *scheduler
	phase atomic.Value // string: the phase the snapshots report

	gathering sync.Mutex // held by the one worker gathering a batch
}

func (r *runState) execute(ctx context.Context) error {
	e := r.e
	accounts, err := newAccounts(e.cfg.Accounts)
	if err != nil {
		return err
	}
	fctx, cancel := context.WithTimeout(ctx, e.cfg.FundTimeout)
	err = r.fund(fctx, accounts)
	cancel()
	if err != nil {
		return err
	}
	pubs := make([]solana.Pubkey, len(accounts))
	for i, a := range accounts {
		pubs[i] = a.Pubkey()
	}
	e.accounts.Store(&pubs)

	r.f = &factory{accounts: accounts}
	for i := range e.clients {
		if err = r.refreshBlockhash(ctx, i); err == nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("load: blockhash: %w", err)
	}
	if r.send, err = r.newSender(ctx); err != nil {
		return err
	}
	defer r.send.Close()
	r.start = r.clock.Now()
	r.st = newStats(r.plan.NumSteps(), r.start)
	r.trk = newTracker(e.clients, r.clock, r.st, e.countErr, e.cfg.FinalizedSample, e.cfg.TimedRate)
	r.sched = &scheduler{plan: r.plan, clock: r.clock, out: make(chan slot, e.cfg.Queue), st: r.st, step: -1}
	r.pipe = &pipeline{f: r.f, out: make(chan Tx, signAhead), clock: r.clock, lead: r.lead, errs: e.countErr}
	e.mu.Lock()
	e.sched = r.sched
	e.mu.Unlock()
	r.publish(PhaseRunning, nil)
	r.loop(ctx)
	return nil
}

// fund funds accounts through the first node that manages it.
func (r *runState) fund(ctx context.Context, accounts []solana.Keypair) error {
	var err error
	for _, c := range r.e.clients {
		if err = fund(ctx, c, r.clock, accounts, r.e.cfg.AccountLamports); err == nil || ctx.Err() != nil {
			return err
		}
	}
	return err
}

func (r *runState) newSender(ctx context.Context) (Sender, error) {
	if r.e.cfg.Sender == SenderRPC {
		return newRPCSender(r.e.clients), nil
	}
	s, err := newTPUSender(r.e.clients, r.clock, r.e.countErr)
	if err != nil {
		return nil, err
	}
	if err := s.start(ctx); err != nil {
		s.conn.Close()
		return nil, err
	}
	return s, nil
}

// lead is how many signed transactions to keep ready: a quarter second of
// the current rate, within [32, signAhead].
func (r *runState) lead() int {
	_, rate := r.sched.current(r.clock.Now().Sub(r.start))
	return min(max(int(rate/4), 32), signAhead)
}

// loop runs the scheduler, senders, signers, tracker, blockhash refresher
// and publisher, and returns when the plan is over and drained, or ctx ends.
func (r *runState) loop(ctx context.Context) {
	cfg := r.e.cfg
	aux, stopAux := context.WithCancel(ctx) // signers, refresher, publisher
	var auxWG sync.WaitGroup
	goAux := func(f func(context.Context)) {
		auxWG.Add(1)
		go func() { defer auxWG.Done(); f(aux) }()
	}
	for range cfg.Signers {
		goAux(r.pipe.run)
	}
	goAux(r.blockhashLoop)
	goAux(r.publishLoop)

	sendingDone := make(chan struct{})
	tctx, stopTracker := context.WithCancel(ctx)
	trackerDone := make(chan struct{})
	go func() { defer close(trackerDone); r.trk.run(tctx, cfg.PollEvery, sendingDone) }()

	var workers sync.WaitGroup
	for range cfg.Workers {
		workers.Add(1)
		go func() { defer workers.Done(); r.worker(ctx) }()
	}
	r.sched.run(ctx, r.start)
	workers.Wait()
	close(sendingDone)
	if ctx.Err() == nil {
		r.publish(PhaseDraining, nil)
		select {
		case <-trackerDone:
		case <-ctx.Done():
		case <-r.clock.After(cfg.Drain):
		}
	}
	stopTracker()
	<-trackerDone
	r.trk.finish()
	stopAux()
	auxWG.Wait()
}

// worker sends batches of due slots until the scheduler closes its queue.
func (r *runState) worker(ctx context.Context) {
	cfg := r.e.cfg
	staleAfter := max(3*cfg.BlockhashEvery, 5*time.Second)
	slots := make([]slot, 0, cfg.Batch)
	txs := make([]Tx, 0, cfg.Batch)
	for {
		var ok bool
		if slots, ok = r.gather(ctx, slots[:0]); !ok {
			return
		}
		txs = txs[:0]
		kept := slots[:0]
		for _, s := range slots {
			tx, err := r.pipe.take(staleAfter)
			if err != nil {
				r.st.sendDone(s.step, s.intended, r.clock.Now(), "sign")
				continue
			}
			txs = append(txs, tx)
			kept = append(kept, s)
		}
		if len(txs) == 0 {
			continue
		}
		errs := r.send.Send(ctx, txs)
		if ctx.Err() != nil {
			return
		}
		now := r.clock.Now()
		for i, tx := range txs {
			kind := ErrorKind(errs[i])
			r.st.sendDone(kept[i].step, kept[i].intended, now, kind)
			if kind == "" {
				r.trk.add(tx, kept[i].intended, kept[i].step)
			}
		}
	}
}

// gather collects the next batch of due slots into slots: it waits for
// one, takes what else is queued, and lingers up to Config.Linger for more
// while the batch is not full. One worker gathers at a time (the others
// send meanwhile), so batches fill instead of being split 32 ways. It
// returns false once the scheduler is done or ctx ends, with nothing
// gathered.
func (r *runState) gather(ctx context.Context, slots []slot) ([]slot, bool) {
	cfg := r.e.cfg
	r.gathering.Lock()
	defer r.gathering.Unlock()
	select {
	case sl, ok := <-r.sched.out:
		if !ok {
			return slots, false
		}
		slots = append(slots, sl)
	case <-ctx.Done():
		return slots, false
	}
	var linger <-chan time.Time
	for len(slots) < cfg.Batch {
		select {
		case sl, ok := <-r.sched.out:
			if !ok {
				return slots, true
			}
			slots = append(slots, sl)
			continue
		default:
		}
		if cfg.Linger <= 0 {
			return slots, true
		}
		if linger == nil {
			linger = r.clock.After(cfg.Linger)
		}
		select {
		case sl, ok := <-r.sched.out:
			if !ok {
				return slots, true
			}
			slots = append(slots, sl)
		case <-linger:
			return slots, true
		case <-ctx.Done():
			return slots, true
		}
	}
	return slots, true
}

// refreshBlockhash fetches a confirmed blockhash from node i (mod n).
func (r *runState) refreshBlockhash(ctx context.Context, i int) error {
	c := r.e.clients[i%len(r.e.clients)]
	bh, err := c.GetLatestBlockhash(ctx, rpc.Confirmed)
	if err != nil {
		return err
	}
	r.f.setBlockhash(bh.Hash, bh.LastValidBlockHeight, r.clock.Now())
	return nil
}

func (r *runState) blockhashLoop(ctx context.Context) {
	for i := 1; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-r.clock.After(r.e.cfg.BlockhashEvery):
		}
		if err := r.refreshBlockhash(ctx, i); err != nil && ctx.Err() == nil {
			r.e.countErr("blockhash: " + ErrorKind(err))
		}
	}
}

func (r *runState) publishLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.clock.After(publishEvery):
		}
		r.publish("", nil)
	}
}

// publish stores a fresh Snapshot; phase "" keeps the current one.
func (r *runState) publish(phase string, err error) {
	if phase != "" {
		r.phase.Store(phase)
	}
	s := Snapshot{Phase: PhaseFunding, Plan: r.plan, Step: -1}
	if p, ok := r.phase.Load().(string); ok {
		s.Phase = p
	}
	if err != nil {
		s.Err = err.Error()
	}
	if r.sched != nil {
		s.Step, s.Rate = r.sched.current(r.clock.Now().Sub(r.start))
	}
	if r.st != nil {
		s.Elapsed = r.clock.Now().Sub(r.start)
		steps, tot := r.st.reports(r.plan, s.Elapsed)
		s.StepReports = steps
		s.Planned, s.Sent, s.Accepted, s.Landed = tot.Planned, tot.Sent, tot.Accepted, tot.Landed
		s.Expired, s.Dropped, s.Failed, s.Latency = tot.Expired, tot.Dropped, tot.Failed, tot.Latency
		s.SentTPS, s.LandedTPS = r.st.series(SeriesSeconds)
	}
	if r.trk != nil {
		s.Pending = r.trk.count()
	}
	r.e.snap.Store(&s)
}

// finalReport builds the run's Report.
func (r *runState) finalReport(phase string, err error) Report {
	cfg := r.e.cfg
	rep := Report{Plan: describePlan(r.plan), Sender: cfg.Sender, Nodes: cfg.URLs, Accounts: cfg.Accounts,
		Phase: phase, Errors: r.e.engineErrors(), Total: StepReport{Step: -1}}
	if err != nil {
		rep.Error = err.Error()
	}
	if r.st != nil {
		elapsed := r.clock.Now().Sub(r.start)
		rep.Elapsed = elapsed.Seconds()
		rep.Steps, rep.Total = r.st.reports(r.plan, elapsed)
	}
	rep.Verdict = Judge(rep.Steps, rep.Total)
	return rep
}

// describePlan is a one-line summary of p.
func describePlan(p Plan) string {
	switch p.Kind {
	case Constant:
		return fmt.Sprintf("constant %g/s for %s", p.Rates[0], p.Step)
	case Ramp:
		return fmt.Sprintf("ramp %g→%g/s over %s", p.Rates[0], p.Rates[1], p.Step)
	}
	return fmt.Sprintf("steps %v/s, %s each, %s cool-down", p.Rates, p.Step, p.Cooldown)
}
