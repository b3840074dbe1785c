package validator

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"testing"
)

// envConfig switches the test binary into a validator process: process
// tests re-exec it with the node's config, so every node is a real OS
// process with its own sockets, as `slonui validator` runs it.
const envConfig = "SLONUI_TEST_VALIDATOR_CONFIG"

func TestMain(m *testing.M) {
	if path := os.Getenv(envConfig); path != "" {
		os.Exit(childMain(path))
	}
	os.Exit(m.Run())
}

func childMain(path string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	// SLONUI_TEST_CPUPROFILE=DIR writes each node's CPU profile to
	// DIR/cpu-PID.pprof for the process benchmarks.
	if dir := os.Getenv("SLONUI_TEST_CPUPROFILE"); dir != "" {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	if err := Run(ctx, Options{ConfigPath: path, Stdout: os.Stdout}); err != nil {
		fmt.Fprintf(os.Stderr, "slonui validator: %v\n", err)
		return 1
	}
	return 0
}
