package chaos

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCanConfirmAroundTwoThirds(t *testing.T) {
	tests := []struct {
		stake, total uint64
		want         bool
	}{
		{2, 3, false},   // exactly 2/3 is not more
		{3, 3, true},    // all
		{1, 3, false},   // a third
		{67, 100, true}, // just over
		{66, 100, false},
		{6666, 10000, false},
		{6667, 10000, true},
		{7, 10, true},
		{0, 0, false},
		{1<<63 + 1, 1<<63 + 2, true}, // no overflow near the top of uint64
		{(1 << 63) / 3 * 2, (1 << 63) / 3 * 3, false}, // exactly 2/3 of a huge total
	}
	for _, tc := range tests {
		if got := CanConfirm(tc.stake, tc.total); got != tc.want {
			t.Errorf("CanConfirm(%d, %d) = %v, want %v", tc.stake, tc.total, got, tc.want)
		}
	}
}

func TestPartitionSummary(t *testing.T) {
	tests := []struct {
		name   string
		stakes []uint64
		spec   string
		want   string
	}{
		{"isolate 5 of 5", []uint64{1, 1, 1, 1, 1}, "isolate:5", "side A 80.0% can confirm; side B 20.0% cannot"},
		{"2 of 3 equal", []uint64{1, 1, 1}, "2|1", "side A 66.7% — not more than 2/3: no side can confirm"},
		{"7|3", []uint64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, "7|3", "side A 70.0% can confirm; side B 30.0% cannot"},
		{"halves of 10", []uint64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, "halves", "side A 50.0% — not more than 2/3: no side can confirm"},
		{"6|4 of 10", []uint64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, "1-6|7-10", "side A 60.0% — not more than 2/3: no side can confirm"},
		{"weighted 2|1 over 2/3", []uint64{5, 2, 3}, "1,2|3", "side A 70.0% can confirm; side B 30.0% cannot"},
		{"weighted largest side second", []uint64{1, 1, 4}, "1-2|3", "side B 66.7% — not more than 2/3: no side can confirm"},
		{"three groups", []uint64{1, 1, 1, 1, 1, 1}, "1-2|3-4|5-6", "side A 33.3% — not more than 2/3: no side can confirm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			topo := WeightedTopology(tc.stakes)
			p, err := ParsePartition(topo, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Summary(topo); got != tc.want {
				t.Errorf("Summary = %q\nwant      %q", got, tc.want)
			}
		})
	}
}

func TestParsePartitionGroups(t *testing.T) {
	tests := []struct {
		spec string
		n    int
		want [][]int
	}{
		{"1-3|4-7|8-10", 10, [][]int{{1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10}}},
		{"7|3", 10, [][]int{{1, 2, 3, 4, 5, 6, 7}, {8, 9, 10}}},
		{"4|1", 5, [][]int{{1, 2, 3, 4}, {5}}},
		{"1|2", 2, [][]int{{1}, {2}}}, // names every node once: groups, not sizes
		{"1|1", 2, [][]int{{1}, {2}}}, // sizes
		{"5,1|2-4", 5, [][]int{{1, 5}, {2, 3, 4}}},
		{" 1 - 2 | 3 ", 3, [][]int{{1, 2}, {3}}},
		{"halves", 5, [][]int{{1, 2}, {3, 4, 5}}},
		{"isolate:2", 3, [][]int{{1, 3}, {2}}},
		{"ISOLATE 3", 3, [][]int{{1, 2}, {3}}},
	}
	for _, tc := range tests {
		p, err := ParsePartition(EqualTopology(tc.n), tc.spec)
		if err != nil {
			t.Errorf("ParsePartition(%q, %d): %v", tc.spec, tc.n, err)
			continue
		}
		if !reflect.DeepEqual(p.Groups, tc.want) {
			t.Errorf("ParsePartition(%q, %d) groups = %v, want %v", tc.spec, tc.n, p.Groups, tc.want)
		}
	}
}

func TestParsePartitionErrorsNameTheToken(t *testing.T) {
	tests := []struct {
		spec  string
		n     int
		token string // want SpecError.Token
		msg   string // and this in the message
	}{
		{"1-3|4-x", 5, "4-x", `"x" is not a node number`},
		{"1-3|4-9", 5, "4-9", "out of range 1..5"},
		{"3-1|4-5", 5, "3-1", "backwards"},
		{"1-3||4-5", 5, "", "group 2 is empty"},
		{"1-3|3-5", 5, "", "node 3 is in group 1 and group 2"},
		{"1-2|4-5", 5, "", "node 3 in no group"},
		{"1-5", 5, "", "at least two groups"},
		{"isolate:9", 5, "9", "not a node number"},
		{"7|4", 10, "", "in no group"}, // sizes add up to 11: read as groups, node 1 missing
		{"", 5, "", "empty"},
		{"wheel", 5, "wheel", "not a preset"},
	}
	for _, tc := range tests {
		_, err := ParsePartition(EqualTopology(tc.n), tc.spec)
		var se *SpecError
		if !errors.As(err, &se) {
			t.Errorf("ParsePartition(%q) = %v, want a *SpecError", tc.spec, err)
			continue
		}
		if se.Token != tc.token || !strings.Contains(se.Error(), tc.msg) {
			t.Errorf("ParsePartition(%q) = token %q, %q; want token %q and %q", tc.spec, se.Token, se.Error(), tc.token, tc.msg)
		}
	}
}

// cutsFrom returns, for each receiver, the senders whose packets it drops.
func cutsTo(p Plan) map[int][]int {
	m := map[int][]int{}
	for _, l := range p.Cuts {
		m[l.To] = append(m[l.To], l.From)
	}
	for k := range m {
		slices.Sort(m[k])
	}
	return m
}

func TestMajoritiesRingCuts(t *testing.T) {
	tests := []struct {
		n    int
		want map[int][]int // receiver → senders it drops
	}{
		// m = 3, h = 1: node o hears o-1, o, o+1.
		{5, map[int][]int{1: {3, 4}, 2: {4, 5}, 3: {1, 5}, 4: {1, 2}, 5: {2, 3}}},
		// m = 2, h = 1: node o hears o-1 and itself; one-way cuts.
		{3, map[int][]int{1: {2}, 2: {3}, 3: {1}}},
		// m = 3, h = 1: node o hears o-1, o, o+1 and drops the one across.
		{4, map[int][]int{1: {3}, 2: {4}, 3: {1}, 4: {2}}},
	}
	for _, tc := range tests {
		p, err := MajoritiesRing(EqualTopology(tc.n))
		if err != nil {
			t.Fatal(err)
		}
		if got := cutsTo(p); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ring of %d: cuts %v, want %v", tc.n, got, tc.want)
		}
		// Every node hears a majority, and no two hear the same one.
		sides := p.Sides(EqualTopology(tc.n))
		if len(sides) != tc.n {
			t.Errorf("ring of %d: %d distinct views, want %d", tc.n, len(sides), tc.n)
		}
		for _, s := range sides {
			if len(s.Nodes) != tc.n/2+1 {
				t.Errorf("ring of %d: side %s hears %v, want a majority of %d", tc.n, s.Name, s.Nodes, tc.n/2+1)
			}
		}
	}
	p, _ := MajoritiesRing(EqualTopology(10))
	if got := p.Summary(EqualTopology(10)); got != "every node hears 60.0% — not more than 2/3: no side can confirm" {
		t.Errorf("ring of 10 summary %q", got)
	}
	for o := 1; o <= 10; o++ {
		if got := 10 - len(cutsTo(p)[o]); got != 6 {
			t.Errorf("ring of 10: node %d hears %d nodes, want 6", o, got)
		}
	}
	if _, err := MajoritiesRing(EqualTopology(2)); err == nil {
		t.Error("ring of 2 nodes: want an error")
	}
}

func TestBridgeCuts(t *testing.T) {
	p, err := Bridge(EqualTopology(5))
	if err != nil {
		t.Fatal(err)
	}
	// A = 1,2; B = 3,4,5; bridge 3 hears and is heard by everyone.
	want := map[int][]int{1: {4, 5}, 2: {4, 5}, 4: {1, 2}, 5: {1, 2}}
	if got := cutsTo(p); !reflect.DeepEqual(got, want) {
		t.Errorf("bridge of 5: cuts %v, want %v", got, want)
	}
	if p.Name != "bridge (node 3)" {
		t.Errorf("name %q", p.Name)
	}
	sides := p.Sides(EqualTopology(5))
	var views [][]int
	for _, s := range sides {
		views = append(views, s.Nodes)
	}
	wantViews := [][]int{{1, 2, 3}, {1, 2, 3, 4, 5}, {3, 4, 5}}
	if !reflect.DeepEqual(views, wantViews) {
		t.Errorf("bridge views %v, want %v", views, wantViews)
	}
	if got := p.Summary(EqualTopology(5)); got != "nodes 1-2,4-5 hear 60.0%: cannot; node 3 hears 100.0%: can confirm" {
		t.Errorf("bridge summary %q", got)
	}
}

func TestCompilePartition(t *testing.T) {
	topo := EqualTopology(3)
	p, _ := Isolate(topo, 3)
	c, err := p.Compile(topo)
	if err != nil {
		t.Fatal(err)
	}
	wantPart := [][]string{{"127.0.0.3"}, {"127.0.0.3"}, {"127.0.0.1", "127.0.0.2"}}
	for i, r := range c.Rules {
		if !reflect.DeepEqual(r.Partition, wantPart[i]) || r.PartitionIn != nil {
			t.Errorf("node %d: partition %v in %v, want %v", i+1, r.Partition, r.PartitionIn, wantPart[i])
		}
	}
	ring, _ := MajoritiesRing(topo)
	c, _ = ring.Compile(topo)
	wantIn := [][]string{{"127.0.0.2"}, {"127.0.0.3"}, {"127.0.0.1"}}
	for i, r := range c.Rules {
		if !reflect.DeepEqual(r.PartitionIn, wantIn[i]) || r.Partition != nil {
			t.Errorf("ring node %d: in %v both %v, want in %v", i+1, r.PartitionIn, r.Partition, wantIn[i])
		}
	}
}

func TestCompileLossEveryLinkOnce(t *testing.T) {
	topo := EqualTopology(3)
	p, err := Loss(topo, 0.05, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.Compile(topo)
	want := [][]string{{"127.0.0.2", "127.0.0.3"}, {"127.0.0.3"}, nil}
	for i, r := range c.Rules {
		if !reflect.DeepEqual(r.Loss.Peers, want[i]) {
			t.Errorf("node %d loss peers %v, want %v", i+1, r.Loss.Peers, want[i])
		}
		if wantF := map[bool]float64{true: 0.05, false: 0}[want[i] != nil]; r.Loss.Fraction != wantF {
			t.Errorf("node %d loss %v, want %v", i+1, r.Loss.Fraction, wantF)
		}
	}
	if p.Name != "loss 5% on every link" {
		t.Errorf("name %q", p.Name)
	}
}

func TestCompileDelayPerLinkAndNode(t *testing.T) {
	topo := EqualTopology(4)
	p, err := Delay(topo, 100*time.Millisecond, 20*time.Millisecond, []int{2}, []int{4})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.Compile(topo)
	for i, r := range c.Rules {
		if i+1 == 2 {
			if r.Delay.MS != 100 || r.Delay.JitterMS != 20 || !reflect.DeepEqual(r.Delay.Peers, []string{"127.0.0.4"}) {
				t.Errorf("node 2 delay %+v", r.Delay)
			}
		} else if r.Delay.MS != 0 || r.Delay.Peers != nil {
			t.Errorf("node %d delay %+v, want none", i+1, r.Delay)
		}
	}
	if p.Name != "delay 100 ms ± 20 ms between node 2 and node 4" {
		t.Errorf("name %q", p.Name)
	}
	// On keeps the fields a plan does not own.
	cur := c.On(2, topoRulesWithLoss())
	if cur.Loss.Fraction != 0.5 || cur.Delay.MS != 100 {
		t.Errorf("On replaced the wrong fields: %+v", cur)
	}
}

func TestPlanErrors(t *testing.T) {
	topo := EqualTopology(3)
	if _, err := Loss(topo, 1.5, nil, nil); err == nil {
		t.Error("loss 150%: want error")
	}
	if _, err := Loss(topo, 0.1, nil, []int{2}); err == nil {
		t.Error("peers without nodes: want error")
	}
	if _, err := Delay(topo, -time.Millisecond, 0, nil, nil); err == nil {
		t.Error("negative delay: want error")
	}
	if _, err := Isolate(topo, 4); err == nil {
		t.Error("isolate 4 of 3: want error")
	}
	pause, err := ProcessStep(topo, KindPause, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pause.Compile(topo); !errors.Is(err, ErrProcessAction) {
		t.Errorf("compile pause = %v, want ErrProcessAction", err)
	}
	p, _ := Isolate(EqualTopology(5), 1)
	if _, err := p.Compile(topo); err == nil {
		t.Error("plan for 5 nodes compiled for 3: want error")
	}
}

func TestDescribe(t *testing.T) {
	topo := EqualTopology(5)
	r := topoRulesWithLoss()
	r.Partition = []string{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.9"}
	r.Delay.MS, r.Delay.JitterMS = 100, 20
	want := "cut from nodes 1-3, 127.0.0.9; loss 50% with node 4; delay 100 ms ± 20 ms"
	if got := Describe(topo, r); got != want {
		t.Errorf("Describe = %q\nwant       %q", got, want)
	}
}

func TestParseNodes(t *testing.T) {
	got, err := ParseNodes("5, 1-3,2", 5)
	if err != nil || !reflect.DeepEqual(got, []int{1, 2, 3, 5}) {
		t.Errorf("ParseNodes = %v %v", got, err)
	}
	for _, bad := range []string{"", "6", "0", "2-1", "a", "1,,2"} {
		if _, err := ParseNodes(bad, 5); err == nil {
			t.Errorf("ParseNodes(%q): want error", bad)
		}
	}
}

func TestKindText(t *testing.T) {
	for k := KindPartition; k <= KindRestart; k++ {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Kind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("%s: round trip gave %v %v", b, back, err)
		}
	}
	var k Kind
	if err := k.UnmarshalText([]byte("explode")); err == nil {
		t.Error("unknown kind: want error")
	}
	if _, err := Kind(0).MarshalText(); err == nil {
		t.Error("zero kind: want error")
	}
}
