package ui

import "sort"

// paneRef is one log pane on screen.
type paneRef struct {
	key  int // panes/bufs key: node id, or mergedPane
	node int // node id, 0 for the merged stream
	r    rect
}

func (m Model) layoutNow() screenLayout {
	// Help, panels and the fork and load views take the log area without panes.
	full := m.showHelp || m.panel != panelNone || m.view == viewForks || m.view == viewLoad
	return layout(m.w, m.h, layoutState{view: m.view, zoomed: m.zoomed && !full, nodes: len(m.snap.Nodes), help: full})
}

// visiblePanes lists the panes on screen with their rectangles.
func (m Model) visiblePanes() []paneRef {
	l := m.layoutNow()
	if len(l.Panes) == 0 {
		return nil
	}
	sel := m.selectedID()
	switch {
	case m.view == viewMerged:
		return []paneRef{{key: mergedPane, r: l.Panes[0]}}
	case m.view == viewGrid && !m.zoomed && len(l.Panes) == len(m.snap.Nodes):
		out := make([]paneRef, len(l.Panes))
		for i, r := range l.Panes {
			id := m.snap.Nodes[i].ID
			out[i] = paneRef{key: id, node: id, r: r}
		}
		return out
	case sel != 0:
		return []paneRef{{key: sel, node: sel, r: l.Panes[0]}}
	}
	return nil
}

// focusKey is the key of the pane that scrolling, search and save act on.
func (m Model) focusKey() int {
	if m.view == viewMerged {
		return mergedPane
	}
	return m.selectedID()
}

// focusHeight is the number of log lines the focused pane shows.
func (m Model) focusHeight() int {
	k := m.focusKey()
	for _, p := range m.visiblePanes() {
		if p.key == k {
			return max(p.r.H-1, 1)
		}
	}
	return 10
}

// buf returns the buffer behind a pane key (an empty one if none yet).
func (m Model) buf(key int) *logBuf {
	if key == mergedPane {
		return m.merged
	}
	if b := m.bufs[key]; b != nil {
		return b
	}
	return newLogBuf(m.opts.ScrollBack)
}

// paneState returns a pane's scroll state; new panes follow.
func (m Model) paneState(key int) pane {
	if p, ok := m.panes[key]; ok {
		return p
	}
	return pane{follow: true}
}

// setPane stores a pane's scroll state. Model values share their log
// buffers and pane states; only the newest model is ever used.
func (m Model) setPane(key int, p pane) Model {
	m.panes[key] = p
	return m
}

// pullRequest asks for the new lines of every node a visible pane shows.
func (m Model) pullRequest() pullReq {
	want := map[int]bool{}
	for _, p := range m.visiblePanes() {
		if p.key == mergedPane {
			for _, n := range m.snap.Nodes {
				want[n.ID] = true
			}
		} else {
			want[p.node] = true
		}
	}
	if len(want) == 0 && m.selectedID() != 0 {
		want[m.selectedID()] = true
	}
	req := pullReq{max: m.opts.ScrollBack}
	for id := range want {
		req.nodes = append(req.nodes, id)
	}
	sort.Ints(req.nodes)
	for _, id := range req.nodes {
		var seq uint64
		if b := m.bufs[id]; b != nil {
			seq = b.lastSeq
		}
		req.seqs = append(req.seqs, seq)
	}
	return req
}

// ptySizes is the size of each visible node's pane, for its pty.
func (m Model) ptySizes() map[int][2]int {
	sizes := map[int][2]int{}
	for _, p := range m.visiblePanes() {
		cols, rows := p.r.W, max(p.r.H-1, 1)
		if p.key == mergedPane {
			for _, n := range m.snap.Nodes {
				sizes[n.ID] = [2]int{max(cols-mergedPrefixWidth, 1), rows}
			}
			continue
		}
		sizes[p.node] = [2]int{cols, rows}
	}
	return sizes
}
