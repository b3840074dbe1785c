package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"slonui/chaos"
	"slonui/config"
	"slonui/validator/netfault"
)

func init() {
	register(command{
		name:    "chaos",
		summary: "partition, slow down, pause or heal a running cluster",
		run:     runChaos,
	})
}

const chaosSynopsis = `chaos ACTION [flags]

actions:
  partition SPEC     SPEC: halves | isolate:K | ring | bridge | groups such as '1-3|4-7|8-10' | sizes such as '7|3'
  isolate K          cut node K off from every other node
  loss P             drop P% of packets (every link once, or --node K [--peer L])
  delay MS           hold packets MS ms (± --jitter MS; every link once, or --node K [--peer L])
  heal               remove every fault from every node
  show               print every node's faults
  pause K            SIGSTOP node K's process group (from DIR/nodeK/validator.pid)
  resume K           SIGCONT it

A partition replaces the earlier partition and keeps loss and delay; a loss
or delay replaces the earlier one everywhere (loss 0 / delay 0 remove it).

flags:`

// chaosArgs are the parsed command line of `slonui chaos`.
type chaosArgs struct {
	action  string
	arg     string // the action's operand
	dir     string
	asJSON  bool
	node    string
	peer    string
	jitter  int
	timeout time.Duration
}

func runChaos(args []string, stdout, stderr io.Writer) int {
	fs := flagSet("chaos", chaosSynopsis)
	var a chaosArgs
	fs.StringVar(&a.dir, "dir", defaultClusterDir, "cluster directory")
	fs.BoolVar(&a.asJSON, "json", false, "print one JSON object")
	fs.StringVar(&a.node, "node", "", "loss/delay: only on these nodes (3, 1-3, 1,4)")
	fs.StringVar(&a.peer, "peer", "", "loss/delay with --node: only on the links to these nodes")
	fs.IntVar(&a.jitter, "jitter", 0, "delay: ± this many ms, uniform")
	fs.DurationVar(&a.timeout, "timeout", 10*time.Second, "how long the whole action may take")
	pos, code := parseInterleaved(fs, args, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(pos) == 0 {
		return usageError(fs, stderr, "no action given")
	}
	a.action = pos[0]
	wantArg := map[string]bool{"partition": true, "isolate": true, "loss": true, "delay": true, "pause": true, "resume": true, "heal": false, "show": false}
	need, known := wantArg[a.action]
	switch {
	case !known:
		return usageError(fs, stderr, "unknown action %q", a.action)
	case need && len(pos) < 2:
		return usageError(fs, stderr, "%s: missing its argument", a.action)
	case len(pos) > map[bool]int{true: 2, false: 1}[need]:
		return usageError(fs, stderr, "%s: unexpected argument %q", a.action, pos[len(pos)-1])
	}
	if need {
		a.arg = pos[1]
	}
	if (a.node != "" || a.peer != "") && a.action != "loss" && a.action != "delay" {
		return usageError(fs, stderr, "%s: --node and --peer apply to loss and delay only", a.action)
	}
	if a.jitter != 0 && a.action != "delay" {
		return usageError(fs, stderr, "%s: --jitter applies to delay only", a.action)
	}
	if a.timeout <= 0 {
		return usageError(fs, stderr, "--timeout %v: must be positive", a.timeout)
	}
	topo, token, err := chaos.LoadTopology(a.dir)
	if err != nil {
		fmt.Fprintf(stderr, "slonui chaos: %v\n", err)
		return exitFail
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	defer cancel()
	switch a.action {
	case "pause", "resume":
		return chaosSignal(fs, a, topo, stdout, stderr)
	case "show":
		return chaosShow(ctx, a, topo, token, stdout, stderr)
	}
	plan, err := chaosPlan(a, topo)
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	return chaosApply(ctx, a, topo, token, plan, stdout, stderr)
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments, and returns the positional ones. code ≥ 0 means
// return it (help shown or a bad flag reported).
func parseInterleaved(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, code int) {
	for {
		if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
			return nil, code
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, -1
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), -1
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// chaosPlan builds the network plan of a partition, isolate, loss, delay or
// heal action.
func chaosPlan(a chaosArgs, topo chaos.Topology) (chaos.Plan, error) {
	switch a.action {
	case "partition":
		return chaos.ParsePartition(topo, a.arg)
	case "isolate":
		k, err := strconv.Atoi(a.arg)
		if err != nil {
			return chaos.Plan{}, fmt.Errorf("isolate %q: not a node number", a.arg)
		}
		return chaos.Isolate(topo, k)
	case "heal":
		return chaos.Heal(topo), nil
	}
	nodes, peers, err := scopeNodes(a, topo.Len())
	if err != nil {
		return chaos.Plan{}, err
	}
	if a.action == "loss" {
		pct, err := strconv.ParseFloat(strings.TrimSuffix(a.arg, "%"), 64)
		if err != nil || math.IsNaN(pct) || pct < 0 || pct > 100 {
			return chaos.Plan{}, fmt.Errorf("loss %q: want a percentage from 0 to 100", a.arg)
		}
		return chaos.Loss(topo, pct/100, nodes, peers)
	}
	ms, err := strconv.Atoi(strings.TrimSuffix(a.arg, "ms"))
	if err != nil {
		return chaos.Plan{}, fmt.Errorf("delay %q: want whole milliseconds", a.arg)
	}
	return chaos.Delay(topo, time.Duration(ms)*time.Millisecond, time.Duration(a.jitter)*time.Millisecond, nodes, peers)
}

func scopeNodes(a chaosArgs, n int) (nodes, peers []int, err error) {
	if a.node != "" {
		if nodes, err = chaos.ParseNodes(a.node, n); err != nil {
			return nil, nil, fmt.Errorf("--node: %w", err)
		}
	}
	if a.peer != "" {
		if peers, err = chaos.ParseNodes(a.peer, n); err != nil {
			return nil, nil, fmt.Errorf("--peer: %w", err)
		}
	}
	return nodes, peers, nil
}

// chaosReport is the JSON answer of every action.
type chaosReport struct {
	Action  string           `json:"action"`
	Plan    string           `json:"plan,omitempty"`
	Summary string           `json:"summary,omitempty"`
	Sides   []chaosSide      `json:"sides,omitempty"`
	Nodes   []chaosNodeState `json:"nodes"`
	Error   string           `json:"error,omitempty"`
}

type chaosSide struct {
	Name         string  `json:"name"`
	Nodes        []int   `json:"nodes"`
	StakePercent float64 `json:"stake_percent"`
	CanConfirm   bool    `json:"can_confirm"`
}

type chaosNodeState struct {
	Node     int                `json:"node"`
	Admin    string             `json:"admin,omitempty"`
	Pid      int                `json:"pid,omitempty"`
	Faults   string             `json:"faults"`
	Rules    *netfault.Rules    `json:"rules,omitempty"`
	Counters *netfault.Counters `json:"counters,omitempty"`
	Error    string             `json:"error,omitempty"`
}

func chaosApply(ctx context.Context, a chaosArgs, topo chaos.Topology, token string, plan chaos.Plan, stdout, stderr io.Writer) int {
	d, err := chaos.NewDevnet(topo, token)
	if err != nil {
		fmt.Fprintf(stderr, "slonui chaos: %v\n", err)
		return exitFail
	}
	rep := chaosReport{Action: a.action, Plan: plan.Name, Summary: plan.Summary(topo)}
	for _, s := range plan.Sides(topo) {
		rep.Sides = append(rep.Sides, chaosSide{Name: s.Name, Nodes: s.Nodes, StakePercent: math.Round(s.Percent*10) / 10, CanConfirm: s.CanConfirm})
	}
	sts, err := d.Apply(ctx, plan)
	if err != nil {
		rep.Error = err.Error()
		rep.Nodes = []chaosNodeState{}
		if a.asJSON {
			writeChaosJSON(stdout, stderr, rep)
		}
		fmt.Fprintf(stderr, "slonui chaos: %s: nothing changed: %v\n", plan.Name, err)
		return exitFail
	}
	for i, st := range sts {
		rep.Nodes = append(rep.Nodes, nodeState(topo, i+1, st))
	}
	if a.asJSON {
		return writeChaosJSON(stdout, stderr, rep)
	}
	if rep.Summary == plan.Name {
		fmt.Fprintln(stdout, plan.Name)
	} else {
		fmt.Fprintf(stdout, "%s: %s\n", plan.Name, rep.Summary)
	}
	writeNodeFaults(stdout, rep.Nodes)
	return exitOK
}

func nodeState(topo chaos.Topology, id int, st netfault.Status) chaosNodeState {
	r, c := st.Rules, st.Counters
	return chaosNodeState{Node: id, Admin: topo.Nodes[id-1].Admin, Faults: chaos.Describe(topo, r), Rules: &r, Counters: &c}
}

func chaosShow(ctx context.Context, a chaosArgs, topo chaos.Topology, token string, stdout, stderr io.Writer) int {
	d, err := chaos.NewDevnet(topo, token)
	if err != nil {
		fmt.Fprintf(stderr, "slonui chaos: %v\n", err)
		return exitFail
	}
	shown, err := d.Show(ctx)
	rep := chaosReport{Action: "show"}
	for _, nf := range shown {
		ns := nodeState(topo, nf.Node, nf.Status)
		if nf.Err != nil {
			ns = chaosNodeState{Node: nf.Node, Admin: nf.Admin, Faults: "unknown", Error: nf.Err.Error()}
		}
		rep.Nodes = append(rep.Nodes, ns)
	}
	if a.asJSON {
		if code := writeChaosJSON(stdout, stderr, rep); code != exitOK {
			return code
		}
	} else {
		writeNodeFaults(stdout, rep.Nodes)
	}
	if err != nil {
		fmt.Fprintf(stderr, "slonui chaos: show: %v\n", err)
		return exitFail
	}
	return exitOK
}

func writeNodeFaults(w io.Writer, nodes []chaosNodeState) {
	for _, n := range nodes {
		if n.Error != "" {
			fmt.Fprintf(w, "node %d: %s\n", n.Node, n.Error)
			continue
		}
		fmt.Fprintf(w, "node %d: %s\n", n.Node, n.Faults)
	}
}

func writeChaosJSON(stdout, stderr io.Writer, rep chaosReport) int {
	if err := json.NewEncoder(stdout).Encode(rep); err != nil {
		fmt.Fprintf(stderr, "slonui chaos: %v\n", err)
		return exitFail
	}
	return exitOK
}

// chaosSignal pauses (SIGSTOP) or resumes (SIGCONT) node K's process group,
// found by its pidfile; a pid whose start time no longer matches the one
// recorded is not ours and is left alone.
func chaosSignal(fs *flag.FlagSet, a chaosArgs, topo chaos.Topology, stdout, stderr io.Writer) int {
	k, err := strconv.Atoi(a.arg)
	if err != nil || k < 1 || k > topo.Len() {
		return usageError(fs, stderr, "%s %q: not a node (1..%d)", a.action, a.arg, topo.Len())
	}
	sig, verb := syscall.SIGSTOP, "paused"
	if a.action == "resume" {
		sig, verb = syscall.SIGCONT, "resumed"
	}
	pid, err := signalNode(filepath.Join(a.dir, config.NodeDir(k), "validator.pid"), sig)
	if err != nil {
		fmt.Fprintf(stderr, "slonui chaos: node %d: %s: %v\n", k, a.action, err)
		return exitFail
	}
	if a.asJSON {
		return writeChaosJSON(stdout, stderr, chaosReport{Action: a.action, Plan: fmt.Sprintf("%s node %d", a.action, k),
			Nodes: []chaosNodeState{{Node: k, Pid: pid, Faults: verb}}})
	}
	fmt.Fprintf(stdout, "node %d (pid %d): %s\n", k, pid, verb)
	return exitOK
}

// signalNode reads a pidfile ("pid starttime", see node/pidfile.go) and
// sends sig to the process group the pid leads, or to the pid alone.
func signalNode(pidfile string, sig syscall.Signal) (int, error) {
	b, err := os.ReadFile(pidfile)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, fmt.Errorf("no pidfile %s: is the node running?", pidfile)
		}
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return 0, fmt.Errorf("pidfile %s: want \"pid starttime\", got %q", pidfile, b)
	}
	pid, err1 := strconv.Atoi(f[0])
	start, err2 := strconv.ParseUint(f[1], 10, 64)
	if err1 != nil || err2 != nil || pid <= 0 {
		return 0, fmt.Errorf("pidfile %s: want \"pid starttime\", got %q", pidfile, b)
	}
	got, err := procStartTime(pid)
	if err != nil || got != start {
		return 0, fmt.Errorf("pid %d from %s is not running (or is another process now)", pid, pidfile)
	}
	target := pid
	if pg, err := syscall.Getpgid(pid); err == nil && pg == pid {
		target = -pid
	}
	if err := syscall.Kill(target, sig); err != nil {
		return 0, fmt.Errorf("pid %d: %w", pid, err)
	}
	return pid, nil
}

// procStartTime is field 22 of /proc/PID/stat: the process start time in
// clock ticks since boot, which tells a recycled pid from the original.
func procStartTime(pid int) (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, errors.New("malformed /proc stat")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state); field 22 is f[19].
	if len(f) < 20 {
		return 0, errors.New("short /proc stat")
	}
	return strconv.ParseUint(f[19], 10, 64)
}
