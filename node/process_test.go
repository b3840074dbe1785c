package node

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// waitDone waits for p to end, failing the test after d.
func waitDone(t *testing.T, p *Process, d time.Duration) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(d):
		t.Fatalf("pid %d not done after %v; last lines %v", p.Pid(), d, p.Ring().Tail(5))
	}
}

// waitLine polls ring until a line has the prefix and returns that line.
func waitLine(t *testing.T, r *Ring, prefix string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range r.Tail(r.Cap()) {
			if strings.HasPrefix(l.Text, prefix) {
				return l.Text
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no line starting %q; last lines %v", prefix, r.Tail(5))
	return ""
}

// pidGone reports whether pid is no longer a live process (a zombie that a
// non-reaping init keeps counts as gone).
func pidGone(pid int) bool {
	st, err := readProcStat(pid)
	return errors.Is(err, errNoProcess) || (err == nil && st.state == 'Z')
}

func startChild(t *testing.T, cfg Config) *Process {
	t.Helper()
	p, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.Stop(ctx); err != nil {
			t.Errorf("cleanup stop: %v", err)
		}
	})
	return p
}

func TestDrainChattyChild(t *testing.T) {
	const total = 200000
	cfg := childConfig(t, "chatty", strconv.Itoa(total))
	cfg.LogFile = filepath.Join(t.TempDir(), "validator.log")
	p := startChild(t, cfg)
	waitDone(t, p, 30*time.Second) // a child blocked on a full pty would never end
	if code, sig, exited := p.ExitStatus(); code != 0 || sig != "" || !exited {
		t.Fatalf("exit status %d %q %v, want 0 \"\" true", code, sig, exited)
	}
	if err := p.Err(); err != nil {
		t.Fatalf("output error: %v", err)
	}
	r := p.Ring()
	if r.Last() != total || r.Len() != DefaultRingLines {
		t.Fatalf("ring last %d len %d, want %d %d", r.Last(), r.Len(), total, DefaultRingLines)
	}
	for i, l := range r.Tail(DefaultRingLines) {
		want := uint64(total - DefaultRingLines + 1 + i)
		if l.Seq != want || l.Text != fmt.Sprintf("line %07d of the chatty child", want) {
			t.Fatalf("ring line %d = %d %q, want seq %d with the same number", i, l.Seq, l.Text, want)
		}
	}
	f, err := os.Open(cfg.LogFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		if got, want := strings.TrimSuffix(sc.Text(), "\r"), fmt.Sprintf("line %07d of the chatty child", n); got != want {
			t.Fatalf("log line %d = %q, want %q", n, got, want)
		}
	}
	if n != total {
		t.Fatalf("log has %d lines, want %d", n, total)
	}
}

func TestPartialLastLineAtEndOfStream(t *testing.T) {
	p := startChild(t, childConfig(t, "partial"))
	waitDone(t, p, 10*time.Second)
	var got []string
	for _, l := range p.Ring().Tail(10) {
		got = append(got, l.Text)
	}
	want := []string{"first", "second", "no newline at the end"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("lines %q, want %q", got, want)
	}
	if err := p.Err(); err != nil {
		t.Fatalf("EIO at the end must not be an error: %v", err)
	}
}

func TestExitCodes(t *testing.T) {
	for _, code := range []int{0, 3} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			p := startChild(t, childConfig(t, "exit", strconv.Itoa(code)))
			waitDone(t, p, 10*time.Second)
			gotCode, sig, exited := p.ExitStatus()
			if gotCode != code || sig != "" || !exited {
				t.Fatalf("exit status %d %q %v, want %d \"\" true", gotCode, sig, exited, code)
			}
			if got := waitLine(t, p.Ring(), "exiting"); got != "exiting with "+strconv.Itoa(code) {
				t.Fatalf("line %q", got)
			}
		})
	}
}

func TestKillReportsSignal(t *testing.T) {
	p := startChild(t, childConfig(t, "sleep"))
	waitLine(t, p.Ring(), "ready")
	if code, _, exited := p.ExitStatus(); exited {
		t.Fatalf("exited early with %d", code)
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	waitDone(t, p, 10*time.Second)
	if code, sig, exited := p.ExitStatus(); code != -1 || sig != "SIGKILL" || !exited {
		t.Fatalf("exit status %d %q %v, want -1 SIGKILL true", code, sig, exited)
	}
	if err := p.Signal(15); !errors.Is(err, ErrExited) {
		t.Fatalf("signal after exit: %v, want ErrExited", err)
	}
}

func TestStopTerminatesGracefully(t *testing.T) {
	cfg := childConfig(t, "sleep")
	cfg.PidFile = filepath.Join(t.TempDir(), "node.pid")
	p := startChild(t, cfg)
	waitLine(t, p.Ring(), "ready")
	b, err := os.ReadFile(cfg.PidFile)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := parsePidRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	st, err := readProcStat(p.Pid())
	if err != nil {
		t.Fatal(err)
	}
	if rec.pid != p.Pid() || rec.startTime != st.startTime {
		t.Fatalf("pidfile %+v, want pid %d start %d", rec, p.Pid(), st.startTime)
	}
	for i := range 2 { // idempotent
		if err := p.Stop(context.Background()); err != nil {
			t.Fatalf("stop %d: %v", i, err)
		}
	}
	if code, sig, _ := p.ExitStatus(); code != -1 || sig != "SIGTERM" {
		t.Fatalf("exit status %d %q, want -1 SIGTERM", code, sig)
	}
	if _, err := os.Stat(cfg.PidFile); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("pidfile still there after stop: %v", err)
	}
}

func TestStopKillsTermIgnoringChildAfterGrace(t *testing.T) {
	p := startChild(t, childConfig(t, "stubborn"))
	waitLine(t, p.Ring(), "ready")
	if err := p.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, sig, exited := p.ExitStatus(); code != -1 || sig != "SIGKILL" || !exited {
		t.Fatalf("exit status %d %q %v, want -1 SIGKILL true", code, sig, exited)
	}
}

func TestStopKillsTheWholeGroup(t *testing.T) {
	p := startChild(t, childConfig(t, "spawner"))
	line := waitLine(t, p.Ring(), "grandchild ")
	gpid, err := strconv.Atoi(strings.TrimPrefix(line, "grandchild "))
	if err != nil {
		t.Fatalf("line %q: %v", line, err)
	}
	waitLine(t, p.Ring(), "ready") // the grandchild ignores TERM and HUP from here on
	if pidGone(gpid) {
		t.Fatalf("grandchild %d not running before stop", gpid)
	}
	if err := p.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{p.Pid(), gpid} {
		if !pidGone(pid) {
			t.Errorf("pid %d still alive after Stop", pid)
		}
	}
}

func TestPauseAndResume(t *testing.T) {
	p := startChild(t, childConfig(t, "ticker"))
	waitLine(t, p.Ring(), "tick")
	state := func() byte {
		st, err := readProcStat(p.Pid())
		if err != nil {
			t.Fatal(err)
		}
		return st.state
	}
	waitState := func(stopped bool) {
		t.Helper()
		if !pollUntil(func() bool { return (state() == 'T') == stopped }, 5*time.Second) {
			t.Fatalf("state %c, want stopped=%v", state(), stopped)
		}
	}
	if err := p.Pause(); err != nil {
		t.Fatal(err)
	}
	waitState(true)
	if err := p.Resume(); err != nil {
		t.Fatal(err)
	}
	waitState(false)
	last := p.Ring().Last()
	if !pollUntil(func() bool { return p.Ring().Last() > last }, 5*time.Second) {
		t.Fatal("no output after resume")
	}
	// Stop works on a paused group too (TERM is followed by CONT).
	if err := p.Pause(); err != nil {
		t.Fatal(err)
	}
	waitState(true)
	if err := p.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, sig, _ := p.ExitStatus(); sig != "SIGTERM" {
		t.Fatalf("paused child ended by %q, want SIGTERM", sig)
	}
}

func TestResize(t *testing.T) {
	cfg := childConfig(t, "size")
	cfg.Cols, cfg.Rows = 100, 30
	p := startChild(t, cfg)
	waitLine(t, p.Ring(), "size 100x30")
	if err := p.Resize(132, 43); err != nil {
		t.Fatal(err)
	}
	waitLine(t, p.Ring(), "size 132x43")
	if err := p.Resize(0, 10); err == nil {
		t.Fatal("resize to zero columns accepted")
	}
}

func TestRestartContinuesRingAndLog(t *testing.T) {
	cfg := childConfig(t, "exit", "0")
	cfg.LogFile = filepath.Join(t.TempDir(), "validator.log")
	p1 := startChild(t, cfg)
	waitDone(t, p1, 10*time.Second)
	cfg.Ring = p1.Ring()
	cfg.Args = []string{"4"}
	p2 := startChild(t, cfg)
	waitDone(t, p2, 10*time.Second)
	got := p2.Ring().Since(0, 0)
	if len(got) != 2 || got[0] != (Line{1, "exiting with 0"}) || got[1] != (Line{2, "exiting with 4"}) {
		t.Fatalf("ring after restart %v", got)
	}
	b, err := os.ReadFile(cfg.LogFile)
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.ReplaceAll(string(b), "\r", ""); s != "exiting with 0\nexiting with 4\n" {
		t.Fatalf("log after restart %q", s)
	}
}

func TestStartErrors(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ID = 7
	if _, err := Start(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "node 7") {
		t.Errorf("empty path: %v", err)
	}
	cfg.Path = filepath.Join(t.TempDir(), "no-such-program")
	if _, err := Start(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "node 7: start") {
		t.Errorf("missing program: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg = childConfig(t, "sleep")
	if _, err := Start(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	cfg.PidFile = filepath.Join(t.TempDir(), "missing-dir", "node.pid")
	if _, err := Start(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "pidfile") {
		t.Errorf("unwritable pidfile: %v", err)
	}
}

func TestLogIsFlushedWhileRunning(t *testing.T) {
	cfg := childConfig(t, "ticker")
	cfg.LogFile = filepath.Join(t.TempDir(), "validator.log")
	p := startChild(t, cfg)
	flushed := func() bool {
		b, _ := os.ReadFile(cfg.LogFile)
		return strings.Contains(string(b), "tick 3\r\n")
	}
	if !pollUntil(flushed, 5*time.Second) {
		t.Fatal("log file never showed tick 3 while the child ran")
	}
	if _, _, exited := p.ExitStatus(); exited {
		t.Fatal("ticker exited: the flush was not seen while running")
	}
}

func TestStopWithExpiredContextKills(t *testing.T) {
	cfg := childConfig(t, "stubborn")
	cfg.StopGrace = time.Minute
	p := startChild(t, cfg)
	waitLine(t, p.Ring(), "ready")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := p.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("stop: %v, want deadline exceeded", err)
	}
	waitDone(t, p, 10*time.Second)
	if _, sig, _ := p.ExitStatus(); sig != "SIGKILL" {
		t.Fatalf("ended by %q, want SIGKILL", sig)
	}
	if err := p.Stop(context.Background()); err != nil {
		t.Fatalf("second stop after the kill: %v", err)
	}
}

func TestConcurrentStops(t *testing.T) {
	p := startChild(t, childConfig(t, "sleep"))
	waitLine(t, p.Ring(), "ready")
	errs := make(chan error, 3)
	for range 3 {
		go func() { errs <- p.Stop(context.Background()) }()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if _, sig, _ := p.ExitStatus(); sig != "SIGTERM" {
		t.Fatalf("ended by %q, want SIGTERM", sig)
	}
}
