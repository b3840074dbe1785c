package load

import (
	"context"
	"math"
	"sync"
	"time"
)

// slot is one intended send.
type slot struct {
	intended time.Time
	step     int
}

// scheduler turns a Plan into intended send times and offers each to the
// senders through out without ever waiting for them: a full queue is a
// dropped send, and a late wake-up sends the overdue slots at once, so the
// offered rate stays the plan's and lateness shows up as latency.
type scheduler struct {
	plan  Plan
	clock Clock
	out   chan slot
	st    *stats

	mu       sync.Mutex
	override float64 // > 0: replaces the plan's rate within overStep
	overStep int
	step     int     // step of the last intended send
	rate     float64 // rate in force at the last intended send
}

// setRate replaces the plan's rate for the rest of the current step (the
// console's +/-). The next step goes back to the plan.
func (s *scheduler) setRate(r float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override, s.overStep = r, s.step
}

// current is the step and rate of the last intended send.
func (s *scheduler) current() (step int, rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.step, s.rate
}

// next is the send after prev, with the live override applied.
func (s *scheduler) next(prev time.Duration) (time.Duration, int, float64, bool) {
	s.mu.Lock()
	ov, ovStep := s.override, s.overStep
	s.mu.Unlock()
	if prev >= 0 && ov > 0 && !math.IsInf(ov, 0) {
		if _, step := s.plan.RateAt(prev); step == ovStep && step >= 0 {
			at := prev + max(time.Duration(float64(time.Second)/ov), 1)
			if _, st := s.plan.RateAt(at); st == step {
				return at, step, ov, true
			}
		}
	}
	at, step, ok := s.plan.Next(prev)
	r, _ := s.plan.RateAt(at)
	return at, step, r, ok
}

// run offers every slot of the plan from start, then closes out. It
// returns early when ctx is done.
func (s *scheduler) run(ctx context.Context, start time.Time) {
	defer close(s.out)
	prev := time.Duration(-1)
	for {
		at, step, rate, ok := s.next(prev)
		if !ok {
			return
		}
		s.mu.Lock()
		s.step, s.rate = step, rate
		s.mu.Unlock()
		due := start.Add(at)
		if wait := due.Sub(s.clock.Now()); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-s.clock.After(wait):
			}
		} else if ctx.Err() != nil {
			return
		}
		select {
		case s.out <- slot{intended: due, step: step}:
		default:
			s.st.dropped(step)
		}
		prev = at
	}
}
