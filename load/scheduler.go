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
	step     int // step of the next intended send
}

// setRate replaces the plan's rate for the rest of the current step (the
// console's +/-). The next step goes back to the plan.
func (s *scheduler) setRate(r float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override, s.overStep = r, s.step
}

// current is the step and offered rate at elapsed: the plan's, or the
// override while it lasts; a cool-down is step -1 at rate 0.
func (s *scheduler) current(elapsed time.Duration) (step int, rate float64) {
	rate, step = s.plan.RateAt(elapsed)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.override > 0 && step >= 0 && step == s.overStep && step == s.step {
		rate = s.override
	}
	return step, rate
}

// next is the send after prev, with the live override applied.
func (s *scheduler) next(prev time.Duration) (time.Duration, int, bool) {
	s.mu.Lock()
	ov, ovStep := s.override, s.overStep
	s.mu.Unlock()
	if prev >= 0 && ov > 0 && !math.IsInf(ov, 0) {
		if _, step := s.plan.RateAt(prev); step == ovStep && step >= 0 {
			at := prev + interval(ov)
			if _, st := s.plan.RateAt(at); st == step {
				return at, step, true
			}
		}
	}
	return s.plan.Next(prev)
}

// run offers every slot of the plan from start, then closes out. It
// returns early when ctx is done.
func (s *scheduler) run(ctx context.Context, start time.Time) {
	defer close(s.out)
	prev := time.Duration(-1)
	for {
		at, step, ok := s.next(prev)
		if !ok {
			return
		}
		s.mu.Lock()
		s.step = step
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
