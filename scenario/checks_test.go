package scenario

import (
	"strings"
	"testing"
	"time"

	"slonui/check"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

// TestChainLinksConverge: tips that each node attests on its fork make one
// chain for check.Converged; a tip nobody attests stays a fork.
func TestChainLinksConverge(t *testing.T) {
	cases := []struct {
		name  string
		tips  []tip
		forks int
	}{
		{"one chain", []tip{
			{ok: true, processed: 10, onChain: map[int]bool{1: true, 2: true}},
			{ok: true, processed: 9, onChain: map[int]bool{2: true}},
			{ok: true, processed: 8},
		}, 1},
		{"minority fork", []tip{
			{ok: true, processed: 10, onChain: map[int]bool{1: true}},
			{ok: true, processed: 9},
			{ok: true, processed: 7}, // built its own block: on nobody's fork
		}, 2},
		{"same slot", []tip{
			{ok: true, processed: 10},
			{ok: true, processed: 10},
		}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r check.Round
			for i, tp := range c.tips {
				r = append(r, check.Sample{Node: i + 1, T: at(0), Processed: tp.processed, Parents: chainLinks(i, c.tips)})
			}
			if got := len(check.Forks(r)); got != c.forks {
				t.Fatalf("%d forks, want %d: %+v", got, c.forks, check.Forks(r))
			}
			if ok := check.Converged(r).OK; ok != (c.forks == 1) {
				t.Errorf("converged %v with %d forks", ok, c.forks)
			}
		})
	}
}

// round builds one round where nodes 1..n are on one chain, except those in
// apart, which sit on a fork of their own.
func round(ms int, n int, slot uint64, apart ...int) check.Round {
	var tips []tip
	for i := 0; i < n; i++ {
		tp := tip{ok: true, processed: slot - uint64(i), onChain: map[int]bool{}}
		tips = append(tips, tp)
	}
	isApart := map[int]bool{}
	for _, a := range apart {
		isApart[a-1] = true
	}
	for i := range tips {
		for j := range tips {
			if i != j && !isApart[i] && !isApart[j] {
				tips[i].onChain[j] = true
			}
		}
	}
	var r check.Round
	for i, tp := range tips {
		r = append(r, check.Sample{Node: i + 1, T: at(ms), Processed: tp.processed, Confirmed: slot - 10,
			Finalized: slot - 40 + uint64(ms/100), Parents: chainLinks(i, tips), Peers: n - 1, LastVote: slot + uint64(ms/10)})
	}
	return r
}

func TestEvaluate(t *testing.T) {
	heal := at(1000)
	rounds := []check.Round{round(500, 3, 100, 3), round(1200, 3, 103, 3), round(1800, 3, 106)}
	var history []check.Sample
	for _, r := range rounds {
		history = append(history, r...)
	}
	rf := refs{start: at(0), heal: heal, nodes: []int{1, 2, 3}, step: at(1000)}
	cases := []struct {
		name    string
		step    Step
		now     time.Time
		decided bool
		pass    bool
		value   string
		reason  string
	}{
		{"fork-resolution within max", Step{Check: CheckForkResolution, Max: "1s"}, at(1900), true, true, "800ms (2 forks at the heal)", ""},
		{"fork-resolution over max", Step{Check: CheckForkResolution, Max: "1ms"}, at(1900), true, false, "800ms", "more than 1ms"},
		{"peer discovery over max", Step{Check: CheckPeerDiscovery, Max: "1ms"}, at(1900), true, false, "500ms", "more than 1ms"},
		{"peer discovery within", Step{Check: CheckPeerDiscovery}, at(1900), true, true, "500ms", ""},
		{"votes window not over", Step{Check: CheckVotes, Window: "5s"}, at(1900), false, false, "", ""},
		{"votes", Step{Check: CheckVotes, Window: "800ms"}, at(1900), true, true, "3/3 advancing", ""},
		{"recovered not yet", Step{Check: CheckRecovered, NewRoots: 16}, at(1900), false, false, "", ""},
		{"recovered too late", Step{Check: CheckRecovered, NewRoots: 16, Max: "500ms"}, at(1900), true, false, "fewest new roots", "want 16"},
		{"recovered", Step{Check: CheckRecovered, NewRoots: 2}, at(1900), true, true, "800ms", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := evaluate(c.step, rounds, history, rf, c.now)
			if v.decided != c.decided {
				t.Fatalf("decided %v, want %v (%+v)", v.decided, c.decided, v.res)
			}
			if !v.decided {
				return
			}
			if v.res.Pass != c.pass || !strings.Contains(v.res.Value, c.value) || !strings.Contains(v.res.Reason, c.reason) {
				t.Errorf("got pass %v value %q reason %q; want %v, %q, %q", v.res.Pass, v.res.Value, v.res.Reason, c.pass, c.value, c.reason)
			}
		})
	}
}

// TestForkResolutionNotConverged: while a fork lasts past max the check
// fails and says why.
func TestForkResolutionNotConverged(t *testing.T) {
	rounds := []check.Round{round(500, 3, 100, 3), round(1500, 3, 105, 3)}
	rf := refs{start: at(0), heal: at(1000), nodes: []int{1, 2, 3}}
	s := Step{Check: CheckForkResolution, Max: "2s"}
	if v := evaluate(s, rounds, nil, rf, at(1500)); v.decided {
		t.Fatalf("decided before max: %+v", v.res)
	}
	v := evaluate(s, rounds, nil, rf, at(3100))
	if !v.decided || v.res.Pass || !strings.Contains(v.res.Reason, "2 forks") {
		t.Fatalf("want a failure naming 2 forks, got %+v", v)
	}
}

func TestJudgeRotation(t *testing.T) {
	leaders := []string{"A", "A", "B", "B", "C", "C"}
	cases := []struct {
		name     string
		produced []uint64
		rate     float64
		pass     bool
		reason   string
	}{
		{"all produced", []uint64{10, 11, 12, 13, 14, 15}, 0, true, ""},
		{"one skip allowed", []uint64{10, 11, 12, 14, 15}, 0.25, true, ""},
		{"too many skips", []uint64{10, 12, 14, 15}, 0.25, false, "2 of 6 slots skipped"},
		{"idle leader", []uint64{10, 11, 14, 15}, 0.5, false, "leaders without a block"},
		{"outside the window ignored", []uint64{9, 10, 11, 12, 13, 14, 15, 16}, 0, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := judgeRotation(CheckResult{}, leaders, c.produced, 10, 15, c.rate)
			if res.Pass != c.pass || !strings.Contains(res.Reason, c.reason) {
				t.Errorf("pass %v reason %q value %q; want %v %q", res.Pass, res.Reason, res.Value, c.pass, c.reason)
			}
		})
	}
}

// TestConvergedNeedsCatchUp: a node that fell back to a shared ancestor far
// below the others is on their chain but has not converged.
func TestConvergedNeedsCatchUp(t *testing.T) {
	cases := []struct {
		name   string
		tips   []uint64
		behind uint64
		ok     bool
		reason string
	}{
		{"close", []uint64{100, 99, 97}, 32, true, ""},
		{"far behind", []uint64{150, 149, 40}, 32, false, "node 3 is at slot 40, 110 slots behind"},
		{"own limit", []uint64{150, 149, 40}, 200, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var tips []tip
			for i, s := range c.tips {
				tp := tip{ok: true, processed: s, onChain: map[int]bool{}}
				for j := range c.tips {
					if j != i {
						tp.onChain[j] = true
					}
				}
				tips = append(tips, tp)
			}
			var r check.Round
			for i, tp := range tips {
				r = append(r, check.Sample{Node: i + 1, T: at(0), Processed: tp.processed, Parents: chainLinks(i, tips)})
			}
			ok, why := converged(r, c.behind)
			if ok != c.ok || !strings.Contains(why, c.reason) {
				t.Errorf("converged %v %q, want %v %q", ok, why, c.ok, c.reason)
			}
			if !check.Converged(r).OK {
				t.Errorf("check.Converged says the tips are not on one chain")
			}
		})
	}
}
