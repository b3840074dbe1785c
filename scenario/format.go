package scenario

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/pelletier/go-toml/v2"

	"slonui/config"
)

// ErrDecode marks a file that does not decode or does not validate: the CLI
// exits 2 on it.
var ErrDecode = errors.New("scenario: bad file")

// Scenario is one scenario file.
//
//	name = "fork-resolution"
//	description = "isolate a minority, heal, check convergence"
//
//	[[step]]
//	start = true
//	nodes = 5
//	slot_ms = 200
//
//	[[step]]
//	after = "slot >= 40"
//	timeout = "60s"
//	partition = "isolate:5"
//
//	[[step]]
//	check = "fork-resolution"
//	max = "120s"
type Scenario struct {
	Name        string `toml:"name,omitempty"`
	Description string `toml:"description,omitempty"`
	Steps       []Step `toml:"step"`

	// Path names the file in errors ("builtin:NAME" for a built-in).
	Path string `toml:"-"`
	// pos holds where each key was written, for errors.
	pos positions
}

// Step is one step: when it runs (At, After or neither: right after the
// previous step) and exactly one action.
type Step struct {
	At      string `toml:"at,omitempty"`      // time since the start, e.g. "30s"
	After   string `toml:"after,omitempty"`   // a duration after the previous step, or a condition
	Timeout string `toml:"timeout,omitempty"` // how long a condition may take (default 2m)
	Note    string `toml:"note,omitempty"`    // free text shown in the report

	// start: initialise and start the cluster (only as the first step).
	Start  bool `toml:"start,omitempty"`
	Nodes  int  `toml:"nodes,omitempty"`
	SlotMS int  `toml:"slot_ms,omitempty"`

	// Network faults (chaos devnet backend).
	Partition string   `toml:"partition,omitempty"` // chaos.ParsePartition spec
	Isolate   int      `toml:"isolate,omitempty"`   // node number
	Heal      bool     `toml:"heal,omitempty"`
	Loss      *float64 `toml:"loss,omitempty"`   // percent, 0 removes it
	Delay     string   `toml:"delay,omitempty"`  // e.g. "100ms", "0ms" removes it
	Jitter    string   `toml:"jitter,omitempty"` // with delay
	Node      string   `toml:"node,omitempty"`   // loss/delay scope: "3", "1-3", "1,4"
	Peer      string   `toml:"peer,omitempty"`   // loss/delay with node: only links to these

	// Process actions (cluster supervisor).
	Pause   int `toml:"pause,omitempty"`
	Resume  int `toml:"resume,omitempty"`
	Kill    int `toml:"kill,omitempty"`
	Restart int `toml:"restart,omitempty"`

	// load: a rate spec ("200", "100..1000", "100,500,1000"); the load
	// runs in the background while later steps go on.
	Load     string `toml:"load,omitempty"`
	Duration string `toml:"duration,omitempty"` // the constant or ramp length; each step's length
	Cooldown string `toml:"cooldown,omitempty"` // between steps of a steps spec
	Sender   string `toml:"sender,omitempty"`   // "rpc" (default) or "tpu"

	// check with its thresholds.
	Check       string   `toml:"check,omitempty"`
	Max         string   `toml:"max,omitempty"`        // fork-resolution, recovered, peer-discovery
	MaxBehind   *int     `toml:"max_behind,omitempty"` // fork-resolution: slots a tip may trail (default 32)
	NewRoots    int      `toml:"new_roots,omitempty"`  // recovered (default 16)
	Window      string   `toml:"window,omitempty"`     // votes (default 10s)
	Slots       int      `toml:"slots,omitempty"`      // leader-rotation: confirmed slots judged
	MaxSkipRate *float64 `toml:"max_skip_rate,omitempty"`
	MinLanded   *float64 `toml:"min_landed,omitempty"` // load: fraction of sent that landed (default 0.95)
	MinTPS      *float64 `toml:"min_tps,omitempty"`    // load: landed TPS
	MaxP99      string   `toml:"max_p99,omitempty"`    // load: confirmation P99
}

// Parse decodes a scenario file strictly and validates it. path names the
// file in errors. Every error wraps ErrDecode and names the line and key.
func Parse(path string, data []byte) (*Scenario, error) {
	sc := &Scenario{Path: path}
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(sc); err != nil {
		return nil, decodeError(path, err)
	}
	pos, err := scanPositions(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrDecode, path, err)
	}
	sc.pos = pos
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	return sc, nil
}

// decodeError renders go-toml's errors as "path:line:column: message" with
// go-toml's excerpt, one per unknown key, each wrapping ErrDecode.
func decodeError(path string, err error) error {
	msgs := config.TOMLErrorMessages(path, err)
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		errs[i] = fmt.Errorf("%w: %s", ErrDecode, m)
	}
	return errors.Join(errs...)
}
