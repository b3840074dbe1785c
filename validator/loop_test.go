package validator

import (
	"testing"
	"time"
)

// The loop never sleeps past the end of a slot this node leads (its block
// is finished and sent the moment the slot ends), nor past the start of
// one it leads next; otherwise it ticks at TickInterval under load and at
// twice that when idle.
func TestTickWait(t *testing.T) {
	const tick = 25 * time.Millisecond
	for _, c := range []struct {
		name                     string
		leading, busy, leadsNext bool
		untilNext, want          time.Duration
	}{
		{"leading, slot ends after the tick", true, false, false, 300 * time.Millisecond, tick},
		{"leading, slot ends before the tick", true, true, true, 7 * time.Millisecond, 7 * time.Millisecond},
		{"busy follower", false, true, true, 3 * time.Millisecond, tick},
		{"idle, leads the next slot soon", false, false, true, 10 * time.Millisecond, 10 * time.Millisecond},
		{"idle, leads the next slot later", false, false, true, 200 * time.Millisecond, 2 * tick},
		{"idle follower", false, false, false, 5 * time.Millisecond, 2 * tick},
	} {
		if got := tickWait(tick, c.leading, c.busy, c.leadsNext, c.untilNext); got != c.want {
			t.Errorf("%s: waits %v, want %v", c.name, got, c.want)
		}
	}
}
