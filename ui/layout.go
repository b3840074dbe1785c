package ui

import "math"

// rect is a region of the screen in cells; Y counts rows from the top.
type rect struct{ X, Y, W, H int }

// viewKind is which log view is shown under the table.
type viewKind int

const (
	viewSelected viewKind = iota // the selected node's log
	viewGrid                     // every node tiled, the tmux view
	viewMerged                   // every node's lines in one stream, prefixed by node
	viewForks                    // the fork view and the leader timeline
	viewLoad                     // the load panel
	viewCount
)

func (v viewKind) String() string {
	switch v {
	case viewSelected:
		return "node"
	case viewGrid:
		return "grid"
	case viewMerged:
		return "merged"
	case viewForks:
		return "forks"
	case viewLoad:
		return "load"
	}
	return "?"
}

// layoutState is what the layout depends on besides the terminal size.
type layoutState struct {
	view   viewKind
	zoomed bool // one pane fills the screen
	nodes  int
	help   bool // full help replaces the log area
}

// screenLayout is where each part of the screen goes. A zero rect is not drawn.
type screenLayout struct {
	Header rect
	Table  rect // TableHead row plus Table.H-1 node rows
	Logs   rect // the whole log area (or the full help when open)
	Panes  []rect
	Status rect
	Keys   rect // the short help line
}

const (
	headerHeight  = 2
	minPaneHeight = 6  // title plus five lines
	minTileWidth  = 20 // narrowest legible grid tile
	minTileHeight = 2  // title plus one line
)

// layout places every part of the screen for a w×h terminal. It is pure.
func layout(w, h int, st layoutState) screenLayout {
	var l screenLayout
	if w <= 0 || h <= 0 {
		return l
	}
	if st.zoomed && !st.help {
		l.Logs = rect{0, 0, w, max(h-1, 0)}
		l.Panes = []rect{l.Logs}
		l.Status = rect{0, h - 1, w, 1}
		return l
	}
	if h < 2 {
		l.Status = rect{0, 0, w, h}
		return l
	}
	l.Status = rect{0, h - 2, w, 1}
	l.Keys = rect{0, h - 1, w, 1}
	hdr := min(headerHeight, max(h-2, 0))
	l.Header = rect{0, 0, w, hdr}
	avail := max(h-2-hdr, 0)

	minLogs := max(minPaneHeight, avail/3)
	if st.view == viewGrid || st.help {
		minLogs = max(minPaneHeight, avail*3/4)
	}
	rows := min(st.nodes, avail-1-minLogs)
	if rows < min(st.nodes, 1) {
		rows = min(st.nodes, max(avail-1-minPaneHeight, 0))
	}
	rows = max(rows, 0)
	tableH := 0
	if rows > 0 {
		tableH = rows + 1
	}
	l.Table = rect{0, hdr, w, tableH}
	l.Logs = rect{0, hdr + tableH, w, max(avail-tableH, 0)}
	if st.help || l.Logs.H == 0 {
		return l
	}
	if st.view == viewGrid && st.nodes > 1 {
		l.Panes = grid(l.Logs, st.nodes)
	} else {
		l.Panes = []rect{l.Logs}
	}
	return l
}

// grid tiles area with n panes, choosing the column count that scores best
// on content lines × width^1.5 (width capped at 100: wide tiles read better
// than many narrow ones), with tiles at least minTileWidth wide and
// minTileHeight tall; ties go to fewer, wider columns. Columns are separated
// by one cell.
func grid(area rect, n int) []rect {
	best, bestScore := 1, -1.0
	for cols := 1; cols <= n; cols++ {
		rows := (n + cols - 1) / cols
		tw := (area.W - (cols - 1)) / cols
		th := area.H / rows
		if tw < minTileWidth && cols > 1 {
			break
		}
		if th < minTileHeight {
			continue
		}
		cw := float64(min(tw, 100))
		if score := float64(th-1) * cw * math.Sqrt(cw); score > bestScore {
			best, bestScore = cols, score
		}
	}
	cols := best
	rows := (n + cols - 1) / cols
	tw := (area.W - (cols - 1)) / cols
	panes := make([]rect, 0, n)
	y := area.Y
	for r := range rows {
		th := area.H / rows
		if r < area.H%rows {
			th++
		}
		x := area.X
		for c := range cols {
			if len(panes) == n {
				break
			}
			cw := tw
			if c == cols-1 {
				cw = area.X + area.W - x
			}
			panes = append(panes, rect{x, y, cw, th})
			x += cw + 1
		}
		y += th
	}
	return panes
}
