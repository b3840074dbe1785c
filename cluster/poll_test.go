package cluster

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"slonui/node"
)

func newFake(t *testing.T, f *fakeRPC) string {
	t.Helper()
	if f.start.IsZero() {
		f.start = time.Now().Add(-100 * 50 * time.Millisecond) // slot 100 now
	}
	if f.slot == 0 {
		f.slot = 50 * time.Millisecond
	}
	srv := httptest.NewServer(f)
	t.Cleanup(func() {
		if f.hang != nil {
			select {
			case <-f.hang:
			default:
				close(f.hang)
			}
		}
		srv.Close()
	})
	return srv.URL
}

func TestRPCPollerReadsEveryField(t *testing.T) {
	for _, noBatch := range []bool{false, true} {
		t.Run(map[bool]string{false: "batch", true: "no-batch-fallback"}[noBatch], func(t *testing.T) {
			f := &fakeRPC{identity: "Self111", peers: []string{"PeerA", "PeerB"}, txPerSlot: 7, noBatch: noBatch}
			p := mustPoller(t, newFake(t, f), "")
			defer p.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			s := p.Poll(ctx)
			if !s.Answered || s.Err != "" {
				t.Fatalf("poll: answered=%v err=%q", s.Answered, s.Err)
			}
			if s.Identity != "Self111" {
				t.Errorf("identity %q, want Self111", s.Identity)
			}
			if s.Slot < 100 || s.Confirmed != s.Slot-2 && s.Confirmed != s.Slot-1 && s.Confirmed != s.Slot-3 {
				t.Errorf("slot %d confirmed %d: want slot >= 100 and confirmed about slot-2", s.Slot, s.Confirmed)
			}
			if s.Root > s.Confirmed || s.Root+40 < s.Confirmed {
				t.Errorf("root %d vs confirmed %d: want about 30 slots behind", s.Root, s.Confirmed)
			}
			if s.Txs == 0 || s.Txs%7 != 0 {
				t.Errorf("txs %d: want a positive multiple of 7", s.Txs)
			}
			if s.Peers != 2 {
				t.Errorf("peers %d, want 2 (entries other than itself)", s.Peers)
			}
			if s.LastVote == 0 || s.Delinquent {
				t.Errorf("last vote %d delinquent %v", s.LastVote, s.Delinquent)
			}
			if len(s.LeaderSlots) != 4 || s.LeaderSlots[0]%32 != 0 {
				t.Errorf("leader slots %v: want 4 slots from an epoch start", s.LeaderSlots)
			}
			if !s.IsLeader(s.LeaderSlots[0]) || s.IsLeader(s.LeaderSlots[0]+4) {
				t.Errorf("IsLeader wrong for %v", s.LeaderSlots)
			}
			// The next polls skip getClusterNodes/getVoteAccounts but keep
			// their last answers.
			for range slowEvery - 1 {
				if s2 := p.Poll(ctx); s2.Peers != 2 || s2.LastVote < s.LastVote || !s2.Answered {
					t.Errorf("poll between refreshes: peers %d last vote %d (was %d)", s2.Peers, s2.LastVote, s.LastVote)
				}
			}
			if noBatch == p.rpc.BatchSupported() {
				t.Errorf("batch supported = %v after a node that answers batches short = %v", p.rpc.BatchSupported(), noBatch)
			}
		})
	}
}

func TestRPCPollerTimesOutOnAHungNode(t *testing.T) {
	f := &fakeRPC{identity: "Hung", hang: make(chan struct{})}
	p := mustPoller(t, newFake(t, f), "Hung")
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	s := p.Poll(ctx)
	if s.Answered || s.Err == "" {
		t.Fatalf("a hung node answered? %+v", s)
	}
	if !strings.Contains(s.Err, "deadline") {
		t.Errorf("error %q does not say the deadline passed", s.Err)
	}
}

// TestPollersNotStalledByHungNode runs the real poll loops of a cluster
// whose node 2 answers nothing (its HTTP server blocks every request, as a
// SIGSTOPped node would) and checks nodes 1 and 3 keep being polled. The
// processes are stand-ins with no behaviour: this test is about pollers.
func TestPollersNotStalledByHungNode(t *testing.T) {
	var specs []NodeSpec
	fakes := []*fakeRPC{{identity: "A"}, {identity: "B", hang: make(chan struct{})}, {identity: "C"}}
	for i, f := range fakes {
		specs = append(specs, NodeSpec{ID: i + 1, Dir: t.TempDir(), ConfigPath: "x", RPCURL: newFake(t, f), Identity: f.identity})
	}
	cfg := DefaultConfig()
	cfg.Dir = t.TempDir()
	cfg.Nodes = specs
	cfg.PollInterval = 20 * time.Millisecond
	cfg.PollTimeout = 2 * time.Second // far longer than the test waits for the others
	cfg.SkipSweep = true
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.spawn = idleSpawn
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c.StopAll(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for {
		a, b, cc := fakes[0].requests.Load(), fakes[1].requests.Load(), fakes[2].requests.Load()
		if a >= 10 && cc >= 10 {
			if b > 2 {
				t.Errorf("hung node got %d requests; its poller should be stuck on the first", b)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pollers of nodes 1 and 3 stalled: requests %d / %d / %d", a, b, cc)
		}
		time.Sleep(10 * time.Millisecond)
	}
	snap := c.Snapshot()
	if snap.Nodes[0].State != NodeRunning || snap.Nodes[2].State != NodeRunning {
		t.Errorf("states %v %v, want running", snap.Nodes[0].State, snap.Nodes[2].State)
	}
	if snap.Nodes[1].State != NodeStarting {
		t.Errorf("hung node state %v, want starting (never answered)", snap.Nodes[1].State)
	}
}

// idleProc is a process stand-in for poller tests: it does nothing until
// stopped or killed.
type idleProc struct {
	once sync.Once
	done chan struct{}
	sig  string
}

func idleSpawn(ctx context.Context, spec NodeSpec, _ *node.Ring) (process, error) {
	return &idleProc{done: make(chan struct{})}, nil
}

func (p *idleProc) end(sig string) {
	p.once.Do(func() { p.sig = sig; close(p.done) })
}
func (p *idleProc) Pid() int                        { return 0 }
func (p *idleProc) Done() <-chan struct{}           { return p.done }
func (p *idleProc) ExitStatus() (int, string, bool) { return 0, p.sig, true }
func (p *idleProc) Resize(uint16, uint16) error     { return nil }
func (p *idleProc) Pause() error                    { return nil }
func (p *idleProc) Resume() error                   { return nil }
func (p *idleProc) Stop(context.Context) error      { p.end(""); return nil }
func (p *idleProc) Kill() error                     { p.end("killed"); return nil }

func TestRPCPollerScrapesLiveForks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	withGauge := &fakeRPC{identity: "F", liveForks: 2}
	p := mustPoller(t, newFake(t, withGauge), "F")
	defer p.Close()
	if s := p.Poll(ctx); s.LiveForks != 2 {
		t.Errorf("live forks %d, want 2 from /metrics", s.LiveForks)
	}
	// A node whose /metrics is not Prometheus text (slonana answers every
	// path as JSON-RPC) is scraped metricsMisses times, then left alone.
	without := &fakeRPC{identity: "G"}
	q := mustPoller(t, newFake(t, without), "G")
	defer q.Close()
	for range 10 * metricsEvery * metricsMisses {
		if s := q.Poll(ctx); s.LiveForks != 0 || !s.Answered {
			t.Fatalf("poll: %+v", s)
		}
	}
	if n := without.scrapes.Load(); n != metricsMisses {
		t.Errorf("%d scrapes of a node without the gauge, want %d", n, metricsMisses)
	}
}

func mustPoller(t *testing.T, url, identity string) *rpcPoller {
	t.Helper()
	p, err := newRPCPoller(url, identity, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestForksFromChainChecks runs the real pollers of a cluster of three
// fake nodes at the same height, two on fork "a" and one on fork "b": the
// nodes' isBlockhashValid answers make the snapshot count 2 forks, where
// heights alone would say 1. The processes are idle stand-ins.
func TestForksFromChainChecks(t *testing.T) {
	for _, tt := range []struct {
		forks []string
		want  int
	}{{[]string{"a", "a", "b"}, 2}, {[]string{"a", "a", "a"}, 1}, {[]string{"a", "b", "c"}, 3}} {
		t.Run(strings.Join(tt.forks, ""), func(t *testing.T) {
			start := time.Now().Add(-100 * 50 * time.Millisecond)
			cfg := DefaultConfig()
			cfg.Dir = t.TempDir()
			cfg.PollInterval = 20 * time.Millisecond
			cfg.SkipSweep = true
			for i, fork := range tt.forks {
				f := &fakeRPC{identity: fmt.Sprintf("N%d", i+1), fork: fork, start: start}
				cfg.Nodes = append(cfg.Nodes, NodeSpec{ID: i + 1, Dir: t.TempDir(), ConfigPath: "x", RPCURL: newFake(t, f), Identity: f.identity})
			}
			c, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			c.spawn = idleSpawn
			if err := c.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			defer c.StopAll(context.Background())
			waitFor(t, 10*time.Second, fmt.Sprintf("%d forks", tt.want), func() bool {
				s := c.Snapshot()
				return s.Forks == tt.want && s.Nodes[0].State == NodeRunning
			}, func() string { return fmt.Sprint("forks ", c.Snapshot().Forks) })
		})
	}
}

// TestStopwatchStopsWhenForksJoin runs the real pollers and history loop
// over three fake nodes, two on fork "a" and one on "b": after a heal, the
// stopwatch runs until node 3 moves to fork "a", then stops, and the fork
// resolution check passes with the same time.
func TestStopwatchStopsWhenForksJoin(t *testing.T) {
	start := time.Now().Add(-100 * 50 * time.Millisecond)
	cfg := DefaultConfig()
	cfg.Dir = t.TempDir()
	cfg.PollInterval = 20 * time.Millisecond
	cfg.SkipSweep = true
	var fakes []*fakeRPC
	for i, fork := range []string{"a", "a", "b"} {
		// Blocks on two forks are at different slots (one leader per
		// slot): node 3's tip is 7 slots ahead of the others'.
		st := start
		if fork == "b" {
			st = start.Add(-7 * 50 * time.Millisecond)
		}
		f := &fakeRPC{identity: fmt.Sprintf("N%d", i+1), fork: fork, start: st}
		fakes = append(fakes, f)
		cfg.Nodes = append(cfg.Nodes, NodeSpec{ID: i + 1, Dir: t.TempDir(), ConfigPath: "x", RPCURL: newFake(t, f), Identity: f.identity})
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.spawn = idleSpawn
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c.StopAll(context.Background())
	waitFor(t, 10*time.Second, "2 forks", func() bool { return c.Snapshot().Forks == 2 }, func() string { return fmt.Sprint("forks ", c.Snapshot().Forks) })
	if g := c.Snapshot().ForkGroups; len(g) != 2 || len(g[0]) != 2 || g[1][0] != 3 {
		t.Fatalf("fork groups %v, want [[1 2] [3]]", g)
	}

	heal := time.Now()
	c.faults.mu.Lock()
	c.faults.healAt = heal
	c.faults.mu.Unlock()
	// Rounds taken while the forks stand must not stop the stopwatch.
	waitFor(t, 10*time.Second, "a round after the heal", func() bool {
		_, rounds := c.history.view()
		return len(rounds) > 0 && rounds[len(rounds)-1].Time().After(heal)
	}, func() string { return "no round" })
	if s := c.Snapshot(); !s.ConvergedAt.IsZero() {
		t.Fatalf("stopwatch stopped at %v with %d forks", s.ConvergedAt, s.Forks)
	}
	fakes[2].setFork("a")
	waitFor(t, 10*time.Second, "the stopwatch to stop", func() bool {
		s := c.Snapshot()
		return !s.ConvergedAt.IsZero() && s.Forks == 1
	}, func() string { s := c.Snapshot(); return fmt.Sprintf("forks %d converged %v", s.Forks, s.ConvergedAt) })
	s := c.Snapshot()
	d, done := s.Stopwatch()
	if !done || d <= 0 {
		t.Fatalf("stopwatch %v done %v", d, done)
	}
	rep := c.RunChecks(context.Background())
	fr, ok := rep.Result("fork resolution")
	if !ok || !fr.Pass || fr.Value != d.Round(time.Millisecond).String() {
		t.Errorf("fork resolution %+v, want a pass in %v (the stopwatch)", fr, d.Round(time.Millisecond))
	}
}

// TestRPCPollerOneRequestPerPoll checks that a poll is one round trip: the
// slots, counts, tip, chain, votes and peers all travel in one batch; only
// the leader schedule (once per epoch) and /metrics (every metricsEvery
// polls) take requests of their own.
func TestRPCPollerOneRequestPerPoll(t *testing.T) {
	f := &fakeRPC{identity: "Self111", peers: []string{"PeerA"}, liveForks: 1, fork: "a"}
	p := mustPoller(t, newFake(t, f), "")
	defer p.Close()
	p.others = func() []string { return []string{"a-1"} }
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	const polls = 2 * metricsEvery
	for range polls {
		if s := p.Poll(ctx); !s.Answered {
			t.Fatalf("poll: %q", s.Err)
		}
	}
	want := int64(polls + 1 + polls/metricsEvery) // polls, one schedule, the scrapes
	if got := f.requests.Load(); got != want {
		t.Errorf("%d requests for %d polls, want %d", got, polls, want)
	}
}

// TestUntilPoll: polls start 30% of an interval before each wall-clock
// multiple of it, so a reader ticking on those multiples finds them done.
func TestUntilPoll(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 10, 0, time.UTC) // a multiple of 500 ms
	ms := time.Millisecond
	for _, c := range []struct {
		now  time.Duration // after base
		want time.Duration
	}{
		{0, 350 * ms},
		{100 * ms, 250 * ms},
		{349 * ms, 1 * ms},
		{350 * ms, 500 * ms},
		{400 * ms, 450 * ms},
		{499 * ms, 351 * ms},
	} {
		if got := untilPoll(base.Add(c.now), 500*ms); got != c.want {
			t.Errorf("at +%v: next poll in %v, want %v", c.now, got, c.want)
		}
	}
	if got := untilPoll(base, 0); got != 0 {
		t.Errorf("no interval: %v, want 0", got)
	}
}
