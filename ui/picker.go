package ui

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"slonui/chaos"
	"slonui/scenario"
)

// topology is the cluster's fault topology, or why there is none.
type topology struct {
	topo chaos.Topology
	err  error
}

// preset is one line of the partition picker: a partition spec, or the
// custom entry (spec "").
type preset struct {
	label string
	spec  string
}

// pickerState is the open partition picker.
type pickerState struct {
	presets []preset
	cur     int
}

// presets builds the picker's choices for topo with node sel selected.
func presets(topo chaos.Topology, sel int) []preset {
	n := topo.Len()
	var out []preset
	if sel > 0 {
		out = append(out, preset{fmt.Sprintf("isolate node %d", sel), fmt.Sprintf("isolate %d", sel)})
	}
	if n >= 2 {
		out = append(out, preset{"halves", "halves"})
	}
	if k := majoritySize(topo); k > 0 && k < n {
		out = append(out, preset{fmt.Sprintf("majority/minority %d|%d", k, n-k), fmt.Sprintf("%d|%d", k, n-k)})
	}
	if n >= 5 {
		out = append(out, preset{"majorities ring", "ring"}, preset{"bridge", "bridge"})
	}
	return append(out, preset{"custom spec…", ""})
}

// majoritySize is the fewest leading nodes (in node order) whose stake is
// more than 2/3 of the total: the 7|3-style split; 0 when none is.
func majoritySize(topo chaos.Topology) int {
	total := topo.TotalStake()
	var ids []int
	for _, n := range topo.Nodes {
		ids = append(ids, n.ID)
		if chaos.CanConfirm(topo.StakeOf(ids), total) {
			return len(ids)
		}
	}
	return 0
}

// openPicker opens the partition picker, or says why it cannot.
func (m Model) openPicker() (Model, tea.Cmd) {
	if m.topo.err != nil {
		return m.setStatus("partition: "+m.topo.err.Error(), true), nil
	}
	if m.topo.topo.Len() == 0 {
		return m.setStatus("partition: the cluster's topology is not known yet", true), nil
	}
	m.panel = panelPicker
	m.picker = pickerState{presets: presets(m.topo.topo, m.selectedID())}
	return m, nil
}

// handlePickerKey moves in the picker; enter asks to confirm the chosen
// partition (or opens the custom spec input), esc closes it.
func (m Model) handlePickerKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	p := &m.picker
	switch msg.String() {
	case "esc", "q", "p":
		m.panel = panelNone
		return m.setStatus("partition cancelled", false), nil
	case "up", "k":
		p.cur = max(p.cur-1, 0)
	case "down", "j":
		p.cur = min(p.cur+1, len(p.presets)-1)
	case "enter":
		pr := p.presets[p.cur]
		if pr.spec == "" {
			return m.openInput(inputSpec, "partition spec: ", "")
		}
		return m.confirmPartition(pr.spec)
	}
	return m, nil
}

// confirmPartition parses spec and asks to confirm it with its preview.
func (m Model) confirmPartition(spec string) (Model, tea.Cmd) {
	plan, err := chaos.ParsePartition(m.topo.topo, spec)
	if err != nil {
		return m.setStatus("partition: "+err.Error(), true), nil
	}
	summary := plan.Summary(m.topo.topo)
	step := &scenario.Step{Partition: spec}
	if strings.HasPrefix(plan.Name, "isolate") && len(plan.Groups) == 2 {
		if k := isolated(plan); k > 0 {
			step = &scenario.Step{Isolate: k}
		}
	}
	m.confirm = &confirmation{
		prompt: fmt.Sprintf("partition %s — %s? y/n", plan.Name, summary),
		op: &op{label: "partition " + plan.Name, step: step,
			run: func(ctx context.Context, cl Cluster) error { return cl.Partition(ctx, plan) }},
		then: viewForks,
	}
	return m, nil
}

// isolated is the lone node of an isolate plan, 0 when there is none.
func isolated(p chaos.Plan) int {
	for _, g := range p.Groups {
		if len(g) == 1 {
			return g[0]
		}
	}
	return 0
}

// pickerLines draws the picker: each preset with its preview (each side's
// stake and whether it can confirm), the chosen one marked.
func (m Model) pickerLines(r rect) []string {
	st := m.st
	topo := m.topo.topo
	lines := []string{fit(st.Title.Render("Partition")+st.Label.Render(fmt.Sprintf("  %d nodes, total stake %d — ↑/↓ choose, enter apply, esc close", topo.Len(), topo.TotalStake())), r.W)}
	for i, pr := range m.picker.presets {
		mark := "  "
		if i == m.picker.cur {
			mark = st.Selected.Render("> ")
		}
		spec := pr.spec
		if spec == "" && m.mode == inputSpec {
			spec = strings.TrimSpace(m.input.Value())
		}
		line := mark + pad(pr.label, 28)
		if spec != "" {
			line += "  " + m.previewText(spec)
		} else {
			line += "  " + st.Label.Render("groups such as 1-3|4-5, sizes such as 7|3, isolate K")
		}
		lines = append(lines, fit(line, r.W))
		if i == m.picker.cur && spec != "" {
			for _, s := range m.sidesText(spec) {
				lines = append(lines, fit("      "+s, r.W))
			}
		}
	}
	return block(lines, r.H)
}

// previewText is the one-line summary of spec, or why it is not valid.
func (m Model) previewText(spec string) string {
	plan, err := chaos.ParsePartition(m.topo.topo, spec)
	if err != nil {
		return m.st.Error.Render(err.Error())
	}
	return plan.Summary(m.topo.topo)
}

// sidesText lists each side of spec with its nodes and stake.
func (m Model) sidesText(spec string) []string {
	plan, err := chaos.ParsePartition(m.topo.topo, spec)
	if err != nil {
		return nil
	}
	var out []string
	for _, s := range plan.Sides(m.topo.topo) {
		verdict := "cannot confirm (not more than 2/3)"
		if s.CanConfirm {
			verdict = "can confirm"
		}
		out = append(out, fmt.Sprintf("side %s: nodes %s — %.1f%% of stake, %s", s.Name, idList(s.Nodes), s.Percent, verdict))
	}
	return out
}

// idList writes node ids compactly: 1-4,7.
func idList(ids []int) string {
	var b strings.Builder
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		if j > i {
			fmt.Fprintf(&b, "%d-%d", ids[i], ids[j])
		} else {
			fmt.Fprintf(&b, "%d", ids[i])
		}
		i = j + 1
	}
	return b.String()
}
