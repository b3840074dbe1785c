package scenario

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Report is what a run did and how its checks came out.
type Report struct {
	Scenario string        `json:"scenario"`
	File     string        `json:"file"`
	Dir      string        `json:"dir"`
	Nodes    int           `json:"nodes"`
	SlotMS   int           `json:"slot_ms"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	Steps    []StepResult  `json:"steps"`
	Checks   []CheckResult `json:"checks"`
	// Events are node exits and errors the cluster reported on its own.
	Events []string `json:"events,omitempty"`
	// Pass is true when every step ran and every check passed.
	Pass bool `json:"pass"`
	// Failure names the first step or check that failed and why.
	Failure string `json:"failure,omitempty"`
	// Failures lists every failure, Failure first.
	Failures []string `json:"failures,omitempty"`

	mu sync.Mutex
}

// StepResult is one step as it ran.
type StepResult struct {
	Step   int           `json:"step"` // 1-based
	Line   int           `json:"line,omitempty"`
	Action string        `json:"action"`
	Note   string        `json:"note,omitempty"`
	At     time.Duration `json:"at_ns"` // when the action began, since the start
	Detail string        `json:"detail,omitempty"`
	Err    string        `json:"error,omitempty"`
}

func (r *Report) addStep(s StepResult, progress io.Writer) {
	r.mu.Lock()
	r.Steps = append(r.Steps, s)
	r.mu.Unlock()
	if progress != nil {
		fmt.Fprintln(progress, stepLine(s))
	}
}

func (r *Report) addCheck(c CheckResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Checks = append(r.Checks, c)
}

func (r *Report) addEvent(e string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Events = append(r.Events, e)
}

func (r *Report) fail(why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Failure == "" {
		r.Failure = why
	}
	r.Failures = append(r.Failures, why)
}

// stepLine is one step of the text report.
func stepLine(s StepResult) string {
	line := fmt.Sprintf("%8s  step %d  %s", clock(s.At), s.Step, s.Action)
	if s.Detail != "" {
		line += ": " + s.Detail
	}
	if s.Note != "" {
		line += "  (" + s.Note + ")"
	}
	if s.Err != "" {
		line += "  ERROR: " + s.Err
	}
	return line
}

// clock is a time since the start as "12.3s".
func clock(d time.Duration) string {
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// WriteText prints the report for a person: the steps with their times,
// every check with value, threshold and PASS/FAIL, and the verdict.
func (r *Report) WriteText(w io.Writer) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %s (%s): %d nodes, %d ms slots, in %s\n", r.Scenario, r.File, r.Nodes, r.SlotMS, r.Dir)
	b.WriteString("steps:\n")
	for _, s := range r.Steps {
		b.WriteString(stepLine(s) + "\n")
	}
	if len(r.Events) > 0 {
		b.WriteString("cluster events:\n")
		for _, e := range r.Events {
			b.WriteString("  " + e + "\n")
		}
	}
	b.WriteString("checks:\n")
	if len(r.Checks) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "  %s  [step %d, decided at %s]\n", checkLine(c), c.Step, clock(c.At))
	}
	if r.Pass {
		fmt.Fprintf(&b, "PASS: every step ran and every check passed in %s\n", clock(r.Duration))
	} else {
		fmt.Fprintf(&b, "FAIL: %s\n", r.Failure)
		for _, f := range r.Failures[min(1, len(r.Failures)):] {
			fmt.Fprintf(&b, "      also: %s\n", f)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
