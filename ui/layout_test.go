package ui

import (
	"fmt"
	"testing"
	"time"

	"slonui/cluster"
)

func TestLayout(t *testing.T) {
	tests := []struct {
		w, h     int
		st       layoutState
		table    int // Table.H
		logs     int // Logs.H
		panes    int
		minPaneW int
		minPaneH int
	}{
		{80, 24, layoutState{view: viewSelected, nodes: 10}, 11, 9, 1, 80, 9},
		{160, 48, layoutState{view: viewSelected, nodes: 10}, 11, 33, 1, 160, 33},
		{80, 24, layoutState{view: viewSelected, nodes: 3}, 4, 16, 1, 80, 16},
		{80, 24, layoutState{view: viewGrid, nodes: 10}, 5, 15, 10, 39, 3},
		{160, 48, layoutState{view: viewGrid, nodes: 10}, 11, 33, 10, 79, 6},
		{80, 24, layoutState{view: viewGrid, nodes: 3}, 4, 16, 3, 80, 5},
		{80, 24, layoutState{view: viewMerged, nodes: 10}, 11, 9, 1, 80, 9},
		{80, 24, layoutState{view: viewGrid, nodes: 10, zoomed: true}, 0, 23, 1, 80, 23},
		{80, 24, layoutState{view: viewSelected, nodes: 10, help: true}, 5, 15, 0, 0, 0},
		{80, 24, layoutState{view: viewSelected, nodes: 0}, 0, 20, 1, 80, 20},
		{40, 8, layoutState{view: viewSelected, nodes: 10}, 0, 4, 1, 40, 4},
	}
	for _, tc := range tests {
		name := fmt.Sprintf("%dx%d_%s_n%d_zoom%v_help%v", tc.w, tc.h, tc.st.view, tc.st.nodes, tc.st.zoomed, tc.st.help)
		t.Run(name, func(t *testing.T) {
			l := layout(tc.w, tc.h, tc.st)
			if l.Table.H != tc.table || l.Logs.H != tc.logs || len(l.Panes) != tc.panes {
				t.Fatalf("table %d logs %d panes %d, want %d %d %d (%+v)",
					l.Table.H, l.Logs.H, len(l.Panes), tc.table, tc.logs, tc.panes, l)
			}
			used := l.Header.H + l.Table.H + l.Logs.H + l.Status.H + l.Keys.H
			if used != tc.h {
				t.Errorf("rows used %d, want %d", used, tc.h)
			}
			for i, p := range l.Panes {
				if p.W < tc.minPaneW || p.H < tc.minPaneH {
					t.Errorf("pane %d is %dx%d, want at least %dx%d", i, p.W, p.H, tc.minPaneW, tc.minPaneH)
				}
				if p.X < 0 || p.Y < l.Logs.Y || p.X+p.W > tc.w || p.Y+p.H > l.Logs.Y+l.Logs.H {
					t.Errorf("pane %d %+v outside the log area %+v", i, p, l.Logs)
				}
				for j, q := range l.Panes[:i] {
					if p.X < q.X+q.W && q.X < p.X+p.W && p.Y < q.Y+q.H && q.Y < p.Y+p.H {
						t.Errorf("panes %d and %d overlap: %+v %+v", j, i, q, p)
					}
				}
			}
		})
	}
}

func TestLayoutNeverNegative(t *testing.T) {
	for w := 0; w <= 30; w += 3 {
		for h := 0; h <= 12; h++ {
			for v := range viewCount {
				for _, n := range []int{0, 1, 10} {
					l := layout(w, h, layoutState{view: v, nodes: n})
					for _, r := range append([]rect{l.Header, l.Table, l.Logs, l.Status, l.Keys}, l.Panes...) {
						if r.W < 0 || r.H < 0 || r.X < 0 || r.Y < 0 {
							t.Fatalf("%dx%d view %v nodes %d: negative rect %+v", w, h, v, n, r)
						}
					}
				}
			}
		}
	}
}

func TestFitColumns(t *testing.T) {
	tests := []struct {
		w    int
		want []string
	}{
		{160, []string{"#", "state", "identity", "slot", "confirm", "root", "txs", "peers", "vote", "L", "rpc", "slots/s"}},
		{80, []string{"#", "state", "slot", "confirm", "root", "txs", "peers", "vote", "L", "rpc", "slots/s"}},
		{62, []string{"#", "state", "slot", "confirm", "root", "peers", "vote", "L", "rpc"}},
		{60, []string{"#", "state", "slot", "confirm", "root", "peers", "vote", "L"}},
		{30, []string{"#", "state", "slot"}},
		{5, []string{"#", "state"}},
	}
	for _, tc := range tests {
		var got []string
		for _, c := range fitColumns(tableColumns(fixedNow), tc.w) {
			got = append(got, c.title)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("width %d: columns %v, want %v", tc.w, got, tc.want)
		}
	}
}

func TestSparkline(t *testing.T) {
	tests := []struct {
		vals []float64
		w    int
		want string
	}{
		{nil, 8, ""},
		{[]float64{0, 0}, 8, "▁▁"},
		{[]float64{1, 2, 4, 8}, 8, "▂▃▅█"},
		{[]float64{9, 9, 1, 2, 4, 8}, 4, "▂▃▅█"},
	}
	for _, tc := range tests {
		if got := sparkline(tc.vals, tc.w); got != tc.want {
			t.Errorf("sparkline(%v, %d) = %q, want %q", tc.vals, tc.w, got, tc.want)
		}
	}
}

func TestLatencyText(t *testing.T) {
	polled := fixedNow.Add(-time.Second)
	tests := []struct {
		n    cluster.NodeSnapshot
		want string
	}{
		{cluster.NodeSnapshot{}, "-"},
		{cluster.NodeSnapshot{Polled: polled, PollErr: "refused"}, "err"},
		{cluster.NodeSnapshot{Polled: fixedNow.Add(-10 * time.Second), RPCLatency: time.Millisecond}, "stale"},
		{cluster.NodeSnapshot{Polled: polled, RPCLatency: 420 * time.Microsecond}, "420µs"},
		{cluster.NodeSnapshot{Polled: polled, RPCLatency: 37 * time.Millisecond}, "37ms"},
		{cluster.NodeSnapshot{Polled: polled, RPCLatency: 12 * time.Second}, "12s"},
	}
	for _, tc := range tests {
		if got := latencyText(&tc.n, fixedNow); got != tc.want {
			t.Errorf("latencyText(%+v) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestStateText(t *testing.T) {
	tests := []struct {
		n    cluster.NodeSnapshot
		want string
	}{
		{cluster.NodeSnapshot{State: cluster.NodeStarting}, "starting"},
		{cluster.NodeSnapshot{State: cluster.NodePaused}, "paused"},
		{cluster.NodeSnapshot{State: cluster.NodeExited, ExitCode: 3}, "exited(3)"},
		{cluster.NodeSnapshot{State: cluster.NodeExited, ExitCode: -1, Signal: "SIGKILL"}, "exited(KILL)"},
		{cluster.NodeSnapshot{State: cluster.NodeStopped}, "stopped"},
	}
	for _, tc := range tests {
		if got := stateText(&tc.n); got != tc.want {
			t.Errorf("stateText(%+v) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
