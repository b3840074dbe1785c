package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

func (c *Cluster) checkRunning() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.started || c.stopping {
		return ErrNotRunning
	}
	return nil
}

// Restart stops node id if it runs (TERM, grace, KILL) and starts it
// again. The new process continues the node's log ring and appends to its
// log file.
func (c *Cluster) Restart(ctx context.Context, id int) error {
	m, err := c.member(id)
	if err != nil {
		return err
	}
	if err := c.checkRunning(); err != nil {
		return fmt.Errorf("node %d: restart: %w", id, err)
	}
	m.op.Lock()
	defer m.op.Unlock()
	if err := c.stopMember(ctx, m, true); err != nil {
		return fmt.Errorf("node %d: restart: %w", id, err)
	}
	if err := c.checkRunning(); err != nil {
		return fmt.Errorf("node %d: restart: %w", id, err)
	}
	return c.startMember(ctx, m, true)
}

// stopMember stops m's process, if any, and waits until its end is
// recorded. A paused process is continued first so it can act on TERM.
func (c *Cluster) stopMember(ctx context.Context, m *member, restarting bool) error {
	m.mu.Lock()
	p, settled := m.proc, m.settled
	alive := m.state == NodeStarting || m.state == NodeRunning || m.state == NodePaused
	paused := m.state == NodePaused
	if alive {
		m.stopping, m.restarting = true, restarting
	}
	m.mu.Unlock()
	if !alive || p == nil {
		return nil
	}
	if paused {
		_ = p.Resume()
	}
	err := p.Stop(ctx)
	if err != nil {
		_ = p.Kill()
	}
	select {
	case <-settled:
		return err
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
}

// Kill sends SIGKILL to node id's process group and waits until its exit
// is recorded (an EventNodeExited follows).
func (c *Cluster) Kill(ctx context.Context, id int) error {
	m, err := c.member(id)
	if err != nil {
		return err
	}
	m.op.Lock()
	defer m.op.Unlock()
	m.mu.Lock()
	p, settled, state := m.proc, m.settled, m.state
	m.mu.Unlock()
	if p == nil || state == NodeExited || state == NodeStopped {
		return fmt.Errorf("node %d: kill: %w", id, errNotAlive)
	}
	if err := p.Kill(); err != nil {
		return fmt.Errorf("node %d: kill: %w", id, err)
	}
	select {
	case <-settled:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("node %d: kill: %w", id, ctx.Err())
	}
}

var errNotAlive = errors.New("process is not running")

// Pause stops node id with SIGSTOP (to its process group).
func (c *Cluster) Pause(ctx context.Context, id int) error {
	m, err := c.member(id)
	if err != nil {
		return err
	}
	m.op.Lock()
	defer m.op.Unlock()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc == nil || (m.state != NodeStarting && m.state != NodeRunning) {
		return fmt.Errorf("node %d: pause: node is %s", id, m.state)
	}
	if err := m.proc.Pause(); err != nil {
		return fmt.Errorf("node %d: pause: %w", id, err)
	}
	m.resumeTo, m.state = m.state, NodePaused
	return nil
}

// Resume continues a paused node id with SIGCONT.
func (c *Cluster) Resume(ctx context.Context, id int) error {
	m, err := c.member(id)
	if err != nil {
		return err
	}
	m.op.Lock()
	defer m.op.Unlock()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc == nil || m.state != NodePaused {
		return fmt.Errorf("node %d: resume: node is %s", id, m.state)
	}
	if err := m.proc.Resume(); err != nil {
		return fmt.Errorf("node %d: resume: %w", id, err)
	}
	m.state = m.resumeTo
	return nil
}

// StopAll stops every node at once (TERM, grace, KILL), reporting
// "k/N stopped" as EventStopProgress after each, then stops the pollers,
// emits EventClusterStopped and closes the event channel. Calling it again
// waits for the first call to finish.
func (c *Cluster) StopAll(ctx context.Context) error {
	c.mu.Lock()
	if c.stopping {
		c.mu.Unlock()
		select {
		case <-c.stopDone:
			return c.stopErr
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c.stopping = true
	started := c.started
	c.mu.Unlock()
	c.load.stop()

	var errs []error
	var emu sync.Mutex
	var wg sync.WaitGroup
	total, done := len(c.members), 0
	for _, m := range c.members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.op.Lock()
			err := c.stopMember(ctx, m, false)
			m.op.Unlock()
			emu.Lock()
			done++
			if err != nil {
				errs = append(errs, fmt.Errorf("node %d: stop: %w", m.spec.ID, err))
			}
			c.events.emit(EventStopProgress, m.spec.ID, fmt.Sprintf("%d/%d stopped", done, total))
			emu.Unlock()
		}()
	}
	wg.Wait()
	if started {
		c.cancel()
		waited := make(chan struct{})
		go func() { c.wg.Wait(); close(waited) }()
		select {
		case <-waited:
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("cluster: stop: waiting for pollers: %w", ctx.Err()))
		}
	}
	c.events.emit(EventClusterStopped, 0, fmt.Sprintf("%d nodes stopped", total))
	c.events.close()
	c.mu.Lock()
	c.stopErr = errors.Join(errs...)
	close(c.stopDone)
	c.mu.Unlock()
	return c.stopErr
}
