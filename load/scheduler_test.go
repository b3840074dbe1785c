package load

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// runScheduler runs plan through a scheduler with a queue of depth and a
// consumer that calls work before each send, all in fake time.
func runScheduler(t *testing.T, plan Plan, depth int, during func(s *scheduler, elapsed time.Duration), work func(elapsed time.Duration)) *stats {
	t.Helper()
	var st *stats
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		st = newStats(plan.NumSteps(), start)
		s := &scheduler{plan: plan, clock: RealClock, out: make(chan slot, depth), st: st}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		done := make(chan struct{})
		go func() { defer close(done); s.run(ctx, start) }()
		consumed := make(chan struct{})
		go func() {
			defer close(consumed)
			for sl := range s.out {
				work(time.Since(start))
				st.sendDone(sl.step, sl.intended, time.Now(), "")
			}
		}()
		watched := make(chan struct{})
		go func() {
			defer close(watched)
			for e := time.Duration(0); during != nil; e += 100 * time.Millisecond {
				during(s, e)
				select {
				case <-done:
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}()
		<-done
		<-consumed
		<-watched
	})
	return st
}

func TestSchedulerKeepsThePlannedRate(t *testing.T) {
	st := runScheduler(t, ConstantPlan(100, 10*time.Second), 16, nil, func(time.Duration) {})
	tot := st.total
	if tot.planned != 1000 || tot.sent != 1000 || tot.dropped != 0 {
		t.Fatalf("planned %d sent %d dropped %d, want 1000 1000 0", tot.planned, tot.sent, tot.dropped)
	}
	if m := tot.hist[LatSend].Max(); m != histMin {
		t.Errorf("max send latency %d µs with an idle sender, want none", m)
	}
	for sec, n := range st.sentPS {
		if n != 100 {
			t.Errorf("second %d: %d sends, want 100", sec, n)
		}
	}
}

// A sender that stalls for 2 s must show up as latency from the intended
// time and as dropped sends, and the planned count must stay rate × time.
func TestSchedulerStalledSenderShowsAsLatencyAndDrops(t *testing.T) {
	stalled := false
	work := func(e time.Duration) {
		if !stalled && e >= 3*time.Second {
			stalled = true
			time.Sleep(2 * time.Second)
		}
	}
	const depth = 20
	st := runScheduler(t, ConstantPlan(100, 10*time.Second), depth, nil, work)
	tot := st.total
	if tot.planned != 1000 {
		t.Fatalf("planned %d, want 1000: a stall must not lower the offered rate", tot.planned)
	}
	if tot.sent+tot.dropped != tot.planned {
		t.Errorf("sent %d + dropped %d != planned %d", tot.sent, tot.dropped, tot.planned)
	}
	// 200 slots fall in the stall; the queue holds depth of them, and the
	// consumer holds one more.
	if tot.dropped < 200-depth-2 || tot.dropped > 200-depth {
		t.Errorf("dropped %d, want about %d", tot.dropped, 200-depth-1)
	}
	max := time.Duration(tot.hist[LatSend].Max()) * time.Microsecond
	if max < 1900*time.Millisecond || max > 2100*time.Millisecond {
		t.Errorf("max send latency %s, want about the 2 s stall", max)
	}
	p50 := time.Duration(tot.hist[LatSend].ValueAtQuantile(50)) * time.Microsecond
	if p50 > time.Millisecond {
		t.Errorf("median send latency %s, want ~0 (only the stall is late)", p50)
	}
}

func TestSchedulerStepsAndCooldown(t *testing.T) {
	plan := StepsPlan([]float64{10, 50}, 2*time.Second, time.Second)
	st := runScheduler(t, plan, 8, nil, func(time.Duration) {})
	if st.steps[0].sent != 20 || st.steps[1].sent != 100 {
		t.Errorf("steps sent %d, %d; want 20, 100", st.steps[0].sent, st.steps[1].sent)
	}
	if len(st.sentPS) < 3 || st.sentPS[2] != 0 {
		t.Errorf("sends per second %v: the cool-down (second 2) must be quiet", st.sentPS)
	}
}

func TestSchedulerSetRateLastsForTheStep(t *testing.T) {
	plan := StepsPlan([]float64{100, 100}, 4*time.Second, 0)
	set := false
	during := func(s *scheduler, e time.Duration) {
		if !set && e >= 2*time.Second {
			set = true
			s.setRate(300)
		}
	}
	st := runScheduler(t, plan, 64, during, func(time.Duration) {})
	// Step 0: 2 s at 100 then 2 s at 300; step 1 back to the plan.
	if got := st.steps[0].planned; got < 795 || got > 805 {
		t.Errorf("step 0 planned %d, want about 800", got)
	}
	if got := st.steps[1].planned; got != 400 {
		t.Errorf("step 1 planned %d, want 400", got)
	}
}
