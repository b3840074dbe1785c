package load

import (
	"errors"
	"fmt"
	"time"

	"slonui/rpc"
)

// Sender kinds.
const (
	SenderRPC = "rpc"
	SenderTPU = "tpu"
)

// Config configures an Engine.
type Config struct {
	// URLs are the nodes' JSON-RPC URLs; sends go round-robin over them.
	URLs []string
	// Sender is SenderRPC (sendTransaction) or SenderTPU (UDP to leaders).
	Sender string
	// Accounts is how many funded accounts sign the load.
	Accounts int
	// AccountLamports is what each account is funded with.
	AccountLamports uint64
	// Workers is the number of concurrent senders.
	Workers int
	// Batch is the most transactions one send carries (a JSON-RPC batch).
	Batch int
	// Linger is how long a worker gathering a batch waits for more due
	// sends before it sends what it has (0: only what is already queued).
	// One worker gathers at a time, so at R/s a batch holds about
	// R×Linger transactions (at most Batch) and the node answers R×Linger
	// times fewer requests; each send waits at most Linger more, which
	// shows up in the latencies as it is measured from the intended time.
	Linger time.Duration
	// Queue is the depth of the queue between the scheduler and the
	// senders; an intended send that finds it full is dropped.
	Queue int
	// Signers is the number of goroutines signing ahead of the schedule.
	Signers int
	// BlockhashEvery is how often a fresh blockhash is fetched.
	BlockhashEvery time.Duration
	// PollEvery is how often the timed transactions' statuses are polled,
	// on a fixed schedule: a latency is known to within PollEvery plus the
	// time a poll takes.
	PollEvery time.Duration
	// FinalizedSample follows 1 in FinalizedSample landed transactions on
	// to finalized (the others only to confirmed), which bounds the status
	// polling at high rates; 1 follows every one.
	FinalizedSample int
	// TimedRate is how many sent transactions a second have their
	// latencies measured (polled every PollEvery); the rest are polled once
	// a second only to count them landed or failed. 0 times every one.
	TimedRate float64
	// Drain bounds how long the tracker keeps polling after the last send.
	Drain time.Duration
	// FundTimeout bounds funding (airdrops and splits).
	FundTimeout time.Duration
	// RPC configures the JSON-RPC clients.
	RPC rpc.Config
	// Clock is the engine's time source; nil is the wall clock.
	Clock Clock
}

// DefaultConfig suits a local cluster up to ~10,000 TPS.
func DefaultConfig() Config {
	rc := rpc.DefaultConfig()
	rc.MaxIdleConns = 64
	rc.Timeout = 5 * time.Second
	return Config{
		Sender:          SenderRPC,
		Accounts:        256,
		AccountLamports: 1_000_000_000,
		Workers:         32,
		Batch:           64,
		Linger:          5 * time.Millisecond,
		Queue:           1024,
		Signers:         2,
		BlockhashEvery:  2 * time.Second,
		PollEvery:       50 * time.Millisecond,
		FinalizedSample: 1,
		TimedRate:       500,
		Drain:           45 * time.Second,
		FundTimeout:     60 * time.Second,
		RPC:             rc,
	}
}

// Validate reports every problem of c.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("load: "+format, a...)) }
	if len(c.URLs) == 0 {
		bad("no node URL")
	}
	if c.Sender != SenderRPC && c.Sender != SenderTPU {
		bad("sender must be %q or %q, got %q", SenderRPC, SenderTPU, c.Sender)
	}
	if c.Accounts < 2 {
		bad("accounts must be at least 2, got %d", c.Accounts)
	}
	if c.AccountLamports < 1_000_000 {
		bad("account lamports must be at least 1,000,000, got %d", c.AccountLamports)
	}
	for _, v := range []struct {
		name string
		n    int
	}{{"workers", c.Workers}, {"batch", c.Batch}, {"queue", c.Queue}, {"signers", c.Signers}, {"finalized sample", c.FinalizedSample}} {
		if v.n < 1 {
			bad("%s must be at least 1, got %d", v.name, v.n)
		}
	}
	if c.Batch > 256 {
		bad("batch must be at most 256, got %d", c.Batch)
	}
	for _, v := range []struct {
		name string
		d    time.Duration
	}{{"blockhash interval", c.BlockhashEvery}, {"poll interval", c.PollEvery}, {"fund timeout", c.FundTimeout}} {
		if v.d <= 0 {
			bad("%s must be positive, got %s", v.name, v.d)
		}
	}
	if c.TimedRate < 0 {
		bad("timed rate must not be negative, got %g", c.TimedRate)
	}
	if c.Drain < 0 {
		bad("drain must not be negative, got %s", c.Drain)
	}
	if c.Linger < 0 || c.Linger > time.Second {
		bad("linger must be within 0 and 1s, got %s", c.Linger)
	}
	if err := c.RPC.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
