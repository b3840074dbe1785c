package validator

import (
	"context"
	"fmt"
	"os"
	"os/signal"
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
	if err := Run(ctx, Options{ConfigPath: path, Stdout: os.Stdout}); err != nil {
		fmt.Fprintf(os.Stderr, "slonui validator: %v\n", err)
		return 1
	}
	return 0
}
