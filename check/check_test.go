package check

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

// chain returns parent links for a linear chain of slots.
func chain(slots ...uint64) map[uint64]uint64 {
	m := map[uint64]uint64{}
	for i := 1; i < len(slots); i++ {
		m[slots[i]] = slots[i-1]
	}
	return m
}

func TestForks(t *testing.T) {
	main := chain(10, 11, 12, 13, 16, 17, 20)
	dead := chain(10, 11, 14, 15) // node 5's fork while cut off: leaves 11
	tests := []struct {
		name  string
		round Round
		want  []Fork
	}{
		{"one chain, nodes at different heights", Round{
			{Node: 1, Processed: 20, Parents: main},
			{Node: 2, Processed: 17, Parents: main},
			{Node: 3, Processed: 20},
		}, []Fork{{20, []int{1, 2, 3}}}},
		{"a tip on a dead fork", Round{
			{Node: 1, Processed: 20, Parents: main},
			{Node: 2, Processed: 20, Parents: main},
			{Node: 5, Processed: 15, Parents: dead},
		}, []Fork{{20, []int{1, 2}}, {15, []int{5}}}},
		{"node at the fork point is on both", Round{
			{Node: 1, Processed: 20, Parents: main},
			{Node: 4, Processed: 11, Parents: chain(10, 11)},
			{Node: 5, Processed: 15, Parents: dead},
		}, []Fork{{20, []int{1, 4}}, {15, []int{4, 5}}}},
		{"unknown ancestry counts as another chain", Round{
			{Node: 1, Processed: 20},
			{Node: 2, Processed: 17},
		}, []Fork{{20, []int{1}}, {17, []int{2}}}},
		{"equal tips need no links", Round{
			{Node: 1, Processed: 9}, {Node: 2, Processed: 9},
		}, []Fork{{9, []int{1, 2}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Forks(tc.round); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Forks = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIsAncestor(t *testing.T) {
	p := chain(3, 5, 8)
	tests := []struct {
		a, b uint64
		want bool
	}{{3, 8, true}, {5, 8, true}, {8, 8, true}, {4, 8, false}, {8, 5, false}, {1, 8, false}}
	for _, tc := range tests {
		if got := IsAncestor(p, tc.a, tc.b); got != tc.want {
			t.Errorf("IsAncestor(%d, %d) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if IsAncestor(map[uint64]uint64{5: 5}, 1, 5) { // a self-loop must not spin
		t.Error("self-loop: want false")
	}
}

func TestConverged(t *testing.T) {
	main := chain(10, 11, 12, 13)
	h := map[uint64]string{11: "h11", 12: "h12"}
	tests := []struct {
		name   string
		round  Round
		ok     bool
		reason string
	}{
		{"one chain, equal hash at the common confirmed slot", Round{
			{Node: 1, Processed: 13, Confirmed: 12, Parents: main, Hashes: h},
			{Node: 2, Processed: 12, Confirmed: 11, Parents: main, Hashes: h},
		}, true, ""},
		{"two forks", Round{
			{Node: 1, Processed: 13, Confirmed: 12, Parents: main, Hashes: h},
			{Node: 2, Processed: 14, Confirmed: 11, Parents: chain(10, 11, 14), Hashes: h},
		}, false, "2 forks"},
		{"hash differs at the common slot", Round{
			{Node: 1, Processed: 13, Confirmed: 11, Parents: main, Hashes: h},
			{Node: 2, Processed: 13, Confirmed: 11, Parents: main, Hashes: map[uint64]string{11: "other"}},
		}, false, "slot 11: node 1 has hash h11, node 2 has other"},
		{"a node without the hash", Round{
			{Node: 1, Processed: 13, Confirmed: 11, Parents: main, Hashes: h},
			{Node: 2, Processed: 13, Confirmed: 11, Parents: main},
		}, false, "node 2 does not report the hash of slot 11"},
		{"no samples", nil, false, "no samples"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Converged(tc.round)
			if v.OK != tc.ok || !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("Converged = %v %q, want %v %q", v.OK, v.Reason, tc.ok, tc.reason)
			}
		})
	}
}

func TestConvergenceTime(t *testing.T) {
	main := chain(10, 11, 12, 13, 20, 21)
	split := Round{
		{Node: 1, T: at(1), Processed: 13, Parents: main},
		{Node: 2, T: at(1), Processed: 15, Parents: chain(10, 11, 15)},
	}
	healed := func(s float64) Round {
		return Round{
			{Node: 1, T: at(s), Processed: 21, Parents: main},
			{Node: 2, T: at(s), Processed: 20, Parents: main},
		}
	}
	stillSplit := slicesWithT(split, 6)
	rounds := []Round{healed(0.5), split, stillSplit, healed(7.5), healed(8)}
	d, ok := ConvergenceTime(rounds, at(5))
	if !ok || d != 2500*time.Millisecond {
		t.Errorf("ConvergenceTime = %v %v, want 2.5s true (the converged round before the heal does not count)", d, ok)
	}
	if _, ok := ConvergenceTime([]Round{split, stillSplit}, at(5)); ok {
		t.Error("never converged: want ok false")
	}
}

func slicesWithT(r Round, sec float64) Round {
	out := make(Round, len(r))
	for i, s := range r {
		s.T = at(sec)
		out[i] = s
	}
	return out
}

func TestRecovered(t *testing.T) {
	heal := at(10)
	// Node 1: finalized 5 at the heal, then 5 (old), 6, 6, 7, 8 → 3 new.
	// Node 2: no sample before the heal: 1, 2, 3 all count → 3 new.
	// Node 3: 4 at the heal, then 3 (a lower value, not new), 5 → 1 new.
	hist := []Sample{
		{Node: 1, T: at(9), Finalized: 5},
		{Node: 1, T: at(11), Finalized: 5},
		{Node: 1, T: at(12), Finalized: 6},
		{Node: 1, T: at(13), Finalized: 6},
		{Node: 1, T: at(14), Finalized: 7},
		{Node: 1, T: at(15), Finalized: 8},
		{Node: 2, T: at(11), Finalized: 1},
		{Node: 2, T: at(12), Finalized: 2},
		{Node: 2, T: at(16), Finalized: 3},
		{Node: 3, T: at(10), Finalized: 4}, // exactly at the heal: the baseline
		{Node: 3, T: at(11), Finalized: 3},
		{Node: 3, T: at(12), Finalized: 5},
	}
	v := Recovered(hist, []int{1, 2}, heal, 3)
	if !v.OK || v.Elapsed != 6*time.Second {
		t.Errorf("nodes 1,2 need 3: OK %v elapsed %v (%q), want true 6s", v.OK, v.Elapsed, v.Reason)
	}
	want := []NodeRecovery{{1, 3, at(15)}, {2, 3, at(16)}}
	if !reflect.DeepEqual(v.Nodes, want) {
		t.Errorf("nodes %v, want %v", v.Nodes, want)
	}
	v = Recovered(hist, []int{1, 2, 3, 4}, heal, 3)
	if v.OK || v.Reason != "node 3 saw 1 new finalized slots since the heal, want 3" || v.Elapsed != 0 {
		t.Errorf("with node 3: OK %v %q %v", v.OK, v.Reason, v.Elapsed)
	}
	if v.Nodes[3].NewRoots != 0 {
		t.Errorf("node 4 without samples: %d", v.Nodes[3].NewRoots)
	}
	// Agave's 16: 16 distinct new roots pass, 15 do not.
	var h16 []Sample
	for i := range 16 {
		h16 = append(h16, Sample{Node: 1, T: at(11 + float64(i)), Finalized: uint64(100 + i)})
	}
	if v := Recovered(h16, []int{1}, heal, DefaultNewRoots); !v.OK || v.Elapsed != 16*time.Second {
		t.Errorf("16 roots: %v %v", v.OK, v.Elapsed)
	}
	if v := Recovered(h16[:15], []int{1}, heal, DefaultNewRoots); v.OK {
		t.Error("15 roots: want not recovered")
	}
}

func TestLeaderRotation(t *testing.T) {
	sched := map[uint64]string{}
	for s := uint64(0); s < 12; s++ {
		sched[s] = []string{"A", "B", "C"}[s/4]
	}
	blocks := map[uint64]string{0: "A", 1: "A", 2: "A", 3: "A", 4: "B", 6: "B", 8: "C", 9: "C", 10: "C", 11: "C"}
	v := LeaderRotation(sched, blocks, 0, 11)
	if !v.OK || v.Slots != 12 || v.Produced != 10 {
		t.Errorf("OK %v slots %d produced %d", v.OK, v.Slots, v.Produced)
	}
	if want := []LeaderSkips{{"B", []uint64{5, 7}}}; !reflect.DeepEqual(v.Skipped, want) {
		t.Errorf("skipped %v, want %v", v.Skipped, want)
	}
	if r := v.SkipRate(); r < 0.166 || r > 0.167 {
		t.Errorf("skip rate %v", r)
	}
	blocks[9] = "A"
	blocks[12] = "A"
	v = LeaderRotation(sched, blocks, 0, 12)
	if v.OK || !reflect.DeepEqual(v.Mismatches, []LeaderMismatch{{9, "C", "A"}}) || !reflect.DeepEqual(v.Unscheduled, []uint64{12}) {
		t.Errorf("wrong leader: %+v", v)
	}
	if !strings.Contains(v.Reason, "slot 9 by A, scheduled C") {
		t.Errorf("reason %q", v.Reason)
	}
}

func TestVoteActivity(t *testing.T) {
	hist := []Sample{
		{Node: 1, T: at(1), LastVote: 10}, {Node: 1, T: at(2), LastVote: 14},
		{Node: 2, T: at(1), LastVote: 10}, {Node: 2, T: at(2), LastVote: 10},
		{Node: 3, T: at(1), LastVote: 10}, {Node: 3, T: at(2), LastVote: 12, Delinquent: true},
		{Node: 4, T: at(2), LastVote: 12},
	}
	v := VoteActivity(hist, []int{1, 2, 3, 4})
	if v.OK || !reflect.DeepEqual(v.Stalled, []int{2, 4}) || !reflect.DeepEqual(v.Delinquent, []int{3}) {
		t.Errorf("stalled %v delinquent %v ok %v", v.Stalled, v.Delinquent, v.OK)
	}
	if v.Reason != "votes not advancing on nodes [2 4]; delinquent: nodes [3]" {
		t.Errorf("reason %q", v.Reason)
	}
	if v := VoteActivity(hist, []int{1}); !v.OK {
		t.Errorf("node 1 alone: %q", v.Reason)
	}
}

func TestPeerDiscovery(t *testing.T) {
	start := at(0)
	hist := []Sample{
		{Node: 1, T: at(1), Peers: 2},
		{Node: 2, T: at(1), Peers: 1},
		{Node: 3, T: at(2), Peers: 2},
		{Node: 1, T: at(3), Peers: 1}, // node 1 loses one again
		{Node: 2, T: at(4), Peers: 2}, // not yet: node 1 is short
		{Node: 1, T: at(5), Peers: 2}, // everyone lists everyone
	}
	v := PeerDiscovery(hist, start, 3)
	if !v.OK || v.Elapsed != 5*time.Second {
		t.Errorf("PeerDiscovery = %v %v, want true 5s", v.OK, v.Elapsed)
	}
	v = PeerDiscovery(hist[:5], start, 3)
	if v.OK || !reflect.DeepEqual(v.Missing, []int{1}) {
		t.Errorf("without the last sample: %v missing %v", v.OK, v.Missing)
	}
	v = PeerDiscovery(hist, start, 4)
	if v.OK || !reflect.DeepEqual(v.Missing, []int{1, 2, 3, 4}) {
		t.Errorf("4 nodes: %v missing %v", v.OK, v.Missing)
	}
}

func TestTargets(t *testing.T) {
	tests := []struct {
		metric Metric
		value  float64
		want   Grade
	}{
		{MetricThroughput, 10000, TargetMet},
		{MetricThroughput, 9999, Pass},
		{MetricThroughput, 8000, Fail}, // pass is more than 8,000
		{MetricThroughput, 8001, Pass},
		{MetricConfirmationP99, 0.999, TargetMet},
		{MetricConfirmationP99, 1, Pass},
		{MetricConfirmationP99, 2, Fail},
		{MetricForkResolution, 59, TargetMet},
		{MetricForkResolution, 119, Pass},
		{MetricForkResolution, 120, Fail},
		{MetricPeerDiscovery, 30, Pass},
		{MetricPeerDiscovery, 61, Fail},
		{MetricNetworkLatency, 0.099, TargetMet},
		{MetricNetworkLatency, 0.150, Pass},
		{MetricMLInference, 0.004, Pass},
		{MetricMLInference, 0.005, Fail},
	}
	for _, tc := range tests {
		rows, _ := Targets(Measurements{tc.metric: tc.value})
		var got *TargetRow
		for i := range rows {
			if rows[i].Metric == tc.metric {
				got = &rows[i]
			}
		}
		if got == nil || got.Grade != tc.want {
			t.Errorf("metric %d value %v: %+v, want %v", tc.metric, tc.value, got, tc.want)
		}
	}
	rows, ok := Targets(Measurements{MetricThroughput: 9000, MetricForkResolution: Seconds(130 * time.Second)})
	if ok || len(rows) != 5 {
		t.Errorf("ok %v rows %d: want false and 5 rows (ML inference left out when not measured)", ok, len(rows))
	}
	var b strings.Builder
	if err := WriteTargets(&b, rows); err != nil {
		t.Fatal(err)
	}
	want := `METRIC                   TARGET       PASS         MEASURED   RESULT
Throughput               10,000 TPS   > 8,000 TPS  9,000 TPS  pass
Confirmation time (P99)  < 1 s (P99)  < 2 s (P99)  —          not measured
Fork resolution          < 60 s       < 120 s      130 s      FAIL
Peer discovery           < 30 s       < 60 s       —          not measured
Network latency          < 100 ms     < 200 ms     —          not measured
`
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	if _, ok := Targets(Measurements{MetricThroughput: 12000, MetricMLInference: 0.0005}); !ok {
		t.Error("all measured rows pass: want ok")
	}
}

func TestObservedLeaders(t *testing.T) {
	hist := []Sample{
		{Node: 1, Leaders: map[uint64]string{1: "A", 2: "A", 5: "B"}},
		{Node: 2, Leaders: map[uint64]string{2: "A", 5: "C", 6: "B"}},
		{Node: 3, Leaders: map[uint64]string{5: "B"}},
	}
	blocks, conflicts := ObservedLeaders(hist)
	if want := map[uint64]string{1: "A", 2: "A", 6: "B"}; !reflect.DeepEqual(blocks, want) {
		t.Errorf("blocks %v, want %v", blocks, want)
	}
	if !reflect.DeepEqual(conflicts, []uint64{5}) {
		t.Errorf("conflicts %v, want [5]", conflicts)
	}
}
