package ui

import (
	"fmt"
	"strings"
)

// headerLines draws the two header lines: cluster and node count, then the
// slots, TPS, forks, faults and load.
func (m Model) headerLines(r rect) []string {
	if r.H == 0 {
		return nil
	}
	s, st := m.snap, m.st
	name := s.Name
	if name == "" {
		name = "cluster"
	}
	left := st.Title.Render("slonui") + " " + st.Value.Render(name)
	if s.Dir != "" {
		left += " " + st.Label.Render(s.Dir)
	}
	right := st.Label.Render("nodes ") + st.Value.Render(fmt.Sprintf("%d/%d", s.Up(), len(s.Nodes))) +
		st.Label.Render(" up")
	line1 := spread(left, right, r.W)

	p, c, f := s.Highest()
	parts := []string{
		st.Label.Render("slot ") + st.Value.Render(fmt.Sprint(p)),
		st.Label.Render("confirmed ") + st.Value.Render(fmt.Sprint(c)),
		st.Label.Render("finalized ") + st.Value.Render(fmt.Sprint(f)),
		st.Label.Render("tps ") + st.Value.Render(fmt.Sprintf("%.1f", s.TPS)),
		st.Label.Render("forks ") + st.Value.Render(fmt.Sprint(s.Forks)),
	}
	if s.Faults != "" {
		parts = append(parts, st.Fault.Render("faults: "+s.Faults))
	}
	if s.Load != "" {
		parts = append(parts, st.Load.Render("load: "+s.Load))
	}
	line2 := fit(strings.Join(parts, "  "), r.W)
	return block([]string{line1, line2}, r.H)
}

// spread puts left and right on one line of w cells, cutting left first.
func spread(left, right string, w int) string {
	rw := visibleWidth(right)
	if rw+2 > w {
		return fit(left, w)
	}
	left = fit(left, w-rw-2)
	return pad(left, w-rw) + right
}
