package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"slonui/scenario"
)

// scenarioBin is slonui built once for the tests that run real nodes (a
// test binary cannot serve as `slonui validator`).
var scenarioBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "slonui-cmdtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin := filepath.Join(dir, "slonui")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	scenarioBin = bin
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestScenarioList(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"scenario", "list"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, name := range []string{"fork-resolution", "vote-aggregation", "leader-rotation", "peer-discovery", "packet-loss", "ramp-up"} {
		if !strings.Contains(out.String(), "\n"+name+" ") && !strings.HasPrefix(out.String(), name+" ") {
			t.Errorf("list lacks %s:\n%s", name, out.String())
		}
	}
}

// TestScenarioShow: show prints a built-in that parses as it is; an unknown
// name is a usage error.
func TestScenarioShow(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"scenario", "show", "fork-resolution"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	sc, err := scenario.Parse("shown.toml", out.Bytes())
	if err != nil || sc.Name != "fork-resolution" {
		t.Fatalf("shown TOML: %v (name %q)", err, sc.Name)
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"scenario", "show", "nope"}, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), `"nope"`) {
		t.Errorf("show nope: exit %d, stderr %q", code, errb.String())
	}
}

// TestScenarioUsage: a missing or unknown action or argument is exit 2.
func TestScenarioUsage(t *testing.T) {
	for _, args := range [][]string{{"scenario"}, {"scenario", "walk"}, {"scenario", "run"}, {"scenario", "list", "x"},
		{"scenario", "run", "peer-discovery", "--nodes", "99"}, {"scenario", "run", "peer-discovery", "--addr-base", "10.0.0.1"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want 2; stderr %s", args, code, errb.String())
		}
	}
}

// TestScenarioBadFile: a bad file exits 2 before anything starts, and says
// the file, the line and the key.
func TestScenarioBadFile(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"unknown key", "[[step]]\nstart = true\n[[step]]\nisolate = 2\nwhen = \"now\"\n", []string{"bad.toml:5:1", "unknown key step.when"}},
		{"bad threshold", "[[step]]\nstart = true\n[[step]]\nheal = true\n[[step]]\ncheck = \"fork-resolution\"\nmax = \"soon\"\n", []string{"bad.toml:7: step 3: max"}},
		{"node past the cluster", "[[step]]\nstart = true\nnodes = 3\n[[step]]\npause = 4\n", []string{"bad.toml:5: step 2: pause", "3 nodes"}},
		{"unknown name", "", []string{"no such file or built-in"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.toml")
			if c.src != "" {
				if err := os.WriteFile(path, []byte(c.src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			dir := filepath.Join(t.TempDir(), "c")
			var out, errb bytes.Buffer
			code := run([]string{"scenario", "run", path, "--dir", dir, "--addr-base", "127.0.134.1"}, &out, &errb)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2\nstderr: %s", code, errb.String())
			}
			for _, w := range c.want {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errb.String())
				}
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a bad file still wrote %s", dir)
			}
		})
	}
}

// TestScenarioRefusesAnExistingCluster: a scenario starts a fresh cluster
// and will not reuse (or overwrite) one.
func TestScenarioRefusesAnExistingCluster(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	var out, errb bytes.Buffer
	if code := run([]string{"init", "--nodes", "1", "--dir", dir, "--addr-base", "127.0.134.1"}, &out, &errb); code != exitOK {
		t.Fatalf("init: exit %d: %s", code, errb.String())
	}
	before, _ := os.ReadFile(filepath.Join(dir, "genesis.json"))
	out.Reset()
	errb.Reset()
	code := run([]string{"scenario", "run", "peer-discovery", "--dir", dir, "--addr-base", "127.0.134.1"}, &out, &errb)
	if code != exitFail || !strings.Contains(errb.String(), "already holds a cluster") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "genesis.json")); !bytes.Equal(before, after) || len(after) == 0 {
		t.Error("the existing cluster's genesis changed")
	}
}

// runBin runs the built slonui with args; it returns the exit code, stdout
// and stderr.
func runBin(t *testing.T, args ...string) (int, []byte, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, scenarioBin, args...)
	cmd.WaitDelay = 10 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.Bytes(), errb.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.Bytes(), errb.String()
	}
	t.Fatalf("%v: %v\nstderr: %s", args, err, errb.String())
	return 0, nil, ""
}

// noNodesLeft fails when a process still runs with dir in its command line
// (a validator of that cluster), and stops any it finds by pid.
func noNodesLeft(t *testing.T, dir string) {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(b, []byte(dir+"/")) || !bytes.Contains(b, []byte("validator")) {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if pid > 0 && pid != os.Getpid() {
			t.Errorf("pid %d of %s still runs: %s", pid, dir, bytes.ReplaceAll(b, []byte{0}, []byte{' '}))
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

type jsonReport struct {
	Pass    bool
	Failure string
	Nodes   int
	Steps   []scenario.StepResult
	Checks  []scenario.CheckResult
}

func runReport(t *testing.T, args ...string) (int, jsonReport, string) {
	t.Helper()
	code, out, stderr := runBin(t, args...)
	var rep jsonReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("exit %d, report is not JSON: %v\nstdout: %s\nstderr: %s", code, err, out, stderr)
	}
	return code, rep, stderr
}

// TestScenarioBuiltinsPass runs the built-ins fork-resolution and
// peer-discovery on 5 real nodes: both pass, the isolation really split the
// cluster into two forks before the heal, and no node is left running.
func TestScenarioBuiltinsPass(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real nodes")
	}
	cases := []struct {
		name, addr string
		checks     []string
	}{
		{"fork-resolution", "127.0.130.1", []string{scenario.CheckForkResolution, scenario.CheckRecovered}},
		{"peer-discovery", "127.0.131.1", []string{scenario.CheckPeerDiscovery}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // own addresses
			dir := filepath.Join(t.TempDir(), "c")
			reportPath := filepath.Join(t.TempDir(), "report.json")
			code, rep, stderr := runReport(t, "scenario", "run", c.name, "--dir", dir, "--addr-base", c.addr, "--json", "--report", reportPath)
			noNodesLeft(t, dir)
			if code != exitOK || !rep.Pass {
				t.Fatalf("exit %d pass %v failure %q\nstderr: %s", code, rep.Pass, rep.Failure, stderr)
			}
			if rep.Nodes != 5 || len(rep.Checks) != len(c.checks) {
				t.Fatalf("nodes %d, checks %+v", rep.Nodes, rep.Checks)
			}
			for i, name := range c.checks {
				ch := rep.Checks[i]
				if ch.Name != name || !ch.Pass || ch.Measured <= 0 || ch.Threshold == "" {
					t.Errorf("check %d: %+v, want %s passing with a measured time", i, ch, name)
				}
			}
			if c.name == "fork-resolution" && rep.Checks[0].ForksAtHeal < 2 {
				t.Errorf("fork-resolution: %d forks at the heal, want the isolated node on its own fork", rep.Checks[0].ForksAtHeal)
			}
			for i := 1; i < len(rep.Steps); i++ {
				if rep.Steps[i].At < rep.Steps[i-1].At {
					t.Errorf("step %d at %s before step %d at %s", i+1, rep.Steps[i].At, i, rep.Steps[i-1].At)
				}
			}
			saved, err := os.ReadFile(reportPath)
			if err != nil || !bytes.Contains(saved, []byte(`"pass": true`)) {
				t.Errorf("--report file: %v\n%s", err, saved)
			}
		})
	}
}

// TestScenarioImpossibleThreshold: a peer-discovery check within 1 ms
// cannot hold: the run exits 1 and names the check, its value and its
// threshold; every node is stopped.
func TestScenarioImpossibleThreshold(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real nodes")
	}
	t.Parallel() // own addresses; overlaps the long fork-resolution run
	src := `name = "impossible"
[[step]]
start = true
nodes = 5
slot_ms = 200

[[step]]
check = "peer-discovery"
max = "1ms"

[[step]]
after = "slot >= 5"
timeout = "60s"
isolate = 2
`
	path := filepath.Join(t.TempDir(), "impossible.toml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "c")
	code, out, stderr := runBin(t, "scenario", "run", path, "--dir", dir, "--addr-base", "127.0.135.1")
	noNodesLeft(t, dir)
	if code != exitFail {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	for _, w := range []string{"FAIL  peer-discovery:", "threshold ≤ 1ms", "FAIL: check peer-discovery (step 2, " + path + " line 8) failed"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(stderr, "impossible failed: check peer-discovery") {
		t.Errorf("stderr does not name the check:\n%s", stderr)
	}
	// The failed check does not stop the run: the isolate step after it ran.
	if !strings.Contains(string(out), "step 3  isolate 2: side A 80.0% can confirm") {
		t.Errorf("the step after the failed check did not run:\n%s", out)
	}
}

// TestScenarioInterrupt: SIGINT in the middle of a run stops every node,
// reports the step it interrupted and exits 1.
func TestScenarioInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real nodes")
	}
	t.Parallel() // own addresses; overlaps the long fork-resolution run
	dir := filepath.Join(t.TempDir(), "c")
	cmd := exec.Command(scenarioBin, "scenario", "run", "fork-resolution", "--dir", dir, "--addr-base", "127.0.138.1")
	var out bytes.Buffer
	cmd.Stdout = &out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	var errText bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			errText.WriteString(sc.Text() + "\n")
			if !signalled && strings.Contains(sc.Text(), "step 2") { // the nodes see each other
				cmd.Process.Signal(syscall.SIGINT)
				signalled = true
			}
		}
		exited <- cmd.Wait()
	}()
	select {
	case err = <-exited:
	case <-time.After(3 * time.Minute):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("no exit 3 minutes in\nstderr:\n%s", errText.String())
	}
	noNodesLeft(t, dir)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFail {
		t.Fatalf("exit %v, want 1\nstdout:\n%s\nstderr:\n%s", err, out.String(), errText.String())
	}
	if !strings.Contains(out.String(), "FAIL: step 3") || !strings.Contains(out.String(), "context canceled") {
		t.Errorf("report does not name the interrupted step:\n%s", out.String())
	}
}

// TestScenarioReplaysARecordedSession: a session file written by
// scenario.Recorder (as the console writes DIR/sessions/<start>.toml) runs
// with `scenario run`, each step no earlier than its recorded time.
func TestScenarioReplaysARecordedSession(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real nodes")
	}
	t.Parallel() // own addresses; overlaps the long fork-resolution run
	start := time.Now()
	path := scenario.SessionPath(t.TempDir(), start)
	rec, err := scenario.NewRecorder(path, start, 3, 200)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		at   time.Duration
		step scenario.Step
	}{
		{2 * time.Second, scenario.Step{Isolate: 3}},
		{4 * time.Second, scenario.Step{Heal: true}},
		{4500 * time.Millisecond, scenario.Step{Check: scenario.CheckPeerDiscovery, Max: "60s"}},
	}
	for _, s := range steps {
		if err := rec.Record(start.Add(s.at), s.step); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "c")
	code, rep, stderr := runReport(t, "scenario", "run", path, "--dir", dir, "--addr-base", "127.0.139.1", "--json")
	noNodesLeft(t, dir)
	if code != exitOK || !rep.Pass || rep.Nodes != 3 {
		t.Fatalf("exit %d pass %v nodes %d failure %q\nstderr: %s", code, rep.Pass, rep.Nodes, rep.Failure, stderr)
	}
	want := []string{"start", "isolate 3", "heal", "check peer-discovery"}
	if len(rep.Steps) != len(want) {
		t.Fatalf("%d steps, want %d: %+v", len(rep.Steps), len(want), rep.Steps)
	}
	for i, s := range rep.Steps {
		if s.Action != want[i] || s.Err != "" {
			t.Errorf("step %d: %q (error %q), want %q", i+1, s.Action, s.Err, want[i])
		}
		if i > 0 && s.At < steps[i-1].at {
			t.Errorf("step %d ran at %s, before its recorded %s", i+1, s.At, steps[i-1].at)
		}
	}
}
