package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Recorder appends steps with their "at" times to a scenario file, so a
// console session replays with `slonui scenario run FILE`. The file starts
// with a header (name, description and a start step for the cluster's
// size) and gains one [[step]] table per Record. Safe for concurrent use;
// every Record writes and syncs the file, so a crash loses nothing
// recorded before it.
type Recorder struct {
	mu    sync.Mutex
	path  string
	start time.Time
}

// SessionPath is where a console session that started at start is
// recorded: DIR/sessions/<start time>.toml.
func SessionPath(dir string, start time.Time) string {
	return filepath.Join(dir, "sessions", start.UTC().Format("20060102T150405Z")+".toml")
}

// NewRecorder creates path (and its directory) with a header for a cluster
// of nodes nodes with slots of slotMS ms (0: left to the defaults) that
// started at start. An existing file is an error.
func NewRecorder(path string, start time.Time, nodes, slotMS int) (*Recorder, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("recorder %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("recorder %s: %w", path, err)
	}
	head := struct {
		Name        string `toml:"name"`
		Description string `toml:"description"`
	}{
		Name:        "session " + start.UTC().Format(time.RFC3339),
		Description: "recorded by the console; replay with: slonui scenario run " + filepath.Base(path),
	}
	b, err := toml.Marshal(head)
	if err == nil {
		b = append(b, stepTOML(Step{Start: true, Nodes: nodes, SlotMS: slotMS})...)
		_, err = f.Write(b)
	}
	err = errors.Join(err, f.Sync(), f.Close())
	if err != nil {
		return nil, fmt.Errorf("recorder %s: %w", path, err)
	}
	return &Recorder{path: path, start: start}, nil
}

// Path is the file being written.
func (r *Recorder) Path() string { return r.path }

// Record appends step s with at = t - start (rounded to the millisecond);
// s.At and s.After are replaced. The step is validated first: a step the
// runner would refuse is not written.
func (r *Recorder) Record(t time.Time, s Step) error {
	at := max(t.Sub(r.start), 0).Round(time.Millisecond)
	s.At, s.After, s.Timeout = at.String(), "", ""
	probe := &Scenario{Path: r.path, Steps: []Step{{At: "0s"}, s}}
	if s.Check == CheckForkResolution || s.Check == CheckRecovered {
		probe.Steps[0].Heal = true
	}
	if err := probe.Validate(); err != nil {
		return fmt.Errorf("recorder %s: %w", r.path, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f, err := os.OpenFile(r.path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("recorder %s: %w", r.path, err)
	}
	_, err = f.Write(stepTOML(s))
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("recorder %s: %w", r.path, err)
	}
	return nil
}

// stepTOML is one step as a [[step]] table.
func stepTOML(s Step) []byte {
	b, err := toml.Marshal(s)
	if err != nil { // a Step of strings, numbers and bools always marshals
		panic(fmt.Sprintf("scenario: marshal step: %v", err))
	}
	var out strings.Builder
	out.WriteString("\n[[step]]\n")
	out.Write(b)
	return []byte(out.String())
}
