package main

import (
	"bytes"
	"context"
	"errors"
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

func runScenario(args []string, stdout, stderr io.Writer) int {
	fs := flagSet("scenario", scenarioSynopsis)
	nodes := fs.Int("nodes", 0, "number of validators (default: the scenario's start step, else 5)")
	slotMS := fs.Int("slot-ms", 0, "slot duration in ms (default: the scenario's start step, else 400)")
	dir := fs.String("dir", "", "cluster directory, empty or missing (default: a new temporary directory)")
	addrBase := fs.String("addr-base", config.DefaultAddrBase.String(), "node 1's address")
	portBase := fs.Int("port-base", config.DefaultPortBase, "node 1's RPC port")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	reportFile := fs.String("report", "", "also write the report to this file")
	keep := fs.Bool("keep", false, "keep the temporary cluster directory after a passing run")
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
	default:
		return usageError(fs, stderr, "unknown action %q (run, list or show)", pos[0])
	}
	if len(pos) != 2 {
		return usageError(fs, stderr, "run: want one FILE or built-in NAME")
	}
	sc, err := scenario.Load(pos[1])
	if err != nil {
		fmt.Fprintf(stderr, "slonui scenario: %v\n", err)
		if errors.Is(err, scenario.ErrDecode) || errors.Is(err, scenario.ErrUnknown) {
			return exitUsage
		}
		return exitFail
	}
	cfg := scenario.DefaultConfig()
	cfg.Nodes, cfg.SlotMS, cfg.PortBase, cfg.Progress = *nodes, *slotMS, *portBase, stderr
	if cfg.AddrBase, err = netip.ParseAddr(*addrBase); err != nil {
		return usageError(fs, stderr, "--addr-base %q: %v", *addrBase, err)
	}
	cfg.Dir = *dir
	if cfg.Dir == "" {
		cfg.Dir = os.TempDir() // checked here, replaced by a new directory below
	}
	if err := cfg.Validate(); err != nil {
		return usageError(fs, stderr, "%v", err)
	}
	temp := *dir == ""
	if temp {
		if cfg.Dir, err = os.MkdirTemp("", "slonui-scenario-"); err != nil {
			fmt.Fprintf(stderr, "slonui scenario: %v\n", err)
			return exitFail
		}
	} else {
		if err := notSourceDir(*dir); err != nil {
			fmt.Fprintf(stderr, "slonui scenario: %v\n", err)
			return exitFail
		}
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
	if ctx.Err() != nil && rep.Pass {
		rep.Pass, rep.Failure = false, "interrupted"
	}
	var out bytes.Buffer
	if *asJSON {
		err = rep.WriteJSON(&out)
	} else {
		err = rep.WriteText(&out)
	}
	if err == nil {
		_, err = stdout.Write(out.Bytes())
	}
	if err == nil && *reportFile != "" {
		err = os.WriteFile(*reportFile, out.Bytes(), 0o644)
	}
	if err != nil {
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
	if temp && !*keep {
		os.RemoveAll(cfg.Dir)
	}
	return exitOK
}
