package load

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// gatherRun is a runState with only what gather reads.
func gatherRun(batch int, linger time.Duration, queue int) *runState {
	cfg := DefaultConfig()
	cfg.Batch, cfg.Linger = batch, linger
	return &runState{e: &Engine{cfg: cfg}, clock: RealClock,
		sched: &scheduler{out: make(chan slot, queue)}}
}

func TestGatherBatches(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		name   string
		batch  int
		linger time.Duration
		queued int             // slots already queued
		later  []time.Duration // further slots, offered at these offsets
		want   int             // slots in the first batch
		waited time.Duration   // how long gather took
	}{
		{"takes what is queued without linger", 64, 0, 5, []time.Duration{ms}, 5, 0},
		{"a full batch goes at once", 4, 5 * ms, 10, nil, 4, 0},
		{"lingers for slots due soon", 64, 5 * ms, 1, []time.Duration{ms, 2 * ms, 3 * ms}, 4, 5 * ms},
		{"stops lingering when the batch fills", 3, 5 * ms, 1, []time.Duration{ms, 2 * ms, 3 * ms}, 3, 2 * ms},
		{"leaves slots past the linger for the next batch", 64, 5 * ms, 1, []time.Duration{ms, 9 * ms}, 2, 5 * ms},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := gatherRun(c.batch, c.linger, 128)
				for range c.queued {
					r.sched.out <- slot{}
				}
				fed := make(chan struct{})
				go func() {
					defer close(fed)
					start := time.Now()
					for _, at := range c.later {
						time.Sleep(time.Until(start.Add(at)))
						r.sched.out <- slot{}
					}
				}()
				t0 := time.Now()
				got, ok := r.gather(t.Context(), nil)
				if !ok || len(got) != c.want {
					t.Fatalf("gather = %d slots, %v; want %d, true", len(got), ok, c.want)
				}
				if d := time.Since(t0); d != c.waited {
					t.Errorf("gather took %s (fake clock), want %s", d, c.waited)
				}
				<-fed
			})
		})
	}
}

// One worker gathers at a time, so concurrent workers fill their batches
// in turn rather than splitting the queue between them.
func TestGatherOneWorkerAtATime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := gatherRun(8, 5*time.Millisecond, 64)
		for range 10 {
			r.sched.out <- slot{}
		}
		close(r.sched.out)
		var mu sync.Mutex
		var sizes []int
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					got, ok := r.gather(t.Context(), nil)
					if !ok {
						return
					}
					mu.Lock()
					sizes = append(sizes, len(got))
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(sizes) != 2 || sizes[0] != 8 || sizes[1] != 2 {
			t.Fatalf("batch sizes %v, want [8 2]", sizes)
		}
	})
}

// gather gives up when the run ends, whether or not slots are due.
func TestGatherEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := gatherRun(8, time.Second, 4)
		close(r.sched.out)
		if got, ok := r.gather(t.Context(), nil); ok || len(got) != 0 {
			t.Fatalf("closed queue: gather = %d, %v; want 0, false", len(got), ok)
		}
		r = gatherRun(8, time.Second, 4)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if got, ok := r.gather(ctx, nil); ok || len(got) != 0 {
			t.Fatalf("ended run: gather = %d, %v; want 0, false", len(got), ok)
		}
		r = gatherRun(8, time.Second, 4)
		r.sched.out <- slot{}
		ctx, cancel = context.WithCancel(t.Context())
		time.AfterFunc(10*time.Millisecond, cancel)
		if got, ok := r.gather(ctx, nil); !ok || len(got) != 1 {
			t.Fatalf("run ended while lingering: gather = %d, %v; want 1, true", len(got), ok)
		}
	})
}
