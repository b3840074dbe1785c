package main

import (
	"context"
	"fmt"
	"io"

	"os/signal"
	"syscall"
	"time"

	"slonui/validator"
)

// slonui validator --config FILE: the built-in devnet validator, one node
// per process (see validator/doc.go and DEVNET.md).

func init() {
	register(command{name: "validator", summary: "run a built-in devnet validator node", run: runValidator})
}

// validatorStopGrace bounds the stop after SIGTERM/SIGINT: a node that has
// not shut down by then exits anyway.
const validatorStopGrace = 1800 * time.Millisecond

func runValidator(args []string, stdout, stderr io.Writer) int {
	fs := flagSet("validator", "validator --config FILE [--ledger DIR] [--log-level L]")
	cfg := fs.String("config", "", "the node's validator.toml (`FILE`, required)")
	ledger := fs.String("ledger", "", "ledger `DIR` (overrides [validator] ledger_path)")
	level := fs.String("log-level", "", "debug, info, warn or error (overrides [devnet] log_level)")
	if code := parseFlags(fs, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "unexpected argument %q", fs.Arg(0))
	}
	if *cfg == "" {
		return usageError(fs, stderr, "--config FILE is required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	done := make(chan error, 1)
	go func() {
		done <- validator.Run(ctx, validator.Options{ConfigPath: *cfg, LedgerDir: *ledger, LogLevel: *level, Stdout: stdout})
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		select {
		case err = <-done:
		case <-time.After(validatorStopGrace):
			fmt.Fprintln(stderr, "slonui validator: shutdown took too long; exiting")
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "slonui validator: %v\n", err)
		return exitFail
	}
	return exitOK
}
