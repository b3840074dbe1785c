// Package e2e holds the console's end-to-end tests (build tag e2e): the
// built slonui binary runs in a private tmux server per test (tmux -S
// SOCKET -f /dev/null, 160x48) with built-in validators, and the tests read
// the screen with capture-pane, type with send-keys, and check the
// processes through the cluster's pidfiles. TestForksDuringPartition runs
// the headless console instead and partitions the nodes through their
// admin API. TestPartitionForkViewJourney drives the console's own chaos
// keys on 5 nodes: p isolates node 5 from the picker (80% vs 20% previewed),
// the table and fork view show the split, h heals until the fork view is
// one chain with the stopwatch stopped, and c shows fork resolution passing.
// BenchmarkConsoleVsTmux10Nodes compares the console's CPU with tmux showing
// the same 10 validators (E2E_BENCH_SECONDS, default 60). They never sleep a
// fixed time:
// every wait polls the screen or the process table with a timeout and
// prints the last screen when it fails.
//
// Run them with
//
//	go test -tags e2e -count=1 ./e2e/
//
// TestMain builds the binary once into a temporary directory. While the
// binary has no `validator` subcommand the tests skip and say so.
// E2E_VALIDATOR_BIN=PROGRAM runs PROGRAM --config FILE for every node
// instead (it is passed as --validator-bin); that checks the harness and the
// console only, never the built-in validator, and the tests log it.
package e2e
