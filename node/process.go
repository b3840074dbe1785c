package node

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/creack/pty"
)

// ErrExited is returned by calls that need a running process.
var ErrExited = errors.New("node: process has exited")

// drainAfterExit is how long the waiter waits, after reaping the child, for
// the reader to reach the end of the stream before it closes Done anyway (a
// grandchild may still hold the pty open; the reader keeps draining it).
const drainAfterExit = time.Second

// stopPoll is how often Stop looks at the process group during the grace.
const stopPoll = 20 * time.Millisecond

// Process is one running child under a pty. Its methods are safe for
// concurrent use.
type Process struct {
	cfg  Config
	cmd  *exec.Cmd
	pty  *os.File
	pid  int
	ring *Ring
	log  *logSink

	readerDone chan struct{} // the reader reached the end of the stream
	waitDone   chan struct{} // cmd.Wait returned
	done       chan struct{} // reaped and drained (or drainAfterExit passed)

	ptyMu     sync.RWMutex // Resize against the reader's close of pty
	ptyClosed bool

	mu       sync.Mutex
	code     int
	signal   string
	exited   bool
	readErr  error
	termOnce sync.Once // the first Stop's SIGTERM
	termAt   time.Time // when it was sent; read only after termOnce.Do

	groupEmpty atomic.Bool // set once the group was seen empty after the reap
}

// Start runs cfg.Path under a new pty and returns at once; ctx bounds only
// the start itself (the process lives until it exits or Stop/Kill). The
// reader and the waiter are running when Start returns.
func Start(ctx context.Context, cfg Config) (*Process, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("node %d: start: invalid config: %w", cfg.ID, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("node %d: start: %w", cfg.ID, err)
	}
	p := &Process{
		cfg:        cfg,
		ring:       cfg.Ring,
		readerDone: make(chan struct{}),
		waitDone:   make(chan struct{}),
		done:       make(chan struct{}),
	}
	if p.ring == nil {
		p.ring = NewRing(cfg.RingLines)
	}
	if cfg.LogFile != "" {
		l, err := openLog(cfg.LogFile)
		if err != nil {
			return nil, fmt.Errorf("node %d: start: %w", cfg.ID, err)
		}
		p.log = l
	}
	p.cmd = exec.Command(cfg.Path, cfg.Args...)
	p.cmd.Env = cfg.Env
	p.cmd.Dir = cfg.Dir
	p.cmd.SysProcAttr = sysProcAttr()
	f, err := pty.StartWithSize(p.cmd, &pty.Winsize{Cols: cfg.Cols, Rows: cfg.Rows})
	if err != nil {
		if p.log != nil {
			p.log.Close()
		}
		return nil, fmt.Errorf("node %d: start %s: %w", cfg.ID, cfg.Path, err)
	}
	p.pty = f
	p.pid = p.cmd.Process.Pid
	go p.read()
	// Read the start time before the waiter can reap the child: until then
	// its /proc entry exists even if it has already exited.
	st, serr := readProcStat(p.pid)
	go p.wait()
	if cfg.PidFile != "" {
		err := serr
		if err == nil {
			err = writePidfile(cfg.PidFile, pidRecord{pid: p.pid, startTime: st.startTime})
		}
		if err != nil {
			p.Kill()
			<-p.done
			return nil, fmt.Errorf("node %d: start: pidfile: %w", cfg.ID, err)
		}
	}
	return p, nil
}

// read is the one reader goroutine: it drains the pty until the end of the
// stream, then flushes and closes the log and the pty master.
func (p *Process) read() {
	defer close(p.readerDone)
	err := drain(p.pty, p.ring, p.log)
	if p.log != nil {
		err = errors.Join(err, p.log.Close())
	}
	p.ptyMu.Lock()
	p.pty.Close()
	p.ptyClosed = true
	p.ptyMu.Unlock()
	if err != nil {
		p.mu.Lock()
		p.readErr = fmt.Errorf("node %d: read output: %w", p.cfg.ID, err)
		p.mu.Unlock()
	}
}

// wait is the one waiter goroutine: it reaps the child exactly once.
func (p *Process) wait() {
	defer close(p.done)
	_ = p.cmd.Wait() // the status is in ProcessState; pty I/O is not copied by exec
	ps := p.cmd.ProcessState
	p.mu.Lock()
	p.exited = true
	p.code = ps.ExitCode()
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		p.signal = SignalName(ws.Signal())
	}
	p.mu.Unlock()
	close(p.waitDone)
	t := time.NewTimer(drainAfterExit)
	select {
	case <-p.readerDone:
	case <-t.C:
	}
	t.Stop()
	if p.cfg.PidFile != "" {
		os.Remove(p.cfg.PidFile)
	}
}

// Pid is the child's pid, which is also its process group id.
func (p *Process) Pid() int { return p.pid }

// Ring is the ring the reader fills.
func (p *Process) Ring() *Ring { return p.ring }

// Config is the configuration the process was started with.
func (p *Process) Config() Config { return p.cfg }

// Done is closed once the child has been reaped and its output drained (or,
// when something the child started still holds the pty, a second after the
// reap; the reader goes on draining it until Stop).
func (p *Process) Done() <-chan struct{} { return p.done }

// ExitStatus reports how the child ended: its exit code (-1 when killed by a
// signal), the signal's name ("SIGKILL") or "", and whether it has ended.
func (p *Process) ExitStatus() (code int, signal string, exited bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.code, p.signal, p.exited
}

// Err is the first error of the output path (a pty read or a log write
// failure) once Done is closed, or nil.
func (p *Process) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.readErr
}

// Resize sets the pty's size; the child gets SIGWINCH.
func (p *Process) Resize(cols, rows uint16) error {
	if cols == 0 || rows == 0 {
		return fmt.Errorf("node %d: resize to %dx%d: size must be positive", p.cfg.ID, cols, rows)
	}
	if p.hasExited() {
		return fmt.Errorf("node %d: resize: %w", p.cfg.ID, ErrExited)
	}
	// The lock keeps the reader from closing the master between Setsize
	// taking its fd number and the ioctl, which could then hit a reused fd.
	p.ptyMu.RLock()
	defer p.ptyMu.RUnlock()
	if p.ptyClosed {
		return fmt.Errorf("node %d: resize: %w", p.cfg.ID, ErrExited)
	}
	if err := pty.Setsize(p.pty, &pty.Winsize{Cols: cols, Rows: rows}); err != nil {
		return fmt.Errorf("node %d: resize: %w", p.cfg.ID, err)
	}
	return nil
}

// Signal sends sig to the child's whole process group.
func (p *Process) Signal(sig syscall.Signal) error {
	if p.hasExited() {
		return fmt.Errorf("node %d: signal %s: %w", p.cfg.ID, SignalName(sig), ErrExited)
	}
	if err := syscall.Kill(-p.pid, sig); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			err = ErrExited
		}
		return fmt.Errorf("node %d: signal %s: %w", p.cfg.ID, SignalName(sig), err)
	}
	return nil
}

// Pause stops the process group (SIGSTOP). Its output is still drained.
func (p *Process) Pause() error { return p.Signal(syscall.SIGSTOP) }

// Resume continues a paused process group (SIGCONT).
func (p *Process) Resume() error { return p.Signal(syscall.SIGCONT) }

// Kill sends SIGKILL to the process group now and does not wait.
func (p *Process) Kill() error { return p.Signal(syscall.SIGKILL) }

func (p *Process) hasExited() bool { return closed(p.waitDone) }

func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
