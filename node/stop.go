package node

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"
)

// Stop ends the child and everything it started: SIGTERM (and SIGCONT, in
// case it is paused) to the process group, up to StopGrace for the whole
// group to leave and the pty to close, then SIGKILL to the group, then it
// waits until the child is reaped and its output drained; the pidfile is
// removed by then. Stop is idempotent and safe to call concurrently: the
// grace counts from the first call's SIGTERM. ctx bounds the wait; when it
// ends first, Stop SIGKILLs the group and returns ctx's error.
//
// After Done is closed on its own, Stop is still the way to make sure nothing
// the child started outlives it; it returns at once when nothing is left.
func (p *Process) Stop(ctx context.Context) error {
	if !p.sessionGone() {
		p.termOnce.Do(func() {
			p.termAt = time.Now()
			if !p.hasExited() {
				_ = syscall.Kill(-p.pid, syscall.SIGTERM)
				_ = syscall.Kill(-p.pid, syscall.SIGCONT)
			}
		})
		graceEnd := p.termAt.Add(p.cfg.StopGrace)
		if !p.waitGone(ctx, time.Until(graceEnd)) {
			_ = syscall.Kill(-p.pid, syscall.SIGKILL)
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("node %d: stop: %w", p.cfg.ID, err)
			}
			// SIGKILL cannot be ignored; another grace bounds a process
			// stuck in the kernel so that Stop never hangs.
			if !p.waitGone(ctx, p.cfg.StopGrace) {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("node %d: stop: %w", p.cfg.ID, err)
				}
				return fmt.Errorf("node %d: stop: pid %d: %w", p.cfg.ID, p.pid, errStillAlive)
			}
		}
	}
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("node %d: stop: %w", p.cfg.ID, ctx.Err())
	}
}

var errStillAlive = errors.New("process group still alive after SIGKILL")

// waitGone polls until the whole session is gone, d passes or ctx ends, and
// reports whether the session is gone.
func (p *Process) waitGone(ctx context.Context, d time.Duration) bool {
	deadline := time.NewTimer(max(d, 0))
	defer deadline.Stop()
	tick := time.NewTicker(stopPoll)
	defer tick.Stop()
	for !p.sessionGone() {
		select {
		case <-ctx.Done():
			return false
		case <-deadline.C:
			return p.sessionGone()
		case <-tick.C:
		}
	}
	return true
}

// sessionGone reports whether the child has been reaped, nobody holds the
// pty any more, and no live process is left in its group. The group id is
// looked at only after the reap, and never again once the group was seen
// empty: a group id cannot be reused while the group has members.
func (p *Process) sessionGone() bool {
	if !closed(p.waitDone) || !closed(p.readerDone) {
		return false
	}
	if p.groupEmpty.Load() {
		return true
	}
	if groupAlive(p.pid) {
		return false
	}
	p.groupEmpty.Store(true)
	return true
}
