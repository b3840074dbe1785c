package node

import (
	"errors"
	"fmt"
	"time"
)

// Config describes one child process. The zero value is not usable; start
// from DefaultConfig.
type Config struct {
	// ID names the node in errors ("node 3: start: …").
	ID int
	// Path is the program to run; Args are its arguments (without argv[0]).
	Path string
	Args []string
	// Env is the child's complete environment; nil means the console's own.
	Env []string
	// Dir is the child's working directory; empty means the console's.
	Dir string
	// LogFile receives every raw byte the child writes, appended across
	// restarts. Empty means no log file.
	LogFile string
	// PidFile records "pid starttime" while the child runs. Empty means none.
	PidFile string
	// RingLines bounds the ring of recent lines (ignored when Ring is set).
	RingLines int
	// Ring, when not nil, is continued instead of a new one, so that a
	// restarted node keeps its history and rising sequence numbers.
	Ring *Ring
	// Cols and Rows are the initial pty size.
	Cols, Rows uint16
	// StopGrace is how long Stop waits after SIGTERM before SIGKILL.
	StopGrace time.Duration
}

// Defaults used by DefaultConfig.
const (
	DefaultRingLines = 10000
	DefaultStopGrace = 2 * time.Second
	DefaultCols      = 120
	DefaultRows      = 40
)

// DefaultConfig returns a Config with every default filled in; the caller
// sets at least ID and Path.
func DefaultConfig() Config {
	return Config{
		RingLines: DefaultRingLines,
		Cols:      DefaultCols,
		Rows:      DefaultRows,
		StopGrace: DefaultStopGrace,
	}
}

// Validate reports every problem of c, joined.
func (c Config) Validate() error {
	var errs []error
	if c.ID < 0 {
		errs = append(errs, fmt.Errorf("id %d is negative", c.ID))
	}
	if c.Path == "" {
		errs = append(errs, errors.New("path is empty"))
	}
	if c.Ring == nil && c.RingLines <= 0 {
		errs = append(errs, fmt.Errorf("ring lines %d must be positive", c.RingLines))
	}
	if c.Cols == 0 || c.Rows == 0 {
		errs = append(errs, fmt.Errorf("pty size %dx%d must be positive", c.Cols, c.Rows))
	}
	if c.StopGrace <= 0 {
		errs = append(errs, fmt.Errorf("stop grace %v must be positive", c.StopGrace))
	}
	if c.LogFile != "" && c.LogFile == c.PidFile {
		errs = append(errs, fmt.Errorf("log file and pid file are the same path %q", c.LogFile))
	}
	return errors.Join(errs...)
}
