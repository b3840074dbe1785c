package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"slonui/chaos"
	"slonui/scenario"
)

// faultPrompt is the loss/delay form's prompt.
const faultPrompt = "loss or delay (10% · 100ms · 100ms±20ms · … on 1-3 · 0% / 0ms clears): "

// parseFault reads the loss/delay form: "P%" or "Dms[±Jms]", optionally
// followed by "on NODES" (or just NODES) to scope it. It returns the plan
// and the scenario step that replays it.
func parseFault(topo chaos.Topology, s string) (chaos.Plan, scenario.Step, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	what, scope, _ := strings.Cut(s, " ")
	scope = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(scope), "on "))
	var nodes []int
	step := scenario.Step{}
	if scope != "" {
		ids, err := chaos.ParseNodes(scope, topo.Len())
		if err != nil {
			return chaos.Plan{}, step, err
		}
		nodes, step.Node = ids, scope
	}
	if pct, ok := strings.CutSuffix(what, "%"); ok {
		v, err := strconv.ParseFloat(pct, 64)
		if err != nil || v < 0 || v > 100 {
			return chaos.Plan{}, step, fmt.Errorf("loss %q: want a percentage 0-100", what)
		}
		p, err := chaos.Loss(topo, v/100, nodes, nil)
		step.Loss = &v
		return p, step, err
	}
	ds, js, _ := strings.Cut(strings.ReplaceAll(what, "+-", "±"), "±")
	d, err := time.ParseDuration(ds)
	if err != nil {
		return chaos.Plan{}, step, fmt.Errorf("%q: want a loss such as 10%% or a delay such as 100ms", what)
	}
	var j time.Duration
	if js != "" {
		if j, err = time.ParseDuration(js); err != nil {
			return chaos.Plan{}, step, fmt.Errorf("jitter %q: %w", js, err)
		}
		step.Jitter = j.String()
	}
	step.Delay = d.String()
	p, err := chaos.Delay(topo, d, j, nodes, nil)
	return p, step, err
}

// applyFault starts the loss/delay plan typed into the form.
func (m Model) applyFault(v string) (Model, tea.Cmd) {
	plan, step, err := parseFault(m.topo.topo, v)
	if err != nil {
		return m.setStatus("loss/delay: "+err.Error(), true), nil
	}
	return m.startOp(op{label: plan.Name, step: &step,
		run: func(ctx context.Context, cl Cluster) error { return cl.Partition(ctx, plan) }})
}
