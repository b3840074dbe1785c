package node

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"
)

// Stop ends the child and everything it started: SIGTERM to the process
// group, up to StopGrace for the group to leave, then SIGKILL to the group,
// then it waits until the child is reaped and its output drained. The pidfile
// is removed. Stop is idempotent: later calls wait for the first one's end
// and return its result. ctx bounds the wait; when it ends early the group is
// SIGKILLed and ctx's error returned.
func (p *Process) Stop(ctx context.Context) error {
	p.stopOnce.Do(func() { p.stopErr = p.stop(ctx) })
	select {
	case <-p.done:
		return p.stopErr
	case <-ctx.Done():
		return fmt.Errorf("node %d: stop: %w", p.cfg.ID, ctx.Err())
	}
}

func (p *Process) stop(ctx context.Context) error {
	if p.sessionGone() {
		<-p.done
		return nil
	}
	if !p.hasExited() {
		_ = syscall.Kill(-p.pid, syscall.SIGTERM)
		_ = syscall.Kill(-p.pid, syscall.SIGCONT) // a paused group acts on TERM only once continued
	}
	if !p.waitFor(ctx, p.cfg.StopGrace) {
		_ = syscall.Kill(-p.pid, syscall.SIGKILL)
		if ctx.Err() != nil {
			return fmt.Errorf("node %d: stop: %w", p.cfg.ID, ctx.Err())
		}
		// SIGKILL cannot be ignored; the grace again bounds an unkillable
		// (uninterruptible) process so Stop cannot hang forever.
		if !p.waitFor(ctx, p.cfg.StopGrace) {
			if ctx.Err() != nil {
				return fmt.Errorf("node %d: stop: %w", p.cfg.ID, ctx.Err())
			}
			return fmt.Errorf("node %d: stop: pid %d: %w", p.cfg.ID, p.pid, errors.New("process group still alive after SIGKILL"))
		}
	}
	select {
	case <-p.done:
	case <-ctx.Done():
		return fmt.Errorf("node %d: stop: %w", p.cfg.ID, ctx.Err())
	}
	return nil
}

// waitFor polls until the whole session is gone, d passes or ctx ends, and
// reports whether the session is gone.
func (p *Process) waitFor(ctx context.Context, d time.Duration) bool {
	deadline := time.NewTimer(d)
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
// only looked at once the child is reaped while a member still existed, and a
// group id cannot be reused while it has members.
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
	p.groupEmpty.Store(true) // once empty, never look at the id again
	return true
}
