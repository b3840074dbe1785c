package ui

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// Options configure the console.
type Options struct {
	// ReadOnly turns off the keys that change the cluster (restart, kill,
	// pause/continue, partition, heal, loss/delay, load). Checks still run;
	// quitting still stops the cluster gracefully.
	ReadOnly bool
	// NoColor draws without colour (NO_COLOR).
	NoColor bool
	// Tick is how often the screen pulls a snapshot and new log lines, on
	// wall-clock multiples of it (default 500 ms, the cluster's poll
	// interval: the nodes are polled just before each pull, so every pull
	// brings every node's new poll). Keys are answered at once, not on
	// the tick.
	Tick time.Duration
	// ResizeDelay debounces pty resizes after the terminal changes size.
	ResizeDelay time.Duration
	// ActionTimeout bounds one restart, kill, stop or continue.
	ActionTimeout time.Duration
	// StopTimeout bounds the graceful stop of the whole cluster on quit.
	StopTimeout time.Duration
	// ScrollBack is how many lines of each node's log the console keeps in
	// memory for scrolling.
	ScrollBack int
	// SaveDir is where ctrl+s writes the visible lines; "" means the
	// cluster directory from the snapshot (or "." when that is empty).
	SaveDir string
	// Recorder receives every action as a scenario step. Run makes one
	// writing DIR/sessions/<start>.toml when it is nil, unless NoRecord.
	Recorder Recorder
	// NoRecord turns the session recording off.
	NoRecord bool
}

// DefaultOptions returns the console's defaults; NoColor follows the
// NO_COLOR environment variable.
func DefaultOptions() Options {
	return Options{
		NoColor:       os.Getenv("NO_COLOR") != "",
		Tick:          500 * time.Millisecond,
		ResizeDelay:   150 * time.Millisecond,
		ActionTimeout: 30 * time.Second,
		StopTimeout:   60 * time.Second,
		ScrollBack:    2000,
	}
}

// withDefaults fills zero durations and sizes from DefaultOptions.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Tick == 0 {
		o.Tick = d.Tick
	}
	if o.ActionTimeout == 0 {
		o.ActionTimeout = d.ActionTimeout
	}
	if o.StopTimeout == 0 {
		o.StopTimeout = d.StopTimeout
	}
	if o.ScrollBack == 0 {
		o.ScrollBack = d.ScrollBack
	}
	return o
}

// Validate reports every problem with the options.
func (o Options) Validate() error {
	var errs []error
	if o.Tick < 10*time.Millisecond || o.Tick > 10*time.Second {
		errs = append(errs, fmt.Errorf("ui: tick %v: want 10ms..10s", o.Tick))
	}
	if o.ResizeDelay < 0 {
		errs = append(errs, fmt.Errorf("ui: resize delay %v: must not be negative", o.ResizeDelay))
	}
	if o.ActionTimeout <= 0 {
		errs = append(errs, fmt.Errorf("ui: action timeout %v: must be positive", o.ActionTimeout))
	}
	if o.StopTimeout <= 0 {
		errs = append(errs, fmt.Errorf("ui: stop timeout %v: must be positive", o.StopTimeout))
	}
	if o.ScrollBack < 10 || o.ScrollBack > 1_000_000 {
		errs = append(errs, fmt.Errorf("ui: scroll-back %d lines: want 10..1000000", o.ScrollBack))
	}
	return errors.Join(errs...)
}
