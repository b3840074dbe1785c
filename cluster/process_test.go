package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestSupervisorLifecycle starts three stand-in node processes (real
// processes serving a fake JSON-RPC, not validators), and checks the
// supervisor: all become running; a kill gives an exited event with the
// signal; an exit on its own gives the code; restart brings a node back
// with its ring and log file continued; StopAll leaves no pid and no pidfile.
func TestSupervisorLifecycle(t *testing.T) {
	t.Setenv("CLUSTER_TEST_DROPPED", "must not reach the nodes")
	c, addrs := standInCluster(t, 3, 41)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		nextEvent(t, c, EventNodeStarted, i)
	}
	snapStr := func() string { return fmt.Sprintf("%+v", c.Snapshot().Nodes) }
	allRunning := func() bool {
		for _, n := range c.Snapshot().Nodes {
			if n.State != NodeRunning || n.Slot == 0 || n.Pid == 0 {
				return false
			}
		}
		return true
	}
	waitFor(t, 10*time.Second, "3 running nodes", allRunning, snapStr)
	if s := c.Snapshot(); s.Up() != 3 || s.Forks != 1 || s.Nodes[0].Identity != "Node1" {
		t.Errorf("snapshot: up %d forks %d identity %q", s.Up(), s.Forks, s.Nodes[0].Identity)
	}

	// The nodes run with TERM=dumb and without the variables in EnvDrop.
	waitFor(t, 5*time.Second, "node 1's env line", func() bool {
		for _, l := range c.LogTail(1, 100) {
			if strings.HasPrefix(l.Text, "env ") {
				return true
			}
		}
		return false
	}, func() string { return fmt.Sprint(c.LogTail(1, 5)) })
	for _, l := range c.LogTail(1, 100) {
		if strings.HasPrefix(l.Text, "env ") && l.Text != `env TERM=dumb dropped=""` {
			t.Errorf("child environment line %q, want TERM=dumb and nothing dropped", l.Text)
		}
	}

	// Kill node 2: SIGKILL to its group, exited event naming the signal.
	pid2 := c.Snapshot().Nodes[1].Pid
	if err := c.Kill(ctx, 2); err != nil {
		t.Fatal(err)
	}
	e := nextEvent(t, c, EventNodeExited, 2)
	if !strings.Contains(e.Detail, "SIGKILL") {
		t.Errorf("exit event detail %q does not name SIGKILL", e.Detail)
	}
	if n := c.Snapshot().Nodes[1]; n.State != NodeExited || n.Signal != "SIGKILL" || n.ExitCode != -1 || n.Pid != 0 {
		t.Errorf("killed node: state %v signal %q code %d pid %d", n.State, n.Signal, n.ExitCode, n.Pid)
	}
	if alive(pid2) {
		t.Errorf("killed pid %d still alive", pid2)
	}
	if err := c.Pause(ctx, 2); err == nil {
		t.Error("pause of an exited node succeeded")
	}

	// Node 3 exits on its own with code 3.
	resp, err := http.Get("http://" + addrs[2] + "/exit?code=3")
	if err == nil {
		resp.Body.Close()
	}
	e = nextEvent(t, c, EventNodeExited, 3)
	if e.Detail != "exit code 3" {
		t.Errorf("exit event detail %q, want exit code 3", e.Detail)
	}
	if n := c.Snapshot().Nodes[2]; n.State != NodeExited || n.ExitCode != 3 {
		t.Errorf("node 3: state %v code %d", n.State, n.ExitCode)
	}

	// Restart node 2: running again, ring and log file continued.
	seqBefore := c.Snapshot().Nodes[1].LogSeq
	if seqBefore == 0 {
		t.Fatal("node 2 logged nothing before the restart")
	}
	if err := c.Restart(ctx, 2); err != nil {
		t.Fatal(err)
	}
	nextEvent(t, c, EventNodeRestarted, 2)
	waitFor(t, 10*time.Second, "node 2 running again", func() bool {
		n := c.Snapshot().Nodes[1]
		return n.State == NodeRunning && n.Pid != 0 && n.Pid != pid2 && n.LogSeq > seqBefore+2
	}, snapStr)
	lines := c.LogsSince(2, 0, 100000)
	starts := 0
	for i, l := range lines {
		if i > 0 && l.Seq != lines[i-1].Seq+1 {
			t.Fatalf("ring sequence broken at %d: %d after %d", i, l.Seq, lines[i-1].Seq)
		}
		if strings.Contains(l.Text, "stand-in node Node2") {
			starts++
		}
	}
	if starts != 2 {
		t.Errorf("ring holds %d start lines of node 2, want 2 (before and after restart)", starts)
	}
	if tail := c.LogTail(2, 1); len(tail) != 1 || !strings.Contains(tail[0].Text, "\x1b[32mtick") {
		t.Errorf("tail %+v: want a tick line with its SGR colour kept", tail)
	}
	// The log file is flushed at least every ~200 ms: poll it.
	logStarts := func() int {
		b, _ := os.ReadFile(c.cfg.Nodes[1].LogPath())
		return strings.Count(string(b), "stand-in node Node2")
	}
	waitFor(t, 5*time.Second, "2 start lines in node 2's log file (appended across the restart)",
		func() bool { return logStarts() == 2 }, func() string { return fmt.Sprint(logStarts(), " start lines") })

	// Resize reaches node 1's pty (started at the default 120x40).
	if got := httpGet(t, "http://"+addrs[0]+"/size"); got != "120 40" {
		t.Errorf("node 1 terminal size %q at start, want 120 40", got)
	}
	c.Resize(1, 101, 33)
	if got := httpGet(t, "http://"+addrs[0]+"/size"); got != "101 33" {
		t.Errorf("node 1 terminal size %q after Resize(101, 33)", got)
	}

	// Pause and resume node 1.
	if err := c.Pause(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if st := c.Snapshot().Nodes[0].State; st != NodePaused {
		t.Errorf("paused node state %v", st)
	}
	if err := c.Resume(ctx, 1); err != nil {
		t.Fatal(err)
	}

	// Pause node 1 again and stop everything: the paused node must stop too.
	if err := c.Pause(ctx, 1); err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, n := range c.Snapshot().Nodes {
		if n.Pid != 0 {
			pids = append(pids, n.Pid)
		}
	}
	if len(pids) != 2 {
		t.Fatalf("want 2 live pids before StopAll, got %v", pids)
	}
	if err := c.StopAll(ctx); err != nil {
		t.Fatal(err)
	}
	progress, closed := 0, false
	for e := range c.Events() {
		if e.Kind == EventStopProgress {
			progress++
		}
		if e.Kind == EventClusterStopped {
			closed = true
		}
	}
	if progress != 3 || !closed {
		t.Errorf("stop progress events %d (want 3), cluster-stopped %v", progress, closed)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("pid %d alive after StopAll", pid)
		}
	}
	for _, spec := range c.cfg.Nodes {
		if _, err := os.Stat(spec.PidPath()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("pidfile %s left after StopAll (%v)", spec.PidPath(), err)
		}
	}
	for _, n := range c.Snapshot().Nodes {
		if n.State == NodeRunning || n.State == NodeStarting || n.State == NodePaused {
			t.Errorf("node %d still %v after StopAll", n.ID, n.State)
		}
	}
	if err := c.Restart(ctx, 1); !errors.Is(err, ErrNotRunning) {
		t.Errorf("restart after StopAll: %v, want ErrNotRunning", err)
	}
}

// TestStartRefusesAClashAndStartsNothing holds node 2's RPC port and checks
// that Start fails naming it and that no node process was started.
func TestStartRefusesAClashAndStartsNothing(t *testing.T) {
	c, addrs := standInCluster(t, 3, 42)
	l, err := net.Listen("tcp4", addrs[1])
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = c.Start(context.Background())
	if err == nil {
		t.Fatal("start succeeded with a port held")
	}
	want := fmt.Sprintf("node 2: rpc tcp %s is in use by pid %d", addrs[1], os.Getpid())
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	for _, n := range c.Snapshot().Nodes {
		if n.Pid != 0 || n.State != NodeStopped {
			t.Errorf("node %d: pid %d state %v after a refused start", n.ID, n.Pid, n.State)
		}
		if _, err := os.Stat(c.cfg.Nodes[n.ID-1].PidPath()); err == nil {
			t.Errorf("node %d has a pidfile after a refused start", n.ID)
		}
	}
}

// TestStartSweepsACrashedRun leaves a first cluster of stand-in processes
// running, as a crashed console would, and starts a second Cluster on the
// same directories: Start stops exactly the pids recorded in the pidfiles,
// says so in events, and then binds the same ports.
func TestStartSweepsACrashedRun(t *testing.T) {
	first, _ := standInCluster(t, 2, 44)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := first.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "first run running", func() bool {
		s := first.Snapshot()
		return s.Nodes[0].State == NodeRunning && s.Nodes[1].State == NodeRunning
	}, func() string { return fmt.Sprintf("%+v", first.Snapshot().Nodes) })
	old := []int{first.Snapshot().Nodes[0].Pid, first.Snapshot().Nodes[1].Pid}

	cfg := first.cfg
	cfg.Program = ""
	second, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer second.StopAll(context.Background())
	if err := second.Start(ctx); err != nil {
		t.Fatalf("second start: %v", err)
	}
	swept := map[string]bool{}
	for len(swept) < 2 {
		select {
		case e := <-second.Events():
			if e.Kind == EventError && strings.Contains(e.Detail, "stale validator pid") {
				swept[e.Detail] = true
			}
		case <-ctx.Done():
			t.Fatalf("sweep events: got %v", swept)
		}
	}
	for _, pid := range old {
		if !swept[fmt.Sprintf("stopped stale validator pid %d from a previous run", pid)] {
			t.Errorf("no sweep event for pid %d: %v", pid, swept)
		}
		if alive(pid) {
			t.Errorf("stale pid %d alive after the second start", pid)
		}
	}
	waitFor(t, 10*time.Second, "second run running on the same ports", func() bool {
		s := second.Snapshot()
		return s.Nodes[0].State == NodeRunning && s.Nodes[1].State == NodeRunning
	}, func() string { return fmt.Sprintf("%+v", second.Snapshot().Nodes) })
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
