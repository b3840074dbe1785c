package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"slonui/cluster"
)

// column is one node table column.
type column struct {
	title string
	width int
	right bool
	prio  int // lower stays longer when the terminal is narrow
	cell  func(n *cluster.NodeSnapshot) string
}

// staleAfter is how old a node's last answered poll may be before the rpc
// column says so.
const staleAfter = 3 * time.Second

// tableColumns are the node table's columns; now is the snapshot's time.
func tableColumns(now time.Time) []column {
	num := func(v uint64, polled bool) string {
		if !polled {
			return "-"
		}
		return fmt.Sprint(v)
	}
	return []column{
		{"#", 2, true, 0, func(n *cluster.NodeSnapshot) string { return fmt.Sprint(n.ID) }},
		{"state", 11, false, 0, stateText},
		{"identity", 9, false, 11, func(n *cluster.NodeSnapshot) string { return shortKey(n.Identity) }},
		{"slot", 7, true, 1, func(n *cluster.NodeSnapshot) string { return num(n.Slot, !n.Polled.IsZero()) }},
		{"confirm", 7, true, 2, func(n *cluster.NodeSnapshot) string { return num(n.Confirmed, !n.Polled.IsZero()) }},
		{"root", 7, true, 3, func(n *cluster.NodeSnapshot) string { return num(n.Root, !n.Polled.IsZero()) }},
		{"txs", 7, true, 8, func(n *cluster.NodeSnapshot) string { return num(n.Txs, !n.Polled.IsZero()) }},
		{"peers", 5, true, 6, func(n *cluster.NodeSnapshot) string {
			if n.Polled.IsZero() {
				return "-"
			}
			return fmt.Sprint(n.Peers)
		}},
		{"vote", 7, true, 5, func(n *cluster.NodeSnapshot) string {
			if n.Polled.IsZero() || n.LastVote == 0 {
				return "-"
			}
			s := fmt.Sprint(n.LastVote)
			if n.Delinquent {
				s = "!" + s
			}
			return s
		}},
		{"L", 1, false, 4, func(n *cluster.NodeSnapshot) string {
			if n.Leader {
				return "●"
			}
			return ""
		}},
		{"rpc", 5, true, 7, func(n *cluster.NodeSnapshot) string { return latencyText(n, now) }},
		{"slots/s", 8, false, 9, func(n *cluster.NodeSnapshot) string { return sparkline(n.SlotRate, 8) }},
	}
}

// fitColumns keeps the columns, in display order, that fit in w cells
// (after a two-cell cursor), dropping the highest prio first.
func fitColumns(cols []column, w int) []column {
	keep := make([]bool, len(cols))
	for i := range keep {
		keep[i] = true
	}
	width := func() int {
		t := 2
		for i, c := range cols {
			if keep[i] {
				t += c.width + 1
			}
		}
		return t - 1
	}
	for width() > w {
		worst := -1
		for i, c := range cols {
			if keep[i] && c.prio > 0 && (worst < 0 || c.prio > cols[worst].prio) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		keep[worst] = false
	}
	out := make([]column, 0, len(cols))
	for i, c := range cols {
		if keep[i] {
			out = append(out, c)
		}
	}
	return out
}

// tableFirstRow is the first node shown when only rows of n fit, keeping
// the selected node sel in view.
func tableFirstRow(sel, n, rows int) int {
	if rows <= 0 || n <= rows {
		return 0
	}
	return min(max(sel-rows/2, 0), n-rows)
}

// tableLines draws the column titles and one row per node that fits.
func (m Model) tableLines(r rect) []string {
	if r.H == 0 {
		return nil
	}
	cols := fitColumns(tableColumns(m.snap.Now), r.W)
	var b strings.Builder
	b.WriteString("  ")
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(align(c.title, c.width, c.right))
	}
	lines := []string{m.st.TableHead.Render(pad(b.String(), r.W))}
	rows := r.H - 1
	first := tableFirstRow(m.sel, len(m.snap.Nodes), rows)
	cells := make([]string, len(cols))
	for i := first; i < len(m.snap.Nodes) && i < first+rows; i++ {
		n := &m.snap.Nodes[i]
		for j, c := range cols {
			cells[j] = c.cell(n)
		}
		// A row is drawn again only when its text, state, selection or
		// the width changed.
		key := keyOf(strconv.Itoa(r.W), strconv.FormatBool(i == m.sel), strconv.Itoa(int(n.State)), keyOf(cells...))
		lines = append(lines, m.cache.row(i, key, func() string { return m.tableRow(cols, cells, i, r.W) }))
	}
	return block(lines, r.H)
}

// tableRow draws node i's row from its cells' text.
func (m Model) tableRow(cols []column, cells []string, i, w int) string {
	n := &m.snap.Nodes[i]
	st := m.st
	selected := i == m.sel
	var b strings.Builder
	if selected {
		b.WriteString(st.Cursor + " ")
	} else {
		b.WriteString("  ")
	}
	for j, c := range cols {
		if j > 0 {
			b.WriteByte(' ')
		}
		cell := align(cells[j], c.width, c.right)
		if !selected {
			switch c.title {
			case "state":
				cell = m.stateStyle(n.State).Render(cell)
			case "L":
				cell = st.Leader.Render(cell)
			case "slots/s":
				cell = st.Spark.Render(cell)
			}
		}
		b.WriteString(cell)
	}
	if selected {
		return st.Selected.Render(pad(b.String(), w))
	}
	return fit(b.String(), w)
}

func align(s string, w int, right bool) string {
	if right {
		return padLeft(s, w)
	}
	return pad(s, w)
}

func (m Model) stateStyle(s cluster.NodeState) style {
	switch s {
	case cluster.NodeStarting:
		return m.st.Starting
	case cluster.NodeRunning:
		return m.st.Running
	case cluster.NodePaused:
		return m.st.Paused
	case cluster.NodeExited:
		return m.st.Exited
	}
	return m.st.Stopped
}

// stateText is the state column: exited nodes show their code or signal.
func stateText(n *cluster.NodeSnapshot) string {
	if n.State != cluster.NodeExited {
		return n.State.String()
	}
	if n.Signal != "" {
		return "exited(" + strings.TrimPrefix(n.Signal, "SIG") + ")"
	}
	return fmt.Sprintf("exited(%d)", n.ExitCode)
}

func latencyText(n *cluster.NodeSnapshot, now time.Time) string {
	switch {
	case n.PollErr != "":
		return "err"
	case n.Polled.IsZero():
		return "-"
	case now.Sub(n.Polled) > staleAfter:
		return "stale"
	case n.RPCLatency < time.Millisecond:
		return fmt.Sprintf("%dµs", n.RPCLatency.Microseconds())
	case n.RPCLatency < 10*time.Second:
		return fmt.Sprintf("%dms", n.RPCLatency.Milliseconds())
	}
	return fmt.Sprintf("%ds", int(n.RPCLatency.Seconds()))
}

// shortKey abbreviates a base58 key as its first and last four characters.
func shortKey(s string) string {
	if len(s) <= 9 {
		return s
	}
	return s[:4] + "…" + s[len(s)-4:]
}

var sparkBars = []rune("▁▂▃▄▅▆▇█")

// sparkline draws the newest w values scaled to their maximum.
func sparkline(vals []float64, w int) string {
	if len(vals) > w {
		vals = vals[len(vals)-w:]
	}
	hi := 0.0
	for _, v := range vals {
		hi = max(hi, v)
	}
	out := make([]rune, len(vals))
	for i, v := range vals {
		idx := 0
		if hi > 0 && v > 0 {
			idx = min(int(v/hi*float64(len(sparkBars)-1)+0.5), len(sparkBars)-1)
		}
		out[i] = sparkBars[idx]
	}
	return string(out)
}

// visibleWidth is s's width in cells, escape sequences excluded.
func visibleWidth(s string) int { return width(s) }
