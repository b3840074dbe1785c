package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"text/tabwriter"
	"time"

	"slonui/config"
)

// slonui init: write a cluster directory (genesis, faucet, admin token and
// per-node keys, configs and ledgers), the guide's setup script in one command.

func init() {
	register(command{name: "init", summary: "write a local cluster: genesis, keys and per-node validator.toml", run: runInit})
}

const initSynopsis = `init --nodes N --dir DIR [--slot-ms MS] [--slots-per-epoch N] [--addr-plan loopback|ports]
                   [--addr-base IP] [--port-base P] [--seed S] [--creation-time T] [--force]

Address plans: loopback (default) puts node i on its own address, addr-base+(i-1)
(127.0.0.1, 127.0.0.2, ...) with Solana's standard ports: RPC 8899, pubsub 8900,
gossip 8001, TPU 8003, TVU 8004, repair 8005, admin 8006; a port base other than
8899 shifts them all. ports puts every node on addr-base: node i's RPC is
port-base+2(i-1), pubsub RPC+1, and gossip/TPU/TVU/repair/admin are
port-base+1101+10(i-1)+0..4 (10000.. by default).
With --seed every key and the admin token derive from S; with --creation-time too,
the same flags give byte-identical files.

flags:`

func runInit(args []string, stdout, stderr io.Writer) int {
	def := config.DefaultInitOptions()
	fs := flagSet("init", initSynopsis)
	nodes := fs.Int("nodes", def.Nodes, "number of validators, 1 to 64")
	dir := fs.String("dir", defaultClusterDir, "cluster `directory`")
	slotMS := fs.Int("slot-ms", def.SlotMS, "slot duration in `ms`")
	spe := fs.Int("slots-per-epoch", def.SlotsPerEpoch, "slots per epoch (at least 32)")
	plan := fs.String("addr-plan", def.AddrPlan, "address plan: loopback or ports")
	base := fs.String("addr-base", def.AddrBase.String(), "node 1's `IP` (in 127.0.0.0/8)")
	portBase := fs.Int("port-base", def.PortBase, "node 1's RPC `port`")
	seed := fs.String("seed", "", "derive every key from this `string` (deterministic files)")
	created := fs.String("creation-time", "", "genesis creation `time`, RFC3339 (default now)")
	force := fs.Bool("force", false, "replace an existing cluster in DIR")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "unexpected argument %q", fs.Arg(0))
	}
	o := def
	o.Dir, o.Nodes, o.SlotMS, o.SlotsPerEpoch = *dir, *nodes, *slotMS, *spe
	o.AddrPlan, o.PortBase, o.Seed, o.Force = *plan, *portBase, *seed, *force
	ip, err := netip.ParseAddr(*base)
	if err != nil {
		return usageError(fs, stderr, "--addr-base %q is not an IP address", *base)
	}
	o.AddrBase = ip
	if *created != "" {
		t, err := time.Parse(time.RFC3339Nano, *created)
		if err != nil {
			return usageError(fs, stderr, "--creation-time %q is not RFC3339 (e.g. 2026-01-02T15:04:05.000Z)", *created)
		}
		o.CreationTime = t
	}
	if err := o.Validate(); err != nil {
		return usageError(fs, stderr, "%v", oneLine(err))
	}
	res, err := config.InitCluster(o)
	if err != nil {
		if errors.Is(err, config.ErrClusterExists) {
			fmt.Fprintf(stderr, "slonui init: %s already holds a cluster; use --force to replace it\n", o.Dir)
			return exitFail
		}
		fmt.Fprintf(stderr, "slonui init: %v\n", err)
		return exitFail
	}
	printInitResult(stdout, res, o.AddrPlan)
	return exitOK
}

// oneLine joins the lines of a joined error with "; ".
func oneLine(err error) string {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		s := ""
		for i, e := range j.Unwrap() {
			if i > 0 {
				s += "; "
			}
			s += e.Error()
		}
		return s
	}
	return err.Error()
}

func printInitResult(w io.Writer, res config.InitResult, plan string) {
	g := res.Genesis
	fmt.Fprintf(w, "Wrote a %d-node cluster to %s (address plan %s, shred version %d)\n\n",
		len(res.Nodes), res.Dir, plan, g.ShredVersion)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tIDENTITY\tRPC URL\tGOSSIP")
	for _, n := range res.Nodes {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", n.ID, n.Identity, n.Addrs.RPCURL(), n.Addrs.Gossip)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintf(w, "genesis      %s (created %s, %d ms slots, %d slots per epoch, hash %s)\n",
		res.GenesisPath, g.CreationTime.Format(config.CreationTimeLayout), g.SlotMS, g.SlotsPerEpoch, g.Hash())
	fmt.Fprintf(w, "faucet       %s (%s, %d SOL)\n", res.FaucetKeypairPath, res.Faucet, g.Faucet.Lamports/config.LamportsPerSOL)
	fmt.Fprintf(w, "admin token  %s\n", res.AdminTokenPath)
	fmt.Fprintf(w, "node N       %s (config), %s (identity), %s/ (ledger)\n",
		filepath.Join(res.Dir, "nodeN", "config", "validator.toml"),
		filepath.Join(res.Dir, "nodeN", "config", "validator-keypair.json"),
		filepath.Join(res.Dir, "nodeN", "ledger"))
}
