package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"slonui/cluster"
)

// forkLines draws the fork view: the fork count and the heal→converged
// stopwatch, the partition in force, the recent slot tree (one line per
// chain, each node's tip marked, forks coloured, one line again once they
// converge) and the leader timeline.
func (m Model) forkLines(r rect) []string {
	s, st := m.snap, m.st
	var lines []string
	title := st.Title.Render("Forks") + " " + st.Value.Render(fmt.Sprint(len(s.ForkGroups)))
	if len(s.ForkGroups) > 1 {
		parts := make([]string, len(s.ForkGroups))
		for i, g := range s.ForkGroups {
			parts[i] = m.forkStyle(i).Render("nodes " + idList(g))
		}
		title += st.Label.Render(" — ") + strings.Join(parts, st.Label.Render(" | "))
	} else if len(s.ForkGroups) == 1 {
		title += st.Label.Render(" — one chain")
	}
	lines = append(lines, spread(title, stopwatchText(s, st), r.W))
	if p := s.Partition; p != nil {
		lines = append(lines, fit(st.Fault.Render("partition "+p.Name)+st.Label.Render(": ")+p.Summary, r.W))
	} else if s.Faults != "" {
		lines = append(lines, fit(st.Fault.Render("faults: "+s.Faults), r.W))
	} else {
		lines = append(lines, fit(st.Label.Render("no partition"), r.W))
	}
	lines = append(lines, m.treeLines(r.W)...)
	lines = append(lines, "")
	lines = append(lines, m.leaderLines(r.W)...)
	return block(lines, r.H)
}

// stopwatchText is the heal→converged stopwatch, "" before any heal.
func stopwatchText(s cluster.Snapshot, st *Styles) string {
	d, done := s.Stopwatch()
	switch {
	case s.HealAt.IsZero():
		return st.Label.Render("heal→converged —")
	case done:
		return st.Label.Render("heal→converged ") + st.Pass.Render(d.Round(time.Millisecond).String())
	}
	return st.Label.Render("heal→converged ") + st.Value.Render(d.Round(100*time.Millisecond).String()+" …")
}

func (m Model) forkStyle(i int) style {
	if len(m.st.Forks) == 0 {
		return style{Style: lipgloss.NewStyle()}
	}
	return m.st.Forks[i%len(m.st.Forks)]
}

// treeLines draws one line per chain: the slots its nodes hold (confirmed
// blocks and processed tips) above the slot where the chains meet, newest
// right, each node's processed tip marked ◆ with its id. The first chain
// carries the common part; the others branch off under it.
func (m Model) treeLines(w int) []string {
	s := m.snap
	if len(s.ForkGroups) == 0 {
		return []string{fit(m.st.Label.Render("no live node has answered yet"), w)}
	}
	byID := map[int]*cluster.NodeSnapshot{}
	for i := range s.Nodes {
		byID[s.Nodes[i].ID] = &s.Nodes[i]
	}
	meet := meetSlot(s.ForkGroups, byID)
	var common []uint64
	for _, g := range s.ForkGroups[:1] {
		for _, id := range g {
			for _, b := range byID[id].Chain {
				if b.Slot <= meet {
					common = append(common, b.Slot)
				}
			}
		}
	}
	slices.Sort(common)
	common = slices.Compact(common)
	if len(s.ForkGroups) == 1 {
		common = nil // one chain: everything goes on the one line
	}
	if len(common) > 3 {
		common = common[len(common)-3:]
	}
	prefix := ""
	if len(common) > 0 {
		toks := make([]string, len(common))
		for i, c := range common {
			toks[i] = fmt.Sprint(c)
		}
		prefix = "… " + strings.Join(toks, " ─ ") + " "
	}
	indent := strings.Repeat(" ", visibleWidth(prefix))
	var out []string
	for i, g := range s.ForkGroups {
		var slots []uint64
		tipAt := map[uint64][]int{}
		for _, id := range g {
			n := byID[id]
			for _, b := range n.Chain {
				if b.Slot > meet || len(s.ForkGroups) == 1 {
					slots = append(slots, b.Slot)
				}
			}
			for _, t := range n.Tips {
				if t > meet || len(s.ForkGroups) == 1 {
					slots = append(slots, t)
				}
			}
			if n.Slot > 0 {
				slots = append(slots, n.Slot)
				tipAt[n.Slot] = append(tipAt[n.Slot], id)
			}
		}
		slices.Sort(slots)
		slots = slices.Compact(slots)
		toks := make([]string, len(slots))
		for k, sl := range slots {
			toks[k] = fmt.Sprint(sl)
			if ids := tipAt[sl]; len(ids) > 0 {
				slices.Sort(ids)
				toks[k] += "◆" + idList(ids)
			}
		}
		lead := indent
		switch {
		case len(s.ForkGroups) == 1:
			lead = ""
		case i == 0:
			lead = prefix + "┬ "
		case i == len(s.ForkGroups)-1:
			lead += "└ "
		default:
			lead += "├ "
		}
		room := w - visibleWidth(lead)
		body := tailTokens(toks, " ─ ", room)
		out = append(out, fit(lead+m.forkStyle(i).Render(body), w))
	}
	return out
}

// meetSlot is the highest slot every chain's nodes hold with one hash:
// where the forks meet (0 when none is known).
func meetSlot(groups [][]int, byID map[int]*cluster.NodeSnapshot) uint64 {
	hashes := make([]map[uint64]string, len(groups))
	for i, g := range groups {
		hashes[i] = map[uint64]string{}
		for _, id := range g {
			for _, b := range byID[id].Chain {
				hashes[i][b.Slot] = b.Hash
			}
		}
	}
	var best uint64
	for sl, h := range hashes[0] {
		ok := sl > best
		for _, other := range hashes[1:] {
			ok = ok && other[sl] == h
		}
		if ok {
			best = sl
		}
	}
	return best
}

// tailTokens joins the newest tokens that fit in w cells, with "…" in
// front when some were left out.
func tailTokens(toks []string, sep string, w int) string {
	out := ""
	for i := len(toks) - 1; i >= 0; i-- {
		next := toks[i]
		if out != "" {
			next += sep + out
		}
		if visibleWidth(next)+2 > w && out != "" {
			return "… " + out
		}
		out = next
	}
	return out
}

// leaderCell is the width of one slot of the leader timeline.
const leaderCell = 7

// leaderLines draws the leader timeline: slots around the cluster's slot,
// the scheduled leader of each, whether it produced a block (✓), was
// skipped (×) or is still ahead (·), and leaders cut off in a minority (!).
func (m Model) leaderLines(w int) []string {
	s, st := m.snap, m.st
	head := st.Title.Render("Leaders") + st.Label.Render("  ✓ block  × skipped  · ahead  ! cut off in a minority  ▼ now")
	if len(s.Leaders) == 0 {
		return []string{fit(head, w), fit(st.Label.Render("no leader schedule yet"), w)}
	}
	cells := max((w-6)/leaderCell, 1)
	cur := 0
	for i, l := range s.Leaders {
		if l.Current {
			cur = i
		}
	}
	from := max(min(cur-cells/2, len(s.Leaders)-cells), 0)
	to := min(from+cells, len(s.Leaders))
	var slotRow, nodeRow strings.Builder
	slotRow.WriteString("slot  ")
	nodeRow.WriteString("lead  ")
	for _, l := range s.Leaders[from:to] {
		mark := " "
		if l.Current {
			mark = "▼"
		}
		slotRow.WriteString(padLeft(mark+fmt.Sprint(l.Slot%100000), leaderCell))
		who := "?"
		if l.Node > 0 {
			who = fmt.Sprintf("n%d", l.Node)
		}
		sign := "·"
		switch {
		case l.Produced:
			sign = "✓"
		case l.Skipped:
			sign = "×"
		}
		cell := who + sign
		style := st.Label
		switch {
		case l.Node > 0 && s.Partition.Minority(l.Node):
			cell += "!"
			style = st.Minority
		case l.Skipped:
			style = st.Fail
		case l.Produced:
			style = st.Pass
		}
		nodeRow.WriteString(strings.Repeat(" ", max(leaderCell-visibleWidth(cell), 0)) + style.Render(cell))
	}
	return []string{fit(head, w), fit(slotRow.String(), w), fit(nodeRow.String(), w)}
}
