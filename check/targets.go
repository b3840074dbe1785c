package check

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Metric is one row of the guide's performance targets table.
type Metric int

// The guide's metrics, in its order.
const (
	MetricThroughput      Metric = iota // transactions per second
	MetricConfirmationP99               // seconds
	MetricForkResolution                // seconds, heal → converged
	MetricPeerDiscovery                 // seconds, start → every node lists every node
	MetricNetworkLatency                // seconds
	MetricMLInference                   // seconds; only shown when measured
)

// Grade is how a measurement fares against a row.
type Grade int

// Grades, worst first.
const (
	NotMeasured Grade = iota
	Fail
	Pass      // meets the pass criterion, not the target
	TargetMet // meets the target
)

func (g Grade) String() string {
	return [...]string{"not measured", "FAIL", "pass", "target met"}[g]
}

// Target is one row: the target and the pass criterion. For MetricThroughput a
// value must be at least Target and more than PassAt; for the time rows
// it must be less than each.
type Target struct {
	Metric   Metric
	Name     string
	Target   float64 // TPS, or seconds
	PassAt   float64
	Higher   bool // higher is better (throughput)
	Optional bool // left out of the table when not measured (ML inference)
}

// GuideTargets is the guide's "Performance Targets" table.
func GuideTargets() []Target {
	return []Target{
		{MetricThroughput, "Throughput", 10000, 8000, true, false},
		{MetricConfirmationP99, "Confirmation time (P99)", 1, 2, false, false},
		{MetricForkResolution, "Fork resolution", 60, 120, false, false},
		{MetricPeerDiscovery, "Peer discovery", 30, 60, false, false},
		{MetricNetworkLatency, "Network latency", 0.100, 0.200, false, false},
		{MetricMLInference, "ML inference", 0.001, 0.005, false, true},
	}
}

// Grade grades one measured value against the row.
func (t Target) Grade(v float64) Grade {
	if t.Higher {
		switch {
		case v >= t.Target:
			return TargetMet
		case v > t.PassAt:
			return Pass
		}
		return Fail
	}
	switch {
	case v < t.Target:
		return TargetMet
	case v < t.PassAt:
		return Pass
	}
	return Fail
}

// Measurements are the measured values by metric: TPS for MetricThroughput,
// seconds for the rest. A metric not in the map was not measured.
type Measurements map[Metric]float64

// Seconds is d in seconds, for Measurements.
func Seconds(d time.Duration) float64 { return d.Seconds() }

// TargetRow is one evaluated row.
type TargetRow struct {
	Target
	Measured float64
	Has      bool
	Grade    Grade
}

// TargetText and PassText are the row's columns as the guide writes them.
func (r TargetRow) TargetText() string {
	if r.Higher {
		return fmt.Sprintf("%s TPS", thousands(r.Target.Target))
	}
	return "< " + secondsText(r.Target.Target) + p99(r)
}

func (r TargetRow) PassText() string {
	if r.Higher {
		return fmt.Sprintf("> %s TPS", thousands(r.PassAt))
	}
	return "< " + secondsText(r.PassAt) + p99(r)
}

// MeasuredText is the measured value in the row's unit, or "—".
func (r TargetRow) MeasuredText() string {
	if !r.Has {
		return "—"
	}
	if r.Higher {
		return fmt.Sprintf("%s TPS", thousands(r.Measured))
	}
	return secondsText(r.Measured)
}

func p99(r TargetRow) string {
	if r.Metric == MetricConfirmationP99 {
		return " (P99)"
	}
	return ""
}

// Targets evaluates m against the guide's table. Optional rows appear only
// when measured. OK is true when every measured row passes.
func Targets(m Measurements) (rows []TargetRow, ok bool) {
	ok = true
	for _, t := range GuideTargets() {
		v, has := m[t.Metric]
		if !has && t.Optional {
			continue
		}
		row := TargetRow{Target: t, Measured: v, Has: has}
		if has {
			row.Grade = t.Grade(v)
			ok = ok && row.Grade >= Pass
		}
		rows = append(rows, row)
	}
	return rows, ok
}

// WriteTargets prints rows as a table: metric, target, pass, measured, grade.
func WriteTargets(w io.Writer, rows []TargetRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "METRIC\tTARGET\tPASS\tMEASURED\tRESULT")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Name, r.TargetText(), r.PassText(), r.MeasuredText(), r.Grade)
	}
	return tw.Flush()
}

// secondsText renders seconds as "1 s", "1.5 s", "100 ms", "0.8 ms".
func secondsText(s float64) string {
	if s >= 1 {
		return trim(fmt.Sprintf("%.3f", s)) + " s"
	}
	return trim(fmt.Sprintf("%.3f", s*1000)) + " ms"
}

func trim(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// thousands renders v rounded with comma separators: 10000 → "10,000".
func thousands(v float64) string {
	n := int64(v + 0.5)
	s := fmt.Sprintf("%d", n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
