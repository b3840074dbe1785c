package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"slonui/cluster"
)

func init() {
	register(command{
		name:    "status",
		summary: "print the node table of a running cluster once",
		run:     runStatus,
	})
}

func runStatus(args []string, stdout, stderr io.Writer) int {
	fs := flagSet("status", "status [--dir DIR] [--json] [--timeout D]")
	dir := fs.String("dir", defaultClusterDir, "cluster directory")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	timeout := fs.Duration("timeout", 2*time.Second, "how long to wait for each node's answer")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "unexpected argument %q", fs.Arg(0))
	}
	if *timeout <= 0 {
		return usageError(fs, stderr, "--timeout %v: must be positive", *timeout)
	}
	specs, err := cluster.LoadSpecs(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "slonui status: %v\n", err)
		return exitFail
	}
	snap := cluster.PollOnce(context.Background(), *dir, specs, *timeout)
	if *asJSON {
		if err := json.NewEncoder(stdout).Encode(statusOf(snap, pollState)); err != nil {
			fmt.Fprintf(stderr, "slonui status: %v\n", err)
			return exitFail
		}
	} else {
		writeTable(stdout, snap, pollState)
	}
	for _, n := range snap.Nodes {
		if n.State != cluster.NodeRunning {
			return exitFail
		}
	}
	return exitOK
}

// statusLine is the JSON form of a Snapshot printed by `slonui --headless
// --json` (one per line) and `slonui status --json`.
type statusLine struct {
	T     string       `json:"t"` // RFC 3339 time of the snapshot, milliseconds, UTC
	Nodes []statusNode `json:"nodes"`
	Forks int          `json:"forks"`
}

type statusNode struct {
	ID        int    `json:"id"`
	State     string `json:"state"`
	Slot      uint64 `json:"slot"`
	Confirmed uint64 `json:"confirmed"`
	Root      uint64 `json:"root"`
	Txs       uint64 `json:"txs"`
	Peers     int    `json:"peers"`
	LastVote  uint64 `json:"last_vote"`
	Leader    bool   `json:"leader"`
}

func statusOf(s cluster.Snapshot, state func(cluster.NodeSnapshot) string) statusLine {
	out := statusLine{T: s.Now.UTC().Format("2006-01-02T15:04:05.000Z07:00"), Forks: s.Forks, Nodes: []statusNode{}}
	for _, n := range s.Nodes {
		out.Nodes = append(out.Nodes, statusNode{
			ID: n.ID, State: state(n), Slot: n.Slot, Confirmed: n.Confirmed, Root: n.Root,
			Txs: n.Txs, Peers: n.Peers, LastVote: n.LastVote, Leader: n.Leader,
		})
	}
	return out
}

// stateText is a node's state as the table and the JSON lines show it.
func stateText(n cluster.NodeSnapshot) string {
	switch n.State {
	case cluster.NodeExited:
		if n.Signal != "" {
			return "exited(" + n.Signal + ")"
		}
		return fmt.Sprintf("exited(%d)", n.ExitCode)
	}
	return n.State.String()
}

// pollState is a node's state as one poll of a cluster run elsewhere sees
// it: running (answered), no answer (its pidfile names a live process) or
// down (no live process).
func pollState(n cluster.NodeSnapshot) string {
	switch n.State {
	case cluster.NodeRunning:
		return "running"
	case cluster.NodeStarting:
		return fmt.Sprintf("no answer (pid %d)", n.Pid)
	}
	return "down"
}

// writeTable prints the node table of s.
func writeTable(w io.Writer, s cluster.Snapshot, state func(cluster.NodeSnapshot) string) {
	p, c, f := s.Highest()
	fmt.Fprintf(w, "cluster %s: %d/%d up, slot %d, confirmed %d, finalized %d, %.1f tps, forks %d\n",
		s.Dir, s.Up(), len(s.Nodes), p, c, f, s.TPS, s.Forks)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tSTATE\tIDENTITY\tSLOT\tCONFIRMED\tROOT\tTXS\tPEERS\tLAST VOTE\tLEADER\tRPC\tLATENCY\tERROR")
	for _, n := range s.Nodes {
		leader := ""
		if n.Leader {
			leader = "●"
		}
		latency := "-"
		if n.RPCLatency > 0 {
			latency = n.RPCLatency.Round(100 * time.Microsecond).String()
		}
		ident := n.Identity
		if len(ident) > 8 {
			ident = ident[:8] + "…"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n",
			n.ID, state(n), ident, n.Slot, n.Confirmed, n.Root, n.Txs, n.Peers, n.LastVote, leader, n.RPCURL, latency, shorten(n.PollErr, 60))
	}
	tw.Flush()
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
