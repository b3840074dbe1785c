package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"slonui/validator/sim"
)

func init() {
	register(command{name: "sim", summary: "simulate a devnet cluster deterministically (forks, partitions, convergence)", run: runSim})
}

const simSynopsis = "sim --nodes N --slots S --seed X [--slot-ms 400] [--stakes 1,1,2,...] [--partition '1-7|8-10@40-200'] [--loss 0.05] [--txs-per-slot K] [--kill 'K@from-to'] [--json]"

func runSim(args []string, stdout, stderr io.Writer) int {
	fs := flagSet("sim", simSynopsis)
	nodes := fs.Int("nodes", 0, "number of validators (required)")
	slots := fs.Uint64("slots", 0, "slots to simulate (required)")
	seed := fs.Uint64("seed", 0, "seed of keys, network delays and loss (required)")
	slotMs := fs.Int64("slot-ms", 400, "slot duration in virtual milliseconds")
	stakes := fs.String("stakes", "", "stake per node, comma separated (default: equal)")
	partition := fs.String("partition", "", "groups of nodes cut from each other, e.g. '1-7|8-10@40-200' (from slot 40, heal at 200)")
	loss := fs.Float64("loss", 0, "probability that any message is dropped")
	txs := fs.Int("txs-per-slot", 0, "synthetic transfers submitted per slot")
	kill := fs.String("kill", "", "stop node K at slot 'from' and restart it from its tower at 'to', e.g. '3@50-120'")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the timeline")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range []string{"nodes", "slots", "seed"} {
		if !set[name] {
			return usageError(fs, stderr, "--%s is required", name)
		}
	}
	cfg := sim.DefaultConfig()
	cfg.Nodes, cfg.Slots, cfg.Seed, cfg.SlotMs, cfg.Loss, cfg.TxsPerSlot = *nodes, *slots, *seed, *slotMs, *loss, *txs
	var err error
	if *stakes != "" {
		if cfg.Stakes, err = sim.ParseStakes(*stakes); err != nil {
			return usageError(fs, stderr, "%v", err)
		}
	}
	if *partition != "" {
		if cfg.Partition, err = sim.ParsePartition(*partition); err != nil {
			return usageError(fs, stderr, "%v", err)
		}
	}
	if *kill != "" {
		if cfg.Kill, err = sim.ParseKill(*kill); err != nil {
			return usageError(fs, stderr, "%v", err)
		}
	}
	if err := cfg.Validate(); err != nil {
		return usageError(fs, stderr, "%s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	s, err := sim.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "slonui sim: %v\n", err)
		return exitFail
	}
	start := time.Now()
	res := s.Run()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "slonui sim: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	printSim(stdout, cfg, res, time.Since(start))
	return exitOK
}

func printSim(w io.Writer, cfg sim.Config, r sim.Result, took time.Duration) {
	fmt.Fprintf(w, "slonui sim: %d nodes, %d slots of %d ms, seed %d\n\ntimeline\n", cfg.Nodes, cfg.Slots, cfg.SlotMs, r.Seed)
	for _, e := range r.Timeline {
		fmt.Fprintf(w, "  slot %5d  %s\n", e.Slot, e.Text)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "node\tidentity\tstake\tprocessed\tconfirmed\troot\tfinalized\troot hash\tvotes\tblocks\t")
	for _, n := range r.Nodes {
		hash := n.RootHash
		if len(hash) > 8 {
			hash = hash[:8]
		}
		id := n.Pubkey
		if len(id) > 8 {
			id = id[:4] + "…" + id[len(id)-4:]
		}
		mark := ""
		if n.Restarted {
			mark = " (restarted)"
		}
		fmt.Fprintf(tw, "%d%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%d\t\n", n.ID, mark, id, n.Stake, n.Processed, n.Confirmed, n.Root, n.Finalized, hash, n.VotesCast, n.BlocksProduced)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintf(w, "max forks       %d\n", r.MaxForks)
	if p := r.Partition; p != nil {
		for i, side := range p.Sides {
			fmt.Fprintf(w, "side %d          nodes %v, %.1f%% stake, confirmed advanced %d slots while cut off\n", i+1, side.Nodes, 100*side.StakeFraction, side.ConfirmedAdvanced)
		}
	}
	fmt.Fprintf(w, "converged       %v\n", r.Converged)
	if r.ConvergedAfterHealMs != nil {
		fmt.Fprintf(w, "after heal      %d ms (virtual)\n", *r.ConvergedAfterHealMs)
	}
	if r.RootedAfterHealMs != nil {
		fmt.Fprintf(w, "rooted again    every node %d ms after heal (virtual)\n", *r.RootedAfterHealMs)
	}
	if r.NewRootsAfterHeal != nil {
		fmt.Fprintf(w, "new roots       %d after heal (fewest on any node)\n", *r.NewRootsAfterHeal)
	}
	if cfg.TxsPerSlot > 0 {
		fmt.Fprintf(w, "transactions    %d submitted, %d landed\n", r.TransactionsSubmitted, r.TransactionsLanded)
	}
	fmt.Fprintf(w, "messages        %d sent, %d dropped\n", r.MessagesSent, r.MessagesDropped)
	fmt.Fprintf(w, "transcript      %s\n", r.TranscriptHash)
	fmt.Fprintf(w, "wall time       %s\n", took.Round(time.Millisecond))
}
