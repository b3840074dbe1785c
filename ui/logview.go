package ui

import (
	"fmt"
	"strings"
)

// mergedPrefixWidth is the width of the "NN│ " node prefix in the merged stream.
const mergedPrefixWidth = 4

// logLines draws the log area: one pane, or the grid of tiles.
func (m Model) logLines(area rect) []string {
	if area.H == 0 {
		return nil
	}
	panes := m.visiblePanes()
	if len(panes) == 0 {
		return block([]string{m.st.Status.Render(fit(" no node yet: waiting for the cluster", area.W))}, area.H)
	}
	if len(panes) == 1 {
		return block(m.paneLines(panes[0], true), area.H)
	}
	out := make([]string, 0, area.H)
	sep := m.st.PaneTitle.Render("│")
	for i := 0; i < len(panes); {
		j := i
		for j < len(panes) && panes[j].r.Y == panes[i].r.Y {
			j++
		}
		tiles := make([][]string, j-i)
		for t := i; t < j; t++ {
			tiles[t-i] = m.paneLines(panes[t], false)
		}
		for k := 0; k < panes[i].r.H; k++ {
			var b strings.Builder
			for t := range tiles {
				if t > 0 {
					b.WriteString(sep)
				}
				b.WriteString(tiles[t][k])
			}
			out = append(out, b.String())
		}
		i = j
	}
	return block(out, area.H)
}

// paneLines draws one pane: a title bar, then its visible lines, each
// exactly the pane's width when tiled. A pane whose inputs are as in the
// last frame is not drawn again.
func (m Model) paneLines(p paneRef, single bool) []string {
	in := paneInputs{
		buf: m.buf(p.key), ps: m.paneState(p.key), r: p.r, focused: p.key == m.focusKey(), single: single,
		zoomed: m.zoomed, filter: m.filter, search: m.search,
	}
	in.ver = in.buf.ver
	if p.key != mergedPane {
		in.state = "?"
		for i := range m.snap.Nodes {
			if m.snap.Nodes[i].ID == p.node {
				in.state = stateText(&m.snap.Nodes[i])
			}
		}
	}
	return m.cache.pane(p.key, in, func() []string { return m.drawPane(p, in) })
}

// drawPane draws one pane from its inputs.
func (m Model) drawPane(p paneRef, in paneInputs) []string {
	w, h := p.r.W, p.r.H
	focused, single, ps := in.focused, in.single, in.ps
	out := make([]string, 0, h)
	out = append(out, m.paneTitle(p, ps, in.state, focused, single))
	keep := matchFilter(m.filter)
	width := w
	if p.key == mergedPane {
		width = w - mergedPrefixWidth
	}
	for _, e := range ps.visible(in.buf, h-1, keep) {
		cur := focused && m.search.has && e.key == m.search.cur
		line := m.search.highlight(e, max(width, 0), cur, m.st)
		if p.key == mergedPane {
			line = m.st.NodeTag.Render(fmt.Sprintf("%2d│ ", e.node)) + line
		}
		if !single {
			line = pad(line, w)
		}
		out = append(out, line)
	}
	for len(out) < h {
		if single {
			out = append(out, "")
		} else {
			out = append(out, strings.Repeat(" ", w))
		}
	}
	return out
}

// paneTitle is a pane's title bar: which node, its state, and whether the
// pane follows, is filtered or is zoomed.
func (m Model) paneTitle(p paneRef, ps pane, state string, focused, single bool) string {
	var parts []string
	if p.key == mergedPane {
		parts = append(parts, "all nodes (merged)")
	} else {
		parts = append(parts, fmt.Sprintf("node %d %s", p.node, state))
	}
	if !ps.follow {
		parts = append(parts, "scrolled, G follows")
	}
	if single && m.filter != "" {
		parts = append(parts, "filter: "+m.filter)
	}
	if single && m.zoomed {
		parts = append(parts, "zoomed, z returns")
	}
	lead := "─ "
	if focused && !single {
		lead = m.st.Cursor + " "
	}
	t := lead + strings.Join(parts, " · ") + " "
	t = pad(t+strings.Repeat("─", max(p.r.W-visibleWidth(t), 0)), p.r.W)
	if focused {
		return m.st.PaneTitleActive.Render(t)
	}
	return m.st.PaneTitle.Render(t)
}
