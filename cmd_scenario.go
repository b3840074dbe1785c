package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"syscall"

	"slonui/config"
	"slonui/scenario"
)

func init() {
	register(command{
		name:    "scenario",
		summary: "run a scripted scenario headless and judge it (run, list, show)",
		run:     runScenario,
	})
}

const scenarioSynopsis = `scenario (run FILE|NAME [flags] | list | show NAME)

  run FILE|NAME   start a fresh cluster, run the steps, judge the checks,
                  stop every node; exit 0 when every check passes, 1 when
                  one fails, 2 on a bad file
  list            the built-in scenarios
  show NAME       print a built-in's TOML (a starting point for your own)

flags of run:`

// scenarioFlags are the flags of `slonui scenario run`.
type scenarioFlags struct {
	nodes, slotMS, portBase int
	dir, addrBase, report   string
	json, keep              bool
}

func runScenario(args []string, stdout, stderr io.Writer) int {
	fs := flagSet("scenario", scenarioSynopsis)
	var f scenarioFlags
	fs.IntVar(&f.nodes, "nodes", 0, "number of validators (default: the scenario's start step, else 5)")
	fs.IntVar(&f.slotMS, "slot-ms", 0, "slot duration in ms (default: the scenario's start step, else 400)")
	fs.StringVar(&f.dir, "dir", "", "cluster directory, empty or missing (default: a new temporary directory)")
	fs.StringVar(&f.addrBase, "addr-base", config.DefaultAddrBase.String(), "node 1's address")
	fs.IntVar(&f.portBase, "port-base", config.DefaultPortBase, "node 1's RPC port")
	fs.BoolVar(&f.json, "json", false, "print the report as one JSON object")
	fs.StringVar(&f.report, "report", "", "also write the report to this file")
	fs.BoolVar(&f.keep, "keep", false, "keep the temporary cluster directory after a passing run")
	pos, code := parseInterleaved(fs, args, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(pos) == 0 {
		return usageError(fs, stderr, "no action given (run, list or show)")
	}
	switch pos[0] {
	case "list":
		if len(pos) > 1 {
			return usageError(fs, stderr, "list: unexpected argument %q", pos[1])
		}
		for _, b := range scenario.Builtins() {
			fmt.Fprintf(stdout, "%-18s %s\n", b.Name, b.Description)
		}
		return exitOK
	case "show":
		if len(pos) != 2 {
			return usageError(fs, stderr, "show: want one built-in name")
		}
		src, ok := scenario.BuiltinSource(pos[1])
		if !ok {
			fmt.Fprintf(stderr, "slonui scenario: no built-in %q (see slonui scenario list)\n", pos[1])
			return exitUsage
		}
		stdout.Write(src)
		return exitOK
	case "run":
		if len(pos) != 2 {
			return usageError(fs, stderr, "run: want one FILE or built-in NAME")
		}
		return scenarioRun(fs, pos[1], f, stdout, stderr)
	}
	return usageError(fs, stderr, "unknown action %q (run, list or show)", pos[0])
}

// scenarioRun loads FILE|NAME, runs it in a fresh cluster and prints the
// report: exit 0 when it passed, 1 when a step or check failed, 2 on a bad
// file or flag.
func scenarioRun(fs *flag.FlagSet, arg string, f scenarioFlags, stdout, stderr io.Writer) int {
	sc, err := scenario.Load(arg)
	if err != nil {
		fmt.Fprintf(stderr, "slonui scenario: %v\n", err)
		if errors.Is(err, scenario.ErrDecode) || errors.Is(err, scenario.ErrUnknown) {
			return exitUsage
		}
		return exitFail
	}
	cfg := scenario.DefaultConfig()
	cfg.Nodes, cfg.SlotMS, cfg.PortBase, cfg.Progress, cfg.Dir = f.nodes, f.slotMS, f.portBase, stderr, f.dir
	if cfg.AddrBase, err = netip.ParseAddr(f.addrBase); err != nil {
		return usageError(fs, stderr, "--addr-base %q: %v", f.addrBase, err)
	}
	temp := f.dir == ""
	if temp {
		cfg.Dir = os.TempDir() // checked here, replaced by a new directory below
	}
	if err := cfg.Validate(); err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	if temp {
		cfg.Dir, err = os.MkdirTemp("", "slonui-scenario-")
	} else {
		err = notSourceDir(f.dir)
	}
	if err != nil {
		fmt.Fprintf(stderr, "slonui scenario: %v\n", err)
		return exitFail
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	rep, err := scenario.Run(ctx, sc, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "slonui scenario: %v\n", err)
		if temp {
			os.RemoveAll(cfg.Dir)
		}
		if errors.Is(err, scenario.ErrDecode) {
			return exitUsage
		}
		return exitFail
	}
	if err := writeScenarioReport(rep, f, stdout); err != nil {
		fmt.Fprintf(stderr, "slonui scenario: report: %v\n", err)
		return exitFail
	}
	if !rep.Pass {
		fmt.Fprintf(stderr, "slonui scenario: %s failed: %s\n", sc.Name, rep.Failure)
		if temp {
			fmt.Fprintf(stderr, "slonui scenario: logs kept in %s\n", cfg.Dir)
		}
		return exitFail
	}
	if temp && !f.keep {
		os.RemoveAll(cfg.Dir)
	}
	return exitOK
}

// writeScenarioReport prints the report (text, or JSON with --json) and
// writes the same bytes to --report FILE.
func writeScenarioReport(rep *scenario.Report, f scenarioFlags, stdout io.Writer) error {
	var out bytes.Buffer
	var err error
	if f.json {
		err = rep.WriteJSON(&out)
	} else {
		err = rep.WriteText(&out)
	}
	if err == nil {
		_, err = stdout.Write(out.Bytes())
	}
	if err == nil && f.report != "" {
		err = os.WriteFile(f.report, out.Bytes(), 0o644)
	}
	return err
}
