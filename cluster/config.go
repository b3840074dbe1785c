package cluster

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// Endpoint is one address:port a node binds. Network is "tcp" or "udp";
// Name says what it is for ("rpc", "pubsub", "gossip", "tpu" …) so a clash
// can name it.
type Endpoint struct {
	Name    string
	Network string
	Addr    string // host:port
}

// NodeSpec is one node of the cluster as the console runs it.
type NodeSpec struct {
	ID         int    // 1-based node number
	Dir        string // the node's directory, e.g. DIR/node2
	ConfigPath string // DIR/nodeI/config/validator.toml
	Identity   string // base58 identity pubkey, "" if unknown (then asked over RPC)
	RPCURL     string // http://host:port
	Gossip     string // gossip host:port
	// IdentityPath and LedgerPath are the node's keypair file and ledger
	// directory (for programs that take them as flags, see SlonanaArgs).
	IdentityPath string
	LedgerPath   string
	Listen       []Endpoint
	// Command, when set, is the program and arguments to run instead of
	// Config.Program + ["validator", "--config", ConfigPath].
	Command []string
}

// Config describes a cluster to supervise.
type Config struct {
	Dir   string // cluster directory
	Nodes []NodeSpec
	// Program is the executable started for every node. Empty means the
	// running binary (os.Executable), started as "<self> validator --config
	// FILE"; Args below replaces the arguments.
	Program string
	// Args, when set, gives the arguments for node spec instead of
	// ["validator", "--config", spec.ConfigPath] (e.g. for slonana_validator).
	Args func(spec NodeSpec) []string
	Env  []string // extra environment for every node
	// EnvDrop names variables of the console's environment the nodes do
	// not inherit (e.g. SlonanaEnvDrop).
	EnvDrop []string

	PollInterval time.Duration // how often each node is polled (default 500 ms)
	PollTimeout  time.Duration // per-request timeout of a poll (default 1 s)
	StopGrace    time.Duration // TERM → KILL grace per node (default 2 s)
	RingLines    int           // log lines kept per node in memory (default 10,000)
	Cols, Rows   uint16        // initial pty size (default 120x40)
	EventBuffer  int           // capacity of the event channel (default 256)
	History      int           // poll points kept per node for rates (default 80: 40 s at 500 ms)
	ForkSlack    uint64        // processed tips closer than this are taken as one chain (default 8)
	SkipSweep    bool          // do not sweep stale pidfiles at Start
	Logger       *slog.Logger  // when set, every event is also logged here
}

// DefaultConfig returns a Config with every default filled in and no nodes.
func DefaultConfig() Config {
	return Config{
		PollInterval: 500 * time.Millisecond,
		PollTimeout:  time.Second,
		StopGrace:    2 * time.Second,
		RingLines:    10000,
		Cols:         120,
		Rows:         40,
		EventBuffer:  256,
		History:      80,
		ForkSlack:    8,
	}
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.PollInterval == 0 {
		c.PollInterval = d.PollInterval
	}
	if c.PollTimeout == 0 {
		c.PollTimeout = d.PollTimeout
	}
	if c.StopGrace == 0 {
		c.StopGrace = d.StopGrace
	}
	if c.RingLines == 0 {
		c.RingLines = d.RingLines
	}
	if c.Cols == 0 {
		c.Cols = d.Cols
	}
	if c.Rows == 0 {
		c.Rows = d.Rows
	}
	if c.EventBuffer == 0 {
		c.EventBuffer = d.EventBuffer
	}
	if c.History == 0 {
		c.History = d.History
	}
	if c.ForkSlack == 0 {
		c.ForkSlack = d.ForkSlack
	}
	return c
}

// Validate reports every problem of the Config at once.
func (c Config) Validate() error {
	var errs []error
	if c.Dir == "" {
		errs = append(errs, errors.New("cluster: dir is empty"))
	}
	if len(c.Nodes) == 0 {
		errs = append(errs, errors.New("cluster: no nodes"))
	}
	if c.PollInterval < 0 || c.PollTimeout < 0 || c.StopGrace < 0 {
		errs = append(errs, errors.New("cluster: negative duration"))
	}
	if c.RingLines < 0 || c.EventBuffer < 0 || c.History < 0 {
		errs = append(errs, errors.New("cluster: negative size"))
	}
	seen := map[int]bool{}
	for i, n := range c.Nodes {
		if n.ID != i+1 {
			errs = append(errs, fmt.Errorf("cluster: node %d: id %d, want %d (ids are 1..N in order)", i+1, n.ID, i+1))
		}
		if seen[n.ID] {
			errs = append(errs, fmt.Errorf("cluster: node %d: duplicate id", n.ID))
		}
		seen[n.ID] = true
		if n.Dir == "" {
			errs = append(errs, fmt.Errorf("cluster: node %d: dir is empty", n.ID))
		}
		if n.ConfigPath == "" && len(n.Command) == 0 {
			errs = append(errs, fmt.Errorf("cluster: node %d: config path is empty", n.ID))
		}
		if u, err := url.Parse(n.RPCURL); err != nil || u.Host == "" {
			errs = append(errs, fmt.Errorf("cluster: node %d: rpc url %q: not an http URL", n.ID, n.RPCURL))
		}
		for _, e := range n.Listen {
			if e.Network != "tcp" && e.Network != "udp" {
				errs = append(errs, fmt.Errorf("cluster: node %d: %s: network %q, want tcp or udp", n.ID, e.Name, e.Network))
			}
			if _, _, err := net.SplitHostPort(e.Addr); err != nil {
				errs = append(errs, fmt.Errorf("cluster: node %d: %s: address %q: %w", n.ID, e.Name, e.Addr, err))
			}
		}
	}
	return errors.Join(errs...)
}

// LogPath is where node spec's output is appended.
func (n NodeSpec) LogPath() string { return filepath.Join(n.Dir, "validator.log") }

// PidPath is node spec's pidfile.
func (n NodeSpec) PidPath() string { return filepath.Join(n.Dir, "validator.pid") }

var osEnviron = os.Environ
