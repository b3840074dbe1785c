package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"slonui/config"
	"slonui/validator/netfault"
)

// chaosCluster is a cluster directory written by InitCluster whose nodes'
// admin addresses point at real netfault admin servers on fresh loopback
// ports, each over its own real Filter.
type chaosCluster struct {
	dir     string
	filters []*netfault.Filter
}

// newChaosCluster writes n nodes; tokens[i], when set, is the token node
// i+1's server accepts instead of the cluster's.
func newChaosCluster(t *testing.T, n int, tokens map[int]string) chaosCluster {
	t.Helper()
	o := config.DefaultInitOptions()
	o.Dir, o.Nodes, o.Seed = t.TempDir(), n, "chaos-cmd-test"
	res, err := config.InitCluster(o)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := os.ReadFile(res.AdminTokenPath)
	if err != nil {
		t.Fatal(err)
	}
	c := chaosCluster{dir: o.Dir}
	for i, nd := range res.Nodes {
		f, err := netfault.New(netfault.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		ln, err := netfault.ListenLoopback("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		token := strings.TrimSpace(string(tok))
		if alt, ok := tokens[i+1]; ok {
			token = alt
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- netfault.ServeAdmin(ctx, ln, netfault.AdminHandler(f, token)) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("ServeAdmin: %v", err)
			}
			f.Close()
		})
		c.filters = append(c.filters, f)
		vc, err := config.LoadValidatorConfig(nd.ConfigPath)
		if err != nil {
			t.Fatal(err)
		}
		vc.Devnet.AdminAddress = ln.Addr().String()
		b, err := config.EncodeValidatorConfig(vc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(nd.ConfigPath, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestChaosIsolateShowLossHeal(t *testing.T) {
	c := newChaosCluster(t, 5, nil)
	code, out, errs := runCmd(t, "chaos", "isolate", "5", "--dir", c.dir)
	if code != 0 {
		t.Fatalf("isolate: exit %d: %s", code, errs)
	}
	for _, want := range []string{"isolate 5: side A 80.0% can confirm; side B 20.0% cannot", "node 1: cut from node 5", "node 5: cut from nodes 1-4"} {
		if !strings.Contains(out, want) {
			t.Errorf("isolate output lacks %q:\n%s", want, out)
		}
	}
	if got := c.filters[4].Rules().Partition; !reflect.DeepEqual(got, []string{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}) {
		t.Errorf("node 5's filter cuts %v", got)
	}
	// Flags before the action work too.
	if code, _, errs := runCmd(t, "chaos", "--dir", c.dir, "loss", "5%", "--node", "2", "--peer", "3"); code != 0 {
		t.Fatalf("loss: exit %d: %s", code, errs)
	}
	if got := c.filters[1].Rules().Loss; got.Fraction != 0.05 || !reflect.DeepEqual(got.Peers, []string{"127.0.0.3"}) {
		t.Errorf("node 2 loss %+v", got)
	}
	code, out, errs = runCmd(t, "chaos", "show", "--dir", c.dir, "--json")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	var rep chaosReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	if len(rep.Nodes) != 5 || rep.Nodes[1].Faults != "cut from node 5; loss 5% with node 3" {
		t.Errorf("show: %+v", rep.Nodes)
	}
	if code, out, errs = runCmd(t, "chaos", "heal", "--dir", c.dir); code != 0 {
		t.Fatalf("heal: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "node 3: no faults") {
		t.Errorf("heal output:\n%s", out)
	}
	for i, f := range c.filters {
		if f.Rules().Active() {
			t.Errorf("node %d keeps faults after heal: %+v", i+1, f.Rules())
		}
	}
}

func TestChaosPartitionJSONSides(t *testing.T) {
	c := newChaosCluster(t, 3, nil)
	code, out, errs := runCmd(t, "chaos", "partition", "1-2|3", "--dir", c.dir, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep chaosReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	want := []chaosSide{{"A", []int{1, 2}, 66.7, false}, {"B", []int{3}, 33.3, false}}
	if !reflect.DeepEqual(rep.Sides, want) || rep.Summary != "side A 66.7% — not more than 2/3: no side can confirm" {
		t.Errorf("sides %+v summary %q", rep.Sides, rep.Summary)
	}
	if code, _, errs := runCmd(t, "chaos", "delay", "100", "--jitter", "20", "--dir", c.dir); code != 0 {
		t.Fatalf("delay: exit %d: %s", code, errs)
	}
	// Every link once: node 1 towards 2 and 3, node 2 towards 3, node 3 none.
	wantPeers := [][]string{{"127.0.0.2", "127.0.0.3"}, {"127.0.0.3"}, {}}
	for i, f := range c.filters {
		d := f.Rules().Delay
		if len(wantPeers[i]) == 0 {
			if d.MS != 0 {
				t.Errorf("node 3 delay %+v, want none", d)
			}
			continue
		}
		if d.MS != 100 || d.JitterMS != 20 || !reflect.DeepEqual(d.Peers, wantPeers[i]) {
			t.Errorf("node %d delay %+v, want 100±20 with %v", i+1, d, wantPeers[i])
		}
		if len(f.Rules().Partition) == 0 {
			t.Errorf("node %d: the delay removed the partition", i+1)
		}
	}
}

func TestChaosBadInvocationsExit2(t *testing.T) {
	c := newChaosCluster(t, 5, nil)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"partition", "1-3|4-x"}, `"4-x"`},
		{[]string{"partition", "1-3|3-5"}, "node 3 is in group 1 and group 2"},
		{[]string{"partition", "wheel"}, "not a preset"},
		{[]string{"isolate", "9"}, "not a node"},
		{[]string{"isolate", "x"}, "not a node number"},
		{[]string{"loss", "150"}, "percentage from 0 to 100"},
		{[]string{"loss", "5", "--node", "7"}, "--node"},
		{[]string{"delay", "fast"}, "whole milliseconds"},
		{[]string{"heal", "--jitter", "5"}, "--jitter applies to delay only"},
		{[]string{"isolate", "2", "--node", "1"}, "--node and --peer apply to loss and delay only"},
		{[]string{"wobble"}, `unknown action "wobble"`},
		{[]string{}, "no action given"},
		{[]string{"partition"}, "missing its argument"},
		{[]string{"heal", "now"}, `unexpected argument "now"`},
		{[]string{"show", "--bogus"}, "flag provided but not defined"},
	}
	for _, tc := range tests {
		args := append([]string{"chaos"}, tc.args...)
		args = append(args, "--dir", c.dir)
		code, _, errs := runCmd(t, args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("chaos %v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	for i, f := range c.filters {
		if f.Rules().Active() {
			t.Errorf("node %d changed by a refused invocation: %+v", i+1, f.Rules())
		}
	}
	if code, out, _ := runCmd(t, "chaos", "--help"); code != 0 || !strings.Contains(out, "partition SPEC") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}

func TestChaosRefusingNodeExits1AndNamesIt(t *testing.T) {
	c := newChaosCluster(t, 4, map[int]string{3: "another-clusters-token"})
	code, _, errs := runCmd(t, "chaos", "partition", "halves", "--dir", c.dir)
	if code != 1 || !strings.Contains(errs, "node 3 (") || !strings.Contains(errs, "nothing changed") {
		t.Errorf("exit %d, stderr %q; want 1 naming node 3", code, errs)
	}
	for i, f := range c.filters {
		if f.Rules().Active() {
			t.Errorf("node %d changed although node 3 refused: %+v", i+1, f.Rules())
		}
	}
	code, out, errs := runCmd(t, "chaos", "show", "--dir", c.dir)
	if code != 1 || !strings.Contains(out, "node 3: node 3 (") || !strings.Contains(out, "node 1: no faults") {
		t.Errorf("show: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "chaos", "heal", "--dir", t.TempDir()); code != 1 || !strings.Contains(errs, "no cluster") {
		t.Errorf("heal of an empty directory: exit %d, %q", code, errs)
	}
}

// procState is field 3 of /proc/PID/stat.
func procState(t *testing.T, pid int) byte {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	return strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0][0]
}

func waitState(t *testing.T, pid int, want func(byte) bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !want(procState(t, pid)) {
		if time.Now().After(deadline) {
			t.Fatalf("pid %d never became %s (state %c)", pid, what, procState(t, pid))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestChaosPauseResume(t *testing.T) {
	c := newChaosCluster(t, 2, nil)
	cmd := exec.Command("sleep", "60")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	start, err := procStartTime(pid)
	if err != nil {
		t.Fatal(err)
	}
	pidfile := filepath.Join(c.dir, "node2", "validator.pid")
	if err := os.WriteFile(pidfile, fmt.Appendf(nil, "%d %d\n", pid, start), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCmd(t, "chaos", "pause", "2", "--dir", c.dir); code != 0 || !strings.Contains(out, fmt.Sprintf("node 2 (pid %d): paused", pid)) {
		t.Fatalf("pause: exit %d %q %q", code, out, errs)
	}
	waitState(t, pid, func(s byte) bool { return s == 'T' }, "stopped")
	if code, _, errs := runCmd(t, "chaos", "resume", "2", "--dir", c.dir); code != 0 {
		t.Fatalf("resume: exit %d %q", code, errs)
	}
	waitState(t, pid, func(s byte) bool { return s != 'T' }, "running")

	// A pidfile whose start time does not match is another process: refused.
	if err := os.WriteFile(pidfile, fmt.Appendf(nil, "%d %d\n", pid, start+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCmd(t, "chaos", "pause", "2", "--dir", c.dir); code != 1 || !strings.Contains(errs, "node 2: pause") {
		t.Errorf("recycled pid: exit %d %q", code, errs)
	}
	if procState(t, pid) == 'T' {
		t.Error("a pid whose start time did not match was stopped")
	}
	if code, _, errs := runCmd(t, "chaos", "pause", "1", "--dir", c.dir); code != 1 || !strings.Contains(errs, "no pidfile") {
		t.Errorf("node without pidfile: exit %d %q", code, errs)
	}
}
