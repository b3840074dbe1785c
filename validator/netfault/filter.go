package netfault

import (
	"container/heap"
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Filter.
type Config struct {
	// Seed seeds the RNG behind loss and jitter, so a run can be repeated.
	Seed uint64
	// MaxDelayed bounds the packets held for delay; beyond it packets are
	// dropped and counted as DroppedOverflow.
	MaxDelayed int
}

// DefaultConfig returns a Config with a fixed seed and room for 65,536
// delayed packets.
func DefaultConfig() Config { return Config{Seed: 1, MaxDelayed: 1 << 16} }

// Validate returns every problem in c, joined.
func (c Config) Validate() error {
	if c.MaxDelayed <= 0 {
		return errors.New("netfault: MaxDelayed must be > 0")
	}
	return nil
}

// Counters are totals since the Filter was created, both directions.
type Counters struct {
	Passed           uint64 `json:"passed"`
	DroppedPartition uint64 `json:"dropped_partition"`
	DroppedLoss      uint64 `json:"dropped_loss"`
	Delayed          uint64 `json:"delayed"`
	DroppedOverflow  uint64 `json:"dropped_overflow"`
}

// Status is the rules in force plus the counters; it is what GET /faults
// returns.
type Status struct {
	Active   bool     `json:"active"`
	Rules    Rules    `json:"rules"`
	Counters Counters `json:"counters"`
}

// Filter decides the fate of every packet of one node. It is safe for
// concurrent use. Rule changes take effect for the next packet.
type Filter struct {
	cfg   Config
	rules atomic.Pointer[ruleSet]
	setMu sync.Mutex // serializes rule changes (read-modify-write)

	rngMu sync.Mutex
	rng   *rand.Rand

	passed, dropPart, dropLoss, delayed, overflow atomic.Uint64

	qMu     sync.Mutex
	queue   delayQueue
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	closeMu sync.Once
}

// New creates a Filter with no fault active and starts its scheduler
// goroutine, which Close stops.
func New(cfg Config) (*Filter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	f := &Filter{
		cfg:  cfg,
		rng:  rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		wake: make(chan struct{}, 1),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go f.schedule()
	return f, nil
}

// Close stops the scheduler; packets still held for delay are discarded.
func (f *Filter) Close() error {
	f.closeMu.Do(func() { close(f.stop) })
	<-f.done
	return nil
}

// Rules returns a copy of the rules in force.
func (f *Filter) Rules() Rules {
	if rs := f.rules.Load(); rs != nil {
		return rs.rules
	}
	return Rules{Partition: []string{}, PartitionIn: []string{}, PartitionOut: []string{},
		Loss: LossRule{Peers: []string{}}, Delay: DelayRule{Peers: []string{}}}
}

// Counters returns the packet counters.
func (f *Filter) Counters() Counters {
	return Counters{
		Passed:           f.passed.Load(),
		DroppedPartition: f.dropPart.Load(),
		DroppedLoss:      f.dropLoss.Load(),
		Delayed:          f.delayed.Load(),
		DroppedOverflow:  f.overflow.Load(),
	}
}

// Status returns the rules and counters together.
func (f *Filter) Status() Status {
	r := f.Rules()
	return Status{Active: r.Active(), Rules: r, Counters: f.Counters()}
}

// update applies change to a copy of the current rules, validates and
// installs it.
func (f *Filter) update(change func(*Rules)) (Status, error) {
	f.setMu.Lock()
	defer f.setMu.Unlock()
	r := f.Rules()
	r.Partition = append([]string(nil), r.Partition...)
	r.PartitionIn = append([]string(nil), r.PartitionIn...)
	r.PartitionOut = append([]string(nil), r.PartitionOut...)
	change(&r)
	if err := r.Validate(); err != nil {
		return f.Status(), err
	}
	r.Partition, _ = normalizePeers("partition", r.Partition)
	r.PartitionIn, _ = normalizePeers("partition_in", r.PartitionIn)
	r.PartitionOut, _ = normalizePeers("partition_out", r.PartitionOut)
	r.Loss.Peers, _ = normalizePeers("loss.peers", r.Loss.Peers)
	r.Delay.Peers, _ = normalizePeers("delay.peers", r.Delay.Peers)
	f.rules.Store(compile(r))
	return f.Status(), nil
}

// Partition adds peers ("ip" or "ip:port") to the partitioned set: all
// traffic to and from them is dropped until Heal. Adding is cumulative.
func (f *Filter) Partition(peers []string) (Status, error) {
	if len(peers) == 0 {
		return f.Status(), errors.New("peers: at least one peer is required")
	}
	return f.update(func(r *Rules) { r.Partition = append(r.Partition, peers...) })
}

// PartitionDirected adds peers to the set cut in one direction only:
// Inbound drops what they send to this node, Outbound what this node sends
// to them. Adding is cumulative until Heal.
func (f *Filter) PartitionDirected(peers []string, dir Direction) (Status, error) {
	if len(peers) == 0 {
		return f.Status(), errors.New("peers: at least one peer is required")
	}
	return f.update(func(r *Rules) {
		if dir == Inbound {
			r.PartitionIn = append(r.PartitionIn, peers...)
		} else {
			r.PartitionOut = append(r.PartitionOut, peers...)
		}
	})
}

// SetRules replaces every rule at once (all or nothing: on a validation
// error nothing changes). It is how a controller restores a previous state,
// e.g. to roll back a plan that another node refused.
func (f *Filter) SetRules(r Rules) (Status, error) {
	return f.update(func(cur *Rules) { *cur = r })
}

// SetLoss replaces the loss rule; fraction 0 removes it. Empty peers means
// all traffic.
func (f *Filter) SetLoss(fraction float64, peers []string) (Status, error) {
	return f.update(func(r *Rules) { r.Loss = LossRule{Fraction: fraction, Peers: peers} })
}

// SetDelay replaces the delay rule; zero delay and jitter remove it. Empty
// peers means all traffic.
func (f *Filter) SetDelay(delay, jitter time.Duration, peers []string) (Status, error) {
	return f.update(func(r *Rules) {
		r.Delay = DelayRule{MS: int(delay / time.Millisecond), JitterMS: int(jitter / time.Millisecond), Peers: peers}
	})
}

// Heal removes every fault. Packets already held for delay still go out.
func (f *Filter) Heal() Status {
	f.setMu.Lock()
	f.rules.Store(nil)
	f.setMu.Unlock()
	return f.Status()
}

func (f *Filter) random() float64 {
	f.rngMu.Lock()
	v := f.rng.Float64()
	f.rngMu.Unlock()
	return v
}

// judge returns the verdict for one packet with peer addr and counts it.
// With no fault in force it is one atomic load and one counter increment.
func (f *Filter) judge(dir Direction, peer net.Addr) (verdict, time.Duration) {
	rs := f.rules.Load()
	if rs == nil {
		f.passed.Add(1)
		return pass, 0
	}
	ap, known := addrPortOf(peer)
	v, d := rs.decide(dir, ap, known, f.random)
	switch v {
	case pass:
		f.passed.Add(1)
	case dropPartition:
		f.dropPart.Add(1)
	case dropLoss:
		f.dropLoss.Add(1)
	case delayIt:
		f.delayed.Add(1)
	}
	return v, d
}

// later runs fn after d on the scheduler goroutine. It reports false (and
// counts an overflow) when the queue is full or the filter is closed.
func (f *Filter) later(d time.Duration, fn func()) bool {
	select {
	case <-f.stop:
		return false
	default:
	}
	f.qMu.Lock()
	if f.queue.Len() >= f.cfg.MaxDelayed {
		f.qMu.Unlock()
		f.overflow.Add(1)
		return false
	}
	heap.Push(&f.queue, delayed{due: time.Now().Add(d), seq: f.queue.seq, fn: fn})
	f.queue.seq++
	f.qMu.Unlock()
	select {
	case f.wake <- struct{}{}:
	default:
	}
	return true
}

// schedule is the scheduler goroutine: it runs delayed actions when due.
func (f *Filter) schedule() {
	defer close(f.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var due []func()
		now := time.Now()
		wait := time.Hour
		f.qMu.Lock()
		for f.queue.Len() > 0 {
			next := f.queue.items[0]
			if next.due.After(now) {
				wait = next.due.Sub(now)
				break
			}
			heap.Pop(&f.queue)
			due = append(due, next.fn)
		}
		f.qMu.Unlock()
		for _, fn := range due {
			fn()
		}
		if len(due) > 0 {
			continue
		}
		timer.Reset(wait)
		select {
		case <-f.stop:
			return
		case <-f.wake:
			timer.Stop() // Go ≥ 1.23 timers: no stale value to drain
		case <-timer.C:
		}
	}
}

type delayed struct {
	due time.Time
	seq uint64
	fn  func()
}

// delayQueue is a min-heap by due time, FIFO among equal times.
type delayQueue struct {
	items []delayed
	seq   uint64
}

func (q *delayQueue) Len() int { return len(q.items) }
func (q *delayQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if a.due.Equal(b.due) {
		return a.seq < b.seq
	}
	return a.due.Before(b.due)
}
func (q *delayQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *delayQueue) Push(x any)    { q.items = append(q.items, x.(delayed)) }
func (q *delayQueue) Pop() any {
	n := len(q.items) - 1
	it := q.items[n]
	q.items[n] = delayed{}
	q.items = q.items[:n]
	return it
}
