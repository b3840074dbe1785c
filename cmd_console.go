package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"slonui/cluster"
	"slonui/config"
	"slonui/ui"
)

func init() {
	register(command{
		name:    "console",
		summary: "start a cluster and show it live (the default command)",
		run:     runConsole,
	})
	defaultCommand = "console"
}

// consoleFlags are the console's command line.
type consoleFlags struct {
	nodes     int
	dir       string
	slotMS    int
	addrPlan  string
	addrBase  string
	portBase  int
	readOnly  bool
	headless  bool
	json      bool
	duration  time.Duration
	forceInit bool
	program   string
	slonana   string
}

func runConsole(args []string, stdout, stderr io.Writer) int {
	fs := flagSet("console", "[console] [--nodes N] [--dir DIR] [--slot-ms MS] [--addr-plan loopback|ports] "+
		"[--addr-base IP] [--port-base P] [--read-only] [--headless [--json] [--duration D]] [--force-init] "+
		"[--validator-bin PROGRAM | --slonana PATH]")
	var f consoleFlags
	d := config.DefaultInitOptions()
	fs.IntVar(&f.nodes, "nodes", d.Nodes, "number of validators (1-64); with an existing cluster it must match")
	fs.StringVar(&f.dir, "dir", defaultClusterDir, "cluster directory (initialised when it holds no cluster)")
	fs.IntVar(&f.slotMS, "slot-ms", d.SlotMS, "slot duration in ms (for a new cluster)")
	fs.StringVar(&f.addrPlan, "addr-plan", config.PlanLoopback, "address plan: loopback (127.0.0.i per node) or ports (one address, stepped ports)")
	fs.StringVar(&f.addrBase, "addr-base", config.DefaultAddrBase.String(), "node 1's address (for a new cluster)")
	fs.IntVar(&f.portBase, "port-base", config.DefaultPortBase, "node 1's RPC port (for a new cluster)")
	fs.BoolVar(&f.readOnly, "read-only", false, "turn off the keys that change the cluster (restart, kill, pause, partition, heal, loss/delay, load)")
	fs.BoolVar(&f.headless, "headless", false, "no screen: print one status line per second")
	fs.BoolVar(&f.json, "json", false, "with --headless: print JSON lines")
	fs.DurationVar(&f.duration, "duration", 0, "with --headless: stop after this long (0: until SIGINT/SIGTERM)")
	fs.BoolVar(&f.forceInit, "force-init", false, "replace an existing cluster in DIR with a new one")
	fs.StringVar(&f.program, "validator-bin", "", "run PROGRAM --config FILE for every node instead of the built-in validator")
	fs.StringVar(&f.slonana, "slonana", "", "run this slonana_validator for every node, with flags from its validator.toml")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "unexpected argument %q", fs.Arg(0))
	}
	if (f.json || f.duration != 0) && !f.headless {
		return usageError(fs, stderr, "--json and --duration need --headless")
	}
	if f.program != "" && f.slonana != "" {
		return usageError(fs, stderr, "--validator-bin and --slonana exclude each other")
	}
	if f.duration < 0 {
		return usageError(fs, stderr, "--duration %v: must not be negative", f.duration)
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if err := notSourceDir(f.dir); err != nil {
		fmt.Fprintf(stderr, "slonui: %v\n", err)
		return exitFail
	}
	var log *slog.Logger
	if !f.headless {
		// Nothing may reach stdout/stderr under the screen: log to
		// DIR/console.log from here on.
		if err := os.MkdirAll(f.dir, 0o755); err != nil {
			fmt.Fprintf(stderr, "slonui: %v\n", err)
			return exitFail
		}
		lf, err := os.OpenFile(filepath.Join(f.dir, "console.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "slonui: console log: %v\n", err)
			return exitFail
		}
		defer lf.Close()
		log = slog.New(slog.NewTextHandler(lf, nil))
		slog.SetDefault(log)
	}
	cl, notes, err := prepareCluster(f, set, log)
	if err != nil {
		fmt.Fprintf(stderr, "slonui: %v\n", err)
		return exitFail
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	if f.headless {
		for _, n := range notes {
			fmt.Fprintln(stderr, "slonui:", n)
		}
		return runHeadless(ctx, cl, f, stdout, stderr)
	}
	return runScreen(ctx, cl, f, notes, log, stderr)
}

// prepareCluster initialises DIR when it holds no cluster (or with
// --force-init), loads the node specs and makes the Cluster. It returns
// notes for the user (flags that had no effect, what init wrote).
func prepareCluster(f consoleFlags, set map[string]bool, log *slog.Logger) (*cluster.Cluster, []string, error) {
	var notes []string
	count, err := cluster.CountNodes(f.dir)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case count == 0 || f.forceInit:
		o := config.DefaultInitOptions()
		o.Dir, o.Nodes, o.SlotMS, o.AddrPlan, o.PortBase, o.Force = f.dir, f.nodes, f.slotMS, f.addrPlan, f.portBase, f.forceInit
		if o.AddrBase, err = netip.ParseAddr(f.addrBase); err != nil {
			return nil, nil, fmt.Errorf("--addr-base %q: %w", f.addrBase, err)
		}
		res, err := config.InitCluster(o)
		if err != nil {
			return nil, nil, err
		}
		notes = append(notes, fmt.Sprintf("initialised a %d-node cluster in %s", len(res.Nodes), res.Dir))
	case set["nodes"] && f.nodes != count:
		return nil, nil, fmt.Errorf("cluster %s has %d nodes but --nodes is %d: use --nodes %d, another --dir, or --force-init to replace it",
			f.dir, count, f.nodes, count)
	default:
		for _, name := range []string{"slot-ms", "addr-plan", "addr-base", "port-base"} {
			if set[name] {
				notes = append(notes, fmt.Sprintf("--%s ignored: %s already holds a cluster (--force-init replaces it)", name, f.dir))
			}
		}
	}
	specs, err := cluster.LoadSpecs(f.dir)
	if err != nil {
		return nil, nil, err
	}
	cfg := cluster.DefaultConfig()
	cfg.Dir, cfg.Nodes = f.dir, specs
	cfg.Logger = log // under the screen, events are also kept in console.log
	switch {
	case f.program != "":
		cfg.Program = f.program
		cfg.Args = func(spec cluster.NodeSpec) []string { return []string{"--config", spec.ConfigPath} }
	case f.slonana != "":
		cfg.Program = f.slonana
		cfg.Args = func(spec cluster.NodeSpec) []string { return cluster.SlonanaArgs(spec, specs) }
		cfg.EnvDrop = cluster.SlonanaEnvDrop
	}
	cl, err := cluster.New(cfg)
	return cl, notes, err
}

// notSourceDir refuses a directory holding Go sources: run from slonui's
// own tree, ./cluster is the cluster package, not a cluster.
func notSourceDir(dir string) error {
	if src, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(src) > 0 {
		return fmt.Errorf("%s holds Go source files (%s): not a cluster directory; pick one with --dir", dir, filepath.Base(src[0]))
	}
	return nil
}

// runScreen runs the TUI until the user quits or SIGINT/SIGTERM/SIGHUP
// arrives, then stops every node. While it runs, nothing is written to
// stdout or stderr: the console logs with log/slog to DIR/console.log.
func runScreen(ctx context.Context, cl *cluster.Cluster, f consoleFlags, notes []string, log *slog.Logger, stderr io.Writer) int {
	for _, n := range notes {
		log.Info(n)
	}
	if err := cl.Start(ctx); err != nil {
		log.Error("start", "err", err)
		fmt.Fprintf(stderr, "slonui: %v\n", err)
		return exitFail
	}
	log.Info("cluster started", "dir", f.dir, "nodes", len(cl.Nodes()))
	opts := ui.DefaultOptions()
	opts.ReadOnly = f.readOnly
	runErr := ui.Run(ctx, cl, opts)
	if ctx.Err() != nil {
		runErr = nil // a signal ended the screen: stop the nodes and exit 0
	}
	grace := 30 * time.Second
	if errors.Is(runErr, ui.ErrForced) {
		grace = time.Second // the user asked not to wait: TERM, then KILL at once
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	stopErr := cl.StopAll(stopCtx)
	log.Info("console ended", "ui", fmt.Sprint(runErr), "stop", fmt.Sprint(stopErr))
	if runErr != nil && !errors.Is(runErr, ui.ErrForced) {
		fmt.Fprintf(stderr, "slonui: %v\n", runErr)
		return exitFail
	}
	if stopErr != nil && !errors.Is(runErr, ui.ErrForced) {
		fmt.Fprintf(stderr, "slonui: %v\n", stopErr)
		return exitFail
	}
	return exitOK
}

// runHeadless runs the cluster without a screen: one status line per
// second on stdout (JSON lines with --json), events on stderr, until
// SIGINT/SIGTERM or --duration; then it stops every node.
func runHeadless(ctx context.Context, cl *cluster.Cluster, f consoleFlags, stdout, stderr io.Writer) int {
	if err := cl.Start(ctx); err != nil {
		fmt.Fprintf(stderr, "slonui: %v\n", err)
		return exitFail
	}
	eventsDone := make(chan struct{})
	go func() {
		defer close(eventsDone)
		for e := range cl.Events() {
			fmt.Fprintln(stderr, eventText(e))
		}
	}()
	var end <-chan time.Time
	if f.duration > 0 {
		t := time.NewTimer(f.duration)
		defer t.Stop()
		end = t.C
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	enc := json.NewEncoder(stdout)
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-end:
			break loop
		case <-tick.C:
			snap := cl.Snapshot()
			if f.json {
				enc.Encode(statusOf(snap, stateText))
			} else {
				fmt.Fprintln(stdout, statusText(snap))
			}
		}
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := cl.StopAll(stopCtx)
	<-eventsDone
	if err != nil {
		fmt.Fprintf(stderr, "slonui: %v\n", err)
		return exitFail
	}
	return exitOK
}

// statusText is one headless status line.
func statusText(s cluster.Snapshot) string {
	p, c, fin := s.Highest()
	var b strings.Builder
	fmt.Fprintf(&b, "%s up %d/%d slot %d conf %d fin %d tps %.1f forks %d |",
		s.Now.UTC().Format("15:04:05"), s.Up(), len(s.Nodes), p, c, fin, s.TPS, s.Forks)
	for _, n := range s.Nodes {
		lead := ""
		if n.Leader {
			lead = "*"
		}
		fmt.Fprintf(&b, " %d:%s%s slot=%d peers=%d", n.ID, stateText(n), lead, n.Slot, n.Peers)
	}
	return b.String()
}

// eventText is one event line of the headless console.
func eventText(e cluster.Event) string {
	what := map[cluster.EventKind]string{
		cluster.EventNodeStarted: "started", cluster.EventNodeExited: "exited",
		cluster.EventNodeRestarted: "restarted", cluster.EventNodeStopped: "stopped",
		cluster.EventStopProgress: "stopping", cluster.EventClusterStopped: "cluster stopped",
		cluster.EventError: "error",
	}[e.Kind]
	if e.Node > 0 {
		return fmt.Sprintf("slonui: node %d %s: %s", e.Node, what, e.Detail)
	}
	return fmt.Sprintf("slonui: %s: %s", what, e.Detail)
}
