package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"slonui/cluster"
	"slonui/load"
)

// slonui load: drive a cluster with signed transfers at a planned rate and
// report what landed (see load/doc.go).

func init() {
	register(command{name: "load", summary: "send signed transfers at a planned rate and report landed TPS and latency", run: runLoad})
}

const loadSynopsis = "load (--dir DIR | --url URL[,URL…]) [--tps N] [--duration D] [--ramp 100,500,…] [--step 60s] [--cooldown 30s] [--sender rpc|tpu] [--json]"

// loadFlags are the parsed flags of slonui load.
type loadFlags struct {
	dir, urls, ramp, sender  string
	tps, timedRate           float64
	duration, step, cooldown time.Duration
	asJSON                   bool
	accounts, workers, batch int
	finalSample              int
	drain, linger, poll      time.Duration
}

func runLoad(args []string, stdout, stderr io.Writer) int {
	fs := flagSet("load", loadSynopsis)
	var f loadFlags
	def := load.DefaultConfig()
	fs.StringVar(&f.dir, "dir", "", "cluster `DIR` written by slonui init (node RPC URLs from its validator.toml files)")
	fs.StringVar(&f.urls, "url", "", "comma-separated JSON-RPC `URLs` of any Solana-compatible nodes")
	fs.Float64Var(&f.tps, "tps", 100, "constant offered rate, transactions per second")
	fs.DurationVar(&f.duration, "duration", 60*time.Second, "length of a constant-rate run")
	fs.StringVar(&f.ramp, "ramp", "", "step rates, e.g. 100,500,1000,2000,5000,10000 (\"guide\" for those)")
	fs.DurationVar(&f.step, "step", 60*time.Second, "length of each --ramp step")
	fs.DurationVar(&f.cooldown, "cooldown", 30*time.Second, "quiet time between --ramp steps")
	fs.StringVar(&f.sender, "sender", load.SenderRPC, "rpc (sendTransaction) or tpu (UDP to the leaders)")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object with the report")
	fs.IntVar(&f.accounts, "accounts", def.Accounts, "funded accounts that sign the load")
	fs.IntVar(&f.workers, "workers", def.Workers, "concurrent senders")
	fs.IntVar(&f.batch, "batch", def.Batch, "transactions per JSON-RPC batch")
	fs.DurationVar(&f.linger, "linger", def.Linger, "longest wait for more due sends to fill a batch (0: send what is queued)")
	fs.IntVar(&f.finalSample, "finalized-sample", def.FinalizedSample, "follow 1 in `N` landed transactions on to finalized (bounds status polling at high rates)")
	fs.Float64Var(&f.timedRate, "timed-rate", def.TimedRate, "time the latencies of up to `N` transactions a second, a uniform sample (0: every one); the rest are only counted")
	fs.DurationVar(&f.drain, "drain", def.Drain, "how long to keep polling statuses after the last send")
	fs.DurationVar(&f.poll, "poll", def.PollEvery, "how often the timed transactions' statuses are polled (a latency is over-read by at most this plus a poll's time)")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "unexpected argument %q", fs.Arg(0))
	}
	plan, err := loadPlan(f)
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	if (f.dir == "") == (f.urls == "") {
		return usageError(fs, stderr, "give exactly one of --dir and --url")
	}
	cfg := def
	cfg.Sender, cfg.Accounts, cfg.Workers, cfg.Batch, cfg.Drain = f.sender, f.accounts, f.workers, f.batch, f.drain
	cfg.FinalizedSample, cfg.Linger, cfg.TimedRate, cfg.PollEvery = f.finalSample, f.linger, f.timedRate, f.poll
	if cfg.URLs, err = loadURLs(f); err != nil {
		fmt.Fprintf(stderr, "slonui load: %v\n", err)
		return exitFail
	}
	eng, err := load.New(cfg)
	if err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := eng.Start(ctx, plan); err != nil {
		fmt.Fprintf(stderr, "slonui load: %v\n", err)
		return exitFail
	}
	progress(eng, stdout, stderr, f.asJSON)
	rep, _ := eng.Report()
	if f.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "slonui load: %v\n", err)
			return exitFail
		}
	} else {
		writeLoadReport(stdout, rep)
	}
	if rep.Phase == load.PhaseFailed {
		fmt.Fprintf(stderr, "slonui load: %s\n", rep.Error)
		return exitFail
	}
	return exitOK
}

// loadPlan builds the plan the flags ask for.
func loadPlan(f loadFlags) (load.Plan, error) {
	if f.sender != load.SenderRPC && f.sender != load.SenderTPU {
		return load.Plan{}, fmt.Errorf("--sender %q: want rpc or tpu", f.sender)
	}
	var p load.Plan
	switch {
	case f.ramp == "guide":
		p = load.StepsPlan(load.GuideRates, f.step, f.cooldown)
	case f.ramp != "":
		var rates []float64
		for _, s := range strings.Split(f.ramp, ",") {
			r, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return p, fmt.Errorf("--ramp: %q is not a rate", s)
			}
			rates = append(rates, r)
		}
		p = load.StepsPlan(rates, f.step, f.cooldown)
	default:
		p = load.ConstantPlan(f.tps, f.duration)
	}
	return p, p.Validate()
}

// loadURLs are the node URLs from --url or from the cluster in --dir.
func loadURLs(f loadFlags) ([]string, error) {
	if f.urls != "" {
		var out []string
		for _, u := range strings.Split(f.urls, ",") {
			if u = strings.TrimSpace(u); u != "" {
				out = append(out, u)
			}
		}
		return out, nil
	}
	specs, err := cluster.LoadSpecs(f.dir)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.RPCURL
	}
	return out, nil
}

// isTerminal reports whether w is a character device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress follows the run until it ends: a line per finished step, and
// on a terminal a live line rewritten every second. Under --json it
// writes the step lines to stderr.
func progress(eng *load.Engine, stdout, stderr io.Writer, asJSON bool) {
	out, live := stdout, isTerminal(stdout)
	if asJSON {
		out, live = stderr, false
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	lastStep, lastPhase := -1, ""
	printed := map[int]bool{}
	for {
		select {
		case <-eng.Done():
			if live {
				fmt.Fprint(out, "\r\033[K")
			}
			return
		case <-tick.C:
		}
		s := eng.Snapshot()
		if s.Phase != lastPhase && !live {
			fmt.Fprintf(out, "load: %s\n", s.Phase)
		}
		lastPhase = s.Phase
		if s.Step != lastStep && lastStep >= 0 && lastStep < len(s.StepReports) && !printed[lastStep] {
			if live {
				fmt.Fprint(out, "\r\033[K")
			}
			fmt.Fprintln(out, stepLine(s.StepReports[lastStep]))
			printed[lastStep] = true
		}
		lastStep = s.Step
		if live {
			fmt.Fprintf(out, "\r\033[K%s", liveLine(s))
		}
	}
}

func liveLine(s load.Snapshot) string {
	var sent, landed uint64
	if n := len(s.SentTPS); n >= 2 {
		sent, landed = s.SentTPS[n-2], s.LandedTPS[n-2]
	}
	c := s.Latency["confirmed"]
	bar := ""
	if s.Step < 0 && s.Phase == load.PhaseRunning {
		bar = "cool-down "
	}
	if s.Step >= 0 && s.Plan.Step > 0 {
		into := s.Elapsed - s.Plan.StepStart(s.Step)
		done := min(max(int(20*into/s.Plan.Step), 0), 20)
		bar = "[" + strings.Repeat("=", done) + strings.Repeat(" ", 20-done) + "] "
	}
	step := "-"
	if s.Step >= 0 {
		step = strconv.Itoa(s.Step + 1)
	}
	return fmt.Sprintf("%s%s step %s/%d  target %.0f/s  sent %d/s  landed %d/s  dropped %d  confirmed p99 %.0f ms  pending %d",
		bar, s.Phase, step, s.Plan.NumSteps(), s.Rate, sent, landed, s.Dropped, c.P99, s.Pending)
}

func stepLine(r load.StepReport) string {
	c := r.Latency["confirmed"]
	return fmt.Sprintf("step %d: target %.0f/s achieved %.0f/s landed %.0f/s  sent %d landed %d dropped %d expired %d  confirmed p50 %.0f p99 %.0f ms",
		r.Step+1, r.TargetTPS, r.AchievedTPS, r.LandedTPS, r.Sent, r.Landed, r.Dropped, r.Expired, c.P50, c.P99)
}

// writeLoadReport prints the report as tables.
func writeLoadReport(w io.Writer, r load.Report) {
	fmt.Fprintf(w, "plan: %s, sender %s, %d node(s), %d accounts, %s after %.1f s\n",
		r.Plan, r.Sender, len(r.Nodes), r.Accounts, r.Phase, r.Elapsed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\ttarget/s\tachieved/s\tlanded/s\tsent\taccepted\tlanded\tfailed\texpired\tunseen\tdropped\tprocessed p50/p99\tconfirmed p50/p95/p99/max ms\tfinalized p99\t")
	rows := append(append([]load.StepReport(nil), r.Steps...), r.Total)
	for _, s := range rows {
		name := strconv.Itoa(s.Step + 1)
		if s.Step < 0 {
			name = "all"
		}
		var failed uint64
		for _, n := range s.Failed {
			failed += n
		}
		p, c, f := s.Latency["processed"], s.Latency["confirmed"], s.Latency["finalized"]
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.0f/%.0f\t%.0f/%.0f/%.0f/%.0f\t%.0f\t\n",
			name, s.TargetTPS, s.AchievedTPS, s.LandedTPS, s.Sent, s.Accepted, s.Landed, failed, s.Expired, s.Unresolved, s.Dropped,
			p.P50, p.P99, c.P50, c.P95, c.P99, c.Max, f.P99)
	}
	tw.Flush()
	printCounts(w, "failed", r.Total.Failed)
	printCounts(w, "engine errors", r.Errors)
	v := r.Verdict
	fmt.Fprintf(w, "verdict: throughput %s (best landed %.0f/s; target %d, pass > %d), confirmation %s (p99 %.0f ms; target < %s, pass < %s)\n",
		v.Throughput, v.LandedTPS, load.TargetTPS, load.PassTPS, v.Confirmation, v.ConfirmedP99Ms, load.TargetConfirmP99, load.PassConfirmP99)
	if r.Error != "" {
		fmt.Fprintf(w, "error: %s\n", r.Error)
	}
}

func printCounts(w io.Writer, title string, m map[string]uint64) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	fmt.Fprintf(w, "%s: %s\n", title, strings.Join(parts, ", "))
}
