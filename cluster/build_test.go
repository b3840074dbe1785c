package cluster

import (
	"math"
	"reflect"
	"testing"
	"time"

	"slonui/node"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// pts builds points every step from t0 with the given slots and txs.
func pts(step time.Duration, slots, txs []uint64) []point {
	out := make([]point, len(slots))
	for i := range slots {
		out[i] = point{At: t0.Add(time.Duration(i) * step), Slot: slots[i]}
		if txs != nil {
			out[i].Txs = txs[i]
		}
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestSlotRates(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name string
		pts  []point
		step time.Duration
		n    int
		want []float64
	}{
		{"none", nil, time.Second, 5, nil},
		{"one point", pts(ms, []uint64{5}, nil), time.Second, 5, nil},
		{"shorter than a step", pts(250*ms, []uint64{1, 2, 3}, nil), time.Second, 5, nil},
		{"2.5 slots/s at 250ms polls", pts(250*ms, []uint64{0, 0, 1, 1, 2, 3, 3, 4, 5}, nil), time.Second, 5, []float64{2, 3}},
		{"limited to n newest", pts(time.Second, []uint64{0, 1, 3, 6, 10}, nil), time.Second, 2, []float64{3, 4}},
		{"stalled node", pts(time.Second, []uint64{7, 7, 7}, nil), time.Second, 5, []float64{0, 0}},
		{"restart ends the series", pts(time.Second, []uint64{50, 60, 2, 4}, nil), time.Second, 5, []float64{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slotRates(tt.pts, tt.step, tt.n)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if !near(got[i], tt.want[i]) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestTxRate(t *testing.T) {
	s := time.Second
	tests := []struct {
		name   string
		pts    []point
		window time.Duration
		want   float64
		ok     bool
	}{
		{"none", nil, 5 * s, 0, false},
		{"single", pts(s, []uint64{1}, []uint64{10}), 5 * s, 0, false},
		{"steady 100/s", pts(s, []uint64{1, 2, 3, 4}, []uint64{0, 100, 200, 300}), 5 * s, 100, true},
		{"window keeps newest", pts(s, []uint64{1, 2, 3, 4, 5}, []uint64{0, 1000, 1010, 1020, 1030}), 3 * s, 10, true},
		{"counter reset after restart", pts(s, []uint64{1, 2, 3, 4}, []uint64{500, 600, 20, 40}), 10 * s, 20, true},
		{"idle", pts(s, []uint64{1, 2, 3}, []uint64{9, 9, 9}), 5 * s, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := txRate(tt.pts, tt.window)
			if ok != tt.ok || !near(got, tt.want) {
				t.Fatalf("txRate = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCountForks(t *testing.T) {
	tests := []struct {
		name  string
		tips  []uint64
		slack uint64
		want  int
	}{
		{"no nodes", nil, 8, 0},
		{"one node", []uint64{100}, 8, 1},
		{"healthy, within slack", []uint64{100, 103, 98}, 8, 1},
		{"one lagging node", []uint64{100, 101, 60}, 8, 2},
		{"three apart", []uint64{10, 100, 200, 101}, 8, 3},
		{"chain of small gaps is one", []uint64{100, 107, 114, 121}, 8, 1},
		{"exactly slack apart is one", []uint64{100, 108}, 8, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := countForks(tt.tips, tt.slack); got != tt.want {
				t.Fatalf("countForks(%v) = %d, want %d", tt.tips, got, tt.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}}
	for _, tt := range tests {
		if got := median(tt.in); !near(got, tt.want) {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBuildSnapshot(t *testing.T) {
	opts := buildOptions{RateStep: time.Second, RatePoints: 30, TPSWindow: 5 * time.Second, ForkSlack: 8, Stale: 2 * time.Second}
	now := t0.Add(4 * time.Second)
	sample := func(slot uint64, leaders ...uint64) Sample {
		return Sample{At: now.Add(-100 * time.Millisecond), Answered: true, Slot: slot, Confirmed: slot - 1, Root: slot - 30, Txs: slot * 10, Peers: 2, LastVote: slot - 1, LeaderSlots: leaders, Latency: 3 * time.Millisecond}
	}
	views := []nodeView{
		{base: NodeSnapshot{ID: 1, State: NodeRunning}, sample: sample(104, 104, 105), ok: sample(104, 104, 105),
			points: pts(time.Second, []uint64{100, 101, 102, 103, 104}, []uint64{0, 100, 200, 300, 400})},
		{base: NodeSnapshot{ID: 2, State: NodeRunning}, sample: sample(103), ok: sample(103),
			points: pts(time.Second, []uint64{100, 101, 102, 103, 103}, []uint64{0, 200, 400, 600, 800})},
		// exited: its old numbers stay, but it counts for nothing live
		{base: NodeSnapshot{ID: 3, State: NodeExited, ExitCode: 3}, sample: sample(40, 104), ok: sample(40, 104)},
		// running but answering with a transport error only: no numbers yet
		{base: NodeSnapshot{ID: 4, State: NodeStarting}, sample: Sample{At: now, Err: "connection refused"}},
	}
	s := buildSnapshot(now, "/c", "c", views, opts)
	if s.Forks != 1 {
		t.Errorf("forks = %d, want 1 (the exited node's old tip does not count)", s.Forks)
	}
	if !near(s.TPS, 150) {
		t.Errorf("TPS = %v, want median of 100 and 200 = 150", s.TPS)
	}
	if !s.Nodes[0].Leader || s.Nodes[1].Leader || s.Nodes[2].Leader {
		t.Errorf("leaders = %v %v %v, want only node 1 (leads slot 104, the cluster's highest)", s.Nodes[0].Leader, s.Nodes[1].Leader, s.Nodes[2].Leader)
	}
	if n := s.Nodes[0]; n.Slot != 104 || n.Confirmed != 103 || n.Root != 74 || n.Txs != 1040 || n.Peers != 2 || n.LastVote != 103 {
		t.Errorf("node 1 numbers wrong: %+v", n)
	}
	if got := s.Nodes[0].SlotRate; len(got) != 4 || !near(got[3], 1) {
		t.Errorf("node 1 slot rate %v, want 4 figures of 1/s", got)
	}
	if n := s.Nodes[2]; n.State != NodeExited || n.ExitCode != 3 || n.Slot != 40 {
		t.Errorf("exited node: %+v", n)
	}
	if n := s.Nodes[3]; n.PollErr != "connection refused" || n.Slot != 0 || !n.Polled.IsZero() {
		t.Errorf("unanswered node: %+v", n)
	}
	if p, c, f := s.Highest(); p != 104 || c != 103 || f != 74 {
		t.Errorf("Highest = %d %d %d", p, c, f)
	}
}

// TestBuildSnapshotLiveForks: a node's live-forks gauge is shown on its row
// but does not change the cluster's fork count, which comes from heights.
func TestBuildSnapshotLiveForks(t *testing.T) {
	opts := buildOptions{RateStep: time.Second, RatePoints: 30, TPSWindow: 5 * time.Second, ForkSlack: 8, Stale: 2 * time.Second}
	s := func(slot uint64, forks int) Sample {
		return Sample{At: t0, Answered: true, Slot: slot, LiveForks: forks}
	}
	views := []nodeView{
		{base: NodeSnapshot{State: NodeRunning}, ok: s(100, 7)},
		{base: NodeSnapshot{State: NodeRunning}, ok: s(101, 1)},
	}
	snap := buildSnapshot(t0, "/c", "c", views, opts)
	if snap.Forks != 1 || snap.Nodes[0].LiveForks != 7 || snap.Nodes[1].LiveForks != 1 {
		t.Fatalf("forks %d, live forks %d %d; want 1, 7, 1", snap.Forks, snap.Nodes[0].LiveForks, snap.Nodes[1].LiveForks)
	}
}

// BenchmarkBuildSnapshot10Nodes is the cost of one Snapshot at 10 nodes with
// full histories (240 points each), as the UI pulls it every tick.
func BenchmarkBuildSnapshot10Nodes(b *testing.B) {
	opts := buildOptions{RateStep: time.Second, RatePoints: 30, TPSWindow: 5 * time.Second, ForkSlack: 8, Stale: 2 * time.Second}
	var views []nodeView
	for i := range 10 {
		var ps []point
		for k := range 240 {
			ps = append(ps, point{At: t0.Add(time.Duration(k) * 250 * time.Millisecond), Slot: uint64(k*5/8 + i), Txs: uint64(k * 40)})
		}
		last := ps[len(ps)-1]
		s := Sample{At: last.At, Answered: true, Slot: last.Slot, Txs: last.Txs, LeaderSlots: []uint64{1, 2, 3, 4}}
		views = append(views, nodeView{base: NodeSnapshot{ID: i + 1, State: NodeRunning}, sample: s, ok: s, points: ps})
	}
	now := t0.Add(60 * time.Second)
	b.ReportAllocs()
	for b.Loop() {
		buildSnapshot(now, "/c", "c", views, opts)
	}
}

func TestChainForks(t *testing.T) {
	view := func(tips []string, onChain map[string]bool) *nodeView {
		return &nodeView{base: NodeSnapshot{State: NodeRunning}, tips: tips, ok: Sample{Answered: true, OnChain: onChain}}
	}
	tests := []struct {
		name   string
		views  []*nodeView
		want   int
		usable bool
	}{
		{"none", nil, 0, true},
		{"one node, never checked", []*nodeView{view([]string{"a1"}, nil)}, 1, true},
		{"healthy", []*nodeView{
			view([]string{"a1"}, map[string]bool{"b1": true, "c1": true}),
			view([]string{"b1"}, map[string]bool{"a1": true, "c1": true}),
			view([]string{"c1"}, map[string]bool{"a1": true, "b1": true}),
		}, 1, true},
		{"2|1 partition", []*nodeView{
			view([]string{"a1"}, map[string]bool{"b1": true, "c1": false}),
			view([]string{"b1"}, map[string]bool{"a1": true, "c1": false}),
			view([]string{"c1"}, map[string]bool{"a1": false, "b1": false}),
		}, 2, true},
		{"one direction is enough (a behind b)", []*nodeView{
			view([]string{"a1"}, map[string]bool{"b1": false}),
			view([]string{"b1"}, map[string]bool{"a1": true}),
		}, 1, true},
		{"an older tip of a node counts", []*nodeView{
			view([]string{"a0", "a1"}, map[string]bool{"b1": false}),
			view([]string{"b1"}, map[string]bool{"a0": true}),
		}, 1, true},
		{"three forks", []*nodeView{
			view([]string{"a1"}, map[string]bool{"b1": false, "c1": false}),
			view([]string{"b1"}, map[string]bool{"a1": false, "c1": false}),
			view([]string{"c1"}, map[string]bool{"a1": false, "b1": false}),
		}, 3, true},
		{"transitive through a middle node", []*nodeView{
			view([]string{"a1"}, map[string]bool{"b1": false, "c1": false}),
			view([]string{"b1"}, map[string]bool{"a1": true, "c1": false}),
			view([]string{"c1"}, map[string]bool{"a1": false, "b1": true}),
		}, 1, true},
		{"a node that cannot answer", []*nodeView{
			view([]string{"a1"}, map[string]bool{"b1": true}),
			view([]string{"b1"}, nil),
		}, 0, false},
		{"a node without a tip hash", []*nodeView{
			view([]string{"a1"}, map[string]bool{"b1": true}),
			view(nil, map[string]bool{"a1": true}),
		}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := chainForks(tt.views)
			if got != tt.want || ok != tt.usable {
				t.Fatalf("chainForks = %d, %v; want %d, %v", got, ok, tt.want, tt.usable)
			}
		})
	}
}

// TestMemberFiguresMatchTheBuilder checks that the figures a member works
// out when a poll answers are what the builder works out from the points.
func TestMemberFiguresMatchTheBuilder(t *testing.T) {
	opts := buildOptions{RateStep: time.Second, RatePoints: 30, TPSWindow: 5 * time.Second, ForkSlack: 8, Stale: time.Hour}
	m := &member{spec: NodeSpec{ID: 1}, ring: node.NewRing(10), state: NodeStarting}
	for k := range 100 {
		slot := uint64(100 + k*5/4)
		if k == 60 { // a restart of the counters
			slot = 3
		}
		m.record(0, Sample{At: t0.Add(time.Duration(k) * 500 * time.Millisecond), Answered: true, Slot: slot, Txs: uint64(k * k)}, 80, opts)
	}
	v := m.view()
	if v.fromPoints == nil {
		t.Fatal("the member worked out no figures")
	}
	now := t0.Add(50 * time.Second)
	got := buildSnapshot(now, "/c", "c", []nodeView{v}, opts)
	v.fromPoints = nil
	want := buildSnapshot(now, "/c", "c", []nodeView{v}, opts)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("snapshot from the member's figures\n%+v\nwant\n%+v", got, want)
	}
	if len(got.Nodes[0].SlotRate) == 0 || len(got.Nodes[0].Tips) == 0 {
		t.Errorf("no rates or tips: %+v", got.Nodes[0])
	}
}
