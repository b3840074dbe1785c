package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"slonui/load"
	"slonui/scenario"
)

// defaultLoadSpec is the load form's first value: the guide's ramp, short.
const defaultLoadSpec = "100,500,1000 step 20s cooldown 5s"

// parseLoadSpec reads the load form: either steps "R1,R2,… [step D]
// [cooldown D]", a constant "R [for D]", or a ramp "ramp A-B [over D]".
func parseLoadSpec(s string) (load.Plan, error) {
	f := strings.Fields(strings.ToLower(s))
	if len(f) == 0 {
		return load.Plan{}, fmt.Errorf("empty plan (e.g. %q)", defaultLoadSpec)
	}
	opts := map[string]time.Duration{"step": 30 * time.Second, "cooldown": 0, "for": 60 * time.Second, "over": 60 * time.Second}
	first := f[0]
	ramp := first == "ramp"
	rest := f[1:]
	if ramp {
		if len(rest) == 0 {
			return load.Plan{}, fmt.Errorf("ramp: want ramp FROM-TO [over D]")
		}
		first, rest = rest[0], rest[1:]
	}
	for len(rest) > 0 {
		if len(rest) < 2 {
			return load.Plan{}, fmt.Errorf("%q: want a duration after it", rest[0])
		}
		if _, ok := opts[rest[0]]; !ok {
			return load.Plan{}, fmt.Errorf("%q: want step, cooldown, for or over", rest[0])
		}
		d, err := time.ParseDuration(rest[1])
		if err != nil {
			return load.Plan{}, fmt.Errorf("%s %q: %w", rest[0], rest[1], err)
		}
		opts[rest[0]] = d
		rest = rest[2:]
	}
	var p load.Plan
	switch {
	case ramp:
		a, b, ok := strings.Cut(first, "-")
		from, err1 := strconv.ParseFloat(a, 64)
		to, err2 := strconv.ParseFloat(b, 64)
		if !ok || err1 != nil || err2 != nil {
			return load.Plan{}, fmt.Errorf("ramp %q: want FROM-TO rates", first)
		}
		p = load.RampPlan(from, to, opts["over"])
	case strings.Contains(first, ","):
		var rates []float64
		for _, r := range strings.Split(first, ",") {
			v, err := strconv.ParseFloat(r, 64)
			if err != nil {
				return load.Plan{}, fmt.Errorf("rate %q: not a number", r)
			}
			rates = append(rates, v)
		}
		p = load.StepsPlan(rates, opts["step"], opts["cooldown"])
	default:
		v, err := strconv.ParseFloat(first, 64)
		if err != nil {
			return load.Plan{}, fmt.Errorf("rate %q: not a number", first)
		}
		p = load.ConstantPlan(v, opts["for"])
	}
	return p, p.Validate()
}

// startLoad applies the load form's plan.
func (m Model) startLoad(spec string) (Model, tea.Cmd) {
	plan, err := parseLoadSpec(spec)
	if err != nil {
		return m.setStatus("load: "+err.Error(), true), nil
	}
	m.view = viewLoad
	step := scenario.LoadStep(plan)
	return m.startOp(op{label: "load " + spec, step: &step,
		run: func(ctx context.Context, cl Cluster) error { return cl.StartLoad(ctx, plan) }})
}

// changeRate multiplies the running rate by f (at least 1 tx/s apart).
func (m Model) changeRate(f float64) (Model, tea.Cmd) {
	cur := m.snap.LoadRun.Rate
	next := cur * f
	if f > 1 {
		next = max(next, cur+1)
	} else {
		next = max(min(next, cur-1), 0)
	}
	next = float64(int64(next + 0.5))
	return m.startOp(op{label: fmt.Sprintf("load rate %.0f/s", next),
		run: func(ctx context.Context, cl Cluster) error { return cl.SetLoadRate(next) }})
}

// loadLines draws the load panel: phase, step and rate; sent vs landed TPS
// over time; latency percentiles per commitment; the steps so far.
func (m Model) loadLines(r rect) []string {
	ls, st := m.snap.LoadRun, m.st
	if ls.Phase == "" || ls.Phase == load.PhaseIdle {
		return block([]string{fit(st.Title.Render("Load")+st.Label.Render("  idle — l starts a run (plan form), L stops, +/- change the rate"), r.W)}, r.H)
	}
	step := "cool-down"
	if ls.Step >= 0 {
		step = fmt.Sprintf("step %d/%d", ls.Step+1, ls.Plan.NumSteps())
	}
	lines := []string{fit(st.Title.Render("Load")+" "+st.Value.Render(ls.Phase)+st.Label.Render(fmt.Sprintf("  %s  rate %.0f/s  elapsed %s", step, ls.Rate, ls.Elapsed.Round(time.Second))), r.W)}
	lines = append(lines, fit(st.Label.Render(fmt.Sprintf("planned %d  sent %d  accepted %d  landed %d  expired %d  dropped %d  pending %d",
		ls.Planned, ls.Sent, ls.Accepted, ls.Landed, ls.Expired, ls.Dropped, ls.Pending)), r.W))
	if ls.Err != "" {
		lines = append(lines, fit(st.Error.Render(ls.Err), r.W))
	}
	width := max(r.W-14, 10)
	top := uint64(1)
	for _, v := range slices.Concat(ls.SentTPS, ls.LandedTPS) {
		top = max(top, v)
	}
	lines = append(lines,
		fit(st.Label.Render("sent/s   ")+padLeft(fmt.Sprint(lastFullTPS(ls.SentTPS)), 5)+" "+st.Spark.Render(bars(ls.SentTPS, top, width)), r.W),
		fit(st.Label.Render("landed/s ")+padLeft(fmt.Sprint(lastFullTPS(ls.LandedTPS)), 5)+" "+st.Pass.Render(bars(ls.LandedTPS, top, width)), r.W),
		"",
		st.TableHead.Render(fit(fmt.Sprintf("%-10s %8s %8s %8s %8s %8s", "latency", "count", "p50 ms", "p95 ms", "p99 ms", "max ms"), r.W)))
	for _, k := range []string{"send", "processed", "confirmed", "finalized"} {
		p, ok := ls.Latency[k]
		if !ok {
			continue
		}
		lines = append(lines, fit(fmt.Sprintf("%-10s %8d %8.0f %8.0f %8.0f %8.0f", k, p.Count, p.P50, p.P95, p.P99, p.Max), r.W))
	}
	if len(ls.StepReports) > 0 {
		lines = append(lines, "", st.TableHead.Render(fit(fmt.Sprintf("%-5s %8s %9s %8s %8s", "step", "target/s", "achieved", "landed/s", "p99 conf"), r.W)))
		for _, sr := range ls.StepReports {
			if sr.Sent == 0 && sr.Step > ls.Step {
				continue // a step still ahead
			}
			lines = append(lines, fit(stepRow(sr), r.W))
		}
	}
	return block(lines, r.H)
}

func stepRow(sr load.StepReport) string {
	return fmt.Sprintf("%-5d %8.0f %9.1f %8.1f %8.0f", sr.Step+1, sr.TargetTPS, sr.AchievedTPS, sr.LandedTPS, sr.Latency["confirmed"].P99)
}

// lastFullTPS is the newest complete per-second figure.
func lastFullTPS(xs []uint64) uint64 {
	if len(xs) >= 2 {
		return xs[len(xs)-2]
	}
	if len(xs) == 1 {
		return xs[0]
	}
	return 0
}

// bars draws the newest w values as block characters scaled to top.
func bars(xs []uint64, top uint64, w int) string {
	const steps = "▁▂▃▄▅▆▇█"
	r := []rune(steps)
	if len(xs) > w {
		xs = xs[len(xs)-w:]
	}
	var b strings.Builder
	for _, v := range xs {
		if v == 0 {
			b.WriteRune(' ')
			continue
		}
		i := int(float64(v) / float64(top) * float64(len(r)-1))
		b.WriteRune(r[min(max(i, 0), len(r)-1)])
	}
	return b.String()
}
